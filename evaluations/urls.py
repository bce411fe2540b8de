from django.urls import path

from . import views

app_name = "evaluations"

urlpatterns = [
    path("", views.RoundListView.as_view(), name="rounds"),
    path("<int:year>/", views.RoundView.as_view(), name="round"),
    path("<int:year>/<str:code>/", views.ParkSheetView.as_view(), name="park"),
    path("<int:year>/<str:code>/report/", views.ParkReportView.as_view(), name="report"),
]
