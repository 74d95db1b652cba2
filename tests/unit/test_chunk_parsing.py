"""Records parsed without blank text (the workers' parser) read exactly as with the reader's parser."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from b2b_cabinet.sync.chunks import PARSER_OPTIONS, RECORD_PARSER_OPTIONS
from b2b_cabinet.sync.reader.catalog import read_product
from b2b_cabinet.sync.reader.fields import Context
from b2b_cabinet.sync.reader.offers import read_offer, read_plain_offer
from b2b_cabinet.sync.reader.tags import tags_for
from tests.importing import FIXTURES, SHARED

NS = "urn:1C.ru:commerceml_2"
READERS = {"Товар": read_product, "Предложение": read_offer}

# Whitespace in every place a record can hold it: around CDATA, comments and entities, in empty
# values, in elements with children, in blocks without children.
EDGES = """<КоммерческаяИнформация xmlns="urn:1C.ru:commerceml_2"><Каталог><Товары>
<Товар>
  <Ид>  p1  </Ид>
  <Наименование>  <![CDATA[  Кабель <b>ВВГ</b>  ]]>  </Наименование>
  <Артикул>  <!-- c -->  A-1  </Артикул>
  <Описание>  текст <b> жирный </b>  хвост  </Описание>
  <Штрихкод>   </Штрихкод>
  <БазоваяЕдиница Код=" 796 " НаименованиеПолное="Штука">  шт  <Пересчет>  <Единица>796</Единица>
    <Коэффициент>  1.5  </Коэффициент>  </Пересчет>  </БазоваяЕдиница>
  <Группы>  <Ид> g1 </Ид>  <Ид>   </Ид>  </Группы>
  <ЗначенияСвойств>
    <ЗначенияСвойства>  <Ид> s1 </Ид>  <Значение>  </Значение>  <Значение> &amp; a </Значение>  </ЗначенияСвойства>
    <ЗначенияСвойства>  <Ид> s2 </Ид>  <Значение>&#32; b&#10;</Значение>  </ЗначенияСвойства>
  </ЗначенияСвойств>
  <ЗначенияРеквизитов>  <ЗначениеРеквизита>  <Наименование> r </Наименование>
    <Значение>  x  </Значение>  <Значение>  </Значение>  <Значение/>  </ЗначениеРеквизита>  </ЗначенияРеквизитов>
  <СтавкиНалогов>  <СтавкаНалога>  <Наименование>  НДС  </Наименование>  <Ставка>  20  </Ставка>
  </СтавкаНалога>  </СтавкиНалогов>
  <Изготовитель>  <Ид>  m1 </Ид>  <Наименование>  M  </Наименование>  </Изготовитель>
  <ХарактеристикиТовара>  </ХарактеристикиТовара>
</Товар>
</Товары></Каталог><ПакетПредложений><Предложения>
<Предложение>
  <Ид> o1 </Ид>
  <Цены>  <Цена>  <ИдТипаЦены> t1 </ИдТипаЦены>  <ЦенаЗаЕдиницу>  10.50  </ЦенаЗаЕдиницу>
    <Валюта>  руб  </Валюта>  <Коэффициент>   </Коэффициент>  <МинКоличество>  </МинКоличество>  </Цена>
    <!-- a comment between prices -->  </Цены>
  <Количество>  7  </Количество>
  <Склад ИдСклада=" w1 " КоличествоНаСкладе=" 3 "/>
  <Остатки>  </Остатки>
</Предложение>
<Предложение>
  <Ид>o2</Ид>
  <Остатки>  <Остаток>  <Склад>  <Ид>  w2  </Ид>  <Количество>  4  </Количество>  </Склад>  </Остаток>
    <Остаток>  <Количество>  </Количество>  </Остаток>  </Остатки>
</Предложение>
</Предложения></ПакетПредложений></КоммерческаяИнформация>""".encode()


def _files() -> list[Path]:
    files = [path for path in FIXTURES.rglob("*.xml") if "attacks" not in path.parts and "bad" not in path.parts]
    return files + (sorted(SHARED.glob("*/*.xml")) if SHARED.is_dir() else [])


def _read_all(data: bytes, options: dict, namespace: str) -> list:
    """Every product and offer of ``data`` as the readers give them (or the error they raise)."""
    ctx = Context("file.xml", tags_for(namespace))
    out = []
    try:
        root = etree.fromstring(data, etree.XMLParser(**options))
    except etree.XMLSyntaxError as exc:
        return [("syntax", str(exc))]
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        local = element.tag.rpartition("}")[2]
        if local not in READERS:
            continue
        try:
            out.append(READERS[local](element, ctx))
        except Exception as exc:  # the same error either way is what is checked
            out.append(("error", type(exc).__name__, str(exc)))
        if local == "Предложение":
            out.append(read_plain_offer(element, ctx))
    return out


def test_the_record_parser_differs_from_the_readers_only_in_blank_text():
    assert {**PARSER_OPTIONS, "remove_blank_text": True} == RECORD_PARSER_OPTIONS


def test_whitespace_everywhere_reads_the_same():
    with_blanks = _read_all(EDGES, PARSER_OPTIONS, NS)
    assert len(with_blanks) == 5
    assert _read_all(EDGES, RECORD_PARSER_OPTIONS, NS) == with_blanks


@pytest.mark.parametrize("path", _files(), ids=lambda path: f"{path.parent.name}/{path.name}")
def test_every_sample_file_reads_the_same(path):
    data = path.read_bytes()
    root = etree.fromstring(data, etree.XMLParser(**PARSER_OPTIONS))
    namespace = root.tag[1:].partition("}")[0] if root.tag.startswith("{") else ""
    assert _read_all(data, RECORD_PARSER_OPTIONS, namespace) == _read_all(data, PARSER_OPTIONS, namespace)
