"""The demo CommerceML generator: deterministic, self-consistent, and shaped like a 1C УТ 11 export."""

from __future__ import annotations

import json
import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from lxml import etree

from b2b_cabinet.demo.catalogue import CatalogueSpec, main, write_delta, write_offers_changed, write_package
from b2b_cabinet.demo.catalogue_content import BRANDS, DICT, KINDS
from b2b_cabinet.demo.catalogue_synth import Assortment

NS = "{urn:1C.ru:commerceml_2}"
SMALL = CatalogueSpec(products=400, variants_every=7, deleted_every=50, in_transit_every=20)


def parse(path: Path) -> etree._Element:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=True)
    return etree.parse(str(path), parser).getroot()


def offers_by_id(root: etree._Element) -> dict[str, etree._Element]:
    return {offer.findtext(f"{NS}Ид"): offer for offer in root.iter(f"{NS}Предложение")}


def requisites(element: etree._Element) -> dict[str, str]:
    return {
        r.findtext(f"{NS}Наименование"): r.findtext(f"{NS}Значение")
        for r in element.findall(f"{NS}ЗначенияРеквизитов/{NS}ЗначениеРеквизита")
    }


@pytest.fixture(scope="module")
def package(tmp_path_factory) -> tuple:
    info = write_package(tmp_path_factory.mktemp("package"), SMALL)
    return info, parse(info.import_path), parse(info.offers_path)


def test_two_writes_of_the_same_spec_are_byte_identical(tmp_path):
    spec = CatalogueSpec(products=300, variants_every=5, deleted_every=40, images=True)
    first, second = write_package(tmp_path / "a", spec), write_package(tmp_path / "b", spec)
    assert first.import_path.read_bytes() == second.import_path.read_bytes()
    assert first.offers_path.read_bytes() == second.offers_path.read_bytes()
    images = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a" / "import_files").rglob("*.jpg"))
    assert len(images) == 300
    assert all((tmp_path / "a" / p).read_bytes() == (tmp_path / "b" / p).read_bytes() for p in images)
    paths = ("directory", "import_path", "offers_path", "seconds")
    assert {k: v for k, v in first.summary().items() if k not in paths} == {
        k: v for k, v in second.summary().items() if k not in paths
    }
    assert (first.product_ids, first.offer_ids) == (second.product_ids, second.offer_ids)


def test_another_seed_gives_another_catalogue(tmp_path):
    first = write_package(tmp_path / "a", CatalogueSpec(products=50, seed=1))
    second = write_package(tmp_path / "b", CatalogueSpec(products=50, seed=2))
    assert set(first.product_ids).isdisjoint(second.product_ids)
    assert first.import_path.read_bytes() != second.import_path.read_bytes()


def test_product_i_is_the_same_product_in_a_small_and_a_large_catalogue(tmp_path):
    small = parse(write_package(tmp_path / "s", CatalogueSpec(products=30)).import_path)
    large = parse(write_package(tmp_path / "l", CatalogueSpec(products=300)).import_path)
    small_products = [etree.tostring(p, with_tail=False) for p in small.iter(f"{NS}Товар")]
    large_products = [etree.tostring(p, with_tail=False) for p in large.iter(f"{NS}Товар")][:30]
    assert small_products == large_products


def test_the_files_have_the_1c_root_namespace_and_version(package):
    info, catalogue, offers = package
    for root, path in ((catalogue, info.import_path), (offers, info.offers_path)):
        assert root.tag == f"{NS}КоммерческаяИнформация"
        assert root.get("ВерсияСхемы") == "2.07"
        assert root.get("ДатаФормирования") == "2026-11-20T09:30:00"
        assert path.read_bytes().startswith(b'\xef\xbb\xbf<?xml version="1.0" encoding="UTF-8"?>')
    assert catalogue.find(f"{NS}Каталог").get("СодержитТолькоИзменения") == "false"
    assert offers.find(f"{NS}ПакетПредложений").get("СодержитТолькоИзменения") == "false"


def test_the_counts_in_package_info_match_the_xml(package):
    info, catalogue, offers = package
    products = list(catalogue.iter(f"{NS}Товар"))
    offer_ids = list(offers_by_id(offers))
    assert info.products == len(products) == SMALL.products
    assert info.product_ids == tuple(p.findtext(f"{NS}Ид") for p in products)
    assert info.offers == len(offer_ids) and info.offer_ids == tuple(offer_ids)
    assert info.deleted == sum(p.get("Статус") == "Удален" for p in products) == SMALL.products // 50
    assert info.variant_offers == sum("#" in i for i in offer_ids) > 0
    assert info.in_transit == sum(bool(requisites(o)) for o in offers.iter(f"{NS}Предложение")) > 0
    assert info.import_bytes == info.import_path.stat().st_size
    assert info.offers_bytes == info.offers_path.stat().st_size


