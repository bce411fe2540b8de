"""Ledger pages: a list (filter, search, paginate, alert badges), a detail page with the row's alerts,
and a form to create or edit, for each ledger; alert list and decisions. Writes go through services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Case, IntegerField, Value, When
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import DetailView

from accounts import refusals
from core.exports import Sheet, exportable
from core.forms import add_validation_error
from core.views import FilteredListView, ScopedQuerysetMixin, posted_id

from . import services
from .choices import Severity
from .filters import AlertFilter, DecisionFilter, OfficialFilter, ProjectFilter, RiskPointFilter, SubsidyFilter
from .forms import (
    ChangeOrderForm,
    ContractForm,
    DecisionForm,
    DismissForm,
    OfficialForm,
    PaymentForm,
    ProjectForm,
    RiskPointForm,
    SubsidyForm,
    TieForm,
)
from .models import (
    Alert,
    ChangeOrder,
    Contract,
    Decision,
    Official,
    OfficialTie,
    Project,
    RiskPoint,
    Subsidy,
    SubsidyPayment,
)
from .resources import (
    AlertResource,
    ChangeOrderResource,
    ContractResource,
    DecisionResource,
    OfficialTieResource,
    PaymentResource,
    ProjectResource,
    RiskPointResource,
    SubsidyResource,
)
from .rules.base import yuan
from .selectors import alerts_for, live_alert_counts


class StaffMixin(LoginRequiredMixin):
    """Ledgers are for commission staff and park officers; enterprise users see their subsidies elsewhere."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not request.user.is_staff_reader:
            raise PermissionDenied(refusals.FOR_STAFF)
        return super().dispatch(request, *args, **kwargs)


def money_or_dash(value):
    return yuan(value) if value is not None else "—"


def date_or_dash(value):
    return value.isoformat() if value else "—"


class LedgerListView(StaffMixin, FilteredListView):
    """A ledger list described by ``columns``: (header, function of the row)."""

    template_name = "risks/ledger_list.html"
    title = ""
    columns: list = []
    create_url_name = ""
    link_column = 2  # the column that links to the row's page

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = context["object_list"]
        counts = self.alert_counts(page)
        context["title"] = self.title
        context["link_column"] = self.link_column
        context["headers"] = [header for header, _cell in self.columns]
        context["rows"] = [(row, [cell(row) for _header, cell in self.columns], counts.get(row.pk, 0)) for row in page]
        context["create_url_name"] = self.create_url_name if self.request.user.can_edit_risk_ledgers else ""
        return context

    def alert_counts(self, page):
        return live_alert_counts(self.model, [row.pk for row in page])


class LedgerDetailView(StaffMixin, ScopedQuerysetMixin, DetailView):
    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["alerts"] = alerts_for(self.object, user=self.request.user)
        context["can_edit"] = self.request.user.can_edit_risk_ledgers
        return context


class LedgerFormView(StaffMixin, ScopedQuerysetMixin, View):
    """Create (no pk) or edit a ledger row; everything typed is kept when something is wrong."""

    form_class = None
    template_name = "risks/ledger_form.html"
    title_new = title_edit = ""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not request.user.can_edit_risk_ledgers:
            raise PermissionDenied(refusals.FOR_RISK_LEDGER_KEEPERS)
        return super().dispatch(request, *args, **kwargs)

    def get_object(self):
        return get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"]) if "pk" in self.kwargs else None

    def get(self, request, **kwargs):
        obj = self.get_object()
        initial = {"park": request.GET.get("park")} if obj is None else {}
        return self.render(obj, self.form_class(instance=obj, initial=initial, user=request.user))

    def post(self, request, **kwargs):
        obj = self.get_object()
        form = self.form_class(request.POST, instance=obj, user=request.user)
        if form.is_valid():
            try:
                saved = services.ledger_save(actor=request.user, instance=form.instance)
            except ValidationError as error:
                add_validation_error(form, error)
            else:
                messages.success(request, _("Saved. The alert rules will look at it again right away."))
                return redirect(saved)
        return self.render(obj, form)

    def render(self, obj, form):
        title = self.title_edit if obj else self.title_new
        return render(self.request, self.template_name, {"form": form, "object": obj, "title": title})


# --- 廉政风险点 -------------------------------------------------------------------------------------


