"""Inspections, findings, rectification tasks and their board, visits and demands, and the inbox."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from accounts import refusals
from accounts.choices import Role
from core.columns import ColumnsTableMixin
from core.exports import Sheet, exportable
from core.forms import add_validation_error
from core.models import Notification
from core.notifications import mark_read
from core.uploads import attachment_response
from core.views import FilteredListView, ScopedQuerysetMixin, posted_id
from core.workflow import TransitionNotAllowed
from parks.models import Park
from risks.choices import RiskDomain

from . import finding_hooks, services
from .choices import DemandKind
from .columns import DEMANDS, FINDINGS, INSPECTIONS, TASKS, VISITS
from .filters import DemandFilter, InspectionFilter, TaskFilter, VisitFilter
from .forms import (
    ComplaintFindingForm,
    DemandForm,
    FindingForm,
    InspectionForm,
    MeasureForm,
    ReturnForm,
    SolveForm,
    SubmitForm,
    TaskForm,
    VisitForm,
)
from .models import AccountabilityMeasure, Demand, Finding, Inspection, RectificationTask, TaskAttachment, Visit
from .resources import DemandResource, FindingResource, InspectionResource, TaskResource, VisitResource
from .selectors import days_left, demand_board, task_board
from .workflow import inspection_steps_for, may_take_task_step, task_steps_for


class NotEnterpriseMixin(LoginRequiredMixin):
    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if user.is_authenticated and not user.is_staff_reader:
            raise PermissionDenied(refusals.FOR_STAFF)
        return super().dispatch(request, *args, **kwargs)


class StaffOnlyMixin(LoginRequiredMixin):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not request.user.is_commission_staff:
            raise PermissionDenied(refusals.FOR_COMMISSION_STAFF)
        return super().dispatch(request, *args, **kwargs)


# --- inspections -----------------------------------------------------------------------------------------


@exportable("inspections")
class InspectionListView(NotEnterpriseMixin, ColumnsTableMixin, FilteredListView):
    model = Inspection
    columns = INSPECTIONS
    export_sheets = [
        Sheet(INSPECTIONS.title, InspectionResource),
        Sheet(
            FINDINGS.title,
            FindingResource,
            lambda qs: Finding.objects.filter(inspection__in=qs.values("pk")).select_related("inspection", "park"),
        ),
    ]
    filterset_class = InspectionFilter
    template_name = "inspections/inspection_list.html"

    def get_base_queryset(self):
        return super().get_base_queryset().prefetch_related("parks")


class InspectionFormView(StaffOnlyMixin, ScopedQuerysetMixin, View):
    model = Inspection

    def get_object(self):
        return get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"]) if "pk" in self.kwargs else None

    def get(self, request, **kwargs):
        obj = self.get_object()
        initial = {} if obj else {"team": [request.user.pk], "starts_on": timezone.localdate()}
        return self.render(obj, InspectionForm(instance=obj, initial=initial, user=request.user))

    def post(self, request, **kwargs):
        obj = self.get_object()
        form = InspectionForm(request.POST, instance=obj, user=request.user)
        if form.is_valid():
            try:
                inspection = services.inspection_save(
                    actor=request.user,
                    inspection=form.instance,
                    parks=form.cleaned_data["parks"],
                    team=form.cleaned_data["team"],
                )
            except ValidationError as error:
                add_validation_error(form, error)
            else:
                messages.success(request, _("Saved."))
                return redirect(inspection)
        return self.render(obj, form)

    def render(self, obj, form):
        title = _("Edit inspection") if obj else _("New inspection")
        return render(self.request, "inspections/form.html", {"form": form, "object": obj, "title": title})


class InspectionDetailView(NotEnterpriseMixin, ScopedQuerysetMixin, View):
    model = Inspection

    def get_object(self, pk):
        return get_object_or_404(self.get_queryset().prefetch_related("parks", "team"), pk=pk)

    def get(self, request, pk, finding_form=None, status=200):
        inspection = self.get_object(pk)
        parks = Park.objects.visible_to(request.user).filter(pk__in=inspection.parks.all())
        findings = (
            Finding.objects.visible_to(request.user)
            .filter(inspection=inspection)
            .select_related("park")
            .prefetch_related("tasks")
        )
        return render(
            request,
            "inspections/inspection_detail.html",
            {
                "inspection": inspection,
                "findings": findings,
                "steps": inspection_steps_for(inspection, request.user),
                "own_parks": set(parks),  # the others of a joint inspection are named, not linked (they would be 404)
                "finding_form": finding_form or FindingForm(parks=parks, initial={"park": parks.first()}),
            },
            status=status,
        )

    def post(self, request, pk):
        if not request.user.is_commission_staff:
            raise PermissionDenied(refusals.FOR_COMMISSION_STAFF)
        inspection = self.get_object(pk)
        if "step" in request.POST:
            try:
                services.inspection_step(actor=request.user, inspection=inspection, step=request.POST["step"])
            except TransitionNotAllowed as error:
                messages.error(request, error.message)
            except KeyError as error:
                raise Http404 from error
            return redirect(inspection)
        parks = Park.objects.visible_to(request.user).filter(pk__in=inspection.parks.all())
        form = FindingForm(request.POST, parks=parks, instance=Finding(inspection=inspection))
        if form.is_valid():
            try:
                finding = services.finding_record(actor=request.user, finding=form.instance)
            except ValidationError as error:
                add_validation_error(form, error)
            else:
                messages.success(request, _("Finding recorded. Now assign its rectification."))
                return redirect(finding)
        return self.get(request, pk, finding_form=form)


# --- findings and tasks ------------------------------------------------------------------------------------


class FindingDetailView(NotEnterpriseMixin, ScopedQuerysetMixin, View):
    model = Finding

    def get(self, request, pk, task_form=None):
        finding = get_object_or_404(
            self.get_queryset()
            .select_related("park", "inspection", "alert", "complaint")
            .with_complaint_visibility(request.user),
            pk=pk,
        )
        tasks = RectificationTask.objects.visible_to(request.user).filter(finding=finding).select_related("owner")
        return render(
            request,
            "inspections/finding_detail.html",
            {
                "finding": finding,
                "tasks": [(task, days_left(task)) for task in tasks],
                "task_form": task_form or (TaskForm(finding=finding) if request.user.is_commission_staff else None),
                "extension_panels": finding_hooks.panels(request, finding),
            },
        )

    def post(self, request, pk):
        finding = get_object_or_404(self.get_queryset(), pk=pk)
        form = TaskForm(request.POST, finding=finding)
        if form.is_valid():
            try:
                task = services.task_assign(actor=request.user, finding=finding, **form.cleaned_data)
            except ValidationError as error:
                add_validation_error(form, error)
            else:
                messages.success(request, _("Rectification task assigned; its owner has been notified."))
                return redirect(task)
        return self.get(request, pk, task_form=form)


@exportable("tasks")
class TaskBoardView(NotEnterpriseMixin, ColumnsTableMixin, FilteredListView):
    """The rectification board (inspectors) — for a park officer, "my tasks"."""

    model = RectificationTask
    columns = TASKS
    filterset_class = TaskFilter
    export_sheets = [Sheet(TASKS.title, TaskResource)]
    template_name = "inspections/task_board.html"

    def get_base_queryset(self):
        return task_board(user=self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["mine"] = self.request.user.role == Role.PARK_OFFICER
        return context


# Each step of a task: the form that carries its input (None: a button alone) and how the service is
# called with the cleaned data. Who may take which step is ``workflow.task_refusal``, asked by the
# buttons (``task_steps_for``) and by the services.
TASK_STEPS = {
    "start": (None, lambda t, u, d: services.task_start(actor=u, task=t)),
    "submit": (SubmitForm, lambda t, u, d: services.task_submit(actor=u, task=t, **d)),
    "verify": (None, lambda t, u, d: services.task_verify(actor=u, task=t)),
    "return": (ReturnForm, lambda t, u, d: services.task_return(actor=u, task=t, reason=d["reason"])),
    "measure": (
        MeasureForm,
        lambda t, u, d: services.measure_record(actor=u, measure=AccountabilityMeasure(task=t, **d)),
    ),
}


class TaskDetailView(NotEnterpriseMixin, ScopedQuerysetMixin, View):
    model = RectificationTask

    def get_task(self, pk):
        return get_object_or_404(self.get_queryset().select_related("finding", "park", "owner", "verified_by"), pk=pk)

    def get(self, request, pk, forms=None, status=200):
        task = self.get_task(pk)
        user = request.user
        forms = forms or {}
        return render(
            request,
            "inspections/task_detail.html",
            {
                "task": task,
                "days_left": days_left(task),
                "steps": task_steps_for(task, user),
                "submit_form": forms.get("submit")
                or SubmitForm(initial={"evidence": task.evidence, "recovered_losses": task.recovered_losses}),
                "return_form": forms.get("return") or ReturnForm(),
                "measure_form": forms.get("measure")
                or (MeasureForm() if may_take_task_step(task, user, "measure") else None),
                "measures": task.measures_taken.all(),
                "attachments": task.attachments.all(),
                "history": task.history.select_related("history_user").order_by("-history_date")[:20],
            },
            status=status,
        )

    def post(self, request, pk):
        task = self.get_task(pk)
        step = request.POST.get("step", "")
        if step not in TASK_STEPS:
            raise Http404
        form_class, call = TASK_STEPS[step]
        form = form_class(request.POST, request.FILES) if form_class is not None else None
        if form is not None and not form.is_valid():
            return self.get(request, pk, forms={step: form})
        try:
            call(task, request.user, form.cleaned_data if form is not None else {})
        except TransitionNotAllowed as error:
            messages.error(request, error.message)
            return self.get(request, pk, status=409)
        except ValidationError as error:
            if form is None:
                messages.error(request, " ".join(error.messages))
                return self.get(request, pk)
            add_validation_error(form, error)
            return self.get(request, pk, forms={step: form})
        messages.success(request, _("Done."))
        return redirect(task)


def task_attachment(request, pk: int):
    if not request.user.is_authenticated:
        raise Http404
    item = get_object_or_404(TaskAttachment.objects.select_related("task"), pk=pk)
    if not RectificationTask.objects.visible_to(request.user).filter(pk=item.task_id).exists():
        raise Http404
    return attachment_response(item)


class AlertToFindingView(StaffOnlyMixin, View):
    def post(self, request, pk):
        from risks.models import Alert

        alert = get_object_or_404(Alert.objects.visible_to(request.user), pk=pk)
        extra = finding_hooks.ExtraFindingForm(request.POST, user=request.user, park_id=alert.park_id)
        if not extra.is_valid():
            messages.error(request, " ".join(str(m) for errors in extra.errors.values() for m in errors))
            return redirect(alert)
        try:
            finding = services.finding_from_alert(actor=request.user, alert=alert, extra=extra.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(alert)
        messages.success(request, _("The alert is now a finding: assign its rectification."))
        return redirect(finding)


class ComplaintToFindingView(StaffOnlyMixin, View):
    """Turn a complaint into a finding: the inspector writes the summary officers of the park will read
    (pre-filled with the kind of problem and whom it is about, never the complainant's words)."""

    template_name = "inspections/complaint_finding.html"

    def get_complaint(self, pk):
        from complaints.models import Complaint

        return get_object_or_404(Complaint.objects.visible_to(self.request.user), pk=pk)

    def get(self, request, pk):
        complaint = self.get_complaint(pk)
        existing = complaint.findings.first()
        if existing:
            return redirect(existing)
        initial = {
            "description": services.complaint_finding_summary(complaint),
            "category": RiskDomain.SERVICE,
            "responsible_unit": complaint.subject[:100],
        }
        extra = finding_hooks.ExtraFindingForm(user=request.user, park_id=complaint.park_id)
        return self.render(complaint, ComplaintFindingForm(initial=initial), extra)

    def post(self, request, pk):
        complaint = self.get_complaint(pk)
        form = ComplaintFindingForm(request.POST)
        extra = finding_hooks.ExtraFindingForm(request.POST, user=request.user, park_id=complaint.park_id)
        if form.is_valid() and extra.is_valid():
            try:
                finding = services.finding_from_complaint(
                    actor=request.user, complaint=complaint, finding=form.instance, extra=extra.cleaned_data
                )
            except ValidationError as error:
                add_validation_error(form, error)
            else:
                messages.success(request, _("The complaint is now a finding: assign its rectification."))
                return redirect(finding)
        return self.render(complaint, form, extra)

    def render(self, complaint, form, extra):
        context = {"complaint": complaint, "form": form, "extra_form": extra}
        return render(self.request, self.template_name, context)


# --- visits and demands ----------------------------------------------------------------------------------


@exportable("visits")
class VisitListView(NotEnterpriseMixin, ColumnsTableMixin, FilteredListView):
    model = Visit
    columns = VISITS
    export_sheets = [
        Sheet(VISITS.title, VisitResource, lambda qs: qs.select_related("park", "enterprise", "visitor")),
        Sheet(
            DEMANDS.title,
            DemandResource,
            lambda qs: Demand.objects.filter(visit__in=qs.values("pk")).select_related(
                "visit__park", "visit__enterprise"
            ),
        ),
    ]
    filterset_class = VisitFilter
    select_related = ("park", "enterprise", "visitor")
    template_name = "inspections/visit_list.html"

    def get_base_queryset(self):
        return super().get_base_queryset().prefetch_related("demands")


class VisitFormView(StaffOnlyMixin, View):
    def get(self, request):
        form = VisitForm(user=request.user, initial={"enterprise": request.GET.get("enterprise")})
        return render(request, "inspections/form.html", {"form": form, "title": _("Record a visit")})

    def post(self, request):
        form = VisitForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                visit = services.visit_record(actor=request.user, visit=form.instance)
            except ValidationError as error:
                add_validation_error(form, error)
            else:
                messages.success(request, _("Visit recorded. Add the demands the enterprise raised."))
                return redirect(visit)
        return render(request, "inspections/form.html", {"form": form, "title": _("Record a visit")})


class VisitDetailView(NotEnterpriseMixin, ScopedQuerysetMixin, View):
    model = Visit

    def get(self, request, pk, demand_form=None, solve_forms=None):
        visit = get_object_or_404(self.get_queryset().select_related("park", "enterprise", "visitor"), pk=pk)
        solve_forms = solve_forms or {}
        demands = [
            (d, solve_forms.get(d.pk) or SolveForm(initial={"solved_on": timezone.localdate()}))
            for d in visit.demands.all()
        ]
        return render(
            request,
            "inspections/visit_detail.html",
            {"visit": visit, "demands": demands, "demand_form": demand_form or DemandForm()},
        )

    def post(self, request, pk):
        visit = get_object_or_404(self.get_queryset(), pk=pk)
        if "demand" in request.POST:
            demand = get_object_or_404(
                Demand.objects.visible_to(request.user), pk=posted_id(request, "demand"), visit=visit
            )
            form = SolveForm(request.POST)
            if form.is_valid():
                try:
                    services.demand_solve(actor=request.user, demand=demand, **form.cleaned_data)
                except ValidationError as error:
                    add_validation_error(form, error)
                else:
                    messages.success(request, _("Demand marked as solved."))
                    return redirect(visit)
            return self.get(request, pk, solve_forms={demand.pk: form})
        form = DemandForm(request.POST, instance=Demand(visit=visit))
        if form.is_valid():
            try:
                services.demand_record(actor=request.user, demand=form.instance)
            except ValidationError as error:
                add_validation_error(form, error)
            else:
                messages.success(request, _("Demand recorded."))
                return redirect(visit)
        return self.get(request, pk, demand_form=form)


@exportable("demands")
class DemandBoardView(NotEnterpriseMixin, ColumnsTableMixin, FilteredListView):
    model = Demand
    columns = DEMANDS
    export_sheets = [Sheet(DEMANDS.title, DemandResource)]
    filterset_class = DemandFilter
    select_related = ("visit__park", "visit__enterprise")
    template_name = "inspections/demand_board.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        kinds = dict(DemandKind.choices)
        context["board"] = [
            {**row, "kind_label": kinds.get(row["kind"], row["kind"])} for row in demand_board(self.filterset.qs)
        ]
        return context


# --- inbox ---------------------------------------------------------------------------------------------


class InboxView(LoginRequiredMixin, View):
    def get(self, request):
        items = Notification.objects.for_user(request.user)[:200]
        return render(request, "inspections/inbox.html", {"items": items})

    def post(self, request):
        ids = request.POST.getlist("id") or None
        mark_read(request.user, ids)
        return redirect("inspections:inbox")


def open_notification(request, pk: int):
    if not request.user.is_authenticated:
        raise Http404
    item = get_object_or_404(Notification.objects.for_user(request.user), pk=pk)
    mark_read(request.user, [item.pk])
    return redirect(item.link or "inspections:inbox")