def test_deleted_products_have_no_offers_and_every_other_product_has_some(package):
    _, catalogue, offers = package
    offered = {offer_id.split("#")[0] for offer_id in offers_by_id(offers)}
    for product in catalogue.iter(f"{NS}Товар"):
        assert (product.findtext(f"{NS}Ид") in offered) != (product.get("Статус") == "Удален")


def test_barcodes_are_unique_ean13_with_a_valid_check_digit(package):
    _, catalogue, _ = package
    barcodes = [p.findtext(f"{NS}Штрихкод") for p in catalogue.iter(f"{NS}Товар")]
    assert len(set(barcodes)) == len(barcodes)
    for code in barcodes:
        assert re.fullmatch(r"\d{13}", code)
        total = sum(int(d) * (3 if k % 2 else 1) for k, d in enumerate(code[:12]))
        assert int(code[12]) == (10 - total % 10) % 10


def test_articles_and_names_are_unique_over_two_rounds_of_every_combination():
    assortment = Assortment(CatalogueSpec())
    identities = [assortment.identity(i)[3:] for i in range(2 * len(assortment.combos))]
    assert len(assortment.combos) > 5000
    assert len({article for _, article in identities}) == len(identities)
    assert len({name for name, _ in identities}) == len(identities)


def test_products_look_like_an_electrical_distributors_ut11_export(package):
    _, catalogue, _ = package
    product = next(catalogue.iter(f"{NS}Товар"))
    unit = product.find(f"{NS}БазоваяЕдиница")
    assert (unit.get("Код"), unit.get("НаименованиеПолное")) == ("796", "Штука")
    assert unit.findtext(f"{NS}Пересчет/{NS}Единица") == "796"
    assert product.findtext(f"{NS}СтавкиНалогов/{NS}СтавкаНалога/{NS}Ставка") == "20"
    assert product.findtext(f"{NS}Изготовитель/{NS}Наименование") in {
        "IEK", "EKF", "Schneider Electric", "ABB", "DEKraft", "КЭАЗ"
    }
    assert list(requisites(product)) == ["ВидНоменклатуры", "ТипНоменклатуры", "Полное наименование", "Вес"]
    assert requisites(product)["ТипНоменклатуры"] == "Товар"
    names = [p.findtext(f"{NS}Наименование") for p in catalogue.iter(f"{NS}Товар")]
    assert any(re.fullmatch(r"Автоматический выключатель ВА47-29 1P \d+А [BCD] IEK", n) for n in names)


def test_groups_form_a_three_level_tree_and_products_sit_in_leaves(package):
    _, catalogue, _ = package
    top = catalogue.find(f"{NS}Классификатор/{NS}Группы")
    modular = top.xpath("./c:Группа[c:Наименование='Автоматические выключатели']/c:Группы/"
                        "c:Группа[c:Наименование='Модульные']/c:Группы/c:Группа/c:Наименование/text()",
                        namespaces={"c": NS[1:-1]})
    assert modular == ["1P", "2P", "3P"]
    leaves = {g.findtext(f"{NS}Ид") for g in top.iter(f"{NS}Группа") if g.find(f"{NS}Группы") is None}
    assert {p.findtext(f"{NS}Группы/{NS}Ид") for p in catalogue.iter(f"{NS}Товар")} <= leaves


def test_every_property_value_refers_to_a_declared_property_and_reference_value(package):
    _, catalogue, _ = package
    declared = {}
    for prop in catalogue.iter(f"{NS}Свойство"):
        values = {v.findtext(f"{NS}ИдЗначения") for v in prop.iter(f"{NS}Справочник")}
        declared[prop.findtext(f"{NS}Ид")] = (prop.findtext(f"{NS}ТипЗначений"), values)
    kinds_seen = set()
    for product in catalogue.iter(f"{NS}Товар"):
        values = product.findall(f"{NS}ЗначенияСвойств/{NS}ЗначенияСвойства")
        assert len(values) == SMALL.properties_per_product
        for value in values:
            value_type, variants = declared[value.findtext(f"{NS}Ид")]
            kinds_seen.add(value_type)
            if value_type == DICT:
                assert value.findtext(f"{NS}Значение") in variants
    assert kinds_seen == {"Справочник", "Число", "Строка"}


