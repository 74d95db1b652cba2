"""The drop folder: CommerceML packages copied into ``B2B_CABINET["DROP_FOLDER"]`` (by 1C's "выгрузка в
каталог", an FTP/SMB share, or an administrator) and imported on a schedule.

A *package* is one of: a sub-folder (its XML files, pictures alongside), a ``.zip`` archive, or the
loose XML files at the top (with a top-level ``import_files/`` folder of pictures). A package is
claimed by renaming it into ``processing/`` — ``rename`` is atomic, so two overlapping scheduled runs
never import the same package — then moved to ``processed/<run id>-<name>`` or
``failed/<run id>-<name>``. A package that changed in the last ``SETTLE_SECONDS`` is probably still
being copied and waits for the next run.
"""

from __future__ import annotations

import logging
import os
import secrets
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.utils import timezone

from b2b_cabinet.conf import b2b_settings
from b2b_cabinet.models import ImportRun

from .archive import safe_extract
from .files import ExchangeError
from .folders import keep_for, last_activity

logger = logging.getLogger(__name__)

PROCESSING = "processing"
PROCESSED = "processed"
FAILED = "failed"
PICTURES = "import_files"
#: Seconds a package must stay unchanged before it is considered completely copied.
SETTLE_SECONDS = 30
_RESERVED = {PROCESSING, PROCESSED, FAILED, PICTURES}


@dataclass
class Package:
    """A unit to import: ``items`` are the top-level paths that make it up."""

    name: str
    kind: str  # "folder" | "zip" | "files"
    items: list[Path] = field(default_factory=list)

    def changed_at(self) -> float:
        """Newest modification time of anything in the package."""
        return max(last_activity(item) if item.is_dir() else item.stat().st_mtime for item in self.items)


def drop_root() -> Path:
    """The configured drop folder."""
    return Path(b2b_settings.DROP_FOLDER)


def find_packages(root: Path) -> list[Package]:
    """The packages waiting in ``root``, oldest first."""
    packages, loose = [], []
    for entry in sorted(root.iterdir()):
        if entry.name.startswith(".") or entry.name in _RESERVED:
            continue
        if entry.is_dir():
            packages.append(Package(entry.name, "folder", [entry]))
        elif entry.suffix.lower() == ".zip":
            packages.append(Package(entry.name, "zip", [entry]))
        elif entry.suffix.lower() == ".xml":
            loose.append(entry)
    if loose:
        pictures = root / PICTURES
        packages.append(Package("files", "files", loose + ([pictures] if pictures.is_dir() else [])))
    return sorted(packages, key=Package.changed_at)


def import_all(root: Path) -> list[dict[str, Any]]:
    """Import every settled package in ``root``; return ``{"package", "run", "status"}`` per package."""
    if not root.is_dir():
        logger.warning("DROP_FOLDER %s does not exist or is not a folder", root)
        return []
    results = []
    for package in find_packages(root):
        if time.time() - package.changed_at() < SETTLE_SECONDS:
            logger.info("Drop folder: %s is still being written, next run will take it", package.name)
            continue
        outcome = import_package(root, package)
        if outcome is not None:
            results.append(outcome)
    return results


def import_package(root: Path, package: Package) -> dict[str, Any] | None:
    """Claim, import and file away one package; None when another run claimed it first."""
    work = _claim(root, package)
    if work is None:
        return None
    try:
        xml_files = _xml_files(work, package)
        from b2b_cabinet.sync.pipeline import import_files  # heavy; only when there is work

        run = import_files(xml_files, source=ImportRun.Source.DROP_FOLDER)
    except ExchangeError as exc:
        run = _failed_run(package, str(exc))
    except Exception as exc:  # keep the next packages going; the traceback goes to the log
        logger.exception("Drop folder: import of %s crashed", package.name)
        run = _failed_run(package, f"Internal error while importing {package.name}: {exc}. See the server log.")
    ok = run.status == ImportRun.Status.SUCCESS
    target = root / (PROCESSED if ok else FAILED) / f"{run.pk}-{package.name}"
    target.parent.mkdir(exist_ok=True)
    os.rename(work, target)
    logger.info("Drop folder: %s imported as run %s (%s), moved to %s", package.name, run.pk, run.status, target)
    return {"package": package.name, "run": run.pk, "status": str(run.status), "moved_to": str(target)}


def _claim(root: Path, package: Package) -> Path | None:
    stamp = f"{timezone.now():%Y%m%d-%H%M%S}-{secrets.token_hex(4)}"
    processing = root / PROCESSING
    processing.mkdir(exist_ok=True)
    work = processing / f"{stamp}-{package.name}"
    try:
        if package.kind == "folder":
            os.rename(package.items[0], work)
            return work
        work.mkdir()
        os.rename(package.items[0], work / package.items[0].name)
    except FileNotFoundError:  # another run took it between listing and claiming
        if package.kind != "folder":
            shutil.rmtree(work, ignore_errors=True)
        return None
    for item in package.items[1:]:
        try:
            os.rename(item, work / item.name)
        except FileNotFoundError:
            continue
    return work


def _xml_files(work: Path, package: Package) -> list[Path]:
    if package.kind == "zip":
        archive = work / package.name
        safe_extract(
            archive, work / "content",
            max_entries=b2b_settings.EXCHANGE_MAX_ZIP_ENTRIES, max_bytes=b2b_settings.EXCHANGE_MAX_UNZIPPED_BYTES,
        )
        work = work / "content"
    xml_files = sorted(path for path in work.rglob("*") if path.is_file() and path.suffix.lower() == ".xml")
    if not xml_files:
        raise ExchangeError(f"{package.name} contains no XML files; put CommerceML files exported by 1C into it.")
    return xml_files


def _failed_run(package: Package, error: str) -> ImportRun:
    # Recorded as a run so that the administrator finds it in the admin's import log with the others.
    return ImportRun.objects.create(
        source=ImportRun.Source.DROP_FOLDER, status=ImportRun.Status.FAILED, error=error,
        files=[package.name], finished_at=timezone.now(),
    )


def remove_old_processed() -> list[Path]:
    """Delete packages in ``processed/`` untouched for ``EXCHANGE_KEEP_DAYS`` (``failed/`` is left to people)."""
    if not b2b_settings.DROP_FOLDER:
        return []
    processed = drop_root() / PROCESSED
    if not processed.is_dir():
        return []
    limit = time.time() - keep_for().total_seconds()
    removed = []
    for entry in processed.iterdir():
        if (last_activity(entry) if entry.is_dir() else entry.stat().st_mtime) < limit:
            if entry.is_dir():
                shutil.rmtree(entry)
            else:
                entry.unlink()
            removed.append(entry)
    return removed
