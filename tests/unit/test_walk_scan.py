"""The compiled scanner (``reader/_scan.pxi``) reads a record as lxml does, or declines.

Soundness is what matters: whatever the scanner accepts, lxml must accept too (parsing the
record on its own, as the workers' fallback does) and the walkers must read the same fields from
both. Declining is always allowed: the record then goes through lxml.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from b2b_cabinet.demo.catalogue import write_package
from b2b_cabinet.sync.chunks import RECORD_PARSER_OPTIONS
from b2b_cabinet.sync.reader import compiled
from tests.importing import FIXTURES, SHARED, small_spec
from tests.unit.test_walk_compiled import OFFERS, PRODUCTS

pytestmark = pytest.mark.skipif(
    not compiled.AVAILABLE, reason="the package was installed without its compiled walker (no C compiler)"
)

PARSER = etree.XMLParser(**RECORD_PARSER_OPTIONS)


def _typed(value):
    if isinstance(value, (tuple, list)):
        return (type(value).__name__, [_typed(item) for item in value])
    return (type(value).__name__, value)


def _check(record: bytes, *, offer: bool = False) -> bool:
    """Whether the scanner took ``record``; if it did, lxml agrees (parses it, same fields)."""
    walker = compiled.walker_for("")
    scan = walker.scan_plain_offer if offer else walker.scan_product
    padded = b"  " + record + b"\n "  # the bounds are honoured, whatever surrounds them
    got = scan(padded, 2, len(padded) - 1)
    if got is None:
        return False
    try:
        element = etree.fromstring(record, PARSER)
    except etree.XMLSyntaxError as exc:  # pragma: no cover - a failure of the test
        raise AssertionError(f"the scanner accepted XML lxml refuses ({exc}): {record!r}") from None
    expected = walker.plain_offer(element) if offer else walker.product_fields(element)
    assert _typed(got) == _typed(expected), record
    return True


def _records(path: Path, name: str) -> list[bytes]:
    data = path.read_bytes()
    opening, closing = f"<{name}".encode(), f"</{name}>".encode()
    found, at = [], 0
    while (start := data.find(opening, at)) >= 0:
        if data[start + len(opening): start + len(opening) + 1] not in (b">", b" ", b"\n", b"\t", b"\r"):
            at = start + 1
            continue
        end = data.find(closing, start)
        if end < 0:
            break
        found.append(data[start: end + len(closing)])
        at = end
    return found


def _utf8_files(root: Path) -> list[Path]:
    files = []
    for path in sorted(root.rglob("*.xml")):
        if {"attacks", "bad"} & set(path.parts):
            continue
        head = path.read_bytes()[:200].lower()
        if b"windows-1251" not in head and b"cp1251" not in head:
            files.append(path)
    return files


def _check_files(root: Path) -> tuple[int, int]:
    taken = total = 0
    for path in _utf8_files(root):
        for name, offer in (("Товар", False), ("Предложение", True)):
            for record in _records(path, name):
                total += 1
                taken += _check(record, offer=offer)
    return taken, total


def test_the_scanner_agrees_with_lxml_on_the_fixtures():
    taken, total = _check_files(FIXTURES)
    assert taken and total


@pytest.mark.skipif(not SHARED.is_dir(), reason=f"the real 1C sample files are not here ({SHARED})")
def test_the_scanner_agrees_with_lxml_on_every_real_1c_file():
    taken, total = _check_files(SHARED)
    assert taken >= 500 and total >= 1000


def test_the_scanner_reads_every_record_of_a_generated_package(tmp_path):
    info = write_package(tmp_path, small_spec(products=200, variants_every=7))
    products = _records(info.import_path, "Товар")
    assert len(products) == 200 and all(_check(record) for record in products)
    offers = _records(info.offers_path, "Предложение")
    plain = sum(_check(record, offer=True) for record in offers)
    assert plain > len(offers) // 2  # variants and goods in transit are not plain offers


def test_the_edge_cases_read_alike():
    for record in PRODUCTS:
        _check(record.encode())
    for record in OFFERS:
        _check(record.encode(), offer=True)
    # Plain markup with entities, references, NBSP and CRLF line ends is the scanner's own.
    assert _check(PRODUCTS[0].encode())
    assert _check("<Товар>\r\n<Ид>a&amp;b&#x41;&#1041;</Ид>\r\n<Наименование>x\r\ny\rz</Наименование></Товар>".encode())
    assert _check('<Предложение Тип="a\tb\r\nc"><Ид>o</Ид><Количество>1</Количество></Предложение>'.encode(),
                  offer=True)


_PRODUCT = "<Товар>%b</Товар>".encode()
DECLINED = [
    _PRODUCT % b"<x></y>",  # mismatched
    '<Товар a="1" a="2"><Ид>x</Ид></Товар>'.encode(),  # repeated attribute
    "<Товар a=1><Ид>x</Ид></Товар>".encode(),  # unquoted value
    '<Товар a="1"b="2"><Ид>x</Ид></Товар>'.encode(),  # attributes not apart
    '<Товар a="<"><Ид>x</Ид></Товар>'.encode(),
    "<Товар><Ид>&nbsp;</Ид></Товар>".encode(),  # an entity no DTD declares
    "<Товар><Ид>&#0;</Ид></Товар>".encode(),
    "<Товар><Ид>&#xD800;</Ид></Товар>".encode(),
    "<Товар><Ид>&#x110000;</Ид></Товар>".encode(),
    "<Товар><Ид>&amp</Ид></Товар>".encode(),
    "<Товар><Ид>a]]>b</Ид></Товар>".encode(),
    "<Товар><Ид>a\x01b</Ид></Товар>".encode(),
    "<Товар><Ид>x</Ид>".encode(),  # unterminated
    "<Товар><Ид>x</Ид></Товар><extra/>".encode(),
    "<Товар><1a>x</1a></Товар>".encode(),
    "<Товар><a:b>x</a:b></Товар>".encode(),  # a prefix: namespaces are lxml's
    "<Товар><!-- c --><Ид>x</Ид></Товар>".encode(),
    "<Товар><Ид><![CDATA[x]]></Ид></Товар>".encode(),
    "<Товар><?pi x?><Ид>x</Ид></Товар>".encode(),
    _PRODUCT % b"<a>\xc0\x80</a>",  # overlong
    _PRODUCT % b"<a>\x80</a>",  # lone continuation
    _PRODUCT % b"<a>\xed\xa0\x80</a>",  # surrogate
    _PRODUCT % b"<a>\xef\xbf\xbe</a>",  # U+FFFE
    _PRODUCT % b"<a>\xd0</a>",  # truncated
    "<Товары><Ид>x</Ид></Товары>".encode(),  # not the record element
    '<Товар xmlns=" "><Ид>1</Ид></Товар>'.encode(),  # a namespace declaration (and a bad one)
    '<Товар><Ид>1</Ид><Наименование xmlns="u">n</Наименование></Товар>'.encode(),  # lxml: not our element
    ("<Товар " + " ".join(f'a{i}=""' for i in range(30000)) + "><Ид>x</Ид></Товар>").encode(),  # quadratic
]


@pytest.mark.parametrize("record", DECLINED, ids=range(len(DECLINED)))
def test_xml_outside_the_subset_is_declined(record):
    walker = compiled.walker_for("")
    assert walker.scan_product(record, 0, len(record)) is None


def test_a_walker_for_a_namespace_does_not_scan():
    record = "<Товар><Ид>x</Ид></Товар>".encode()
    assert compiled.walker_for("urn:1C.ru:commerceml_2").scan_product(record, 0, len(record)) is None
    assert compiled.walker_for("").scan_product(record, 0, len(record))[0] == "x"
    with pytest.raises(IndexError):
        compiled.walker_for("").scan_product(record, 0, len(record) + 1)


SEED = (
    '<Товар Статус="Новый">\r\n  <Ид>p-1&amp;2</Ид><Наименование>Лампа &#1041;\u00a0E27</Наименование>'
    '<БазоваяЕдиница Код="796" НаименованиеПолное="Штука">шт<Пересчет><Коэффициент>2</Коэффициент></Пересчет>'
    "</БазоваяЕдиница><ЗначенияСвойств><ЗначенияСвойства><Ид>s</Ид><Значение>v</Значение></ЗначенияСвойства>"
    "</ЗначенияСвойств><Группы><Ид>g</Ид></Группы><СтавкиНалогов><СтавкаНалога><Наименование>НДС</Наименование>"
    "<Ставка>20</Ставка></СтавкаНалога></СтавкиНалогов></Товар>"
).encode()
PIECES = [b"<", b">", b"/", b"&", b";", b"#", b"x", b"=", b'"', b"'", b" ", b"\r", b"\n", b"\t", b"]", b"!", b"?",
          b":", b"\x00", b"\x01", b"\x80", b"\xd0", b"\xd1\x91", b"\xed\xa0\x80", b"\xf4\x90\x80\x80", b"&#1;",
          b"&lt;", b"&#x10FFFF;", b"<a>", b"</a>", b"<a/>", b' xmlns="u"', b" xmlns", b"\xd0\x98\xd0\xb4", "Ё".encode()]


@settings(max_examples=600, deadline=None, derandomize=True)
@given(st.lists(st.tuples(st.integers(0, len(SEED)), st.integers(0, 3), st.sampled_from(PIECES)), max_size=4))
def test_whatever_the_scanner_accepts_lxml_reads_the_same(edits):
    """Random damage to a valid record: the scanner must decline anything lxml would not read alike."""
    record = SEED
    for at, cut, piece in edits:
        at = min(at, len(record))
        record = record[:at] + piece + record[at + cut:]
    _check(record)


def test_the_undamaged_seed_is_scanned():
    assert _check(SEED)


def test_many_damaged_records_are_taken_or_declined_soundly():
    """The same damage, many times over, deterministically: both outcomes occur, and every record
    taken reads as lxml reads it (so the property above is not vacuous)."""
    import random

    rng = random.Random(20261128)
    taken = declined = 0
    for _ in range(4000):
        record = SEED
        for _ in range(rng.randint(1, 2)):
            at = rng.randint(0, len(record))
            record = record[:at] + rng.choice(PIECES) + record[at + rng.randint(0, 2):]
        if _check(record):
            taken += 1
        else:
            declined += 1
    assert taken > 50 and declined > 1000


def test_the_arena_gives_back_the_memory_of_a_huge_record():
    walker = compiled.walker_for("")
    small = "<Товар><Ид>s</Ид><Наименование>Кабель</Наименование></Товар>".encode()
    value = "<ЗначенияСвойства><Ид>p{0}</Ид><Значение>{0}</Значение></ЗначенияСвойства>"
    values = "".join(value.format(i) for i in range(40_000))
    huge = f"<Товар><Ид>h</Ид><ЗначенияСвойств>{values}</ЗначенияСвойств></Товар>".encode()
    assert len(huge) > 3_000_000
    assert walker.scan_product(small, 0, len(small))[0] == "s"
    usual = walker._arena_bytes()
    assert walker.scan_product(huge, 0, len(huge))[0] == "h"
    assert walker._arena_bytes() > 10 * usual
    assert walker.scan_product(small, 0, len(small))[0] == "s"
    assert walker._arena_bytes() <= usual  # back to what ordinary records use
