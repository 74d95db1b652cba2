"""The shipping calendar: closed weekdays, closed dates from 1C, cut-off time, time zone."""

import datetime

import pytest

from b2b_cabinet import stock
from b2b_cabinet.models import ClosedDay
from tests import factories as f

from .conftest import MORNING, MSK

pytestmark = pytest.mark.django_db


def test_before_the_cut_off_an_order_ships_today():
    warehouse = f.warehouse()
    assert stock.earliest_ship_date(warehouse, now=MORNING) == MORNING.date()


def test_after_the_cut_off_today_is_gone():
    warehouse = f.warehouse(cutoff_time=datetime.time(9, 30))
    assert stock.earliest_ship_date(warehouse, now=MORNING) == MORNING.date() + datetime.timedelta(days=1)


def test_the_cut_off_is_read_in_the_sites_time_zone_not_utc():
    # 12:30 UTC is 15:30 in Moscow: still before a 16:00 cut-off.
    warehouse = f.warehouse(cutoff_time=datetime.time(16, 0))
    now = datetime.datetime(2026, 12, 2, 12, 30, tzinfo=datetime.UTC)
    assert stock.earliest_ship_date(warehouse, now=now) == datetime.date(2026, 12, 2)
    later = datetime.datetime(2026, 12, 2, 13, 30, tzinfo=datetime.UTC)  # 16:30 in Moscow
    assert stock.earliest_ship_date(warehouse, now=later) == datetime.date(2026, 12, 3)


def test_closed_weekdays_and_closed_dates_are_skipped():
    warehouse = f.warehouse(closed_weekdays=[5, 6])  # no weekends
    ClosedDay.objects.create(warehouse=warehouse, date=datetime.date(2026, 12, 3), reason="Инвентаризация")
    friday_evening = datetime.datetime(2026, 12, 2, 18, 0, tzinfo=MSK)  # Wednesday after cut-off
    dates = stock.available_ship_dates(warehouse, now=friday_evening, horizon_days=7)
    assert dates[0] == datetime.date(2026, 12, 4)
    assert datetime.date(2026, 12, 5) not in dates and datetime.date(2026, 12, 6) not in dates
    assert datetime.date(2026, 12, 7) in dates


def test_the_checkout_offers_only_dates_every_warehouse_ships_on():
    a = f.warehouse(closed_weekdays=[6])
    b = f.warehouse(closed_weekdays=[5, 6])
    calendar = stock.ShippingCalendar([a, b], now=MORNING, horizon_days=14)
    common = calendar.common_dates([a, b])
    assert all(d.weekday() < 5 for d in common)
    assert datetime.date(2026, 12, 5) in calendar.available_dates(a)


def test_the_calendar_reads_closed_dates_in_one_query(django_assert_num_queries):
    warehouses = [f.warehouse() for _ in range(3)]
    with django_assert_num_queries(1):
        calendar = stock.ShippingCalendar(warehouses, now=MORNING)
        for w in warehouses:
            calendar.available_dates(w)
