"""The second-factor pages: the user's own page, set-up, the verify step after the password, new recovery
codes; and the Django admin's login, which sends everybody through the portal's login and second factor."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import refusals
from core.forms import add_validation_error

from .forms import SetupCodeForm, VerifyCodeForm
from .services import (
    VERIFY,
    check_code,
    has_two_factor,
    otpauth_qr_svg,
    pending_step,
    recovery_codes_left,
    recovery_codes_regenerate,
    role_requires_two_factor,
    secret_in_groups,
    two_factor_enrol_confirm,
    two_factor_enrol_start,
)

LOW_RECOVERY_CODES = 3


def _next_url(request) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _staff_only(user) -> None:
    """Commission admins, inspectors and park officers may enrol; enterprise users log in to see their own
    complaints and have no use for it."""
    if not user.is_staff_reader:
        raise PermissionDenied(refusals.FOR_STAFF)


def _passed(request, device) -> None:
    request.session.cycle_key()  # the session is worth more now: give it a new key
    otp_login(request, device)


def _recovery_codes_page(request, codes, *, first: bool):
    return render(
        request,
        "accounts/two_factor/recovery_codes.html",
        {"codes": codes, "first": first, "next": _next_url(request)},
    )


@login_required
def manage(request):
    _staff_only(request.user)
    device = TOTPDevice.objects.filter(user=request.user, confirmed=True).first()
    return render(
        request,
        "accounts/two_factor/manage.html",
        {
            "device": device,
            "codes_left": recovery_codes_left(request.user) if device else 0,
            "required": role_requires_two_factor(request.user),
            "low": LOW_RECOVERY_CODES,
        },
    )


class SetupView(LoginRequiredMixin, View):
    """Scan the QR code (or type the secret), confirm with the first code; the recovery codes are shown once."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        _staff_only(request.user)
        if has_two_factor(request.user):
            messages.info(request, _("Two-factor authentication is already enabled."))
            return redirect("two_factor:manage")
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        return self.render(SetupCodeForm())

    def post(self, request):
        form = SetupCodeForm(request.POST)
        if form.is_valid():
            try:
                device, codes = two_factor_enrol_confirm(user=request.user, code=form.cleaned_data["code"])
            except ValidationError as error:
                add_validation_error(form, error)
            else:
                _passed(request, device)
                messages.success(request, _("Two-factor authentication is enabled."))
                return _recovery_codes_page(request, codes, first=True)
        return self.render(form)

    def render(self, form):
        device = two_factor_enrol_start(self.request.user)
        return render(
            self.request,
            "accounts/two_factor/setup.html",
            {
                "form": form,
                "qr_svg": otpauth_qr_svg(device),
                "secret": secret_in_groups(device),
                "required": role_requires_two_factor(self.request.user),
                "next": _next_url(self.request),
            },
        )


class VerifyView(LoginRequiredMixin, View):
    """The step after the password for users who have a second factor."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if pending_step(request.user) != VERIFY:
            return redirect(_next_url(request))
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        return self.render(VerifyCodeForm())

    def post(self, request):
        form = VerifyCodeForm(request.POST)
        status = 200
        if form.is_valid():
            result = check_code(request.user, form.cleaned_data["code"])
            if result:
                _passed(request, result.device)
                if result.recovery_codes_left is not None:
                    level = messages.WARNING if result.recovery_codes_left <= LOW_RECOVERY_CODES else messages.INFO
                    messages.add_message(
                        request,
                        level,
                        _(
                            "You used a recovery code; it cannot be used again. %(count)s recovery codes are left: "
                            "make new ones on the two-factor authentication page when few remain."
                        )
                        % {"count": result.recovery_codes_left},
                    )
                return redirect(_next_url(request))
            form.add_error("code", result.message)
            status = 429 if result.locked_until else 200
        return self.render(form, status=status)

    def render(self, form, status=200):
        return render(
            self.request,
            "accounts/two_factor/verify.html",
            {"form": form, "next": _next_url(self.request)},
            status=status,
        )


@require_POST
@login_required
def regenerate_recovery_codes(request):
    _staff_only(request.user)
    if not has_two_factor(request.user):
        return redirect("two_factor:manage")
    codes = recovery_codes_regenerate(request.user)
    messages.success(request, _("New recovery codes made; the old ones no longer work."))
    return _recovery_codes_page(request, codes, first=False)


def admin_login(request, extra_context=None):
    """The Django admin's login page is not a second way in: it sends to the portal's login (and from there
    through the second factor), and back to the admin page asked for."""
    next_url = request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = reverse("admin:index")
    if not request.user.is_authenticated:
        return redirect_to_login(next_url, settings.LOGIN_URL)
    step = pending_step(request.user)
    if step is not None:
        return redirect_to_login(next_url, reverse(f"two_factor:{step}"))
    if admin_has_permission(request):
        return redirect(next_url)
    raise PermissionDenied(refusals.FOR_COMMISSION_ADMINS)


def admin_has_permission(request) -> bool:
    """The admin site's own check, with the second factor: even if the middleware were left out."""
    user = request.user
    return user.is_active and user.is_staff and pending_step(user) is None
