"""The import pipeline end to end on generated and hand-written CommerceML packages."""

import re
import shutil
from decimal import Decimal

import pytest

from b2b_cabinet.demo.catalogue import write_delta, write_offers_changed, write_package
from b2b_cabinet.models import (
    Category,
    ImportIssue,
    ImportRun,
    OfferState,
    Price,
    Product,
    ProductImage,
    ProductVariant,
    StockLevel,
)
from b2b_cabinet.sync import pipeline
from tests.importing import FIXTURES, catalogue_content, catalogue_snapshot, run_import, small_spec

pytestmark = pytest.mark.django_db


@pytest.fixture
def package(tmp_path):
    spec = small_spec()
    info = write_package(tmp_path / "full", spec)
    return spec, info


def test_a_full_package_loads_products_prices_stock_and_goods_in_transit(package):
    _spec, info = package
    run = run_import(info.import_path, info.offers_path)

    assert run.status == ImportRun.Status.SUCCESS, run.error
    assert (run.created, run.items) == (80, 80)
    assert Product.objects.filter(is_active=True).count() == 40
    assert Price.objects.count() == 40 * 3
    assert StockLevel.objects.count() == 40 * 3
    transit = StockLevel.objects.filter(in_transit__gt=0)
    assert transit.count() == 4 and all(level.expected_at for level in transit)
    product = Product.objects.get(external_id=info.product_ids[1])
    assert product.category.path.startswith("/") and product.category.get_ancestors()
    assert product.brand and product.unit and product.vat_rate == Decimal("20")
    prices = sorted(product.prices.values_list("value", flat=True))
    assert prices[0] < prices[1] < prices[2]


def test_the_same_package_again_changes_nothing(package):
    _, info = package
    run_import(info.import_path, info.offers_path)
    before = catalogue_snapshot()

    run = run_import(info.import_path, info.offers_path)

    assert (run.unchanged, run.created, run.updated) == (80, 0, 0)
    assert catalogue_snapshot() == before


def test_changed_prices_and_stock_are_rewritten_without_touching_products(package, tmp_path):
    spec, info = package
    run_import(info.import_path, info.offers_path)
    products_before = catalogue_snapshot()["Product"]
    changed = write_offers_changed(tmp_path / "changed", spec)

    run = run_import(changed.offers_path)

    assert run.updated == 40
    first = Product.objects.get(external_id=info.product_ids[0])
    assert first.prices.count() == 3
    after = [row for row in catalogue_snapshot()["Product"]]
    assert [r[:5] for r in after] == [r[:5] for r in products_before]


def test_a_delta_updates_only_what_it_holds_and_deactivates_nothing(package, tmp_path):
    spec, info = package
    run_import(info.import_path, info.offers_path)
    delta = write_delta(tmp_path / "delta", spec, fraction=0.1)

    run = run_import(delta.import_path, delta.offers_path)

    assert run.status == ImportRun.Status.SUCCESS
    assert run.updated == 8 and run.deactivated == 0
    assert Product.objects.filter(is_active=True).count() == 40
    assert Product.objects.filter(name__contains="нов. ред.").count() == 4


def test_a_full_upload_deactivates_products_it_no_longer_contains(package, tmp_path):
    _spec, info = package
    run_import(info.import_path, info.offers_path)
    smaller = write_package(tmp_path / "smaller", small_spec(products=30))

    run = run_import(smaller.import_path)

    assert run.deactivated == 10
    assert Product.objects.filter(is_active=True).count() == 30


def test_products_marked_deleted_in_1c_become_inactive(tmp_path):
    info = write_package(tmp_path, small_spec(deleted_every=5))
    run_import(info.import_path, info.offers_path)
    assert Product.objects.filter(is_active=False).count() == 8


