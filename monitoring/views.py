"""The monitoring pages: the enterprise's report form, the reports list and a report's page (with the
one-click complaint), and per park the trend and who has not reported."""

import datetime

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView

from accounts import refusals
from accounts.choices import Role
from complaints.views.carried import carry_receipt, remember_tracked
from core.charts import Series, bar_chart
from core.columns import ColumnsTableMixin
from core.exports import Sheet, exportable
from core.forms import add_validation_error
from core.views import FilteredListView, ScopedQuerysetMixin
from parks.models import Park

from . import services
from .columns import REPORTS
from .filters import ReportFilter
from .forms import ReportForm, ToComplaintForm
from .models import Answer, MonitoringReport, is_point
from .periods import Period
from .resources import AnswerResource, ReportResource
from .selectors import (
    active_questionnaire,
    missing_reporters,
    open_periods,
    park_settings,
    park_trend,
    parks_overview,
    question_labels,
)


class StaffReaderMixin(LoginRequiredMixin):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not request.user.is_staff_reader:
            raise PermissionDenied(refusals.FOR_STAFF)
        return super().dispatch(request, *args, **kwargs)


# --- the enterprise's report -----------------------------------------------------------------------------


class ReportFileView(LoginRequiredMixin, View):
    """/monitoring/report/: a monitoring point's users file the report of an open period."""

    template_name = "monitoring/report_form.html"

    def setup_form(self, request, data=None):
        user = request.user
        if user.role != Role.ENTERPRISE or not user.enterprise_id:
            raise PermissionDenied(_("Only the users of a monitoring-point enterprise file monitoring reports."))
        enterprise = user.enterprise
        if not is_point(enterprise):
            raise PermissionDenied(_("Your enterprise is not a monitoring point."))
        questionnaire = active_questionnaire()
        periods = open_periods(enterprise, timezone.localdate())
        questions = questionnaire.questions.all() if questionnaire else []
        return enterprise, questionnaire, ReportForm(data, questions=questions, periods=periods)

    def get(self, request):
        enterprise, questionnaire, form = self.setup_form(request)
        return self.render(request, enterprise, questionnaire, form)

    def post(self, request):
        enterprise, questionnaire, form = self.setup_form(request, request.POST)
        if questionnaire is not None and form.periods and form.is_valid():
            try:
                report = services.report_file(
                    actor=request.user,
                    enterprise=enterprise,
                    period=form.chosen_period(),
                    replies=form.replies(),
                    problem=form.cleaned_data["problem"],
                )
            except ValidationError as error:
                add_validation_error(form, error)
            else:
                messages.success(
                    request, _("Your monitoring report for %(period)s is filed.") % {"period": report.period_label}
                )
                return redirect(report)
        return self.render(request, enterprise, questionnaire, form)

    def render(self, request, enterprise, questionnaire, form):
        context = {"enterprise": enterprise, "questionnaire": questionnaire, "form": form}
        return render(request, self.template_name, context)


# --- reports --------------------------------------------------------------------------------------------


@exportable("monitoring-reports")
class ReportListView(ColumnsTableMixin, FilteredListView):
    model = MonitoringReport
    columns = REPORTS
    filterset_class = ReportFilter
    select_related = ("park", "enterprise", "questionnaire")
    template_name = "monitoring/report_list.html"
    export_name = "monitoring-reports"
    export_sheets = [
        Sheet(REPORTS.title, ReportResource, lambda qs: qs.select_related("park", "enterprise", "questionnaire")),
        Sheet(
            str(Answer._meta.verbose_name_plural),
            AnswerResource,
            lambda qs: Answer.objects.filter(report__in=qs.values("pk")).select_related(
                "report__park", "report__enterprise", "question"
            ),
        ),
    ]


class ReportDetailView(ScopedQuerysetMixin, DetailView):
    model = MonitoringReport
    select_related = ("park", "enterprise", "questionnaire", "complaint")
    template_name = "monitoring/report_detail.html"
    context_object_name = "report"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        report, user = self.object, self.request.user
        context["answers"] = report.answers.select_related("question")
        context["own"] = user.role == Role.ENTERPRISE and user.enterprise_id == report.enterprise_id
        context["may_turn"] = context["own"] and bool(report.problem) and report.complaint_filed_at is None
        # The complaint it became: for the enterprise and those who may see who complained.
        context["shows_complaint"] = context["own"] or user.is_commission_staff
        context["complaint_form"] = kwargs.get("complaint_form") or ToComplaintForm()
        return context


class ReportToComplaintView(ScopedQuerysetMixin, View):
    """One click: the report's problem becomes a complaint to its park (POST only)."""

    model = MonitoringReport
    http_method_names = ["post"]

    def post(self, request, pk):
        report = get_object_or_404(self.get_queryset(), pk=pk)
        form = ToComplaintForm(request.POST)
        if form.is_valid():
            try:
                submission = services.report_to_complaint(
                    actor=request.user, report=report, anonymous=form.cleaned_data["is_anonymous"]
                )
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
                return redirect(report)
            response = redirect("complaints:receipt")
            remember_tracked(request, response, submission.complaint)
            carry_receipt(response, submission.complaint, submission.tracking_code)
            return response
        return redirect(report)


# --- per park -------------------------------------------------------------------------------------------


def _chosen_period(request, months: int, today: datetime.date) -> Period:
    """?period=YYYY-MM-DD, else the period whose report was last due (the previous one)."""
    try:
        chosen = datetime.date.fromisoformat(request.GET.get("period", ""))
    except ValueError:
        return Period.containing(today, months).previous()
    return Period.containing(chosen, months)


def trend_charts(trend, labels) -> tuple[str, str]:
    categories = [one.period.label() for one in trend]
    rate = bar_chart(
        categories,
        [Series(_("response rate (%)"), [one.rate or 0 for one in trend])],
        title=_("Monitoring-point response rate"),
        category_label=_("period"),
    )
    scores = bar_chart(
        categories,
        [Series(text, [one.averages.get(code) or 0 for one in trend]) for code, text in labels],
        title=_("Average score per question"),
        category_label=_("period"),
        width=720,
    )
    return rate, scores


class ParkMonitoringView(StaffReaderMixin, View):
    """/monitoring/parks/<code>/: the park's trend (response rate, average score per question) and, for
    commission staff, the monitoring points that have not reported for a period."""

    def get(self, request, code):
        park = get_object_or_404(Park.objects.visible_to(request.user), code=code)
        today = timezone.localdate()
        settings_row = park_settings(park)
        trend = park_trend(park, today)
        labels = question_labels()
        period = _chosen_period(request, settings_row.period_months, today)
        context = {
            "park": park,
            "settings_row": settings_row,
            "trend": trend,
            "labels": labels,
            "rows": [(one, [one.averages.get(code) for code, _text in labels]) for one in trend],
            "period": period,
            "due_on": period.due_on(settings_row.due_working_days),
        }
        context["rate_chart"], context["score_chart"] = trend_charts(trend, labels)
        if request.user.is_commission_staff:
            context["missing"] = missing_reporters(park, period.start).order_by("name")
        return render(request, "monitoring/park.html", context)


class IndexView(StaffReaderMixin, View):
    """/monitoring/: the parks in scope with their last due period's figures."""

    def get(self, request):
        today = timezone.localdate()
        parks = Park.objects.visible_to(request.user).filter(is_active=True).order_by("code")
        return render(request, "monitoring/index.html", {"rows": parks_overview(parks, today)})
