import io

from django.core.exceptions import PermissionDenied
from import_export.admin import ExportMixin
from import_export.formats import base_formats
from simple_history.admin import SimpleHistoryAdmin

from .exports import Sheet, write


class CommissionAdminOnlyMixin:
    """The admin site is the commission admins' tool (``is_staff`` follows the role); model permissions
    are not used, the role decides."""

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_commission_admin

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_add_permission(self, request, *args):
        return self.has_module_permission(request)

    def has_change_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_delete_permission(self, request, obj=None):
        return self.has_module_permission(request)


class ScopedAdmin(CommissionAdminOnlyMixin, ExportMixin, SimpleHistoryAdmin):
    """Admin lists go through the same scoping rule as every page; the change history is one click
    away; the export button writes the same columns (``resource_classes``) as the pages' exports.
    Imports go through the portal's import pages (preview, all or nothing), not the admin.

    The file is written by the pages' writer (core.exports), not by tablib: the same typed cells (real
    numbers and dates, 是/否, local times), the same identity rule, and no text a spreadsheet would run
    as a formula — tablib's CSV and openpyxl's xlsx wrote ``=HYPERLINK(…)`` from a complaint as is."""

    #: The pages' two formats; tablib's TSV, JSON, YAML and HTML are not offered.
    export_formats = [base_formats.CSV, base_formats.XLSX]
    #: (user) -> bool: whether the resource's IDENTITY columns are written (see core.exports.Sheet).
    export_hidden_unless = None

    def get_queryset(self, request):
        return self.model.objects.visible_to(request.user)

    def get_export_data(self, file_format, request, queryset, **kwargs):
        if not self.has_export_permission(request):
            raise PermissionDenied
        form = kwargs.get("export_form")
        sheet = Sheet(
            str(self.model._meta.verbose_name_plural),
            self.choose_export_resource_class(form, request),
            hidden_unless=self.export_hidden_unless,
            only=self.get_export_resource_fields_from_form(form),
        )
        target = io.BytesIO()
        fmt = "csv" if isinstance(file_format, base_formats.CSV) else "xlsx"
        write(target, fmt, [(sheet, queryset)], request.user)
        return target.getvalue()


def _reregister_beat_admin() -> None:
    """django-celery-beat's admin uses model permissions; here the role decides, like everywhere else,
    so that commission admins see and edit the schedule (the reminder time, the nightly rescan)."""
    from django.contrib import admin
    from django_celery_beat import admin as beat_admin
    from django_celery_beat import models as beat

    for model, base in [
        (beat.PeriodicTask, beat_admin.PeriodicTaskAdmin),
        (beat.CrontabSchedule, beat_admin.CrontabScheduleAdmin),
        (beat.IntervalSchedule, admin.ModelAdmin),
        (beat.ClockedSchedule, beat_admin.ClockedScheduleAdmin),
        (beat.SolarSchedule, admin.ModelAdmin),
    ]:
        if admin.site.is_registered(model):
            admin.site.unregister(model)
        admin.site.register(model, type(f"{model.__name__}Admin", (CommissionAdminOnlyMixin, base), {}))


def _register_core_admin() -> None:
    from django.contrib import admin

    from .models import Notification, Reminder, ReminderRun

    class NotificationAdmin(CommissionAdminOnlyMixin, admin.ModelAdmin):
        list_display = ["title", "recipient", "kind", "created_at", "read_at", "emailed_at", "is_late"]
        list_filter = ["kind", "is_late"]
        list_select_related = ["recipient"]
        search_fields = ["title", "recipient__username", "recipient__name"]

        def has_change_permission(self, request, obj=None):
            return False

    class ReminderRunAdmin(CommissionAdminOnlyMixin, admin.ModelAdmin):
        list_display = ["day", "finished_at", "sent"]

        def has_change_permission(self, request, obj=None):
            return False

    class ReminderAdmin(CommissionAdminOnlyMixin, admin.ModelAdmin):
        list_display = ["kind", "day", "recipient", "object_id", "is_late", "sent_at"]
        list_filter = ["kind", "is_late", "day"]
        list_select_related = ["recipient"]

        def has_change_permission(self, request, obj=None):
            return False

    admin.site.register(Notification, NotificationAdmin)
    admin.site.register(ReminderRun, ReminderRunAdmin)
    admin.site.register(Reminder, ReminderAdmin)


_reregister_beat_admin()
_register_core_admin()
