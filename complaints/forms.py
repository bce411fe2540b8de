from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from accounts.choices import Role
from accounts.models import User
from core.fields import MultipleFileField
from core.forms import StyledFormMixin
from core.workflow import NOT_GIVEN
from parks.validators import validate_phone

from .choices import Category, Rating
from .services import named_contact_errors

TEXT_MAX = settings.COMPLAINT_TEXT_MAX_LENGTH


def _text(label, *, required=True, rows=5, help_text=""):
    return forms.CharField(
        label=label,
        required=required,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": rows}),
        help_text=help_text,
    )


class ComplaintForm(StyledFormMixin, forms.Form):
    category = forms.ChoiceField(label=_("What is it about?"), choices=Category.choices)
    subject = forms.CharField(
        label=_("Department or official complained about"),
        max_length=200,
        help_text=_("e.g. the approval office of the management committee, or the official's position"),
    )
    description = _text(_("What happened"), rows=6, help_text=_("When, where, who, what — as exactly as you can."))
    demand = _text(_("What you would like done"), required=False, rows=3)
    is_anonymous = forms.BooleanField(
        label=_("File anonymously"),
        required=False,
        help_text=_(
            "Nothing about you is kept: no name, phone, enterprise or account. Keep the tracking code — "
            "it is the only way to follow the complaint."
        ),
    )
    contact_name = forms.CharField(label=_("Your name"), max_length=50, required=False)
    contact_phone = forms.CharField(label=_("Your phone"), max_length=30, required=False, validators=[validate_phone])
    enterprise_name = forms.CharField(label=_("Your enterprise"), max_length=200, required=False)
    files = MultipleFileField()

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.has_account = user is not None and user.is_authenticated
        self.fields["files"].help_text = _(
            "Pictures, PDF, OFD or Office/WPS documents; at most %(count)d files of %(size)d MB each."
        ) % {"count": settings.PORTAL_UPLOAD_MAX_FILES, "size": settings.PORTAL_UPLOAD_MAX_MB}
        if user is not None and user.is_authenticated and user.role == Role.ENTERPRISE and user.enterprise_id:
            self.fields["enterprise_name"].initial = user.enterprise.name
            self.fields["enterprise_name"].disabled = True
            self.fields["contact_name"].initial = user.display_name
            self.fields["contact_phone"].initial = user.phone

    def clean(self):
        data = super().clean()
        if data.get("is_anonymous"):
            # Whatever was typed into the contact fields is not kept.
            data["contact_name"] = data["contact_phone"] = data["enterprise_name"] = ""
        else:
            for field, message in named_contact_errors(
                is_anonymous=False,
                has_account=self.has_account,
                contact_name=data.get("contact_name", "x"),
                contact_phone=data.get("contact_phone", "x"),
            ).items():
                self.add_error(field, message)
        return data


class TrackForm(StyledFormMixin, forms.Form):
    code = forms.CharField(
        label=_("Tracking code"),
        max_length=40,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "spellcheck": "false", "placeholder": "XXXX-XXXX-XXXX-XXXX"}
        ),
    )


class SupplementForm(StyledFormMixin, forms.Form):
    text = _text(_("Information to add"), rows=4)
    files = MultipleFileField()


class RateForm(StyledFormMixin, forms.Form):
    rating = forms.ChoiceField(
        label=_("How satisfied are you with the answer?"), choices=Rating.choices, widget=forms.RadioSelect
    )
    comment = _text(_("Comment"), required=False, rows=3)


class NoteForm(StyledFormMixin, forms.Form):
    note = _text(_("Note"), required=False, rows=2)


class RejectForm(StyledFormMixin, forms.Form):
    reason = _text(_("Reason for not accepting (shown to the complainant)"), rows=3)


class AssignForm(StyledFormMixin, forms.Form):
    officer = forms.ModelChoiceField(label=_("Officer"), queryset=User.objects.none())
    instructions = _text(_("Instructions (staff only)"), required=False, rows=2)
    share_attachments = forms.BooleanField(
        label=_("Share the complainant's attachments with the officer"), required=False
    )
    # Who was assigned when the page was shown: the service refuses if someone assigned it meanwhile.
    seen_assignee = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, complaint, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("seen_assignee", complaint.assigned_to_id or "")
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = User.objects.filter(
            role=Role.PARK_OFFICER, is_active=True, parks=complaint.park_id
        ).order_by("department", "name")
        self.fields["officer"].label_from_instance = lambda user: (
            f"{user.display_name}（{user.department}）" if user.department else user.display_name
        )

    @property
    def has_officers(self) -> bool:
        return self.fields["officer"].queryset.exists()

    def clean_seen_assignee(self):
        if "seen_assignee" not in self.data:
            return NOT_GIVEN  # a form posted without it (a script): the step is taken as asked
        value = self.cleaned_data["seen_assignee"].strip()
        if not value:
            return None
        if not value.isdigit():
            raise forms.ValidationError(_("This page is out of date; reload it."))
        return int(value)


class ReplyForm(StyledFormMixin, forms.Form):
    text = _text(_("Reply (shown to the complainant)"), rows=5)
    files = MultipleFileField()


class InternalNoteForm(StyledFormMixin, forms.Form):
    text = _text(_("Internal note (staff only)"), rows=2)
