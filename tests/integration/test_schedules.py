"""Scheduled tasks of the 1C sync: schedules, the drop folder, the cleanup, and the Redis broker."""

from __future__ import annotations

import functools
import os
import time
import uuid
from datetime import timedelta
from io import StringIO
from multiprocessing import Queue, Value
from pathlib import Path
from unittest import mock

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.utils import timezone
from django_q.models import Schedule, Task

from b2b_cabinet.models import ExchangeNode, ExchangeSession, ImportRun, Product
from b2b_cabinet.sync import tasks
from b2b_cabinet.sync.exchange import folders
from tests.onec_client import OneCClient, import_xml, make_zip, offers_xml

SCHEDULE_FIELDS = ("pk", "name", "func", "schedule_type", "minutes", "repeats", "next_run", "args", "kwargs")


@pytest.fixture(autouse=True)
def dirs(settings, tmp_path):
    """Private exchange and drop folders (the drop folder is switched off unless a test sets it)."""
    cache.clear()
    settings.B2B_CABINET = {**settings.B2B_CABINET, "EXCHANGE_DIR": str(tmp_path / "exchange"), "DROP_FOLDER": ""}
    return tmp_path


def use_drop_folder(settings, path: Path, **extra) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    settings.B2B_CABINET = {**settings.B2B_CABINET, "DROP_FOLDER": str(path), **extra}
    return path


def age(path: Path, seconds: float) -> None:
    """Make ``path`` and everything in it look ``seconds`` old."""
    stamp = time.time() - seconds
    for item in [*path.rglob("*"), path] if path.is_dir() else [path]:
        os.utime(item, (stamp, stamp))


def schedule_rows() -> list[tuple]:
    return list(Schedule.objects.order_by("name").values_list(*SCHEDULE_FIELDS))


# -- ensure_schedules -------------------------------------------------------------------------


def test_ensure_schedules_twice_gives_the_same_rows(db, settings, tmp_path):
    # Given a drop folder
    use_drop_folder(settings, tmp_path / "drop", DROP_FOLDER_MINUTES=5)

    # When the schedules are ensured twice
    tasks.ensure_schedules()
    first = schedule_rows()
    tasks.ensure_schedules()

    # Then the rows are exactly the same: one drop-folder import every 5 minutes, one daily cleanup
    assert schedule_rows() == first
    by_name = {row[1]: row for row in first}
    assert set(by_name) == {"b2b_cabinet.import_drop_folder", "b2b_cabinet.cleanup_exchange_files",
                            "b2b_cabinet.notification_sweep"}
    assert by_name["b2b_cabinet.notification_sweep"][3:5] == (Schedule.MINUTES, 1)
    assert by_name["b2b_cabinet.import_drop_folder"][3:5] == (Schedule.MINUTES, 5)
    assert by_name["b2b_cabinet.cleanup_exchange_files"][3] == Schedule.DAILY


def test_ensure_schedules_follows_the_settings_in_place(db, settings, tmp_path):
    # Given schedules made with a drop folder scanned every 15 minutes, and a duplicate made by hand
    use_drop_folder(settings, tmp_path / "drop", DROP_FOLDER_MINUTES=15)
    drop_schedule = next(s for s in tasks.ensure_schedules() if s.name == tasks.DROP_FOLDER_SCHEDULE)
    Schedule.objects.create(name=tasks.CLEANUP_SCHEDULE, func="b2b_cabinet.sync.tasks.cleanup_exchange_files")

    # When the interval changes, then the same row is updated and the duplicate is gone
    settings.B2B_CABINET = {**settings.B2B_CABINET, "DROP_FOLDER_MINUTES": 30}
    tasks.ensure_schedules()
    assert Schedule.objects.get(name=tasks.DROP_FOLDER_SCHEDULE).pk == drop_schedule.pk
    assert Schedule.objects.get(name=tasks.DROP_FOLDER_SCHEDULE).minutes == 30
    assert Schedule.objects.filter(name=tasks.CLEANUP_SCHEDULE).count() == 1

    # When the drop folder is switched off, then its schedule is removed
    settings.B2B_CABINET = {**settings.B2B_CABINET, "DROP_FOLDER": ""}
    tasks.ensure_schedules()
    assert set(Schedule.objects.values_list("name", flat=True)) == {tasks.CLEANUP_SCHEDULE, tasks.NOTIFY_SCHEDULE}


