"""Campaign pages: the list, the form, the board (with the checklist while in preparation), the printable
report and the board's Excel export, and the lists each board figure opens."""

from __future__ import annotations

import tempfile

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from accounts import refusals
from core.columns import ColumnsTableMixin
from core.exports import Sheet, exportable, write
from core.forms import add_validation_error
from core.views import FilteredListView, ScopedQuerysetMixin, posted_id
from core.workflow import TransitionNotAllowed
from inspections.measures import MeasureListView
from inspections.models import Finding
from inspections.views import NotEnterpriseMixin, TaskBoardView

from . import services
from .columns import BOARD, CAMPAIGNS, TAGGED_FINDINGS
from .filters import CampaignFilter, CampaignFindingFilter
from .forms import CampaignForm, ChecklistItemForm
from .models import Campaign, CampaignFinding, ChecklistItem
from .resources import BoardResource, CampaignResource, TaggedFindingResource
from .selectors import FORMS, campaign_board, campaign_findings, campaign_measures, campaign_tasks, return_counts
from .workflow import CAMPAIGN, campaign_refusal, tag_refusal


@exportable("campaigns")
class CampaignListView(NotEnterpriseMixin, ColumnsTableMixin, FilteredListView):
    model = Campaign
    columns = CAMPAIGNS
    filterset_class = CampaignFilter
    export_sheets = [Sheet(CAMPAIGNS.title, CampaignResource, lambda qs: qs.prefetch_related("parks"))]
    template_name = "campaigns/campaign_list.html"

    def get_base_queryset(self):
        return super().get_base_queryset().prefetch_related("parks")


class CampaignFormView(NotEnterpriseMixin, ScopedQuerysetMixin, View):
    model = Campaign

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and campaign_refusal(request.user):
            raise PermissionDenied(refusals.FOR_COMMISSION_ADMINS)
        return super().dispatch(request, *args, **kwargs)

    def get_object(self):
        return get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"]) if "pk" in self.kwargs else None

    def get(self, request, **kwargs):
        obj = self.get_object()
        initial = {} if obj else {"starts_on": timezone.localdate()}
        return self.render(obj, CampaignForm(instance=obj, initial=initial, user=request.user))

    def post(self, request, **kwargs):
        obj = self.get_object()
        form = CampaignForm(request.POST, instance=obj, user=request.user)
        if form.is_valid():
            try:
                campaign = services.campaign_save(
                    actor=request.user, campaign=form.instance, parks=form.cleaned_data["parks"]
                )
            except ValidationError as error:
                add_validation_error(form, error)
            else:
                messages.success(request, _("Saved."))
                return redirect(campaign)
        return self.render(obj, form)

    def render(self, obj, form):
        title = _("Edit campaign") if obj else _("New campaign")
        return render(self.request, "campaigns/form.html", {"form": form, "object": obj, "title": title})


def board_context(request, campaign: Campaign) -> dict:
    """What the board page and the printable report show: the same rows (``campaign_board``)."""
    return {
        "campaign": campaign,
        "board": campaign_board(user=request.user, campaign=campaign),
        "forms": FORMS,
        "return_counts": return_counts(user=request.user, campaign=campaign),
    }


class CampaignDetailView(NotEnterpriseMixin, ScopedQuerysetMixin, View):
    """The campaign board; while in preparation also its checklist, edited by commission admins."""

    model = Campaign

    def get_object(self, pk):
        return get_object_or_404(self.get_queryset().prefetch_related("parks", "items"), pk=pk)

    def get(self, request, pk, item_form=None, status=200):
        campaign = self.get_object(pk)
        admin = campaign_refusal(request.user) is None
        context = board_context(request, campaign)
        context.update(
            {
                "items": campaign.items.all(),
                "steps": [t for t in CAMPAIGN.available(campaign) if admin],
                "editable": admin and campaign.status == "draft",
                "item_form": item_form or ChecklistItemForm(),
            }
        )
        return render(request, "campaigns/campaign_detail.html", context, status=status)

    def post(self, request, pk):
        campaign = self.get_object(pk)
        if campaign_refusal(request.user):
            raise PermissionDenied(refusals.FOR_COMMISSION_ADMINS)
        action = request.POST.get("action", "")
        try:
            if action in ("launch", "close"):
                step = services.campaign_launch if action == "launch" else services.campaign_close
                step(actor=request.user, campaign=campaign)
                messages.success(request, _("Done."))
            elif action == "add_item":
                form = ChecklistItemForm(request.POST)
                if not form.is_valid():
                    return self.get(request, pk, item_form=form)
                services.checklist_item_add(actor=request.user, campaign=campaign, text=form.cleaned_data["text"])
            elif action == "delete_item":
                item = get_object_or_404(ChecklistItem, pk=posted_id(request, "item"), campaign=campaign)
                services.checklist_item_delete(actor=request.user, item=item)
            else:
                raise Http404
        except TransitionNotAllowed as error:
            messages.error(request, error.message)
            return self.get(request, pk, status=409)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return self.get(request, pk)
        return redirect(campaign)