def test_a_truncated_file_fails_with_its_line_and_changes_nothing(package, tmp_path):
    _, info = package
    run_import(info.import_path, info.offers_path)
    before = catalogue_snapshot()
    data = info.import_path.read_bytes()
    broken = tmp_path / "broken" / "import.xml"
    broken.parent.mkdir()
    broken.write_bytes(data[: int(len(data) * 0.7)])

    run = run_import(broken, info.offers_path)

    assert run.status == ImportRun.Status.FAILED
    assert "import.xml" in run.error and "line" in run.error
    assert run.issues.filter(level=ImportIssue.Level.ERROR).exists()
    assert catalogue_snapshot() == before


def test_a_dry_run_reports_what_it_would_do_and_changes_nothing(package):
    _, info = package
    before = catalogue_snapshot()
    run = run_import(info.import_path, info.offers_path, dry_run=True)
    assert run.status == ImportRun.Status.DRY_RUN and run.created == 80
    assert catalogue_snapshot() == before


def test_an_unknown_price_type_fails_the_run_naming_the_offer(package, tmp_path):
    _, info = package
    run_import(info.import_path, info.offers_path)
    before = catalogue_snapshot()
    text = (FIXTURES / "pipeline" / "offers_unknown_price_type.xml").read_text(encoding="utf-8")
    offers = tmp_path / "offers.xml"
    offers.write_text(text.replace("PRODUCT-ID-PLACEHOLDER", info.product_ids[0]), encoding="utf-8")

    run = run_import(offers)

    assert run.status == ImportRun.Status.FAILED
    assert "no-such-price-type" in run.error and "<Цена>" in run.error and info.product_ids[0] in run.error
    assert "line 7" in run.error  # the offer holding the price
    assert catalogue_snapshot() == before


def test_an_offer_for_an_unknown_product_is_rejected_and_reported(tmp_path):
    info = write_package(tmp_path, small_spec())
    run = run_import(info.offers_path)
    assert run.status == ImportRun.Status.SUCCESS
    assert run.rejected == 40
    issue = run.issues.filter(level=ImportIssue.Level.REJECTED).first()
    assert issue.file == "offers.xml" and issue.line and issue.external_id == info.offer_ids[0]


def test_editorial_content_survives_an_import_that_changes_the_product(package, tmp_path):
    spec, info = package
    run_import(info.import_path, info.offers_path)
    product = Product.objects.get(external_id=info.product_ids[0])
    product.editorial_description = "Written by Мария in Wagtail"
    product.save()
    delta = write_delta(tmp_path / "delta", spec, fraction=1.0)

    run_import(delta.import_path)

    product.refresh_from_db()
    assert "нов. ред." in product.name
    assert product.editorial_description == "Written by Мария in Wagtail"


def test_204_goods_files_with_characteristics_become_variants():
    run = run_import(FIXTURES / "pipeline" / "goods_204_variants.xml")
    assert run.status == ImportRun.Status.SUCCESS, run.error
    product = Product.objects.get(external_id="boot-1")
    assert sorted(product.variants.values_list("characteristics", flat=True), key=str) == [
        {"Размер": "38"},
        {"Размер": "39"},
    ]
    assert Category.objects.get(external_id="g-shoes").products.count() == 1


def test_an_orders_document_is_refused_with_advice(tmp_path):
    document = tmp_path / "orders.xml"
    document.write_text(
        '<?xml version="1.0" encoding="UTF-8"?><КоммерческаяИнформация ВерсияСхемы="2.03"><Документ><Ид>1</Ид>'
        "<Номер>1</Номер><ХозОперация>Заказ товара</ХозОперация></Документ></КоммерческаяИнформация>",
        encoding="utf-8",
    )
    run = run_import(document)
    assert run.status == ImportRun.Status.FAILED
    assert "orders.xml" in run.error and "type=sale" in run.error


