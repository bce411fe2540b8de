"""The public part of the API alone, as a URLconf: what /api/public/schema/ describes
(``manage.py spectacular --urlconf config.api_public``)."""

from django.urls import include, path

from .api import public_urlpatterns

urlpatterns = [path("api/", include(public_urlpatterns))]