def test_the_b2b_schedules_command_reports_the_schedules(db):
    # When an operator runs the command, then it lists what is scheduled
    out = StringIO()
    call_command("b2b_schedules", stdout=out)
    assert "b2b_cabinet.cleanup_exchange_files" in out.getvalue()
    assert Schedule.objects.count() == 2


# -- the drop folder --------------------------------------------------------------------------


def test_a_settled_package_folder_is_imported_and_moved_to_processed(db, settings, tmp_path):
    # Given a package folder copied into the drop folder a minute ago
    drop = use_drop_folder(settings, tmp_path / "drop")
    package = drop / "2026-01-27"
    package.mkdir()
    (package / "import.xml").write_bytes(import_xml())
    (package / "offers.xml").write_bytes(offers_xml())
    age(package, 60)

    # When the scheduled import runs
    results = tasks.import_drop_folder()

    # Then the catalogue is loaded and the package sits in processed/ under its run id
    run = ImportRun.objects.get(source="drop_folder")
    assert results == [{"package": "2026-01-27", "run": run.pk, "status": "success",
                        "moved_to": str(drop / "processed" / f"{run.pk}-2026-01-27")}]
    assert Product.objects.filter(external_id="prod-ns100").exists()
    assert (drop / "processed" / f"{run.pk}-2026-01-27" / "offers.xml").exists()
    assert not package.exists()


def test_loose_xml_files_and_a_zip_are_packages_too(db, settings, tmp_path):
    # Given a zip archive and, newer, loose XML files in the drop folder
    drop = use_drop_folder(settings, tmp_path / "drop")
    (drop / "catalog.zip").write_bytes(make_zip({"import.xml": import_xml(), "offers.xml": offers_xml()}))
    age(drop / "catalog.zip", 120)
    (drop / "offers.xml").write_bytes(offers_xml(price="999.00"))
    age(drop / "offers.xml", 60)

    # When the scheduled import runs
    results = tasks.import_drop_folder()

    # Then both were imported oldest first, so the newer price wins
    assert [(r["package"], r["status"]) for r in results] == [("catalog.zip", "success"), ("files", "success")]
    assert str(Product.objects.get(external_id="prod-ns100").prices.get().value) == "999.0000"
    assert sorted(p.name.split("-", 1)[1] for p in (drop / "processed").iterdir()) == ["catalog.zip", "files"]


def test_a_package_still_being_written_waits_for_the_next_run(db, settings, tmp_path):
    # Given a package whose files changed a moment ago
    drop = use_drop_folder(settings, tmp_path / "drop")
    (drop / "import.xml").write_bytes(import_xml())

    # When the scheduled import runs, then it leaves the package alone
    assert tasks.import_drop_folder() == []
    assert (drop / "import.xml").exists() and not ImportRun.objects.exists()


def test_a_broken_package_goes_to_failed_with_a_failed_run(db, settings, tmp_path):
    # Given a "zip" that is not an archive
    drop = use_drop_folder(settings, tmp_path / "drop")
    (drop / "broken.zip").write_bytes(b"not a zip")
    age(drop / "broken.zip", 60)

    # When the scheduled import runs
    [result] = tasks.import_drop_folder()

    # Then a failed run explains it and the package is kept in failed/
    run = ImportRun.objects.get(pk=result["run"])
    assert run.status == "failed" and "not a zip archive" in run.error
    assert (drop / "failed" / f"{run.pk}-broken.zip" / "broken.zip").exists()


# -- cleanup ------------------------------------------------------------------------------------