def test_chunked_parallel_reading_gives_the_same_catalogue_as_one_pass(tmp_path, monkeypatch):
    info = write_package(tmp_path / "p", small_spec(products=300, variants_every=7))
    run_import(info.import_path, info.offers_path)
    one_pass = catalogue_content()
    for model in (Price, StockLevel, ProductVariant, Product):
        model.objects.all().delete()
    monkeypatch.setattr(pipeline, "SMALL_FILE", 1)
    monkeypatch.setattr(pipeline, "CHUNK_SIZE", 64 * 1024)

    run = run_import(info.import_path, info.offers_path)

    assert run.status == ImportRun.Status.SUCCESS, run.error
    assert catalogue_content() == one_pass
    assert len(one_pass["variants"]) > 40 and len(one_pass["prices"]) > 900


def test_a_truncated_file_is_reported_at_the_right_line_when_read_in_chunks(package, tmp_path, monkeypatch):
    _, info = package
    monkeypatch.setattr(pipeline, "SMALL_FILE", 1)
    monkeypatch.setattr(pipeline, "CHUNK_SIZE", 16 * 1024)
    lines = info.import_path.read_bytes().split(b"\n")
    broken = tmp_path / "import.xml"
    broken.write_bytes(b"\n".join(lines[:-60]))

    run = run_import(broken)

    assert run.status == ImportRun.Status.FAILED
    assert "import.xml" in run.error and "malformed or truncated" in run.error
    assert Product.objects.count() == 0


def test_images_in_the_package_are_stored_and_linked(tmp_path):
    info = write_package(tmp_path, small_spec(products=5, images=True))
    run_import(info.import_path)
    images = ProductImage.objects.all()
    assert images.count() == 5
    assert all(image.file.storage.exists(image.file.name) for image in images)


def test_a_missing_image_is_a_warning_not_a_failure(tmp_path):
    info = write_package(tmp_path, small_spec(products=3, images=True))
    shutil.rmtree(tmp_path / "import_files")
    run = run_import(info.import_path)
    assert run.status == ImportRun.Status.SUCCESS
    assert run.issues.filter(level=ImportIssue.Level.WARNING, element="Картинка").count() == 3


def test_products_dropped_by_a_full_upload_come_back_when_1c_lists_them_again(tmp_path):
    full = write_package(tmp_path / "full", small_spec(products=30))
    smaller = write_package(tmp_path / "smaller", small_spec(products=20))
    run_import(full.import_path)
    run_import(smaller.import_path)
    assert Product.objects.filter(is_active=True).count() == 20

    run = run_import(full.import_path)

    assert run.status == ImportRun.Status.SUCCESS
    assert Product.objects.filter(is_active=True).count() == 30


def test_a_bad_arrival_date_is_a_warning_and_the_rest_loads(package, tmp_path):
    _, info = package
    text = info.offers_path.read_text(encoding="utf-8-sig")
    start = text.index("<Значение>", text.index("Дата поступления"))
    end = text.index("</Значение>", start)
    broken = tmp_path / "offers.xml"
    broken.write_text(text[:start] + "<Значение>4 декабря" + text[end:], encoding="utf-8")

    run = run_import(info.import_path, broken)

    assert run.status == ImportRun.Status.SUCCESS, run.error
    warning = run.issues.get(element="ЗначенияРеквизитов")
    assert "4 декабря" in warning.message and warning.line
    assert StockLevel.objects.filter(in_transit__gt=0, expected_at=None).count() == 1


def _media_files(settings) -> set[str]:
    import os

    return {os.path.join(d, f) for d, _, files in os.walk(settings.MEDIA_ROOT) for f in files}


def test_a_dry_run_leaves_no_picture_files_behind(tmp_path, settings):
    info = write_package(tmp_path, small_spec(products=3, images=True))
    before = _media_files(settings)
    run = run_import(info.import_path, dry_run=True)
    assert run.status == ImportRun.Status.DRY_RUN
    assert ProductImage.objects.count() == 0
    assert _media_files(settings) == before


