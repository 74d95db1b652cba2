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
import json
from dataclasses import dataclass, field

from lxml import etree

from b2b_cabinet.sync.chunks import Chunk, id_opening, parse_records, record_slices
from b2b_cabinet.sync.errors import CommerceMLError
from b2b_cabinet.sync.offer_batch import OfferBatch, OfferPlan
from b2b_cabinet.sync.reader.catalog import read_product
from b2b_cabinet.sync.reader.fields import Context
from b2b_cabinet.sync.reader.offers import read_offer, read_plain_offer
from b2b_cabinet.sync.reader.prolog import syntax_error
from b2b_cabinet.sync.reader.tags import tags_for
from b2b_cabinet.sync.reader.values import to_datetime, to_decimal

BRAND_PROPERTIES = ("Бренд", "Торговая марка", "Марка")


@dataclass
class WorkerState:
    """Read-only inputs of the workers, set before forking."""

    known: dict[str, bytes] = field(default_factory=dict)  # 1C Ид -> stored digest
    groups: dict[str, int] = field(default_factory=dict)  # group Ид -> category pk
    properties: dict[str, str] = field(default_factory=dict)  # property Ид -> name
    values: dict[str, str] = field(default_factory=dict)  # ИдЗначения -> value text
    transit: tuple[str, str, str] = ("", "", "")  # requisite names: quantity, date, warehouse Ид
    offer_plan: OfferPlan | None = None  # big offers files: build final rows here (see offer_batch)


STATE = WorkerState()


@dataclass
class ChunkResult:
    """Rows of the changed records of one chunk and the Ид of every record."""

    rows: list[tuple] = field(default_factory=list)
    seen: list[str] = field(default_factory=list)
    unchanged: int = 0
    batch: OfferBatch | None = None  # final rows of plain offers (not in ``rows``)


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
            if _plain_offer(record, value, plan, batch):
                return None
        return offer_row(record, value, line)

    def fast(element, ctx: Context, value: bytes) -> str | None:
        plain = read_plain_offer(element, ctx)
        if plain is None or plain[0] in taken:
            return None
        xid, prices, quantity, stocks = plain
        if not _add_plain(xid, prices, quantity, stocks, (), value, plan, batch):
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
def _property_map(pairs) -> dict[str, str]:
    out: dict[str, str] = {}
    names, values = STATE.properties, STATE.values
    for property_id, raw in pairs:
        name = names.get(property_id, property_id)
        texts = [values.get(value, value) for value in raw]
        out[name] = "; ".join(t for t in texts if t)
    return out


def _requisite_map(pairs) -> dict:
    out: dict = {}
    for name, value in pairs:
        if name in out:
            previous = out[name]
            out[name] = [*previous, value] if isinstance(previous, list) else [previous, value]
        else:
            out[name] = value
    return out


def _dumps(value: dict) -> str:
    if not value:
        return "{}"  # most offers and many products: json.dumps would cost 5 µs a record
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str)


def product_row(record, value: bytes, line: int) -> tuple:
    """One product as a plain tuple; the pipeline resolves brand, producer and unit to keys."""
    properties = _property_map(record.properties)
    brand = record.brand or next((properties[n] for n in BRAND_PROPERTIES if properties.get(n)), "")
    group_id = record.group_ids[0] if record.group_ids else ""
    return (
        record.external_id,
        record.sku,
        record.name,
        record.description,
        STATE.groups.get(group_id) if group_id else None,
        brand,
        record.producer_id,
        record.producer_name,
        record.unit_code,
        record.unit_name,
        record.unit_ratio,
        None if record.vat_exempt else record.vat_rate,
        record.barcode,
        _dumps(properties),
        _dumps(_requisite_map(record.requisites)),
        not record.deleted,
        value,
        record.images,
        line,
        group_id if group_id and group_id not in STATE.groups else "",
        _dumps(dict(record.characteristics)),
    )


def _transit(requisites) -> tuple:
    """(quantity, expected date, warehouse Ид, problem) from the goods-in-transit requisites."""
    quantity_name, date_name, warehouse_name = STATE.transit
    found = dict(requisites)
    quantity = found.get(quantity_name, "").strip()
    if not quantity:
        return (None, None, "", "")
    try:
        amount = to_decimal(quantity)
    except ValueError:
        return (None, None, "", f"«{quantity_name}» {quantity!r} is not a number; goods in transit ignored")
    date_text = found.get(date_name, "").strip()
    try:
        expected = to_datetime(date_text)
    except ValueError:
        expected = None
    problem = f"«{date_name}» {date_text!r} is not a date; the arrival date is left empty" if (
        date_text and expected is None) else ""
    return (amount, expected.date() if expected else None, found.get(warehouse_name, "").strip(), problem)