def test_every_offer_refers_to_declared_price_types_and_warehouses(package):
    _, _, offers = package
    pack = offers.find(f"{NS}ПакетПредложений")
    price_types = [t.findtext(f"{NS}Ид") for t in pack.iter(f"{NS}ТипЦены")]
    warehouses = [s.findtext(f"{NS}Ид") for s in pack.find(f"{NS}Склады").iter(f"{NS}Склад")]
    names = [t.findtext(f"{NS}Наименование") for t in pack.iter(f"{NS}ТипЦены")]
    assert names == ["Оптовая", "Дилерская", "РРЦ"]
    assert len(warehouses) == 3
    cities = [s.xpath("string(.//*[local-name()='АдресноеПоле'][*[local-name()='Тип']='Город']/*"
                      "[local-name()='Значение'])") for s in pack.find(f"{NS}Склады")]
    assert cities == ["Екатеринбург", "Москва", "Москва"]
    for offer in pack.iter(f"{NS}Предложение"):
        assert [p.findtext(f"{NS}ИдТипаЦены") for p in offer.iter(f"{NS}Цена")] == price_types
        assert [s.get("ИдСклада") for s in offer.findall(f"{NS}Склад")] == warehouses
        if requisites(offer):
            assert requisites(offer)["Склад поступления"] in warehouses


def test_prices_ascend_to_the_rrp_and_stock_adds_up(package):
    _, _, offers = package
    zero = positive = 0
    for offer in offers.iter(f"{NS}Предложение"):
        prices = [Decimal(p.findtext(f"{NS}ЦенаЗаЕдиницу")) for p in offer.iter(f"{NS}Цена")]
        assert prices == sorted(prices) and len(set(prices)) == 3
        assert Decimal("0.6") < prices[0] / prices[2] < Decimal("0.9")
        assert all(p == p.quantize(Decimal("0.01")) and re.fullmatch(r"\d+\.\d\d", str(p)) for p in prices)
        first = offer.find(f"{NS}Цены/{NS}Цена")
        text = f"{prices[0]:,.2f}".replace(",", "\u00a0").replace(".", ",")
        assert first.findtext(f"{NS}Представление") == f"{text} RUB за шт"
        assert (first.findtext(f"{NS}Валюта"), first.findtext(f"{NS}Единица")) == ("RUB", "шт")
        stock = [int(s.get("КоличествоНаСкладе")) for s in offer.findall(f"{NS}Склад")]
        assert int(offer.findtext(f"{NS}Количество")) == sum(stock)
        zero += stock.count(0)
        positive += len(stock) - stock.count(0)
    assert 0 < zero < positive


def test_goods_in_transit_follow_the_documented_convention(package):
    _, catalogue, offers = package
    by_id = offers_by_id(offers)
    for n, product in enumerate(catalogue.iter(f"{NS}Товар")):
        pid = product.findtext(f"{NS}Ид")
        for offer_id, offer in by_id.items():
            if offer_id.split("#")[0] != pid:
                continue
            transit = requisites(offer)
            assert bool(transit) == (n % SMALL.in_transit_every == 0)
            if transit:
                assert list(transit) == ["Количество в пути", "Дата поступления", "Склад поступления"]
                assert int(transit["Количество в пути"]) > 0
                eta = date.fromisoformat(transit["Дата поступления"])
                assert date(2026, 11, 20) < eta < date(2027, 1, 10)
                children = [c.tag.replace(NS, "") for c in offer]
                assert children.index("ЗначенияРеквизитов") < children.index("Цены")


def test_characteristic_offers_carry_guid_pairs_and_their_value(package):
    _, _, offers = package
    variants = [o for i, o in offers_by_id(offers).items() if "#" in i]
    for offer in variants:
        product_id, characteristic_id = offer.findtext(f"{NS}Ид").split("#")
        assert len(product_id) == len(characteristic_id) == 36
        value = offer.findtext(f"{NS}ХарактеристикиТовара/{NS}ХарактеристикаТовара/{NS}Значение")
        assert offer.findtext(f"{NS}Наименование").endswith(f" ({value})")


def test_the_delta_says_it_holds_only_changes_and_holds_only_the_fraction(tmp_path, package):
    full, _, full_offers = package
    info = write_delta(tmp_path, SMALL, fraction=0.05)
    catalogue, offers = parse(info.import_path), parse(info.offers_path)
    assert catalogue.find(f"{NS}Каталог").get("СодержитТолькоИзменения") == "true"
    assert offers.find(f"{NS}ПакетПредложений").get("СодержитТолькоИзменения") == "true"
    assert info.products == len(list(catalogue.iter(f"{NS}Товар"))) == 20
    assert set(info.product_ids) < set(full.product_ids)
    assert len(list(catalogue.iter(f"{NS}Свойство"))) > 30  # the whole classifier comes along
    assert all(p.findtext(f"{NS}Наименование").endswith(" (нов. ред.)") for p in catalogue.iter(f"{NS}Товар"))
    before = offers_by_id(full_offers)
    for offer_id, offer in offers_by_id(offers).items():
        old = [p.findtext(f"{NS}ЦенаЗаЕдиницу") for p in before[offer_id].iter(f"{NS}Цена")]
        new = [p.findtext(f"{NS}ЦенаЗаЕдиницу") for p in offer.iter(f"{NS}Цена")]
        assert all(a != b for a, b in zip(old, new, strict=True))
        assert offer.findtext(f"{NS}Количество") != before[offer_id].findtext(f"{NS}Количество")
    assert write_delta(tmp_path / "again", SMALL, fraction=0.05).product_ids == info.product_ids


