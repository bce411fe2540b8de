"""API tokens: issued for a username and password through the same lockout as the login page, revoked on logout."""

from django.contrib.auth import authenticate, user_logged_in
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema
from knox import views as knox_views
from rest_framework import exceptions, serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from core.api import ApiErrorSerializer

from .lockout import lockout_message
from .services import token_issue
from .two_factor import has_two_factor, two_factor_required, verify_code


class LockedOut(exceptions.APIException):
    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    default_code = "locked_out"
    default_detail = gettext_lazy("Too many failed log-ins.")


class SecondFactorRequired(exceptions.APIException):
    status_code = status.HTTP_400_BAD_REQUEST
    default_code = "two_factor_required"
    default_detail = gettext_lazy("Enter the current code of your authenticator app or a recovery code.")


class SecondFactorSetupRequired(exceptions.APIException):
    status_code = status.HTTP_403_FORBIDDEN
    default_code = "two_factor_setup_required"
    default_detail = gettext_lazy("Set up two-factor authentication on the portal first.")


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=4096, trim_whitespace=False, write_only=True)
    otp = serializers.CharField(
        max_length=32,
        required=False,
        allow_blank=True,
        write_only=True,
        help_text="The code of the authenticator app (or a recovery code), for users with a second factor.",
    )

    def validate(self, attrs):
        """The one place where credentials for a token are checked. django-axes sees the attempt through
        ``authenticate`` (it needs Django's request, not DRF's wrapper, to flag a lockout). The second factor
        (``otp``: app or recovery code) is checked after the password, before a token is issued, for whoever
        must pass it on the login page too."""
        request = self.context["request"]._request
        user = authenticate(request, username=attrs["username"], password=attrs["password"])
        if getattr(request, "axes_locked_out", False):
            raise LockedOut(lockout_message(request))
        if user is None:
            raise serializers.ValidationError(_("Wrong username or password."), code="authorization")
        if two_factor_required(user) and not verify_code(user, attrs.get("otp", "")):
            raise SecondFactorRequired() if has_two_factor(user) else SecondFactorSetupRequired()
        attrs["user"] = user
        return attrs


class IssuedTokenSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="Send it as `Authorization: Token <token>`; it is shown only now.")
    expiry = serializers.DateTimeField()


class TokenObtainView(GenericAPIView):
    """POST username and password (JSON or form): a new API token, valid for API_TOKEN_TTL_HOURS."""

    authentication_classes = []
    permission_classes = [AllowAny]
    serializer_class = TokenRequestSerializer

    @extend_schema(
        auth=[],
        responses={
            200: IssuedTokenSerializer,
            400: OpenApiResponse(
                ApiErrorSerializer,
                description="Wrong username or password, malformed input, or a missing or wrong second-factor code.",
            ),
            403: OpenApiResponse(ApiErrorSerializer, description="The user must set up a second factor first."),
            429: OpenApiResponse(ApiErrorSerializer, description="Too many failed log-ins for this user and address."),
        },
    )
    def post(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = serializer.validated_data["user"]
        instance, token = token_issue(user=user)
        # What a login does: django-axes clears the failures of this (user, address), last_login is set.
        user_logged_in.send(sender=user.__class__, request=request._request, user=user)
        response = Response(IssuedTokenSerializer({"token": token, "expiry": instance.expiry}).data)
        add_never_cache_headers(response)
        return response


@extend_schema(request=None, responses={204: None})
class TokenLogoutView(knox_views.LogoutView):
    """Revoke the token this request was sent with."""


@extend_schema(request=None, responses={204: None})
class TokenLogoutAllView(knox_views.LogoutAllView):
    """Revoke every token of the user this request's token belongs to."""
