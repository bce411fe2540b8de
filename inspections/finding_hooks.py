"""Extension points of a finding, for the apps above inspections (campaigns): extra fields of the
"turn an alert/complaint into a finding" forms, what to do once such a finding is made, and panels on
the finding's page. Inspections imports none of those apps: they register here in ``AppConfig.ready``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms

from core.forms import StyledFormMixin, style_form

if TYPE_CHECKING:
    from django.http import HttpRequest

    from accounts.models import User

    from .models import Finding


class FindingExtension:
    """One app's additions. ``fields`` names its form fields (prefixed by the app so that two extensions
    never clash); ``after_create`` runs in the transaction that made the finding (raise ValidationError to
    undo it all); ``panel`` returns HTML shown on the finding's page, or ""."""

    def fields(self, *, user: User, park_id: int) -> dict[str, forms.Field]:
        return {}

    def after_create(self, *, actor: User, finding: Finding, data: dict[str, Any]) -> None:
        pass

    def panel(self, request: HttpRequest, finding: Finding) -> str:
        return ""


EXTENSIONS: list[FindingExtension] = []


def register(extension_class: type[FindingExtension]) -> type[FindingExtension]:
    EXTENSIONS.append(extension_class())
    return extension_class


class ExtraFindingForm(StyledFormMixin, forms.Form):
    """The registered extensions' fields for a finding of ``park_id`` (none registered: an empty form)."""

    def __init__(self, *args, user: User, park_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        for extension in EXTENSIONS:
            self.fields.update(extension.fields(user=user, park_id=park_id))
        style_form(self)


def after_create(*, actor: User, finding: Finding, data: dict[str, Any] | None) -> None:
    for extension in EXTENSIONS:
        extension.after_create(actor=actor, finding=finding, data=data or {})


def panels(request: HttpRequest, finding: Finding) -> list[str]:
    return [html for extension in EXTENSIONS if (html := extension.panel(request, finding))]
