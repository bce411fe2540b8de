"""The working-day calendar page: commission admins see a year's holidays and make-up working days, enter a
holiday period in one go, change or delete a day, and import the State Council's arrangement."""

from __future__ import annotations

import datetime

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views import View

from . import workdays
from .calendar import Entry, calendar_change, change_summary, holiday_period, may_edit_calendar, year_days
from .forms import StyledFormMixin, add_validation_error
from .import_cells import CellError, parse_date
from .models import CalendarDay

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PeriodForm(StyledFormMixin, forms.Form):
    first = forms.DateField(label=gettext_lazy("First day off"), widget=DATE_INPUT)
    last = forms.DateField(label=gettext_lazy("Last day off"), widget=DATE_INPUT)
    name = forms.CharField(
        label=pgettext_lazy("holiday", "name"), max_length=50, help_text=gettext_lazy("For example 春节.")
    )
    workdays = forms.CharField(
        label=gettext_lazy("Make-up working days"),
        required=False,
        help_text=gettext_lazy("Dates separated by spaces or commas, for example 2027-02-06 2027-02-20."),
    )

    def clean_workdays(self) -> list[datetime.date]:
        text = self.cleaned_data["workdays"].replace("，", " ").replace(",", " ").replace("、", " ")
        try:
            return [parse_date(part) for part in text.split()]
        except CellError as error:
            raise forms.ValidationError(str(error)) from error


class DayForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = CalendarDay
        fields = ["date", "kind", "name"]
        widgets = {"date": DATE_INPUT}

    def validate_unique(self):
        """Saving a day that is already entered changes it."""


class CalendarView(LoginRequiredMixin, View):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not may_edit_calendar(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, year=None, period_form=None, day_form=None):
        year = year or timezone.localdate().year
        if not 2000 <= year <= 2100:
            raise Http404
        context = {
            "year": year,
            "days": year_days(year),
            "known_to_package": workdays.year_is_covered(year),
            "entered": workdays.year_is_entered(year),
            "period_form": period_form or PeriodForm(),
            "day_form": day_form or DayForm(),
            "years": [year - 1, year + 1],
        }
        return render(request, "calendar/year.html", context)

    def post(self, request, year=None):
        action = request.POST.get("action")
        if action == "period":
            form = PeriodForm(request.POST)
            return self._save(request, year, form, lambda data: {"save": holiday_period(
                first=data["first"], last=data["last"], name=data["name"], workdays_=data["workdays"])}, "period_form")  # fmt: skip
        if action == "day":
            form = DayForm(request.POST)
            return self._save(request, year, form, lambda data: {"save": [Entry(data["date"], data["kind"], data["name"])]}, "day_form")  # fmt: skip
        if action == "delete":
            try:
                day = parse_date(request.POST.get("date", ""))
            except CellError:
                return redirect(self._url(year))
            self._tell(request, calendar_change(actor=request.user, delete=[day]))
            return redirect(self._url(year))
        return redirect(self._url(year))

    def _save(self, request, year, form, changes, form_name):
        if form.is_valid():
            try:
                change = calendar_change(actor=request.user, **changes(form.cleaned_data))
            except ValidationError as error:
                add_validation_error(form, error)
            else:
                self._tell(request, change)
                shown = form.cleaned_data.get("first") or form.cleaned_data.get("date")
                return redirect(self._url(shown.year if shown else year))
        return self.get(request, year, **{form_name: form})

    @staticmethod
    def _tell(request, change):
        messages.success(request, _("The working-day calendar was saved."))
        for line in change_summary(change):
            messages.info(request, line)

    @staticmethod
    def _url(year):
        return reverse("calendar:year-of", kwargs={"year": year}) if year else reverse("calendar:year")
