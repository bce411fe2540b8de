from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from accounts.forms import PasswordChangeForm
from accounts.views import LoginView
from core.views import bench_bare, export_download, export_status, favicon, healthz
from desks.urls import park_pages
from desks.views import HomeView

admin.site.site_header = _("Clean Park Integrity Supervision Portal — administration")
admin.site.site_title = _("Clean Park administration")
admin.site.index_title = _("Administration")

urlpatterns = [
    path("", HomeView.as_view(), name="home"),
    path("login/", LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "password/",
        auth_views.PasswordChangeView.as_view(form_class=PasswordChangeForm, success_url="/"),
        name="password_change",
    ),
    path("account/2fa/", include("accounts.two_factor.urls")),
    path("", include("accounts.urls")),
    path("healthz/", healthz, name="healthz"),
    path("favicon.ico", favicon, name="favicon"),
    path("exports/<int:pk>/", export_download, name="export-download"),
    path("exports/<int:pk>/status/", export_status, name="export-status"),
    path("imports/", include("core.import_urls")),
    path("calendar/", include("core.calendar_urls")),
    path("", include(park_pages)),
    path("", include("complaints.urls")),
    path("risks/", include("risks.urls")),
    path("", include("inspections.urls")),
    path("conduct/", include("conduct.urls")),
    path("collisions/", include("collisions.urls")),
    path("evaluations/", include("evaluations.urls")),
    path("supervision/", include("supervision.urls")),
    path("monitoring/", include("monitoring.urls")),
    path("campaigns/", include("campaigns.urls")),
    path("api/", include("config.api")),
    path("admin/", admin.site.urls),
]

if settings.PORTAL_BENCH:  # bench/intake.py's baseline; never routed in production
    urlpatterns.append(path("bench/bare/", bench_bare))

handler400 = "core.views.bad_request"
handler404 = "core.views.page_not_found"
handler500 = "core.views.server_error"
