"""The ledger pages: risk points, 三重一大 decisions, subsidies (with their payments), engineering projects
(with contracts and change orders) and the conflict-of-interest register. Each list's table and export
come from the ledger's column declaration (risks.columns). Writes go through services."""

from __future__ import annotations

from collections import Counter

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts import refusals
from core.exports import Sheet, exportable
from core.forms import add_validation_error
from core.views import FilteredListView, posted_id

from .. import services
from ..columns import BIDS, CHANGE_ORDERS, CONFLICTS, CONTRACTS, DECISIONS, PAYMENTS, PROJECTS, RISK_POINTS, SUBSIDIES
from ..filters import DecisionFilter, OfficialFilter, ProjectFilter, RiskPointFilter, SubsidyFilter
from ..forms import (
    BidForm,
    ChangeOrderForm,
    ContractForm,
    DecisionForm,
    OfficialForm,
    PaymentForm,
    ProjectForm,
    RiskPointForm,
    SubsidyForm,
    TieForm,
)
from ..models import (
    Alert,
    Bid,
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
from ..resources import (
    BidResource,
    ChangeOrderResource,
    ContractResource,
    DecisionResource,
    OfficialTieResource,
    PaymentResource,
    ProjectResource,
    RiskPointResource,
    SubsidyResource,
)
from ..selectors import live_alert_counts
from .base import LedgerDetailView, LedgerFormView, LedgerListView, StaffMixin

# --- 廉政风险点 -------------------------------------------------------------------------------------


@exportable("riskpoints")
class RiskPointListView(LedgerListView):
    model = RiskPoint
    export_sheets = [Sheet(RISK_POINTS.title, RiskPointResource, lambda qs: qs.select_related("park"))]
    filterset_class = RiskPointFilter
    select_related = ("park",)
    title = gettext_lazy("Integrity risk points")
    create_url_name = "risks:riskpoint-create"
    columns = RISK_POINTS


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
    export_sheets = [Sheet(DECISIONS.title, DecisionResource, lambda qs: qs.select_related("park"))]
    filterset_class = DecisionFilter
    select_related = ("park",)
    title = gettext_lazy("'Three majors, one large' decisions")
    create_url_name = "risks:decision-create"
    columns = DECISIONS


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
        Sheet(SUBSIDIES.title, SubsidyResource),
        Sheet(
            PAYMENTS.title,
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
    columns = SUBSIDIES

    def get_base_queryset(self):
        return (
            Subsidy.objects.visible_to(self.request.user)
            .with_outstanding()
            .select_related("park", "enterprise")
            .order_by("park_id", "-approved_on", "pk")  # the index subsidy_list_order (by park, newest first)
        )


class SubsidyDetailView(LedgerDetailView):
    model = Subsidy
    select_related = ("park", "enterprise")
    template_name = "risks/subsidy_detail.html"

    def get_queryset(self):
        return super().get_queryset().with_outstanding()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # The payments' table: the subsidy's own columns are this page's title.
        table = PAYMENTS.without("credit_code", "policy", "period")
        context["payment_table"] = table.table_of(self.object.payments.all())
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
        Sheet(PROJECTS.title, ProjectResource, lambda qs: qs.select_related("park")),
        Sheet(
            CONTRACTS.title,
            ContractResource,
            lambda qs: Contract.objects.filter(project__in=qs.values("pk")).select_related(
                "project__park", "contractor"
            ),
        ),
        Sheet(
            CHANGE_ORDERS.title,
            ChangeOrderResource,
            lambda qs: ChangeOrder.objects.filter(contract__project__in=qs.values("pk")).select_related("contract"),
        ),
        Sheet(
            BIDS.title,
            BidResource,
            lambda qs: Bid.objects.filter(project__in=qs.values("pk")).select_related("project__park", "enterprise"),
        ),
    ]
    filterset_class = ProjectFilter
    select_related = ("park",)
    title = gettext_lazy("Engineering projects")
    create_url_name = "risks:project-create"
    columns = PROJECTS

    def alert_counts(self, page):
        contracts = Contract.objects.filter(project__in=[row.pk for row in page]).values_list("pk", "project_id")
        by_contract = live_alert_counts(Contract, [pk for pk, _project in contracts])
        counts = Counter(live_alert_counts(Project, [row.pk for row in page]))  # the project's own (bid rigging)
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
        for contract in contracts:
            running += contract.amount + contract.changes_total
            contract.running_total = running
            contract.live_alerts = contract_alerts.get(contract.pk, [])
            contract.alert_count = counts.get(contract.pk, 0)
        # The contracts' table: the project's own columns are this page's title.
        table = CONTRACTS.without(
            "project", "contractor", "budget", row_class=lambda c: "row-alerted" if c.alert_count else ""
        )
        context["contracts"] = contracts
        context["contract_table"] = table.table_of(contracts)
        context["grand_total"] = running
        # The bidders, the winners first and marked (the project's own columns are the page's title).
        bids = Bid.objects.filter(project=self.object).select_related("enterprise")
        context["bid_table"] = BIDS.without("park", "project").table_of(bids)
        context.setdefault("bid_form", BidForm(user=self.request.user))
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
        if request.POST.get("form") == "bid":
            form = BidForm(request.POST, user=request.user, instance=Bid(project=self.object))
            if form.is_valid():
                try:
                    services.bid_save(actor=request.user, bid=form.instance)
                except ValidationError as error:
                    add_validation_error(form, error)
                else:
                    messages.success(request, _("Bid recorded."))
                    return redirect(self.object)
            return self.render_to_response(self.get_context_data(bid_form=form))
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
            CONFLICTS.title,
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
        # Each official's ties: the register's table, without the official's own columns (the card says them).
        # A tie is added on its own page (OfficialTieAddView): no form here, whose <select> would list
        # every enterprise in scope once per official.
        ties = CONFLICTS.without("park", "official", "position", "credit_code")
        context["officials"] = [(official, ties.table_of(official.ties.all())) for official in context["object_list"]]
        context["can_edit"] = self.request.user.can_edit_risk_ledgers
        return context


class OfficialTieAddView(LedgerFormView):
    """Add an enterprise to an official's entry. The enterprise is typed — full name or credit code —
    and looked up among the user's enterprises (TieForm); an official outside the user's parks is a 404."""

    model = Official
    form_class = TieForm
    select_related = ("park",)
    template_name = "risks/official_tie_form.html"

    def get(self, request, **kwargs):
        official = self.get_object()
        return self.render(official, self.form_class(user=request.user))

    def post(self, request, **kwargs):
        official = self.get_object()
        form = self.form_class(request.POST, user=request.user, instance=OfficialTie(official=official))
        if form.is_valid():
            try:
                services.tie_add(actor=request.user, tie=form.instance)
            except ValidationError as error:
                add_validation_error(form, error)
            else:
                messages.success(request, _("Entry added to the register."))
                return redirect(official)
        return self.render(official, form)

    def render(self, obj, form):
        context = {"form": form, "object": obj, "candidates": form.fields["enterprise"].candidates}
        return render(self.request, self.template_name, context)


class OfficialFormView(LedgerFormView):
    model = Official
    form_class = OfficialForm
    title_new = gettext_lazy("New official in the register")
    title_edit = gettext_lazy("Edit official")
