"""File names and uploads of the 1C exchange: every byte lands inside the run folder, or nowhere.

1C sends ``filename`` as it likes: with a ``/tmp/`` or ``upload/1c/webdata`` prefix on Linux servers,
with Windows backslashes, with sub-folders for pictures (``import_files/ab/….jpg``). Names are
normalised the way 1C-Bitrix does it (PROTOCOL §5 pitfall 25), then anything that could leave the
folder or be executed by a web server is refused.
"""

from __future__ import annotations

import re
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from b2b_cabinet.exceptions import B2BCabinetError

#: Extensions a web server might execute or a browser might run if the exchange folder were ever
#: served (it defaults to a folder under MEDIA_ROOT). Checked on every dot-part of a name, because
#: Apache runs ``shell.php.jpg`` as PHP with some configurations (1C-Bitrix does the same).
SCRIPT_EXTENSIONS = frozenset(
    {
        "php", "php3", "php4", "php5", "php7", "phtml", "pht", "phar", "phps",
        "py", "pyc", "sh", "bash", "cgi", "pl", "rb", "exe", "com", "bat", "cmd", "ps1", "vbs", "dll",
        "js", "mjs", "html", "htm", "shtml", "xhtml", "asp", "aspx", "jsp", "jspx",
    }
)

#: Prefixes 1C puts in front of names on some servers; 1C-Bitrix strips exactly these.
_BITRIX_PREFIX = re.compile(r"^(/tmp/|/?upload/1c/webdata/?)")
_DRIVE = re.compile(r"^[A-Za-z]:")
_MAX_NAME = 1000
_MAX_PART = 255
CHUNK = 64 * 1024


class ExchangeError(B2BCabinetError):
    """A request of the exchange that cannot be honoured; the message goes to 1C after ``failure``."""


def normalise_filename(raw: str | None) -> str:
    """Return ``raw`` as a safe relative POSIX path, or raise :class:`ExchangeError` saying why.

    ``"/tmp/import.xml"`` → ``"import.xml"``; ``"import_files\\\\ab\\\\x.jpg"`` → ``"import_files/ab/x.jpg"``.
    Refused: empty names, NUL and control characters, absolute paths, ``..``, hidden parts
    (``.htaccess``, and our own folder markers), and script extensions.
    """
    if not raw or not raw.strip():
        raise ExchangeError("The request has no filename parameter. Update the 1C exchange module.")
    if any(ord(char) < 32 for char in raw):
        raise ExchangeError(f"File name {raw!r} contains control characters; refusing it.")
    name = raw.strip().replace("\\", "/")
    if len(name) > _MAX_NAME:
        raise ExchangeError(f"File name is longer than {_MAX_NAME} characters; refusing it.")
    # An absolute name is refused unless it is one of the temporary-folder prefixes 1C is known to
    # send; "/etc/passwd" must not quietly become "etc/passwd".
    if (name.startswith("/") and not _BITRIX_PREFIX.match(name)) or _DRIVE.match(name):
        raise ExchangeError(f"File name {raw!r} is an absolute path; use a path relative to the exchange folder.")
    name = _BITRIX_PREFIX.sub("", name).strip("/")
    parts = [part for part in name.split("/") if part not in ("", ".")]
    if not parts:
        raise ExchangeError(f"File name {raw!r} is empty after normalisation.")
    for part in parts:
        _check_part(part, raw)
    return "/".join(parts)


def _check_part(part: str, raw: str) -> None:
    if part == "..":
        raise ExchangeError(f"File name {raw!r} leaves the exchange folder ('..'); refusing it.")
    if part.startswith("."):
        raise ExchangeError(f"File name {raw!r} has a hidden part {part!r}; refusing it.")
    if len(part) > _MAX_PART:
        raise ExchangeError(f"A part of file name {raw!r} is longer than {_MAX_PART} characters.")
    # Windows ignores trailing dots and spaces ("x.php. "), so they must not hide an extension.
    dotted = part.rstrip(". ").lower().split(".")[1:]
    if SCRIPT_EXTENSIONS.intersection(dotted):
        raise ExchangeError(
            f"File name {raw!r} has a script extension; the exchange accepts only XML, archives and pictures."
        )


def resolve_inside(folder: Path, name: str) -> Path:
    """The absolute path of normalised ``name`` inside ``folder``; refuses anything that escapes it.

    ``normalise_filename`` already refuses ``..``; resolving again also catches a symlink planted
    inside the folder, and keeps this function safe when called with an unnormalised name.
    """
    base = folder.resolve()
    target = (base / PurePosixPath(name)).resolve()
    if target == base or not target.is_relative_to(base):
        raise ExchangeError(f"File name {name!r} resolves outside the exchange folder; refusing it.")
    return target


def append_stream(stream: BinaryIO, target: Path, *, limit: int, declared: int | None, truncate: bool) -> int:
    """Append the request body ``stream`` to ``target`` (or replace it when ``truncate``); return bytes written.

    1C splits a file larger than ``file_limit`` into several POSTs with the same name and no
    end marker, so chunks are appended (never overwritten, the bug of django-cml). The body is
    streamed in 64 KB pieces instead of ``request.body``, which would hold the whole chunk in
    memory and trip ``DATA_UPLOAD_MAX_MEMORY_SIZE``. A body over ``limit`` is refused and whatever
    of it was written is cut off again, so a refused chunk never corrupts the file.
    """
    if declared is not None and declared > limit:
        raise ExchangeError(
            f"The chunk is {declared} bytes, more than file_limit={limit}. Send the file in chunks of at most "
            f"file_limit bytes (1C does so when it reads file_limit from mode=init)."
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        with open(target, "wb" if truncate else "ab") as out:
            start = out.tell()
            written = 0
            while chunk := stream.read(CHUNK):
                written += len(chunk)
                if written > limit:
                    out.truncate(start)
                    raise ExchangeError(
                        f"The chunk is larger than file_limit={limit} bytes; it was discarded. "
                        "Send the file in chunks of at most file_limit bytes."
                    )
                out.write(chunk)
    except IsADirectoryError:
        raise ExchangeError(f"{target.name!r} is a folder in the exchange folder; cannot write a file there.") from None
    return written
