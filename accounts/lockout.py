"""What a locked-out login gets (django-axes calls ``lockout_response`` through AXES_LOCKOUT_CALLABLE): the login
page again, in Chinese, with the username kept; on the API, the project's error shape. Status 429 either way."""

from axes.helpers import get_client_username, get_cool_off
from django.contrib.auth.forms import AuthenticationForm
from django.forms.utils import ErrorDict
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from core.http import error_response


def lockout_minutes(request=None) -> int:
    return max(1, round(get_cool_off(request).total_seconds() / 60))


def lockout_message(request=None) -> str:
    return _(
        "Too many failed log-ins: this account is locked for your address. Try again in %(minutes)d minutes, "
        "or ask a commission administrator to clear the lock."
    ) % {"minutes": lockout_minutes(request)}


def lockout_response(request, original_response=None, credentials=None):
    retry_after = str(lockout_minutes(request) * 60)
    if request.path.startswith(reverse("api-root")):
        response = error_response(status=429, code="locked_out", detail=lockout_message(request))
    else:
        username = get_client_username(request, credentials) or ""
        form = AuthenticationForm(request, data={"username": username})
        form._errors, form.cleaned_data = ErrorDict(), {}  # the page shows the lock, not a password error
        form.add_error(None, lockout_message(request))
        next_url = request.POST.get("next") or request.GET.get("next") or ""
        response = render(request, "registration/login.html", {"form": form, "next": next_url}, status=429)
    response["Retry-After"] = retry_after
    return response
