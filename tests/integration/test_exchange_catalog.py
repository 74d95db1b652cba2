"""The 1C catalogue exchange over HTTP, driven by the 1C emulator in ``tests/onec_client.py``."""

from __future__ import annotations

import base64
import os
import time
from decimal import Decimal
from pathlib import Path
from unittest import mock

import pytest
from django.core.cache import cache

from b2b_cabinet.models import ExchangeNode, ExchangeSession, ImportRun, Price, Product, StockLevel
from b2b_cabinet.sync.exchange import folders
from tests.onec_client import OneCClient, import_xml, make_zip, offers_xml

PICTURE = "import_files/ab/prod-ns100_1.jpg"
# Incompressible, so the zip is larger than the small file_limit the tests set and arrives in chunks.
PICTURE_BYTES = os.urandom(6000)


@pytest.fixture(autouse=True)
def exchange_dir(settings, tmp_path):
    """A private exchange folder per test, and a clean login throttle."""
    cache.clear()
    settings.B2B_CABINET = {**settings.B2B_CABINET, "EXCHANGE_DIR": str(tmp_path / "exchange")}
    return tmp_path / "exchange"


def exchange_node(login: str = "1c-ut", password: str = "s3cret-exchange", **extra) -> ExchangeNode:
    node = ExchangeNode(name=f"УТ {login}", login=login, **extra)
    node.set_password(password)
    node.save()
    return node


def onec(client, node_login="1c-ut", password="s3cret-exchange", **options) -> OneCClient:
    return OneCClient(client, node_login, password, **options)


def package() -> dict[str, bytes]:
    return {"import.xml": import_xml(picture=PICTURE), "offers.xml": offers_xml(), PICTURE: PICTURE_BYTES}


def run_folder_of(one_c: OneCClient) -> Path:
    session = ExchangeSession.objects.get(token=one_c.cookie[1])
    return folders.run_folder(session.node_id, session.state["run"])


def assert_catalogue_loaded(name="Насос НС-100", price="1250.00", quantity="7"):
    product = Product.objects.get(external_id="prod-ns100")
    assert (product.sku, product.name) == ("NS-100", name)
    assert product.category.external_id == "grp-pumps"
    assert Price.objects.get(product=product, price_type__external_id="pt-wholesale").value == Decimal(price)
    assert StockLevel.objects.get(product=product, warehouse__external_id="wh-main").on_hand == Decimal(quantity)


# -- whole exchanges -------------------------------------------------------------------------


def test_a_zipped_package_sent_in_chunks_loads_products_prices_and_stock(db, client, settings):
    # Given a node and a site that asks for zip archives in 2 KB chunks
    exchange_node()
    settings.B2B_CABINET = {**settings.B2B_CABINET, "EXCHANGE_FILE_LIMIT": 2048, "EXCHANGE_ZIP": True}
    one_c = onec(client)

    # When 1C runs a whole exchange
    results = one_c.exchange(package())

    # Then the zip went in several chunks, each import ended in success, and the data is there
    chunks = [answer for mode, answer in one_c.log if mode == "file"]
    assert len(chunks) > 1 and len(make_zip(package())) > 2048
    assert results["import:import.xml"].text.startswith("success\nИмпорт import.xml завершен")
    assert results["import:offers.xml"].text.startswith("success\nИмпорт offers.xml завершен")
    first_import = next(answer for mode, answer in one_c.log if mode == "import")
    assert first_import.text == "progress\nИмпорт import.xml запущен\n"
    assert_catalogue_loaded()
    assert (run_folder_of(one_c) / PICTURE).read_bytes() == PICTURE_BYTES
    assert ImportRun.objects.filter(source="exchange", status="success").count() == 2
    assert ExchangeSession.objects.get(token=one_c.cookie[1]).is_closed


def test_plain_files_sent_in_chunks_without_zip_load_the_catalogue(db, client, settings):
    # Given a site that does not want zip archives and accepts 512-byte chunks
    exchange_node()
    settings.B2B_CABINET = {**settings.B2B_CABINET, "EXCHANGE_FILE_LIMIT": 512, "EXCHANGE_ZIP": False}
    one_c = onec(client)

    # When 1C sends the XML files and the picture one by one, in chunks
    one_c.exchange(package())

    # Then every file arrived whole (chunks were appended) and the catalogue is loaded
    assert one_c.use_zip is False and one_c.file_limit == 512
    folder = run_folder_of(one_c)
    assert (folder / "import.xml").read_bytes() == import_xml(picture=PICTURE)
    assert (folder / PICTURE).read_bytes() == PICTURE_BYTES
    assert_catalogue_loaded()


