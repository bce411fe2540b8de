"""Every write of a campaign: saving it, its checklist, launching it (a return per covered park), the
returns' steps and tagging findings. Transitions lock the row and go through the state machines."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.choices import Role
from accounts.selectors import people_by_park
from core.calendar import Recomputed
from core.notifications import message as notification
from core.notifications import notify, notify_all
from core.uploads import check_uploads
from core.workdays import add_working_days
from inspections.models import Finding
from parks.models import Park

from .choices import OPEN_RETURN_STATUSES, AnswerResult, CampaignStatus
from .models import AnswerAttachment, Campaign, CampaignFinding, ChecklistItem, ParkReturn, ReturnAnswer
from .workflow import CAMPAIGN, RETURN, campaign_refusal, return_refusal, tag_refusal

if TYPE_CHECKING:
    from accounts.models import User


def _authorise(refusal: str | None) -> None:
    if refusal is not None:
        raise PermissionDenied(refusal)


def _require_draft(campaign: Campaign) -> None:
    if campaign.status != CampaignStatus.DRAFT:
        raise ValidationError(_("A launched campaign cannot be changed any more."))


# --- the campaign and its checklist ------------------------------------------------------------------------


@transaction.atomic
def campaign_save(*, actor: User, campaign: Campaign, parks) -> Campaign:
    """Create or edit a campaign in preparation with the parks it covers."""
    _authorise(campaign_refusal(actor))
    if campaign.pk:
        current = Campaign.objects.select_for_update().get(pk=campaign.pk)
        _require_draft(current)
        campaign.status = current.status
    parks = list(parks)
    if not parks:
        raise ValidationError({"parks": _("Choose at least one park.")})
    campaign.created_by = campaign.created_by or actor
    campaign.full_clean()
    campaign.save()
    campaign.parks.set(parks)
    return campaign


def checklist_item_add(*, actor: User, campaign: Campaign, text: str) -> ChecklistItem:
    _authorise(campaign_refusal(actor))
    _require_draft(campaign)
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write the checklist item.")})
    last = campaign.items.order_by("-position").values_list("position", flat=True).first() or 0
    item = ChecklistItem(campaign=campaign, position=last + 1, text=text)
    item.full_clean()
    item.save()
    return item


def checklist_item_delete(*, actor: User, item: ChecklistItem) -> None:
    _authorise(campaign_refusal(actor))
    _require_draft(item.campaign)
    item.delete()


@transaction.atomic
def campaign_launch(*, actor: User, campaign: Campaign, today: datetime.date | None = None) -> Campaign:
    """Launch: each covered park gets its checklist return, due in the campaign's working days, and its
    officers are told."""
    _authorise(campaign_refusal(actor))
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    CAMPAIGN.check(campaign, "launch")
    items = list(campaign.items.all())
    park_ids = list(campaign.parks.values_list("pk", flat=True))
    if not items:
        raise ValidationError(_("Add at least one checklist item before launching."))
    if not park_ids:
        raise ValidationError(_("Choose at least one park."))
    CAMPAIGN.apply(campaign, "launch")
    campaign.launched_on = today or timezone.localdate()
    campaign.save(update_fields=["status", "launched_on"])
    due_on = return_due_on(campaign)
    returns = ParkReturn.objects.bulk_create(
        [ParkReturn(campaign=campaign, park_id=pk, due_on=due_on) for pk in park_ids]
    )
    ReturnAnswer.objects.bulk_create([ReturnAnswer(park_return=r, item=item) for r in returns for item in items])
    officers = people_by_park(park_ids, Role.PARK_OFFICER)
    recipients = {user.pk: user for user in _users({pk for ids in officers.values() for pk in ids})}
    title = _("Self-inspection checklist of “%(campaign)s”, due %(date)s") % {
        "campaign": campaign.name,
        "date": due_on.isoformat(),
    }
    notify_all(
        [
            notification(recipients[user_id], kind="campaign_launched", title=title, link=r.get_absolute_url())
            for r in returns
            for user_id in officers.get(r.park_id, [])
        ]
    )
    return campaign


def return_due_on(campaign: Campaign) -> datetime.date:
    """The returns' due date: the campaign's working days counted from its launch (core.workdays)."""
    return add_working_days(campaign.launched_on, campaign.return_working_days)


def recompute_return_deadlines(first: datetime.date, last: datetime.date) -> list[Recomputed]:
    """The open returns' due dates a change of the working-day calendar (days ``first``…``last``) moves
    (registered with core.calendar). A due date before ``first`` cannot move."""
    moved = []
    candidates = (
        ParkReturn.objects.select_for_update(of=("self",))
        .filter(status__in=OPEN_RETURN_STATUSES, due_on__gte=first, campaign__launched_on__lt=last)
        .select_related("campaign", "park")
        .order_by("pk")
    )
    for park_return in candidates:
        new = return_due_on(park_return.campaign)
        if new != park_return.due_on:
            old, park_return.due_on = park_return.due_on, new
            park_return.save(update_fields=["due_on"])
            label = _("Self-inspection checklist of %(park)s, %(campaign)s") % {
                "park": park_return.park.name,
                "campaign": park_return.campaign.name,
            }
            moved.append(Recomputed(label, old, new, park_return.get_absolute_url()))
    return moved


def _users(ids):
    from accounts.models import User

    return User.objects.filter(pk__in=ids)


@transaction.atomic
def campaign_close(*, actor: User, campaign: Campaign) -> Campaign:
    _authorise(campaign_refusal(actor))
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    CAMPAIGN.apply(campaign, "close")
    campaign.save(update_fields=["status"])
    return campaign


# --- the checklist returns ---------------------------------------------------------------------------------


def _lock_return(actor: User, park_return: ParkReturn) -> ParkReturn:
    return (
        ParkReturn.objects.visible_to(actor)
        .select_for_update(of=("self",))
        .select_related("campaign", "park")
        .get(pk=park_return.pk)
    )


def _save_answers(park_return: ParkReturn, answers: dict) -> None:
    """``answers``: {answer id: {"result", "note", "file"}} for answers of this return."""
    rows = {answer.pk: answer for answer in park_return.answers.all()}
    for answer_id, given in answers.items():
        answer = rows.get(answer_id)
        if answer is None:
            continue
        answer.result, answer.note = given.get("result") or "", (given.get("note") or "").strip()
        answer.full_clean()
        answer.save()
        upload = given.get("file")
        if upload:
            AnswerAttachment(answer=answer).store(check_uploads([upload])[0], f"campaigns/{park_return.pk}")


def _check_complete(park_return: ParkReturn) -> None:
    errors = []
    for answer in park_return.answers.select_related("item"):
        if not answer.result:
            errors.append(_("Answer “%(item)s”.") % {"item": answer.item.text})
        elif answer.result == AnswerResult.PROBLEM and not answer.note:
            errors.append(_("Say what problem was found for “%(item)s”.") % {"item": answer.item.text})
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def return_fill(*, actor: User, park_return: ParkReturn, answers: dict) -> ParkReturn:
    """Save the answers typed so far (the return stays to be filled in)."""
    park_return = _lock_return(actor, park_return)
    _authorise(return_refusal(park_return, actor, "fill"))
    RETURN.check(park_return, "fill")
    _save_answers(park_return, answers)
    return park_return


@transaction.atomic
def return_submit(*, actor: User, park_return: ParkReturn, answers: dict | None = None) -> ParkReturn:
    """The park officer saves the answers and submits: every item answered, a problem described."""
    park_return = _lock_return(actor, park_return)
    _authorise(return_refusal(park_return, actor, "submit"))
    RETURN.apply(park_return, "submit")
    _save_answers(park_return, answers or {})
    _check_complete(park_return)
    park_return.submitted_at, park_return.submitted_by = timezone.now(), actor
    park_return.save()
    inspectors = people_by_park([park_return.park_id]).get(park_return.park_id, [])
    notify_all(
        [
            notification(
                user,
                kind="campaign_return_submitted",
                title=_("Checklist of %(park)s submitted for review") % {"park": park_return.park.name},
                body=park_return.campaign.name,
                link=park_return.get_absolute_url(),
            )
            for user in _users(inspectors)
        ]
    )
    return park_return


@transaction.atomic
def return_pass(*, actor: User, park_return: ParkReturn) -> ParkReturn:
    park_return = _lock_return(actor, park_return)
    _authorise(return_refusal(park_return, actor, "pass"))
    RETURN.apply(park_return, "pass")
    park_return.reviewed_at, park_return.reviewed_by = timezone.now(), actor
    park_return.save()
    _tell_submitter(park_return, _("Checklist passed"), "")
    return park_return


@transaction.atomic
def return_send_back(*, actor: User, park_return: ParkReturn, reason: str) -> ParkReturn:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say what is still missing.")})
    park_return = _lock_return(actor, park_return)
    _authorise(return_refusal(park_return, actor, "send_back"))
    RETURN.apply(park_return, "send_back")
    park_return.reviewed_at, park_return.reviewed_by, park_return.return_reason = timezone.now(), actor, reason
    park_return.save()
    _tell_submitter(park_return, _("Checklist sent back"), reason)
    return park_return


def _tell_submitter(park_return: ParkReturn, title: str, body: str) -> None:
    if park_return.submitted_by_id:
        link = park_return.get_absolute_url()
        notify(park_return.submitted_by, kind="campaign_return_reviewed", title=title, body=body, link=link)


# --- findings tagged to a campaign ------------------------------------------------------------------------


def taggable_campaigns(*, user: User, park_id: int):
    """The campaigns a finding of ``park_id`` may be tagged to by ``user``: launched, covering the park,
    visible to them."""
    return Campaign.objects.visible_to(user).launched().filter(parks=park_id).order_by("-starts_on", "pk")


def finding_tag(*, actor: User, campaign: Campaign, finding: Finding) -> CampaignFinding:
    """Tag a finding (with its tasks, measures and recovered losses) to a campaign; twice is once."""
    _authorise(tag_refusal(actor))
    finding = Finding.objects.visible_to(actor).get(pk=finding.pk)
    if not taggable_campaigns(user=actor, park_id=finding.park_id).filter(pk=campaign.pk).exists():
        raise ValidationError(
            {"campaign": _("Only a campaign under way that covers the finding's park can be chosen.")}
        )
    link, _created = CampaignFinding.objects.get_or_create(
        campaign_id=campaign.pk, finding=finding, defaults={"tagged_by": actor}
    )
    return link


#: The reason is kept as the history record's change reason (django-simple-history's column).
UNTAG_REASON_MAX_LENGTH = CampaignFinding.history.model._meta.get_field("history_change_reason").max_length


@transaction.atomic
def finding_untag(*, actor: User, campaign: Campaign, finding: Finding, reason: str) -> None:
    """Take a finding tagged by mistake off a campaign: the same people as tagging, a reason required. The
    link's history keeps who untagged it, when and why; the board, report, export and lists, which all
    count the links (``selectors.campaign_findings``), follow at once."""
    _authorise(tag_refusal(actor))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the finding is taken off the campaign.")})
    if len(reason) > UNTAG_REASON_MAX_LENGTH:
        raise ValidationError(
            {"reason": _("Keep the reason within %(n)d characters.") % {"n": UNTAG_REASON_MAX_LENGTH}}
        )
    finding = Finding.objects.visible_to(actor).get(pk=finding.pk)
    link = (
        CampaignFinding.objects.visible_to(actor)
        .select_for_update(of=("self",))
        .filter(campaign_id=campaign.pk, finding=finding)
        .first()
    )
    if link is None:
        raise ValidationError(_("This finding is not tagged to the campaign “%(name)s”.") % {"name": campaign.name})
    link._change_reason, link._history_user = reason, actor
    link.delete()


def visible_parks_of(user: User, campaign: Campaign):
    return Park.objects.visible_to(user).filter(pk__in=campaign.parks.values("pk")).order_by("code")
