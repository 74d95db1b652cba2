"""A first import into empty tables: secondary indexes built after the rows, new rows written straight in."""

import re
from pathlib import Path

import pytest
from django.db import connection, transaction

from b2b_cabinet.demo.catalogue import write_offers_changed, write_package
from b2b_cabinet.models import (
    ImportRun,
    OfferState,
    Price,
    Product,
    ProductImage,
    ProductVariant,
    StockLevel,
    product_search,
)
from b2b_cabinet.sync import pipeline
from b2b_cabinet.sync.loaders.base import BulkWriter
from tests.importing import catalogue_content, catalogue_snapshot, run_import, small_spec

# A first load happens only in a transaction of its own.
pytestmark = pytest.mark.django_db(transaction=True)

TABLES = ("b2b_cabinet_product", "b2b_cabinet_productvariant", "b2b_cabinet_price", "b2b_cabinet_stocklevel",
          "b2b_cabinet_offerstate")


def _schema() -> list:
    """Every index (PostgreSQL: and foreign key) and trigger of the tables a first load writes."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            marks = ", ".join(["%s"] * len(TABLES))
            cursor.execute(f"SELECT type, name, sql FROM sqlite_master WHERE tbl_name IN ({marks}) "
                           f"AND type IN ('index', 'trigger') ORDER BY name", list(TABLES))
            return cursor.fetchall()
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = ANY(%s) ORDER BY indexname",
                       [list(TABLES)])
        indexes = cursor.fetchall()
        cursor.execute("SELECT conname, pg_get_constraintdef(oid), convalidated, condeferrable, condeferred "
                       "FROM pg_constraint WHERE conrelid::regclass::text = ANY(%s) ORDER BY conname", [list(TABLES)])
        return indexes + cursor.fetchall()


def _wipe():
    for model in (Price, StockLevel, OfferState, ProductVariant, Product):
        model.objects.all().delete()


@pytest.fixture
def set_aside(monkeypatch):
    """Forces the first-load and worker paths on a small package; records the tables set aside."""
    monkeypatch.setattr(pipeline, "FIRST_LOAD_BYTES", 0)
    monkeypatch.setattr(pipeline, "SMALL_FILE", 1)
    monkeypatch.setattr(pipeline, "CHUNK_SIZE", 64 * 1024)
    tables: list[str] = []
    original = BulkWriter.indexes_set_aside

    def recording(self, names):
        tables.extend(names)
        return original(self, names)

    monkeypatch.setattr(BulkWriter, "indexes_set_aside", recording)
    return tables


def _content() -> dict:
    return {**catalogue_content(), "active": sorted(Product.objects.values_list("external_id", "is_active"))}


def test_a_first_load_gives_the_catalogue_and_the_indexes_an_ordinary_import_gives(tmp_path, set_aside, monkeypatch):
    info = write_package(tmp_path / "p", small_spec(products=300, variants_every=7))
    monkeypatch.setattr(pipeline, "FIRST_LOAD_BYTES", 1 << 40)
    ordinary = run_import(info.import_path, info.offers_path)
    expected = (ordinary.created, ordinary.updated, _content())
    _wipe()
    schema = _schema()
    monkeypatch.setattr(pipeline, "FIRST_LOAD_BYTES", 0)

    run = run_import(info.import_path, info.offers_path)

    assert run.status == ImportRun.Status.SUCCESS, run.error
    assert sorted(set_aside) == sorted(TABLES)
    assert (run.created, run.updated, _content()) == expected
    assert _schema() == schema
    if product_search.available(connection):
        # The search index was built from the table, and its triggers are back for later writes.
        name = Product.objects.order_by("pk").values_list("name", flat=True)[150]
        word = max(name.split(), key=len)
        assert Product.objects.get(name=name).pk in product_search.matching_ids(
            connection, product_search.match_expression([word]), "")
        Product.objects.filter(name=name).update(name="Совершенно новое имя")
        assert product_search.matching_ids(connection, product_search.match_expression(["новое"]), "")


def test_a_failed_first_load_leaves_the_empty_tables_with_their_indexes(tmp_path, set_aside):
    info = write_package(tmp_path / "p", small_spec(products=300))
    text = info.offers_path.read_text(encoding="utf-8-sig")
    broken = tmp_path / "broken" / "offers.xml"
    broken.parent.mkdir()
    broken.write_text(text[: len(text) * 2 // 3], encoding="utf-8")  # cut off: the goods were written already
    schema, before = _schema(), catalogue_snapshot()

    run = run_import(info.import_path, broken)

    assert run.status == ImportRun.Status.FAILED
    assert set_aside  # the indexes were dropped, then came back with the rollback
    assert _schema() == schema
    assert catalogue_snapshot() == before


def test_a_dry_run_first_load_changes_nothing(tmp_path, set_aside):
    info = write_package(tmp_path / "p", small_spec(products=200))
    schema, before = _schema(), catalogue_snapshot()

    run = run_import(info.import_path, info.offers_path, dry_run=True)

    assert run.status == ImportRun.Status.DRY_RUN and run.created == 400
    assert _schema() == schema and catalogue_snapshot() == before


def test_a_run_inside_a_callers_transaction_keeps_the_indexes(tmp_path, set_aside):
    info = write_package(tmp_path / "p", small_spec(products=100))
    with transaction.atomic():
        run = run_import(info.import_path, info.offers_path)

    assert run.status == ImportRun.Status.SUCCESS and run.created == 200
    assert set_aside == []


def test_tables_with_rows_keep_their_indexes(tmp_path, set_aside):
    spec = small_spec(products=200, variants_every=5)
    info = write_package(tmp_path / "p", spec)
    run_import(info.import_path, info.offers_path)
    set_aside.clear()

    run = run_import(write_offers_changed(tmp_path / "changed", spec).offers_path)

    assert run.status == ImportRun.Status.SUCCESS and run.updated
    assert set_aside == []


def test_rows_believed_new_that_exist_after_all_are_updated(tmp_path, set_aside, monkeypatch):
    """Stored digests gone (as after a classifier change): the straight insert meets existing rows."""
    spec = small_spec(products=300)
    info = write_package(tmp_path / "p", spec)
    changed = write_offers_changed(tmp_path / "changed", spec)
    renamed = tmp_path / "renamed" / "import.xml"
    renamed.parent.mkdir()
    renamed.write_text(info.import_path.read_text("utf-8-sig").replace("<Артикул>", "<Артикул>N-"), encoding="utf-8")
    monkeypatch.setattr(pipeline, "FIRST_LOAD_BYTES", 1 << 40)
    run_import(info.import_path, info.offers_path)
    run_import(renamed, changed.offers_path)
    expected = _content()
    _wipe()
    run_import(info.import_path, info.offers_path)
    Product.objects.update(content_hash=None)
    OfferState.objects.all().delete()

    run = run_import(renamed, changed.offers_path)

    assert run.status == ImportRun.Status.SUCCESS, run.error
    assert _content() == expected
    assert Product.objects.count() == 300 and Price.objects.count() == 900
    assert not Product.objects.exclude(sku__startswith="N-").exists()


def test_a_first_split_exchange_gives_what_an_ordinary_import_gives(tmp_path, set_aside, monkeypatch):
    """Offers, then prices and rests of the same offers in one run: the later files meet existing states."""
    spec = small_spec(products=300)
    info = write_package(tmp_path / "p", spec)
    changed = write_offers_changed(tmp_path / "changed", spec).offers_path.read_text(encoding="utf-8-sig")
    split = tmp_path / "split"
    split.mkdir()
    (split / "offers___1.xml").write_text(info.offers_path.read_text(encoding="utf-8-sig"), encoding="utf-8")
    (split / "prices___1.xml").write_text(
        re.sub(r"\s*<Склад ИдСклада=[^>]*/>|\s*<Количество>[^<]*</Количество>", "", changed), encoding="utf-8")
    (split / "rests___1.xml").write_text(re.sub(r"\s*<Цены>.*?</Цены>", "", changed, flags=re.S), encoding="utf-8")
    files = (info.import_path, split / "offers___1.xml", split / "prices___1.xml", split / "rests___1.xml")
    monkeypatch.setattr(pipeline, "FIRST_LOAD_BYTES", 1 << 40)
    ordinary = run_import(*files)
    expected = (ordinary.status, ordinary.created, ordinary.updated, _content())
    _wipe()
    monkeypatch.setattr(pipeline, "FIRST_LOAD_BYTES", 0)

    run = run_import(*files)

    assert set_aside
    assert (run.status, run.created, run.updated, _content()) == expected
    assert expected[0] == ImportRun.Status.SUCCESS


@pytest.mark.skipif(connection.vendor != "postgresql", reason="roles and table owners are PostgreSQL's")
def test_a_role_that_does_not_own_the_tables_imports_without_dropping_anything(tmp_path, set_aside):
    info = write_package(tmp_path / "p", small_spec(products=100))
    with connection.cursor() as cursor:
        cursor.execute("DO $$ BEGIN CREATE ROLE b2b_import_not_owner; "
                       "EXCEPTION WHEN duplicate_object THEN NULL; END $$")
        cursor.execute("GRANT ALL ON ALL TABLES IN SCHEMA public TO b2b_import_not_owner")
        cursor.execute("GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO b2b_import_not_owner")
        cursor.execute("GRANT USAGE ON SCHEMA public TO b2b_import_not_owner")
    schema = _schema()
    with connection.cursor() as cursor:
        cursor.execute("SET ROLE b2b_import_not_owner")
    try:
        run = run_import(info.import_path, info.offers_path)
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET ROLE")

    assert run.status == ImportRun.Status.SUCCESS, run.error
    assert run.created == 200 and Price.objects.count() == 300
    assert sorted(set_aside) == sorted(TABLES)  # tried, refused, carried on with every index in place
    assert schema == _schema()


def test_only_a_run_with_goods_into_an_empty_catalogue_is_a_first_load(tmp_path, set_aside, settings):
    """1C's HTTP exchange imports import.xml and offers.xml in two runs: the second meets a live catalogue."""
    info = write_package(tmp_path / "p", small_spec(products=200))

    assert run_import(info.import_path).status == ImportRun.Status.SUCCESS
    assert sorted(set_aside) == ["b2b_cabinet_product", "b2b_cabinet_productvariant"]  # not what it never writes
    set_aside.clear()
    run = run_import(info.offers_path)

    assert run.status == ImportRun.Status.SUCCESS and Price.objects.count() == 600
    assert set_aside == []  # prices of products the site already shows: no locks
    _wipe()
    settings.B2B_CABINET = {"IMPORT_FIRST_LOAD": False}
    assert run_import(info.import_path, info.offers_path).status == ImportRun.Status.SUCCESS
    assert set_aside == []