def test_the_bitrix_address_speaks_the_same_protocol(db, client):
    # Given a node whose 1C was set up with the 1C-Bitrix exchange URL
    exchange_node()
    one_c = onec(client, path="/bitrix/admin/1c_exchange.php")

    # When it runs a whole exchange
    one_c.exchange(package())

    # Then the catalogue is loaded just the same
    assert_catalogue_loaded()


def test_an_exchange_without_sessid_works_with_the_cookie_alone(db, client):
    # Given an older 1C module that only sends the cookie back
    exchange_node()
    one_c = onec(client, send_sessid=False)

    # When it runs a whole exchange, then the catalogue is loaded
    one_c.exchange(package())
    assert_catalogue_loaded()


def test_a_second_exchange_updates_prices_and_reports_the_counts(db, client):
    # Given a catalogue loaded by a first exchange
    exchange_node()
    onec(client).exchange(package())

    # When 1C sends a new price and stock
    results = onec(client).exchange({"offers.xml": offers_xml(price="1399.90", quantity="3")})

    # Then the price and stock changed and the answer says what was done
    assert_catalogue_loaded(price="1399.90", quantity="3")
    assert "изменено" in results["import:offers.xml"].text


# -- checkauth and init, line by line -----------------------------------------------------------


def test_checkauth_answers_success_cookie_name_token_sessid_and_timestamp(db, client):
    # Given a node
    node = exchange_node()

    # When 1C checks its credentials
    before = int(time.time())
    answer = onec(client).checkauth()

    # Then the answer has the five 1C-Bitrix lines and names a new session of that node
    session = ExchangeSession.objects.get(node=node)
    lines = answer.text.split("\n")
    assert answer.status == 200
    assert lines[:4] == ["success", "b2b_exchange", session.token, f"sessid={session.sessid}"]
    assert lines[4].startswith("timestamp=") and before <= int(lines[4].removeprefix("timestamp=")) <= time.time()
    assert lines[5:] == [""]  # every line ends with \n
    assert session.kind == "catalog" and not session.is_closed


def test_answers_are_plain_utf8_text_without_a_bom(db, client):
    # Given a node, when 1C checks its credentials
    exchange_node()
    one_c = onec(client)
    one_c.checkauth()
    response = client.get("/1c/exchange/?type=catalog&mode=init", headers={"cookie": "b2b_exchange=" + one_c.cookie[1]})

    # Then the answer is bare UTF-8 text
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert not response.content.startswith(b"\xef\xbb\xbf")
    assert b"\r" not in response.content


def test_init_answers_zip_and_file_limit(db, client, settings):
    # Given a site with a 1 MB file limit that accepts zip archives
    exchange_node()
    settings.B2B_CABINET = {**settings.B2B_CABINET, "EXCHANGE_FILE_LIMIT": 1048576, "EXCHANGE_ZIP": True}
    one_c = onec(client)
    one_c.checkauth()

    # When 1C asks for the exchange parameters
    answer = one_c.init()

    # Then it gets exactly the two lines 1C-Bitrix sends
    assert answer.text == "zip=yes\nfile_limit=1048576"
    settings.B2B_CABINET = {**settings.B2B_CABINET, "EXCHANGE_ZIP": False}
    assert one_c.init().text == "zip=no\nfile_limit=1048576"


def test_checkauth_without_credentials_is_refused_with_a_basic_challenge(db, client):
    # Given a node, when someone calls checkauth without credentials
    exchange_node()
    response = client.get("/1c/exchange/?type=catalog&mode=checkauth")

    # Then they get 401, a Basic challenge and a failure text
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Basic realm="1C exchange"'
    assert response.content.decode().startswith("failure\n")
    assert not ExchangeSession.objects.exists()


@pytest.mark.parametrize(("login", "password"), [("1c-ut", "wrong"), ("nobody", "s3cret-exchange")])
def test_checkauth_with_wrong_credentials_is_refused(db, client, login, password):
    # Given a node, when 1C sends a wrong login or password
    exchange_node()
    answer = onec(client, login, password).checkauth()

    # Then it is refused and no session is opened
    assert answer.status == 401 and answer.keyword == "failure"
    assert not ExchangeSession.objects.exists()


def test_a_switched_off_node_cannot_log_in(db, client):
    # Given a node an administrator switched off, when its 1C logs in, then it is refused
    exchange_node(is_active=False)
    assert onec(client).checkauth().status == 401


def test_repeated_wrong_passwords_are_throttled_even_before_the_right_one(db, client):
    # Given a node and ten failed logins from one address
    exchange_node()
    for _ in range(10):
        assert onec(client, password="guess").checkauth().status == 401

    # When the right password comes next
    answer = onec(client).checkauth()

    # Then it is still refused for a while
    assert answer.status == 429
    assert answer.text.startswith("failure\nToo many attempts")


