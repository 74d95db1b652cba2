"""Hostile uploads to the 1C exchange: every one is refused with a clear failure, and nothing is
written outside the run folder (nor, for a refused archive, inside it)."""

from __future__ import annotations

import io
import stat
import struct
import zipfile
from pathlib import Path

import pytest
from django.core.cache import cache
from django.test import Client

from b2b_cabinet.models import ExchangeNode, ExchangeSession
from b2b_cabinet.sync.exchange import folders
from b2b_cabinet.sync.exchange.files import ExchangeError, normalise_filename
from tests.onec_client import OneCClient, import_xml, make_zip


@pytest.fixture(autouse=True)
def sandbox(settings, tmp_path):
    """The exchange folder lives in ``tmp_path/site/exchange``; anything else in tmp_path is an escape."""
    cache.clear()
    settings.B2B_CABINET = {**settings.B2B_CABINET, "EXCHANGE_DIR": str(tmp_path / "site" / "exchange")}
    return tmp_path


@pytest.fixture
def one_c(db, client):
    """A node that has logged in and run init."""
    node = ExchangeNode(name="УТ", login="1c-ut")
    node.set_password("s3cret-exchange")
    node.save()
    emulator = OneCClient(client, "1c-ut", "s3cret-exchange")
    emulator.checkauth()
    emulator.init()
    return emulator


def run_folder(one_c: OneCClient) -> Path:
    session = ExchangeSession.objects.get(token=one_c.cookie[1])
    return folders.run_folder(session.node_id, session.state["run"])


def files_under(path: Path) -> set[str]:
    return {str(p.relative_to(path)) for p in path.rglob("*") if p.is_file()}


def upload_archive_and_import(one_c: OneCClient, archive: bytes):
    one_c.send_file("v8_evil.zip", archive)
    return one_c.import_file("import.xml")