@exportable("riskpoints")
class RiskPointListView(LedgerListView):
    model = RiskPoint
    export_sheets = [Sheet("廉政风险点", RiskPointResource, lambda qs: qs.select_related("park"))]
    filterset_class = RiskPointFilter
    select_related = ("park",)
    title = gettext_lazy("Integrity risk points")
    create_url_name = "risks:riskpoint-create"
    columns = [
        (gettext_lazy("park"), lambda r: r.park.name),
        (gettext_lazy("risk domain"), lambda r: r.get_domain_display()),
        (gettext_lazy("risk description"), lambda r: r.description[:40]),
        (gettext_lazy("risk level"), lambda r: f"{r.get_level_display()}（{r.likelihood}×{r.impact}）"),
        (gettext_lazy("responsible department"), lambda r: r.department or "—"),
        (gettext_lazy("next review date"), lambda r: date_or_dash(r.review_on)),
        (gettext_lazy("status"), lambda r: r.get_status_display()),
    ]


class RiskPointDetailView(LedgerDetailView):
    model = RiskPoint
    select_related = ("park",)
    template_name = "risks/riskpoint_detail.html"


class RiskPointFormView(LedgerFormView):
    model = RiskPoint
    form_class = RiskPointForm
    title_new = gettext_lazy("New risk point")
    title_edit = gettext_lazy("Edit risk point")


# --- 三重一大 ------------------------------------------------------------------------------------------


@exportable("decisions")
class DecisionListView(LedgerListView):
    model = Decision
    export_sheets = [Sheet("三重一大事项", DecisionResource, lambda qs: qs.select_related("park"))]
    filterset_class = DecisionFilter
    select_related = ("park",)
    title = gettext_lazy("'Three majors, one large' decisions")
    create_url_name = "risks:decision-create"
    columns = [
        (gettext_lazy("park"), lambda r: r.park.name),
        (gettext_lazy("matter type"), lambda r: r.get_kind_display()),
        (gettext_lazy("matter"), lambda r: r.subject),
        (gettext_lazy("amount (yuan)"), lambda r: money_or_dash(r.amount)),
        (gettext_lazy("meeting date"), lambda r: date_or_dash(r.meeting_on) if r.meeting_on else _("no meeting")),
        (
            gettext_lazy("present / entitled"),
            lambda r: f"{r.members_present}/{r.members_entitled}" if r.meeting_on else "—",
        ),
        (gettext_lazy("minutes kept"), lambda r: _("yes") if r.has_minutes else _("no")),
    ]


class DecisionDetailView(LedgerDetailView):
    model = Decision
    select_related = ("park",)
    template_name = "risks/decision_detail.html"


class DecisionFormView(LedgerFormView):
    model = Decision
    form_class = DecisionForm
    title_new = gettext_lazy("New 'three majors, one large' decision")
    title_edit = gettext_lazy("Edit decision")


# --- 惠企奖补资金 --------------------------------------------------------------------------------------


@exportable("subsidies")
class SubsidyListView(LedgerListView):
    model = Subsidy
    export_sheets = [
        Sheet("奖补资金", SubsidyResource),
        Sheet(
            "拨付记录",
            PaymentResource,
            lambda qs: (
                SubsidyPayment.objects.filter(subsidy__in=qs.values("pk"))
                .select_related("subsidy__enterprise")
                .order_by("subsidy", "paid_on", "pk")
            ),
        ),
    ]
    filterset_class = SubsidyFilter
    title = gettext_lazy("Enterprise subsidies")
    create_url_name = "risks:subsidy-create"
    columns = [
        (gettext_lazy("park"), lambda r: r.park.name),
        (gettext_lazy("enterprise"), lambda r: r.enterprise.name),
        (gettext_lazy("policy"), lambda r: r.policy),
        (gettext_lazy("period"), lambda r: r.period),
        (gettext_lazy("approved (yuan)"), lambda r: f"{r.approved_amount:,.2f}"),
        (gettext_lazy("paid (yuan)"), lambda r: f"{r.paid_total:,.2f}"),
        (gettext_lazy("outstanding (yuan)"), lambda r: f"{r.outstanding:,.2f}"),
        (gettext_lazy("approved on"), lambda r: date_or_dash(r.approved_on)),
    ]

    def get_base_queryset(self):
        return (
            Subsidy.objects.visible_to(self.request.user)
            .with_outstanding()
            .select_related("park", "enterprise")
            .order_by("park__code", "-approved_on", "pk")
        )


