"""Splitting a large CommerceML file into byte ranges that worker processes parse on their own.

A goods file is one long list of ``<Товар>`` elements (offers: ``<Предложение>``). The list is cut
at element starts into ranges of roughly equal size; each range is parsed as a small document made
of the original XML declaration and root start tag (so the encoding and namespaces are the
original's), the range's bytes, and the closing root tag. Line numbers are shifted back to the
original file's, so errors still point at the right line: the lines before a chunk are counted in
the workers, only when a changed record needs them (see :func:`first_line`), not by the planner.

Files this cannot cut safely (a prefixed namespace, an unexpected layout) are parsed as one range:
correctness never depends on the split.
"""

from __future__ import annotations

import io
import itertools
import mmap
import os
import secrets
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass

from lxml import etree

from b2b_cabinet.sync.reader.prolog import PARSER_OPTIONS, Prolog

#: Local names of the record elements and of the lists holding them.
LISTS = {"Товар": "Товары", "Предложение": "Предложения"}
#: Options added to :data:`PARSER_OPTIONS` for records: whitespace-only text between elements is not
#: kept (a third of a record's nodes fewer to build and to step over). Every text the record walkers
#: read is stripped, and libxml2 keeps whitespace-only text of an element without children
#: (``<Значение> </Значение>``), so what they read is the same.
RECORD_PARSER_OPTIONS = {**PARSER_OPTIONS, "remove_blank_text": True}


@dataclass(frozen=True)
class Chunk:
    """A byte range ``[start, end)`` of ``path`` holding whole record elements."""

    path: str
    start: int
    end: int
    head: bytes
    tail: bytes
    namespace: str
    record: str
    index: int = 0  # position in its plan
    lines: int = 0  # key of the plan's LineTable in _LINE_TABLES (0: none, count from the file)


def encoding_of(head: bytes) -> str:
    """The encoding the XML declaration (or BOM) at the start of ``head`` names; UTF-8 by default."""
    if head.startswith(b"\xef\xbb\xbf"):
        return "utf-8"
    declaration = head[: head.find(b"?>") + 2] if head.startswith(b"<?xml") else b""
    for quote in (b'"', b"'"):
        marker = b"encoding=" + quote
        at = declaration.find(marker)
        if at >= 0:
            value = declaration[at + len(marker) : declaration.find(quote, at + len(marker))]
            return value.decode("ascii", "replace").lower()
    return "utf-8"


class _Scanner:
    """Byte searches over a file through a small buffer.

    An mmap of the whole file would do the same in fewer lines, but every page it touches counts
    in the process's resident memory, and a 700 MB goods file would then "use" 700 MB.
    """

    BLOCK = 1 << 20

    def __init__(self, stream, size: int):
        self.stream = stream
        self.size = size

    def read(self, start: int, length: int) -> bytes:
        self.stream.seek(start)
        return self.stream.read(length)

    def find(self, needle: bytes, start: int, limit: int) -> int:
        """First offset of ``needle`` in ``[start, limit)``, or -1."""
        overlap = len(needle) - 1
        while start < limit:
            block = self.read(start, min(self.BLOCK, limit - start))
            if not block:
                return -1
            at = block.find(needle)
            if at >= 0 and start + at + len(needle) <= limit:
                return start + at
            if start + len(block) >= limit:
                return -1
            start += len(block) - overlap
        return -1

    def rfind(self, needle: bytes, lowest: int) -> int:
        """Last offset of ``needle`` at or after ``lowest``, searching back from the end, or -1."""
        end = self.size
        while end > lowest:
            start = max(lowest, end - self.BLOCK)
            at = self.read(start, end - start + len(needle) - 1).rfind(needle)
            if at >= 0:
                return start + at
            end = start
        return -1

    def count_newlines(self, start: int, end: int) -> int:
        count = 0
        while start < end:
            block = self.read(start, min(self.BLOCK * 4, end - start))
            if not block:
                break
            count += block.count(b"\n")
            start += len(block)
        return count

    def find_record(self, opening: bytes, start: int, limit: int) -> int:
        """Offset of the next ``<Record`` start tag (not ``<Records``) in ``[start, limit)``, or -1."""
        while True:
            at = self.find(opening, start, limit)
            if at < 0:
                return -1
            following = self.read(at + len(opening), 1)
            if following in (b">", b" ", b"\t", b"\r", b"\n", b"/"):
                return at
            start = at + len(opening)


