"""Import files built to hurt: a decompression bomb, a CSV cell over the csv module's field limit, NUL
characters, more rows than allowed, a confirmation posted again after the worker died. Each is a clear
Chinese answer in the preview, nothing saved, never a 500."""

import io
import os
import re
import threading
import time
import zipfile

import openpyxl
import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from parks.models import Enterprise

from .test_imports import ENTERPRISE_HEADERS, _refused, confirm, enterprise_rows, upload, xlsx

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(world):
    client = Client(raise_request_exception=False)
    client.force_login(world["officer"])
    return client


def csv_file(rows) -> bytes:
    return "\r\n".join(",".join(row) for row in rows).encode("utf-8")


def nothing_imported():
    return not Enterprise.objects.filter(name__startswith="导入企业").exists()


# --- CSV --------------------------------------------------------------------------------------------------


def test_a_csv_cell_over_the_field_limit_is_explained_and_nothing_saved(officer, world):
    rows = [ENTERPRISE_HEADERS, *enterprise_rows(world, 3)]
    rows[2][1] = "很长" * 70_000  # 140,000 characters, over the csv module's 131,072
    response = upload(officer, "enterprises", csv_file(rows), "企业.csv")
    _refused(response, "第 3 行", "131072")
    assert nothing_imported()


def test_a_nul_character_in_a_cell_is_a_cell_error_not_a_database_error(officer, world):
    rows = [ENTERPRISE_HEADERS, *enterprise_rows(world, 2)]
    rows[1][1] = "导入企业\x00甲"
    response = upload(officer, "enterprises", csv_file(rows), "企业.csv")
    body = _refused(response, "空字符")
    assert "企业名称" in body
    assert nothing_imported()


def test_rows_past_the_limit_are_not_read(officer, world, settings):
    """The cell past the limit would be an error of its own if it were read: the limit is met first."""
    settings.IMPORT_MAX_ROWS = 2
    rows = [ENTERPRISE_HEADERS, *enterprise_rows(world, 3)]
    rows.append(["x" * 140_000])
    response = upload(officer, "enterprises", csv_file(rows), "企业.csv")
    body = _refused(response, "超过 2 行")
    assert "131072" not in body


def test_reading_stops_at_the_time_limit(officer, world, settings):
    settings.IMPORT_READ_MAX_SECONDS = 0
    response = upload(officer, "enterprises", xlsx(ENTERPRISE_HEADERS, enterprise_rows(world, 3)))
    _refused(response, "读取文件的时间超过")
    assert nothing_imported()


# --- xlsx decompression bombs ------------------------------------------------------------------------------------

CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
    b'content-types"></Types>'
)


def workbook_with_sheet(chunks) -> bytes:
    """A real workbook whose sheet XML is replaced by the given chunks, written as a stream."""
    original = zipfile.ZipFile(io.BytesIO(xlsx(ENTERPRISE_HEADERS, [])))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for info in original.infolist():
            if info.filename == "xl/worksheets/sheet1.xml":
                with archive.open(info.filename, "w") as sheet:
                    for chunk in chunks:
                        sheet.write(chunk)
            else:
                archive.writestr(info.filename, original.read(info.filename))
    return buffer.getvalue()


