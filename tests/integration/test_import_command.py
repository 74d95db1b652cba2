"""``manage.py b2b_import``: files, folders and zips in; a summary and an exit status out."""

import io
import zipfile

import pytest
from django.core.management import call_command

from b2b_cabinet.demo.catalogue import write_package
from b2b_cabinet.models import ImportRun, Product
from tests.importing import small_spec

pytestmark = pytest.mark.django_db


def call(*args):
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("b2b_import", *map(str, args), stdout=out, stderr=err)
    except SystemExit as exc:
        return exc.code, out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


def test_a_folder_imports_and_the_summary_shows_the_counts(tmp_path):
    write_package(tmp_path, small_spec(products=10))
    status, out, _ = call(tmp_path)
    assert status == 0
    assert "new 20" in out and "unchanged 0" in out
    assert Product.objects.count() == 10


def test_a_zip_as_1c_sends_it_imports(tmp_path):
    info = write_package(tmp_path / "p", small_spec(products=10))
    archive = tmp_path / "v8_1A76_155ae.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.write(info.import_path, "import0_1.xml")
        zf.write(info.offers_path, "offers0_1.xml")
    status, _, _ = call(archive)
    assert status == 0 and Product.objects.count() == 10


def test_a_failed_import_exits_1_with_the_error(tmp_path):
    broken = tmp_path / "import.xml"
    broken.write_text('<?xml version="1.0"?><КоммерческаяИнформация><Каталог><Товары><Товар>', encoding="utf-8")
    status, _, err = call(broken)
    assert status == 1
    assert "import.xml" in err and "line" in err
    assert ImportRun.objects.get().status == ImportRun.Status.FAILED


def test_a_missing_path_is_a_usage_error_exiting_2(tmp_path):
    status, _, err = call(tmp_path / "nope.xml")
    assert status == 2 and "nope.xml" in err


def test_a_bad_zip_is_a_usage_error_exiting_2(tmp_path):
    fake = tmp_path / "fake.zip"
    fake.write_bytes(b"not a zip")
    status, _, err = call(fake)
    assert status == 2 and "fake.zip" in err


def test_dry_run_reports_and_rolls_back(tmp_path):
    write_package(tmp_path, small_spec(products=10))
    status, out, _ = call(tmp_path, "--dry-run")
    assert status == 0 and "new 20" in out
    assert Product.objects.count() == 0
