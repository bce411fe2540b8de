"""Demo data that belongs to no single app: a SAMPLE holiday arrangement for 2027, loaded as data
through the calendar's import (the same path as the commission's file), never written in code.

The State Council had not published 2027's arrangement when this was written; every name in the file
says 演示样例 so nobody takes it for the real one. Replace it with the published arrangement on the
working-day calendar page."""

from pathlib import Path

from django.utils.translation import gettext as _

from accounts.models import User
from core.calendar_imports import CalendarImporter
from core.imports import run

SAMPLE = Path(__file__).resolve().parent / "demo_data" / "holidays-2027-sample.csv"


def seed(stdout) -> None:
    report = run(CalendarImporter(User.objects.get(username="admin")), SAMPLE.name, SAMPLE.read_bytes())
    if not report.ok:
        raise RuntimeError(f"{SAMPLE.name}: {report.file_error or report.errors}")
    stdout.write(
        _("Working-day calendar: a SAMPLE 2027 holiday arrangement (%(new)d new days) — not the official one.")
        % {"new": report.count("new")}
    )
