"""django-q2 task entry points of the 1C sync, and the schedules that run them.

Tasks are thin: they find their inputs, call the import pipeline, and record the outcome where
the caller looks for it. Each is idempotent, because django-q2 delivers a task again when it
outlives ``retry`` (and the exchange view may be asked twice).

- ``run_exchange_import(session_id, filename)``: one file of an HTTP exchange (queued by ``mode=import``).
- ``import_drop_folder()``: packages dropped into ``B2B_CABINET["DROP_FOLDER"]`` (scheduled).
- ``cleanup_exchange_files()``: old run folders and stale sessions (scheduled daily).
- ``ensure_schedules()``: creates/updates the two schedules; run by ``manage.py b2b_schedules``.
"""

from __future__ import annotations

import logging
import time
from datetime import datetime, timedelta
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from b2b_cabinet.conf import b2b_settings
from b2b_cabinet.models import ExchangeSession, ImportRun
from b2b_cabinet.sync.exchange import dropfolder, folders
from b2b_cabinet.sync.exchange.auth import SESSION_IDLE
from b2b_cabinet.sync.exchange.files import resolve_inside
from b2b_cabinet.sync.exchange.state import (
    FAILED,
    FINISHED,
    RUNNING,
    SUCCESS,
    busy_runs,
    progress_cache_key,
    update_state,
)

logger = logging.getLogger(__name__)

DROP_FOLDER_SCHEDULE = "b2b_cabinet.import_drop_folder"
CLEANUP_SCHEDULE = "b2b_cabinet.cleanup_exchange_files"
#: Every minute: dispatch notification events whose task was lost, retry failed deliveries.
NOTIFY_SCHEDULE = "b2b_cabinet.notification_sweep"
#: Local time of day the daily cleanup runs (a quiet hour for most Russian B2B portals).
CLEANUP_HOUR = 3
PROGRESS_EVERY = 2.0  # seconds between progress messages stored for 1C


class _ProgressNote:
    """The ``progress`` callback handed to the pipeline: keeps the latest message in the cache.

    Not in the database: the pipeline runs in one transaction, so a row written from inside it
    would stay invisible to the polling view until the end, and on PostgreSQL would lock the
    session row the view updates. The signature is open because only the message matters.
    """

    def __init__(self, session_id: int, filename: str):
        self.key = progress_cache_key(session_id, filename)
        self.filename = filename
        self.last = 0.0

    def __call__(self, *args: Any, **kwargs: Any) -> None:
        now = time.monotonic()
        if now - self.last < PROGRESS_EVERY:
            return
        self.last = now
        if len(args) == 2 and all(isinstance(arg, int) for arg in args) and args[1] > 0:
            # The pipeline reports (bytes done, bytes in total).
            text = f"Импорт {self.filename}: обработано {min(100, args[0] * 100 // args[1])}%"
        else:
            text = kwargs.get("message") or " ".join(str(arg) for arg in args if arg is not None)
        if text:
            cache.set(self.key, str(text)[:500], 3600)


def run_exchange_import(session_id: int, filename: str) -> int | None:
    """Import ``filename`` of exchange session ``session_id``; return the ImportRun id.

    Does nothing (returns the earlier run's id) when that file already has a finished import in
    the session. Never raises for bad input: a failure is stored in the session state, where the
    exchange view turns it into ``failure\\n<error>`` for 1C.
    """
    session = ExchangeSession.objects.select_related("node").filter(pk=session_id).first()
    if session is None:
        logger.warning("run_exchange_import: exchange session %s no longer exists", session_id)
        return None

    def begin(state: dict[str, Any]) -> tuple[bool, Any, str | None]:
        entry = state.setdefault("imports", {}).setdefault(filename, {"queued_at": time.time()})
        if entry.get("status") in FINISHED:
            return False, entry.get("run"), state.get("run")
        entry.update(status=RUNNING, started_at=time.time())
        return True, None, state.get("run")

    go, earlier_run, run_name = update_state(session_id, begin)
    if not go:
        return earlier_run
    try:
        if not run_name:
            raise FileNotFoundError("the session has no exchange folder")
        path = resolve_inside(folders.run_folder(session.node_id, run_name), filename)
        from b2b_cabinet.sync.pipeline import import_files  # the pipeline is heavy; import when used

        run = import_files(
            [path], source=ImportRun.Source.EXCHANGE, node=session.node, session=session,
            progress=_ProgressNote(session_id, filename),
        )
    except Exception as exc:  # a bug or a broken deployment, not bad input: tell 1C, keep details in the log
        logger.exception("1C exchange session %s: import of %s crashed", session_id, filename)
        _finish_entry(session_id, filename, status=FAILED, run=None,
                      error=f"Internal error while importing {filename}: {exc}. The site administrator "
                            "will find the details in the server log.")
        return None
    ok = run.status in (ImportRun.Status.SUCCESS, ImportRun.Status.DRY_RUN)
    error = "" if ok else (run.error or f"The import of {filename} failed (import run {run.pk}).")
    _finish_entry(session_id, filename, status=SUCCESS if ok else FAILED, run=run.pk, error=error)
    return run.pk


