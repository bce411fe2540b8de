"""Appointments: the supervisors' activity per term (commission admins renew or end appointments from it),
appointing a supervisor, an appointment's page (its supervisor reads it too)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View

from accounts import refusals
from core.columns import ColumnsTableMixin
from core.exports import Sheet, exportable
from core.forms import add_validation_error
from core.history import change_history
from core.views import FilteredListView, ScopedQuerysetMixin

from . import services
from .columns import ACTIVITY
from .filters import AppointmentFilter
from .forms import AppointmentForm, EndForm, RenewForm
from .models import Appointment
from .resources import ActivityResource
from .selectors import with_activity


def _history(appointment: Appointment) -> list:
    """The audit trail of the appointment's own fields (its parks' changes are recorded, shown in the admin)."""
    parks = str(Appointment._meta.get_field("parks").verbose_name)
    entries = change_history(appointment)
    for entry in entries:
        entry.changes = [change for change in entry.changes if change.label != parks]
    return entries


class AdminsOnlyMixin(LoginRequiredMixin):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not request.user.is_commission_admin:
            raise PermissionDenied(refusals.FOR_COMMISSION_ADMINS)
        return super().dispatch(request, *args, **kwargs)


@exportable("supervisor-activity")
class ActivityView(AdminsOnlyMixin, ColumnsTableMixin, FilteredListView):
    """Per supervisor and term: observations filed, accepted, filed away, asked back, waiting."""

    model = Appointment
    columns = ACTIVITY
    export_sheets = [Sheet(ACTIVITY.title, ActivityResource, lambda qs: qs.prefetch_related("parks"))]
    filterset_class = AppointmentFilter
    select_related = ("supervisor",)
    template_name = "supervision/activity.html"

    def get_base_queryset(self):
        return with_activity(super().get_base_queryset()).prefetch_related("parks").order_by("-starts_on", "-pk")


class AppointmentCreateView(AdminsOnlyMixin, View):
    template_name = "supervision/appointment_form.html"

    def get(self, request):
        return render(request, self.template_name, {"form": AppointmentForm(user=request.user)})

    def post(self, request):
        form = AppointmentForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                appointment = services.appointment_save(
                    actor=request.user, appointment=form.instance, parks=form.cleaned_data["parks"]
                )
            except ValidationError as error:
                add_validation_error(form, error)
            else:
                messages.success(request, _("Supervisor appointed."))
                return redirect(appointment)
        return render(request, self.template_name, {"form": form})


class AppointmentDetailView(ScopedQuerysetMixin, View):
    """The commission admin's page of an appointment (renew, end, history); its supervisor reads it."""

    model = Appointment

    def get_object(self, pk):
        appointment = get_object_or_404(self.get_queryset().select_related("supervisor"), pk=pk)
        user = self.request.user
        if not (user.is_commission_admin or appointment.supervisor_id == user.pk):
            raise PermissionDenied(refusals.FOR_COMMISSION_ADMINS)
        return appointment

    def get(self, request, pk, renew_form=None, end_form=None, status=200):
        appointment = self.get_object(pk)
        context = {
            "appointment": with_activity(Appointment.objects.filter(pk=appointment.pk)).get(),
            "parks": appointment.parks.all(),
        }
        if request.user.is_commission_admin:
            context.update(
                renew_form=renew_form or RenewForm(prefix="renew"),
                end_form=end_form or EndForm(prefix="end"),
                history=_history(appointment),
            )
        return render(request, "supervision/appointment_detail.html", context, status=status)

    def post(self, request, pk):
        appointment = self.get_object(pk)
        if not request.user.is_commission_admin:
            raise PermissionDenied(refusals.FOR_COMMISSION_ADMINS)
        if request.POST.get("action") == "end":
            form, call = EndForm(request.POST, prefix="end"), services.appointment_end
            done = _("The appointment has ended.")
        else:
            form, call = RenewForm(request.POST, prefix="renew"), services.appointment_renew
            done = _("The term is extended.")
        if form.is_valid():
            try:
                call(actor=request.user, appointment=appointment, **form.cleaned_data)
            except ValidationError as error:
                add_validation_error(form, error)
            else:
                messages.success(request, done)
                return redirect(appointment)
        forms = {"end_form": form} if isinstance(form, EndForm) else {"renew_form": form}
        return self.get(request, pk, **forms)
