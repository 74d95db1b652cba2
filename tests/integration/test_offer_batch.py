"""Final price and stock rows built by the workers (``offer_batch``) give what the row path gives."""

import re
from decimal import Decimal

import pytest

from b2b_cabinet.demo.catalogue import write_offers_changed, write_package
from b2b_cabinet.models import ImportRun, OfferState, Price, PriceType, Product, ProductVariant, StockLevel, Warehouse
from b2b_cabinet.sync import offers_load, pipeline
from b2b_cabinet.sync.offer_batch import _copy_line
from tests.importing import catalogue_content, catalogue_snapshot, run_import, small_spec

pytestmark = pytest.mark.django_db


def _irregular(source, target):
    """An offers file whose first offers each need the row path, one way or another."""
    text = source.read_text(encoding="utf-8-sig")
    offers = [m.start() for m in re.finditer("<Предложение>", text)]
    ends = [*offers[1:], text.index("</Предложения>")]
    parts = [text[: offers[0]]] + [text[a:b] for a, b in zip(offers, ends, strict=True)]
    tail = text[text.index("</Предложения>") :]
    # The edits go to product-level offers (variants always take the row path).
    plain = [i for i, part in enumerate(parts) if i and "#" not in re.search(r"<Ид>([^<]*)</Ид>", part).group(1)]
    first, second, third, fourth, fifth, sixth, seventh, eighth, ninth = (parts[i] for i in plain[:9])
    # A price type and a warehouse dropped, the rest repriced.
    first = re.sub(r"<Цена>.*?</Цена>", "", first, count=1, flags=re.S)
    first = re.sub(r'\s*<Склад ИдСклада="[^"]*" КоличествоНаСкладе="[^"]*"/>', "", first, count=1)
    first = first.replace("<ЦенаЗаЕдиницу>", "<ЦенаЗаЕдиницу>1")
    # Listed twice: the second copy, at the end of the file, wins.
    repeated = second.replace("<ЦенаЗаЕдиницу>", "<ЦенаЗаЕдиницу>7")
    # Stock on a warehouse nobody declared: a warning, the rest of the offer loads.
    third = re.sub(r'ИдСклада="[^"]*"', 'ИдСклада="no-such-warehouse"', third, count=1)
    # Deleted in 1C: its product goes inactive.
    fourth = fourth.replace("<Предложение>", '<Предложение Статус="Удален">', 1)
    # A product the site does not have: rejected.
    fifth = re.sub(r"<Ид>[^<]*</Ид>", "<Ид>no-such-product</Ид>", fifth, count=1)
    # A price type listed twice in one offer: the last one counts.
    price = re.search(r"<Цена>.*?</Цена>", sixth, flags=re.S).group(0)
    sixth = sixth.replace("</Цены>", price.replace("<ЦенаЗаЕдиницу>", "<ЦенаЗаЕдиницу>3") + "</Цены>", 1)
    # A warehouse listed twice in one offer: the first line counts.
    line = re.search(r'<Склад ИдСклада="[^"]*" КоличествоНаСкладе="[^"]*"/>', seventh).group(0)
    seventh = seventh.replace("</Предложение>", re.sub(r'НаСкладе="[^"]*"', 'НаСкладе="999"', line) + "</Предложение>")
    # Numbers only the lenient reader reads, a zero coefficient, a minimum quantity, a comment.
    eighth = re.sub(r"<ЦенаЗаЕдиницу>[^<]*", "<ЦенаЗаЕдиницу>1 234,50", eighth, count=1)
    eighth = re.sub(r'КоличествоНаСкладе="[^"]*"', 'КоличествоНаСкладе="007"', eighth, count=1)
    price = re.search(r"<Цена>.*?</Цена>", ninth, flags=re.S).group(0)
    terms = re.sub(r"<Коэффициент>[^<]*</Коэффициент>", "<Коэффициент>0</Коэффициент><МинКоличество>10</МинКоличество>",
                   price)
    ninth = ninth.replace(price, terms, 1).replace("<Цены>", "<Цены><!-- 1C -->", 1)
    edited = (first, second, third, fourth, fifth, sixth, seventh, eighth, ninth)
    for i, part in zip(plain[:9], edited, strict=True):
        parts[i] = part
    body = "".join(parts) + repeated + tail
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(body, encoding="utf-8")
    return target


def _steps(tmp_path, info, spec):
    changed = write_offers_changed(tmp_path / "changed", spec)
    irregular = _irregular(changed.offers_path, tmp_path / "irregular" / "offers.xml")
    return [(info.import_path, info.offers_path), (changed.offers_path,), (irregular,), (info.offers_path,)]


def _outcome(run: ImportRun) -> tuple:
    issues = sorted(run.issues.values_list("level", "line", "element", "external_id", "message"))
    return (run.status, run.created, run.updated, run.unchanged, run.deactivated, run.rejected, issues)


def _content() -> dict:
    """The catalogue by content, with every price column the import writes."""
    terms = Price.objects.order_by("product__external_id", "variant__external_id", "price_type_id").values_list(
        "product__external_id", "variant__external_id", "price_type_id", "value", "currency", "unit_ratio",
        "min_quantity",
    )
    return {**catalogue_content(), "price_terms": list(terms)}


def _wipe():
    for model in (Price, StockLevel, OfferState, ProductVariant, Product):
        model.objects.all().delete()


