"""The pages of the 政商交往 lists, the registrations and the 清廉文化 activities."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from accounts import refusals
from core.columns import ColumnsTableMixin
from core.exports import Sheet, exportable
from core.forms import add_validation_error
from core.uploads import attachment_response
from core.views import FilteredListView, ScopedQuerysetMixin
from risks.selectors import alerts_for
from risks.views.base import StaffMixin

from . import services
from .columns import ACTIVITIES, LIST_ITEMS, REGISTRATIONS
from .filters import ActivityFilter, ListItemFilter, RegistrationFilter
from .forms import ActivityForm, ListItemForm, RegistrationForm
from .models import ActivityMaterial, ConductListItem, ContactRegistration, IntegrityActivity
from .resources import ActivityResource, ListItemResource, RegistrationResource


class ConductListView(StaffMixin, ColumnsTableMixin, FilteredListView):
    template_name = "conduct/list.html"
    title = ""
    create_url_name = ""

    def may_create(self) -> bool:
        return False

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = self.title
        context["create_url_name"] = self.create_url_name if self.may_create() else ""
        return context


class FormPage(StaffMixin, ScopedQuerysetMixin, View):
    """Create (no pk) or edit a row through its service; everything typed is kept when it is refused."""

    form_class = None
    title_new = title_edit = ""
    multipart = False

    def allowed(self, user) -> bool:
        raise NotImplementedError

    def save(self, form):
        raise NotImplementedError

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not self.allowed(request.user):
            raise PermissionDenied(self.refusal)
        return super().dispatch(request, *args, **kwargs)

    def get_object(self):
        return get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"]) if "pk" in self.kwargs else None

    def get(self, request, **kwargs):
        obj = self.get_object()
        initial = {"park": request.GET.get("park")} if obj is None else {}
        return self.render(obj, self.form_class(instance=obj, initial=initial, user=request.user))

    def post(self, request, **kwargs):
        obj = self.get_object()
        form = self.form_class(request.POST, request.FILES, instance=obj, user=request.user)
        if form.is_valid():
            try:
                saved = self.save(form)
            except ValidationError as error:
                add_validation_error(form, error)
            else:
                messages.success(request, self.saved_message(saved))
                return redirect(saved)
        return self.render(obj, form)

    def saved_message(self, saved) -> str:
        return _("Saved.")

    def render(self, obj, form):
        title = self.title_edit if obj else self.title_new
        context = {"form": form, "object": obj, "title": title, "multipart": self.multipart}
        return render(self.request, "conduct/form.html", context)


# --- the lists ---------------------------------------------------------------------------------------


@exportable("conduct-lists")
class ListItemListView(ConductListView):
    model = ConductListItem
    columns = LIST_ITEMS
    export_sheets = [Sheet(LIST_ITEMS.title, ListItemResource, lambda qs: qs.select_related("park"))]
    filterset_class = ListItemFilter
    select_related = ("park",)
    title = gettext_lazy("Government–business conduct lists")
    create_url_name = "conduct:item-create"

    def may_create(self):
        return self.request.user.is_commission_admin

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["import_name"] = "conduct-lists" if self.request.user.is_commission_admin else ""
        return context


class ListItemFormView(FormPage):
    model = ConductListItem
    form_class = ListItemForm
    refusal = refusals.FOR_COMMISSION_ADMINS

    def allowed(self, user):
        return user.is_commission_admin

    def save(self, form):
        return services.list_item_save(actor=self.request.user, item=form.instance)

    @property
    def title_new(self):
        return _("New list item")

    @property
    def title_edit(self):
        return _("Edit list item")


# --- registrations -----------------------------------------------------------------------------------


@exportable("conduct-registrations")
class RegistrationListView(ConductListView):
    model = ContactRegistration
    columns = REGISTRATIONS
    export_sheets = [
        Sheet(REGISTRATIONS.title, RegistrationResource, lambda qs: qs.select_related("park", "official", "enterprise"))
    ]
    filterset_class = RegistrationFilter
    select_related = ("park", "official", "enterprise")
    title = gettext_lazy("Contact registrations")
    create_url_name = "conduct:registration-create"

    def may_create(self):
        return services.may_register(self.request.user)


class RegistrationFormView(FormPage):
    model = ContactRegistration
    form_class = RegistrationForm
    refusal = services.FOR_REGISTRANTS

    def allowed(self, user):
        return services.may_register(user)

    def get_object(self):
        registration = super().get_object()
        if registration is not None and not services.may_edit_registration(self.request.user, registration):
            raise PermissionDenied(_("A self-report stays as it was filed; ask the commission to correct it."))
        return registration

    def save(self, form):
        return services.registration_file(actor=self.request.user, registration=form.instance)

    def saved_message(self, saved):
        if saved.self_reported:
            return _("Recorded as a self-report; the park's inspectors have been told.")
        return _("Contact registered.")

    @property
    def title_new(self):
        return _("Register a contact with an enterprise")

    @property
    def title_edit(self):
        return _("Edit the registration")


class RegistrationDetailView(StaffMixin, ScopedQuerysetMixin, View):
    model = ContactRegistration
    select_related = ("park", "official", "enterprise", "official_record", "reviewed_by")

    def get(self, request, pk):
        registration = get_object_or_404(self.get_queryset(), pk=pk)
        user = request.user
        context = {
            "registration": registration,
            "matched": registration.matched_items.all(),
            # Each alert with its links as this user may follow them (Alert.links_for: out of scope, plain text).
            "alerts": [(alert, alert.links_for(user)) for alert in alerts_for(registration, user=user)],
            "may_edit": services.may_edit_registration(user, registration),
            "may_review": user.is_commission_staff and registration.self_reported and not registration.reviewed_at,
            "history": registration.history.select_related("history_user").order_by("-history_date")[:20],
        }
        return render(request, "conduct/registration_detail.html", context)

    def post(self, request, pk):
        registration = get_object_or_404(self.get_queryset(), pk=pk)
        if request.POST.get("action") != "review":
            raise Http404
        try:
            services.registration_review(actor=request.user, registration=registration)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Marked as reviewed."))
        return redirect(registration)


# --- activities --------------------------------------------------------------------------------------


@exportable("integrity-activities")
class ActivityListView(ConductListView):
    model = IntegrityActivity
    columns = ACTIVITIES
    export_sheets = [Sheet(ACTIVITIES.title, ActivityResource, lambda qs: qs.select_related("park"))]
    filterset_class = ActivityFilter
    select_related = ("park",)
    title = gettext_lazy("Integrity-culture activities")
    create_url_name = "conduct:activity-create"

    def may_create(self):
        return services.may_keep_activities(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["import_name"] = "integrity-activities" if self.may_create() else ""
        return context


class ActivityFormView(FormPage):
    model = IntegrityActivity
    form_class = ActivityForm
    refusal = refusals.FOR_LEDGER_KEEPERS
    multipart = True

    def allowed(self, user):
        return services.may_keep_activities(user)

    def save(self, form):
        files = form.cleaned_data.get("files") or []
        return services.activity_save(actor=self.request.user, activity=form.instance, files=files)

    @property
    def title_new(self):
        return _("Record an integrity-culture activity")

    @property
    def title_edit(self):
        return _("Edit the activity")


class ActivityDetailView(StaffMixin, ScopedQuerysetMixin, View):
    model = IntegrityActivity
    select_related = ("park", "created_by")

    def get(self, request, pk):
        activity = get_object_or_404(self.get_queryset(), pk=pk)
        context = {
            "activity": activity,
            "attachments": activity.attachments.all(),
            "may_edit": services.may_keep_activities(request.user),
            "history": activity.history.select_related("history_user").order_by("-history_date")[:20],
        }
        return render(request, "conduct/activity_detail.html", context)


def activity_material(request, pk: int):
    if not request.user.is_authenticated:
        raise Http404
    item = get_object_or_404(ActivityMaterial, pk=pk)
    if not IntegrityActivity.objects.visible_to(request.user).filter(pk=item.activity_id).exists():
        raise Http404
    return attachment_response(item)
