"""Safe extraction of the zip archives 1C uploads: everything is checked first, then all or nothing.

Checks before a single byte is written: entry count, total declared size, names (no absolute paths,
no ``..``, no script extensions), no symlinks or device files, no encryption. While extracting,
actual bytes are counted too, because a forged header can declare 1 KB for an entry that inflates
to gigabytes. Entries go to a hidden staging folder and are moved into place only when the whole
archive came out intact, so a bad archive leaves the exchange folder exactly as it was.
"""

from __future__ import annotations

import os
import secrets
import shutil
import stat
import zipfile
import zlib
from pathlib import Path

from .files import CHUNK, ExchangeError, normalise_filename, resolve_inside

#: 1C writes entry names in the DOS code page when the UTF-8 flag is off (1C-Bitrix converts from
#: cp866 too); Python would otherwise read them as cp437 and mangle Cyrillic names.
ENTRY_NAME_ENCODING = "cp866"
_UNIX = 3
_ENCRYPTED = 0x1
_AGAIN = "Export the package from 1C again; if the problem repeats, switch the exchange to zip=no."


def safe_extract(archive: Path, dest: Path, *, max_entries: int, max_bytes: int) -> list[str]:
    """Extract ``archive`` into ``dest``; return the extracted names (POSIX, relative to ``dest``).

    Raises :class:`ExchangeError` with a message for the 1C administrator, and then nothing at
    all has been written to ``dest``.
    """
    label = archive.name
    try:
        zf = zipfile.ZipFile(archive, metadata_encoding=ENTRY_NAME_ENCODING)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise ExchangeError(f"{label} is not a zip archive or is damaged ({exc}). {_AGAIN}") from None
    with zf:
        members = _checked_members(zf, label, max_entries=max_entries, max_bytes=max_bytes)
        staging = dest / f".unzip-{secrets.token_hex(6)}"
        staging.mkdir(parents=True)
        try:
            _extract_to(zf, members, staging, label, max_bytes=max_bytes)
            return _move_into(staging, dest, members)
        finally:
            shutil.rmtree(staging, ignore_errors=True)


def _checked_members(zf: zipfile.ZipFile, label: str, *, max_entries: int, max_bytes: int) -> list[tuple]:
    infos = zf.infolist()
    if len(infos) > max_entries:
        raise ExchangeError(
            f"{label} has {len(infos)} entries, more than EXCHANGE_MAX_ZIP_ENTRIES={max_entries}. "
            "Split the export in 1C (fewer goods per package) or raise the limit in B2B_CABINET."
        )
    declared = sum(info.file_size for info in infos)
    if declared > max_bytes:
        raise ExchangeError(
            f"{label} unpacks to {declared} bytes, more than EXCHANGE_MAX_UNZIPPED_BYTES={max_bytes}. "
            "Split the export in 1C or raise the limit in B2B_CABINET."
        )
    members = []
    for info in infos:
        raw = info.filename
        if raw.startswith(("/", "\\")) or (len(raw) > 1 and raw[1] == ":"):
            raise ExchangeError(f"{label} contains an absolute path {raw!r}; refusing the archive. {_AGAIN}")
        try:
            name = normalise_filename(raw)
        except ExchangeError as exc:
            raise ExchangeError(f"{label}: {exc} Refusing the archive. {_AGAIN}") from None
        # Only Unix-made entries carry a file type; many writers leave it 0, which means a plain file.
        file_type = stat.S_IFMT(info.external_attr >> 16)
        if info.create_system == _UNIX and file_type and file_type not in (stat.S_IFREG, stat.S_IFDIR):
            kind = "a symbolic link" if file_type == stat.S_IFLNK else "a special file"
            raise ExchangeError(f"{label}: entry {raw!r} is {kind}; refusing the archive. {_AGAIN}")
        if info.flag_bits & _ENCRYPTED:
            raise ExchangeError(f"{label}: entry {raw!r} is encrypted; send the archive without a password.")
        members.append((info, name))
    return members


def _extract_to(zf: zipfile.ZipFile, members: list[tuple], staging: Path, label: str, *, max_bytes: int) -> None:
    total = 0
    for info, name in members:
        target = resolve_inside(staging, name)
        if info.is_dir():
            target.mkdir(parents=True, exist_ok=True)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        written = 0
        try:
            with zf.open(info) as source, open(target, "wb") as out:
                while chunk := source.read(CHUNK):
                    written += len(chunk)
                    total += len(chunk)
                    # Counting real bytes defends against headers that understate the size.
                    if total > max_bytes or written > info.file_size:
                        raise ExchangeError(
                            f"{label}: entry {info.filename!r} inflates beyond its declared size or beyond "
                            f"EXCHANGE_MAX_UNZIPPED_BYTES={max_bytes}; refusing the archive (possible zip bomb). "
                            f"{_AGAIN}"
                        )
                    out.write(chunk)
        except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, OSError) as exc:
            raise ExchangeError(f"{label}: entry {info.filename!r} is damaged ({exc}). {_AGAIN}") from None


def _move_into(staging: Path, dest: Path, members: list[tuple]) -> list[str]:
    names = []
    for info, name in members:
        if info.is_dir():
            continue
        target = resolve_inside(dest, name)
        target.parent.mkdir(parents=True, exist_ok=True)
        # os.replace within one file system is atomic: a reader never sees half a file.
        os.replace(resolve_inside(staging, name), target)
        names.append(name)
    return names
