from django.urls import path

from . import views

app_name = "risks"


def ledger(prefix, name, list_view, detail_view, form_view):
    return [
        path(f"{prefix}/", list_view.as_view(), name=f"{name}-list"),
        path(f"{prefix}/new/", form_view.as_view(), name=f"{name}-create"),
        path(f"{prefix}/<int:pk>/", detail_view.as_view(), name=f"{name}-detail"),
        path(f"{prefix}/<int:pk>/edit/", form_view.as_view(), name=f"{name}-update"),
    ]


urlpatterns = [
    *ledger("riskpoints", "riskpoint", views.RiskPointListView, views.RiskPointDetailView, views.RiskPointFormView),
    *ledger("decisions", "decision", views.DecisionListView, views.DecisionDetailView, views.DecisionFormView),
    *ledger("subsidies", "subsidy", views.SubsidyListView, views.SubsidyDetailView, views.SubsidyFormView),
    *ledger("projects", "project", views.ProjectListView, views.ProjectDetailView, views.ProjectFormView),
    path("officials/", views.OfficialListView.as_view(), name="official-list"),
    path("officials/new/", views.OfficialFormView.as_view(), name="official-create"),
    path("officials/<int:pk>/edit/", views.OfficialFormView.as_view(), name="official-update"),
    path("officials/<int:pk>/ties/new/", views.OfficialTieAddView.as_view(), name="official-tie-add"),
    path("alerts/", views.AlertListView.as_view(), name="alert-list"),
    path("alerts/<int:pk>/", views.AlertDetailView.as_view(), name="alert-detail"),
]
