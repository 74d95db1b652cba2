"""The workers' batch parsing reads what the event loop reads, or declines and lets it read.

Each file below is read in chunks (by the worker code, which takes batches when it can) and by
the reader's own pass; their rows must be equal, lines included.
"""

from __future__ import annotations

import pytest

from b2b_cabinet.sync.batches import BatchParser
from b2b_cabinet.sync.chunks import plan_chunks, record_slices
from b2b_cabinet.sync.errors import CommerceMLError
from b2b_cabinet.sync.reader import read_document
from b2b_cabinet.sync.reader.prolog import inspect_prolog
from b2b_cabinet.sync.records import ProductRecord
from b2b_cabinet.sync.workers import STATE, WorkerState, read_product_chunk
from b2b_cabinet.sync.workers.rows import product_row

NS = "urn:1C.ru:commerceml_2"


@pytest.fixture(autouse=True)
def fresh_state():
    STATE.__dict__.update(WorkerState().__dict__)
    yield
    STATE.__dict__.update(WorkerState().__dict__)


def _product(k: int, extra: str = "") -> str:
    return (f"<Товар>\n  <Ид>p{k}</Ид>\n  <Наименование>Товар {k}</Наименование>\n{extra}"
            f"  <СтавкиНалогов><СтавкаНалога><Наименование>НДС</Наименование><Ставка>20</Ставка>"
            f"</СтавкаНалога></СтавкиНалогов>\n</Товар>\n")


def _file(tmp_path, products: list[str], root: str = f'<КоммерческаяИнформация xmlns="{NS}" ВерсияСхемы="2.07">'):
    text = (f'<?xml version="1.0" encoding="UTF-8"?>\n{root}\n<Каталог>\n<Товары>\n' + "".join(products)
            + "</Товары>\n</Каталог>\n</КоммерческаяИнформация>\n")
    path = tmp_path / "import.xml"
    path.write_text(text, encoding="utf-8")
    return path


def _chunks(path, size: int = 2048):
    return plan_chunks(str(path), inspect_prolog(str(path)), "Товар", size)


def _chunked_rows(path) -> list[tuple]:
    return [row for chunk in _chunks(path) for row in read_product_chunk(chunk).rows]


def _reader_rows(path) -> list[tuple]:
    return [product_row(r, b"", r.line)[:16] + product_row(r, b"", r.line)[17:]
            for r in read_document(path) if isinstance(r, ProductRecord)]


def _same_as_reader(path) -> None:
    chunked = [row[:16] + row[17:] for row in _chunked_rows(path)]  # without the digest of the bytes
    assert chunked == _reader_rows(path)


def test_plain_records_lose_the_default_namespace_and_read_the_same(tmp_path):
    path = _file(tmp_path, [_product(k) for k in range(200)])
    chunk = _chunks(path)[1]
    parser = BatchParser.for_chunk(chunk, record_slices(chunk)[0])
    assert parser.namespace == "" and b"xmlns" not in parser.head
    _same_as_reader(path)


def test_a_root_tag_over_several_lines_keeps_its_line_count(tmp_path):
    root = f'<КоммерческаяИнформация\n    xmlns="{NS}"\n    ВерсияСхемы="2.07">'
    path = _file(tmp_path, [_product(k) for k in range(200)], root)
    chunk = _chunks(path)[2]
    parser = BatchParser.for_chunk(chunk, record_slices(chunk)[0])
    assert parser.namespace == "" and parser.head.count(b"\n") == chunk.head.count(b"\n")
    _same_as_reader(path)


@pytest.mark.parametrize(
    "extra",
    [
        '  <Описание xmlns="">undeclared</Описание>\n',  # an element the readers must not see
        '  <p:Артикул xmlns:p="urn:1C.ru:commerceml_2">A-1</p:Артикул>\n',  # one they must see
        f'  <Артикул xmlns="{NS}">A-2</Артикул>\n',
    ],
)
def test_namespace_declarations_in_records_keep_the_namespace(tmp_path, extra):
    path = _file(tmp_path, [_product(k, extra if k % 7 == 3 else "") for k in range(200)])
    chunks = _chunks(path)
    data = record_slices(chunks[0])[0]
    assert b"xmlns" in data
    assert BatchParser.for_chunk(chunks[0], data).namespace == NS
    _same_as_reader(path)