def raw_zip(entries: list[tuple[zipfile.ZipInfo | str, bytes]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for info, data in entries:
            archive.writestr(info, data)
    return buffer.getvalue()


def assert_nothing_extracted(one_c: OneCClient, sandbox: Path):
    folder = run_folder(one_c)
    # Only the refused archive itself is left, and nothing at all appeared outside the run folder.
    assert files_under(folder) == {"v8_evil.zip"}
    assert {str(folder / name) for name in files_under(folder)} == {str(sandbox / p) for p in files_under(sandbox)}


# -- archives -------------------------------------------------------------------------------


@pytest.mark.parametrize("evil_name", ["../../evil.txt", "/etc/evil.txt", "import_files/../../../evil.txt",
                                       "C:/evil.txt", "import_files/shell.php"])
def test_an_archive_with_an_escaping_or_script_entry_is_refused_whole(one_c, sandbox, evil_name):
    # Given an archive with a good import.xml and one entry trying to escape or to plant a script
    archive = raw_zip([("import.xml", import_xml()), (evil_name, b"owned")])

    # When 1C imports from it
    answer = upload_archive_and_import(one_c, archive)

    # Then the archive is refused, naming the archive, and nothing was unpacked anywhere
    assert answer.keyword == "failure" and "v8_evil.zip" in answer.message
    assert_nothing_extracted(one_c, sandbox)


def test_an_archive_declaring_more_than_the_unzipped_limit_is_refused_before_extraction(one_c, sandbox, settings):
    # Given a 1 MB unpacking limit and a 50 MB stream of zeros that compresses to about 50 KB
    settings.B2B_CABINET = {**settings.B2B_CABINET, "EXCHANGE_MAX_UNZIPPED_BYTES": 1024 * 1024}
    archive = raw_zip([("import.xml", b"\0" * (50 * 1024 * 1024))])
    assert len(archive) < 100 * 1024

    # When 1C imports from it, then it is refused as too large
    answer = upload_archive_and_import(one_c, archive)
    assert answer.keyword == "failure" and "EXCHANGE_MAX_UNZIPPED_BYTES" in answer.message
    assert_nothing_extracted(one_c, sandbox)


def test_an_archive_whose_header_understates_the_size_is_refused(one_c, sandbox, settings):
    # Given an entry that inflates to 3 MB while both its headers claim 100 bytes
    settings.B2B_CABINET = {**settings.B2B_CABINET, "EXCHANGE_MAX_UNZIPPED_BYTES": 1024 * 1024}
    data = bytearray(raw_zip([("import.xml", b"\0" * (3 * 1024 * 1024))]))
    struct.pack_into("<I", data, 22, 100)  # local file header: uncompressed size
    central = data.rfind(b"PK\x01\x02")
    struct.pack_into("<I", data, central + 24, 100)  # central directory: uncompressed size

    # When 1C imports from it, then it is refused and nothing (not even the first 100 bytes) stays
    answer = upload_archive_and_import(one_c, bytes(data))
    assert answer.keyword == "failure" and "import.xml" in answer.message
    assert_nothing_extracted(one_c, sandbox)


def test_an_archive_with_too_many_entries_is_refused(one_c, sandbox, settings):
    # Given a limit of three entries and an archive of five
    settings.B2B_CABINET = {**settings.B2B_CABINET, "EXCHANGE_MAX_ZIP_ENTRIES": 3}
    archive = raw_zip([(f"import_files/{i}.jpg", b"x") for i in range(5)])

    # When 1C imports from it, then it is refused
    answer = upload_archive_and_import(one_c, archive)
    assert answer.keyword == "failure" and "EXCHANGE_MAX_ZIP_ENTRIES" in answer.message
    assert_nothing_extracted(one_c, sandbox)


def test_an_archive_with_a_symlink_entry_is_refused(one_c, sandbox):
    # Given an archive with a symbolic link to /etc/passwd
    link = zipfile.ZipInfo("import.xml")
    link.create_system = 3
    link.external_attr = (stat.S_IFLNK | 0o777) << 16

    # When 1C imports from it, then it is refused
    answer = upload_archive_and_import(one_c, raw_zip([(link, b"/etc/passwd")]))
    assert answer.keyword == "failure" and "symbolic link" in answer.message
    assert_nothing_extracted(one_c, sandbox)


def test_a_file_named_zip_that_is_not_an_archive_is_refused(one_c, sandbox):
    # When 1C uploads garbage under a .zip name and imports, then it gets a failure saying what to do
    answer = upload_archive_and_import(one_c, b"this is not a zip archive at all")
    assert answer.keyword == "failure"
    assert "not a zip archive" in answer.message and "1C" in answer.message
    assert_nothing_extracted(one_c, sandbox)


def test_an_encrypted_archive_is_refused(one_c, sandbox):
    # Given an archive whose entry has the "encrypted" flag
    data = bytearray(make_zip({"import.xml": import_xml()}))
    struct.pack_into("<H", data, 6, struct.unpack_from("<H", data, 6)[0] | 1)
    central = data.rfind(b"PK\x01\x02")
    struct.pack_into("<H", data, central + 8, struct.unpack_from("<H", data, central + 8)[0] | 1)

    # When 1C imports from it, then it is refused
    answer = upload_archive_and_import(one_c, bytes(data))
    assert answer.keyword == "failure" and "encrypted" in answer.message
    assert_nothing_extracted(one_c, sandbox)


# -- mode=file names --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "filename",
    ["../x.xml", "/etc/passwd", "a\\..\\..\\b.xml", "import_files/../../x.xml", "C:\\Windows\\x.xml",
     "x.php", "shell.php.jpg", "x.PHTML", "run.sh", "tool.py", "page.html", "a.js", "x.exe", "x.php. ",
     "import_files/.htaccess", ".finished", "x\x00.xml", "/tmp/../../etc/x.xml"],
)
def test_unsafe_upload_names_are_refused_and_nothing_is_written(one_c, sandbox, filename):
    # When 1C uploads under an unsafe name
    answer = one_c.send_file(filename, b"<owned/>")[-1]

    # Then it gets a failure and no file was written anywhere
    assert answer.status == 200 and answer.keyword == "failure" and answer.message
    assert files_under(sandbox) == set()


@pytest.mark.parametrize(
    ("filename", "stored_as"),
    [("/tmp/import.xml", "import.xml"), ("upload/1c/webdata/offers.xml", "offers.xml"),
     ("import_files\\ab\\x.jpg", "import_files/ab/x.jpg"), ("import_files/cd/y.png/", "import_files/cd/y.png")],
)
def test_upload_names_are_normalised_the_way_bitrix_does(one_c, filename, stored_as):
    # When 1C uploads with a temporary-folder prefix, backslashes or a trailing slash
    answer = one_c.send_file(filename, b"data")[-1]

    # Then the file lands, normalised, inside the run folder (sub-folders created)
    assert answer.text == "success\n"
    assert (run_folder(one_c) / stored_as).read_bytes() == b"data"


def test_normalise_filename_refuses_empty_names():
    with pytest.raises(ExchangeError):
        normalise_filename("")
    with pytest.raises(ExchangeError):
        normalise_filename("///")


def test_a_chunk_larger_than_file_limit_is_refused_and_the_file_is_not_grown(one_c, settings):
    # Given a 1 KB file limit and a first chunk already stored
    settings.B2B_CABINET = {**settings.B2B_CABINET, "EXCHANGE_FILE_LIMIT": 1024}
    assert one_c.send_file("import.xml", b"a" * 1000)[-1].keyword == "success"
    one_c.file_limit = one_c.chunk_size = 10_000  # a client ignoring file_limit

    # When a chunk over the limit follows
    answer = one_c.send_file("import.xml", b"b" * 5000)[-1]

    # Then it is refused and the file still holds only the first chunk
    assert answer.keyword == "failure" and "file_limit" in answer.message
    assert (run_folder(one_c) / "import.xml").read_bytes() == b"a" * 1000


def test_uploads_without_a_session_are_refused_and_write_nothing(db, client, sandbox):
    # When someone posts a file without logging in
    response = client.post("/1c/exchange/?type=catalog&mode=file&filename=import.xml", data=b"<x/>",
                           content_type="application/octet-stream")

    # Then it is refused and nothing was written
    assert response.status_code == 401
    assert files_under(sandbox) == set()


def test_the_exchange_needs_no_csrf_token(one_c, sandbox):
    # Given a client that enforces CSRF like a browser would
    strict = OneCClient(Client(enforce_csrf_checks=True), "1c-ut", "s3cret-exchange")
    strict.cookie, strict.sessid = one_c.cookie, one_c.sessid

    # When 1C posts a file, then it is accepted
    assert strict.send_file("import.xml", b"<x/>")[-1].text == "success\n"


def test_a_file_with_a_doctype_is_refused_by_the_import(one_c):
    # Given an import.xml with an external entity (XXE)
    xxe = import_xml().replace(
        b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
        b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>",
    )
    one_c.send_file("import.xml", xxe)

    # When 1C imports it, then the import fails naming the DOCTYPE
    answer = one_c.import_file("import.xml")
    assert answer.keyword == "failure" and "DOCTYPE" in answer.message
