"""Every change to a complaint. Each step locks the row, checks the workflow, records a timeline entry,
and either all of it happens or none of it."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.choices import Role
from accounts.selectors import people_by_park
from core.notifications import notify
from core.uploads import CheckedFile, check_uploads
from core.workdays import add_working_days
from core.workflow import NOT_GIVEN, ChangedMeanwhile
from parks.models import Park

from . import tracking
from .choices import SATISFIED_RATINGS, Channel, EventKind, Rating, Status
from .models import Complainant, Complaint, ComplaintAttachment, ComplaintEvent
from .workflow import MACHINE, STAFF_STEPS, may_take

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile

    from accounts.models import User


def reply_limit(category: str) -> int:
    limits = settings.COMPLAINT_REPLY_WORKING_DAYS
    return limits.get(category, limits["default"])


def _required(value: str, field: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: _("This field cannot be empty or only spaces.")})
    return value


def _save_attachments(complaint: Complaint, event: ComplaintEvent, files: list[CheckedFile], *, from_complainant: bool):
    for checked in files:
        attachment = ComplaintAttachment(complaint=complaint, event=event, from_complainant=from_complainant)
        attachment.store(checked, f"complaints/{complaint.pk}")


def named_contact_errors(*, is_anonymous: bool, has_account: bool, contact_name: str, contact_phone: str) -> dict:
    """What a named complaint without an account is missing, by field. Whoever chose to be named chose
    to be called back, so we need to know whom and how; an account already says so. One rule for the
    page's form and the public API."""
    if is_anonymous or has_account:
        return {}
    errors = {}
    if not (contact_name or "").strip():
        errors["contact_name"] = _("Please give your name, or file anonymously.")
    if not (contact_phone or "").strip():
        errors["contact_phone"] = _("Please leave a phone number so that we can call you back, or file anonymously.")
    return errors


def _check_new_complaint(complaint: Complaint) -> None:
    """The field checks (lengths, choices, the text limit), which give the messages. What only the database
    can check stays the database's, not a query each on the public intake (issue 13): the park was just
    read and is active, the digest of 80 random bits is unique by its index, and the check constraints
    are about rating and reopening counters a new complaint starts at 0 (Django's ``Q.check`` compiles a
    query for each, ~5 ms of CPU apiece)."""
    complaint.full_clean(exclude=["park"], validate_unique=False, validate_constraints=False)


@dataclass
class Submission:
    complaint: Complaint
    tracking_code: str


def complaint_submit(
    *,
    park: Park,
    category: str,
    subject: str,
    description: str,
    demand: str = "",
    is_anonymous: bool = False,
    contact_name: str = "",
    contact_phone: str = "",
    enterprise_name: str = "",
    channel: str = Channel.ONLINE,
    files: list[UploadedFile] | None = None,
    user: User | None = None,
    now: datetime.datetime | None = None,
) -> Submission:
    """File a complaint. Returns it with its tracking code, which is shown once and stored only hashed.

    Anonymous complaints keep nothing about the person: no name, phone, enterprise or account (and,
    like every complaint, no IP address or browser).
    """
    now = now or timezone.now()
    if not park.is_active:
        raise ValidationError({"park": _("This park does not take complaints online.")})
    checked = check_uploads(files or [])
    code = tracking.new_code()
    complaint = Complaint(
        park=park,
        channel=channel,
        category=category,
        subject=_required(subject, "subject"),
        description=_required(description, "description"),
        demand=(demand or "").strip(),
        is_anonymous=is_anonymous,
        tracking_digest=tracking.digest(code),
        submitted_at=now,
        accept_due=add_working_days(timezone.localdate(now), settings.COMPLAINT_ACCEPT_WORKING_DAYS),
    )
    _check_new_complaint(complaint)
    complainant = None
    if not is_anonymous:
        enterprise = user.enterprise if user is not None and user.role == Role.ENTERPRISE else None
        complainant = Complainant(
            name=contact_name.strip(),
            phone=contact_phone.strip(),
            enterprise_name=(enterprise_name.strip() or (enterprise.name if enterprise else "")),
            enterprise=enterprise,
            user=user if user is not None and user.is_authenticated else None,
        )
        complainant.full_clean(exclude=["complaint"])
    with transaction.atomic():
        complaint.save()
        if complainant is not None:
            complainant.complaint = complaint
            complainant.save(force_insert=True)  # its key is the new complaint's: no UPDATE to try first
        event = ComplaintEvent.objects.create(
            complaint=complaint, kind=EventKind.SUBMITTED, to_status=Status.SUBMITTED, at=now
        )
        _save_attachments(complaint, event, checked, from_complainant=True)
    return Submission(complaint, code)