def test_a_prefix_bound_to_the_default_namespace_keeps_it(tmp_path):
    root = f'<КоммерческаяИнформация xmlns="{NS}" xmlns:c="{NS}" ВерсияСхемы="2.07">'
    extra = "  <c:Артикул>A-3</c:Артикул>\n"
    path = _file(tmp_path, [_product(k, extra) for k in range(200)], root)
    chunk = _chunks(path)[1]
    assert BatchParser.for_chunk(chunk, record_slices(chunk)[0]).namespace == NS
    _same_as_reader(path)


def test_a_prefixed_record_tag_is_left_to_the_event_loop(tmp_path):
    root = f'<КоммерческаяИнформация xmlns="{NS}" xmlns:c="{NS}" ВерсияСхемы="2.07">'
    products = [_product(k) for k in range(200)]
    products[50] = products[50].replace("<Товар>", "<c:Товар>").replace("</Товар>", "</c:Товар>")
    path = _file(tmp_path, products, root)
    chunk = next(c for c in _chunks(path) if b"<c:" in record_slices(c)[0])
    assert BatchParser.for_chunk(chunk, record_slices(chunk)[0]) is None
    with pytest.raises(CommerceMLError, match="unexpected element layout"):  # as before batches
        for each in _chunks(path):
            read_product_chunk(each)


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        ("<!-- a comment between records -->\n", "same"),
        ("<?pi between records?>\n", "same"),
        ("<Мусор>between records</Мусор>\n", "declined"),
        ("<![CDATA[ <Товар> ]]>", "broken"),
        ("<Описание><![CDATA[ <Товар> inside ]]></Описание>\n", "boundaries"),
    ],
)
def test_blocks_that_are_not_just_records_are_declined(tmp_path, extra, expected):
    products = [_product(k) for k in range(200)]
    products[70] = products[70] + extra if expected != "boundaries" else _product(70, extra)
    path = _file(tmp_path, products)
    chunk = next(c for c in _chunks(path) if b"p70<" in record_slices(c)[0])
    data, offsets = record_slices(chunk)
    parser = BatchParser.for_chunk(chunk, data)
    elements = parser.parse(data, len(offsets) - 1)
    assert (elements is not None) == (expected == "same")
    if expected in ("same", "declined"):
        _same_as_reader(path)
    else:
        with pytest.raises(CommerceMLError, match="malformed"):
            _chunked_rows(path)


def test_an_error_in_a_later_block_comes_after_the_rows_of_the_earlier_ones(tmp_path):
    products = [_product(k) for k in range(200)]
    products[150] = products[150].replace("<Ставка>20</Ставка>", "<Ставка>\nабв</Ставка>")
    path = _file(tmp_path, products)
    with pytest.raises(CommerceMLError) as chunked:
        _chunked_rows(path)
    with pytest.raises(CommerceMLError) as whole:
        list(read_document(path))
    assert str(chunked.value) == str(whole.value)


def test_the_rows_are_the_same_without_the_compiled_walker(tmp_path, monkeypatch):
    """An install without a C compiler reads every record with the Python walker: same rows."""
    from b2b_cabinet.demo.catalogue import write_package
    from b2b_cabinet.sync.workers import reading
    from tests.importing import small_spec

    info = write_package(tmp_path, small_spec(products=150, variants_every=7))
    chunks = plan_chunks(str(info.import_path), inspect_prolog(str(info.import_path)), "Товар", 16384)
    assert len(chunks) > 3
    compiled_rows = [row for chunk in chunks for row in read_product_chunk(chunk).rows]
    monkeypatch.setattr(reading, "walker_for", lambda namespace: None)
    python_rows = [row for chunk in chunks for row in read_product_chunk(chunk).rows]
    assert len(python_rows) == 150 and python_rows == compiled_rows