def test_pictures_1c_removed_are_removed_from_the_product(tmp_path):
    spec = small_spec(products=3, images=True)
    info = write_package(tmp_path / "a", spec)
    run_import(info.import_path)
    text = info.import_path.read_text(encoding="utf-8-sig")
    first = text.index("<Картинка>")
    without = text[:first] + text[text.index("</Картинка>", first) + len("</Картинка>"):]
    changed = tmp_path / "a" / "import_changed.xml"
    changed.write_text(without, encoding="utf-8")

    run_import(changed)

    assert ProductImage.objects.count() == 2


# -- files the byte scanner cannot cut, and classifier changes (found in review) -------------------

V205 = FIXTURES / "v205_import.xml"


def _full(text: str) -> str:
    return text.replace('СодержитТолькоИзменения="true"', 'СодержитТолькоИзменения="false"')


def test_a_file_with_prefixed_tags_imports_through_the_reader_and_deactivates_nothing_it_lists(tmp_path):
    text = _full(V205.read_text(encoding="utf-8"))
    plain = tmp_path / "plain.xml"
    plain.write_text(text, encoding="utf-8")
    run_import(plain)
    active = Product.objects.filter(is_active=True).count()
    prefixed = tmp_path / "prefixed.xml"
    body = text.replace('xmlns="urn:1C.ru:commerceml_205"', 'xmlns:cml="urn:1C.ru:commerceml_205"')
    body = re.sub(r"<(/?)(?=[А-Яа-яЁё])", r"<\1cml:", body)
    prefixed.write_text(body, encoding="utf-8")

    run = run_import(prefixed)

    assert run.status == ImportRun.Status.SUCCESS, run.error
    assert run.deactivated == 0 and run.items == 3
    assert Product.objects.filter(is_active=True).count() == active > 0
    assert run_import(prefixed).unchanged == 3  # the reader's digests make the next run skip them


def test_a_record_tag_inside_cdata_does_not_break_the_next_import(tmp_path):
    text = V205.read_text(encoding="utf-8").replace(
        "<![CDATA[<p>Дрель для дома &amp; дачи</p>]]>", "<![CDATA[<p>См. <Товар> в каталоге</p>]]>"
    )
    path = tmp_path / "import.xml"
    path.write_text(text, encoding="utf-8")
    first = run_import(path)
    second = run_import(path)
    assert first.status == second.status == ImportRun.Status.SUCCESS, (first.error, second.error)
    assert "<Товар>" in Product.objects.get(description__contains="См.").description


def test_a_renamed_property_reaches_products_whose_own_bytes_did_not_change(tmp_path):
    text = V205.read_text(encoding="utf-8")
    path = tmp_path / "import.xml"
    path.write_text(text, encoding="utf-8")
    run_import(path)
    assert any("Цвет" in p for p in Product.objects.values_list("properties", flat=True))
    path.write_text(text.replace("<Наименование>Цвет</Наименование>", "<Наименование>Цвет корпуса</Наименование>"),
                    encoding="utf-8")

    run_import(path)

    assert any("Цвет корпуса" in p for p in Product.objects.values_list("properties", flat=True))


def test_an_unchanged_offers_file_after_a_prices_file_restores_its_own_prices(package, tmp_path):
    spec, info = package
    run_import(info.import_path, info.offers_path)
    original = sorted(Price.objects.values_list("value", flat=True))
    changed = write_offers_changed(tmp_path / "changed", spec)
    prices_only = tmp_path / "changed" / "prices___1.xml"
    text = changed.offers_path.read_text(encoding="utf-8-sig")
    prices_only.write_text(re.sub(r"\s*<Склад ИдСклада=[^>]*/>|\s*<Количество>[^<]*</Количество>", "", text),
                           encoding="utf-8")
    run_import(prices_only)
    assert sorted(Price.objects.values_list("value", flat=True)) != original

    run_import(info.offers_path)

    assert sorted(Price.objects.values_list("value", flat=True)) == original


