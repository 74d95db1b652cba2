"""Every real 1C file in ../shared/commerceml goes through the import, and hostile files change nothing."""

import pytest

from b2b_cabinet.models import ImportRun, Price, Product, ProductVariant, StockLevel
from tests.importing import FIXTURES, SHARED, catalogue_content, catalogue_snapshot, run_import, small_spec

pytestmark = pytest.mark.django_db

#: Each set is what one 1C base exported together, with what the import must produce.
#: (files, products, variants, prices, stock rows, offers rejected because their goods are not in the set)
SETS = {
    "ArgentCrusade 3.1": (
        ["ArgentCrusade_commerceml/group-example.xml", "ArgentCrusade_commerceml/products-example.xml",
         "ArgentCrusade_commerceml/prices-example.xml", "ArgentCrusade_commerceml/remainders-example.xml"],
        1, 0, 0, 0, 5,
    ),
    "TurumburumStudio 3.1": (
        [f"TurumburumStudio_ExchangeCommerceML/cml31_{name}.xml"
         for name in ("classifier", "import", "offers", "prices", "rests")],
        11, 2, 3, 168, 0,
    ),
    "bigperson 2.08": (
        ["bigperson_exchange1c/classifier.xml", "bigperson_exchange1c/import.xml", "bigperson_exchange1c/offers.xml"],
        2, 2, 6, 0, 0,
    ),
    "carono php, goods without classifier": (["carono_php-commerceml/import_wo_classifier.xml"], 2, 0, 0, 0, 0),
    "carono yii2 УТ 11.3 2.07": (
        ["carono_yii2-1c-exchange/import.xml", "carono_yii2-1c-exchange/offers.xml"], 2, 5, 5, 5, 0
    ),
    "dobromyslov 2.07": (
        ["dobromyslov_commerceml-parser/import0_1.xml", "dobromyslov_commerceml-parser/offers0_1.xml"],
        36, 0, 36, 108, 8,
    ),
    "gillbeits 2.09 split files": (
        [f"gillbeits_commerceml/{name}" for name in (
            "import___b815e2db-7a65-4265-9241-5f0c4f0565a7.xml", "offers___7f304edc-2527-4d3d-b058-6e4ee53de2e0.xml",
            "offers___f0bab95c-14a6-4141-9746-6650b65f1191.xml", "prices___d66a6b51-ce9c-4e7a-8c7c-25079721107f.xml",
            "rests___1af6e7b8-a026-4690-9752-1c9d64cb914d.xml")],
        0, 0, 0, 0, 2934,
    ),
    "CS-Cart 2.04": (
        ["irpsv_commerceml/cs-cart_import.xml", "irpsv_commerceml/cs-cart_offers.xml"], 27, 1455, 2910, 0, 0
    ),
    "1C official 2.04": (
        ["irpsv_commerceml/off-doc-1c_import.xml", "irpsv_commerceml/off-doc-1c_offers.xml"], 2, 4, 8, 0, 0
    ),
    "UMI-CMS 2.04": (["irpsv_commerceml/umi-cms_import.xml", "irpsv_commerceml/umi-cms_offers.xml"], 3, 0, 15, 0, 11),
}
DOCUMENTS = [
    "ArgentCrusade_commerceml/contractors-example.xml", "ArgentCrusade_commerceml/documents-example.xml",
    "carono_yii2-1c-exchange/from.xml", "carono_yii2-1c-exchange/to.xml",
    "dobromyslov_commerceml-parser/bitrix-query-response-empty.xml",
    "dobromyslov_commerceml-parser/bitrix-query-response-full.xml", "irpsv_commerceml/off-doc-1c_orders.xml",
]


@pytest.fixture(autouse=True)
def shared():
    if not SHARED.is_dir():
        pytest.skip(f"{SHARED} is absent: the real 1C files live beside the project, not in it")


def test_the_sets_cover_every_xml_file_in_the_shared_folder():
    listed = {f for files, *_ in SETS.values() for f in files} | set(DOCUMENTS)
    present = {str(p.relative_to(SHARED)) for p in SHARED.glob("*/*.xml")}
    assert present == listed


@pytest.mark.parametrize("name", SETS)
def test_each_real_1c_export_imports(name):
    files, products, variants, prices, stock, rejected = SETS[name]
    run = run_import(*(SHARED / f for f in files))
    assert run.status == ImportRun.Status.SUCCESS, run.error
    assert Product.objects.count() == products
    assert ProductVariant.objects.count() == variants
    assert Price.objects.count() == prices
    assert StockLevel.objects.count() == stock
    assert run.rejected == rejected
    first = catalogue_content()
    again = run_import(*(SHARED / f for f in files))
    assert again.status == ImportRun.Status.SUCCESS
    if run.deactivated == 0:
        assert catalogue_content() == first, "a second identical import must change nothing"


@pytest.mark.parametrize("name", DOCUMENTS)
def test_order_documents_are_refused_by_the_catalogue_import_with_advice(name):
    run = run_import(SHARED / name)
    assert run.status == ImportRun.Status.FAILED
    assert "type=sale" in run.error


@pytest.mark.parametrize("name", ["billion_laughs.xml", "external_dtd.xml", "xxe_file.xml"])
def test_hostile_xml_is_refused_and_changes_nothing(name, tmp_path):
    from b2b_cabinet.demo.catalogue import write_package

    info = write_package(tmp_path, small_spec(products=5))
    run_import(info.import_path, info.offers_path)
    before = catalogue_snapshot()

    run = run_import(FIXTURES / "attacks" / name)

    assert run.status == ImportRun.Status.FAILED
    assert "DOCTYPE" in run.error or "entit" in run.error
    assert "root:" not in run.error  # nothing of /etc/passwd leaks into the message
    assert catalogue_snapshot() == before