@pytest.fixture
def batches(monkeypatch):
    """Counts the offers that reached the writer as worker-built rows."""
    seen = {"offers": 0}
    write = offers_load.OfferSink.write

    def counting(self, result):
        if result.batch:
            seen["offers"] += result.batch.existing + result.batch.new
        write(self, result)

    monkeypatch.setattr(offers_load.OfferSink, "write", counting)
    return seen


def test_worker_built_rows_give_the_catalogue_the_row_path_gives(tmp_path, monkeypatch, batches):
    spec = small_spec(products=300, variants_every=7)
    info = write_package(tmp_path / "p", spec)
    steps = _steps(tmp_path, info, spec)
    one_pass = []
    with monkeypatch.context() as rows_only:
        rows_only.setattr(pipeline, "PLAN_SMALL_FILES", False)
        for files in steps:
            one_pass.append((_outcome(run_import(*files)), _content()))
    assert batches["offers"] == 0  # read in this process, row by row

    # Small files with final rows built by the reader, in this process, with keys of the products named.
    _wipe()
    for files, expected in zip(steps, one_pass, strict=True):
        assert (_outcome(run_import(*files)), _content()) == expected
    assert batches["offers"] > 3 * 250
    batches["offers"] = 0

    # Big files: worker processes, keys of every product.
    _wipe()
    monkeypatch.setattr(pipeline, "SMALL_FILE", 1)
    monkeypatch.setattr(pipeline, "CHUNK_SIZE", 64 * 1024)
    for files, expected in zip(steps, one_pass, strict=True):
        assert (_outcome(run_import(*files)), _content()) == expected

    # Most offers took the batch path (every step but the irregular one has no exception at all).
    assert batches["offers"] > 3 * 250
    irregular_text = steps[2][0].read_text(encoding="utf-8")
    assert "1 234,50" in irregular_text and "<Коэффициент>0</Коэффициент><МинКоличество>" in irregular_text
    irregular = one_pass[2]
    assert any(value == Decimal("1234.50") for *_, value, _c, _r, _m in irregular[1]["price_terms"])
    assert any(minimum == 10 and ratio == 1 for *_, _v, _c, ratio, minimum in irregular[1]["price_terms"])
    assert irregular[0][0] == ImportRun.Status.SUCCESS
    assert irregular[0][5] == 1 and irregular[0][4] == 1  # rejected, deactivated
    assert {issue[2] for issue in irregular[0][6]} >= {"Склад", "Предложение"}


def test_a_failure_after_worker_built_rows_were_written_changes_nothing(tmp_path, monkeypatch):
    spec = small_spec(products=300)
    info = write_package(tmp_path / "p", spec)
    run_import(info.import_path, info.offers_path)
    before = catalogue_snapshot()
    changed = write_offers_changed(tmp_path / "changed", spec)
    text = changed.offers_path.read_text(encoding="utf-8-sig")
    last = text.rindex("<ИдТипаЦены>")
    broken = tmp_path / "offers.xml"
    tail = re.sub(r"<ИдТипаЦены>[^<]*", "<ИдТипаЦены>no-such-price-type", text[last:], count=1)
    broken.write_text(text[:last] + tail, encoding="utf-8")
    monkeypatch.setattr(pipeline, "SMALL_FILE", 1)
    monkeypatch.setattr(pipeline, "CHUNK_SIZE", 64 * 1024)

    run = run_import(broken)

    assert run.status == ImportRun.Status.FAILED
    assert "no-such-price-type" in run.error and "line" in run.error
    assert catalogue_snapshot() == before


def test_copy_text_escapes_what_postgresql_would_misread():
    line = _copy_line(("a\tb\\c\nd", None, 5, b"\x01\xff", "RUB"))
    assert line == "a\\tb\\\\c\\nd\t\\N\t5\t\\\\x01ff\tRUB\n"


@pytest.mark.parametrize("rows_only", [True, False], ids=["row path", "worker-built rows"])
def test_an_offer_listing_every_1c_price_type_still_replaces_a_price_of_another_type(tmp_path, monkeypatch,
                                                                                  rows_only):
    """Worker-built rows skip the stale-row statements for an offer that lists every price type and
    warehouse of the site; a type or warehouse made on the site, not in 1C, means it does not."""
    spec = small_spec(products=60)
    info = write_package(tmp_path / "p", spec)
    run_import(info.import_path, info.offers_path)
    product = Product.objects.filter(variants=None).order_by("pk").first()
    manual_type = PriceType.objects.create(name="Ручная")
    manual_store = Warehouse.objects.create(name="Склад на сайте")
    Price.objects.create(product=product, price_type=manual_type, value=Decimal("1.00"), currency="RUB")
    StockLevel.objects.create(product=product, warehouse=manual_store, on_hand=5, reserved=0, in_transit=0,
                              synced_run=0)
    monkeypatch.setattr(pipeline, "PLAN_SMALL_FILES", not rows_only)

    run = run_import(write_offers_changed(tmp_path / "changed", spec).offers_path)

    assert run.status == ImportRun.Status.SUCCESS, run.error
    # The offer's prices are exactly what 1C listed; the warehouse it did not list holds nothing.
    assert not product.prices.filter(price_type=manual_type).exists()
    assert product.prices.count() == PriceType.objects.exclude(external_id=None).count()
    assert product.stock_levels.get(warehouse=manual_store).on_hand == 0
