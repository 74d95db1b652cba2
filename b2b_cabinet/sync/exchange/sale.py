"""``type=sale``: orders to 1C and documents back (checkauth → init → query → success → file → import).

- ``init`` negotiates the schema version (``version=`` from newer 1C modules; the node's or the
  site's default otherwise) and, like 1C-Bitrix, answers ``sessid=`` and ``version=`` lines only
  when 1C sent a version. It answers ``zip=yes`` when ``EXCHANGE_ZIP`` allows archives.
- ``query`` answers the node's changed order parts as CommerceML in that version and encoding,
  and only *remembers* the watermark; ``success`` commits it. A query 1C never confirmed is
  therefore answered again, whole, next time (PROTOCOL §2.7).
- ``info`` answers the reference book of statuses and delivery services, as 1C-Bitrix does.
- ``file`` stores 1C's documents in the session's run folder (chunked, safe names; shared with
  the catalogue exchange). Without a version at ``init`` (the "old" protocol) 1C never calls
  ``import``, so ``file`` applies the documents at once (an archive once its last chunk is in);
  otherwise ``import`` does.
- ``import`` unpacks uploaded archives with the safe unpacker (path traversal, entry count and
  size limits, cp866 names), then applies the named documents file — or, named by the archive,
  every XML file in it — synchronously (10,000 status documents take a few seconds), and
  remembers the answer per file, so 1C repeating the request gets the same answer without a
  second application.
"""
from __future__ import annotations

import logging
import time
import zipfile
from datetime import datetime
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from b2b_cabinet.conf import b2b_settings
from b2b_cabinet.models import ExchangeNode, ExchangeSession
from b2b_cabinet.sync.errors import CommerceMLError
from b2b_cabinet.sync.orders_export import build_answer, commit_export, reference_answer
from b2b_cabinet.sync.orders_import import import_order_documents
from b2b_cabinet.sync.orders_xml import negotiate

from . import catalog, folders
from .auth import COOKIE_NAME, check_basic
from .files import ExchangeError, normalise_filename, resolve_inside
from .responses import answer, failure, success
from .state import FAILED, SUCCESS, import_entry, update_state

logger = logging.getLogger(__name__)
XML_CONTENT_TYPES = {"windows-1251": "application/xml; charset=windows-1251", "utf-8": "application/xml; charset=utf-8"}


def checkauth(request: HttpRequest) -> HttpResponse:
    """Basic credentials → an orders exchange session; answers cookie and sessid like 1C-Bitrix."""
    node = check_basic(request)
    if not node.exports_orders:
        return failure(f"Exchange node {node} does not exchange orders (see its settings in the admin).", status=403)
    session = ExchangeSession.objects.create(node=node, kind=ExchangeSession.Kind.SALE,
                                             state={"timestamp": int(time.time())})
    ExchangeNode.objects.filter(pk=node.pk).update(last_exchange_at=timezone.now())
    logger.info("1C exchange: node %s opened orders session %s", node.pk, session.pk)
    return answer("success", COOKIE_NAME, session.token, f"sessid={session.sessid}")


def _default_version(node: ExchangeNode) -> str:
    return negotiate(node.schema_version or b2b_settings.SALE_DEFAULT_SCHEMA)


def init(request: HttpRequest, session: ExchangeSession) -> HttpResponse:
    """``zip``/``file_limit``; with a requested ``version`` also ``sessid`` and the version we write."""
    requested = (request.GET.get("version") or "").strip()[:20]
    version = negotiate(requested, default=_default_version(session.node)) if requested \
        else _default_version(session.node)
    ExchangeSession.objects.filter(pk=session.pk).update(version=version)

    def remember(state: dict[str, Any]) -> None:
        state["protocol"] = "new" if requested else "old"
        state.pop("query", None)

    update_state(session.pk, remember)
    lines = [f"zip={'yes' if b2b_settings.EXCHANGE_ZIP else 'no'}", f"file_limit={b2b_settings.EXCHANGE_FILE_LIMIT}"]
    if requested:
        lines += [f"sessid={session.sessid}", f"version={version}"]
    return answer(*lines, final_newline=bool(requested))


def query(request: HttpRequest, session: ExchangeSession) -> HttpResponse:
    """The node's changed order parts; nothing is marked exported here."""
    node = session.node
    version = session.version or _default_version(node)
    encoding = (node.query_encoding or "windows-1251").lower()
    result = build_answer(node, version=version, encoding=encoding)

    def remember(state: dict[str, Any]) -> None:
        state["query"] = {"watermark": result.watermark.isoformat(), "parts": result.part_ids}

    update_state(session.pk, remember)
    logger.info("1C exchange session %s: query answered %d order parts (%s, %s)", session.pk,
                len(result.part_ids), version, encoding)
    response = HttpResponse(result.body, content_type=XML_CONTENT_TYPES.get(encoding, XML_CONTENT_TYPES["utf-8"]))
    response["Cache-Control"] = "no-store"
    return response