def plan_chunks(path: str, prolog: Prolog, record: str, target_size: int) -> list[Chunk]:
    """Cut ``path`` into chunks of about ``target_size`` bytes at ``<record>`` boundaries.

    Returns an empty list when the file holds no such records, and one chunk covering the whole
    record list when it cannot be cut safely.
    """
    size = os.path.getsize(path)
    if size == 0:
        return []
    with open(path, "rb") as stream:
        scan = _Scanner(stream, size)
        encoding = encoding_of(scan.read(0, 1 << 16))
        try:
            root_open = f"<{prolog.root}".encode(encoding)
            record_open = f"<{record}".encode(encoding)
            list_close = f"</{LISTS[record]}>".encode(encoding)
            root_close = f"</{prolog.root}>".encode(encoding)
        except (LookupError, UnicodeEncodeError):
            return []
        root_at = scan.find(root_open, 0, size)
        root_end = scan.find(b">", root_at, size) + 1 if root_at >= 0 else 0
        first = scan.find_record(record_open, root_end, size) if root_at >= 0 else -1
        if first < 0:
            return []
        last = scan.rfind(list_close, first)
        if last < first:
            last = size  # truncated file: let the parser report where it breaks
        head = scan.read(0, root_end)
        boundaries = [first]
        while boundaries[-1] + target_size < last:
            cut = scan.find_record(record_open, boundaries[-1] + target_size, last)
            if cut < 0:
                break
            boundaries.append(cut)
        boundaries.append(last)
    # Lines are not counted here: that read the whole file in this process before any worker could
    # start. The workers count them, and only when a changed record needs its line (first_line).
    key = _register(LineTable(path, [0, *boundaries[:-1]]))
    return [
        Chunk(path, start, end, head, root_close, prolog.namespace, record, index, key)
        for index, (start, end) in enumerate(itertools.pairwise(boundaries))
    ]


class LineTable:
    """Newlines per segment of a planned file, in memory shared by the processes forked after planning.

    Segment 0 is the file up to the first chunk, segment ``k + 1`` chunk ``k``. A slot holds the
    count plus one (0: not counted yet). Whoever needs a count and finds it missing counts it and
    stores it; two processes doing so at once store the same number, so no lock is needed.
    """

    def __init__(self, path: str, bounds: list[int]):
        self.path = path
        self.bounds = bounds  # segment k is [bounds[k], bounds[k + 1]); the last one ends at its chunk's end
        self._memory = mmap.mmap(-1, 8 * len(bounds))  # anonymous and MAP_SHARED: forked workers see stores
        self.counts = memoryview(self._memory).cast("q")

    def matches(self, chunk: Chunk) -> bool:
        """Whether ``chunk`` was planned with this table (and not in another process with the same key)."""
        return self.path == chunk.path and chunk.index + 1 < len(self.bounds) and (
            self.bounds[chunk.index + 1] == chunk.start)


#: Tables of recent plans; only the last few are kept (a worker reads a chunk soon after its plan).
_LINE_TABLES: OrderedDict[int, LineTable] = OrderedDict()
_KEEP_TABLES = 16


def _register(table: LineTable) -> int:
    key = secrets.randbits(62) + 1  # random, so a key from another process cannot pick a wrong table
    _LINE_TABLES[key] = table
    while len(_LINE_TABLES) > _KEEP_TABLES:
        _LINE_TABLES.popitem(last=False)
    return key


def _count_file_newlines(path: str, start: int, end: int) -> int:
    with open(path, "rb") as stream:
        return _Scanner(stream, end).count_newlines(start, end)