@pytest.fixture
def openpyxl_must_not_run(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("openpyxl was asked to parse the file")

    monkeypatch.setattr(openpyxl, "load_workbook", refuse)


def test_a_decompression_bomb_is_refused_before_it_is_parsed(officer, world, openpyxl_must_not_run):
    row = b'<row><c t="inlineStr"><is><t>0</t></is></c></row>'
    bomb = workbook_with_sheet(row * 4096 for _ in range(200))  # ~40 MB of sheet XML, a few hundred KB zipped
    assert len(bomb) < 1024 * 1024
    response = upload(officer, "enterprises", bomb)
    _refused(response, "压缩")
    assert nothing_imported()


def test_a_workbook_larger_unpacked_than_its_rows_can_need_is_refused(officer, world, settings, openpyxl_must_not_run):
    """Not compressible (no bomb), but more XML than IMPORT_MAX_ROWS rows can need."""
    settings.IMPORT_MAX_ROWS = 10
    noise = workbook_with_sheet(os.urandom(512 * 1024).hex().encode() for _ in range(2))  # 2 MB, ratio ~2
    response = upload(officer, "enterprises", noise)
    _refused(response, "解压后")
    assert nothing_imported()


def test_an_ordinary_workbook_passes_the_archive_check(officer, world):
    response = upload(officer, "enterprises", xlsx(ENTERPRISE_HEADERS, enterprise_rows(world, 3)))
    assert response.context["report"].ok


def test_a_sheet_declaring_the_whole_grid_is_read_by_its_cells(officer, world):
    """A dimension of A1:XFD1048576 must not make every row 16,384 cells wide."""
    data = xlsx(ENTERPRISE_HEADERS, enterprise_rows(world, 3))
    original = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in original.infolist():
            content = original.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                content = re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:XFD1048576"', content)
                assert b"XFD1048576" in content
            archive.writestr(info.filename, content)
    response = upload(officer, "enterprises", buffer.getvalue())
    assert response.context["report"].ok
    assert response.context["counts"]["new"] == 3


# --- the confirmation posted again ------------------------------------------------------------------------------


class WorkerDied(SystemExit):
    """What gunicorn raises in a worker it kills on timeout (SIGABRT -> sys.exit)."""


def test_a_confirmation_posted_again_after_the_worker_died_imports_once(officer, world, monkeypatch):
    from parks.imports import EnterpriseImporter

    preview = upload(officer, "enterprises", xlsx(ENTERPRISE_HEADERS, enterprise_rows(world, 3)))
    token = preview.context["token"]
    save = EnterpriseImporter.save

    def save_then_die(self, results):
        save(self, results)  # the rows are written inside the transaction ...
        raise WorkerDied(1)  # ... and the worker is killed before it commits

    monkeypatch.setattr(EnterpriseImporter, "save", save_then_die)
    with pytest.raises(WorkerDied):
        officer.post(reverse("imports:upload", args=["enterprises"]), {"token": token})
    assert nothing_imported()  # rolled back: all or nothing

    monkeypatch.setattr(EnterpriseImporter, "save", save)
    again = officer.post(reverse("imports:upload", args=["enterprises"]), {"token": token}, follow=True)
    assert again.status_code == 200
    assert Enterprise.objects.filter(name__startswith="导入企业").count() == 3
    assert "新增 3" in again.content.decode()


def test_a_confirmation_posted_again_after_it_was_applied_says_so_and_imports_nothing_more(officer, world):
    preview = upload(officer, "enterprises", xlsx(ENTERPRISE_HEADERS, enterprise_rows(world, 3)))
    session_before = dict(officer.session)  # as if the first answer (and its session) never arrived
    confirm(officer, "enterprises", preview)
    assert Enterprise.objects.filter(name__startswith="导入企业").count() == 3
    session = officer.session
    session.update(session_before)
    session.save()
    again = officer.post(
        reverse("imports:upload", args=["enterprises"]), {"token": preview.context["token"]}, follow=True
    )
    assert again.status_code == 200
    assert "没有再次导入" in again.content.decode()
    assert Enterprise.objects.filter(name__startswith="导入企业").count() == 3


@pytest.mark.django_db(transaction=True)
def test_two_confirmations_at_once_take_turns_and_the_second_finds_nothing_to_do(world, monkeypatch):
    """A double click: the second confirmation arrives while the first is still writing. It waits, checks
    the file again against what the first committed, and saves nothing — without waiting it would collide
    with the first one's rows on the credit code's unique index (a 500)."""
    from parks.imports import EnterpriseImporter

    first_client = Client(raise_request_exception=False)
    first_client.force_login(world["officer"])
    preview = upload(first_client, "enterprises", xlsx(ENTERPRISE_HEADERS, enterprise_rows(world, 3)))
    second_client = Client(raise_request_exception=False)
    second_client.cookies = first_client.cookies  # the same browser, the same session
    save = EnterpriseImporter.save
    first_has_written = threading.Event()
    answers = {}

    def save_slowly(self, results):
        save(self, results)
        if not first_has_written.is_set():
            first_has_written.set()
            time.sleep(0.5)  # still uncommitted while the second confirmation comes in

    monkeypatch.setattr(EnterpriseImporter, "save", save_slowly)
    url = reverse("imports:upload", args=["enterprises"])

    def post(name, client, wait):
        try:
            if wait:
                first_has_written.wait(5)
            answers[name] = client.post(url, {"token": preview.context["token"]}).status_code
        finally:
            connection.close()

    threads = [
        threading.Thread(target=post, args=("first", first_client, False)),
        threading.Thread(target=post, args=("second", second_client, True)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)
    assert answers == {"first": 302, "second": 302}
    assert Enterprise.objects.filter(name__startswith="导入企业").count() == 3
