from django.urls import path

from . import return_views, views

app_name = "campaigns"

urlpatterns = [
    path("", views.CampaignListView.as_view(), name="list"),
    path("new/", views.CampaignFormView.as_view(), name="create"),
    path("<int:pk>/", views.CampaignDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.CampaignFormView.as_view(), name="update"),
    path("<int:pk>/report/", views.CampaignReportView.as_view(), name="report"),
    path("<int:pk>/export/", views.CampaignExportView.as_view(), name="export"),
    path("<int:pk>/findings/", views.CampaignFindingListView.as_view(), name="findings"),
    path("<int:pk>/tasks/", views.CampaignTaskListView.as_view(), name="tasks"),
    path("<int:pk>/measures/", views.CampaignMeasureListView.as_view(), name="measures"),
    path("returns/", return_views.ReturnListView.as_view(), name="return-list"),
    path("returns/<int:pk>/", return_views.ReturnDetailView.as_view(), name="return-detail"),
    path("returns/files/<int:pk>/", return_views.answer_attachment, name="attachment"),
    path("findings/<int:pk>/tag/", views.FindingTagView.as_view(), name="finding-tag"),
    path("findings/<int:pk>/untag/", views.FindingUntagView.as_view(), name="finding-untag"),
]
