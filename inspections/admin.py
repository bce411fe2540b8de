from django import forms
from django.contrib import admin

from accounts.models import User
from core.admin import ReadOnlyInline, ScopedAdmin

from . import services
from .models import AccountabilityMeasure, Demand, Finding, Inspection, RectificationTask, Visit
from .resources import FindingResource, InspectionResource, TaskResource, VisitResource


class InspectionAdminForm(forms.ModelForm):
    """The parks and team rules of the service, shown on the form; the status is the workflow's."""

    actor = None  # set per request by the admin

    def clean(self):
        data = super().clean()
        if "parks" in data and "team" in data:
            try:
                services.inspection_check(actor=self.actor, parks=list(data["parks"]), team=list(data["team"]))
            except forms.ValidationError as error:
                self.add_error(None, error)
        return data


@admin.register(Inspection)
class InspectionAdmin(ScopedAdmin):
    """Saved through ``inspection_save``; the status moves only on the inspection page (the workflow)."""

    resource_classes = [InspectionResource]
    form = InspectionAdminForm
    list_display = ["title", "kind", "starts_on", "ends_on", "status"]
    list_filter = ["kind", "status", "parks"]
    search_fields = ["title"]
    filter_horizontal = ["parks", "team"]
    readonly_fields = ["status"]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        return type(form.__name__, (form,), {"actor": request.user})

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "team":
            kwargs["queryset"] = User.objects.filter(role__in=services.TEAM_ROLES, is_active=True)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        pass  # saved with its parks and team in save_related, in one service call

    def save_related(self, request, form, formsets, change):
        services.inspection_save(
            actor=request.user,
            inspection=form.instance,
            parks=form.cleaned_data["parks"],
            team=form.cleaned_data["team"],
        )
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)


@admin.register(Finding)
class FindingAdmin(ScopedAdmin):
    """Saved through ``finding_record``, like the inspection page and the API."""

    resource_classes = [FindingResource]
    list_display = ["__str__", "park", "source", "category", "severity", "found_on"]
    list_filter = ["park", "source", "category", "severity"]
    list_select_related = ["park"]
    search_fields = ["description", "responsible_unit"]
    raw_id_fields = ["alert", "complaint", "visit", "inspection"]

    def save_model(self, request, obj, form, change):
        services.finding_record(actor=request.user, finding=obj)


class MeasureInline(ReadOnlyInline):
    """Shown here; measures are recorded on the task page (``measure_record``)."""

    model = AccountabilityMeasure
    fields = ["kind", "form", "person", "position", "taken_on", "note"]
    readonly_fields = fields


@admin.register(RectificationTask)
class TaskAdmin(ScopedAdmin):
    """Tasks are assigned on their finding's page and move through their workflow on the task page
    ("view on site"); the admin shows them, with their history, and exports them."""

    resource_classes = [TaskResource]
    list_display = ["__str__", "owner", "deadline", "status", "recovered_losses"]
    list_filter = ["status"]
    list_select_related = ["finding", "owner"]
    inlines = [MeasureInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class DemandInline(ReadOnlyInline):
    """Shown here; demands are recorded and solved on the visit page (``demand_record``, ``demand_solve``)."""

    model = Demand
    fields = ["kind", "description", "solved_on", "solution"]
    readonly_fields = fields


@admin.register(Visit)
class VisitAdmin(ScopedAdmin):
    """Saved through ``visit_record``, like the visit page and the API."""

    resource_classes = [VisitResource]
    list_display = ["enterprise", "park", "campaign", "visited_on", "visitor"]
    list_filter = ["park", "campaign"]
    list_select_related = ["enterprise", "park", "visitor"]
    autocomplete_fields = ["enterprise"]
    inlines = [DemandInline]

    def save_model(self, request, obj, form, change):
        services.visit_record(actor=request.user, visit=obj)