def _finish_entry(session_id: int, filename: str, **values: Any) -> None:
    def finish(state: dict[str, Any]) -> None:
        state.setdefault("imports", {}).setdefault(filename, {}).update(values, finished_at=time.time())

    update_state(session_id, finish)
    cache.delete(progress_cache_key(session_id, filename))


def import_drop_folder() -> list[dict[str, Any]]:
    """Import every complete package in ``DROP_FOLDER``; return one summary per package.

    A package is a sub-folder, a zip archive, or the loose XML files at the top. Packages are
    imported oldest first (an older price list must not overwrite a newer one); one still being
    written (changed in the last 30 s) waits for the next run. See :mod:`~b2b_cabinet.sync.exchange.dropfolder`.
    """
    if not b2b_settings.DROP_FOLDER:
        return []
    return dropfolder.import_all(dropfolder.drop_root())


def cleanup_exchange_files() -> dict[str, Any]:
    """Close stale exchange sessions and delete run folders idle longer than ``EXCHANGE_KEEP_DAYS``.

    Folders of runs with a queued or running import are kept whatever their age.
    """
    now = timezone.now()
    closed = ExchangeSession.objects.filter(is_closed=False, last_seen_at__lt=now - SESSION_IDLE).update(
        is_closed=True
    )
    keep = set()
    recent = ExchangeSession.objects.filter(last_seen_at__gte=now - folders.keep_for())
    for session in recent:
        keep.update((session.node_id, run) for run in busy_runs([session]))
    removed = folders.remove_expired_runs(keep=keep)
    removed += dropfolder.remove_old_processed()
    logger.info("1C exchange cleanup: closed %d sessions, removed %d folders", closed, len(removed))
    return {"closed_sessions": closed, "removed": [str(path) for path in removed]}


def _schedules_wanted() -> dict[str, dict[str, Any]]:
    from django_q.models import Schedule

    wanted = {
        CLEANUP_SCHEDULE: {
            "func": "b2b_cabinet.sync.tasks.cleanup_exchange_files",
            "schedule_type": Schedule.DAILY, "minutes": None, "repeats": -1,
        },
        NOTIFY_SCHEDULE: {
            "func": "b2b_cabinet.notifications.delivery.sweep",
            "schedule_type": Schedule.MINUTES, "minutes": 1, "repeats": -1,
        },
    }
    if b2b_settings.DROP_FOLDER:
        wanted[DROP_FOLDER_SCHEDULE] = {
            "func": "b2b_cabinet.sync.tasks.import_drop_folder",
            "schedule_type": Schedule.MINUTES, "minutes": b2b_settings.DROP_FOLDER_MINUTES, "repeats": -1,
        }
    return wanted


def _first_run(name: str) -> datetime:
    now = timezone.localtime()
    if name != CLEANUP_SCHEDULE:
        return now
    first = now.replace(hour=CLEANUP_HOUR, minute=0, second=0, microsecond=0)
    return first if first > now else first + timedelta(days=1)


def ensure_schedules() -> list:
    """Create or update exactly one django-q2 ``Schedule`` per task, by name; return them.

    ``b2b_cabinet.import_drop_folder`` runs every ``DROP_FOLDER_MINUTES`` and exists only while
    ``DROP_FOLDER`` is set; ``b2b_cabinet.cleanup_exchange_files`` runs daily at 03:00;
    ``b2b_cabinet.notification_sweep`` every minute (lost notification events, due retries). Calling
    this again changes nothing (``next_run`` is only set on creation, so it does not postpone
    a due run), and duplicates made by hand in the admin are removed.
    """
    from django_q.models import Schedule

    wanted = _schedules_wanted()
    result = []
    with transaction.atomic():
        Schedule.objects.filter(name__in=[DROP_FOLDER_SCHEDULE, CLEANUP_SCHEDULE, NOTIFY_SCHEDULE]).exclude(
            name__in=list(wanted)
        ).delete()
        for name, fields in wanted.items():
            rows = list(Schedule.objects.filter(name=name).order_by("pk"))
            for extra in rows[1:]:
                extra.delete()
            if rows:
                schedule = rows[0]
                changed = [key for key, value in fields.items() if getattr(schedule, key) != value]
                if changed:
                    for key in changed:
                        setattr(schedule, key, fields[key])
                    schedule.save(update_fields=changed)
            else:
                schedule = Schedule.objects.create(name=name, next_run=_first_run(name), **fields)
            result.append(schedule)
    return result


__all__ = [
    "cleanup_exchange_files",
    "ensure_schedules",
    "import_drop_folder",
    "run_exchange_import",
]