def complaint_find_by_code(typed: str) -> Complaint | None:
    """The complaint a tracking code opens, or None — malformed or unknown alike."""
    digest = tracking.digest(typed)
    if digest is None:
        tracking.dummy_digest()
        return None
    return Complaint.objects.filter(tracking_digest=digest).select_related("park").first()


# --- Steps taken by staff ---------------------------------------------------------------------------


def _lock(complaint: Complaint, actor: User | None) -> Complaint:
    """The complaint, locked for this transaction, looked up within the actor's scope (else 404)."""
    queryset = Complaint.objects.select_for_update(of=("self",))
    if actor is not None:
        queryset = queryset.visible_to(actor)
    return queryset.get(pk=complaint.pk)


def _authorise(complaint: Complaint, actor: User, step: str) -> None:
    if step in STAFF_STEPS and not actor.is_commission_staff:
        raise PermissionDenied(_("Only inspectors of this park can do this."))
    if not may_take(complaint, actor, step):
        raise PermissionDenied(_("Only the person this complaint is assigned to can do this."))


def _step(
    complaint: Complaint,
    actor: User | None,
    step: str,
    kind: str,
    *,
    now: datetime.datetime,
    note: str = "",
    internal_note: str = "",
    is_public: bool = True,
    rating: str = "",
) -> ComplaintEvent:
    before, after = MACHINE.apply(complaint, step)
    complaint.save()
    return ComplaintEvent.objects.create(
        complaint=complaint,
        kind=kind,
        from_status=before,
        to_status=after if after != before else "",
        actor=actor,
        at=now,
        note=note,
        internal_note=internal_note,
        is_public=is_public,
        rating=rating,
    )


@transaction.atomic
def complaint_accept(*, complaint: Complaint, actor: User, note: str = "", now=None) -> Complaint:
    now = now or timezone.now()
    complaint = _lock(complaint, actor)
    _authorise(complaint, actor, "accept")
    MACHINE.check(complaint, "accept")
    today = timezone.localdate(now)
    complaint.accepted_at = now
    complaint.accepted_on_time = today <= complaint.accept_due
    complaint.reply_due = add_working_days(today, reply_limit(complaint.category))
    _step(complaint, actor, "accept", EventKind.ACCEPTED, now=now, note=note.strip())
    return complaint


@transaction.atomic
def complaint_reject(*, complaint: Complaint, actor: User, reason: str, now=None) -> Complaint:
    now = now or timezone.now()
    reason = _required(reason, "reason")
    complaint = _lock(complaint, actor)
    _authorise(complaint, actor, "reject")
    MACHINE.check(complaint, "reject")
    complaint.accepted_on_time = timezone.localdate(now) <= complaint.accept_due
    complaint.closed_at = now
    _step(complaint, actor, "reject", EventKind.REJECTED, now=now, note=reason)
    return complaint


