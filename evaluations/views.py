from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from accounts import refusals
from core.forms import add_validation_error
from core.views import posted_id
from parks.models import Park

from . import services
from .choices import Dimension
from .forms import NegativeForm, ScoreForm
from .models import Round, Score
from .selectors import park_negatives, park_scores, results


class StaffOnly(LoginRequiredMixin):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not request.user.is_commission_staff:
            raise PermissionDenied(refusals.FOR_COMMISSION_STAFF)
        return super().dispatch(request, *args, **kwargs)


class RoundListView(StaffOnly, View):
    def get(self, request):
        return render(
            request, "evaluations/rounds.html", {"rounds": Round.objects.all(), "this_year": timezone.localdate().year}
        )

    def post(self, request):
        try:
            year = request.POST.get("year", "").strip()
            round_ = services.round_open(actor=request.user, year=int(year) if year.isdigit() else None)
        except ValidationError as error:
            messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
            return redirect("evaluations:rounds")
        return redirect(round_)


class RoundView(StaffOnly, View):
    def get(self, request, year):
        round_ = get_object_or_404(Round, year=year)
        return render(
            request,
            "evaluations/round.html",
            {
                "round": round_,
                "rows": results(user=request.user, round_=round_),
                "dimensions": Dimension.choices,
            },
        )

    def post(self, request, year):
        round_ = get_object_or_404(Round, year=year)
        try:
            if request.POST.get("action") == "compute":
                services.round_compute(actor=request.user, round_=round_)
                messages.success(request, _("Computed indicators updated from the data."))
            elif request.POST.get("action") == "finalise":
                services.round_finalise(actor=request.user, round_=round_)
                messages.success(request, _("The round is finalised; it is now read-only."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect(round_)


class ParkSheetView(StaffOnly, View):
    template_name = "evaluations/park.html"

    def get_context(self, request, year, code, forms=None):
        round_ = get_object_or_404(Round, year=year)
        park = get_object_or_404(Park.objects.visible_to(request.user), code=code)
        scores = park_scores(user=request.user, round_=round_, park=park)
        forms = forms or {}
        groups = []
        for dimension, label in Dimension.choices:
            items = [
                (s, forms.get(s.pk) or ScoreForm(initial={"value": s.value, "justification": s.justification}))
                for s in scores
                if s.indicator.dimension == dimension
            ]
            groups.append((label, items))
        row = next((r for r in results(user=request.user, round_=round_) if r["park"] == park), None)
        negatives = park_negatives(user=request.user, round_=round_, park=park)
        return {
            "round": round_,
            "park": park,
            "groups": groups,
            "row": row,
            "negatives": negatives,
            "negative_form": forms.get("negative") or NegativeForm(),
            "editable": not round_.is_final,
        }

    def get(self, request, year, code):
        return render(request, self.template_name, self.get_context(request, year, code))

    def post(self, request, year, code):
        context = self.get_context(request, year, code)
        if "score" in request.POST:
            score = get_object_or_404(
                Score.objects.visible_to(request.user),
                pk=posted_id(request, "score"),
                round=context["round"],
                park=context["park"],  # this page scores this park only
            )
            form = ScoreForm(request.POST)
            if form.is_valid():
                try:
                    services.score_enter(actor=request.user, score=score, **form.cleaned_data)
                except ValidationError as error:
                    add_validation_error(form, error)
                else:
                    messages.success(request, _("Score saved."))
                    return redirect(request.path)
            return render(request, self.template_name, self.get_context(request, year, code, forms={score.pk: form}))
        form = NegativeForm(request.POST)
        if form.is_valid():
            try:
                services.negative_record(
                    actor=request.user, round_=context["round"], park=context["park"], **form.cleaned_data
                )
            except ValidationError as error:
                add_validation_error(form, error)
            else:
                messages.success(request, _("Negative-list item recorded."))
                return redirect(request.path)
        return render(request, self.template_name, self.get_context(request, year, code, forms={"negative": form}))


class ParkReportView(ParkSheetView):
    """One printable page per park."""

    template_name = "evaluations/report.html"

    def post(self, request, year, code):
        raise PermissionDenied
