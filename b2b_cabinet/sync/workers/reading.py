"""What a worker process does with one chunk: parse records, skip unchanged ones, emit rows.

Runs without the database. Everything it needs from the database (what each record's hash was
last time, the classifier maps) is put in :data:`STATE` by the pipeline *before* the worker
processes fork, so it is shared copy-on-write instead of being sent to each worker.

A record is "unchanged" when the BLAKE2b digest of its bytes in the file equals the digest stored
at the last import; then only its 1C Ид is kept (for deactivation of what a full upload omits) and
the record is never parsed. The check is a byte search and a hash per record, both in C, which is
why an unchanged import runs faster than bare parsing.
"""

from __future__ import annotations

import bisect
import codecs
import hashlib
import itertools

from lxml import etree

from b2b_cabinet.sync.batches import BatchParser
from b2b_cabinet.sync.chunks import (
    Chunk,
    encoding_of,
    first_line,
    id_opening,
    parse_records,
    record_slices,
    share_line_count,
    wants_line_count,
)
from b2b_cabinet.sync.errors import CommerceMLError
from b2b_cabinet.sync.offer_batch import OfferBatch
from b2b_cabinet.sync.reader.catalog import product_fields
from b2b_cabinet.sync.reader.compiled import walker_for
from b2b_cabinet.sync.reader.fields import Context
from b2b_cabinet.sync.reader.offers import read_offer, read_plain_offer
from b2b_cabinet.sync.reader.prolog import syntax_error
from b2b_cabinet.sync.reader.tags import tags_for
from b2b_cabinet.sync.workers.rows import add_plain, offer_row, plain_offer, product_fields_row, product_row
from b2b_cabinet.sync.workers.state import STATE, ChunkResult


def _shift(error: CommerceMLError, shift: int) -> CommerceMLError:
    """Move an error's line from the parsed fragment to the original file."""
    if error.line:
        error.line += shift
        error.args = (error._compose(),)
    return error


def read_product_chunk(chunk: Chunk) -> ChunkResult:
    """Parse a chunk of ``Товар`` elements into product rows (see :func:`~.rows.product_row`)."""

    def handle(element, ctx: Context, value: bytes, shift: int, rows: list) -> str:
        walker = walker_for(ctx.tags.namespace)
        fields = walker.product_fields(element) if walker is not None else None
        if fields is None:
            fields = product_fields(element, ctx)  # no compiled walker, or a record only Python reads
        rows.append(product_fields_row(fields, value, element.sourceline + shift))
        return fields[0]

    walker = walker_for("")
    if walker is None:
        return _read_chunk(chunk, lambda: (handle, None, None))

    def scan(data: bytes, begin: int, end: int, value: bytes, line: int, rows: list) -> str | None:
        fields = walker.scan_product(data, begin, end)
        if fields is None:
            return None
        rows.append(product_fields_row(fields, value, line))
        return fields[0]

    return _read_chunk(chunk, lambda: (handle, None, scan))


def read_offer_chunk(chunk: Chunk) -> ChunkResult:
    """Parse a chunk of ``Предложение`` elements into offer rows (see :func:`~.rows.offer_row`).

    With an :class:`OfferPlan` in :data:`STATE`, plain offers become final rows in the result's
    ``batch`` instead (see :mod:`~b2b_cabinet.sync.offer_batch`).
    """
    plan = STATE.offer_plan
    if plan is None:

        def handle_row(element, ctx: Context, value: bytes, shift: int, rows: list) -> str:
            record = read_offer(element, ctx, digest=False)
            rows.append(offer_row(record, value, record.line + shift))
            return record.external_id

        return _read_chunk(chunk, lambda: (handle_row, None, None))

    def start():
        batch, taken = OfferBatch(plan.copy_text), set()

        def take(plain, value: bytes) -> str | None:
            """Add a plain offer's final rows to the batch and return its Ид; None: the row path."""
            if plain is None or plain[0] in taken or not add_plain(*plain, value, plan, batch):
                return None
            taken.add(plain[0])
            return plain[0]

        def handle(element, ctx: Context, value: bytes, shift: int, rows: list) -> str:
            walker = walker_for(ctx.tags.namespace)
            xid = take(walker.plain_offer(element) if walker is not None else read_plain_offer(element, ctx), value)
            if xid is not None:
                return xid
            record = read_offer(element, ctx, digest=False)
            xid = record.external_id
            # Once an Ид took the row path, its repeats must too: rows are written after the batch,
            # and the last occurrence in the file has to win.
            if xid not in taken:
                taken.add(xid)
                if plain_offer(record, value, plan, batch):
                    return xid
            rows.append(offer_row(record, value, record.line + shift))
            return xid

        walker = walker_for("")
        if walker is None:
            return handle, batch, None

        def scan(data: bytes, begin: int, end: int, value: bytes, line: int, rows: list) -> str | None:
            # Only the plain offers of the batch; any other goes to ``handle``, which reads it again.
            return take(walker.scan_plain_offer(data, begin, end), value)

        return handle, batch, scan

    return _read_chunk(chunk, start)


