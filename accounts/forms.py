from django.contrib.auth import forms as auth_forms

from core.forms import StyledFormMixin


class PasswordChangeForm(StyledFormMixin, auth_forms.PasswordChangeForm):
    pass
