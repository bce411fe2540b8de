from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.generic import DetailView, FormView

from accounts import refusals
from core.columns import ColumnsTableMixin
from core.exports import Sheet, exportable
from core.forms import add_validation_error
from core.history import change_history
from core.views import FilteredListView, ScopedQuerysetMixin

from . import services
from .columns import ENTERPRISES
from .filters import EnterpriseFilter, ParkFilter
from .forms import EnterpriseForm
from .models import Enterprise, Park
from .resources import EnterpriseResource
from .selectors import current_liaison, park_list


class ParkListView(FilteredListView):
    model = Park
    filterset_class = ParkFilter
    template_name = "parks/park_list.html"

    def get_base_queryset(self):
        return park_list(user=self.request.user)


@exportable("enterprises")
class EnterpriseListView(ColumnsTableMixin, FilteredListView):
    model = Enterprise
    columns = ENTERPRISES
    export_sheets = [Sheet(ENTERPRISES.title, EnterpriseResource, lambda qs: qs.select_related("park"))]
    filterset_class = EnterpriseFilter
    select_related = ("park",)
    template_name = "parks/enterprise_list.html"


class EnterpriseDetailView(ScopedQuerysetMixin, DetailView):
    model = Enterprise
    select_related = ("park",)
    template_name = "parks/enterprise_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["liaison"] = current_liaison(enterprise=self.object)
        if user.is_commission_admin:
            context["history"] = change_history(self.object)
        return context


class EnterpriseFormView(ScopedQuerysetMixin, FormView):
    """Register or edit an enterprise. Errors come back on the form with everything typed kept."""

    model = Enterprise
    form_class = EnterpriseForm
    template_name = "parks/enterprise_form.html"
    object = None

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not request.user.can_keep_ledgers:
            raise PermissionDenied(refusals.FOR_LEDGER_KEEPERS)
        return super().dispatch(request, *args, **kwargs)

    def get_object(self):
        if "pk" not in self.kwargs:
            return None
        return get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])

    def get_form_kwargs(self):
        self.object = self.get_object()
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        kwargs["instance"] = self.object
        if self.object is None and "park" in self.request.GET:
            kwargs.setdefault("initial", {})["park"] = self.request.GET["park"]
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["object"] = self.object
        return context

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            if self.object is None:
                enterprise = services.enterprise_create(actor=self.request.user, **data)
                messages.success(self.request, _("Enterprise registered."))
            else:
                enterprise = services.enterprise_update(actor=self.request.user, enterprise=self.object, **data)
                messages.success(self.request, _("Changes saved."))
        except ValidationError as error:
            add_validation_error(form, error)
            return self.form_invalid(form)
        return redirect(enterprise)