def _records(chunk: Chunk, ids: bool = True):
    """The chunk's bytes and, per record, (start, end, digest of its bytes, 1C Ид or "").

    ``ids=False`` leaves the Ид out (3-tuples): a worker with no stored digests has no use for it.
    """
    data, offsets = record_slices(chunk)
    view = memoryview(data)
    blake2b = hashlib.blake2b
    if not ids:
        return data, [(start, end, blake2b(view[start:end], digest_size=16).digest())
                      for start, end in itertools.pairwise(offsets)]
    id_open = id_opening(chunk)
    id_close = b"</" + id_open[1:]
    encoding = "cp1251" if id_open == "<Ид>".encode("cp1251") else "utf-8"
    records = []
    for k in range(len(offsets) - 1):
        start, end = offsets[k], offsets[k + 1]
        value = blake2b(view[start:end], digest_size=16).digest()
        xid = ""
        at = data.find(id_open, start, end)
        if at >= 0:
            stop = data.find(id_close, at, end)
            if stop > 0:
                xid = data[at + len(id_open) : stop].decode(encoding, "replace").strip()
        records.append((start, end, value, xid))
    return data, records


def record_ids(chunk: Chunk) -> list[str]:
    """The 1C Ид of each record of the chunk, found without parsing (for looking up stored digests)."""
    return [xid for _s, _e, _v, xid in _records(chunk)[1] if xid]


class _Inexact(Exception):
    """A block of records :class:`~b2b_cabinet.sync.batches.BatchParser` cannot read as they are."""


def _read_chunk(chunk: Chunk, start) -> ChunkResult:
    """Skip the records whose bytes are unchanged; read the others with a fresh ``start()``, which
    gives ``(handle, batch, scan)``: see :func:`_read_changed` for ``handle`` and
    :func:`_read_scanned` for ``scan`` (None: no scanner); ``batch`` is the chunk's
    :class:`OfferBatch` or None."""
    try:
        return _read_chunk_as(chunk, start, exact=False)
    except _Inexact:
        # Read again from scratch (rows and batch of the first attempt are dropped) as before
        # batches: the event loop reads, and reports, whatever the block holds.
        return _read_chunk_as(chunk, start, exact=True)


def _read_chunk_as(chunk: Chunk, start, *, exact: bool) -> ChunkResult:
    known = STATE.known
    result = ChunkResult()
    data, records = _records(chunk, ids=bool(known))
    if not known:
        changed = records  # nothing stored (a first import): every record is read
    else:
        seen = result.seen
        changed = []
        for begin, end, value, xid in records:
            # A match proves identity: these exact bytes were read as this Ид last time.
            if xid and known.get(xid) == value:
                seen.append(xid)
                result.unchanged += 1
            else:
                changed.append((begin, end, value))
    if changed:
        handle, batch, scan = start()
        parser = None if exact else BatchParser.for_chunk(chunk, data)
        if parser is None:
            _read_changed(chunk, data, changed, handle, result)
        elif scan is not None and parser.namespace == "" and _is_utf8(chunk):
            _read_scanned(chunk, parser, data, changed, handle, scan, result)
        else:
            _read_batches(chunk, parser, data, changed, handle, result)
        if batch:
            result.batch = batch.finish()
    return result


#: Records parsed as one document by _read_batches: big enough to spread the parser's set-up,
#: small enough for the tree to stay in the CPU caches.
BATCH = 64


def _read_batches(chunk: Chunk, parser: BatchParser, data: bytes, changed, handle, result: ChunkResult) -> None:
    """:func:`_read_changed` with adjacent changed records parsed in blocks of :data:`BATCH`.

    Raises :class:`_Inexact` for a block that is not just its records (then nothing else happened
    that the exact reading would not do first: a block is checked before any of its records is read).
    """
    ctx = Context(chunk.path, tags_for(parser.namespace))
    base = first_line(chunk) - parser.head.count(b"\n") - 1  # original line minus parsed line, at data[0]
    rows, seen = result.rows, result.seen
    newlines = counted = 0  # newlines in data[:counted]
    index, total = 0, len(changed)
    while index < total:
        stop, begin = index + 1, changed[index][0]
        while stop < total and stop - index < BATCH and changed[stop][0] == changed[stop - 1][1]:
            stop += 1
        newlines += data.count(b"\n", counted, begin)
        counted = begin
        elements = parser.parse(data[begin : changed[stop - 1][1]], stop - index)
        if elements is None:
            raise _Inexact
        shift = base + newlines
        try:
            for element, (_begin, _end, value) in zip(elements, changed[index:stop], strict=True):
                seen.append(handle(element, ctx, value, shift, rows))
        except CommerceMLError as exc:
            raise _shift(exc, shift) from None
        index = stop
    if wants_line_count(chunk):
        share_line_count(chunk, newlines + data.count(b"\n", counted))


def _is_utf8(chunk: Chunk) -> bool:
    try:
        return codecs.lookup(encoding_of(chunk.head)).name == "utf-8"
    except LookupError:
        return False


