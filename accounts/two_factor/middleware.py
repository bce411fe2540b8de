from django.contrib.auth.views import redirect_to_login
from django.urls import reverse
from django.utils.translation import gettext as _

from core.http import error_response

from .services import SETUP, pending_step

# Reachable while the second factor is pending: leaving, and what anybody may open without an account.
OPEN_VIEWS = frozenset(
    {
        "login",
        "logout",
        "healthz",
        "complaints:choose-park",
        "complaints:report",
        "complaints:track",
        "complaints:qr",
        "complaints:poster",
        "complaints:receipt",
        "complaints:tracked",
        "public-complaint",
        "public-track",
        "api-public-schema",
        "api-public-docs",
        "api-token",  # authenticates by password itself, and asks for the code itself
    }
)


class SecondFactorMiddleware:
    """After ``django_otp.middleware.OTPMiddleware``. A user who logged in with the password but has not
    passed the second factor is sent to the verify page (or, if their role requires a second factor and
    they have none, to the set-up page) from every page but those in OPEN_VIEWS, ``next`` kept; the API
    used through the session answers 403. Requests authenticated by an API token carry no session user
    and pass untouched."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not request.user.is_authenticated or request.user.is_verified():
            return None
        view_name = request.resolver_match.view_name if request.resolver_match else ""
        if view_name in OPEN_VIEWS:
            return None
        step = pending_step(request.user)
        if step is None or view_name == f"two_factor:{step}":
            return None
        if request.path_info.startswith("/api/"):
            if step == SETUP:
                code, detail = "two_factor_setup_required", _("Set up two-factor authentication on the portal first.")
            else:
                code, detail = "two_factor_required", _("Enter the code of your authenticator app on the portal first.")
            return error_response(status=403, code=code, detail=detail)
        return redirect_to_login(request.get_full_path(), reverse(f"two_factor:{step}"))