def first_line(chunk: Chunk) -> int:
    """The line of the original file on which ``chunk`` starts (1-based).

    Sums the newline counts of the segments before the chunk, counting (and sharing) those no
    process has counted yet. Without the plan's table (a process forked before the plan, or not
    forked from the planner), it counts the file from the nearest offset whose line this process
    already knows (:data:`_LOCAL_LINES`): one pass over the file per process, not one per chunk.
    """
    table = _LINE_TABLES.get(chunk.lines)
    if table is None or not table.matches(chunk):
        if not chunk.lines:
            return 1 + _count_file_newlines(chunk.path, 0, chunk.start)  # not from plan_chunks
        known = _LOCAL_LINES.setdefault((chunk.lines, chunk.path), {})
        while len(_LOCAL_LINES) > _KEEP_TABLES:
            del _LOCAL_LINES[next(iter(_LOCAL_LINES))]
        line = known.get(chunk.start)
        if line is None:
            offset = max((at for at in known if at < chunk.start), default=0)
            line = known[chunk.start] = known.get(offset, 1) + _count_file_newlines(chunk.path, offset, chunk.start)
        return line
    counts, bounds, line = table.counts, table.bounds, 1
    for segment in range(chunk.index + 1):
        stored = counts[segment]
        if not stored:
            stored = counts[segment] = _count_file_newlines(chunk.path, bounds[segment], bounds[segment + 1]) + 1
        line += stored - 1
    return line


def wants_line_count(chunk: Chunk) -> bool:
    """Whether a chunk after this one may need this chunk's newline count (see :func:`share_line_count`)."""
    table = _LINE_TABLES.get(chunk.lines)
    if table is None or not table.matches(chunk):
        return True  # the next chunk this process reads may follow this one
    return chunk.index + 2 < len(table.bounds)


def share_line_count(chunk: Chunk, newlines: int) -> None:
    """Store the number of newlines in the chunk's own bytes, for the chunks after it."""
    table = _LINE_TABLES.get(chunk.lines)
    if table is None or not table.matches(chunk):
        if chunk.lines:
            line = first_line(chunk) + newlines
            _LOCAL_LINES.setdefault((chunk.lines, chunk.path), {})[chunk.end] = line
    elif chunk.index + 2 < len(table.bounds):
        table.counts[chunk.index + 1] = newlines + 1


#: (plan key, path) -> {file offset: its line}, for chunks read without their plan's table.
_LOCAL_LINES: dict[tuple[int, str], dict[int, int]] = {}


def record_slices(chunk: Chunk) -> tuple[bytes, list[int]]:
    """The chunk's bytes and the offsets where each record starts (plus the end offset).

    Record ``k`` is ``data[offsets[k]:offsets[k + 1]]``: its element and the whitespace after it,
    so the slices cover the chunk without gaps and a record's bytes are stable from one export of
    an unchanged record to the next.
    """
    with open(chunk.path, "rb") as stream:
        stream.seek(chunk.start)
        data = stream.read(chunk.end - chunk.start)
    try:
        opening = f"<{chunk.record}".encode(encoding_of(chunk.head))
    except (LookupError, UnicodeEncodeError):
        return data, [0, len(data)]
    offsets, at, size = [], 0, len(data)
    while at < size:
        found = data.find(opening, at)
        if found < 0:
            break
        following = data[found + len(opening) : found + len(opening) + 1]
        if following in (b">", b" ", b"\t", b"\r", b"\n", b"/"):
            offsets.append(found)
        at = found + len(opening)
    if not offsets or offsets[0] != 0:
        offsets.insert(0, 0)
    offsets.append(size)
    return data, offsets


def id_opening(chunk: Chunk) -> bytes:
    """``<Ид>`` in the chunk's encoding, for finding a record's 1C Ид without parsing it."""
    try:
        return "<Ид>".encode(encoding_of(chunk.head))
    except (LookupError, UnicodeEncodeError):
        return b"\x00"


def parse_records(chunk: Chunk, parts: list[bytes]) -> Iterator[etree._Element]:
    """Parse the given record slices as one document and yield each record element in turn."""
    qname = f"{{{chunk.namespace}}}{chunk.record}" if chunk.namespace else chunk.record
    document = io.BytesIO(b"".join((chunk.head, *parts, chunk.tail)))
    for _event, element in etree.iterparse(document, events=("end",), tag=qname, **RECORD_PARSER_OPTIONS):
        yield element
        element.clear()
        parent = element.getparent()
        if parent is not None:
            while element.getprevious() is not None:
                del parent[0]
