import base64
import hashlib
import io

from csp.decorators import csp_update
from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import BadRequest, PermissionDenied
from django.http import Http404
from django.utils.decorators import method_decorator
from import_export.admin import ExportMixin
from import_export.formats import base_formats
from simple_history.admin import SimpleHistoryAdmin

from .exports import Sheet, write
from .pagination import PortalPaginator


def allow_inline_attributes(*, handlers: tuple[str, ...] = (), styles: tuple[str, ...] = ()) -> dict:
    """A Content-Security-Policy addition for one view of a third-party admin template: exactly these
    inline event handlers and style attributes may run ('unsafe-hashes' with their SHA-256), nothing
    else inline. tests/core/test_csp.py checks the hashes still cover what the templates render."""

    def sources(values):
        digests = (base64.b64encode(hashlib.sha256(v.encode()).digest()).decode() for v in values)
        return ["'unsafe-hashes'", *(f"'sha256-{digest}'" for digest in digests)] if values else None

    return {"script-src-attr": sources(handlers), "style-src-attr": sources(styles)}


# django-import-export's export page: the "select all" box and two styled labels.
EXPORT_PAGE_INLINE = allow_inline_attributes(
    handlers=("onSelectToggleChange(event)",), styles=("padding: 0;", "font-weight: bold;")
)
# django-simple-history's history page: its paginator.
HISTORY_PAGE_INLINE = allow_inline_attributes(styles=("border-top: 0",))


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


class ReadOnlyInline(CommissionAdminOnlyMixin, admin.TabularInline):
    """Rows shown under their parent and never written here: they are written by a service with rules
    (its own admin page, or the portal's page), not by a bare inline form that would skip them."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


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
    #: Counted like the pages' lists (core.pagination): an unfiltered list over a big table is not
    #: counted row by row, and neither is the "N total" beside a search.
    paginator = PortalPaginator
    show_full_result_count = False

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

    @method_decorator(csp_update(EXPORT_PAGE_INLINE))
    def export_action(self, request):
        return super().export_action(request)

    def get_export_queryset(self, request):
        # The export builds the change list from the address's filters; the change list itself answers a
        # bad filter (?park__id__exact=abc) with a redirect, django-import-export lets the error through.
        try:
            return super().get_export_queryset(request)
        except IncorrectLookupParameters as error:
            raise BadRequest("invalid filter in the export address") from error

    @property
    def keeps_history(self) -> bool:
        """Whether the model keeps django-simple-history's record (a complaint keeps its own timeline)."""
        return hasattr(self.model._meta, "simple_history_manager_attribute")

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if not self.keeps_history:
            raise Http404  # no recorded versions to show
        return super().history_form_view(request, object_id, version_id, extra_context)

    def history_view(self, request, object_id, extra_context=None):
        if self.keeps_history:
            return csp_update(HISTORY_PAGE_INLINE)(super().history_view)(request, object_id, extra_context)
        # A model without django-simple-history (a complaint keeps its own timeline, shown on its page):
        # Django's own history, the log of changes made in the admin, in Django's own template.
        response = admin.ModelAdmin.history_view(self, request, object_id, extra_context)
        if hasattr(response, "template_name"):
            opts = self.model._meta
            response.template_name = [
                f"admin/{opts.app_label}/{opts.model_name}/object_history.html",
                f"admin/{opts.app_label}/object_history.html",
                "admin/object_history.html",
            ]
        return response


def _reregister_beat_admin() -> None:
    """django-celery-beat's admin uses model permissions; here the role decides, like everywhere else,
    so that commission admins see and edit the schedule (the reminder time, the nightly rescan)."""
    from django.contrib import admin
    from django_celery_beat import models as beat

    PeriodicTaskAdmin, CrontabScheduleAdmin = _beat_admins()
    for model, base, attributes in [
        (beat.PeriodicTask, PeriodicTaskAdmin, {}),
        (beat.CrontabSchedule, CrontabScheduleAdmin, {}),
        (beat.IntervalSchedule, admin.ModelAdmin, {}),
    ]:
        if admin.site.is_registered(model):
            admin.site.unregister(model)
        admin.site.register(model, type(f"{model.__name__}Admin", (CommissionAdminOnlyMixin, base), attributes))
    # The portal's schedule uses crontabs and intervals only; clocked and solar schedules are not offered.
    for model in (beat.ClockedSchedule, beat.SolarSchedule):
        if admin.site.is_registered(model):
            admin.site.unregister(model)


def crontab_in_words(crontab) -> str:
    """ "在 08:30 (Asia/Shanghai)": a crontab as a sentence in Chinese (cron-descriptor's zh_CN; the package's
    own ``human_readable`` is always English)."""
    from cron_descriptor import FormatException, MissingFieldException, Options, WrongArgumentException, get_description

    options = Options()
    options.locale_code = "zh_CN"
    options.use_24hour_time_format = True
    expression = " ".join(
        [crontab.minute, crontab.hour, crontab.day_of_month, crontab.month_of_year, crontab.day_of_week]
    )
    try:
        words = get_description(expression, options)
    except (FormatException, MissingFieldException, WrongArgumentException):
        words = expression
    return f"{words} ({crontab.timezone})"


