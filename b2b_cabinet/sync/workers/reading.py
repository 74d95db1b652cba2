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
import hashlib

from lxml import etree

from b2b_cabinet.sync.chunks import Chunk, id_opening, parse_records, record_slices
from b2b_cabinet.sync.errors import CommerceMLError
from b2b_cabinet.sync.offer_batch import OfferBatch
from b2b_cabinet.sync.reader.catalog import read_product
from b2b_cabinet.sync.reader.fields import Context
from b2b_cabinet.sync.reader.offers import read_offer, read_plain_offer
from b2b_cabinet.sync.reader.prolog import syntax_error
from b2b_cabinet.sync.reader.tags import tags_for
from b2b_cabinet.sync.workers.rows import add_plain, offer_row, plain_offer, product_row
from b2b_cabinet.sync.workers.state import STATE, ChunkResult


def _shift(error: CommerceMLError, shift: int) -> CommerceMLError:
    """Move an error's line from the parsed fragment to the original file."""
    if error.line:
        error.line += shift
        error.args = (error._compose(),)
    return error


def read_product_chunk(chunk: Chunk) -> ChunkResult:
    """Parse a chunk of ``Товар`` elements into product rows (see :func:`product_row`)."""
    return _read_chunk(chunk, read_product, product_row)


def read_offer_chunk(chunk: Chunk) -> ChunkResult:
    """Parse a chunk of ``Предложение`` elements into offer rows (see :func:`offer_row`).

    With an :class:`OfferPlan` in :data:`STATE`, plain offers become final rows in the result's
    ``batch`` instead (see :mod:`~b2b_cabinet.sync.offer_batch`).
    """
    plan = STATE.offer_plan
    if plan is None:
        return _read_chunk(chunk, read_offer, offer_row)
    batch, taken = OfferBatch(plan.copy_text), set()

    def to_row(record, value: bytes, line: int) -> tuple | None:
        xid = record.external_id
        # Once an Ид took the row path, its repeats must too: rows are written after the batch,
        # and the last occurrence in the file has to win.
        if xid not in taken:
            taken.add(xid)
            if plain_offer(record, value, plan, batch):
                return None
        return offer_row(record, value, line)

    def fast(element, ctx: Context, value: bytes) -> str | None:
        plain = read_plain_offer(element, ctx)
        if plain is None or plain[0] in taken:
            return None
        xid, prices, quantity, stocks = plain
        if not add_plain(xid, prices, quantity, stocks, (), value, plan, batch):
            return None
        taken.add(xid)
        return xid

    result = _read_chunk(chunk, read_offer, to_row, fast)
    if batch:
        result.batch = batch.finish()
    return result


def _records(chunk: Chunk):
    """The chunk's bytes and, per record, (start, end, digest of its bytes, 1C Ид or "")."""
    data, offsets = record_slices(chunk)
    id_open = id_opening(chunk)
    id_close = b"</" + id_open[1:]
    encoding = "cp1251" if id_open == "<Ид>".encode("cp1251") else "utf-8"
    view = memoryview(data)
    records = []
    for k in range(len(offsets) - 1):
        start, end = offsets[k], offsets[k + 1]
        value = hashlib.blake2b(view[start:end], digest_size=16).digest()
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


def _read_chunk(chunk: Chunk, reader, to_row, fast=None) -> ChunkResult:
    ctx = Context(chunk.path, tags_for(chunk.namespace))
    known = STATE.known
    result = ChunkResult()
    seen = result.seen
    data, records = _records(chunk)
    changed: list[tuple[int, int, bytes]] = []
    for start, end, value, xid in records:
        # A match proves identity: these exact bytes were read as this Ид last time.
        if xid and known.get(xid) == value:
            seen.append(xid)
            result.unchanged += 1
        else:
            changed.append((start, end, value))
    if changed:
        _read_changed(chunk, ctx, data, changed, reader, to_row, result, fast)
    return result


def _read_changed(chunk: Chunk, ctx: Context, data: bytes, changed, reader, to_row, result: ChunkResult,
                  fast=None) -> None:
    """Fully read the records whose bytes changed, with line numbers of the original file.

    ``fast(element, ctx, digest)``, if given, may consume a record first and return its Ид.
    """
    head_lines = chunk.head.count(b"\n")
    first_line = chunk.line_shift + head_lines + 1  # original line of the chunk's first byte
    parts, shifts, starts = [], [], []
    original, counted, synthetic = first_line, 0, head_lines + 1
    for start, end, _value in changed:
        original += data.count(b"\n", counted, start)
        counted = start
        part = data[start:end]
        parts.append(part)
        shifts.append(original - synthetic)
        starts.append(synthetic)
        synthetic += part.count(b"\n")
    index = -1
    try:
        for index, element in enumerate(parse_records(chunk, parts)):
            if index >= len(parts):
                raise ctx.error("unexpected element layout in the record list", element, None, "record")
            if fast is not None:
                xid = fast(element, ctx, changed[index][2])
                if xid is not None:
                    result.seen.append(xid)
                    continue
            try:
                record = reader(element, ctx, digest=False)
            except CommerceMLError as exc:
                raise _shift(exc, shifts[index]) from None
            result.seen.append(record.external_id)
            row = to_row(record, changed[index][2], record.line + shifts[index])
            if row is not None:
                result.rows.append(row)
    except etree.XMLSyntaxError as exc:
        error = syntax_error(exc, chunk.path)
        line = error.line or starts[max(index, 0)]
        part = max(0, bisect.bisect_right(starts, line) - 1)
        raise _shift(error, shifts[part]) from None
    if index + 1 != len(parts):
        # A "<Товар" inside CDATA cut a record in two: the digests would no longer match the
        # records. Reported like broken XML, so the pipeline re-reads the file with the reader.
        raise CommerceMLError(
            "the XML is malformed or truncated (record boundaries do not match the elements)",
            path=chunk.path, line=first_line,
        )


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
