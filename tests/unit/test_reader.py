"""The streaming CommerceML reader, on the project's own small hand-written files.

No Django here: the reader is plain Python over lxml, run in worker processes.
"""

from __future__ import annotations

import dataclasses
import pickle
import time
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import pytest

from b2b_cabinet.sync.errors import CommerceMLError
from b2b_cabinet.sync.reader import normalise_currency, read_document, to_datetime, to_decimal
from b2b_cabinet.sync.records import (
    DocumentHeader,
    GroupRecord,
    OfferRecord,
    PriceRecord,
    PriceTypeRecord,
    ProductRecord,
    PropertyRecord,
    StockRecord,
    UnitRecord,
    WarehouseRecord,
    content_digest,
)

FIXTURES = Path(__file__).parents[1] / "fixtures" / "commerceml"


def read(path: Path | str) -> list:
    return list(read_document(FIXTURES / path if isinstance(path, str) else path))


def of_type(records: list, kind: type) -> list:
    return [record for record in records if isinstance(record, kind)]


def unhashed(record):
    """The record with its digest blanked, after checking the digest is the record's own."""
    assert record.content_hash == content_digest(record)
    return dataclasses.replace(record, content_hash=b"")


def write(tmp_path: Path, text: str, name: str = "file.xml", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def product(external_id: str, line: int, **fields) -> ProductRecord:
    """A ProductRecord with empty defaults, for exact comparisons."""
    values = {
        "sku": "", "name": "", "description": "", "group_ids": (), "barcode": "", "unit_code": "",
        "unit_name": "", "unit_ratio": None, "vat_rate": None, "vat_exempt": False, "producer_id": "",
        "producer_name": "", "brand": "", "properties": (), "requisites": (), "images": (),
        "characteristics": (), "deleted": False, "version": "",
    }  # fmt: skip
    values.update(fields)
    return ProductRecord(external_id=external_id, line=line, content_hash=b"", **values)


def offer(external_id: str, line: int, **fields) -> OfferRecord:
    product_id, _, variant_id = external_id.partition("#")
    values = {
        "sku": "", "name": "", "barcode": "", "prices": None, "quantity": None, "stocks": None,
        "characteristics": (), "properties": (), "requisites": (), "deleted": False,
    }  # fmt: skip
    values.update(fields)
    return OfferRecord(
        external_id=external_id,
        product_id=product_id,
        variant_id=variant_id or None,
        line=line,
        content_hash=b"",
        **values,
    )


# -- a 2.05 goods file (namespace urn:1C.ru:commerceml_205) ----------------------------------------


def test_a_goods_file_yields_its_header_first_then_the_classifier_then_the_products():
    # given a goods file with a classifier and a catalog
    # when it is read
    records = read("v205_import.xml")
    # then the header comes first and says what the file is
    assert records[0] == DocumentHeader(
        path=str(FIXTURES / "v205_import.xml"),
        kind="import",
        schema_version="2.05",
        only_changes=False,
        classifier_id="cls-1",
        catalog_id="cat-1",
        package_id="",
        generated_at=datetime(2024, 3, 5, 9, 7, 1),  # 1C wrote the hour without padding: T9:07:01
        namespace="urn:1C.ru:commerceml_205",
    )
    # and the rest follows in document order
    assert [type(r).__name__ for r in records[1:]] == ["GroupRecord"] * 5 + ["PropertyRecord"] * 3 + [
        "ProductRecord"
    ] * 3


def test_groups_are_flattened_parents_first_with_their_parent_and_position():
    # given a group tree three levels deep
    # when it is read
    groups = of_type(read("v205_import.xml"), GroupRecord)
    # then every group follows its parent and knows its place among its siblings
    assert groups == [
        GroupRecord("grp-tools", "Инструмент", None, 0, False, 12),
        GroupRecord("grp-drills", "Дрели", "grp-tools", 0, False, 16),
        GroupRecord("grp-saws", "Пилы", "grp-tools", 1, False, 20),
        GroupRecord("grp-saws-old", "Пилы (архив)", "grp-saws", 0, True, 24),
        GroupRecord("grp-parts", "Запчасти", None, 1, False, 33),
    ]


def test_properties_keep_their_value_variants_and_the_offer_flag():
    properties = of_type(read("v205_import.xml"), PropertyRecord)
    assert properties == [
        PropertyRecord("prop-color", "Цвет", "Справочник", (("val-red", "Красный"), ("val-blue", "Синий")),
                       False, False, 39),
        PropertyRecord("prop-power", "Мощность, Вт", "Число", (), False, False, 54),
        PropertyRecord("prop-size", "Размер", "Строка", (("", "S"), ("", "M")), True, False, 59),
    ]  # fmt: skip


def test_a_product_is_read_field_by_field():
    # given a product with every block 1C writes (units, groups, pictures, maker, properties,
    # VAT, requisites with several values, a comment between blocks)
    # when it is read
    drill = of_type(read("v205_import.xml"), ProductRecord)[0]
    # then each field holds what the file says
    assert unhashed(drill) == product(
        "prod-drill",
        76,
        sku="DR-500",
        name="Дрель ударная 500 Вт",
        description="<p>Дрель для дома &amp; дачи</p>",  # CDATA kept verbatim
        group_ids=("grp-drills", "grp-tools"),
        barcode="4600000000011",
        unit_code="796",  # Код="796 " trimmed
        unit_name="Штука",
        unit_ratio=Decimal("1.000"),
        vat_rate=Decimal("20"),
        producer_id="maker-1",
        producer_name="Завод «Искра»",
        brand="Искра",
        properties=(("prop-color", ("val-red", "val-blue")), ("prop-power", ("500",)), ("prop-size", ())),
        requisites=(
            ("ВидНоменклатуры", "Товар"),
            ("ОписаниеФайла", "import_files/pr/prod-drill_1.jpg#Вид спереди"),
            ("Комплектация", "Кейс\nСверло"),
            ("Планируемая дата поступления", ""),
        ),
        images=("import_files/pr/prod-drill_1.jpg", "import_files/pr/prod-drill_2.jpg"),
        version="AAAAAQAAAAk=",
    )


def test_a_product_with_status_deleted_is_marked_deleted():
    old_saw = of_type(read("v205_import.xml"), ProductRecord)[1]
    assert unhashed(old_saw) == product(
        "prod-old-saw",
        143,
        sku="SAW-1",
        name="Пила (снята с производства)",
        group_ids=("grp-saws",),
        unit_code="796",
        unit_name="Штука",
        deleted=True,
    )


def test_a_vat_free_product_has_no_rate_and_is_flagged_exempt():
    oil = of_type(read("v205_import.xml"), ProductRecord)[2]
    assert (oil.vat_rate, oil.vat_exempt) == (None, True)
    assert (oil.unit_code, oil.unit_name) == ("112", "Литр")


@pytest.mark.parametrize(
    ("rate", "expected"),
    [
        ("20", (Decimal(20), False)),
        ("18%", (Decimal(18), False)),
        ("Без НДС", (None, True)),
        ("НДС не облагается", (None, True)),
        ("", (None, False)),
    ],
)
def test_vat_rates_are_read_in_the_forms_1c_writes(tmp_path, rate, expected):
    path = write(
        tmp_path,
        "<КоммерческаяИнформация><Каталог><Товары><Товар><Ид>p</Ид><СтавкиНалогов><СтавкаНалога>"
        f"<Наименование>НДС</Наименование><Ставка>{rate}</Ставка></СтавкаНалога></СтавкиНалогов>"
        "</Товар></Товары></Каталог></КоммерческаяИнформация>",
    )
    (item,) = of_type(read(path), ProductRecord)
    assert (item.vat_rate, item.vat_exempt) == expected


# -- a 2.05 offers file ---------------------------------------------------------------------------


def test_an_offers_file_yields_price_types_and_warehouses_from_its_package():
    records = read("v205_offers.xml")
    header = records[0]
    assert (header.kind, header.package_id, header.catalog_id, header.classifier_id) == (
        "offers",
        "cls-1#",
        "cat-1",
        "cls-1",
    )
    assert header.generated_at == datetime(2024, 3, 5)
    assert of_type(records, PriceTypeRecord) == [
        PriceTypeRecord("pt-retail", "Розничная", "RUB", True, False, 13),  # "руб." normalised
        PriceTypeRecord("pt-usd", "Оптовая USD", "USD", None, False, 22),  # no Налог: unknown
    ]
    assert of_type(records, WarehouseRecord) == [
        WarehouseRecord("wh-msk", "Москва", "Москва, Складская ул., 1", False, 29),
        WarehouseRecord("wh-spb", "Санкт-Петербург", "", True, 40),
    ]


def test_an_offer_with_prices_and_warehouse_stock_is_read_exactly():
    red_drill = of_type(read("v205_offers.xml"), OfferRecord)[0]
    assert unhashed(red_drill) == offer(
        "prod-drill#char-red",
        47,
        sku="DR-500",
        name="Дрель ударная 500 Вт (красная)",
        barcode="4600000000028",
        prices=(
            PriceRecord("pt-retail", Decimal("1719.50"), "RUB", "шт", Decimal(1), None),  # "1 719,50"
            PriceRecord("pt-usd", Decimal("20.0000"), "USD", "упак", Decimal(10), Decimal(2)),
        ),
        quantity=Decimal(7),
        stocks=(StockRecord("wh-msk", Decimal(5)), StockRecord("wh-spb", Decimal("2.000"))),
        characteristics=(("Цвет", "Красный"),),
    )
    assert (red_drill.product_id, red_drill.variant_id) == ("prod-drill", "char-red")


def test_stock_in_a_warehouses_wrapper_and_an_iso_numeric_currency_are_understood():
    oil = of_type(read("v205_offers.xml"), OfferRecord)[1]
    assert oil.prices == (PriceRecord("pt-retail", Decimal("231.7400"), "RUB", "", Decimal(1), None),)
    assert oil.stocks == (StockRecord("wh-msk", Decimal(-1)),)  # 1C allows negative stock
    assert oil.quantity is None  # no total given: not zero


def test_an_offer_marked_for_deletion_with_an_empty_price_list():
    old_saw = of_type(read("v205_offers.xml"), OfferRecord)[2]
    assert unhashed(old_saw) == offer(
        "prod-old-saw", 96, name="Пила (снята с производства)", prices=(), quantity=Decimal(0), deleted=True
    )


# -- a CommerceML 3.1 set -------------------------------------------------------------------------


def test_a_31_classifier_file_with_a_catalog_header_is_an_import_with_no_products():
    records = read("v31_classifier.xml")
    header = records[0]
    assert (header.kind, header.only_changes, header.classifier_id, header.catalog_id) == (
        "import",
        True,
        "cls-31",
        "cat-31",
    )
    assert records[1:] == [
        GroupRecord("g-1", "Оборудование", None, 0, False, 7),
        PriceTypeRecord("pt-opt", "Оптовая", "RUB", False, False, 15),
        PriceTypeRecord("pt-old", "Старая", "UAH", None, True, 26),
        WarehouseRecord("wh-1", "Основной склад", "", False, 34),
        WarehouseRecord("wh-2", "Склад в пути", "", False, 40),
        UnitRecord("2009", "796", "шт", "Штука", "PCE", 47),
    ]


def test_a_31_product_names_its_unit_by_the_unit_id():
    monitor = of_type(read("v31_import.xml"), ProductRecord)[0]
    assert unhashed(monitor) == product(
        "p-31",
        8,
        name='Монитор 24"',
        group_ids=("g-1",),
        unit_code="2009",
        vat_rate=Decimal(10),
        properties=(("prop-x", ()),),
        version="AAAAAQAAAAk=44819",
    )


def test_a_31_prices_file_carries_prices_and_says_nothing_about_stock():
    offers = of_type(read("v31_prices.xml"), OfferRecord)
    assert [unhashed(o) for o in offers] == [
        offer("p-31", 9, prices=(PriceRecord("pt-opt", Decimal(12500), "RUB", "", Decimal(1), None),)),
        offer(
            "p-32#c-1",
            24,
            prices=(PriceRecord("pt-opt", Decimal("99.90"), "RUB", "", Decimal(1), Decimal(10)),),
        ),
    ]


def test_a_31_rests_file_carries_stock_in_all_three_shapes_and_no_prices():
    offers = of_type(read("v31_rests.xml"), OfferRecord)
    assert [unhashed(o) for o in offers] == [
        offer("p-31", 9, stocks=(StockRecord("wh-1", Decimal(3)), StockRecord("wh-2", Decimal(0)))),
        offer("p-32#c-1", 26, quantity=Decimal("12.5")),  # Остаток/Количество without a warehouse
        offer("p-33", 34, stocks=()),  # <Остатки/>: rests carried, none left
    ]


def test_a_210_offer_changes_package_names_characteristics_and_stock_its_own_way():
    # given ИзмененияПакетаПредложений: ИдХарактеристики apart, <Склады> with attributes, and an
    # offer known only by its barcode
    header, blue, by_barcode = read("v210_package_changes.xml")
    # then it reads as an offers file of changes
    assert (header.kind, header.only_changes, header.package_id) == ("offers", True, "cls-1#")
    assert unhashed(blue) == offer(
        "prod-drill#char-blue",
        7,
        prices=(PriceRecord("pt-retail", Decimal(1800), "RUB", "", Decimal(1), None),),
        quantity=Decimal(5),
        stocks=(StockRecord("wh-msk", Decimal(4)), StockRecord("wh-spb", Decimal(1))),
    )
    assert (by_barcode.external_id, by_barcode.barcode, by_barcode.quantity) == (
        "",
        "4600000000035",
        Decimal(9),
    )
    assert by_barcode.requisites == (("Планируемая дата поступления", "2024-04-01"),)


def test_bitrix_style_property_value_items_are_read_too(tmp_path):
    # given ЗначениеСвойства items (singular, as Bitrix also accepts) next to the usual plural ones
    path = write(
        tmp_path,
        "<КоммерческаяИнформация><Каталог><Товары><Товар><Ид>p</Ид><ЗначенияСвойств>"
        "<ЗначениеСвойства><Ид>a</Ид><Значение>1</Значение></ЗначениеСвойства>"
        "<ЗначенияСвойства><Ид>b</Ид><Значение>2</Значение></ЗначенияСвойства>"
        "</ЗначенияСвойств></Товар></Товары></Каталог></КоммерческаяИнформация>",
    )
    (item,) = of_type(read(path), ProductRecord)
    assert item.properties == (("a", ("1",)), ("b", ("2",)))


# -- encodings, deltas, documents, element order ----------------------------------------------------


def test_a_windows_1251_file_is_decoded_from_its_declaration():
    # given a 2.04 file in windows-1251 with a variant product ("product#characteristic")
    records = read("windows1251_import.xml")
    header, group, variant = records
    # then Cyrillic text, the DD.MM.YYYY date and the variant's characteristics come through
    assert header.generated_at == datetime(2008, 1, 9, 18, 13, 34)
    assert group.name == "Мебель «Уют»"
    assert unhashed(variant) == product(
        "05e26d70-01e4-11dc-a411-00055d80a2d1#05e26d76-01e4-11dc-a411-00055d80a2d1",
        18,
        name="Стол обеденный",
        group_ids=("grp-furniture",),
        unit_code="796",
        unit_name="Штука",
        vat_rate=Decimal(18),
        characteristics=(("Цвет", "Белый"), ("Материал", "Дуб")),
        requisites=(("Полное наименование", "Стол обеденный «Ёлка» — белый"),),
    )


def test_a_utf8_file_reads_the_same_with_and_without_a_byte_order_mark(tmp_path):
    source = (FIXTURES / "v31_rests.xml").read_bytes()
    assert source.startswith(b"\xef\xbb\xbf")
    without_bom = tmp_path / "v31_rests.xml"
    without_bom.write_bytes(source[3:])
    with_bom_records = read("v31_rests.xml")[1:]
    assert read(without_bom)[1:] == with_bom_records


def test_a_delta_file_says_so_and_carries_deletion_marks():
    header, deleted, new = read("delta_import.xml")
    assert (header.kind, header.only_changes, header.classifier_id) == ("import", True, "cls-1")
    assert (deleted.external_id, deleted.deleted) == ("prod-drill", True)
    assert (new.external_id, new.deleted, new.unit_code, new.unit_name) == (
        "prod-new",
        False,
        "715",
        "Пара (2 шт.)",
    )


def test_a_sale_document_yields_only_a_header_of_kind_documents():
    # given an order whose lines are <Товар> elements with a price that is not a number
    # when it is read
    records = read("order_document.xml")
    # then nothing but the header comes out, and the order lines are not mistaken for products
    assert len(records) == 1
    assert records[0].kind == "documents"


def test_an_offer_package_before_its_classifier_still_yields_the_header_first():
    header, prop = read("package_before_classifier.xml")
    assert (header.kind, header.package_id, header.classifier_id, header.only_changes) == (
        "offers",
        "cls-1#",
        "cls-1",
        True,
    )
    assert prop == PropertyRecord("prop-size", "Размер", "Справочник", (), True, True, 13)


_DOCUMENT = """<?xml version="1.0" encoding="UTF-8"?>
<КоммерческаяИнформация{ns} ВерсияСхемы="2.07" ДатаФормирования="2024-01-02T03:04:05">
  <Классификатор><Ид>c</Ид><Группы><Группа><Ид>g</Ид><Наименование>G</Наименование></Группа></Группы></Классификатор>
  <Каталог><Ид>k</Ид><Товары><Товар><Ид>p</Ид><Наименование>P</Наименование><Группы><Ид>g</Ид></Группы>
    <ЗначенияСвойств><ЗначенияСвойства><Ид>x</Ид><Значение>1</Значение></ЗначенияСвойства></ЗначенияСвойств>
  </Товар></Товары></Каталог>
</КоммерческаяИнформация>
"""


@pytest.mark.parametrize(
    "namespace",
    [
        "",
        "urn:1C.ru:commerceml_2",
        "urn:1C.ru:commerceml_205",
        "urn:1C.ru:commerceml_210",
        "urn:1C.ru:commerceml_3",
    ],
)
def test_the_same_document_reads_identically_in_every_namespace_1c_uses(tmp_path, namespace):
    # given one document written with each namespace seen in real files
    path = write(tmp_path, _DOCUMENT.format(ns=f' xmlns="{namespace}"' if namespace else ""))
    # when it is read
    header, *records = read(path)
    # then only the header's namespace differs
    assert header.namespace == namespace
    assert records == [
        GroupRecord("g", "G", None, 0, False, 3),
        dataclasses.replace(
            product("p", 4, name="P", group_ids=("g",), properties=(("x", ("1",)),)),
            content_hash=records[1].content_hash,
        ),
    ]


def test_read_products_are_unlinked_so_memory_stays_flat(tmp_path):
    # given a catalog of 20,000 products, about 1.5 MB (white-box: the reader's own list element is
    # inspected; lxml parses ahead by a buffer, so some unread products are always in the tree)
    from b2b_cabinet.sync.reader.document import ReaderOptions, _DocumentReader
    from b2b_cabinet.sync.reader.prolog import inspect_prolog

    products = "".join(
        f"<Товар><Ид>p{i}</Ид><Наименование>Товар {i}</Наименование></Товар>" for i in range(20_000)
    )
    path = write(
        tmp_path,
        f"<КоммерческаяИнформация><Каталог><Товары>{products}</Товары></Каталог></КоммерческаяИнформация>",
    )
    reader = _DocumentReader(str(path), inspect_prolog(str(path)), ReaderOptions())
    # when the products are read
    sizes = [len(reader.products_list) for record in reader.records() if isinstance(record, ProductRecord)]
    # then the tree holds only the parser's read-ahead, never the products already read
    assert len(sizes) == 20_000
    assert max(sizes) < 2_000


# -- content hashes --------------------------------------------------------------------------------


def test_content_hashes_are_stable_across_reads_and_ignore_the_line(tmp_path):
    # given the same file read twice, and once more with an extra line on top
    source = (FIXTURES / "v205_offers.xml").read_text(encoding="utf-8")
    shifted = write(tmp_path, source.replace("?>\n", "?>\n\n\n", 1))
    first = of_type(read("v205_offers.xml"), OfferRecord)
    second = of_type(read("v205_offers.xml"), OfferRecord)
    moved = of_type(read(shifted), OfferRecord)
    # then the digests are equal though the lines differ
    assert (
        [o.content_hash for o in first] == [o.content_hash for o in second] == [o.content_hash for o in moved]
    )
    assert [o.line + 2 for o in first] == [o.line for o in moved]
    assert all(len(o.content_hash) == 16 for o in first)


def test_a_changed_value_changes_the_content_hash(tmp_path):
    source = (FIXTURES / "v205_offers.xml").read_text(encoding="utf-8")
    cheaper = write(tmp_path, source.replace("<ЦенаЗаЕдиницу>231.7400<", "<ЦенаЗаЕдиницу>231.7300<"))
    before = of_type(read("v205_offers.xml"), OfferRecord)
    after = of_type(read(cheaper), OfferRecord)
    assert before[0].content_hash == after[0].content_hash
    assert before[1].content_hash != after[1].content_hash


def test_a_stock_line_moving_to_another_warehouse_changes_the_content_hash(tmp_path):
    # the separators make the digest unambiguous: ("a", "bc") and ("ab", "c") must differ
    source = (FIXTURES / "v205_offers.xml").read_text(encoding="utf-8")
    msk, spb = 'ИдСклада="wh-msk" КоличествоНаСкладе=', 'ИдСклада="wh-spb" КоличествоНаСкладе='
    swapped_text = source.replace(f'{msk}"5"', f'{msk}"2.000"').replace(f'{spb}"2.000"', f'{spb}"5"')
    swapped = write(tmp_path, swapped_text)
    before = of_type(read("v205_offers.xml"), OfferRecord)[0]
    after = of_type(read(swapped), OfferRecord)[0]
    assert sorted(s.quantity for s in before.stocks) == sorted(s.quantity for s in after.stocks)
    assert before.content_hash != after.content_hash


# -- refusals ---------------------------------------------------------------------------------------


def test_a_truncated_file_is_refused_naming_the_file_and_the_line():
    with pytest.raises(CommerceMLError) as caught:
        read("bad/truncated_offers.xml")
    error = caught.value
    assert (Path(error.path).name, error.line) == ("truncated_offers.xml", 53)
    assert str(error).startswith("truncated_offers.xml, line 53: the XML is malformed or truncated (")
    assert "Upload the complete file again" in str(error)


@pytest.mark.parametrize("name", ["billion_laughs.xml", "xxe_file.xml", "external_dtd.xml"])
def test_a_doctype_is_refused_before_the_parser_sees_it(name):
    # given a file with a DTD (entity bomb, external entity, external DTD)
    started = time.perf_counter()
    # when it is read, then it is refused
    with pytest.raises(CommerceMLError) as caught:
        read(f"attacks/{name}")
    assert caught.value.problem == "DOCTYPE/entities are not allowed in CommerceML; 1C never sends them"
    assert caught.value.line in (2, 3)  # found in the prolog bytes, where the DOCTYPE is
    assert time.perf_counter() - started < 1  # nothing was expanded


def test_an_external_entity_is_never_resolved(tmp_path):
    # given a secret on disk and a file whose product name is an external entity pointing at it
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-MARKER")
    attack = write(
        tmp_path,
        f"""<?xml version="1.0"?>
<!DOCTYPE КоммерческаяИнформация [<!ENTITY s SYSTEM "{secret.as_uri()}">]>
<КоммерческаяИнформация><Каталог><Товары><Товар><Ид>p</Ид><Наименование>&s;</Наименование></Товар>
</Товары></Каталог></КоммерческаяИнформация>""",
    )
    # when it is read, then it is refused and the secret appears nowhere
    records = read_document(attack)
    with pytest.raises(CommerceMLError) as caught:
        next(records)
    assert "TOP-SECRET-MARKER" not in repr(vars(caught.value)) + str(caught.value)


def test_a_doctype_the_byte_check_cannot_see_is_refused_from_lxmls_docinfo(tmp_path):
    # given a billion-laughs file in UTF-16, whose bytes do not spell "<!DOCTYPE" in ASCII
    text = (FIXTURES / "attacks" / "billion_laughs.xml").read_text(encoding="utf-8")
    attack = write(tmp_path, text.replace('encoding="UTF-8"', 'encoding="UTF-16"'), encoding="utf-16")
    started = time.perf_counter()
    with pytest.raises(CommerceMLError) as caught:
        read(attack)
    # then the parser stopped at the root's start tag, before any entity reference
    assert "DOCTYPE" in caught.value.problem
    assert time.perf_counter() - started < 1


def test_a_doctype_that_slipped_past_the_byte_check_is_refused_at_the_root(monkeypatch):
    # given the first defence switched off
    from b2b_cabinet.sync.reader import prolog

    monkeypatch.setattr(prolog, "_refuse_doctype_bytes", lambda data, path: None)
    # when an XXE file is read, then lxml's docinfo check refuses it before any record
    records = read_document(FIXTURES / "attacks" / "xxe_file.xml")
    with pytest.raises(CommerceMLError) as caught:
        next(records)
    assert "DOCTYPE" in caught.value.problem


def test_a_doctype_after_a_comment_is_still_refused(tmp_path):
    attack = write(
        tmp_path,
        '\ufeff<?xml version="1.0"?>\n<!-- harmless? -->\n<!DOCTYPE x [<!ENTITY a "b">]>\n'
        "<КоммерческаяИнформация>&a;</КоммерческаяИнформация>",
    )
    with pytest.raises(CommerceMLError, match="DOCTYPE") as caught:
        read(attack)
    assert caught.value.line == 3


def test_an_undeclared_entity_is_a_syntax_error(tmp_path):
    attack = write(tmp_path, "<КоммерческаяИнформация><Каталог>&xxe;</Каталог></КоммерческаяИнформация>")
    with pytest.raises(CommerceMLError, match="malformed"):
        read(attack)


def test_a_file_that_is_not_commerceml_is_refused():
    with pytest.raises(CommerceMLError) as caught:
        read("bad/not_commerceml.xml")
    assert caught.value.element == "rss"
    assert "not a CommerceML file" in str(caught.value)


def test_a_commerceml_root_with_only_unknown_content_is_refused(tmp_path):
    path = write(tmp_path, "<КоммерческаяИнформация><Прайс><Строка/></Прайс></КоммерческаяИнформация>")
    with pytest.raises(CommerceMLError, match="not a CommerceML file") as caught:
        read(path)
    assert caught.value.element == "Прайс"


def test_an_empty_file_is_refused(tmp_path):
    with pytest.raises(CommerceMLError):
        read(write(tmp_path, ""))


def test_a_price_that_is_not_a_number_names_the_file_line_element_and_offer():
    with pytest.raises(CommerceMLError) as caught:
        read("bad/bad_price.xml")
    error = caught.value
    assert str(error) == (
        "bad_price.xml, line 10, <Цена> of offer 'abc#def': price 'x12' is not a number. "
        "Fix the value in 1C and export again."
    )
    assert (error.line, error.element, error.external_id, error.entity) == (10, "Цена", "abc#def", "offer")


def test_an_unreadable_generation_date_is_refused(tmp_path):
    path = write(
        tmp_path, '<КоммерческаяИнформация ДатаФормирования="вчера"><Каталог/></КоммерческаяИнформация>'
    )
    with pytest.raises(CommerceMLError, match="generation date 'вчера' is not a date"):
        read(path)


def test_a_product_without_an_id_is_refused(tmp_path):
    path = write(
        tmp_path,
        "<КоммерческаяИнформация><Каталог><Товары>\n<Товар><Наименование>?</Наименование></Товар>"
        "</Товары></Каталог></КоммерческаяИнформация>",
    )
    with pytest.raises(CommerceMLError, match="has no <Ид>") as caught:
        read(path)
    assert caught.value.line == 2


def test_an_errors_message_follows_a_corrected_line():
    # a worker that parsed a slice of the file shifts the line back to the file's own
    error = CommerceMLError("price 'x' is not a number", path="offers.xml", line=5, element="Цена")
    error.line += 100
    assert str(error).startswith("offers.xml, line 105, <Цена>: ")


def test_an_error_survives_pickling_for_worker_processes():
    error = CommerceMLError("price 'x' is not a number", path="/x/offers.xml", line=5, element="Цена",
                            external_id="a#b", entity="offer")  # fmt: skip
    copy = pickle.loads(pickle.dumps(error))
    assert str(copy) == str(error)
    assert (copy.path, copy.line, copy.element, copy.external_id) == ("/x/offers.xml", 5, "Цена", "a#b")


# -- values and records -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1.0000", Decimal("1.0000")),
        ("231.7400", Decimal("231.7400")),
        ("-1", Decimal(-1)),
        (" 12 ", Decimal(12)),
        ("1 719,50", Decimal("1719.50")),
        ("1\u00a0719,50", Decimal("1719.50")),
        ("0,015", Decimal("0.015")),
    ],
)
def test_numbers_are_read_leniently(text, expected):
    assert to_decimal(text) == expected


