from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import redirect
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.generic import TemplateView

from . import services


@method_decorator(sensitive_post_parameters("password"), name="dispatch")
class LoginView(auth_views.LoginView):
    """The login page. Failed attempts are counted per (username, client address) by django-axes, on this
    page, the API token endpoint and the admin login alike; a locked pair gets accounts.lockout's page."""

    redirect_authenticated_user = True


@method_decorator(never_cache, name="dispatch")  # the page that shows a new token is not kept by any cache
class TokenListView(LoginRequiredMixin, TemplateView):
    """/account/tokens/ — the user's API tokens: created, expiry and first characters (never the token, which is
    shown once, when it is created); revoke one or all."""

    template_name = "accounts/tokens.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            tokens=services.tokens_of(self.request.user).order_by("-created"),
            ttl_hours=settings.API_TOKEN_TTL_HOURS,
            **kwargs,
        )

    def post(self, request):
        action = request.POST.get("action")
        user = request.user
        if action == "create":
            _instance, token = services.token_issue(user=user)
            # Rendered, not redirected: the token is shown this once and kept nowhere (not in the session).
            return self.render_to_response(self.get_context_data(new_token=token))
        if action == "revoke":
            if not services.token_revoke(user=user, key=request.POST.get("token", "")):
                raise Http404
            messages.success(request, _("The token was revoked."))
        elif action == "revoke_all":
            count = services.tokens_revoke_all(user=user)
            messages.success(request, _("%(count)d tokens revoked.") % {"count": count})
        else:
            return HttpResponseBadRequest(_("Unknown action."))
        return redirect("accounts:tokens")
