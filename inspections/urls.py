from django.urls import path

from . import finding_views, measures, views

app_name = "inspections"

urlpatterns = [
    path("inspections/", views.InspectionListView.as_view(), name="inspection-list"),
    path("inspections/new/", views.InspectionFormView.as_view(), name="inspection-create"),
    path("inspections/<int:pk>/", views.InspectionDetailView.as_view(), name="inspection-detail"),
    path("inspections/<int:pk>/edit/", views.InspectionFormView.as_view(), name="inspection-update"),
    path("findings/<int:pk>/", views.FindingDetailView.as_view(), name="finding-detail"),
    path("findings/<int:pk>/edit/", finding_views.FindingEditView.as_view(), name="finding-update"),
    path("rectification/", views.TaskBoardView.as_view(), name="task-board"),
    path("rectification/<int:pk>/", views.TaskDetailView.as_view(), name="task-detail"),
    path("rectification/files/<int:pk>/", views.task_attachment, name="attachment"),
    path("risks/alerts/<int:pk>/finding/", views.AlertToFindingView.as_view(), name="alert-to-finding"),
    path("complaints/<int:pk>/finding/", views.ComplaintToFindingView.as_view(), name="complaint-to-finding"),
    path("visits/", views.VisitListView.as_view(), name="visit-list"),
    path("visits/new/", views.VisitFormView.as_view(), name="visit-create"),
    path("visits/<int:pk>/", views.VisitDetailView.as_view(), name="visit-detail"),
    path("demands/", views.DemandBoardView.as_view(), name="demand-board"),
    path("measures/", measures.MeasureListView.as_view(), name="measure-list"),
    path("inbox/", views.InboxView.as_view(), name="inbox"),
    path("inbox/<int:pk>/", views.open_notification, name="notification"),
]