def test_a_goods_file_read_again_after_a_later_chunk_fooled_the_byte_scanner(tmp_path, set_aside, settings):
    """The rollback of the file's savepoint took the brands, producers and units its first chunks made,
    and the picture rows: their files go too, the re-read stores them again."""
    info = write_package(tmp_path / "p", small_spec(products=300, images=True))
    text = info.import_path.read_text(encoding="utf-8-sig")
    at = text.find("<Описание>", len(text) * 3 // 4)
    text = text[:at] + "<Описание><![CDATA[<p>См. <Товар> в каталоге</p>]]>" + text[at + len("<Описание>"):]
    cdata = info.import_path.parent / "cdata.xml"  # beside the pictures it names
    cdata.write_text(text, encoding="utf-8")
    media = Path(settings.MEDIA_ROOT)
    before = {p for p in media.rglob("*") if p.is_file()}

    run = run_import(cdata, info.offers_path)

    assert run.status == ImportRun.Status.SUCCESS, run.error
    assert Product.objects.count() == 300 and Product.objects.exclude(brand=None).count() == 300
    stored = {media / name for name in ProductImage.objects.values_list("file", flat=True)}
    assert len(stored) == 300
    assert {p for p in media.rglob("*") if p.is_file()} - before == stored


def _other_session():
    import psycopg

    s = connection.settings_dict
    return psycopg.connect(dbname=s["NAME"], user=s["USER"], host=s["HOST"] or None, port=s["PORT"] or None,
                           password=s["PASSWORD"] or None, autocommit=True)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="table locks are PostgreSQL's")