@pytest.mark.parametrize("text", ["x12", "", "NaN", "Infinity", "1.2.3", "12 руб"])
def test_text_that_is_not_a_number_is_rejected(text):
    with pytest.raises(ValueError, match="is not a number"):
        to_decimal(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-03-05", datetime(2024, 3, 5)),
        ("2024-03-05T09:07:01", datetime(2024, 3, 5, 9, 7, 1)),
        ("2014-06-01T0:36:33", datetime(2014, 6, 1, 0, 36, 33)),
        ("2024-03-05 18:45", datetime(2024, 3, 5, 18, 45)),
        ("11.02.2021", datetime(2021, 2, 11)),
        ("11.02.2021 18:45:21", datetime(2021, 2, 11, 18, 45, 21)),
        ("", None),
        ("0001-01-01T00:00:00", None),
    ],
)
def test_dates_are_read_leniently(text, expected):
    assert to_datetime(text) == expected


@pytest.mark.parametrize("text", ["вчера", "2024-13-01", "05/03/2024"])
def test_text_that_is_not_a_date_is_rejected(text):
    with pytest.raises(ValueError, match="is not a date"):
        to_datetime(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("руб", "RUB"),
        ("руб.", "RUB"),
        ("RUB", "RUB"),
        ("643", "RUB"),
        ("грн", "UAH"),
        ("usd", "USD"),
        ("", ""),
    ],
)
def test_currencies_are_normalised_to_iso_codes(text, expected):
    assert normalise_currency(text) == expected


def test_records_are_frozen_and_slotted():
    record = StockRecord("wh", Decimal(1))
    with pytest.raises(dataclasses.FrozenInstanceError):
        record.quantity = Decimal(2)
    assert not hasattr(record, "__dict__")
