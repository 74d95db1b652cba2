"""``type=catalog``: 1C sends the catalogue, prices and stock (checkauth → init → file → import → complete).

Imports run as django-q2 tasks: ``import`` starts the task and answers ``progress``; 1C repeats the
identical request and gets ``progress`` until the task's :class:`ImportRun` has finished, then
``success`` or ``failure`` (PROTOCOL §2.5, §5 pitfall 4). Nothing answers ``success`` before the
data is committed.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django_q.conf import Conf
from django_q.tasks import async_task

from b2b_cabinet.conf import b2b_settings
from b2b_cabinet.models import ExchangeNode, ExchangeSession, ImportRun

from . import folders
from .archive import safe_extract
from .auth import COOKIE_NAME, check_basic
from .files import ExchangeError, append_stream, normalise_filename, resolve_inside
from .responses import answer, failure, progress, success
from .state import ACTIVE, FAILED, QUEUED, SUCCESS, busy_runs, import_entry, progress_cache_key, update_state

logger = logging.getLogger(__name__)

TASK = "b2b_cabinet.sync.tasks.run_exchange_import"
TASK_GROUP = "b2b_exchange_import"


def checkauth(request: HttpRequest) -> HttpResponse:
    """Check Basic credentials, open an exchange session and hand 1C its cookie and sessid."""
    node = check_basic(request)
    if not node.imports_catalog:
        return failure(f"Exchange node {node} does not import the catalogue (see its settings in the admin).",
                       status=403)
    timestamp = int(time.time())
    session = ExchangeSession.objects.create(
        node=node, kind=ExchangeSession.Kind.CATALOG, state={"timestamp": timestamp}
    )
    ExchangeNode.objects.filter(pk=node.pk).update(last_exchange_at=timezone.now())
    logger.info("1C exchange: node %s opened catalogue session %s", node.pk, session.pk)
    # Exactly the 1C-Bitrix shape: keyword, cookie name, cookie value, sessid=…, timestamp=….
    return answer("success", COOKIE_NAME, session.token, f"sessid={session.sessid}", f"timestamp={timestamp}")


def init(request: HttpRequest, session: ExchangeSession) -> HttpResponse:
    """Pick the run folder, drop finished runs' files, and tell 1C about zip and file_limit."""
    node_id = session.node_id
    run = run_of(session)
    recent = ExchangeSession.objects.filter(node_id=node_id, last_seen_at__gte=timezone.now() - folders.keep_for())
    folders.remove_finished_runs(node_id, keep=busy_runs(list(recent)) | {run})
    version = request.GET.get("version", "")[:20]
    if version:
        ExchangeSession.objects.filter(pk=session.pk).update(version=version)
    use_zip = "yes" if b2b_settings.EXCHANGE_ZIP else "no"
    # 1C-Bitrix prints no newline after file_limit; some 1C releases parse the number up to the end.
    return answer(f"zip={use_zip}", f"file_limit={b2b_settings.EXCHANGE_FILE_LIMIT}", final_newline=False)


def upload(request: HttpRequest, session: ExchangeSession) -> HttpResponse:
    """``mode=file``: append the raw body to ``filename`` inside the run folder."""
    if request.method != "POST":
        raise ExchangeError("mode=file expects the file in the body of a POST request.")
    name = normalise_filename(request.GET.get("filename"))
    folder = folders.run_folder(session.node_id, run_of(session))
    target = resolve_inside(folder, name)
    # The first chunk of a name in this session replaces an older file of that name (left by an
    # earlier session of the same run); later chunks of this session are appended.
    first = name not in ((session.state or {}).get("uploaded") or {})
    declared = request.META.get("CONTENT_LENGTH")
    written = append_stream(
        request, target, limit=b2b_settings.EXCHANGE_FILE_LIMIT,
        declared=int(declared) if str(declared or "").isdigit() else None, truncate=first,
    )

    def remember(state: dict[str, Any]) -> None:
        uploaded = state.setdefault("uploaded", {})
        uploaded[name] = (0 if first else uploaded.get(name, 0)) + written
        if name.lower().endswith(".zip"):
            state.setdefault("zips", {})[name] = "pending"
        entry = import_entry(state, name)
        if first and entry and entry.get("status") not in ACTIVE:
            del state["imports"][name]  # new content: a new import may run

    update_state(session.pk, remember)
    return success()


def import_file(request: HttpRequest, session: ExchangeSession) -> HttpResponse:
    """``mode=import``: unpack pending archives, start the import task once, then report on it."""
    name = normalise_filename(request.GET.get("filename"))
    folder = folders.run_folder(session.node_id, run_of(session))
    extracted = extract_pending(session, folder)
    if name.lower().endswith(".zip"):
        if name in extracted or ((session.state or {}).get("zips") or {}).get(name) == "extracted":
            return success(f"Архив {name} распакован")
        raise ExchangeError(f"Archive {name} was not uploaded in this exchange session; send it with mode=file first.")

    entry = import_entry(session.state or {}, name)
    if entry is None:
        target = resolve_inside(folder, name)
        if not target.is_file():
            raise ExchangeError(
                f"File {name} was not uploaded in this exchange: send it with mode=file (or inside the zip "
                "archive) before mode=import."
            )
        if not name.lower().endswith(".xml"):
            raise ExchangeError(f"{name} is not an XML file; only CommerceML XML files can be imported.")
        entry, started = update_state(session.pk, lambda state: _claim(state, name))
        if started:
            return _start(session, name)
    return _report(session, name, entry)