# -- later requests: who may continue a session --------------------------------------------------


def test_a_request_without_the_session_cookie_is_refused(db, client):
    # Given a node that logged in, when a request comes without cookie or sessid
    exchange_node()
    onec(client).checkauth()
    response = client.get("/1c/exchange/?type=catalog&mode=init")

    # Then it is refused
    assert response.status_code == 401 and response.content.startswith(b"failure\n")


def test_a_cookie_of_another_nodes_session_does_not_work(db, client):
    # Given two nodes that both logged in
    exchange_node("node-a", "pw-a")
    exchange_node("node-b", "pw-b")
    node_a, node_b = onec(client, "node-a", "pw-a"), onec(client, "node-b", "pw-b")
    node_a.checkauth()
    node_b.checkauth()

    # When node A presents node B's cookie with its own credentials, or with its own sessid
    node_a_with_b_cookie = onec(client, "node-a", "pw-a")
    node_a_with_b_cookie.cookie, node_a_with_b_cookie.sessid = node_b.cookie, node_a.sessid
    mixed = node_a_with_b_cookie.init()
    basic = base64.b64encode(b"node-a:pw-a").decode()
    response = client.get(
        "/1c/exchange/?type=catalog&mode=init",
        headers={"cookie": f"b2b_exchange={node_b.cookie[1]}", "authorization": f"Basic {basic}"},
    )

    # Then both requests are refused
    assert mixed.status == 401
    assert response.status_code == 401


def test_a_completed_session_cannot_be_used_again(db, client):
    # Given a session that 1C completed
    exchange_node()
    one_c = onec(client)
    one_c.checkauth()
    one_c.init()
    assert one_c.complete().text == "success\n"

    # When the same cookie is used again, then it is refused
    assert one_c.init().status == 401


def test_basic_credentials_resent_without_cookie_continue_the_session(db, client):
    # Given a node that logged in
    exchange_node()
    onec(client).checkauth()

    # When a later request carries only the Basic credentials
    basic = base64.b64encode(b"1c-ut:s3cret-exchange").decode()
    response = client.get("/1c/exchange/?type=catalog&mode=init", headers={"authorization": f"Basic {basic}"})

    # Then it continues the node's open session
    assert response.status_code == 200 and response.content.startswith(b"zip=")


def test_unknown_type_or_mode_is_a_failure(db, client):
    # Given a node that logged in
    exchange_node()
    one_c = onec(client)
    one_c.checkauth()

    # When 1C asks for something the site does not know, then it gets a failure naming it
    assert client.get("/1c/exchange/?type=crm&mode=init").content.decode().startswith("failure\nUnknown type 'crm'")
    assert one_c.request("listen").text.startswith("failure\nUnknown mode 'listen'")


def test_mode_may_come_in_the_post_body(db, client):
    # Given a node that logged in
    exchange_node()
    one_c = onec(client)
    one_c.checkauth()

    # When a module posts mode=init as a form field
    response = client.post(
        "/1c/exchange/?type=catalog", {"mode": "init"}, headers={"cookie": f"b2b_exchange={one_c.cookie[1]}"}
    )

    # Then it is understood (and CSRF does not apply)
    assert response.status_code == 200 and response.content.startswith(b"zip=")


# -- import: errors and bookkeeping ---------------------------------------------------------------


def test_a_broken_xml_file_fails_with_file_and_line_and_leaves_the_catalogue_alone(db, client):
    # Given a catalogue loaded by an earlier exchange
    exchange_node()
    onec(client).exchange(package())

    # When 1C sends an import.xml that breaks off in the middle of a product
    broken = import_xml(name="Новое имя").replace("</Товар>".encode(), b"", 1)
    one_c = onec(client)
    one_c.checkauth()
    one_c.init()
    one_c.send_file("import.xml", broken)
    answer = one_c.import_file("import.xml")

    # Then the failure names the file and the line, and nothing changed
    assert answer.keyword == "failure"
    assert "import.xml" in answer.message and "line" in answer.message
    assert_catalogue_loaded()
    assert ImportRun.objects.filter(status="failed").count() == 1


def test_importing_a_file_that_was_not_uploaded_fails(db, client):
    # Given a session without uploads, when 1C asks to import a file
    exchange_node()
    one_c = onec(client)
    one_c.checkauth()
    one_c.init()
    answer = one_c.import_file("import0_1.xml")

    # Then it is told the file was not uploaded
    assert answer.text.startswith("failure\nFile import0_1.xml was not uploaded")