def test_cleanup_deletes_old_run_folders_only_and_closes_stale_sessions(db, settings):
    # Given a node with an old run folder, an old one whose import is still queued, and a recent one
    settings.B2B_CABINET = {**settings.B2B_CABINET, "EXCHANGE_KEEP_DAYS": 7}
    node = ExchangeNode.objects.create(name="УТ", login="1c-ut")
    old, busy, recent = (folders.run_folder(node.pk, name) for name in ("20250101-old", "20250102-busy", "recent"))
    for folder in (old, busy, recent):
        (folder / "import_files").mkdir(parents=True)
        (folder / "import_files" / "x.jpg").write_bytes(b"x")
    age(old, 10 * 86400)
    age(busy, 10 * 86400)
    ExchangeSession.objects.create(node=node, kind="catalog",
                                   state={"run": busy.name, "imports": {"import.xml": {"status": "queued"}}})
    stale = ExchangeSession.objects.create(node=node, kind="catalog", last_seen_at=timezone.now() - timedelta(days=2))

    # When the daily cleanup runs
    result = tasks.cleanup_exchange_files()

    # Then only the idle, unused folder is gone and the stale session is closed
    assert not old.exists() and busy.exists() and recent.exists()
    assert result["removed"] == [str(old)]
    stale.refresh_from_db()
    assert stale.is_closed and result["closed_sessions"] == 1


# -- the Redis broker ------------------------------------------------------------------------------


def _work_off(broker) -> list[dict]:
    """Pull every task from ``broker`` and run it as a cluster worker would, in this process."""
    from django_q.monitor import monitor
    from django_q.signing import SignedPackage
    from django_q.worker import worker

    done = []
    while packages := broker.dequeue():
        for ack_id, payload in packages:
            task = SignedPackage.loads(payload)
            task["ack_id"] = ack_id
            task_queue, result_queue = Queue(), Queue()
            task_queue.put(task)
            task_queue.put("STOP")
            worker(task_queue, result_queue, Value("f", -1))
            result_queue.put("STOP")
            monitor(result_queue, broker)
            for q in (task_queue, result_queue):
                q.close()
                q.join_thread()
            done.append(task)
    return done


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="REDIS_URL is not set (CI sets it on the PostgreSQL run)")
def test_an_exchange_import_travels_through_the_redis_broker(db, client, monkeypatch):
    from django_q.brokers import redis_broker
    from django_q.conf import Conf
    from django_q.tasks import async_task

    # Given a Redis queue of our own, and the exchange view queueing there instead of running inline
    monkeypatch.setattr(Conf, "REDIS", os.environ["REDIS_URL"])
    monkeypatch.setattr(Conf, "DJANGO_REDIS", None)
    broker = redis_broker.Redis(list_key=f"b2b-test-{uuid.uuid4().hex}")
    assert broker.ping()
    queue_in_redis = functools.partial(async_task, broker=broker, sync=False)
    node = ExchangeNode(name="УТ", login="1c-ut")
    node.set_password("pw")
    node.save()
    one_c = OneCClient(client, "1c-ut", "pw")
    try:
        with mock.patch("b2b_cabinet.sync.exchange.catalog.async_task", queue_in_redis):
            one_c.checkauth()
            one_c.init()
            one_c.send_file("import.xml", import_xml())

            # When 1C asks for the import, the task waits in Redis and 1C keeps getting progress
            assert one_c.request("import", filename="import.xml").keyword == "progress"
            assert broker.queue_size() == 1
            assert one_c.request("import", filename="import.xml").keyword == "progress"

            # And a worker pulls it from Redis and runs it
            [task] = _work_off(broker)

            # Then the task was stored as a success and 1C's next poll gets success
            assert Task.objects.get(id=task["id"]).success
            assert one_c.request("import", filename="import.xml").text.startswith("success\nИмпорт import.xml")
        assert Product.objects.filter(external_id="prod-ns100").exists()
        assert broker.queue_size() == 0
    finally:
        broker.delete_queue()
