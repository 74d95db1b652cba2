"""``read_plain_offer`` (the workers' fast path) reads exactly what ``read_offer`` reads, or declines."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from b2b_cabinet.demo.catalogue import write_package
from b2b_cabinet.sync.chunks import PARSER_OPTIONS
from b2b_cabinet.sync.reader.fields import Context
from b2b_cabinet.sync.reader.offers import read_offer, read_plain_offer
from b2b_cabinet.sync.reader.tags import tags_for
from tests.importing import FIXTURES, SHARED, small_spec


def _text(value):
    return None if value is None else str(value)


def _as_plain(record) -> tuple:
    """What ``read_plain_offer`` must give for a record ``read_offer`` read."""
    prices = None if record.prices is None else [
        (p.price_type_id, str(p.value), p.currency, str(p.coefficient or 1), _text(p.min_quantity))
        for p in record.prices
    ]
    stocks = None if record.stocks is None else [(s.warehouse_id, str(s.quantity)) for s in record.stocks]
    return record.external_id, prices, _text(record.quantity), stocks, record.requisites


def _compare(path: Path) -> tuple[int, int]:
    """(offers read by the fast path, offers in all) of one file, asserting both readers agree."""
    plain = total = 0
    for _event, element in etree.iterparse(str(path), events=("end",), tag="{*}Предложение", **PARSER_OPTIONS):
        namespace = element.tag[1:].partition("}")[0] if element.tag.startswith("{") else ""
        ctx = Context(str(path), tags_for(namespace))
        total += 1
        fast = read_plain_offer(element, ctx)
        if fast is not None:
            plain += 1
            record = read_offer(element, ctx)
            assert not record.deleted and record.variant_id is None
            assert fast == _as_plain(record), (path.name, element.sourceline)
    return plain, total


def _offer_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*.xml") if not {"attacks", "bad"} & set(p.parts))


def test_the_fast_path_reads_the_generated_package_like_the_reader(tmp_path):
    info = write_package(tmp_path, small_spec(products=200, variants_every=9))
    plain, total = _compare(info.offers_path)
    # Variants decline; the rest, goods in transit (requisites) included, is the common shape.
    assert total > 200 and plain > total // 2


def test_the_fast_path_agrees_with_the_reader_on_the_projects_files():
    counts = [_compare(path) for path in _offer_files(FIXTURES)]
    assert sum(total for _plain, total in counts) > 0


@pytest.mark.skipif(not SHARED.is_dir(), reason=f"the real 1C sample files are not here ({SHARED})")
def test_the_fast_path_agrees_with_the_reader_on_real_1c_files():
    counts = [_compare(path) for path in _offer_files(SHARED)]
    assert sum(plain for plain, _total in counts) > 0
