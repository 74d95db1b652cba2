"""Product search: every alphabet's case, parts of words, the SQLite trigram index kept in step with writes."""

import pytest
from django.db import connection, transaction

from b2b_cabinet.catalogue import CatalogueFilter, list_products
from b2b_cabinet.demo.catalogue import write_delta, write_package
from b2b_cabinet.models import Product, product_search
from b2b_cabinet.pricing import context_for_company
from tests import factories as f
from tests.importing import run_import, small_spec

pytestmark = pytest.mark.django_db
sqlite_only = pytest.mark.skipif("connection.vendor != 'sqlite'", reason="the FTS5 index exists on SQLite only")


def found(text: str) -> set[str]:
    return set(Product.objects.active().search(text).values_list("sku", flat=True))


@pytest.fixture
def goods():
    f.product(name="АВТОМАТИЧЕСКИЙ ВЫКЛЮЧАТЕЛЬ ВА47-29 3Р 16А", sku="MVA20-3-016-C")
    f.product(name="Выключатель автоматический дифференциальный АВДТ 32", sku="MAD22-5-016-C-30")
    f.product(name="Кабель ВВГнг(А)-LS 3х2,5", sku="KAB-325", barcode="4607036012345")
    f.product(name="Ёлочная гирлянда", sku="GIR-1")


@pytest.mark.parametrize("text, skus", [
    ("автомат", {"MVA20-3-016-C", "MAD22-5-016-C-30"}),      # a part of a word, in lower case
    ("АВТОМАТИЧЕСКИЙ выключатель", {"MVA20-3-016-C", "MAD22-5-016-C-30"}),
    ("вЫкЛюЧаТеЛь 16а", {"MVA20-3-016-C"}),                  # mixed case in any alphabet
    ("ёлочн", {"GIR-1"}),
    ("ввгнг(а)-ls 3х2,5", {"KAB-325"}),                       # punctuation is part of the text
    ("mva20", {"MVA20-3-016-C"}),                             # an SKU prefix in another case
    ("016-c", {"MVA20-3-016-C", "MAD22-5-016-C-30"}),         # a part of an SKU
    ("4607036012345", {"KAB-325"}),                           # a whole barcode
    ("ВА 16А", {"MVA20-3-016-C"}),                            # a word too short for the index
    ("3Р", {"MVA20-3-016-C"}),                                # only short words
    ("автомат кабель", set()),                                # every word must match
])
def test_search_ignores_case_and_finds_parts_of_words(goods, text, skus):
    assert found(text) == skus


@pytest.mark.parametrize("text", ['"', '"""', 'a"b"c', "***", "NEAR(abc def)", "abc OR def", "^abc", "abc:def",
                                  "{abc}", "-abc", "100%", "___"])
def test_quotes_wildcards_and_fts5_syntax_in_the_text_are_plain_characters(text):
    f.product(name=f"Кабель {text} Ш", sku="S-1")
    f.product(name="Кабель ВВГ", sku="S-2")
    assert found(text) == {"S-1"}


def test_a_nul_character_in_the_text_is_ignored():
    # No stored name has one (XML and forms refuse it, PostgreSQL cannot store it); FTS5's query
    # parser and the PostgreSQL driver would fail on it: a 500 for ?q=%00 on the catalogue page.
    f.product(name="Кабель ВВГнг", sku="S-1")
    assert found("ввг\x00") == {"S-1"} and found("к\x00абель ввг") == {"S-1"} and found("\x00") == {"S-1"}
    listing = list_products(filters=CatalogueFilter(query="S-1\x00"), context=None)
    assert [p.sku for p in listing.page.object_list] == ["S-1"]


def test_a_common_text_searched_row_by_row_finds_the_same(goods, monkeypatch):
    expected = {text: found(text) for text in ("автомат", "вЫкЛюЧаТеЛь 16а", "016-c", "4607036012345")}
    monkeypatch.setattr(product_search, "COMMON", 1)  # every text counts as common: the scan path
    assert {text: found(text) for text in expected} == expected


def test_a_renamed_deleted_or_deactivated_product_is_found_by_what_it_is_now(goods):
    cable = Product.objects.get(sku="KAB-325")
    cable.name = "Провод ПуГВ 1х1,5"
    cable.save()
    Product.objects.filter(sku="GIR-1").update(sku="NEW-GIR")
    Product.objects.filter(sku="MAD22-5-016-C-30").update(is_active=False)

    assert found("кабель") == set() and found("пугв") == {"KAB-325"}
    assert found("gir-1") == set() and found("new-gir") == {"NEW-GIR"}
    assert found("дифференциальный") == set()
    Product.objects.filter(sku="NEW-GIR").delete()
    assert found("гирлянда") == set()
    assert_index_matches_the_products()


def test_region_assortment_applies_to_search_results(world):
    world.company.region.assortment_rules.create(mode="exclude", product=world.breaker)

    listing = list_products(filters=CatalogueFilter(query="выключатель"), context=context_for_company(world.company))

    assert list(listing.page.object_list) == []
    assert found("выключатель") == {"MVA20-1-016-C"}  # still in the catalogue, hidden from this region


