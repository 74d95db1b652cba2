"""Exchange folders: ``EXCHANGE_DIR/<node id>/<run folder>/``, one run folder per exchange run.

An *exchange run* is not an HTTP session: 1C may redo ``checkauth`` + ``init`` before every file
(PROTOCOL §5 pitfall 6), so wiping the folder on ``init`` as 1C-Bitrix does would delete files the
same run still needs. Instead a node keeps using its newest run folder until that run is finished
(``complete`` or ``deactivate`` leaves a marker file) or has been idle for ``EXCHANGE_KEEP_DAYS``;
then ``init`` opens a fresh folder and deletes the finished ones.

Uploaded price lists must never be downloadable: the default EXCHANGE_DIR is a sibling of MEDIA_ROOT
(not inside it), the system check b2b_cabinet.W002 warns when a configured one lies under MEDIA_ROOT
or STATIC_ROOT, and run folder names carry a random part as a second line of defence.
"""

from __future__ import annotations

import logging
import secrets
import shutil
import time
from collections.abc import Iterable
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from b2b_cabinet.conf import b2b_settings

logger = logging.getLogger(__name__)

#: Written into a run folder by ``complete``/``deactivate``; the leading dot keeps it out of reach
#: of ``mode=file`` (hidden names are refused there).
FINISHED_MARKER = ".finished"


def exchange_root() -> Path:
    """``B2B_CABINET["EXCHANGE_DIR"]``, or ``b2b_exchange`` beside MEDIA_ROOT when that is empty."""
    configured = b2b_settings.EXCHANGE_DIR
    return Path(configured) if configured else Path(settings.MEDIA_ROOT).resolve().parent / "b2b_exchange"


def node_folder(node_id: int) -> Path:
    """The folder holding the run folders of one exchange node."""
    return exchange_root() / str(node_id)


def run_folder(node_id: int, run: str) -> Path:
    """The folder of run ``run`` of node ``node_id`` (not created)."""
    return node_folder(node_id) / run


def keep_for() -> timedelta:
    """How long an idle run folder is kept (``EXCHANGE_KEEP_DAYS``)."""
    return timedelta(days=b2b_settings.EXCHANGE_KEEP_DAYS)


def last_activity(folder: Path) -> float:
    """The newest modification time (epoch seconds) of ``folder`` and anything in it."""
    newest = folder.stat().st_mtime
    for path in folder.rglob("*"):
        try:
            newest = max(newest, path.lstat().st_mtime)
        except FileNotFoundError:  # deleted while we walk: irrelevant for the answer
            continue
    return newest


def is_finished(folder: Path) -> bool:
    """Whether the run that used ``folder`` was completed."""
    return (folder / FINISHED_MARKER).exists()


def is_expired(folder: Path, now: float | None = None) -> bool:
    """Whether ``folder`` has been idle longer than ``EXCHANGE_KEEP_DAYS``."""
    now = time.time() if now is None else now
    return now - last_activity(folder) > keep_for().total_seconds()


def mark_finished(node_id: int, run: str) -> None:
    """Record that the run is over, so the next ``init`` starts a fresh folder."""
    folder = run_folder(node_id, run)
    if folder.is_dir():
        (folder / FINISHED_MARKER).touch()


def run_folders(node_id: int) -> list[Path]:
    """The node's run folders, oldest first (names start with a sortable timestamp)."""
    base = node_folder(node_id)
    if not base.is_dir():
        return []
    return sorted(path for path in base.iterdir() if path.is_dir() and not path.name.startswith("."))


def current_run(node_id: int) -> str:
    """The run folder a new session of the node should use, created if needed.

    The newest folder is reused while its run is neither finished nor expired; otherwise a new
    one named ``<YYYYmmdd-HHMMSS>-<random>`` is made.
    """
    folders = run_folders(node_id)
    if folders and not is_finished(folders[-1]) and not is_expired(folders[-1]):
        return folders[-1].name
    name = f"{timezone.now():%Y%m%d-%H%M%S}-{secrets.token_hex(8)}"
    run_folder(node_id, name).mkdir(parents=True)
    return name


def remove_finished_runs(node_id: int, *, keep: Iterable[str]) -> list[str]:
    """Delete the node's finished or expired run folders except ``keep``; return their names.

    ``keep`` holds the current run and any run whose import task may still be reading files.
    """
    keep = set(keep)
    removed = []
    for folder in run_folders(node_id):
        if folder.name in keep or not (is_finished(folder) or is_expired(folder)):
            continue
        shutil.rmtree(folder, ignore_errors=True)
        removed.append(folder.name)
    if removed:
        logger.info("1C exchange node %s: removed old run folders %s", node_id, ", ".join(removed))
    return removed


def remove_expired_runs(*, keep: Iterable[tuple[int, str]] = ()) -> list[Path]:
    """Delete every node's run folders idle longer than ``EXCHANGE_KEEP_DAYS`` (the daily cleanup)."""
    root = exchange_root()
    if not root.is_dir():
        return []
    keep = {(str(node_id), run) for node_id, run in keep}
    removed = []
    now = time.time()
    for node_dir in sorted(path for path in root.iterdir() if path.is_dir()):
        for folder in sorted(path for path in node_dir.iterdir() if path.is_dir()):
            if (node_dir.name, folder.name) in keep or not is_expired(folder, now):
                continue
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    return removed
