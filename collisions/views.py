"""Pages of the data collision: the reference lists (commission admins only: personal data of people
who are not users) and the connection views (commission staff and park officers, within their scope)."""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from core.columns import ColumnsTableMixin
from core.exports import Sheet, exportable
from core.views import FilteredListView
from parks.models import Enterprise
from risks.models import Official

from . import graph as drawing
from .columns import REGISTRATIONS, RELATIVES
from .filters import RegistrationFilter, RelativeFilter
from .models import RegistrationRecord, Relative
from .resources import RegistrationResource, RelativeResource
from .selectors import enterprise_graph, may_view_graphs, official_graph


class CommissionAdminMixin:
    def dispatch(self, request, *args, **kwargs):
        if not (request.user.is_authenticated and request.user.is_commission_admin):
            raise Http404
        return super().dispatch(request, *args, **kwargs)


class ReferenceListView(CommissionAdminMixin, ColumnsTableMixin, FilteredListView):
    template_name = "collisions/reference_list.html"
    title = ""

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=self.title, **kwargs)


@exportable("registrations")
class RegistrationListView(ReferenceListView):
    model = RegistrationRecord
    columns = REGISTRATIONS
    filterset_class = RegistrationFilter
    title = gettext_lazy("Registration records")
    export_sheets = [Sheet(REGISTRATIONS.title, RegistrationResource, lambda qs: qs.prefetch_related("people"))]

    def get_queryset(self):
        return super().get_queryset().prefetch_related("people")


@exportable("relatives")
class RelativeListView(ReferenceListView):
    model = Relative
    columns = RELATIVES
    filterset_class = RelativeFilter
    select_related = ("official__park",)
    title = gettext_lazy("Officials' relatives")
    export_sheets = [Sheet(RELATIVES.title, RelativeResource, lambda qs: qs.select_related("official__park"))]


def registration_graph(request, pk: int):
    """A registration's enterprise in the portal, in its connection view (404 when the portal has none)."""
    if not (request.user.is_authenticated and request.user.is_commission_admin):
        raise Http404
    record = get_object_or_404(RegistrationRecord.objects.visible_to(request.user), pk=pk)
    enterprise = get_object_or_404(Enterprise.objects.visible_to(request.user), credit_code=record.credit_code)
    return redirect("collisions:enterprise-graph", pk=enterprise.pk)


class GraphView(LoginRequiredMixin, TemplateView):
    template_name = "collisions/graph.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not may_view_graphs(request.user):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        graph = self.graph()
        return super().get_context_data(
            graph=graph, svg=drawing.draw(graph), table=drawing.facts_table(graph), **kwargs
        )


class EnterpriseGraphView(GraphView):
    def graph(self):
        enterprise = get_object_or_404(Enterprise.objects.visible_to(self.request.user), pk=self.kwargs["pk"])
        return enterprise_graph(enterprise=enterprise, user=self.request.user)


class OfficialGraphView(GraphView):
    def graph(self):
        official = get_object_or_404(Official.objects.visible_to(self.request.user), pk=self.kwargs["pk"])
        return official_graph(official=official, user=self.request.user)
