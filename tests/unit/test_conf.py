"""The B2B_CABINET settings dict: defaults, overrides and errors."""

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import override_settings

from b2b_cabinet.conf import b2b_settings
from b2b_cabinet.exceptions import ConfigurationError


def test_defaults_apply_when_the_dict_is_empty():
    with override_settings(B2B_CABINET={}):
        assert b2b_settings.DEFAULT_CURRENCY == "RUB"
        assert b2b_settings.CATALOG_PAGE_SIZE == 24


def test_a_project_value_overrides_the_default():
    with override_settings(B2B_CABINET={"CATALOG_PAGE_SIZE": 50}):
        assert b2b_settings.CATALOG_PAGE_SIZE == 50
    assert b2b_settings.CATALOG_PAGE_SIZE == 24


def test_an_unknown_key_is_an_error_that_names_it():
    with override_settings(B2B_CABINET={"PRICE_TYP": "x"}):
        with pytest.raises(ConfigurationError, match="PRICE_TYP"):
            b2b_settings.validate()


def test_a_value_of_the_wrong_type_is_an_error():
    with override_settings(B2B_CABINET={"CATALOG_PAGE_SIZE": "24"}):
        with pytest.raises(ConfigurationError, match="CATALOG_PAGE_SIZE"):
            b2b_settings.DEFAULT_CURRENCY  # noqa: B018


def test_system_check_reports_bad_settings_with_its_id():
    with override_settings(B2B_CABINET={"NOPE": 1}):
        with pytest.raises(SystemCheckError, match=r"b2b_cabinet\.E001"):
            call_command("check")


def test_an_exchange_folder_inside_media_root_is_a_security_warning(settings, tmp_path):
    from b2b_cabinet.checks import check_exchange_dir

    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.B2B_CABINET = {"EXCHANGE_DIR": str(tmp_path / "media" / "1c")}
    assert [w.id for w in check_exchange_dir(None)] == ["b2b_cabinet.W002"]
    settings.B2B_CABINET = {}
    assert check_exchange_dir(None) == []  # the default lies beside MEDIA_ROOT
