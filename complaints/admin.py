from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core.admin import ReadOnlyInline, ScopedAdmin

from .models import Complainant, Complaint, ComplaintAttachment, ComplaintEvent
from .resources import ComplaintResource
from .selectors import can_see_identity


class ComplainantInline(ReadOnlyInline):
    template = "admin/edit_inline/stacked.html"
    model = Complainant
    fields = ["name", "phone", "enterprise_name", "enterprise", "user"]
    readonly_fields = ["name", "phone", "enterprise_name", "enterprise", "user"]


class EventInline(ReadOnlyInline):
    """The timeline is immutable: shown, never edited."""

    model = ComplaintEvent
    fields = ["at", "kind", "from_status", "to_status", "actor", "note", "internal_note", "is_public"]
    readonly_fields = fields


class AttachmentInline(ReadOnlyInline):
    model = ComplaintAttachment
    fields = ["original_name", "content_type", "size", "from_complainant", "uploaded_at"]
    readonly_fields = fields


@admin.register(Complaint)
class ComplaintAdmin(ScopedAdmin):
    """Complaints change only through their workflow (the handling page); the admin shows them."""

    resource_classes = [ComplaintResource]
    export_hidden_unless = staticmethod(can_see_identity)

    list_display = ["reference", "park", "category", "status", "submitted_at", "accept_due", "reply_due", "assigned_to"]
    list_filter = ["status", "category", "channel", "park"]
    list_select_related = ["park", "assigned_to"]
    search_fields = ["subject", "description"]
    date_hierarchy = "submitted_at"
    inlines = [ComplainantInline, EventInline, AttachmentInline]
    # Not the tracking code's digest: a secret's hash is nobody's reading.
    readonly_fields = [field.name for field in Complaint._meta.fields if field.name not in ("id", "tracking_digest")]
    exclude = ["tracking_digest"]

    @admin.display(description=_("number"), ordering="submitted_at")
    def reference(self, complaint):
        return complaint.reference

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_export_queryset(self, request):
        return super().get_export_queryset(request).select_related("complainant")
