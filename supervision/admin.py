from django.contrib import admin

from core.admin import ReadOnlyInline, ScopedAdmin

from . import services
from .models import Appointment, Observation, ObservationAttachment, ObservationStep
from .resources import AppointmentResource, ObservationResource


@admin.register(Appointment)
class AppointmentAdmin(ScopedAdmin):
    """Saved through ``appointment_save``; renewing and ending are the appointment page's steps."""

    resource_classes = [AppointmentResource]
    list_display = ["supervisor", "source", "starts_on", "ends_on", "status"]
    list_filter = ["source", "status", "parks"]
    search_fields = ["supervisor__name", "supervisor__username"]
    filter_horizontal = ["parks"]
    autocomplete_fields = ["supervisor"]
    readonly_fields = ["status", "ended_on", "end_reason"]

    def save_model(self, request, obj, form, change):
        pass  # saved with its parks in save_related, in one service call

    def save_related(self, request, form, formsets, change):
        services.appointment_save(actor=request.user, appointment=form.instance, parks=form.cleaned_data["parks"])


class StepInline(ReadOnlyInline):
    model = ObservationStep
    fields = ["at", "step", "actor", "note"]
    readonly_fields = fields


class AttachmentInline(ReadOnlyInline):
    model = ObservationAttachment
    fields = ["original_name", "content_type", "size", "uploaded_at"]
    readonly_fields = fields


@admin.register(Observation)
class ObservationAdmin(ScopedAdmin):
    """Read here; filed by supervisors and handled by inspectors on the portal's pages (the workflow)."""

    resource_classes = [ObservationResource]
    list_display = ["submitted_at", "park", "category", "supervisor", "status"]
    list_filter = ["status", "category", "park"]
    search_fields = ["description", "unit_named", "place"]
    inlines = [StepInline, AttachmentInline]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]
