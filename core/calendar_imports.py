"""The State Council's holiday arrangement imported from Excel or CSV (日期, 类型, 名称): checked in full,
then saved all at once through ``core.calendar.calendar_change``, which recomputes the open deadlines."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from .calendar import CalendarChange, Entry, change_summary, may_edit_calendar
from .columns import Column, Columns
from .import_cells import CellError, parse_date, parse_text
from .imports import NEW, UNCHANGED, UPDATED, Importer, register
from .models import CalendarDay

KINDS = {
    "放假": CalendarDay.Kind.HOLIDAY,
    "休": CalendarDay.Kind.HOLIDAY,
    "调休上班": CalendarDay.Kind.WORKDAY,
    "上班": CalendarDay.Kind.WORKDAY,
    "班": CalendarDay.Kind.WORKDAY,
    **{value: value for value in CalendarDay.Kind.values},
}


def parse_kind(value: Any) -> str:
    text = parse_text(value)
    if text in KINDS:
        return KINDS[text]
    raise CellError(_("“%(value)s” is not one of: %(choices)s") % {"value": text, "choices": "放假、调休上班"})


#: The arrangement's one column list: the import template and the headers the import expects.
CALENDAR = Columns(
    pgettext_lazy("sheet", "Holiday arrangement"),
    [
        Column("date", gettext_lazy("date"), parse=parse_date, example="2027-01-01"),
        Column("kind", gettext_lazy("kind"), parse=parse_kind, example="放假"),
        Column("name", pgettext_lazy("holiday", "name"), example="元旦"),
    ],
)


@register
class CalendarImporter(Importer):
    name = "calendar"
    declaration = CALENDAR
    permission = staticmethod(may_edit_calendar)
    done_url = "calendar:year"

    def __init__(self, actor):
        super().__init__(actor)
        self.change = CalendarChange()
        self.entries: list[Entry] = []

    def start(self):
        self.entries = []

    def key(self, values):
        return values.get("date")

    def prepare(self, rows):
        self.existing = {day.date: day for day in CalendarDay.objects.filter(date__in=[r["date"] for r in rows])}

    def build(self, values, result):
        day = self.existing.get(values["date"])
        if day is None:
            day, result.status = CalendarDay(date=values["date"]), NEW
        else:
            same = (day.kind, day.name) == (values["kind"], values["name"])
            result.status = UNCHANGED if same else UPDATED
        day.kind, day.name = values["kind"], values["name"]
        result.instance = day
        result.label = f"{values['date'].isoformat()} {day.get_kind_display()} {values['name']}"

    def save(self, results):
        # A year is a few dozen days: kept until the last chunk, then changed (and deadlines recomputed) once.
        self.entries += [Entry(row.instance.date, row.instance.kind, row.instance.name) for row in results]

    def finish(self):
        from .calendar import calendar_change

        self.change = calendar_change(actor=self.actor, save=self.entries)

    def notes(self) -> list[str]:
        return change_summary(self.change)
