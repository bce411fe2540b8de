"""Export and import speed and memory, measured on the same rows (not a timed test).

Seeds N subsidies (each with a payment) in a throwaway PostgreSQL database, then in separate processes
(so that each peak memory is its own):
  export: ours (core.exports, XlsxWriter constant_memory, chunked queryset)
          vs raw XlsxWriter constant_memory writing the same values from values_list()
          vs django-import-export's default Resource.export() → xlsx (tablib + openpyxl)
  complaint export: ours (the complaint list page's export, all 19 columns a commission admin gets)
          vs raw XlsxWriter constant_memory writing the same cells from values_list()
  import: ours (core.imports: check + all-or-nothing save) of IMPORT_ROWS subsidy rows
          vs django-import-export's default ModelResource.import_data() of the same file
Prints seconds, rows/s, peak RSS (for the imports also per imported row, above a bare Django process) and
the ratios.

    .venv/bin/python scripts/with_services.py .venv/bin/python bench/io.py [N] [IMPORT_ROWS]
"""

import io
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402

N = int(sys.argv[2]) if len(sys.argv) > 2 and sys.argv[1] == "main" else 100_000
IMPORT_ROWS = 20_000


def peak_mb() -> float:
    """This process's peak resident memory. VmHWM belongs to the address space exec creates, unlike
    ru_maxrss, which a child inherits from the (large) parent that seeded the data."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def seed(n: int) -> None:
    import datetime
    from decimal import Decimal

    from accounts.models import User
    from parks.models import Enterprise, Park
    from risks.models import Subsidy, SubsidyPayment
    from risks.paid import sync_paid_totals
    from tests.factories import valid_credit_code

    parks = Park.objects.bulk_create(
        Park(code=f"IO{i:02d}", name=f"园区{i}", level="provincial", kind="industrial", region="某市")
        for i in range(10)
    )
    firms = Enterprise.objects.bulk_create(
        (
            Enterprise(credit_code=valid_credit_code(i), name=f"企业{i}", park=parks[i % 10])
            for i in range(n + IMPORT_ROWS)
        ),
        batch_size=5000,
    )
    subsidies = Subsidy.objects.bulk_create(
        (
            Subsidy(park_id=firms[i].park_id, enterprise=firms[i], policy="研发投入后补助", period="2026",
                    approved_amount=Decimal("100000.00"), approved_on=datetime.date(2026, 1, 1) + datetime.timedelta(days=i % 300))
            for i in range(n)
        ),
        batch_size=5000,
    )  # fmt: skip
    SubsidyPayment.objects.bulk_create(
        (
            SubsidyPayment(
                park_id=s.park_id, subsidy=s, paid_on=s.approved_on, amount=Decimal("40000.50"), voucher_no=f"V{s.pk}"
            )
            for s in subsidies
        ),
        batch_size=5000,
    )
    sync_paid_totals()  # bulk_create sends no signal: Subsidy.paid_total from the payments, once
    User.objects.create(username="io-admin", role="commission_admin", is_superuser=True)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def subsidies():
    from risks.models import Subsidy

    return Subsidy.objects.with_outstanding().select_related("park", "enterprise").order_by("pk")


def export_ours(target):
    from accounts.models import User
    from core.exports import Sheet, write_xlsx
    from risks.resources import SubsidyResource

    return write_xlsx(
        target, [(Sheet("奖补资金", SubsidyResource), subsidies())], User.objects.get(username="io-admin")
    )


def export_raw(target):
    import datetime

    import xlsxwriter

    book = xlsxwriter.Workbook(target, {"constant_memory": True})
    sheet = book.add_worksheet("奖补资金")
    money, date = book.add_format({"num_format": "#,##0.00"}), book.add_format({"num_format": "yyyy-mm-dd"})
    headers = [
        "园区编码",
        "统一社会信用代码",
        "企业名称",
        "政策名称",
        "所属期间",
        "批准金额",
        "批准日期",
        "已拨付金额",
        "未拨付金额",
    ]
    for column, header in enumerate(headers):
        sheet.write_string(0, column, header)
    rows = subsidies().values_list(
        "park__code",
        "enterprise__credit_code",
        "enterprise__name",
        "policy",
        "period",
        "approved_amount",
        "approved_on",
        "paid_total",
        "outstanding",
    )
    count = 0
    for count, row in enumerate(rows.iterator(chunk_size=2000), start=1):
        for column, value in enumerate(row):
            if column in (5, 7, 8):
                sheet.write_number(count, column, float(value), money)
            elif column == 6:
                sheet.write_datetime(count, column, datetime.datetime.combine(value, datetime.time()), date)
            else:
                sheet.write_string(count, column, value)
    book.close()
    return count


def export_library(target):
    from risks.resources import SubsidyResource

    dataset = SubsidyResource().export(queryset=subsidies())
    target.write(dataset.export("xlsx"))
    return len(dataset)


COMPLAINT_ROWS = N


def seed_complaints(n: int) -> None:
    """N complaints over the same parks, most closed and rated, 70 % with a named complainant, handled by
    officers of whom some have no name (their user name is shown)."""
    import datetime

    from accounts.models import User
    from complaints.models import Complainant, Complaint
    from parks.models import Park

    parks = list(Park.objects.filter(code__startswith="IO"))
    officers = User.objects.bulk_create(
        User(username=f"io-officer{i}", name=f"办事员{i}" if i % 3 else "", role="park_officer") for i in range(30)
    )
    statuses, categories = ["closed"] * 6 + ["submitted", "accepted", "handling", "replied"], ["favours", "other"]
    start = datetime.datetime(2025, 1, 1, 1, tzinfo=datetime.UTC)
    complaints = Complaint.objects.bulk_create(
        (
            Complaint(
                park=parks[i % len(parks)], channel=["online", "qr", "window"][i % 3], category=categories[i % 2],
                subject=f"某部门{i % 97}", description="办理营业执照变更时被要求多次补交材料，" * 3, demand="尽快办结",
                is_anonymous=i % 10 >= 7, tracking_digest=f"io{i:062d}", status=statuses[i % 10],
                assigned_to=officers[i % 30] if i % 10 else None, submitted_at=start + datetime.timedelta(minutes=5 * i),
                accept_due=datetime.date(2025, 1, 3), accepted_on_time=bool(i % 4), reply_due=datetime.date(2025, 2, 1),
                replied_on_time=(i % 5 != 0) if statuses[i % 10] == "closed" else None,
                rating="satisfied" if statuses[i % 10] == "closed" else "",
            )
            for i in range(n)
        ),
        batch_size=5000,
    )  # fmt: skip
    Complainant.objects.bulk_create(
        (
            Complainant(complaint=c, name=f"张{c.pk % 500}", phone=f"1390000{c.pk % 10000:04d}", enterprise_name=f"企业{c.pk % 800}")
            for c in complaints
            if not c.is_anonymous
        ),
        batch_size=5000,
    )  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def complaint_view(username: str = "io-admin"):
    """The complaint list page of the commission admin, unfiltered: what its export button writes."""
    import complaints.views.staff  # noqa: F401 - registers the list's export
    from accounts.models import User
    from core.exports import view_for

    return view_for("complaints", User.objects.get(username=username), "")


def export_complaints_ours(target, username: str = "io-admin"):
    from core.exports import build

    return build(complaint_view(username), "xlsx", target)


def export_complaints_raw(target, username: str = "io-admin"):
    """The same cells as ours, by hand: references and labels computed in Python, local times."""
    import datetime

    import xlsxwriter
    from django.utils import timezone

    from complaints.choices import Category, Channel, Rating, Status
    from complaints.columns import COMPLAINTS

    book = xlsxwriter.Workbook(target, {"constant_memory": True})
    sheet = book.add_worksheet(str(COMPLAINTS.title))
    date, stamp = book.add_format({"num_format": "yyyy-mm-dd"}), book.add_format({"num_format": "yyyy-mm-dd hh:mm"})
    for column, header in enumerate(str(c.label) for c in COMPLAINTS.export()):
        sheet.write_string(0, column, header)
    labels = {
        kind: {value: str(label) for value, label in kind.choices} for kind in (Category, Channel, Rating, Status)
    }
    yes, no, zone = "是", "否", timezone.get_current_timezone()
    rows = complaint_view(username).get_queryset().values_list(
        "pk", "submitted_at", "park__name", "channel", "category", "subject", "description", "demand", "status",
        "accept_due", "accepted_on_time", "reply_due", "replied_on_time", "assigned_to__name",
        "assigned_to__username", "rating", "is_anonymous", "complainant__name", "complainant__phone",
        "complainant__enterprise_name",
    )  # fmt: skip
    combine, midnight, count = datetime.datetime.combine, datetime.time(), 0
    for count, row in enumerate(rows.iterator(chunk_size=2000), start=1):
        pk, submitted, park, channel, category, subject, description, demand, status = row[:9]
        accept_due, accepted_on_time, reply_due, replied_on_time, name, username, rating, anonymous = row[9:17]
        local = submitted.astimezone(zone).replace(tzinfo=None)
        cells = [
            f"TS{local:%Y%m%d}{pk:05d}", park, labels[Channel][channel], labels[Category][category], subject,
            description, demand, labels[Status][status], local, accept_due, accepted_on_time, reply_due,
            replied_on_time, name or username, labels[Rating].get(rating), anonymous, *row[17:],
        ]  # fmt: skip
        for column, value in enumerate(cells):
            if value is None or value == "":
                continue
            if type(value) is str:
                sheet.write_string(count, column, value)
            elif type(value) is bool:
                sheet.write_string(count, column, yes if value else no)
            elif type(value) is datetime.datetime:
                sheet.write_datetime(count, column, value, stamp)
            else:
                sheet.write_datetime(count, column, combine(value, midnight), date)
    book.close()
    return count


def import_file() -> bytes:
    import openpyxl

    from parks.models import Enterprise

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("奖补资金")
    sheet.append(["园区编码", "统一社会信用代码", "政策名称", "所属期间", "批准金额", "批准日期"])
    firms = Enterprise.objects.select_related("park").order_by("-pk")[:IMPORT_ROWS]
    for firm in firms:
        sheet.append([firm.park.code, firm.credit_code, "稳岗补贴", "2026Q1", "50,000.00", "2026-03-01"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def import_ours(data):
    from accounts.models import User
    from core.imports import run
    from risks.imports import SubsidyImporter

    report = run(SubsidyImporter(User.objects.get(username="io-admin")), "subsidies.xlsx", data)
    assert report.ok, report.errors[:3]
    return report.count("new")


def import_library(data):
    import tablib
    from import_export import fields, resources, widgets

    from parks.models import Enterprise, Park
    from risks.models import Subsidy

    class DefaultSubsidyResource(resources.ModelResource):
        park = fields.Field(attribute="park", column_name="园区编码", widget=widgets.ForeignKeyWidget(Park, "code"))
        enterprise = fields.Field(
            attribute="enterprise",
            column_name="统一社会信用代码",
            widget=widgets.ForeignKeyWidget(Enterprise, "credit_code"),
        )
        policy = fields.Field(attribute="policy", column_name="政策名称")
        period = fields.Field(attribute="period", column_name="所属期间")
        approved_amount = fields.Field(
            attribute="approved_amount", column_name="批准金额", widget=widgets.DecimalWidget()
        )
        approved_on = fields.Field(
            attribute="approved_on", column_name="批准日期", widget=widgets.DateWidget("%Y-%m-%d")
        )

        class Meta:
            model = Subsidy
            fields = ("park", "enterprise", "policy", "period", "approved_amount", "approved_on")
            import_id_fields = ("enterprise", "policy", "period")

    dataset = tablib.Dataset().load(io.BytesIO(data), format="xlsx")
    # The amounts are written as people type them; the library's DecimalWidget wants plain numbers.
    dataset = tablib.Dataset(
        *[[*row[:4], str(row[4]).replace(",", ""), row[5]] for row in dataset], headers=dataset.headers
    )
    result = DefaultSubsidyResource().import_data(dataset, dry_run=False, raise_errors=True)
    return result.totals["new"]


def measure(mode: str) -> None:
    """Runs in a child process: one measurement, printed as 'seconds rows peak_mb'."""
    start = time.perf_counter()
    if mode == "baseline":
        rows = 0
    elif mode == "iterate":
        rows = sum(1 for _ in subsidies().iterator(chunk_size=2000))
    elif mode == "iterate_values":
        rows = sum(
            1
            for _ in subsidies()
            .values_list(
                "pk",
                "park__code",
                "enterprise__credit_code",
                "enterprise__name",
                "policy",
                "period",
                "approved_amount",
                "approved_on",
                "paid_total",
                "outstanding",
            )
            .iterator(chunk_size=2000)
        )
    elif mode.startswith("export"):
        if "complaints" in mode:
            complaint_view()  # the list page's modules are imported before the clock starts
            start = time.perf_counter()
        with open(os.devnull, "wb") if False else io.BytesIO() as target:
            rows = {
                "export_ours": export_ours,
                "export_raw": export_raw,
                "export_library": export_library,
                "export_complaints_raw": export_complaints_raw,
                "export_complaints_ours": export_complaints_ours,
            }[mode](target)
    else:
        data = Path(os.environ["BENCH_IMPORT_FILE"]).read_bytes()
        start = time.perf_counter()
        from django.db import transaction

        with transaction.atomic():
            rows = {"import_ours": import_ours, "import_library": import_library}[mode](data)
            transaction.set_rollback(True)  # each contender imports into the same, untouched database
    print(f"{time.perf_counter() - start:.3f} {rows} {peak_mb():.1f}")


def child(mode: str, env: dict) -> tuple[float, int, float]:
    command = [sys.executable, __file__, mode]
    out = subprocess.run(command, env=env, capture_output=True, text=True, check=True, cwd=ROOT)  # noqa: S603
    seconds, rows, peak = out.stdout.strip().splitlines()[-1].split()
    return float(seconds), int(rows), float(peak)


def complaint_exports(env: dict, baseline: float) -> None:
    print(f"export of {COMPLAINT_ROWS} complaints (the list page's export for a commission admin, 19 columns):")
    results = {mode: child(mode, env) for mode in ("export_complaints_raw", "export_complaints_ours")}
    for mode, (seconds, rows, peak) in results.items():
        print(f"  {mode:<23} {seconds:7.2f} s  {rows / seconds:9.0f} rows/s  peak +{peak - baseline:5.0f} MB")
    raw, ours = results["export_complaints_raw"][0], results["export_complaints_ours"][0]
    print(f"  ours / raw XlsxWriter: {ours / raw:.2f}x time")


def main() -> None:
    from django.test.utils import setup_databases, teardown_databases

    old = setup_databases(verbosity=0, interactive=False)
    try:
        seed(N)
        seed_complaints(COMPLAINT_ROWS)
        db = connection.settings_dict
        env = {
            **os.environ,
            "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        }
        path = Path(tempfile.gettempdir()) / "bench-import.xlsx"
        path.write_bytes(import_file())
        env["BENCH_IMPORT_FILE"] = str(path)
        print(f"export of {N} subsidies (one sheet, 9 columns):")
        baseline = child("baseline", env)[2]
        print(f"  (a process that only starts Django peaks at {baseline:.0f} MB; the figures below are above that)")
        results = {mode: child(mode, env) for mode in ("export_raw", "export_ours", "export_library")}
        for mode, (seconds, rows, peak) in results.items():
            print(f"  {mode:<15} {seconds:7.2f} s  {rows / seconds:9.0f} rows/s  peak +{peak - baseline:5.0f} MB")
        reading = {mode: child(mode, env)[0] for mode in ("iterate_values", "iterate")}
        print(
            f"  (reading alone: {reading['iterate_values']:.2f} s as value tuples, {reading['iterate']:.2f} s as model instances)"
        )
        raw, ours, library = (results[m][0] for m in ("export_raw", "export_ours", "export_library"))
        print(f"  ours / raw XlsxWriter: {ours / raw:.2f}x time;  library / ours: {library / ours:.2f}x time")
        complaint_exports(env, baseline)
        print(f"import of {IMPORT_ROWS} new subsidy rows:")
        imports = {mode: child(mode, env) for mode in ("import_ours", "import_library")}
        for mode, (seconds, rows, peak) in imports.items():
            per_row = (peak - baseline) * 1024 / max(rows, 1)
            print(
                f"  {mode:<15} {seconds:7.2f} s  {rows / seconds:9.0f} rows/s  peak +{peak - baseline:5.0f} MB"
                f"  {per_row:6.2f} KB/row"
            )
        print(f"  library / ours: {imports['import_library'][0] / imports['import_ours'][0]:.1f}x time")
    finally:
        teardown_databases(old, verbosity=0)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] != "main":
        measure(sys.argv[1])
    else:
        if len(sys.argv) > 1:
            IMPORT_ROWS = int(sys.argv[3]) if len(sys.argv) > 3 else IMPORT_ROWS
        main()