def test_an_import_that_renames_products_moves_them_in_the_search(tmp_path):
    spec = small_spec()
    info = write_package(tmp_path / "full", spec)
    run_import(info.import_path, info.offers_path)
    assert found("нов. ред.") == set()

    run_import(write_delta(tmp_path / "delta", spec, fraction=0.1).import_path)

    renamed = set(Product.objects.filter(name__contains="нов. ред.").values_list("sku", flat=True))
    assert len(renamed) == 4 and found("НОВ. РЕД.") == renamed
    kept = Product.objects.exclude(sku__in=renamed).first()
    assert kept.sku in found(kept.name.upper())
    assert_index_matches_the_products()


@sqlite_only
def test_a_failed_import_leaves_the_index_and_its_triggers_as_they_were(tmp_path):
    spec = small_spec()
    info = write_package(tmp_path / "full", spec)
    run_import(info.import_path, info.offers_path)
    delta = write_delta(tmp_path / "delta", spec, fraction=1.0)
    text = delta.import_path.read_text(encoding="utf-8")
    delta.import_path.write_text(text[: len(text) * 2 // 3], encoding="utf-8")  # truncated: the run fails

    assert run_import(delta.import_path).status == "failed"

    assert found("нов. ред.") == set()
    assert triggers() == product_search.TRIGGERS
    f.product(name="Новинка после сбоя", sku="NEW-1")
    assert found("новинка") == {"NEW-1"}
    assert_index_matches_the_products()


@sqlite_only
@pytest.mark.parametrize("share", [0, 1000], ids=["row by row", "rebuilt"])
def test_writes_inside_deferred_are_indexed_at_its_end_and_rolled_back_with_it(goods, share, monkeypatch):
    monkeypatch.setattr(product_search, "REBUILD_SHARE", share)
    cable = Product.objects.get(sku="KAB-325")
    with product_search.deferred(connection):
        assert triggers() == product_search.NOTING_TRIGGERS
        cable.name = "Провод"
        cable.save()
        cable.name = "Провод ПВС"  # noted once, with the name the index holds
        cable.save()
        f.product(name="Розетка", sku="ROZ-1")
        Product.objects.filter(sku="GIR-1").delete()
    assert triggers() == product_search.TRIGGERS
    assert found("пвс") == {"KAB-325"} and found("кабель") == set()
    assert found("розетка") == {"ROZ-1"} and found("гирлянда") == set()

    with pytest.raises(RuntimeError), product_search.deferred(connection):
        Product.objects.filter(sku="ROZ-1").update(name="Вилка")
        raise RuntimeError
    assert found("розетка") == {"ROZ-1"} and triggers() == product_search.TRIGGERS
    assert_index_matches_the_products()


@sqlite_only
@pytest.mark.parametrize("setting", [None, 8])
def test_a_rebuild_leaves_the_index_merge_setting_as_it_was(goods, monkeypatch, setting):
    """The rebuild turns FTS5's automerge off while it writes, and puts the index's own setting back."""
    monkeypatch.setattr(product_search, "REBUILD_SHARE", 1000)
    with connection.cursor() as cursor:
        if setting is not None:
            cursor.execute(f"INSERT INTO {product_search.TABLE} ({product_search.TABLE}, rank) "
                           f"VALUES ('automerge', {setting})")
        with product_search.deferred(connection):
            f.product(name="Светильник", sku="SV-1")
        cursor.execute(f"SELECT v FROM {product_search.TABLE}_config WHERE k = 'automerge'")
        assert cursor.fetchone()[0] == (product_search.AUTOMERGE_DEFAULT if setting is None else setting)
    assert found("светильник") == {"SV-1"}
    assert_index_matches_the_products()


@sqlite_only
def test_migrate_restores_triggers_that_rebuilding_the_table_dropped(goods):
    from django.core.management import call_command

    with connection.cursor() as cursor:
        for name in product_search.TRIGGERS:
            cursor.execute(f"DROP TRIGGER {name}")  # what Django's _remake_table does to them
    f.product(name="Щит распределительный", sku="SHR-1")
    assert found("щит") == set()

    call_command("migrate", verbosity=0)

    assert triggers() == product_search.TRIGGERS
    assert found("щит") == {"SHR-1"}
    assert_index_matches_the_products()


def triggers() -> dict[str, str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s",
                       [product_search.PRODUCT_TABLE])
        return dict(cursor.fetchall())


def assert_index_matches_the_products() -> None:
    """FTS5's own check of an external-content index against its table (raises if they differ)."""
    if connection.vendor != "sqlite":
        return
    with transaction.atomic(), connection.cursor() as cursor:
        table = product_search.TABLE
        cursor.execute(f"INSERT INTO {table} ({table}, rank) VALUES ('integrity-check', 1)")
