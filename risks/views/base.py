"""What every ledger page shares: who may see it, the list (its table built from the ledger's column
declaration in risks.columns, with alert badges), the detail page with the row's alerts, the form."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView

from accounts import refusals
from core.columns import ColumnsTableMixin
from core.forms import add_validation_error
from core.views import FilteredListView, ScopedQuerysetMixin

from .. import services
from ..selectors import alerts_for, live_alert_counts


class StaffMixin(LoginRequiredMixin):
    """Ledgers are for commission staff and park officers; enterprise users see their subsidies elsewhere."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not request.user.is_staff_reader:
            raise PermissionDenied(refusals.FOR_STAFF)
        return super().dispatch(request, *args, **kwargs)


class LedgerListView(StaffMixin, ColumnsTableMixin, FilteredListView):
    """A ledger list: the table of its ``columns`` declaration, each row with its live alerts."""

    template_name = "risks/ledger_list.html"
    title = ""
    create_url_name = ""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        counts = self.alert_counts(context["object_list"])
        context["title"] = self.title
        context["rows"] = [(row, cells, counts.get(row.pk, 0)) for row, cells, _css in context["rows"]]
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
