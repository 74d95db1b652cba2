"""Stock: what a buyer can get from which warehouse and when, and reserving it for orders.

Two parts:

- **The shipping calendar.** A warehouse ships on every day except its closed weekdays and the
  closed dates 1C sends (``ClosedDay``). An order placed before the warehouse's cut-off time
  (in the site's time zone, ``TIME_ZONE``) can ship the same day; after it, the next shipping day.
  :class:`ShippingCalendar` loads the closed dates of several warehouses in one query.
- **Reservation.** :func:`reserve` adds to ``StockLevel.reserved`` with a conditional
  ``UPDATE … SET reserved = reserved + n WHERE on_hand - reserved >= n`` (atomic on every
  database, so two checkouts can never both take the last units) after locking the rows with
  ``SELECT … FOR UPDATE`` in primary-key order on databases that support it, so concurrent
  checkouts queue in one fixed order instead of deadlocking.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection
from django.db.models import F, Q, Value
from django.db.models.functions import Greatest
from django.utils import timezone
from django.utils.translation import gettext as _

from b2b_cabinet.conf import b2b_settings
from b2b_cabinet.exceptions import OutOfStockError
from b2b_cabinet.models import ClosedDay, StockLevel, Warehouse

ZERO = Decimal(0)


class ShippingCalendar:
    """Shipping days of some warehouses over a horizon, loaded once (one query for the closed dates)."""

    def __init__(self, warehouses: Iterable[Warehouse], *, now: datetime.datetime | None = None,
                 horizon_days: int | None = None):
        self.now = timezone.localtime(now or timezone.now())
        self.horizon = horizon_days or b2b_settings.SHIP_DATE_HORIZON_DAYS
        self.warehouses = {w.pk: w for w in warehouses if w is not None}
        self.last_day = self.now.date() + datetime.timedelta(days=self.horizon)
        self.closed: dict[int, set[datetime.date]] = defaultdict(set)
        rows = ClosedDay.objects.filter(
            warehouse_id__in=list(self.warehouses), date__gte=self.now.date(), date__lte=self.last_day
        ).values_list("warehouse_id", "date")
        for warehouse_id, day in rows:
            self.closed[warehouse_id].add(day)

    def is_shipping_day(self, warehouse: Warehouse, day: datetime.date) -> bool:
        """False on the warehouse's closed weekdays and closed dates."""
        return day.weekday() not in (warehouse.closed_weekdays or []) and day not in self.closed[warehouse.pk]

    def first_day(self, warehouse: Warehouse) -> datetime.date:
        """Today before the cut-off time, else tomorrow: the first day an order placed now could ship."""
        today = self.now.date()
        return today if self.now.time() < warehouse.cutoff_time else today + datetime.timedelta(days=1)

    def earliest(self, warehouse: Warehouse, not_before: datetime.date | None = None) -> datetime.date | None:
        """The earliest shipping day (on or after ``not_before``) within the horizon, or None."""
        day = self.first_day(warehouse)
        if not_before and not_before > day:
            day = not_before
        while day <= self.last_day:
            if self.is_shipping_day(warehouse, day):
                return day
            day += datetime.timedelta(days=1)
        return None

    def available_dates(self, warehouse: Warehouse) -> list[datetime.date]:
        """Every shipping day from the earliest one to the end of the horizon."""
        start = self.earliest(warehouse)
        if start is None:
            return []
        days = (start + datetime.timedelta(days=i) for i in range((self.last_day - start).days + 1))
        return [d for d in days if self.is_shipping_day(warehouse, d)]

    def common_dates(self, warehouses: Iterable[Warehouse], not_before: datetime.date | None = None
                     ) -> list[datetime.date]:
        """Dates on which every given warehouse can ship (what the checkout calendar offers)."""
        result: set[datetime.date] | None = None
        for warehouse in {w.pk: w for w in warehouses if w is not None}.values():
            dates = set(self.available_dates(warehouse))
            result = dates if result is None else result & dates
        if result is None:  # no warehouse at all: any day from tomorrow
            tomorrow = self.now.date() + datetime.timedelta(days=1)
            result = {tomorrow + datetime.timedelta(days=i) for i in range(self.horizon)}
        return sorted(d for d in result if not_before is None or d >= not_before)


def earliest_ship_date(warehouse: Warehouse, *, now: datetime.datetime | None = None) -> datetime.date | None:
    """The earliest day ``warehouse`` can ship an order placed at ``now`` (cut-off and closed days honoured)."""
    return ShippingCalendar([warehouse], now=now).earliest(warehouse)


def available_ship_dates(warehouse: Warehouse, *, now: datetime.datetime | None = None,
                         horizon_days: int | None = None) -> list[datetime.date]:
    """The days ``warehouse`` can ship an order placed at ``now``, up to the horizon."""
    return ShippingCalendar([warehouse], now=now, horizon_days=horizon_days).available_dates(warehouse)


# --- free stock ---------------------------------------------------------------------------------------


