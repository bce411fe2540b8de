"""The list of accountability measures (the four forms of discipline among them) that the dashboard's
counts open."""

from core.columns import ColumnsTableMixin
from core.exports import Sheet, exportable
from core.views import FilteredListView

from .columns import MEASURES
from .filters import MeasureFilter
from .models import AccountabilityMeasure
from .resources import MeasureResource
from .views import NotEnterpriseMixin


@exportable("measures")
class MeasureListView(NotEnterpriseMixin, ColumnsTableMixin, FilteredListView):
    model = AccountabilityMeasure
    columns = MEASURES
    filterset_class = MeasureFilter
    export_sheets = [
        Sheet(MEASURES.title, MeasureResource, lambda qs: qs.select_related("task__finding", "task__park"))
    ]
    select_related = ("task__finding", "task__park")
    template_name = "inspections/measure_list.html"

    def get_base_queryset(self):
        return super().get_base_queryset().order_by("-taken_on", "-pk")
