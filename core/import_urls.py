from django.urls import path

from . import import_views

app_name = "imports"

urlpatterns = [
    path("", import_views.index, name="index"),
    path("jobs/<int:pk>/", import_views.job_page, name="job"),
    path("jobs/<int:pk>/status.json", import_views.job_status, name="job-status"),
    path("<str:name>/template.xlsx", import_views.template, name="template"),
    path("<str:name>/", import_views.upload, name="upload"),
]
