"""The park page gathers figures from the apps above ``parks``, so ``desks`` serves it; it keeps its
address and its name in the parks namespace (``parks:park-detail``) by joining the parks app's own pages."""

from django.urls import path

from parks import urls as parks_urls

from . import views

park_pages = (
    [
        *parks_urls.urlpatterns[:1],
        path("parks/<str:code>/", views.ParkDetailView.as_view(), name="park-detail"),
        *parks_urls.urlpatterns[1:],
    ],
    parks_urls.app_name,
)
