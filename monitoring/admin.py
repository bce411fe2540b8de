from django.contrib import admin, messages
from django.db.models import Max
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.admin import SimpleHistoryAdmin

from core.admin import CommissionAdminOnlyMixin, ReadOnlyInline, ScopedAdmin

from . import services
from .models import Answer, MonitoringReport, ParkMonitoringSettings, Question, Questionnaire
from .resources import ReportResource


class AnswerInline(ReadOnlyInline):
    model = Answer
    fields = ["question", "score", "note"]
    readonly_fields = fields


@admin.register(MonitoringReport)
class MonitoringReportAdmin(ScopedAdmin):
    """Reports are filed by the enterprises on their page; here they are read and exported."""

    resource_classes = [ReportResource]
    list_display = ["enterprise", "park", "period", "filed_at", "due_on", "complaint_filed_at"]
    list_filter = ["park", "period"]
    search_fields = ["enterprise__name", "enterprise__credit_code"]
    inlines = [AnswerInline]
    readonly_fields = [
        "enterprise", "park", "period", "period_months", "questionnaire", "problem", "filed_by", "filed_at",
        "due_on", "complaint", "complaint_filed_at",
    ]  # fmt: skip

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ParkMonitoringSettings)
class ParkMonitoringSettingsAdmin(ScopedAdmin):
    list_display = ["park", "period_months", "due_working_days"]


class QuestionInline(CommissionAdminOnlyMixin, admin.TabularInline):
    model = Question
    fields = ["order", "code", "text", "kind"]
    extra = 0


@admin.register(Questionnaire)
class QuestionnaireAdmin(CommissionAdminOnlyMixin, SimpleHistoryAdmin):
    """The questionnaire as data. A draft is edited in place and published by the action; saving a
    published version makes the next version with the questions as edited (and makes it the active one),
    so the reports that answered the old one keep its questions."""

    list_display = ["version", "is_active", "published_at", "note"]
    fields = ["version", "note", "is_active", "published_at"]
    readonly_fields = ["version", "is_active", "published_at"]
    inlines = [QuestionInline]
    actions = ["publish"]

    def save_model(self, request, obj, form, change):
        if change and Questionnaire.objects.filter(pk=obj.pk, published_at__isnull=False).exists():
            request._monitoring_revise = obj  # saved as a new version in save_related
            return
        if not change:
            obj.version = (Questionnaire.objects.aggregate(top=Max("version"))["top"] or 0) + 1
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        source = getattr(request, "_monitoring_revise", None)
        if source is None:
            return super().save_related(request, form, formsets, change)
        drafts = [
            services.QuestionDraft(code=data["code"], text=data["text"], order=data.get("order") or 0)
            for formset in formsets
            for data in (f.cleaned_data for f in formset.forms)
            if data and not data.get("DELETE")
        ]
        revised = services.questionnaire_revise(source=source, questions=drafts, note=form.cleaned_data.get("note", ""))
        self.message_user(
            request,
            _("Version %(old)d is published and stays as it was; your changes are version %(new)d, now active.")
            % {"old": source.version, "new": revised.version},
            messages.SUCCESS,
        )

    def construct_change_message(self, request, form, formsets, add=False):
        if getattr(request, "_monitoring_revise", None) is not None:
            return []  # nothing changed on this version: the changes are the next one's
        return super().construct_change_message(request, form, formsets, add)

    @admin.action(description=gettext_lazy("Publish and make active"))
    def publish(self, request, queryset):
        for questionnaire in queryset.order_by("version"):
            try:
                services.questionnaire_publish(questionnaire=questionnaire)
            except services.ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)
