"""Large imports stream: memory follows a chunk of rows, not the file (a 50,000-row file must not need
hundreds of MB), and all or nothing still holds when a bad row comes after chunks already saved."""

import tracemalloc

import pytest

from core import imports
from core.imports import check, run
from parks.models import Enterprise
from risks.imports import SubsidyImporter
from risks.models import Subsidy
from tests.factories import valid_credit_code

ROWS = 3000
HEADERS = ["园区编码", "统一社会信用代码", "政策名称", "所属期间", "批准金额", "批准日期"]


@pytest.fixture
def firms(world):
    Enterprise.objects.bulk_create(
        Enterprise(credit_code=valid_credit_code(7000 + i), name=f"企业{i}", park=world["park_a"]) for i in range(ROWS)
    )
    return [valid_credit_code(7000 + i) for i in range(ROWS)]


@pytest.fixture
def small_chunks(monkeypatch):
    monkeypatch.setattr(imports, "CHUNK_ROWS", 250)


def subsidy_csv(world, codes, *, last_amount="50,000.00") -> bytes:
    lines = [",".join(HEADERS)]
    lines += [f'{world["park_a"].code},{code},稳岗补贴,2026Q1,"50,000.00",2026-03-01' for code in codes[:-1]]
    lines.append(f'{world["park_a"].code},{codes[-1]},稳岗补贴,2026Q1,"{last_amount}",2026-03-01')
    return "\n".join(lines).encode()


def peak_bytes_per_row(action) -> float:
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        before = tracemalloc.get_traced_memory()[0]
        report = action()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert report.ok, report.errors[:3] or report.file_error
    return (peak - before) / ROWS


def test_checking_and_saving_a_large_file_keeps_memory_bounded_per_row(world, firms, small_chunks):
    """Holding every row (parsed values, instance, history record) took some 15 KB a row; a chunk at a
    time needs a fixed amount plus a few bytes per row for the duplicate check."""
    data = subsidy_csv(world, firms)
    importer = SubsidyImporter(world["admin"])
    assert peak_bytes_per_row(lambda: check(importer, "subsidies.csv", data)) < 2048
    assert not Subsidy.objects.exists()
    assert peak_bytes_per_row(lambda: run(SubsidyImporter(world["admin"]), "subsidies.csv", data)) < 2048
    assert Subsidy.objects.count() == ROWS
    assert Subsidy.history.count() == ROWS  # the audit trail saw every row


def test_a_bad_last_row_saves_nothing_though_earlier_chunks_were_written(world, firms, small_chunks):
    data = subsidy_csv(world, firms, last_amount="五万")
    report = run(SubsidyImporter(world["admin"]), "subsidies.csv", data)
    assert not report.ok and report.count("error") == 1 and report.count("new") == ROWS - 1
    (bad,) = report.errors
    assert bad.number == ROWS + 1 and "不是金额" in " ".join(message for _column, message in bad.errors)
    assert not Subsidy.objects.exists()
    assert not Subsidy.history.exists()


def test_a_duplicate_in_a_later_chunk_names_the_first_row(world, firms, small_chunks):
    codes = [*firms[:-1], firms[0]]  # the last row repeats the first, three chunks later
    report = check(SubsidyImporter(world["admin"]), "subsidies.csv", subsidy_csv(world, codes))
    (duplicate,) = report.errors
    assert duplicate.number == ROWS + 1 and "第 2 行" in duplicate.errors[0][1]


def test_the_preview_keeps_the_first_rows_and_counts_every_row(world, firms, small_chunks):
    report = check(SubsidyImporter(world["admin"]), "subsidies.csv", subsidy_csv(world, firms))
    assert report.count("new") == report.total == ROWS
    assert [row.number for row in report.rows] == list(range(2, imports.PREVIEW_ROWS + 2))
    again = imports.Report.from_json(report.as_json())
    assert (again.counts, len(again.rows), again.ok) == (report.counts, imports.PREVIEW_ROWS, True)


def test_the_preview_lists_the_first_rows_with_errors_and_says_how_many_there_are(client, world, monkeypatch):
    from .test_imports import ENTERPRISE_HEADERS, enterprise_rows, upload, xlsx

    monkeypatch.setattr(imports, "ERROR_ROWS", 2)
    rows = enterprise_rows(world, 4)
    for row in rows[1:]:
        row[2] = "NO-SUCH-PARK"
    client.force_login(world["officer"])
    preview = upload(client, "enterprises", xlsx(ENTERPRISE_HEADERS, rows))
    assert preview.context["counts"] == {"new": 1, "updated": 0, "unchanged": 0, "error": 3}
    assert [row.number for row in preview.context["report"].errors] == [3, 4]
    assert "以下是 3 个有错误的行中的前 2 行" in preview.content.decode()
