"""Zip packages on the sale exchange: init offers zip, file takes an archive, import unpacks it safely."""

import io
import zipfile

import pytest

from b2b_cabinet.models import ExchangeSession, OrderEvent, OrderPart, OrderStatus
from tests.onec_client import make_zip
from tests.sale.conftest import document, documents_xml, one_c

pytestmark = pytest.mark.django_db
S = OrderStatus


def parts():
    return OrderPart.objects.get(producer__name="IEK"), OrderPart.objects.filter(producer__name="EKF").first()


def opened(client, node, version="2.09", **options):
    one = one_c(client, node, **options)
    one.checkauth()
    assert one.init(version).lines[0] == "zip=yes"
    return one


def test_an_archive_with_a_cp866_name_is_unpacked_and_imported_by_the_inner_name(client, order, nodes):
    iek_part, _ = parts()
    one = opened(client, nodes["IEK"])
    archive = make_zip({"документы.xml": documents_xml(document(iek_part.number, status="P"))}, cp866_names=True)
    assert one.send_file("orders.zip", archive)[-1].text == "success\n"
    answer = one.import_file("документы.xml")
    assert answer.text.startswith("success\nДокументы документы.xml загружены: документов 1, изменено 1")
    iek_part.refresh_from_db()
    assert iek_part.status == S.CONFIRMED


def test_import_named_by_the_archive_applies_every_xml_in_it_once(client, order, nodes):
    iek_part, _ = parts()
    one = opened(client, nodes["IEK"])
    archive = make_zip({"a.xml": documents_xml(document(iek_part.number, status="P", version="v1")),
                        "b.xml": documents_xml(document(iek_part.number, status="S", version="v2"))})
    one.send_file("orders.zip", archive)
    first = one.import_file("orders.zip")
    assert first.keyword == "success"
    assert first.lines[1].startswith("Документы a.xml загружены") and first.lines[2].startswith("Документы b.xml")
    events = OrderEvent.objects.count()
    again = one.import_file("orders.zip")
    assert again.lines[:3] == first.lines[:3] and OrderEvent.objects.count() == events
    iek_part.refresh_from_db()
    assert (iek_part.status, iek_part.onec_version) == (S.SHIPPED, "v2")


def _zip_with(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(zipfile.ZipInfo(name, date_time=(2026, 1, 27, 12, 0, 0)), data)
    return buffer.getvalue()


@pytest.mark.parametrize(("limits", "entries", "expected"), [
    ({}, {"../../escape.xml": b"<x/>"}, "Refusing the archive"),
    ({"EXCHANGE_MAX_ZIP_ENTRIES": 1}, {"a.xml": b"<x/>", "b.xml": b"<x/>"}, "more than EXCHANGE_MAX_ZIP_ENTRIES=1"),
    ({"EXCHANGE_MAX_UNZIPPED_BYTES": 1000}, {"a.xml": b" " * 5000}, "more than EXCHANGE_MAX_UNZIPPED_BYTES=1000"),
])
def test_an_unsafe_archive_is_refused_and_changes_nothing(client, order, nodes, settings, tmp_path, limits, entries,
                                                          expected):
    settings.B2B_CABINET = {**settings.B2B_CABINET, "EXCHANGE_DIR": str(tmp_path / "exchange"), **limits}
    iek_part, _ = parts()
    entries = {**entries, "documents.xml": documents_xml(document(iek_part.number, status="P"))} \
        if "EXCHANGE_MAX_ZIP_ENTRIES" not in limits else entries
    one = opened(client, nodes["IEK"])
    one.send_file("orders.zip", _zip_with(entries))
    answer = one.import_file("orders.zip")
    assert answer.keyword == "failure" and expected in answer.text
    assert one.import_file("documents.xml").keyword == "failure"  # nothing was unpacked
    iek_part.refresh_from_db()
    assert iek_part.status == S.NEW
    assert not any(p.name == "escape.xml" for p in tmp_path.rglob("*"))


def test_a_chunked_archive_in_the_old_protocol_is_applied_when_its_last_chunk_arrives(client, order, nodes):
    iek_part, _ = parts()
    one = opened(client, nodes["IEK"], version=None, chunk_size=300)
    archive = make_zip({"orders.xml": documents_xml(document(iek_part.number, status="P"))})
    answers = one.send_file("orders.zip", archive)
    assert len(answers) > 1 and all(a.text == "success\n" for a in answers[:-1])
    assert answers[-1].text.startswith("success\nДокументы orders.xml загружены: документов 1, изменено 1")
    iek_part.refresh_from_db()
    assert iek_part.status == S.CONFIRMED
    state = ExchangeSession.objects.get(token=one.cookie[1]).state
    assert state["zips"] == {"orders.zip": "extracted"} and state["zip_members"] == {"orders.zip": ["orders.xml"]}
