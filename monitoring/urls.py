from django.urls import path

from . import views

app_name = "monitoring"

urlpatterns = [
    path("", views.IndexView.as_view(), name="index"),
    path("parks/<str:code>/", views.ParkMonitoringView.as_view(), name="park"),
    path("report/", views.ReportFileView.as_view(), name="report-file"),
    path("reports/", views.ReportListView.as_view(), name="report-list"),
    path("reports/<int:pk>/", views.ReportDetailView.as_view(), name="report-detail"),
    path("reports/<int:pk>/complaint/", views.ReportToComplaintView.as_view(), name="report-complaint"),
]