def _first_offer_edited(source, target, edit):
    """A copy of an offers file whose first ``Предложение`` went through ``edit``."""
    text = source.read_text(encoding="utf-8")
    start = text.index("<Предложение>")
    end = text.index("</Предложение>", start)
    target.write_text(text[:start] + edit(text[start:end]) + text[end:], encoding="utf-8")
    return target


def test_prices_and_stock_of_an_offer_read_again_follow_its_new_price_types_and_warehouses(package, tmp_path):
    _spec, info = package
    run_import(info.import_path, info.offers_path)
    product = Product.objects.get(external_id=info.product_ids[0])
    types = list(product.prices.order_by("price_type_id").values_list("price_type__external_id", flat=True))
    stocked = product.stock_levels.filter(on_hand__gt=0).select_related("warehouse").first()
    others = sorted(Price.objects.exclude(product=product).values_list("product_id", "price_type_id", "value"))

    def drop_a_price_and_a_warehouse(offer):
        offer = re.sub(rf"<Цена>(?:(?!</Цена>).)*{types[1]}.*?</Цена>", "", offer, count=1, flags=re.S)
        offer = re.sub(rf'<Склад ИдСклада="{stocked.warehouse.external_id}"[^>]*/>', "", offer)
        return offer.replace("<ЦенаЗаЕдиницу>", "<ЦенаЗаЕдиницу>1")

    fewer = _first_offer_edited(info.offers_path, tmp_path / "offers.xml", drop_a_price_and_a_warehouse)
    run = run_import(fewer)

    assert run.status == ImportRun.Status.SUCCESS, run.error
    assert run.updated == 1
    kept = dict(product.prices.values_list("price_type__external_id", "value"))
    assert sorted(kept) == sorted([types[0], types[2]]) and all(value >= 1000 for value in kept.values())
    assert product.stock_levels.get(warehouse=stocked.warehouse).on_hand == 0
    assert sorted(Price.objects.exclude(product=product).values_list("product_id", "price_type_id", "value")) == others

    # The price type comes back: the offer gains a price row again.
    run = run_import(info.offers_path)
    assert sorted(product.prices.values_list("price_type__external_id", flat=True)) == sorted(types)
    assert product.stock_levels.get(warehouse=stocked.warehouse).on_hand == stocked.on_hand


def test_a_variant_dropped_by_a_full_offers_file_comes_back_when_1c_lists_it_again(tmp_path):
    run_import(FIXTURES / "v205_import.xml", FIXTURES / "v205_offers.xml")
    text = (FIXTURES / "v205_offers.xml").read_text(encoding="utf-8")
    start = text.index("<Предложение>")
    end = text.index("</Предложение>", start) + len("</Предложение>")
    without = tmp_path / "offers.xml"
    without.write_text(text[:start] + text[end:], encoding="utf-8")
    variant = ProductVariant.objects.get(external_id="prod-drill#char-red")
    assert variant.is_active and variant.offer_states.get().offer_hash is not None

    run = run_import(without)
    variant.refresh_from_db()
    assert run.deactivated == 1 and not variant.is_active
    assert variant.offer_states.get().offer_hash is None  # its unchanged bytes must be read again

    run = run_import(FIXTURES / "v205_offers.xml")
    variant.refresh_from_db()
    assert run.status == ImportRun.Status.SUCCESS and variant.is_active


def test_an_offers_file_keeps_totals_in_offer_states_and_never_rewrites_product_rows(package, tmp_path):
    spec, info = package
    run_import(info.import_path, info.offers_path)
    products_before = catalogue_snapshot()["Product"]
    states_before = dict(OfferState.objects.values_list("external_id", "quantity"))
    changed = write_offers_changed(tmp_path / "changed", spec)

    run_import(changed.offers_path)

    assert catalogue_snapshot()["Product"] == products_before
    states = dict(OfferState.objects.values_list("external_id", "quantity"))
    assert states.keys() == states_before.keys() == set(info.product_ids)
    assert states != states_before and all(quantity is not None for quantity in states.values())
