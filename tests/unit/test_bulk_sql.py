"""bulk_sql writes what save() would write, on SQLite (executemany) and PostgreSQL (COPY, UPDATE … FROM unnest)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import DataError, connection, transaction
from django.utils import timezone

from b2b_cabinet import bulk_sql
from b2b_cabinet.models import OrderEvent, OrderPart, OrderStatus, OutboxEvent
from tests import factories as f

pytestmark = pytest.mark.django_db
AWKWARD = "1С-7 'кавычки' \"двойные\" {скобки}, запятая\\обратная\tтаб\nстрока"


@pytest.fixture
def parts(db):
    company = f.company("Альфа")
    return [f.order_with_part(company, lines=(("100.00", "1"),), number="A-000900")[1],
            f.order_with_part(company, lines=(("50.00", "2"),), number="A-000901")[1]]


def test_bulk_insert_writes_text_nulls_json_and_times_as_given(parts):
    part = parts[0]
    when = timezone.now() - timedelta(days=1)
    bulk_sql.bulk_insert(OrderEvent, [
        {"order": part.order_id, "part": part.pk, "created_at": when, "actor": None, "actor_repr": AWKWARD,
         "source": "1c", "from_status": "new", "to_status": OrderStatus.CONFIRMED, "note": ""},
        {"order": part.order_id, "part": None, "created_at": when, "actor": None, "actor_repr": "", "source": "1c",
         "from_status": "", "to_status": "confirmed", "note": AWKWARD},
    ])
    bulk_sql.bulk_insert(OutboxEvent, [{"key": "k:1", "event_type": "order.status_changed", "company": None,
                                        "order": part.order_id, "part": part.pk, "created_at": when,
                                        "dispatched_at": None, "payload": {"text": AWKWARD, "n": 1, "x": None}}])
    first, second = OrderEvent.objects.filter(order_id=part.order_id).order_by("pk")
    assert (first.actor_repr, first.to_status, first.part_id, first.created_at) == (AWKWARD, "confirmed", part.pk, when)
    assert (second.part_id, second.note) == (None, AWKWARD)
    event = OutboxEvent.objects.get(key="k:1")
    assert event.payload == {"text": AWKWARD, "n": 1, "x": None} and event.dispatched_at is None


def test_bulk_set_writes_each_rows_own_values_and_leaves_others_alone(parts):
    first, second = parts
    first.onec_number, first.onec_date, first.onec_posted, first.total = AWKWARD[:100], None, True, Decimal("12.35")
    second.onec_number, second.onec_date, second.onec_posted = "", timezone.now(), False
    untouched_status = second.status
    second.status = OrderStatus.CANCELLED  # in memory only: not among the fields written
    bulk_sql.bulk_set([first, second], ["onec_number", "onec_date", "onec_posted", "total"])
    a, b = OrderPart.objects.get(pk=first.pk), OrderPart.objects.get(pk=second.pk)
    assert (a.onec_number, a.onec_date, a.onec_posted, a.total) == (AWKWARD[:100], None, True, Decimal("12.35"))
    assert (b.onec_number, b.onec_date, b.onec_posted, b.status) == ("", second.onec_date, False, untouched_status)


def test_update_rows_of_many_chunks(parts, monkeypatch):
    monkeypatch.setattr(bulk_sql, "CHUNK", 1)
    bulk_sql.update_rows(OrderPart, ["onec_number"], [(parts[0].pk, "N-1"), (parts[1].pk, "N-2")])
    assert list(OrderPart.objects.order_by("pk").values_list("onec_number", flat=True)) == ["N-1", "N-2"]


def test_an_over_long_value_is_refused_not_truncated_on_postgresql(parts):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite does not enforce varchar lengths")
    with pytest.raises(DataError), transaction.atomic():
        bulk_sql.update_rows(OrderPart, ["onec_number"], [(parts[0].pk, "x" * 101)])
    assert OrderPart.objects.get(pk=parts[0].pk).onec_number == ""


def test_the_sqlite_writer_runs_a_statement_per_thousand_keys_over_any_number_of_keys():
    import sqlite3

    from b2b_cabinet.sync.loaders.sqlite import MAX_PARAMETERS, SQLiteWriter

    writer = SQLiteWriter.__new__(SQLiteWriter)  # only the raw connection is needed here
    writer.raw = sqlite3.connect(":memory:")
    writer.raw.execute("CREATE TABLE t (k INTEGER PRIMARY KEY, run INTEGER, v INTEGER)")
    writer.raw.executemany("INSERT INTO t VALUES (?, ?, 1)", [(k, k % 2) for k in range(5000)])
    statements = []
    writer.raw.set_trace_callback(statements.append)
    keys = list(range(0, 5000, 2)) + list(range(1, 2 * MAX_PARAMETERS + 10, 2))  # 3,004 keys
    writer._each_in("UPDATE t SET v = 0 WHERE run <> ? AND k IN", keys, (1,))
    assert len(statements) == 4  # 998 keys and the one parameter fill each statement
    zeroed = {k for (k,) in writer.raw.execute("SELECT k FROM t WHERE v = 0")}
    assert zeroed == set(range(0, 5000, 2))  # the odd keys are in run 1: left alone
