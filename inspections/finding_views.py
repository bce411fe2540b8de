"""Correcting a finding after it was recorded (kept apart from ``views.py``, which is at its size limit)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import UpdateView

from core.forms import add_validation_error
from core.views import ScopedQuerysetMixin

from . import services
from .forms import FindingEditForm
from .models import Finding
from .views import StaffOnlyMixin


class FindingEditView(StaffOnlyMixin, ScopedQuerysetMixin, UpdateView):
    """Severity and responsible unit above all: a finding made from an alert starts with the unit "to be
    determined". Inspectors of the finding's park only; the write goes through the service."""

    model = Finding
    form_class = FindingEditForm
    template_name = "inspections/form.html"
    extra_context = {"title": gettext_lazy("Edit finding")}

    def form_valid(self, form):
        try:
            services.finding_update(actor=self.request.user, finding=form.instance)
        except ValidationError as error:
            add_validation_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Saved."))
        return redirect(form.instance)
