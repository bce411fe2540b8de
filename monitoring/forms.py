from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import StyledFormMixin

from .choices import SCORE_MAX, SCORE_MIN
from .periods import Period
from .services import Reply

SCORES = [(n, str(n)) for n in range(SCORE_MIN, SCORE_MAX + 1)]


class ReportForm(StyledFormMixin, forms.Form):
    """The active questionnaire as a form: per question a score (1 very poor … 5 very good) and a note."""

    period = forms.ChoiceField(label=_("reporting period"))

    def __init__(self, *args, questions, periods: list[Period], **kwargs):
        self.questions = list(questions)
        self.periods = {period.start.isoformat(): period for period in periods}
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = [(key, period.label()) for key, period in self.periods.items()]
        self.fields["period"].initial = list(self.periods)[-1] if self.periods else None
        for question in self.questions:
            self.fields[f"score_{question.code}"] = forms.TypedChoiceField(
                label=question.text,
                choices=SCORES,
                coerce=int,
                widget=forms.RadioSelect,
                help_text=_("1 very poor · 3 fair · 5 very good"),
                error_messages={
                    "required": _("Please give a score from 1 to 5."),
                    "invalid_choice": _("A score is 1 to 5."),
                },
            )
            self.fields[f"note_{question.code}"] = forms.CharField(
                label=_("Note on “%(question)s”") % {"question": question.text},
                required=False,
                max_length=500,
                widget=forms.TextInput,
            )
        self.fields["problem"] = forms.CharField(
            label=_("Any problem to report"),
            required=False,
            max_length=2000,
            widget=forms.Textarea(attrs={"rows": 4}),
            help_text=_("After filing you may turn it into a complaint with one click."),
        )

    def chosen_period(self) -> Period:
        return self.periods[self.cleaned_data["period"]]

    def replies(self) -> dict[str, Reply]:
        data = self.cleaned_data
        return {q.code: Reply(data.get(f"score_{q.code}"), data.get(f"note_{q.code}", "")) for q in self.questions}


class ToComplaintForm(StyledFormMixin, forms.Form):
    is_anonymous = forms.BooleanField(
        label=_("File anonymously"),
        required=False,
        help_text=_("Anonymous: the complaint keeps nothing about who filed it and is not linked to this report."),
    )