def _beat_admins():
    from django.contrib import admin
    from django.utils.translation import gettext_lazy
    from django_celery_beat import admin as beat_admin
    from django_celery_beat.models import CrontabSchedule

    class PeriodicTaskAdmin(beat_admin.PeriodicTaskAdmin):
        # Its change form explains the chosen crontab with an inline script, which the CSP refuses; ours
        # does the same from a static file, in Chinese.
        change_form_template = "admin/periodic_task_form.html"
        list_display = ("name", "enabled", "schedule", "start_time", "last_run_at", "one_off")
        list_filter = ["enabled", "one_off", "start_time", "last_run_at"]  # not "task": its title is English

        @admin.display(description=gettext_lazy("schedule"))
        def schedule(self, task):
            if task.crontab_id:
                return crontab_in_words(task.crontab)
            return task.interval or task.solar or task.clocked

        @admin.display(description=gettext_lazy("crontab in words"))
        def crontab_translation(self, task):
            return crontab_in_words(task.crontab) if task.crontab_id else "—"

        def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
            extra_context = {
                **(extra_context or {}),
                "readable_crontabs": {
                    crontab.pk: crontab_in_words(crontab) for crontab in CrontabSchedule.objects.all()
                },
            }
            return admin.ModelAdmin.changeform_view(self, request, object_id, form_url, extra_context)

    class CrontabScheduleAdmin(beat_admin.CrontabScheduleAdmin):
        list_display = ("__str__", "in_words")
        fields = ("in_words", "minute", "hour", "day_of_month", "month_of_year", "day_of_week", "timezone")
        readonly_fields = ("in_words",)

        @admin.display(description=gettext_lazy("in words"))
        def in_words(self, crontab):
            return crontab_in_words(crontab)

    return PeriodicTaskAdmin, CrontabScheduleAdmin


def _register_outbox_admin() -> None:
    from django.contrib import admin, messages
    from django.utils.translation import gettext as _
    from django.utils.translation import gettext_lazy

    from .models import OutgoingEmail
    from .outbox import outbox_resend

    class OutgoingEmailAdmin(CommissionAdminOnlyMixin, admin.ModelAdmin):
        """The outbox, to look at: what went out, what waits, what failed and why. Only failed rows can be
        sent again (the action); nothing is edited by hand."""

        list_display = ["to", "notification", "status", "attempts", "created_at", "sent_at", "last_error"]
        list_filter = ["status"]
        list_select_related = ["notification"]
        search_fields = ["to", "notification__title"]
        actions = ["resend"]

        def has_add_permission(self, request, *args):
            return False

        def has_change_permission(self, request, obj=None):
            return False

        def has_delete_permission(self, request, obj=None):
            return False

        @admin.action(description=gettext_lazy("Send the selected failed e-mails again"))
        def resend(self, request, queryset):
            count = outbox_resend(queryset)
            self.message_user(request, _("%(count)d e-mails queued again.") % {"count": count}, messages.SUCCESS)

    admin.site.register(OutgoingEmail, OutgoingEmailAdmin)


def _register_core_admin() -> None:
    from django.contrib import admin

    from .models import Notification, Reminder, ReminderRun

    class NotificationAdmin(CommissionAdminOnlyMixin, admin.ModelAdmin):
        # Not the kind: it is a code (complaint_assigned …); the title says the same in words.
        list_display = ["title", "recipient", "created_at", "read_at", "is_late"]
        list_filter = ["is_late", "created_at"]
        exclude = ["kind"]
        list_select_related = ["recipient"]
        search_fields = ["title", "recipient__username", "recipient__name"]

        def has_change_permission(self, request, obj=None):
            return False

    class ReminderRunAdmin(CommissionAdminOnlyMixin, admin.ModelAdmin):
        """Written by the reminder job; read here."""

        list_display = ["day", "finished_at", "sent"]

        def has_add_permission(self, request, *args):
            return False

        def has_change_permission(self, request, obj=None):
            return False

    class ReminderAdmin(CommissionAdminOnlyMixin, admin.ModelAdmin):
        """Written by the reminder job (one row per reminder sent); read here. The notification's title
        says what the reminder was about (the kind is a code)."""

        list_display = ["notification", "day", "recipient", "is_late", "sent_at"]
        list_filter = ["is_late", "day"]
        list_select_related = ["recipient", "notification"]
        exclude = ["kind", "content_type", "object_id"]

        def has_add_permission(self, request, *args):
            return False

        def has_change_permission(self, request, obj=None):
            return False

    admin.site.register(Notification, NotificationAdmin)
    admin.site.register(ReminderRun, ReminderRunAdmin)
    admin.site.register(Reminder, ReminderAdmin)


_reregister_beat_admin()
_register_core_admin()
_register_outbox_admin()

from . import calendar_admin  # noqa: E402, F401 - registers the working-day calendar (it uses the mixin above)
