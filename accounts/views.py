from django.conf import settings
from django.contrib.auth import views as auth_views
from django.forms.utils import ErrorDict
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django_ratelimit.core import is_ratelimited


@method_decorator(sensitive_post_parameters("password"), name="dispatch")
class LoginView(auth_views.LoginView):
    """The login page, with password guessing slowed down: per account name and per client address."""

    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        username = (request.POST.get("username") or "").strip().lower()
        limited = is_ratelimited(
            request, group="login-ip", key="ip", rate=settings.LOGIN_RATE_PER_IP, method="POST", increment=True
        )
        limited = (
            is_ratelimited(
                request,
                group="login-user",
                key=lambda group, request: username,
                rate=settings.LOGIN_RATE_PER_USERNAME,
                method="POST",
                increment=True,
            )
            or limited
        )
        if limited:
            form = self.get_form()
            form._errors, form.cleaned_data = ErrorDict(), {}  # the form is not checked at all: nothing is tried
            form.add_error(None, _("Too many attempts. Wait a quarter of an hour and try again."))
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().post(request, *args, **kwargs)