class SubsidyDetailView(LedgerDetailView):
    model = Subsidy
    select_related = ("park", "enterprise")
    template_name = "risks/subsidy_detail.html"

    def get_queryset(self):
        return super().get_queryset().with_outstanding()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["payments"] = self.object.payments.all()
        context.setdefault("payment_form", PaymentForm())
        return context

    def post(self, request, pk):
        """Record a payment."""
        if not request.user.can_edit_risk_ledgers:
            raise PermissionDenied(refusals.FOR_RISK_LEDGER_KEEPERS)
        self.object = self.get_object()
        form = PaymentForm(request.POST)
        if form.is_valid():
            try:
                services.payment_record(actor=request.user, subsidy=self.object, **form.cleaned_data)
            except ValidationError as error:
                add_validation_error(form, error)
            else:
                messages.success(request, _("Payment recorded."))
                return redirect(self.object)
        return self.render_to_response(self.get_context_data(payment_form=form))


class SubsidyFormView(LedgerFormView):
    model = Subsidy
    form_class = SubsidyForm
    title_new = gettext_lazy("New subsidy")
    title_edit = gettext_lazy("Edit subsidy")


# --- 工程项目 ------------------------------------------------------------------------------------------


@exportable("projects")
class ProjectListView(LedgerListView):
    model = Project
    export_sheets = [
        Sheet("工程项目", ProjectResource, lambda qs: qs.select_related("park")),
        Sheet(
            "合同",
            ContractResource,
            lambda qs: Contract.objects.filter(project__in=qs.values("pk")).select_related(
                "project__park", "contractor"
            ),
        ),
        Sheet(
            "合同变更",
            ChangeOrderResource,
            lambda qs: ChangeOrder.objects.filter(contract__project__in=qs.values("pk")).select_related("contract"),
        ),
    ]
    filterset_class = ProjectFilter
    select_related = ("park",)
    title = gettext_lazy("Engineering projects")
    create_url_name = "risks:project-create"
    link_column = 1
    columns = [
        (gettext_lazy("park"), lambda r: r.park.name),
        (gettext_lazy("project name"), lambda r: r.name),
        (gettext_lazy("budget (yuan)"), lambda r: money_or_dash(r.budget)),
        (gettext_lazy("start date"), lambda r: date_or_dash(r.started_on)),
    ]

    def alert_counts(self, page):
        from collections import Counter

        contracts = Contract.objects.filter(project__in=[row.pk for row in page]).values_list("pk", "project_id")
        by_contract = live_alert_counts(Contract, [pk for pk, _project in contracts])
        counts = Counter()
        for pk, project_id in contracts:
            counts[project_id] += by_contract.get(pk, 0)
        return counts


class ProjectDetailView(LedgerDetailView):
    model = Project
    select_related = ("park",)
    template_name = "risks/project_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        contracts = list(
            Contract.objects.filter(project=self.object)
            .with_changes()
            .select_related("contractor")
            .prefetch_related("change_orders")
        )
        counts = live_alert_counts(Contract, [c.pk for c in contracts])
        contract_alerts = {}
        contract_type = ContentType.objects.get_for_model(Contract)
        for alert in (
            Alert.objects.visible_to(self.request.user)
            .live()
            .filter(content_type=contract_type, object_id__in=[c.pk for c in contracts])
        ):
            contract_alerts.setdefault(alert.object_id, []).append(alert)
        running = 0
        rows = []
        for contract in contracts:
            total = contract.amount + contract.changes_total
            running += total
            rows.append((contract, total, running, contract_alerts.get(contract.pk, []), counts.get(contract.pk, 0)))
        context["contract_rows"] = rows
        context["grand_total"] = running
        context.setdefault("contract_form", ContractForm(user=self.request.user))
        context.setdefault("change_form", ChangeOrderForm(user=self.request.user))
        context.setdefault("change_contract_id", None)
        return context

    def post(self, request, pk):
        if not request.user.can_edit_risk_ledgers:
            raise PermissionDenied(refusals.FOR_RISK_LEDGER_KEEPERS)
        self.object = self.get_object()
        if request.POST.get("form") == "change":
            contract = get_object_or_404(
                Contract.objects.visible_to(request.user), pk=posted_id(request, "contract"), project=self.object
            )
            form = ChangeOrderForm(request.POST, user=request.user)
            if form.is_valid():
                try:
                    services.change_order_add(actor=request.user, contract=contract, **form.cleaned_data)
                except ValidationError as error:
                    add_validation_error(form, error)
                else:
                    messages.success(request, _("Change order recorded."))
                    return redirect(self.object)
            return self.render_to_response(self.get_context_data(change_form=form, change_contract_id=contract.pk))
        form = ContractForm(request.POST, user=request.user, instance=Contract(project=self.object))
        if form.is_valid():
            try:
                _contract, conflicted = services.contract_save(actor=request.user, contract=form.instance)
            except ValidationError as error:
                add_validation_error(form, error)
            else:
                messages.success(request, _("Contract recorded."))
                if conflicted:
                    messages.warning(
                        request,
                        _("The contractor is in the park's conflict-of-interest register: an alert has been raised."),
                    )
                return redirect(self.object)
        return self.render_to_response(self.get_context_data(contract_form=form))


