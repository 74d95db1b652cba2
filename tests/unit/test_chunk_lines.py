"""Chunked reading reports the lines of the original file, although ``plan_chunks`` counts none.

The lines before a chunk are counted in the workers (:func:`~b2b_cabinet.sync.chunks.first_line`)
and shared through the plan's line table; these tests compare every row's line and every error's
line with what the reader's own pass over the whole file says, in any chunk order, with unchanged
records skipped between changed ones, in forked workers, and without the plan's table.
"""

from __future__ import annotations

import multiprocessing

import pytest

from b2b_cabinet.demo.catalogue import write_package
from b2b_cabinet.sync import chunks as chunks_module
from b2b_cabinet.sync.chunks import first_line, plan_chunks, record_slices, share_line_count
from b2b_cabinet.sync.errors import CommerceMLError
from b2b_cabinet.sync.reader import read_document
from b2b_cabinet.sync.reader.prolog import inspect_prolog
from b2b_cabinet.sync.records import OfferRecord, ProductRecord
from b2b_cabinet.sync.workers import STATE, WorkerState, read_offer_chunk, read_product_chunk
from b2b_cabinet.sync.workers.reading import _records
from tests.importing import small_spec

CHUNK = 16 * 1024


@pytest.fixture(scope="module")
def package(tmp_path_factory):
    return write_package(tmp_path_factory.mktemp("lines"), small_spec(products=200, variants_every=7))


@pytest.fixture(autouse=True)
def fresh_state():
    STATE.__dict__.update(WorkerState().__dict__)
    yield
    STATE.__dict__.update(WorkerState().__dict__)


def _plan(path, record: str) -> list:
    chunks = plan_chunks(str(path), inspect_prolog(str(path)), record, CHUNK)
    assert len(chunks) > 4
    return chunks


def _reader_lines(path, kind) -> dict[str, int]:
    return {r.external_id: r.line for r in read_document(path) if isinstance(r, kind)}


def _reader_error(path) -> CommerceMLError:
    with pytest.raises(CommerceMLError) as caught:
        list(read_document(path))
    return caught.value


def _chunked_error(chunks) -> CommerceMLError:
    with pytest.raises(CommerceMLError) as caught:
        for chunk in chunks:
            read_product_chunk(chunk)
    return caught.value


def _share(chunk) -> None:
    share_line_count(chunk, record_slices(chunk)[0].count(b"\n"))


def test_first_line_counts_what_comes_before_the_chunk_in_any_order(package):
    data = package.import_path.read_bytes()
    chunks = _plan(package.import_path, "Товар")
    expected = [data.count(b"\n", 0, chunk.start) + 1 for chunk in chunks]

    assert [first_line(chunk) for chunk in reversed(chunks)] == expected[::-1]
    assert [first_line(chunk) for chunk in _plan(package.import_path, "Товар")] == expected
    chunks_module._LINE_TABLES.clear()  # a chunk planned in another process: counted from the file
    assert [first_line(chunk) for chunk in chunks] == expected


def test_plan_chunks_reads_no_line_counts_and_a_forked_worker_shares_its_own(package):
    chunks = _plan(package.import_path, "Товар")
    table = chunks_module._LINE_TABLES[chunks[0].lines]
    assert not any(table.counts)

    process = multiprocessing.get_context("fork").Process(target=_share, args=(chunks[1],))
    process.start()
    process.join()

    data = package.import_path.read_bytes()
    assert table.counts[2] == data.count(b"\n", chunks[1].start, chunks[1].end) + 1
    assert not table.counts[1]


@pytest.mark.parametrize("order", ["in order", "reversed"])
@pytest.mark.parametrize("skipped", [False, True])
def test_product_rows_carry_the_readers_lines(package, order, skipped):
    expected = _reader_lines(package.import_path, ProductRecord)
    chunks = _plan(package.import_path, "Товар")
    if skipped:
        # Every third record unchanged, every third stored with another digest: gaps between runs.
        for chunk in chunks:
            for k, (_start, _end, digest, xid) in enumerate(_records(chunk)[1]):
                if k % 3 != 2:
                    STATE.known[xid] = digest if k % 3 == 0 else b"other"
    if order == "reversed":
        chunks = chunks[::-1]

    results = [read_product_chunk(chunk) for chunk in chunks]

    lines = {row[0]: row[18] for result in results for row in result.rows}
    assert lines == {xid: expected[xid] for xid in lines}
    assert len(lines) == (len(expected) - sum(r.unchanged for r in results))
    assert sum(len(r.seen) for r in results) == len(expected)


