"""The alert list (those needing attention first, by severity) and an alert's page, where an inspector
dismisses it with a reason or reopens it."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View

from core.columns import ColumnsTableMixin
from core.exports import Sheet, exportable
from core.forms import add_validation_error
from core.views import FilteredListView, ScopedQuerysetMixin

from .. import services
from ..columns import ALERTS
from ..filters import AlertFilter
from ..forms import DismissForm
from ..models import Alert
from ..models.alerts import SEVERITY_RANK
from ..resources import AlertResource
from .base import StaffMixin


@exportable("alerts")
class AlertListView(StaffMixin, ColumnsTableMixin, FilteredListView):
    model = Alert
    columns = ALERTS
    export_sheets = [Sheet(ALERTS.title, AlertResource, lambda qs: qs.select_related("park"))]
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
            {
                "alert": alert,
                "form": form or DismissForm(),
                "history": history,
                "target": alert.target,
                "links": alert.links_for(request.user),
            },
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