def _read_scanned(chunk: Chunk, parser: BatchParser, data: bytes, changed, handle, scan,
                  result: ChunkResult) -> None:
    """:func:`_read_batches` with the compiled scanner (``reader/_scan.pxi``) instead of lxml.

    ``scan(data, begin, end, digest, line, rows)`` reads the record ``data[begin:end]``, appends its
    rows and returns its Ид, or returns None having done nothing: for XML outside the scanner's
    subset, or a record it does not take (an offer that is not plain). Such a record is parsed
    alone by lxml and read by ``handle``, in its place, so rows keep the file's order. Only for
    UTF-8 chunks whose records are read without a namespace (the scanner builds none).
    """
    ctx = Context(chunk.path, tags_for(""))
    line = first_line(chunk)
    base = line - parser.head.count(b"\n") - 1  # original line minus parsed line, at data[0]
    rows, seen = result.rows, result.seen
    newlines = counted = 0  # newlines in data[:counted]
    for begin, end, value in changed:
        newlines += data.count(b"\n", counted, begin)
        counted = begin
        xid = scan(data, begin, end, value, line + newlines, rows)
        if xid is None:
            elements = parser.parse(data[begin:end], 1)
            if elements is None:
                raise _Inexact
            shift = base + newlines
            try:
                xid = handle(elements[0], ctx, value, shift, rows)
            except CommerceMLError as exc:
                raise _shift(exc, shift) from None
        seen.append(xid)
    if wants_line_count(chunk):
        share_line_count(chunk, newlines + data.count(b"\n", counted))


def _read_changed(chunk: Chunk, data: bytes, changed, handle, result: ChunkResult) -> None:
    """Fully read the records whose bytes changed, with line numbers of the original file.

    ``handle(element, ctx, digest, shift, rows)`` reads one record element, appends its rows (with
    ``element.sourceline + shift`` as the original line) and returns its Ид.

    Adjacent changed records are parsed as one slice of ``data``, and share one line shift: only
    the newlines of the unchanged records between them are counted, and those before the chunk
    come from :func:`first_line` (counted in the workers, once per chunk).
    """
    ctx = Context(chunk.path, tags_for(chunk.namespace))
    head_lines = chunk.head.count(b"\n")
    shift = first_line(chunk) - head_lines - 1  # original line minus line in the parsed document
    if wants_line_count(chunk):
        share_line_count(chunk, data.count(b"\n"))
    parts, shifts = [], []
    run_start = run_end = 0
    for start, end, _value in changed:
        if start != run_end:
            shift += data.count(b"\n", run_end, start)
            if run_end > run_start:
                parts.append(data[run_start:run_end])
            run_start = start
        run_end = end
        shifts.append(shift)
    parts.append(data[run_start:run_end])
    count = len(changed)
    rows, seen = result.rows, result.seen
    index = -1
    try:
        for index, element in enumerate(parse_records(chunk, parts)):
            if index >= count:
                raise ctx.error("unexpected element layout in the record list", element, None, "record")
            try:
                seen.append(handle(element, ctx, changed[index][2], shifts[index], rows))
            except CommerceMLError as exc:
                raise _shift(exc, shifts[index]) from None
    except etree.XMLSyntaxError as exc:
        error = syntax_error(exc, chunk.path)
        starts = _parsed_starts(data, changed, head_lines)
        line = error.line or starts[max(index, 0)]
        part = max(0, bisect.bisect_right(starts, line) - 1)
        raise _shift(error, shifts[part]) from None
    if index + 1 != count:
        # A "<Товар" inside CDATA cut a record in two: the digests would no longer match the
        # records. Reported like broken XML, so the pipeline re-reads the file with the reader.
        raise CommerceMLError(
            "the XML is malformed or truncated (record boundaries do not match the elements)",
            path=chunk.path, line=first_line(chunk),
        )


def _parsed_starts(data: bytes, changed, head_lines: int) -> list[int]:
    """The line each changed record starts on in the parsed document (only for syntax errors)."""
    starts, line = [], head_lines + 1
    for start, end, _value in changed:
        starts.append(line)
        line += data.count(b"\n", start, end)
    return starts


def read_whole(path: str, record: str, batch: int = 2000):
    """The reader's own pass over a file the byte scanner cannot cut (prefixed tags, CDATA).

    Slower than the chunked path, but it reads anything the reader reads. Digests are the
    reader's field digests, so a file that always takes this path is still skipped when unchanged.
    """
    from b2b_cabinet.sync.reader import read_document
    from b2b_cabinet.sync.records import OfferRecord, ProductRecord

    known = STATE.known
    to_row, wanted = (product_row, ProductRecord) if record == "Товар" else (offer_row, OfferRecord)
    result = ChunkResult()
    for item in read_document(path):
        if not isinstance(item, wanted):
            continue
        result.seen.append(item.external_id)
        if known.get(item.external_id) == item.content_hash:
            result.unchanged += 1
        else:
            result.rows.append(to_row(item, item.content_hash, item.line))
        if len(result.seen) >= batch:
            yield result
            result = ChunkResult()
    if result.seen:
        yield result
