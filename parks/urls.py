from django.urls import path

from . import views

app_name = "parks"

urlpatterns = [
    path("parks/", views.ParkListView.as_view(), name="park-list"),
    path("enterprises/", views.EnterpriseListView.as_view(), name="enterprise-list"),
    path("enterprises/new/", views.EnterpriseFormView.as_view(), name="enterprise-create"),
    path("enterprises/<int:pk>/", views.EnterpriseDetailView.as_view(), name="enterprise-detail"),
    path("enterprises/<int:pk>/edit/", views.EnterpriseFormView.as_view(), name="enterprise-update"),
]
