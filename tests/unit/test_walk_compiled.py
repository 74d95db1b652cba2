"""The compiled walkers (``reader/_walk.pyx``) give exactly what the Python walkers give, or decline.

``Walker.product_fields`` must equal :func:`product_fields` (same values, same types) wherever it
gives a tuple, and give None only where the Python walker has to decide (it raises there);
``Walker.plain_offer`` must equal :func:`read_plain_offer` everywhere.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from lxml import etree

from b2b_cabinet.demo.catalogue import write_package
from b2b_cabinet.sync.chunks import PARSER_OPTIONS
from b2b_cabinet.sync.errors import CommerceMLError
from b2b_cabinet.sync.reader import compiled
from b2b_cabinet.sync.reader.catalog import product_fields
from b2b_cabinet.sync.reader.fields import Context
from b2b_cabinet.sync.reader.offers import read_plain_offer
from b2b_cabinet.sync.reader.tags import tags_for
from tests.importing import FIXTURES, SHARED, small_spec

pytestmark = pytest.mark.skipif(
    not compiled.AVAILABLE, reason="the package was installed without its compiled walker (no C compiler)"
)

NS = "urn:1C.ru:commerceml_2"


def _typed(value):
    """``value`` with the type of every part spelled out, so ``Decimal("1") != "1"`` and ``1 != True``."""
    if isinstance(value, (tuple, list)):
        return (type(value).__name__, [_typed(item) for item in value])
    return (type(value).__name__, value)


def _namespace(element) -> str:
    return element.tag[1:].partition("}")[0] if element.tag.startswith("{") else ""


def _compare_file(path: Path) -> dict[str, int]:
    """Compare both walkers on every record of ``path``; count what the compiled ones read and declined."""
    seen = {"products": 0, "products_declined": 0, "offers": 0}
    for _event, element in etree.iterparse(str(path), events=("end",), tag=("{*}Товар", "{*}Предложение"),
                                           **PARSER_OPTIONS):
        namespace = _namespace(element)
        ctx, walker = Context(str(path), tags_for(namespace)), compiled.walker_for(namespace)
        if element.tag.endswith("Товар"):
            seen["products"] += 1
            fast = walker.product_fields(element)
            try:
                slow = product_fields(element, ctx)
            except CommerceMLError:
                slow = None
            if fast is None:
                seen["products_declined"] += 1
                assert slow is None, (path.name, element.sourceline, "declined a product Python reads")
            else:
                assert _typed(fast) == _typed(slow), (path.name, element.sourceline)
        else:
            seen["offers"] += 1
            assert _typed(walker.plain_offer(element)) == _typed(read_plain_offer(element, ctx)), (
                path.name, element.sourceline)
    return seen


def _xml_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*.xml") if not {"attacks", "bad"} & set(p.parts))


def test_the_walkers_agree_on_the_projects_fixture_files():
    seen = [_compare_file(path) for path in _xml_files(FIXTURES)]
    assert sum(s["products"] for s in seen) >= 10 and sum(s["offers"] for s in seen) >= 10


@pytest.mark.skipif(not SHARED.is_dir(), reason=f"the real 1C sample files are not here ({SHARED})")
def test_the_walkers_agree_on_every_real_1c_file():
    seen = [_compare_file(path) for path in _xml_files(SHARED)]
    assert sum(s["products"] for s in seen) >= 100 and sum(s["offers"] for s in seen) >= 4000
    assert sum(s["products_declined"] for s in seen) == 0


def test_the_walkers_agree_on_a_generated_package(tmp_path):
    info = write_package(tmp_path, small_spec(products=300, variants_every=7))
    goods, offers = _compare_file(info.import_path), _compare_file(info.offers_path)
    assert goods["products"] == 300 and goods["products_declined"] == 0 and offers["offers"] > 300


def _document(records: str, *, namespace: str = "", root: str = "Каталог") -> Path:
    declaration = f' xmlns="{namespace}"' if namespace else ""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<КоммерческаяИнформация ВерсияСхемы="2.07"{declaration}><{root}>{records}</{root}></КоммерческаяИнформация>'
    )


PRODUCTS = [
    # whitespace the bytes do not show: NBSP and an ideographic space around a name, tabs and newlines
    "<Товар><Ид>\u00a0p1\u3000</Ид><Наименование>\n\t Лампа\u00a0</Наименование></Товар>",
    # text split by a comment (lxml's .text is the part before it), CDATA, entities, character references
    "<Товар><Ид>p2</Ид><Наименование>Кабель<!-- x -->ВВГ</Наименование><Описание><![CDATA[a < b]]> &amp; c"
    "&#x41;</Описание><Артикул> <![CDATA[ A-1 ]]> </Артикул></Товар>",
    # several requisite values, repeated names, empty values, an item without a name, comments between items
    "<Товар><Ид>p3</Ид><ЗначенияРеквизитов><!-- c --><ЗначениеРеквизита><Наименование>Вес</Наименование>"
    "<Значение>1</Значение><Значение></Значение><Значение>3</Значение></ЗначениеРеквизита><ЗначениеРеквизита>"
    "<Значение>без имени</Значение></ЗначениеРеквизита><ЗначениеРеквизита><Наименование>Вес</Наименование>"
    "</ЗначениеРеквизита></ЗначенияРеквизитов><ХарактеристикиТовара/></Товар>",
    # property values: several, empty ones dropped, an item without Ид, the other item tag
    "<Товар><Ид>p4</Ид><ЗначенияСвойств><ЗначенияСвойства><Ид>pr1</Ид><Значение>a</Значение><Значение> </Значение>"
    "<Значение>b</Значение></ЗначенияСвойства><ЗначениеСвойства><Значение>x</Значение></ЗначениеСвойства>"
    "<ЗначениеСвойства><Ид> pr2 </Ид></ЗначениеСвойства></ЗначенияСвойств></Товар>",
    # units in three shapes, with and without a recalculation ratio
    '<Товар><Ид>p5</Ид><БазоваяЕдиница Код="796" НаименованиеПолное=" Штука ">шт</БазоваяЕдиница></Товар>',
    "<Товар><Ид>p6</Ид><БазоваяЕдиница>796<Пересчет><Единица>796</Единица><Коэффициент> 1.50 </Коэффициент>"
    "</Пересчет><Пересчет><Коэффициент>7</Коэффициент></Пересчет></БазоваяЕдиница></Товар>",
    "<Товар><Ид>p7</Ид><БазоваяЕдиница>шт<Пересчет><Коэффициент> </Коэффициент><Коэффициент>2</Коэффициент>"
    "</Пересчет></БазоваяЕдиница></Товар>",
    # VAT: a rate, another tax first, exemption in two spellings, an empty rate, no НДС at all
    "<Товар><Ид>p8</Ид><СтавкиНалогов><СтавкаНалога><Наименование>Акциз</Наименование><Ставка>5</Ставка>"
    "</СтавкаНалога><СтавкаНалога><Наименование>НДС</Наименование><Ставка>20%</Ставка></СтавкаНалога>"
    "</СтавкиНалогов></Товар>",
    "<Товар><Ид>p9</Ид><СтавкиНалогов><СтавкаНалога><Наименование>ндс</Наименование><Ставка>Без НДС</Ставка>"
    "</СтавкаНалога></СтавкиНалогов></Товар>",
    "<Товар><Ид>p10</Ид><СтавкиНалогов><СтавкаНалога><Ставка>НДС не облагается</Ставка></СтавкаНалога>"
    "</СтавкиНалогов></Товар>",
    "<Товар><Ид>p11</Ид><СтавкиНалогов><СтавкаНалога><Наименование>НДС</Наименование><Ставка/></СтавкаНалога>"
    "</СтавкиНалогов></Товар>",
    "<Товар><Ид>p12</Ид><СтавкиНалогов><СтавкаНалога><Наименование>Акциз</Наименование><Ставка>5</Ставка>"
    "</СтавкаНалога></СтавкиНалогов></Товар>",
    # deletion both ways, groups, pictures, producer, brand, barcode spellings, version, unknown children
    '<Товар Статус="Удален"><Ид>p13</Ид><ПометкаУдаления>false</ПометкаУдаления></Товар>',
    "<Товар><Ид>p14</Ид><ПометкаУдаления> True </ПометкаУдаления><Группы><Ид>g1</Ид><Ид> </Ид><Другое>x</Другое>"
    "<Ид>g2</Ид></Группы><Картинка>a.jpg</Картинка><Картинка/><Картинка>b.jpg</Картинка>"
    "<Изготовитель><Ид>m1</Ид><Наименование>ИЭК</Наименование></Изготовитель><ТорговаяМарка>IEK</ТорговаяМарка>"
    "<ШтрихКод>460</ШтрихКод><Штрихкод>461</Штрихкод><НомерВерсии>AAA=</НомерВерсии><Неизвестное>z</Неизвестное>"
    "<Ид>p14b</Ид></Товар>",
    "<Товар><Ид>p15</Ид><ХарактеристикиТовара><ХарактеристикаТовара><Наименование>Цвет</Наименование>"
    "<Значение>белый</Значение></ХарактеристикаТовара></ХарактеристикиТовара></Товар>",
]

#: Products only the Python walker may read: it raises on each, with the file, line and Ид.
DECLINED = [
    "<Товар><Наименование>без Ид</Наименование></Товар>",
    "<Товар><Ид> </Ид></Товар>",
    "<Товар><Ид>d1</Ид><БазоваяЕдиница>шт<Пересчет><Коэффициент>много</Коэффициент></Пересчет></БазоваяЕдиница>"
    "</Товар>",
    "<Товар><Ид>d2</Ид><СтавкиНалогов><СтавкаНалога><Наименование>НДС</Наименование><Ставка>двадцать</Ставка>"
    "</СтавкаНалога></СтавкиНалогов></Товар>",
]

OFFERS = [
    '<Предложение><Ид>o1</Ид><Наименование>x</Наименование><Цены><!-- c --><Цена><Представление>1 руб</Представление>'
    "<ИдТипаЦены>t1</ИдТипаЦены><ЦенаЗаЕдиницу>10.50</ЦенаЗаЕдиницу><Валюта>руб</Валюта><Единица>шт</Единица>"
    "<Коэффициент>1</Коэффициент></Цена><Цена><ИдТипаЦены>t2</ИдТипаЦены><ЦенаЗаЕдиницу>1E+3</ЦенаЗаЕдиницу>"
    "<Коэффициент>0</Коэффициент><МинКоличество>5</МинКоличество></Цена></Цены><Количество> 7 </Количество>"
    '<Склад ИдСклада=" w1 " КоличествоНаСкладе="3"/><Склад ИдСклада="w2" КоличествоНаСкладе=""/>'
    '<Склад ИдСклада="w3"/></Предложение>',
    "<Предложение><Ид>o2</Ид><Цены><Цена><ИдТипаЦены>t1</ИдТипаЦены><ЦенаЗаЕдиницу>007</ЦенаЗаЕдиницу>"
    "<Коэффициент>2.5</Коэффициент></Цена></Цены></Предложение>",
    "<Предложение><Ид>o3</Ид><Цены><Цена><ИдТипаЦены>t1</ИдТипаЦены></Цена></Цены></Предложение>",
    "<Предложение><Ид>o4</Ид><Цены><Цена><ЦенаЗаЕдиницу>abc</ЦенаЗаЕдиницу></Цена></Цены></Предложение>",
    '<Предложение Статус="Удален"><Ид>o5</Ид></Предложение>',
    "<Предложение><Ид>o6#v1</Ид><Количество>1</Количество></Предложение>",
    '<Предложение><Ид>o7</Ид><Склад КоличествоНаСкладе="1"/></Предложение>',
    '<Предложение><Ид>o8</Ид><Склад ИдСклада="w1" КоличествоНаСкладе="x"/></Предложение>',
    "<Предложение><Ид>o9</Ид><ЗначенияРеквизитов/></Предложение>",
    "<Предложение><Ид>o10</Ид><Количество>1,5</Количество></Предложение>",
    "<Предложение><Наименование>без Ид</Наименование></Предложение>",
    "<Предложение><Ид>o11</Ид><Штрихкод>1</Штрихкод><Артикул>a</Артикул><Другое/></Предложение>",
    "<Предложение><Ид>o12</Ид><ШтрихКод>2</ШтрихКод><Количество>3</Количество></Предложение>",
    # each of these makes an offer not plain: both walkers decline
    "<Предложение><Ид>o13</Ид><ПометкаУдаления>false</ПометкаУдаления></Предложение>",
    "<Предложение><Ид>o14</Ид><ИдХарактеристики>c</ИдХарактеристики></Предложение>",
    '<Предложение><Ид>o15</Ид><Склады ИдСклада="w1" КоличествоНаСкладе="1"/></Предложение>',
    "<Предложение><Ид>o16</Ид><Остатки><Остаток><Количество>1</Количество></Остаток></Остатки></Предложение>",
    "<Предложение><Ид>o17</Ид><ХарактеристикиТовара/></Предложение>",
    "<Предложение><Ид>o18</Ид><ЗначенияСвойств/></Предложение>",
    # Goods in transit: requisites are read with the offer (the last block counts, several values join).
    "<Предложение><Ид>o19</Ид><ЗначенияРеквизитов><ЗначениеРеквизита><Наименование>В пути</Наименование>"
    "<Значение> 12 </Значение></ЗначениеРеквизита><!-- c --><ЗначениеРеквизита><Наименование>Дата поступления"
    "</Наименование><Значение>2026-12-01</Значение><Значение>2026-12-02</Значение></ЗначениеРеквизита>"
    '<ЗначениеРеквизита><Значение>без имени</Значение></ЗначениеРеквизита></ЗначенияРеквизитов><Склад ИдСклада="w1" '
    'КоличествоНаСкладе="3"/><Количество>3</Количество></Предложение>',
    "<Предложение><Ид>o20</Ид><ЗначенияРеквизитов><ЗначениеРеквизита><Наименование>a</Наименование><Значение>1"
    "</Значение></ЗначениеРеквизита></ЗначенияРеквизитов><ЗначенияРеквизитов><ЗначениеРеквизита><Наименование>b"
    "</Наименование><Значение>2</Значение></ЗначениеРеквизита></ЗначенияРеквизитов></Предложение>",
]


@pytest.mark.parametrize("namespace", ["", NS])
def test_the_walkers_agree_on_the_edges_of_the_format(tmp_path, namespace):
    goods = tmp_path / "import.xml"
    goods.write_text(_document("<Товары>" + "".join(PRODUCTS) + "</Товары>", namespace=namespace), "utf-8")
    assert _compare_file(goods) == {"products": len(PRODUCTS) + 0, "products_declined": 0, "offers": 0}
    declined = tmp_path / "declined.xml"
    declined.write_text(_document("<Товары>" + "".join(DECLINED) + "</Товары>", namespace=namespace), "utf-8")
    assert _compare_file(declined)["products_declined"] == len(DECLINED)
    offers = tmp_path / "offers.xml"
    offers.write_text(
        _document("<Предложения>" + "".join(OFFERS) + "</Предложения>", namespace=namespace, root="ПакетПредложений"),
        "utf-8",
    )
    assert _compare_file(offers)["offers"] == len(OFFERS)


def test_the_edge_cases_use_every_tag_the_python_walkers_know():
    """A tag added to the Python walkers' tables must appear here, so the comparison above covers it."""
    from b2b_cabinet.sync.reader.catalog import _dispatch
    from b2b_cabinet.sync.reader.offers import _tables

    tags = tags_for("")
    offer_tags, price_tags = _tables(tags)
    products, offers = "".join(PRODUCTS), "".join(OFFERS)
    assert [t for t in _dispatch(tags) if f"<{t}>" not in products and f"<{t} " not in products] == []
    assert [t for t in [*offer_tags, *price_tags] if f"<{t}>" not in offers and f"<{t}/>" not in offers
            and f"<{t} " not in offers] == []


