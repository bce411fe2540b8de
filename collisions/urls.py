from django.urls import path

from . import views

app_name = "collisions"

urlpatterns = [
    path("registrations/", views.RegistrationListView.as_view(), name="registration-list"),
    path("registrations/<int:pk>/graph/", views.registration_graph, name="registration-graph"),
    path("relatives/", views.RelativeListView.as_view(), name="relative-list"),
    path("enterprise/<int:pk>/", views.EnterpriseGraphView.as_view(), name="enterprise-graph"),
    path("official/<int:pk>/", views.OfficialGraphView.as_view(), name="official-graph"),
]