def offer_row(record, value: bytes, line: int) -> tuple:
    """One offer as a plain tuple of what the pipeline writes (prices, stock, variant facts)."""
    prices = (
        tuple((p.price_type_id, p.value, p.currency, p.coefficient, p.min_quantity) for p in record.prices)
        if record.prices is not None
        else None
    )
    stocks = tuple((s.warehouse_id, s.quantity) for s in record.stocks) if record.stocks is not None else None
    characteristics = dict(record.characteristics) or {
        STATE.properties.get(pid, pid): "; ".join(STATE.values.get(v, v) for v in vals)
        for pid, vals in record.properties
    }
    return (
        record.external_id,
        record.product_id,
        record.variant_id,
        record.name,
        record.sku,
        record.barcode,
        _dumps(characteristics),
        prices,
        record.quantity,
        stocks,
        _transit(record.requisites),
        not record.deleted,
        value,
        line,
    )



def _text(value) -> str | None:
    return None if value is None else str(value)


def _plain_offer(record, value: bytes, plan: OfferPlan, batch: OfferBatch) -> bool:
    """Add the final rows of a plain offer to ``batch``; False if the offer needs the row path.

    Plain: a product-level, active offer of a known product whose price types and warehouses
    (goods in transit included) are declared and listed once. The rows are those
    :class:`~b2b_cabinet.sync.offers_load.OfferSink` would build.
    """
    if record.variant_id is not None or record.deleted:
        return False
    prices = None
    if record.prices is not None:
        prices = [(p.price_type_id, str(p.value), p.currency, str(p.coefficient or 1), _text(p.min_quantity))
                  for p in record.prices]
    stocks = None
    if record.stocks is not None:
        stocks = [(s.warehouse_id, str(s.quantity)) for s in record.stocks]
    return _add_plain(record.external_id, prices, _text(record.quantity), stocks, record.requisites, value, plan, batch)


def _add_plain(xid: str, prices, quantity, stocks, requisites, value: bytes, plan: OfferPlan, batch) -> bool:
    """Resolve a product-level offer's keys and add its rows to ``batch``; False if it needs the row path.

    ``prices`` and ``stocks`` as :func:`~b2b_cabinet.sync.reader.offers.read_plain_offer` gives them.
    """
    product = plan.product_ids.get(xid)
    if product is None:
        return False
    rows = None
    if prices is not None:
        types, rows = plan.price_types, []
        for type_xid, amount, currency, coefficient, minimum in prices:
            price_type = types.get(type_xid)
            if price_type is None:
                return False
            rows.append((price_type[0], amount, (currency or price_type[1] or plan.currency)[:3], coefficient, minimum))
        if len({row[0] for row in rows}) < len(rows):
            return False
    stock_rows = None
    if stocks is not None:
        stock_rows = _plain_stocks(stocks, requisites, plan)
        if stock_rows is None:
            return False
    batch.add(xid, product, xid in STATE.known, rows, stock_rows, quantity, value, plan.run_id)
    return True


def _plain_stocks(stocks, requisites, plan: OfferPlan) -> list[tuple] | None:
    """Stock rows ``(warehouse pk, on hand, in transit, expected)``, or None if a warning is due."""
    amount, expected, transit_xid, problem = _transit(requisites)
    warehouses = plan.warehouses
    transit_pk = None
    if amount is not None:
        transit_pk = warehouses.get(transit_xid)
        if transit_pk is None:
            return None
    if problem:
        return None
    rows, listed = [], set()
    for warehouse_xid, quantity in stocks:
        pk = warehouses.get(warehouse_xid)
        if pk is None:
            return None
        if pk in listed:
            continue  # as the row path: the first line of a warehouse counts
        listed.add(pk)
        if pk == transit_pk:
            rows.append((pk, quantity, str(max(amount, 0)), expected))
        else:
            rows.append((pk, quantity, "0", None))
    if transit_pk is not None and transit_pk not in listed:
        rows.append((transit_pk, "0", str(max(amount, 0)), expected))
    return rows
