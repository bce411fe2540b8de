from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from accounts.forms import PasswordChangeForm
from core.views import HomeView, healthz

admin.site.site_header = _("Clean Park Integrity Supervision Portal — administration")
admin.site.site_title = _("Clean Park administration")
admin.site.index_title = _("Administration")

urlpatterns = [
    path("", HomeView.as_view(), name="home"),
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "password/",
        auth_views.PasswordChangeView.as_view(form_class=PasswordChangeForm, success_url="/"),
        name="password_change",
    ),
    path("healthz/", healthz, name="healthz"),
    path("", include("parks.urls")),
    path("api/", include("parks.api.urls")),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
