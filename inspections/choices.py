from django.db import models
from django.utils.translation import gettext_lazy as _


class InspectionKind(models.TextChoices):
    TOUR = "tour", _("Inspection tour")
    SPECIAL_TOUR = "special_tour", _("Special inspection tour")
    SPECIAL_SUPERVISION = "special_supervision", _("Special supervision")
    TOPIC = "topic", _("Supervision of a named topic")
    JOINT = "joint", _("Joint inspection")
    ON_SITE = "on_site", _("On-site research")


class InspectionStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    IN_PROGRESS = "in_progress", _("in progress")
    FEEDBACK = "feedback", _("feedback given")
    RECTIFICATION = "rectification", _("under rectification")
    CLOSED = "closed", _("closed")


class FindingSeverity(models.TextChoices):
    GENERAL = "general", _("general")
    SERIOUS = "serious", _("serious")
    GRAVE = "grave", _("grave")


class FindingSource(models.TextChoices):
    INSPECTION = "inspection", _("Inspection")
    ALERT = "alert", _("Alert")
    COMPLAINT = "complaint", _("Complaint")
    VISIT = "visit", _("Enterprise visit")
    OBSERVATION = "observation", _("Supervisor's observation")


class TaskStatus(models.TextChoices):
    ASSIGNED = "assigned", _("assigned")
    IN_PROGRESS = "in_progress", _("in progress")
    SUBMITTED = "submitted", _("submitted for verification")
    RETURNED = "returned", _("returned")
    VERIFIED = "verified", _("verified and closed")


OPEN_TASK_STATUSES = frozenset({TaskStatus.ASSIGNED, TaskStatus.IN_PROGRESS, TaskStatus.RETURNED})
UNVERIFIED_TASK_STATUSES = frozenset({*OPEN_TASK_STATUSES, TaskStatus.SUBMITTED})


class MeasureKind(models.TextChoices):
    FORMAL_TALK = "formal_talk", _("Formal talk")
    REMINDER_TALK = "reminder_talk", _("Reminder talk")
    SIGNED_COMMITMENT = "signed_commitment", _("Signed written commitment")
    DUTY_REPORT = "duty_report", _("Report on duty and integrity")
    FOUR_FORMS = "four_forms", _("The four forms of discipline")


class Campaign(models.TextChoices):
    TEN_THOUSAND = "ten_thousand", _("Ten thousand people help ten thousand enterprises")
    VISIT_SOLVE = "visit_solve", _("Visit enterprises, solve problems")
    ONE_TO_ONE = "one_to_one", _("One-to-one liaison")
    ON_SITE = "on_site", _("On-site research")


class DemandKind(models.TextChoices):
    FINANCING = "financing", _("Financing")
    LAND = "land", _("Land")
    APPROVAL = "approval", _("Approvals")
    TALENT = "talent", _("Talent")
    FACILITIES = "facilities", _("Supporting facilities")
    POLICY = "policy", _("Policy delivery")
    OTHER = "other", _("Other")
