"""Committed migrations match the models."""

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_no_model_change_is_missing_a_migration():
    # --check exits non-zero (SystemExit) when makemigrations would write anything.
    call_command("makemigrations", "b2b_cabinet", "--check", "--dry-run", verbosity=0)