def test_an_offers_run_leaves_the_live_catalogue_readable(tmp_path, set_aside):
    info = write_package(tmp_path / "p", small_spec(products=300))
    run_import(info.import_path)
    blocked = []

    def probe(_done, _total):
        from psycopg import errors

        with _other_session() as other:
            other.execute("SET lock_timeout = '300ms'")
            for table in ("b2b_cabinet_product", "b2b_cabinet_price", "b2b_cabinet_pricetype", "b2b_cabinet_warehouse"):
                try:
                    other.execute(f"SELECT 1 FROM {table} LIMIT 1").fetchall()
                except errors.LockNotAvailable:
                    blocked.append(table)

    run = run_import(info.offers_path, progress=probe)

    assert run.status == ImportRun.Status.SUCCESS, run.error
    assert blocked == []


@pytest.mark.skipif(connection.vendor != "postgresql", reason="table locks are PostgreSQL's")
def test_a_first_load_gives_way_to_a_session_using_a_table(tmp_path, set_aside, monkeypatch):
    """Another session reads categories in an open transaction: the products keep their foreign keys
    (and indexes) rather than wait for it; the rest is set aside, and the run succeeds."""
    monkeypatch.setattr("b2b_cabinet.sync.loaders.postgres.LOCK_TIMEOUT", "200ms")
    info = write_package(tmp_path / "p", small_spec(products=200))
    schema = _schema()
    with _other_session() as other:
        other.execute("BEGIN")
        other.execute("SELECT 1 FROM b2b_cabinet_category LIMIT 1").fetchall()
        run = run_import(info.import_path, info.offers_path)
        other.execute("ROLLBACK")

    assert run.status == ImportRun.Status.SUCCESS, run.error
    assert run.created == 400 and Price.objects.count() == 600
    assert _schema() == schema