def test_the_changed_offers_file_differs_in_every_price_and_quantity(tmp_path, package):
    full, _, full_offers = package
    info = write_offers_changed(tmp_path, SMALL, price_factor=1.03, name="offers_changed.xml")
    assert info.import_path is None and info.offers_path.name == "offers_changed.xml"
    assert not (tmp_path / "import.xml").exists()
    assert info.offer_ids == full.offer_ids
    before, after = offers_by_id(full_offers), offers_by_id(parse(info.offers_path))
    for offer_id, offer in after.items():
        old = [Decimal(p.findtext(f"{NS}ЦенаЗаЕдиницу")) for p in before[offer_id].iter(f"{NS}Цена")]
        new = [Decimal(p.findtext(f"{NS}ЦенаЗаЕдиницу")) for p in offer.iter(f"{NS}Цена")]
        for a, b in zip(old, new, strict=True):
            assert b != a and abs(b - a * Decimal("1.03")) <= Decimal("0.01")
        old_stock = [s.get("КоличествоНаСкладе") for s in before[offer_id].findall(f"{NS}Склад")]
        new_stock = [s.get("КоличествоНаСкладе") for s in offer.findall(f"{NS}Склад")]
        assert all(a != b for a, b in zip(old_stock, new_stock, strict=True))
        assert offer.findtext(f"{NS}Количество") != before[offer_id].findtext(f"{NS}Количество")


def test_changing_every_tenth_product_leaves_the_others_alone(tmp_path, package):
    full, _, full_offers = package
    after = offers_by_id(parse(write_offers_changed(tmp_path, SMALL, change_every=10).offers_path))
    before = offers_by_id(full_offers)
    index = {pid: n for n, pid in enumerate(full.product_ids)}
    for offer_id, offer in after.items():
        same = etree.tostring(offer, with_tail=False) == etree.tostring(before[offer_id], with_tail=False)
        assert same == bool(index[offer_id.split("#")[0]] % 10)


def test_images_are_small_valid_jpegs_at_the_referenced_paths(tmp_path):
    pil = pytest.importorskip("PIL.Image")
    info = write_package(tmp_path, CatalogueSpec(products=20, images=True))
    catalogue = parse(info.import_path)
    paths = [p.text for p in catalogue.iter(f"{NS}Картинка")]
    assert info.images == len(paths) == 20
    for product, path in zip(catalogue.iter(f"{NS}Товар"), paths, strict=True):
        guid = product.findtext(f"{NS}Ид")
        assert re.fullmatch(rf"import_files/{guid[:2]}/{guid}_[0-9a-f-]{{36}}\.jpg", path)
        assert requisites(product)["ОписаниеФайла"].startswith(f"{path}#")
        with pil.open(tmp_path / path) as image:
            assert image.format == "JPEG" and image.size == (64, 64)


def test_the_realistic_preset_has_five_warehouses_and_ut11_sized_records(tmp_path):
    spec = CatalogueSpec.realistic(products=300)
    assert (spec.products, len(spec.warehouses), len(spec.price_types)) == (300, 5, 3)
    info = write_package(tmp_path, spec)
    offers = parse(info.offers_path)
    assert len(offers.find(f"{NS}ПакетПредложений/{NS}Склады")) == 5
    assert 3500 < info.import_bytes / info.products < 6000
    assert 1800 < info.offers_bytes / info.offers < 3000


def test_the_command_line_writes_a_package_and_prints_its_figures(tmp_path, capsys):
    assert main([str(tmp_path), "--products", "40", "--seed", "7", "--variants-every", "4"]) == 0
    figures = json.loads(capsys.readouterr().out)
    assert figures["products"] == 40 and figures["variant_offers"] > 0
    sizes = [(tmp_path / name).stat().st_size for name in ("import.xml", "offers.xml")]
    assert figures["total_bytes"] == sum(sizes)
    assert main([str(tmp_path / "d"), "--products", "40", "--mode", "delta", "--fraction", "0.1"]) == 0
    assert json.loads(capsys.readouterr().out)["products"] == 4


def test_every_kind_names_its_brand_and_fills_its_templates():
    assortment = Assortment(CatalogueSpec())
    seen = set()
    for i in range(2000):
        kind, b, _, name, article = assortment.identity(i)
        seen.add(kind.path)
        assert "{" not in name + article
        assert name.endswith(BRANDS[b].name)
    assert seen == {kind.path for kind in KINDS}