def _stock_q(product_id: int, variant_id: int | None) -> Q:
    return Q(product_id=product_id, variant__isnull=True) if variant_id is None else Q(variant_id=variant_id)


def free_stock(product_id: int, variant_id: int | None, warehouse_ids: Iterable[int] | None = None
               ) -> dict[int, Decimal]:
    """Free stock (on hand − reserved, not below zero) per warehouse id for one product or variant."""
    rows = StockLevel.objects.filter(_stock_q(product_id, variant_id), warehouse__is_active=True)
    if warehouse_ids is not None:
        rows = rows.filter(warehouse_id__in=list(warehouse_ids))
    return {w: max(on_hand - reserved, ZERO) for w, on_hand, reserved in
            rows.values_list("warehouse_id", "on_hand", "reserved")}


def best_warehouse(product_id: int, variant_id: int | None, quantity: Decimal,
                   warehouse_ids: Iterable[int] | None = None) -> Warehouse | None:
    """Where to ship a line that names no warehouse: the first (by position) with enough free stock,
    else the one with the most; None when no warehouse stocks it."""
    free = free_stock(product_id, variant_id, warehouse_ids)
    if not free:
        return None
    warehouses = list(Warehouse.objects.filter(pk__in=list(free)).order_by("position", "name", "pk"))
    enough = [w for w in warehouses if free[w.pk] >= quantity]
    if enough:
        return enough[0]
    return max(warehouses, key=lambda w: free[w.pk])


def arrival_dates(lines) -> dict[int, datetime.date]:
    """For lines (with ``pk``, ``product_id``, ``variant_id``, ``warehouse_id``, ``quantity``) whose free
    stock is short but goods in transit to their warehouse cover the rest: ``{line.pk: expected date}``.
    One query for all the lines."""
    lines = [line for line in lines if line.warehouse_id]
    if not lines:
        return {}
    q = Q(pk__in=[])
    for line in lines:
        q |= _stock_q(line.product_id, line.variant_id) & Q(warehouse_id=line.warehouse_id)
    levels = {(s.product_id, s.variant_id, s.warehouse_id): s for s in StockLevel.objects.filter(q)}
    result = {}
    for line in lines:
        level = levels.get((line.product_id, line.variant_id, line.warehouse_id))
        if level is None or level.available >= line.quantity or not level.expected_at:
            continue
        if level.available + level.in_transit >= line.quantity:
            result[line.pk] = level.expected_at
    return result


# --- reservation --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StockItem:
    """A quantity of a product (or variant) in one warehouse, to reserve or release."""

    product_id: int
    variant_id: int | None
    warehouse_id: int
    quantity: Decimal


def _merged(items: Iterable[StockItem]) -> dict[tuple, Decimal]:
    merged: dict[tuple, Decimal] = defaultdict(Decimal)
    for item in items:
        merged[(item.product_id, item.variant_id, item.warehouse_id)] += item.quantity
    return merged


def _rows(merged: dict[tuple, Decimal], lock: bool) -> dict[tuple, StockLevel]:
    q = Q(pk__in=[])
    for product_id, variant_id, warehouse_id in merged:
        q |= _stock_q(product_id, variant_id) & Q(warehouse_id=warehouse_id)
    rows = StockLevel.objects.filter(q).order_by("pk")
    if lock and connection.features.has_select_for_update:
        # Locks taken in primary-key order: two checkouts wanting the same rows queue, never deadlock.
        rows = rows.select_for_update()
    return {(r.product_id, r.variant_id, r.warehouse_id): r for r in rows}


def reserve(items: Iterable[StockItem]) -> None:
    """Reserve every item or none (call inside a transaction); raises :class:`OutOfStockError` if short.

    The error names the first line that is short and how much is free.
    """
    merged = _merged(items)
    rows = _rows(merged, lock=True)
    for key in sorted(merged, key=lambda k: rows[k].pk if k in rows else 0):
        quantity, row = merged[key], rows.get(key)
        if row is None:
            raise OutOfStockError(_("Not in stock at the chosen warehouse."), key)
        updated = StockLevel.objects.filter(
            pk=row.pk, on_hand__gte=F("reserved") + quantity
        ).update(reserved=F("reserved") + quantity)
        if not updated:
            row.refresh_from_db(fields=["on_hand", "reserved"])
            raise OutOfStockError(
                _("Only %(free)s left at %(warehouse)s.") % {
                    "free": f"{row.available.normalize():f}", "warehouse": row.warehouse},
                key,
            )


def release(items: Iterable[StockItem]) -> None:
    """Give reserved stock back (an order part cancelled or shipped); never drops below zero."""
    merged = _merged(items)
    rows = _rows(merged, lock=True)
    for key, quantity in merged.items():
        row = rows.get(key)
        if row is not None:
            StockLevel.objects.filter(pk=row.pk).update(reserved=Greatest(F("reserved") - quantity, Value(ZERO)))