def test_offer_rows_carry_the_readers_lines_in_forked_workers(package):
    expected = _reader_lines(package.offers_path, OfferRecord)
    chunks = _plan(package.offers_path, "Предложение")

    with multiprocessing.get_context("fork").Pool(2) as pool:
        results = pool.map(read_offer_chunk, chunks, chunksize=1)

    assert {row[0]: row[13] for result in results for row in result.rows} == expected


def _spoil(source, tmp_path, old: str, new: str, at: float):
    """A copy of ``source`` with the first ``old`` after ``at`` of its length replaced by ``new``."""
    text = source.read_text(encoding="utf-8")
    position = text.index(old, int(len(text) * at))
    path = tmp_path / source.name
    path.write_text(text[:position] + new + text[position + len(old):], encoding="utf-8")
    return path


@pytest.mark.parametrize("skipped", [False, True])
def test_a_reader_error_in_a_late_chunk_names_the_readers_line(package, tmp_path, skipped):
    path = _spoil(package.import_path, tmp_path, "<Ставка>20</Ставка>", "<Ставка>\n\nабв</Ставка>", 0.8)
    chunks = _plan(path, "Товар")
    if skipped:  # every other record unchanged, but not the spoiled one
        for chunk in chunks:
            data, records = _records(chunk)
            STATE.known.update((xid, digest) for start, end, digest, xid in records[::2]
                               if "абв".encode() not in data[start:end])

    error = _chunked_error(chunks[::-1])

    assert str(error) == str(_reader_error(path))
    assert "VAT rate" in str(error) and error.line > 10_000


def test_a_syntax_error_in_a_late_chunk_names_the_readers_line(package, tmp_path):
    path = _spoil(package.import_path, tmp_path, "</Артикул>", "</Артикулы>", 0.7)
    chunks = _plan(path, "Товар")

    error = _chunked_error(chunks)

    # The line libxml2 quotes inside its message is the parsed slice's (the pipeline re-reads a
    # malformed file with the reader); the error's own line is the file's.
    assert error.line == _reader_error(path).line and error.line > 10_000
    assert "malformed" in str(error)


def test_lines_past_65535_of_a_chunk_are_exact(tmp_path):
    # libxml2 keeps an element's line in 16 bits; past line 65535 lxml takes it from the first
    # child, one line further. Records parsed in batches of BATCH stay far below that.
    info = write_package(tmp_path, small_spec(products=1400))
    data = info.import_path.read_bytes()
    assert data.count(b"\n") > 70_000
    chunks = plan_chunks(str(info.import_path), inspect_prolog(str(info.import_path)), "Товар", len(data))
    assert len(chunks) == 1

    rows = read_product_chunk(chunks[0]).rows

    opening, lines, at = "<Товар>".encode(), [], -1
    while (at := data.find(opening, at + 1)) >= 0:
        lines.append(data.count(b"\n", 0, at) + 1)
    assert [row[18] for row in rows] == lines


def test_without_the_plans_table_a_process_counts_the_file_once(package, monkeypatch):
    data = package.import_path.read_bytes()
    chunks = _plan(package.import_path, "Товар")
    expected = {xid: line for xid, line in _reader_lines(package.import_path, ProductRecord).items()}
    chunks_module._LINE_TABLES.clear()  # as in a worker forked before the plan
    counted = []
    count = chunks_module._count_file_newlines
    monkeypatch.setattr(chunks_module, "_count_file_newlines",
                        lambda path, start, end: counted.append(end - start) or count(path, start, end))

    rows = [row for chunk in chunks for row in read_product_chunk(chunk).rows]

    assert {row[0]: row[18] for row in rows} == expected
    assert sum(counted) <= chunks[0].start  # only the part before the first chunk came from the file
    assert first_line(chunks[-1]) == data.count(b"\n", 0, chunks[-1].start) + 1
