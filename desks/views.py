"""The pages that gather across the apps: the home desk of each role and the park page."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import Count, Q
from django.utils import timezone
from django.views.generic import DetailView, TemplateView

from accounts.choices import Role
from conduct.selectors import park_conduct_panel
from core.views import ScopedQuerysetMixin
from monitoring.selectors import enterprise_status, parks_overview
from parks.columns import ENTERPRISES
from parks.models import Enterprise, Park
from parks.selectors import current_liaison, park_list
from supervision.selectors import observation_inbox, supervisor_desk

from .dashboard import overview
from .selectors import enterprise_desk, officer_desk, park_complaint_stats, park_rectification_panel, park_risk_panel

HOME_TEMPLATES = {
    Role.COMMISSION_ADMIN: "home/commission_admin.html",
    Role.INSPECTOR: "home/inspector.html",
    Role.PARK_OFFICER: "home/park_officer.html",
    Role.ENTERPRISE: "home/enterprise.html",
    Role.SUPERVISOR: "home/supervisor.html",
}


class HomeView(LoginRequiredMixin, TemplateView):
    """The first page after login; what it shows depends on the role."""

    def get_template_names(self):
        user = self.request.user
        role = Role.COMMISSION_ADMIN if user.is_commission_admin else user.role
        return [HOME_TEMPLATES[role]]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        if user.is_commission_staff:
            year = self.request.GET.get("year", "")
            year = int(year) if year.isdigit() and 2000 <= int(year) <= 2100 else timezone.localdate().year
            context["dashboard"] = overview(user=user, year=year)
            context["years"] = range(timezone.localdate().year, timezone.localdate().year - 5, -1)
            context["observations"] = observation_inbox(user)
        elif user.role == Role.PARK_OFFICER:
            context.update(officer_desk(user))
        elif user.is_supervisor:
            context.update(supervisor_desk(user))
        elif user.role == Role.ENTERPRISE and user.enterprise_id:
            context["liaison"] = current_liaison(enterprise=user.enterprise)
            context.update(enterprise_desk(user))
            context["monitoring"] = enterprise_status(user.enterprise, timezone.localdate())
        return context


class ParkDetailView(ScopedQuerysetMixin, DetailView):
    """A park's page: its enterprises, and for staff the complaint, risk and rectification panels."""

    model = Park
    slug_field = "code"
    slug_url_kwarg = "code"
    template_name = "parks/park_detail.html"

    def get_queryset(self):
        return park_list(user=self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        enterprises = Enterprise.objects.visible_to(self.request.user).filter(park=self.object)
        # The enterprise list's table, without the park column (it is this park), unsorted (a preview).
        context["enterprise_table"] = ENTERPRISES.without("park_name").table_of(enterprises.select_related("park")[:20])
        counts = enterprises.aggregate(
            key=Count("pk", filter=Q(is_key=True)), points=Count("pk", filter=Q(is_monitoring_point=True))
        )  # one pass over the park's enterprises, not one per figure
        context["key_enterprises"], context["monitoring_points"] = counts["key"], counts["points"]
        context["complaint_stats"] = park_complaint_stats(user=self.request.user, park=self.object)
        context["risk_panel"] = park_risk_panel(user=self.request.user, park=self.object)
        context["rectification"] = park_rectification_panel(user=self.request.user, park=self.object)
        if self.request.user.is_staff_reader:
            park = Park.objects.filter(pk=self.object.pk)
            context["monitoring_panel"] = parks_overview(park, timezone.localdate())[0]
            context["conduct"] = park_conduct_panel(
                user=self.request.user, park=self.object, today=timezone.localdate()
            )
        return context
