"""The per-session state of an exchange, kept in ``ExchangeSession.state`` (a JSON column).

The state lives in the database, not in memory or the Django session, so an ``import`` answered by
another web worker, or a task run by a restarted django-q cluster, sees the same facts::

    {
      "run": "20260127-183000-9f2c…",           # run folder (see folders.py)
      "timestamp": 1769527800,                  # sent in checkauth, echoed by 1C in deactivate
      "uploaded": {"import.xml": 1048576},      # bytes written per name in this session
      "zips": {"v8_1A76.zip": "pending"},       # archives waiting to be unpacked / "extracted"
      "zip_members": {"v8_1A76.zip": ["documents.xml"]},  # what each unpacked archive held
      "imports": {"import.xml": {"status": "success", "run": 12, "queued_at": 1769527900.0,
                                 "started_at": …, "finished_at": …, "error": ""}}
    }

Every change goes through :func:`update_state`, which re-reads the row under ``select_for_update``
so that concurrent requests and the import task never overwrite each other's keys.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any, TypeVar

from django.db import transaction

from b2b_cabinet.models import ExchangeSession

T = TypeVar("T")

QUEUED = "queued"
RUNNING = "running"
SUCCESS = "success"
FAILED = "failed"
#: Import statuses after which 1C gets a final answer and the task never runs again.
FINISHED = frozenset({SUCCESS, FAILED})
ACTIVE = frozenset({QUEUED, RUNNING})


def update_state(session_id: int, change: Callable[[dict[str, Any]], T]) -> T:
    """Apply ``change(state)`` to the session's state under a row lock; return what it returns.

    ``select_for_update`` serialises writers on PostgreSQL; on SQLite the example settings open
    transactions with ``BEGIN IMMEDIATE``, which takes the write lock up front to the same effect.
    """
    with transaction.atomic():
        session = ExchangeSession.objects.select_for_update().get(pk=session_id)
        state = session.state if isinstance(session.state, dict) else {}
        result = change(state)
        session.state = state
        session.save(update_fields=["state"])
    return result


def import_entry(state: dict[str, Any], filename: str) -> dict[str, Any] | None:
    """The import bookkeeping of ``filename`` in ``state``, or None if never started."""
    return (state.get("imports") or {}).get(filename)


def set_import_entry(session_id: int, filename: str, **values: Any) -> dict[str, Any]:
    """Merge ``values`` into the import entry of ``filename`` and return the entry."""

    def change(state: dict[str, Any]) -> dict[str, Any]:
        entry = state.setdefault("imports", {}).setdefault(filename, {})
        entry.update(values)
        return dict(entry)

    return update_state(session_id, change)


def busy_runs(sessions: list[ExchangeSession]) -> set[str]:
    """Run folders in which an import is queued or running: their files must not be deleted."""
    busy = set()
    for session in sessions:
        state = session.state if isinstance(session.state, dict) else {}
        imports = state.get("imports") or {}
        if state.get("run") and any(entry.get("status") in ACTIVE for entry in imports.values()):
            busy.add(state["run"])
    return busy


def progress_cache_key(session_id: int, filename: str) -> str:
    """Cache key of the latest progress message of an exchange import (written by the task).

    Progress goes through the cache, not this JSON column: the import runs in one transaction, so
    rows it writes stay invisible to the polling view until it ends.
    """
    digest = hashlib.sha256(filename.encode()).hexdigest()[:16]
    return f"b2b_cabinet:exchange-progress:{session_id}:{digest}"