def test_the_compiled_walker_reads_values_and_not_just_agrees():
    """Guard against both walkers going wrong together on the cases above."""
    element = etree.fromstring(_document("<Товары>" + PRODUCTS[1] + PRODUCTS[5] + PRODUCTS[7] + "</Товары>").encode())
    walker = compiled.walker_for("")
    cable, unit, vat = (walker.product_fields(p) for p in element.iter("Товар"))
    assert cable[2] == "Кабель" and cable[3] == "a < b & cA" and cable[1] == "A-1"
    assert unit[6:9] == ("796", "", Decimal("1.50"))
    assert vat[9:11] == (Decimal("20"), False)


def test_a_record_of_another_namespace_is_not_read_as_ours():
    element = etree.fromstring(_document(f'<Товары><Товар xmlns="{NS}"><Ид>p</Ид></Товар></Товары>').encode())
    product = next(element.iter(f"{{{NS}}}Товар"))
    assert compiled.walker_for("").product_fields(product) is None  # its Ид is {NS}Ид: not found
    assert compiled.walker_for(NS).product_fields(product)[0] == "p"


def test_a_plain_offer_carries_its_requisites():
    offers = _document("<Предложения>" + OFFERS[-2] + OFFERS[-1] + "</Предложения>", root="ПакетПредложений")
    element = etree.fromstring(offers.encode())
    walker = compiled.walker_for("")
    transit, twice = (walker.plain_offer(o) for o in element.iter("Предложение"))
    assert transit == ("o19", None, "3", [("w1", "3")],
                       (("В пути", "12"), ("Дата поступления", "2026-12-01\n2026-12-02")))
    assert twice[4] == (("b", "2"),)
