"""Splitting a large CommerceML file into byte ranges that worker processes parse on their own.

A goods file is one long list of ``<Товар>`` elements (offers: ``<Предложение>``). The list is cut
at element starts into ranges of roughly equal size; each range is parsed as a small document made
of the original XML declaration and root start tag (so the encoding and namespaces are the
original's), the range's bytes, and the closing root tag. Line numbers are shifted back to the
original file's, so errors still point at the right line.

Files this cannot cut safely (a prefixed namespace, an unexpected layout) are parsed as one range:
correctness never depends on the split.
"""

from __future__ import annotations

import io
import itertools
import os
from collections.abc import Iterator
from dataclasses import dataclass

from lxml import etree

from b2b_cabinet.sync.reader.prolog import PARSER_OPTIONS, Prolog

#: Local names of the record elements and of the lists holding them.
LISTS = {"Товар": "Товары", "Предложение": "Предложения"}


@dataclass(frozen=True)
class Chunk:
    """A byte range ``[start, end)`` of ``path`` holding whole record elements."""

    path: str
    start: int
    end: int
    head: bytes
    tail: bytes
    line_shift: int
    namespace: str
    record: str


def _encoding_of(head: bytes) -> str:
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
        encoding = _encoding_of(scan.read(0, 1 << 16))
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
        head_lines = head.count(b"\n")
        chunks, line, previous = [], 1, 0
        for start, end in itertools.pairwise(boundaries):
            line += scan.count_newlines(previous, start)
            previous = start
            chunks.append(Chunk(path, start, end, head, root_close, line - 1 - head_lines, prolog.namespace, record))
        return chunks


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
        opening = f"<{chunk.record}".encode(_encoding_of(chunk.head))
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
        return "<Ид>".encode(_encoding_of(chunk.head))
    except (LookupError, UnicodeEncodeError):
        return b"\x00"


def parse_records(chunk: Chunk, parts: list[bytes]) -> Iterator[etree._Element]:
    """Parse the given record slices as one document and yield each record element in turn."""
    qname = f"{{{chunk.namespace}}}{chunk.record}" if chunk.namespace else chunk.record
    document = io.BytesIO(b"".join((chunk.head, *parts, chunk.tail)))
    for _event, element in etree.iterparse(document, events=("end",), tag=qname, **PARSER_OPTIONS):
        yield element
        element.clear()
        parent = element.getparent()
        if parent is not None:
            while element.getprevious() is not None:
                del parent[0]