def confirm(request: HttpRequest, session: ExchangeSession) -> HttpResponse:
    """``success``: 1C stored the orders of the last query; move the node's watermark."""
    pending = update_state(session.pk, lambda state: state.pop("query", None))
    if not pending:
        return success("Нет неподтвержденной выгрузки заказов")
    stamped = commit_export(session.node, datetime.fromisoformat(pending["watermark"]), pending.get("parts") or [])
    logger.info("1C exchange session %s: node %s confirmed %d order parts", session.pk, session.node_id, stamped)
    return success(f"Выгрузка подтверждена: заказов {stamped}")


def info(request: HttpRequest, session: ExchangeSession) -> HttpResponse:
    """``info``: the site's statuses (with the ids ``query`` sends) and delivery services."""
    encoding = (session.node.query_encoding or "windows-1251").lower()
    response = HttpResponse(reference_answer(session.node, encoding=encoding),
                            content_type=XML_CONTENT_TYPES.get(encoding, XML_CONTENT_TYPES["utf-8"]))
    response["Cache-Control"] = "no-store"
    return response


def upload(request: HttpRequest, session: ExchangeSession) -> HttpResponse:
    """``file``: store the chunk; in the old protocol (no version at init) apply the file at once."""
    response = catalog.upload(request, session)
    session.refresh_from_db(fields=["state"])
    name = normalise_filename(request.GET.get("filename"))
    if (session.state or {}).get("protocol") == "new":
        return response
    if name.lower().endswith(".zip"):
        folder = folders.run_folder(session.node_id, catalog.run_of(session))
        # No "last chunk" marker exists: an archive is whole once its central directory (at the
        # very end) is readable; until then this was one chunk of several.
        if not zipfile.is_zipfile(resolve_inside(folder, name)):
            return response
        return _import_archive(session, name)
    return _import(session, name)


def import_file(request: HttpRequest, session: ExchangeSession) -> HttpResponse:
    """``import``: apply one uploaded documents file (or every one in a named archive) once."""
    name = normalise_filename(request.GET.get("filename"))
    if name.lower().endswith(".zip"):
        return _import_archive(session, name)
    catalog.extract_pending(session, folders.run_folder(session.node_id, catalog.run_of(session)))
    return _import(session, name)


def _import(session: ExchangeSession, name: str) -> HttpResponse:
    try:
        summary, warnings = _apply(session, name)
    except CommerceMLError as exc:
        return failure(str(exc))
    return success(summary, *warnings[:20])


def _import_archive(session: ExchangeSession, name: str) -> HttpResponse:
    """Unpack the archive (once) and apply each XML file in it, in the archive's order."""
    catalog.extract_pending(session, folders.run_folder(session.node_id, catalog.run_of(session)))
    state = session.state or {}
    if (state.get("zips") or {}).get(name) != "extracted":
        raise ExchangeError(f"Archive {name} was not uploaded in this exchange session; send it with mode=file first.")
    members = [m for m in (state.get("zip_members") or {}).get(name, []) if m.lower().endswith(".xml")]
    if not members:
        raise ExchangeError(f"Archive {name} contains no XML documents file.")
    summaries, warnings = [], []
    for member in members:
        try:
            summary, found = _apply(session, member)
        except CommerceMLError as exc:
            return failure("\n".join([*summaries, f"{member}: {exc}"]))
        summaries.append(summary)
        warnings += found
    return success(*summaries, *warnings[:20])


def _apply(session: ExchangeSession, name: str) -> tuple[str, list[str]]:
    """Apply one uploaded documents file unless this session already did; returns (summary, warnings).

    Raises :class:`CommerceMLError` (remembered as failed, so a repeat tries again) when the file
    is malformed; nothing of it is applied then.
    """
    session.refresh_from_db(fields=["state"])
    entry = import_entry(session.state or {}, name)
    if entry and entry.get("status") == SUCCESS:
        return entry.get("summary", ""), []
    folder = folders.run_folder(session.node_id, catalog.run_of(session))
    target = resolve_inside(folder, name)
    if not target.is_file():
        raise ExchangeError(f"File {name} was not uploaded in this exchange: send it with mode=file first.")
    try:
        result = import_order_documents(session.node, target)
    except CommerceMLError as exc:
        error = str(exc)
        update_state(session.pk, lambda state: state.setdefault("imports", {}).update(
            {name: {"status": FAILED, "error": error}}))
        raise
    summary = f"Документы {name} загружены: {result.summary()}"
    update_state(session.pk, lambda state: state.setdefault("imports", {}).update(
        {name: {"status": SUCCESS, "summary": summary, "warnings": result.warnings[:100]}}))
    return summary, result.warnings


def complete(request: HttpRequest, session: ExchangeSession) -> HttpResponse:
    """Newer modules end with ``complete``: close the session."""
    ExchangeSession.objects.filter(pk=session.pk).update(is_closed=True)
    return success()


HANDLERS = {"init": init, "query": query, "success": confirm, "info": info, "file": upload, "import": import_file,
            "complete": complete}
