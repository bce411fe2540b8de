"""The working-day calendar in the Django admin: every save and delete goes through
``core.calendar.calendar_change``, so it recomputes the open deadlines like the portal's page."""

from django.contrib import admin, messages
from simple_history.admin import SimpleHistoryAdmin

from .admin import CommissionAdminOnlyMixin
from .calendar import Entry, calendar_change, change_summary
from .models import CalendarDay


@admin.register(CalendarDay)
class CalendarDayAdmin(CommissionAdminOnlyMixin, SimpleHistoryAdmin):
    list_display = ["date", "kind", "name", "updated_at"]
    list_filter = ["kind"]
    search_fields = ["name"]
    date_hierarchy = "date"
    fields = ["date", "kind", "name"]

    def save_model(self, request, obj, form, change):
        moved_from = form.initial.get("date") if change and "date" in form.changed_data else None
        result = calendar_change(
            actor=request.user,
            save=[Entry(obj.date, obj.kind, obj.name)],
            delete=[moved_from] if moved_from else [],
        )
        saved = CalendarDay.objects.get(date=obj.date)
        obj.pk, obj.updated_at = saved.pk, saved.updated_at
        self._tell(request, result)

    def delete_model(self, request, obj):
        self._tell(request, calendar_change(actor=request.user, delete=[obj.date]))

    def delete_queryset(self, request, queryset):
        self._tell(request, calendar_change(actor=request.user, delete=list(queryset.values_list("date", flat=True))))

    def _tell(self, request, result):
        for line in change_summary(result):
            self.message_user(request, line, messages.INFO)