class ProjectFormView(LedgerFormView):
    model = Project
    form_class = ProjectForm
    title_new = gettext_lazy("New engineering project")
    title_edit = gettext_lazy("Edit project")


# --- 利益冲突登记 ----------------------------------------------------------------------------------------


@exportable("officials")
class OfficialListView(StaffMixin, FilteredListView):
    model = Official
    export_sheets = [
        Sheet(
            "利益冲突登记",
            OfficialTieResource,
            lambda qs: OfficialTie.objects.filter(official__in=qs.values("pk")).select_related(
                "official__park", "enterprise"
            ),
        )
    ]
    filterset_class = OfficialFilter
    select_related = ("park",)
    template_name = "risks/official_list.html"

    def get_queryset(self):
        return super().get_queryset().prefetch_related("ties__enterprise")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_edit"] = self.request.user.can_edit_risk_ledgers
        context["blank_tie_form"] = TieForm(user=self.request.user)
        return context

    def post(self, request):
        if not request.user.can_edit_risk_ledgers:
            raise PermissionDenied(refusals.FOR_RISK_LEDGER_KEEPERS)
        official = get_object_or_404(Official.objects.visible_to(request.user), pk=posted_id(request, "official"))
        form = TieForm(request.POST, user=request.user, instance=official.ties.model(official=official))
        if form.is_valid():
            try:
                services.tie_add(actor=request.user, tie=form.instance)
            except ValidationError as error:
                add_validation_error(form, error)
            else:
                messages.success(request, _("Entry added to the register."))
                return redirect(f"{request.path}?park={official.park_id}")
        self.object_list = self.get_queryset()
        return self.render_to_response(self.get_context_data(tie_form=form, tie_official_id=official.pk))


class OfficialFormView(LedgerFormView):
    model = Official
    form_class = OfficialForm
    title_new = gettext_lazy("New official in the register")
    title_edit = gettext_lazy("Edit official")


# --- 预警 ----------------------------------------------------------------------------------------------


SEVERITY_RANK = Case(
    When(severity=Severity.HIGH, then=Value(3)),
    When(severity=Severity.MEDIUM, then=Value(2)),
    default=Value(1),
    output_field=IntegerField(),
)


@exportable("alerts")
class AlertListView(StaffMixin, FilteredListView):
    model = Alert
    export_sheets = [Sheet("预警", AlertResource, lambda qs: qs.select_related("park"))]
    filterset_class = AlertFilter
    select_related = ("park",)
    template_name = "risks/alert_list.html"

    def get_base_queryset(self):
        queryset = super().get_base_queryset()
        if not {"live", "status", "attention"} & set(self.request.GET):
            queryset = queryset.needing_attention()
        return queryset.annotate(severity_rank=SEVERITY_RANK).order_by("-severity_rank", "-first_seen", "pk")


class AlertDetailView(StaffMixin, ScopedQuerysetMixin, View):
    model = Alert

    def get(self, request, pk, form=None, status=200):
        alert = get_object_or_404(self.get_queryset().select_related("park", "decided_by"), pk=pk)
        history = alert.history.select_related("history_user").order_by("-history_date")
        return render(
            request,
            "risks/alert_detail.html",
            {"alert": alert, "form": form or DismissForm(), "history": history, "target": alert.target},
            status=status,
        )

    def post(self, request, pk):
        alert = get_object_or_404(self.get_queryset(), pk=pk)
        if request.POST.get("action") == "reopen":
            try:
                services.alert_reopen(alert=alert, actor=request.user)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            return redirect(alert)
        form = DismissForm(request.POST)
        if form.is_valid():
            try:
                services.alert_dismiss(alert=alert, actor=request.user, reason=form.cleaned_data["reason"])
            except ValidationError as error:
                add_validation_error(form, error)
            else:
                messages.success(request, _("Alert dismissed; the reason is kept in its history."))
                return redirect(alert)
        return self.get(request, pk, form=form)
