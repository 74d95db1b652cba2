"""Turning what a user names (files, folders, zip archives) into the list of XML files to import."""

from __future__ import annotations

from pathlib import Path

from b2b_cabinet.exceptions import B2BCabinetError


class SourceError(B2BCabinetError):
    """A path that does not exist or an archive that cannot be opened safely."""


def collect_files(paths: list[Path], scratch: Path) -> list[Path]:
    """XML files from ``paths``: files as they are, folders searched recursively, zips unpacked into ``scratch``.

    Unpacking goes through the same guarded extraction as the 1C exchange (path traversal, entry
    count and total size are checked before anything is written).
    """
    found: list[Path] = []
    for index, path in enumerate(paths):
        if not path.exists():
            raise SourceError(f"{path}: no such file or folder.")
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*.xml") if p.is_file()))
        elif path.suffix.lower() == ".zip":
            from b2b_cabinet.conf import b2b_settings
            from b2b_cabinet.sync.exchange.archive import safe_extract
            from b2b_cabinet.sync.exchange.files import ExchangeError

            target = scratch / f"{index}-{path.stem}"
            target.mkdir(parents=True)
            try:
                safe_extract(
                    path,
                    target,
                    max_entries=b2b_settings.EXCHANGE_MAX_ZIP_ENTRIES,
                    max_bytes=b2b_settings.EXCHANGE_MAX_UNZIPPED_BYTES,
                )
            except ExchangeError as exc:
                raise SourceError(str(exc)) from exc
            found.extend(sorted(p for p in target.rglob("*.xml") if p.is_file()))
        else:
            found.append(path)
    return found