class CampaignReportView(NotEnterpriseMixin, ScopedQuerysetMixin, View):
    """The printable campaign report: the board's figures, with the campaign's particulars."""

    model = Campaign

    def get(self, request, pk):
        campaign = get_object_or_404(self.get_queryset().prefetch_related("parks"), pk=pk)
        return render(request, "campaigns/report.html", board_context(request, campaign))


class CampaignExportView(NotEnterpriseMixin, ScopedQuerysetMixin, View):
    """The board as an Excel workbook: the same rows as the page and the report."""

    model = Campaign

    def get(self, request, pk):
        campaign = get_object_or_404(self.get_queryset(), pk=pk)
        rows = campaign_board(user=request.user, campaign=campaign)
        target = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it once sent
        write(target, "xlsx", [(Sheet(BOARD.title, BoardResource), rows)], request.user)
        target.seek(0)
        return FileResponse(
            target,
            as_attachment=True,
            filename=f"campaign-{campaign.pk}-{timezone.localdate().isoformat()}.xlsx",
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )


class CampaignScopedMixin:
    """A list of one figure of a campaign's board: the campaign (in scope, else 404) narrows the rows.
    Read from the URL's arguments, which a large export keeps for the worker (core.exports.view_for)."""

    figure_title = ""

    @cached_property
    def campaign(self) -> Campaign:
        return get_object_or_404(Campaign.objects.visible_to(self.request.user), pk=self.kwargs["pk"])

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.campaign  # noqa: B018 - outside the scope is a 404 before anything else
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update({"campaign": self.campaign, "figure_title": self.figure_title})
        return context


@exportable("campaign-tasks")
class CampaignTaskListView(CampaignScopedMixin, TaskBoardView):
    """The rectification tasks of the findings tagged to the campaign, with the board's filters."""

    template_name = "campaigns/figure_list.html"

    @property
    def figure_title(self):
        return _("Rectification tasks")

    def get_base_queryset(self):
        return super().get_base_queryset().filter(pk__in=campaign_tasks(self.request.user, self.campaign).values("pk"))


@exportable("campaign-measures")
class CampaignMeasureListView(CampaignScopedMixin, MeasureListView):
    template_name = "campaigns/figure_list.html"

    @property
    def figure_title(self):
        return _("Accountability measures")

    def get_base_queryset(self):
        return (
            super().get_base_queryset().filter(pk__in=campaign_measures(self.request.user, self.campaign).values("pk"))
        )


@exportable("campaign-findings")
class CampaignFindingListView(CampaignScopedMixin, NotEnterpriseMixin, ColumnsTableMixin, FilteredListView):
    """The findings tagged to the campaign; inspectors tag one more by its number here."""

    model = CampaignFinding
    columns = TAGGED_FINDINGS
    filterset_class = CampaignFindingFilter
    export_sheets = [Sheet(TAGGED_FINDINGS.title, TaggedFindingResource)]
    template_name = "campaigns/figure_list.html"

    @property
    def figure_title(self):
        return _("Findings tagged to the campaign")

    def get_base_queryset(self):
        return campaign_findings(self.request.user, self.campaign).select_related("finding__park")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if tag_refusal(self.request.user) is None:
            context["row_after"] = "campaigns/includes/untag_row.html"
        return context


class _FindingCampaignStep(NotEnterpriseMixin, View):
    """A step between a finding and a campaign, posted from the finding's page: both looked up within the
    user's scope, commission staff only, a refusal of the service shown as a message."""

    done_message = ""  # and ``step(request, campaign, finding)``, calling the service

    def post(self, request, pk):
        finding = get_object_or_404(Finding.objects.visible_to(request.user), pk=pk)
        if tag_refusal(request.user):
            raise PermissionDenied(refusals.FOR_COMMISSION_STAFF)
        campaign = get_object_or_404(Campaign.objects.visible_to(request.user), pk=posted_id(request, "campaign"))
        try:
            self.step(request, campaign, finding)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, self.done_message % {"name": campaign.name})
        return self.back(request, campaign, finding)

    def back(self, request, campaign, finding):
        return redirect(finding)


class FindingTagView(_FindingCampaignStep):
    """ "Tag to a campaign" from the finding's page (campaigns.finding_extension)."""

    done_message = gettext_lazy("Tagged to the campaign “%(name)s”.")

    def step(self, request, campaign, finding) -> None:
        services.finding_tag(actor=request.user, campaign=campaign, finding=finding)


class FindingUntagView(_FindingCampaignStep):
    """ "Take off the campaign", with a reason, from the finding's page or the campaign's findings list
    (``back=list`` returns there)."""

    done_message = gettext_lazy("Taken off the campaign “%(name)s”.")

    def step(self, request, campaign, finding) -> None:
        services.finding_untag(
            actor=request.user, campaign=campaign, finding=finding, reason=request.POST.get("reason", "")
        )

    def back(self, request, campaign, finding):
        if request.POST.get("back") == "list":
            return redirect("campaigns:findings", pk=campaign.pk)
        return redirect(finding)
