"""Order numbers from a counter row: ``A-000123``, parts ``A-000123/1``.

The counter is one ``OrderCounter`` row per prefix, incremented with ``UPDATE … SET value = value + 1``
inside the placing transaction. The update holds the row's lock until commit, so two checkouts can
never read the same value; computing ``max(number) + 1`` instead would hand both the same number.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import F

from b2b_cabinet.conf import b2b_settings
from b2b_cabinet.models import OrderCounter


def next_order_number(prefix: str | None = None) -> str:
    """Take the next number for ``prefix`` (``ORDER_NUMBER_PREFIX`` by default). Call inside a transaction."""
    prefix = b2b_settings.ORDER_NUMBER_PREFIX if prefix is None else prefix
    if not OrderCounter.objects.filter(prefix=prefix).exists():
        try:
            with transaction.atomic():
                OrderCounter.objects.create(prefix=prefix)
        except IntegrityError:  # created meanwhile by a concurrent checkout: fine, use it
            pass
    OrderCounter.objects.filter(prefix=prefix).update(value=F("value") + 1)
    value = OrderCounter.objects.filter(prefix=prefix).values_list("value", flat=True).get()
    return f"{prefix}{value:06d}"


def part_number(order_number: str, index: int) -> str:
    """The number of an order's ``index``-th part (from 1)."""
    return f"{order_number}/{index}"
