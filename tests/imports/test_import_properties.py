"""The import parser as properties over hostile files: arbitrary bytes under any name, CSV text whose cells
are arbitrary Unicode. Checking and importing never raise; whatever is wrong is reported (for the file,
or by row and column); and a file with any error saves nothing."""

import csv
import io

from django.db import transaction
from hypothesis import assume, event, given
from hypothesis import strategies as st

from core.imports import check, run
from parks.imports import EnterpriseImporter
from parks.models import Enterprise
from tests.factories import valid_credit_code
from tests.properties import PROPERTY

from .test_imports import ENTERPRISE_HEADERS, upload

TEXT = st.text(max_size=60)  # every code point but surrogates: controls, NUL, bidi marks, CJK, emoji
ODD = st.sampled_from(
    ["", " ", "\x00", "企业\x00", "\u3000", "\ufeff", "=1+1", "@SUM(A1)", "是", "否", "0375-1234567", "\r\n", '"']
)
CELL = st.one_of(TEXT, ODD, st.sampled_from([201, 5000]).map(lambda n: "企" * n))


def _valid_row(n: int) -> list[str]:
    return [valid_credit_code(70_000 + n), f"属性企业{n}", "PARK-A", "新材料", "李四", "0375-1234567", "是", "否"]


def rows_with_hostile_cells():
    """Up to three rows, each valid with up to two of its cells replaced by hostile values."""

    def row(n):
        valid = _valid_row(n)
        return st.sets(st.integers(0, len(valid) - 1), max_size=2).flatmap(
            lambda spoiled: st.tuples(*(CELL if i in spoiled else st.just(v) for i, v in enumerate(valid)))
        )

    return st.integers(1, 3).flatmap(lambda count: st.tuples(*(row(n) for n in range(count))))


def _csv(header, rows) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def _check_and_run(actor, name: str, data: bytes):
    importer = EnterpriseImporter(actor)
    before = Enterprise.objects.count()
    with transaction.atomic():
        report = check(importer, name, data)
        if report.ok:
            assert report.rows and not report.file_error
        else:
            assert report.file_error or all(message for row in report.errors for _column, message in row.errors)
        imported = run(EnterpriseImporter(actor), name, data)
        saved = Enterprise.objects.count() - before
        if imported.ok:
            assert saved == imported.count("new")
        else:
            assert saved == 0, "a file with errors saved rows"
        event("imported" if imported.ok else "refused")
        transaction.set_rollback(True)
    return report


@PROPERTY
@given(
    name=st.one_of(st.sampled_from(["data.csv", "data.xlsx", "data.CSV", "data", "data.txt"]), TEXT),
    data=st.one_of(st.binary(max_size=300), st.binary(max_size=40).map(lambda tail: b"PK\x03\x04" + tail)),
)
def test_any_bytes_under_any_name_are_reported_never_raised(world, name, data):
    _check_and_run(world["officer"], name, data)


HEADERS = st.one_of(
    st.just(ENTERPRISE_HEADERS),
    st.permutations(ENTERPRISE_HEADERS),
    st.lists(st.one_of(st.sampled_from(ENTERPRISE_HEADERS), CELL), max_size=9),
)


@PROPERTY
@given(
    header=HEADERS,
    rows=rows_with_hostile_cells(),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "gb18030"]),
)
def test_csv_cells_of_any_text_are_reported_by_row_and_column_and_nothing_is_half_saved(world, header, rows, encoding):
    text = _csv(header, rows)
    # Known, fixed in parallel under issue 10 ("a CSV cell over 131,072 characters in an import"): no cell
    # here comes near that size, so this test neither needs nor hides that fix.
    assume(all(len(cell) < 131_072 for row in rows for cell in row))
    _check_and_run(world["officer"], "企业.csv", text.encode(encoding))


def test_a_nul_character_in_a_csv_cell_is_an_error_at_the_preview(client, world):
    """Found by the property above: a NUL passed the preview as a new row, then the confirmation failed
    with a server error, because PostgreSQL stores no NUL in text."""
    client.force_login(world["officer"])
    row = _valid_row(1)
    row[1] = "属性\x00企业"
    preview = upload(client, "enterprises", _csv(ENTERPRISE_HEADERS, [row]).encode(), filename="企业.csv")
    assert preview.status_code == 200
    assert preview.context["counts"]["error"] == 1 and preview.context["token"] is None
    assert preview.context["report"].rows[0].errors == [("企业名称", "含有无法保存的空字符（NUL），请删除后重新输入")]
