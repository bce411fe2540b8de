from django.contrib.auth import views as auth_views
from django.utils.decorators import method_decorator
from django.views.decorators.debug import sensitive_post_parameters


@method_decorator(sensitive_post_parameters("password"), name="dispatch")
class LoginView(auth_views.LoginView):
    """The login page. Failed attempts are counted per (username, client address) by django-axes, on this
    page, the API token endpoint and the admin login alike; a locked pair gets accounts.lockout's page."""

    redirect_authenticated_user = True
