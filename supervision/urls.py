from django.urls import path

from . import appointment_views, views

app_name = "supervision"

urlpatterns = [
    path("observations/", views.ObservationListView.as_view(), name="observation-list"),
    path("observations/new/", views.ObservationCreateView.as_view(), name="observation-create"),
    path("observations/<int:pk>/", views.ObservationDetailView.as_view(), name="observation-detail"),
    path("observations/<int:pk>/finding/", views.ObservationToFindingView.as_view(), name="observation-finding"),
    path("observations/files/<int:pk>/", views.observation_attachment, name="attachment"),
    path("activity/", appointment_views.ActivityView.as_view(), name="activity"),
    path("appointments/new/", appointment_views.AppointmentCreateView.as_view(), name="appointment-create"),
    path("appointments/<int:pk>/", appointment_views.AppointmentDetailView.as_view(), name="appointment-detail"),
]
