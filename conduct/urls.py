from django.urls import path

from . import views

app_name = "conduct"

urlpatterns = [
    path("lists/", views.ListItemListView.as_view(), name="item-list"),
    path("lists/new/", views.ListItemFormView.as_view(), name="item-create"),
    path("lists/<int:pk>/edit/", views.ListItemFormView.as_view(), name="item-update"),
    path("registrations/", views.RegistrationListView.as_view(), name="registration-list"),
    path("registrations/new/", views.RegistrationFormView.as_view(), name="registration-create"),
    path("registrations/<int:pk>/", views.RegistrationDetailView.as_view(), name="registration-detail"),
    path("registrations/<int:pk>/edit/", views.RegistrationFormView.as_view(), name="registration-update"),
    path("activities/", views.ActivityListView.as_view(), name="activity-list"),
    path("activities/new/", views.ActivityFormView.as_view(), name="activity-create"),
    path("activities/<int:pk>/", views.ActivityDetailView.as_view(), name="activity-detail"),
    path("activities/<int:pk>/edit/", views.ActivityFormView.as_view(), name="activity-update"),
    path("activities/files/<int:pk>/", views.activity_material, name="material"),
]