@transaction.atomic
def complaint_assign(
    *,
    complaint: Complaint,
    actor: User,
    officer: User,
    instructions: str = "",
    share_attachments: bool = False,
    seen_assignee=NOT_GIVEN,
    now=None,
) -> Complaint:
    """Assign (or re-assign) the complaint to an officer of its park. ``seen_assignee`` is the officer
    (or None) the inspector saw assigned when choosing: if someone else assigned it meanwhile, the
    step is refused rather than silently re-assigning it."""
    now = now or timezone.now()
    complaint = _lock(complaint, actor)
    _authorise(complaint, actor, "assign")
    MACHINE.check(complaint, "assign")
    if seen_assignee is not NOT_GIVEN and complaint.assigned_to_id != seen_assignee:
        assignee = complaint.assigned_to.display_name if complaint.assigned_to else "—"
        raise ChangedMeanwhile(
            MACHINE["assign"],
            complaint.status,
            _("This complaint has just been assigned by someone else (to %(officer)s); reload the page to see it.")
            % {"officer": assignee},
            "The complaint was assigned by someone else meanwhile; reload it.",
        )
    if not (
        officer.is_active and officer.role == Role.PARK_OFFICER and officer.parks.filter(pk=complaint.park_id).exists()
    ):
        raise ValidationError({"officer": _("Choose an active officer of this complaint's park.")})
    complaint.assigned_to = officer
    complaint.attachments_shared = share_attachments
    notify(
        officer,
        kind="complaint_assigned",
        title=_("Complaint %(reference)s assigned to you, reply by %(date)s")
        % {"reference": complaint.reference, "date": complaint.reply_due.isoformat() if complaint.reply_due else "—"},
        body=complaint.get_category_display(),
        link=complaint.get_absolute_url(),
    )
    _step(
        complaint,
        actor,
        "assign",
        EventKind.ASSIGNED,
        now=now,
        internal_note=_("Assigned to %(officer)s.") % {"officer": officer.display_name}
        + (f" {instructions.strip()}" if instructions.strip() else ""),
    )
    return complaint


@transaction.atomic
def complaint_start(*, complaint: Complaint, actor: User, now=None) -> Complaint:
    now = now or timezone.now()
    complaint = _lock(complaint, actor)
    _authorise(complaint, actor, "start")
    _step(complaint, actor, "start", EventKind.STARTED, now=now)
    return complaint


@transaction.atomic
def complaint_reply(
    *, complaint: Complaint, actor: User, text: str, files: list[UploadedFile] | None = None, now=None
) -> Complaint:
    now = now or timezone.now()
    text = _required(text, "text")
    checked = check_uploads(files or [])
    complaint = _lock(complaint, actor)
    _authorise(complaint, actor, "reply")
    MACHINE.check(complaint, "reply")
    complaint.replied_at = now
    complaint.replied_on_time = complaint.reply_due is None or timezone.localdate(now) <= complaint.reply_due
    complaint.reply_round += 1
    event = _step(complaint, actor, "reply", EventKind.REPLIED, now=now, note=text)
    _save_attachments(complaint, event, checked, from_complainant=False)
    complainant_user = Complainant.objects.filter(complaint=complaint).values_list("user", flat=True).first()
    if complainant_user:
        from accounts.models import User

        notify(
            User.objects.get(pk=complainant_user),
            kind="complaint_replied",
            title=_("Your complaint %(reference)s has been answered; please rate the answer")
            % {"reference": complaint.reference},
            link=reverse("complaints:tracked", kwargs={"pk": complaint.pk}),
        )
    return complaint


@transaction.atomic
def complaint_close(*, complaint: Complaint, actor: User, note: str = "", now=None) -> Complaint:
    now = now or timezone.now()
    complaint = _lock(complaint, actor)
    _authorise(complaint, actor, "close")
    MACHINE.check(complaint, "close")
    complaint.closed_at = now
    _step(complaint, actor, "close", EventKind.CLOSED, now=now, note=note.strip())
    return complaint


