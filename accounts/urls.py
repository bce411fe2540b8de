from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("account/tokens/", views.TokenListView.as_view(), name="tokens"),
]
