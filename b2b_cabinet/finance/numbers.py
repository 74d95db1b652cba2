"""Invoice numbers from a counter row per seller and year: ``СЧ-2026-000123``.

Like order numbers, the counter is incremented with ``UPDATE … SET value = value + 1`` inside the
issuing transaction, which holds the row lock until commit: two buyers issuing at once can never get
the same number (``max(number) + 1`` would hand both the same one).
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import F

from b2b_cabinet.conf import b2b_settings
from b2b_cabinet.models import DocumentCounter


def next_document_number(seller: str, year: int, kind: str = "invoice", prefix: str | None = None) -> str:
    """Take the next number of ``kind`` for ``seller`` (its ИНН) in ``year``. Call inside a transaction."""
    prefix = b2b_settings.INVOICE_NUMBER_PREFIX if prefix is None else prefix
    key = {"seller": seller or "-", "kind": kind, "year": year}
    if not DocumentCounter.objects.filter(**key).exists():
        try:
            with transaction.atomic():
                DocumentCounter.objects.create(**key)
        except IntegrityError:  # created meanwhile by a concurrent issue: use it
            pass
    DocumentCounter.objects.filter(**key).update(value=F("value") + 1)
    value = DocumentCounter.objects.filter(**key).values_list("value", flat=True).get()
    return f"{prefix}{year}-{value:06d}"
