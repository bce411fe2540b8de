"""The complaint queue and the handling page, for inspectors, commission admins and park officers."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy
from django.views import View

from accounts import refusals
from accounts.choices import Role
from core.columns import ColumnsTableMixin
from core.exports import Sheet, exportable
from core.forms import add_validation_error
from core.uploads import attachment_response
from core.views import FilteredListView
from core.workflow import TransitionNotAllowed

from .. import services
from ..columns import COMPLAINTS
from ..filters import ComplaintFilter
from ..forms import AssignForm, InternalNoteForm, NoteForm, RejectForm, ReplyForm
from ..models import Complaint
from ..resources import ComplaintResource
from ..selectors import (
    can_see_identity,
    complaint_attachments_for,
    complaint_queue,
    complaint_timeline,
    is_staff_reader,
)
from ..workflow import MACHINE, may_take
from .carried import tracked_pks


class StaffOnlyMixin(LoginRequiredMixin):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not is_staff_reader(request.user):
            raise PermissionDenied(refusals.FOR_STAFF)
        return super().dispatch(request, *args, **kwargs)


@exportable("complaints")
class ComplaintListView(StaffOnlyMixin, ColumnsTableMixin, FilteredListView):
    model = Complaint
    columns = COMPLAINTS
    export_sheets = [
        Sheet(
            COMPLAINTS.title,
            ComplaintResource,
            lambda qs: qs.select_related("park", "assigned_to", "complainant"),
            hidden_unless=can_see_identity,
        )
    ]
    filterset_class = ComplaintFilter
    template_name = "complaints/complaint_list.html"

    def get_base_queryset(self):
        return complaint_queue(user=self.request.user)

    def sees_identity(self) -> bool:
        return can_see_identity(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_see_identity"] = self.sees_identity()
        if context["can_see_identity"]:
            from parks.models import Park

            context["window_parks"] = Park.objects.visible_to(self.request.user).filter(is_active=True)
        return context


# Each step: the form that carries its input, and how the service is called with the cleaned data.
STEPS = {
    "accept": (NoteForm, lambda c, u, d: services.complaint_accept(complaint=c, actor=u, note=d["note"])),
    "reject": (RejectForm, lambda c, u, d: services.complaint_reject(complaint=c, actor=u, reason=d["reason"])),
    "assign": (
        AssignForm,
        lambda c, u, d: services.complaint_assign(
            complaint=c,
            actor=u,
            officer=d["officer"],
            instructions=d["instructions"],
            share_attachments=d["share_attachments"],
            seen_assignee=d["seen_assignee"],
        ),
    ),
    "start": (None, lambda c, u, d: services.complaint_start(complaint=c, actor=u)),
    "reply": (
        ReplyForm,
        lambda c, u, d: services.complaint_reply(complaint=c, actor=u, text=d["text"], files=d["files"]),
    ),
    "close": (NoteForm, lambda c, u, d: services.complaint_close(complaint=c, actor=u, note=d["note"])),
    "note": (InternalNoteForm, lambda c, u, d: services.complaint_add_note(complaint=c, actor=u, text=d["text"])),
}

SUCCESS = {
    "accept": gettext_lazy("The complaint is accepted."),
    "reject": gettext_lazy("The complaint is marked as not accepted."),
    "assign": gettext_lazy("The complaint is assigned."),
    "start": gettext_lazy("Handling started."),
    "reply": gettext_lazy("The reply is sent to the complainant."),
    "close": gettext_lazy("The complaint is closed."),
    "note": gettext_lazy("Note added."),
}


def _steps_for(complaint: Complaint, user) -> list[str]:
    """The steps this user may take now (the buttons shown); services check again on submit."""
    return [t.name for t in MACHINE.available(complaint) if may_take(complaint, user, t.name)]


class ComplaintDetailView(StaffOnlyMixin, View):
    template_name = "complaints/complaint_detail.html"

    def get_complaint(self, pk) -> Complaint:
        return get_object_or_404(complaint_queue(user=self.request.user), pk=pk)

    def get(self, request, pk):
        return self.render(request, self.get_complaint(pk))

    def post(self, request, pk):
        complaint = self.get_complaint(pk)
        step = request.POST.get("step", "")
        if step not in STEPS:
            raise Http404
        form_class, call = STEPS[step]
        form = None
        if form_class is not None:
            kwargs = {"complaint": complaint} if form_class is AssignForm else {}
            form = form_class(request.POST, request.FILES, **kwargs)
        try:
            if form is not None and not form.is_valid():
                return self.render(request, complaint, step, form, status=200)
            call(complaint, request.user, form.cleaned_data if form is not None else {})
        except TransitionNotAllowed as error:
            messages.error(request, error.message)
            fresh = self.get_complaint(pk)
            if isinstance(form, AssignForm):  # keep what was typed, but as seen now: a second click re-assigns
                form.data = form.data.copy()
                form.data["seen_assignee"] = fresh.assigned_to_id or ""
            return self.render(request, fresh, step, form, status=409)
        except ValidationError as error:
            if form is None:
                messages.error(request, " ".join(error.messages))
            else:
                add_validation_error(form, error)
            return self.render(request, complaint, step, form, status=200)
        messages.success(request, SUCCESS[step])
        try:
            return redirect(self.get_complaint(pk))
        except Http404:
            return redirect("complaints:list")

    def render(self, request, complaint, failed_step=None, failed_form=None, status=200):
        user = request.user
        actions, no_officer = [], None
        for name in _steps_for(complaint, user):
            form_class, form = STEPS[name][0], None
            if name == failed_step and failed_form is not None:
                form = failed_form
            elif form_class is AssignForm:
                form = AssignForm(complaint=complaint, initial={"officer": complaint.assigned_to_id})
            elif form_class is not None:
                form = form_class()
            if isinstance(form, AssignForm) and not form.has_officers:
                no_officer = _no_officer_notice(complaint, user)
                continue
            actions.append((name, MACHINE[name].label, form))
        return render(
            request,
            self.template_name,
            {
                "complaint": complaint,
                "can_see_identity": can_see_identity(user),
                "events": complaint_timeline(complaint=complaint, public_only=False),
                "attachments": list(complaint_attachments_for(complaint=complaint, user=user, as_complainant=False)),
                "actions": actions,
                "failed_step": failed_step,
                "no_officer": no_officer,
            },
            status=status,
        )


def _no_officer_notice(complaint: Complaint, user) -> dict:
    """Instead of an empty list of officers: the park has none, and (for the commission admin, who keeps
    the users) a link to add one with the role and the park already chosen."""
    add_url = None
    if user.is_commission_admin:
        query = urlencode({"role": Role.PARK_OFFICER, "parks": complaint.park_id})
        add_url = f"{reverse('admin:accounts_user_add')}?{query}"
    return {"park": complaint.park, "add_url": add_url}


def attachment(request, pk: int):
    """Attachments are private: served only to staff who see the complaint (and, for park officers,
    only replies or what the inspector chose to share), or to the complainant who opened it."""
    from ..selectors import attachment_for_download

    item = attachment_for_download(pk)
    if item is None:
        raise Http404
    complaint = item.complaint
    allowed = False
    if complaint.pk in tracked_pks(request):
        allowed = item.from_complainant or item.event is None or item.event.is_public
    elif request.user.is_authenticated:
        if is_staff_reader(request.user):
            visible = Complaint.objects.visible_to(request.user).filter(pk=complaint.pk).exists()
            allowed = (
                visible
                and complaint_attachments_for(complaint=complaint, user=request.user, as_complainant=False)
                .filter(pk=item.pk)
                .exists()
            )
        else:
            allowed = Complaint.objects.visible_to(request.user).filter(pk=complaint.pk).exists()
    if not allowed:
        raise Http404
    return attachment_response(item)


class MyComplaintsView(LoginRequiredMixin, View):
    """Enterprise users: every complaint their enterprise filed under its name (anonymous ones are not
    linked to anybody and are followed with their tracking code)."""

    def get(self, request):
        if request.user.enterprise_id is None:  # staff follow complaints in the queue, not here
            return redirect("complaints:list")
        complaints = Complaint.objects.visible_to(request.user).select_related("park").order_by("-submitted_at")
        return render(request, "complaints/my_complaints.html", {"complaints": complaints})