@transaction.atomic
def complaint_add_note(*, complaint: Complaint, actor: User, text: str, now=None) -> ComplaintEvent:
    now = now or timezone.now()
    text = _required(text, "text")
    complaint = _lock(complaint, actor)
    _authorise(complaint, actor, "note")
    return _step(complaint, actor, "note", EventKind.NOTE, now=now, internal_note=text, is_public=False)


# --- Steps taken by the complainant (with the tracking code, or as the enterprise user) ----------------


@transaction.atomic
def complaint_supplement(
    *, complaint: Complaint, text: str, files: list[UploadedFile] | None = None, now=None
) -> Complaint:
    now = now or timezone.now()
    text = _required(text, "text")
    checked = check_uploads(files or [])
    complaint = _lock(complaint, None)
    event = _step(complaint, None, "supplement", EventKind.SUPPLEMENTED, now=now, note=text)
    _save_attachments(complaint, event, checked, from_complainant=True)
    return complaint


@transaction.atomic
def complaint_rate(*, complaint: Complaint, rating: str, comment: str = "", now=None) -> Complaint:
    """Rate the latest answer, as in 12345 practice: a satisfied rating closes the case; the first "not
    satisfied" sends it back to be handled again with a new reply deadline; a later one refers it to the
    park's inspectors (flagged in their queue). The handler and the park's inspectors hear of every rating."""
    now = now or timezone.now()
    if rating not in Rating.values:
        raise ValidationError({"rating": _("Choose how satisfied you are.")})
    complaint = _lock(complaint, None)
    MACHINE.check(complaint, "rate")
    if complaint.rated_round >= complaint.reply_round:
        raise ValidationError(_("This answer has already been rated."))
    comment = (comment or "").strip()
    complaint.rating, complaint.rating_comment, complaint.rated_at = rating, comment, now
    complaint.rated_round = complaint.reply_round
    _step(complaint, None, "rate", EventKind.RATED, now=now, note=comment, rating=rating)
    if rating in SATISFIED_RATINGS:
        if MACHINE.allows(complaint, "close"):
            complaint.closed_at = now
            _step(complaint, None, "close", EventKind.CLOSED, now=now)
    elif complaint.reopen_count == 0 and MACHINE.allows(complaint, "reopen"):
        complaint.reopen_count = 1
        complaint.reply_due = add_working_days(timezone.localdate(now), reply_limit(complaint.category))
        complaint.replied_on_time = None
        _step(complaint, None, "reopen", EventKind.REOPENED, now=now)
    else:
        complaint.escalated_at = now
        _step(complaint, None, "escalate", EventKind.ESCALATED, now=now)
    _tell_of_rating(complaint)
    return complaint


def rating_outcome(complaint: Complaint) -> str:
    """What the latest rating did to the case, in one sentence (for the complainant and for staff)."""
    if complaint.escalated_at is not None and complaint.escalated_at == complaint.rated_at:
        return _("The complaint has been referred to the inspectors.")
    if complaint.status == Status.HANDLING:
        return _("The complaint is being handled again; a new answer is due by %(date)s.") % {
            "date": complaint.reply_due.isoformat() if complaint.reply_due else "—"
        }
    if complaint.status == Status.CLOSED:
        return _("The case is closed.")
    return ""


def _tell_of_rating(complaint: Complaint) -> None:
    """The handling officer and the park's inspectors learn of the rating and what it did — never who
    rated or what they wrote (that stays on the handling page)."""
    from accounts.models import User

    title = _("Complaint %(reference)s rated: %(rating)s") % {
        "reference": complaint.reference,
        "rating": complaint.get_rating_display(),
    }
    recipients = set(people_by_park({complaint.park_id}).get(complaint.park_id, []))
    if complaint.assigned_to_id:
        recipients.add(complaint.assigned_to_id)
    body = rating_outcome(complaint)
    for person in User.objects.filter(pk__in=recipients, is_active=True):
        notify(person, kind="complaint_rated", title=title, body=body, link=complaint.get_absolute_url())