def deactivate(request: HttpRequest, session: ExchangeSession) -> HttpResponse:
    """``mode=deactivate&timestamp=…``: nothing left to do, and the run is over.

    The import pipeline already deactivated, inside the import of each *full* file
    (``СодержитТолькоИзменения="false"``), the products and offers that upload omitted; partial
    uploads deactivate nothing. So this only records that the run is over.
    """
    _finish_run(session)
    return success("Товары, не попавшие в полную выгрузку, деактивированы при импорте")


def complete(request: HttpRequest, session: ExchangeSession) -> HttpResponse:
    """``mode=complete``: close the session and mark its run folder finished."""
    _finish_run(session)
    ExchangeSession.objects.filter(pk=session.pk).update(is_closed=True)
    logger.info("1C exchange: node %s completed catalogue session %s", session.node_id, session.pk)
    return success()


HANDLERS = {"init": init, "file": upload, "import": import_file, "deactivate": deactivate, "complete": complete}


def run_of(session: ExchangeSession) -> str:
    """The session's run folder; assigned on first use (``init`` may be skipped by old 1C modules)."""
    run = (session.state or {}).get("run")
    if run and folders.run_folder(session.node_id, run).is_dir():
        return run
    run = folders.current_run(session.node_id)

    def assign(state: dict[str, Any]) -> None:
        state["run"] = run

    update_state(session.pk, assign)
    session.state = {**(session.state or {}), "run": run}
    return run


def _finish_run(session: ExchangeSession) -> None:
    run = (session.state or {}).get("run")
    if run:
        folders.mark_finished(session.node_id, run)


def extract_pending(session: ExchangeSession, folder) -> list[str]:
    """Unpack the archives this session uploaded and has not unpacked yet (1C-Bitrix does it lazily too)."""
    pending = [name for name, status in ((session.state or {}).get("zips") or {}).items() if status == "pending"]
    done = []
    for name in pending:
        archive = resolve_inside(folder, name)
        if not archive.is_file():
            raise ExchangeError(f"Archive {name} is missing from the exchange folder; upload it again.")
        members = safe_extract(
            archive, folder,
            max_entries=b2b_settings.EXCHANGE_MAX_ZIP_ENTRIES, max_bytes=b2b_settings.EXCHANGE_MAX_UNZIPPED_BYTES,
        )
        archive.unlink()  # its contents are on disk now; keeping both doubles the disk use
        logger.info("1C exchange session %s: unpacked %s (%d files)", session.pk, name, len(members))

        def note(state: dict[str, Any], name=name, members=members) -> None:
            state.setdefault("zips", {})[name] = "extracted"
            state.setdefault("zip_members", {})[name] = members  # what import of the archive's name applies
            imports = state.get("imports") or {}
            for member in members:  # a second archive in one session brings new content: import it again
                if member in imports and imports[member].get("status") not in ACTIVE:
                    del imports[member]

        update_state(session.pk, note)
        done.append(name)
    if done:
        session.refresh_from_db(fields=["state"])
    return done


def _claim(state: dict[str, Any], name: str) -> tuple[dict[str, Any], bool]:
    """Create the import entry unless one exists: of two identical concurrent calls only one starts a task."""
    entry = import_entry(state, name)
    if entry is not None:
        return dict(entry), False
    entry = {"status": QUEUED, "run": None, "queued_at": time.time(), "error": ""}
    state.setdefault("imports", {})[name] = entry
    return dict(entry), True


def _start(session: ExchangeSession, name: str) -> HttpResponse:
    # Queued after the state row is committed (update_state's transaction has ended), so the task
    # always finds its entry. With Q_CLUSTER sync=True (tests) the import runs right here.
    try:
        async_task(
            TASK, session.pk, name,
            task_name=f"1C import {name} (session {session.pk})"[:100], group=TASK_GROUP,
        )
    except Exception as exc:
        logger.exception("1C exchange session %s: could not queue the import of %s", session.pk, name)

        def forget(state: dict[str, Any]) -> None:
            (state.get("imports") or {}).pop(name, None)

        update_state(session.pk, forget)
        return failure(f"Could not queue the import of {name} ({exc}). Check the task queue (django-q2 broker).")
    return progress(f"Импорт {name} запущен")


def _report(session: ExchangeSession, name: str, entry: dict[str, Any]) -> HttpResponse:
    status = entry.get("status")
    if status in ACTIVE:
        # A task killed by the cluster's timeout (or a cluster that is not running) would leave
        # 1C polling forever; after twice the task timeout the answer becomes a failure.
        limit = 2 * (Conf.TIMEOUT or 1800)
        if time.time() - float(entry.get("queued_at") or 0) > limit:
            return failure(
                f"The import of {name} has not finished within {limit // 60} minutes. Check that the task "
                "cluster (manage.py qcluster) is running and look at its log, then run the exchange again."
            )
        note = cache.get(progress_cache_key(session.pk, name))
        return progress(note or f"Импорт {name} выполняется")
    run = ImportRun.objects.filter(pk=entry.get("run")).first() if entry.get("run") else None
    if status == SUCCESS:
        counts = ""
        if run is not None:
            counts = (
                f": новых {run.created}, изменено {run.updated}, без изменений {run.unchanged}, "
                f"деактивировано {run.deactivated}, отклонено {run.rejected}"
            )
        return success(f"Импорт {name} завершен{counts}")
    if status == FAILED:
        return failure(entry.get("error") or (run.error if run else "") or f"The import of {name} failed.")
    return failure(f"The import of {name} is in an unknown state {status!r}; run the exchange again.")
