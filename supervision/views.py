"""Observations (廉情信息): the list (a supervisor's own; the inspectors' of their parks), filing one, its
page with the steps, accepting it as a finding, its files."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from core.columns import ColumnsTableMixin
from core.exports import Sheet, exportable
from core.forms import add_validation_error
from core.uploads import attachment_response
from core.views import FilteredListView, ScopedQuerysetMixin
from core.workflow import TransitionNotAllowed
from risks.choices import RiskDomain

from . import services
from .choices import ObservationCategory
from .columns import OBSERVATIONS
from .filters import ObservationFilter
from .forms import AnswerForm, NoteForm, ObservationFindingForm, ObservationForm
from .models import Observation, ObservationAttachment
from .resources import ObservationResource
from .workflow import observation_steps_for

#: Why a role is refused the observation pages (the 403 page says it).
FOR_OBSERVERS = gettext_lazy("Observations are for supervisors, inspectors and commission administrators.")


class ObserversOnlyMixin(LoginRequiredMixin):
    """Supervisors and commission staff; park officers and enterprise users never see observations."""

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if user.is_authenticated and not (user.is_commission_staff or user.is_supervisor):
            raise PermissionDenied(FOR_OBSERVERS)
        return super().dispatch(request, *args, **kwargs)


@exportable("observations")
class ObservationListView(ObserversOnlyMixin, ColumnsTableMixin, FilteredListView):
    model = Observation
    columns = OBSERVATIONS
    export_sheets = [Sheet(OBSERVATIONS.title, ObservationResource, lambda qs: qs.select_related("park"))]
    filterset_class = ObservationFilter
    select_related = ("park",)
    template_name = "supervision/observation_list.html"


class ObservationCreateView(LoginRequiredMixin, View):
    template_name = "supervision/observation_form.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not request.user.is_supervisor:
            raise PermissionDenied(_("Only supervisors file observations."))
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        form = ObservationForm(user=request.user, initial={"occurred_on": timezone.localdate()})
        return render(request, self.template_name, {"form": form})

    def post(self, request):
        form = ObservationForm(request.POST, request.FILES, user=request.user)
        if form.is_valid():
            try:
                observation = services.observation_submit(
                    actor=request.user, observation=form.instance, files=form.cleaned_data["files"]
                )
            except ValidationError as error:
                add_validation_error(form, error)
            else:
                messages.success(request, _("Observation submitted: the park's inspectors have been told."))
                return redirect(observation)
        return render(request, self.template_name, {"form": form})


STEP_LABELS = {
    "ask": gettext_lazy("Question for the supervisor"),
    "answer": gettext_lazy("Your answer"),
    "file": gettext_lazy("Reason for filing"),
}


def step_form(step: str, data=None, files=None):
    if step == "answer":
        return AnswerForm(data, files, label=STEP_LABELS[step], prefix=step)
    return NoteForm(data, label=STEP_LABELS[step], prefix=step)


class ObservationDetailView(ObserversOnlyMixin, ScopedQuerysetMixin, View):
    model = Observation

    def get_object(self, pk):
        return get_object_or_404(self.get_queryset().select_related("park", "supervisor", "finding"), pk=pk)

    def get(self, request, pk, forms=None, status=200):
        observation = self.get_object(pk)
        steps = observation_steps_for(observation, request.user)
        forms = forms or {}
        context = {
            "observation": observation,
            "steps": steps,
            "forms": {step: forms.get(step) or step_form(step) for step in steps if step in STEP_LABELS},
            "history": observation.steps.select_related("actor"),
            "attachments": observation.attachments.all(),
        }
        return render(request, "supervision/observation_detail.html", context, status=status)

    def post(self, request, pk):
        observation = self.get_object(pk)
        step = request.POST.get("step", "")
        if step not in STEP_LABELS:
            raise Http404
        form = step_form(step, request.POST, request.FILES)
        if form.is_valid():
            note = form.cleaned_data["note"]
            try:
                if step == "ask":
                    services.observation_ask(actor=request.user, observation=observation, question=note)
                elif step == "answer":
                    services.observation_answer(
                        actor=request.user, observation=observation, answer=note, files=form.cleaned_data["files"]
                    )
                else:
                    services.observation_file(actor=request.user, observation=observation, reason=note)
            except TransitionNotAllowed as error:
                messages.error(request, error.message)
                return redirect(observation)
            except ValidationError as error:
                add_validation_error(form, error)
            else:
                messages.success(request, _("Done."))
                return redirect(observation)
        return self.get(request, pk, forms={step: form})


CATEGORY_DOMAINS = {
    ObservationCategory.CONDUCT: RiskDomain.DUTIES,
    ObservationCategory.EXTORTION: RiskDomain.SERVICE,
    ObservationCategory.POLICY: RiskDomain.INCENTIVES,
    ObservationCategory.BUSINESS: RiskDomain.SERVICE,
}


class ObservationToFindingView(LoginRequiredMixin, View):
    """Accept an observation as a finding, in one step: the inspector writes the summary the park's officers
    will read (pre-filled with the kind of problem and whom it is about, never who reported it)."""

    template_name = "supervision/observation_finding.html"

    def get_observation(self, pk):
        user = self.request.user
        observation = get_object_or_404(Observation.objects.visible_to(user).select_related("park"), pk=pk)
        if not user.is_commission_staff:
            raise PermissionDenied(_("Only inspectors of the park handle observations."))
        return observation

    def get(self, request, pk):
        observation = self.get_observation(pk)
        if observation.finding_id:
            return redirect(observation.finding)
        initial = {
            "description": services.observation_finding_summary(observation),
            "category": CATEGORY_DOMAINS.get(observation.category, RiskDomain.INTERNAL),
            "responsible_unit": (observation.unit_named or observation.place)[:100],
        }
        return self.render(observation, ObservationFindingForm(initial=initial))

    def post(self, request, pk):
        observation = self.get_observation(pk)
        form = ObservationFindingForm(request.POST)
        if form.is_valid():
            try:
                finding = services.observation_accept(
                    actor=request.user, observation=observation, finding=form.instance
                )
            except TransitionNotAllowed as error:
                messages.error(request, error.message)
                return redirect(observation)
            except ValidationError as error:
                add_validation_error(form, error)
            else:
                messages.success(request, _("The observation is now a finding: assign its rectification."))
                return redirect(finding)
        return self.render(observation, form)

    def render(self, observation, form, status=200):
        context = {"observation": observation, "form": form}
        return render(self.request, self.template_name, context, status=status)


def observation_attachment(request, pk: int):
    if not request.user.is_authenticated:
        raise Http404
    item = get_object_or_404(ObservationAttachment, pk=pk)
    if not Observation.objects.visible_to(request.user).filter(pk=item.observation_id).exists():
        raise Http404
    return attachment_response(item)