def test_two_identical_import_calls_start_one_task(db, client):
    # Given an uploaded file and a task queue that does not run tasks yet
    exchange_node()
    one_c = onec(client)
    one_c.checkauth()
    one_c.init()
    one_c.send_file("import.xml", import_xml())

    with mock.patch("b2b_cabinet.sync.exchange.catalog.async_task") as queue:
        # When 1C sends the same import request twice
        first = one_c.request("import", filename="import.xml")
        second = one_c.request("import", filename="import.xml")

    # Then one task was queued and both answers say the import is in progress
    assert queue.call_count == 1
    assert queue.call_args.args[0] == "b2b_cabinet.sync.tasks.run_exchange_import"
    assert first.text == "progress\nИмпорт import.xml запущен\n"
    assert second.keyword == "progress"


def test_an_import_that_never_finishes_becomes_a_failure_pointing_at_the_task_cluster(db, client):
    # Given an import queued long ago that no worker picked up
    exchange_node()
    one_c = onec(client)
    one_c.checkauth()
    one_c.init()
    one_c.send_file("import.xml", import_xml())
    with mock.patch("b2b_cabinet.sync.exchange.catalog.async_task"):
        one_c.request("import", filename="import.xml")
    session = ExchangeSession.objects.get(token=one_c.cookie[1])
    session.state["imports"]["import.xml"]["queued_at"] = time.time() - 10 * 3600
    session.save()

    # When 1C polls again, then it gets a failure that says what to check
    answer = one_c.request("import", filename="import.xml")
    assert answer.keyword == "failure" and "qcluster" in answer.message


def test_redoing_checkauth_per_file_keeps_the_files_of_the_same_run(db, client):
    # Given a node whose 1C logs in anew for every file (PROTOCOL pitfall 6)
    exchange_node()
    first = onec(client)
    first.checkauth()
    first.init()
    first.send_file("import.xml", import_xml())
    assert first.import_file("import.xml").keyword == "success"

    # When it logs in again and runs init before the next file
    second = onec(client)
    second.checkauth()
    second.init()

    # Then the same run folder is used and the first file is still there
    assert run_folder_of(second) == run_folder_of(first)
    assert (run_folder_of(second) / "import.xml").exists()

    # And once the run is completed, the next exchange starts a fresh folder and drops the old one
    second.complete()
    third = onec(client)
    third.checkauth()
    third.init()
    assert run_folder_of(third) != run_folder_of(first)
    assert not run_folder_of(first).exists()


def test_entry_names_in_the_dos_code_page_are_unpacked_with_their_cyrillic_names(db, client, settings):
    # Given an archive written by 1C on Windows (cp866 names, no UTF-8 flag)
    exchange_node()
    settings.B2B_CABINET = {**settings.B2B_CABINET, "EXCHANGE_ZIP": True}
    one_c = onec(client)
    one_c.checkauth()
    one_c.init()
    files = {"import.xml": import_xml(), "import_files/ab/фото насоса.jpg": b"jpeg"}
    one_c.send_file("v8_1.zip", make_zip(files, cp866_names=True))

    # When the first import unpacks it
    assert one_c.import_file("import.xml").keyword == "success"

    # Then the picture has its proper name
    assert (run_folder_of(one_c) / "import_files/ab/фото насоса.jpg").read_bytes() == b"jpeg"


def test_deactivate_and_complete_answer_success_and_touch_the_node(db, client):
    # Given a node that has uploaded and imported a package
    node = exchange_node()
    one_c = onec(client)
    one_c.checkauth()
    one_c.init()

    # When 1C ends the exchange
    deactivate = one_c.deactivate()
    complete = one_c.complete()

    # Then both succeed, the run folder is marked finished and the node shows the exchange time
    assert deactivate.keyword == "success" and complete.text == "success\n"
    assert folders.is_finished(run_folder_of(one_c))
    node.refresh_from_db()
    assert node.last_exchange_at is not None


def test_a_second_archive_in_the_same_session_is_imported_afresh(db, client, settings):
    # Given a session that already imported a zipped package
    exchange_node()
    settings.B2B_CABINET = {**settings.B2B_CABINET, "EXCHANGE_ZIP": True}
    one_c = onec(client)
    one_c.checkauth()
    one_c.init()
    one_c.send_file("v8_1.zip", make_zip({"import.xml": import_xml(), "offers.xml": offers_xml()}))
    assert one_c.import_file("import.xml").keyword == "success"
    assert one_c.import_file("offers.xml").keyword == "success"

    # When 1C sends another archive with a new offers.xml and imports it
    one_c.send_file("v8_2.zip", make_zip({"offers.xml": offers_xml(price="1500.00")}))
    answer = one_c.import_file("offers.xml")

    # Then the new file is imported rather than the earlier result repeated
    assert answer.keyword == "success"
    assert_catalogue_loaded(price="1500.00")
