from django.db import models
from django.utils.translation import gettext_lazy as _


class RiskDomain(models.TextChoices):
    LAND = "land", _("Land development")
    PROJECTS = "projects", _("Engineering projects")
    INCENTIVES = "incentives", _("Preferential policies")
    FINANCING = "financing", _("Financing and bond issuing")
    INVESTMENT = "investment", _("Investment attraction")
    SERVICE = "service", _("Serving enterprises")
    DUTIES = "duties", _("Performing duties")
    INTERNAL = "internal", _("Internal management")
    FUNDS = "funds", _("Fund disbursement")


class RiskLevel(models.TextChoices):
    LOW = "low", _("low")
    MEDIUM = "medium", _("medium")
    HIGH = "high", _("high")
    CRITICAL = "critical", _("critical")


class RiskStatus(models.TextChoices):
    IDENTIFIED = "identified", _("identified")
    CONTROLLED = "controlled", _("under control")
    ELIMINATED = "eliminated", _("eliminated")


class DecisionKind(models.TextChoices):
    MAJOR_MATTER = "major_matter", _("Major matter")
    APPOINTMENT = "appointment", _("Important appointment")
    MAJOR_PROJECT = "major_project", _("Major project arrangement")
    LARGE_FUNDS = "large_funds", _("Large fund use")


class MeetingKind(models.TextChoices):
    PARTY_WORKING_COMMITTEE = "party_committee", _("Party working committee meeting")
    DIRECTORS = "directors", _("Management committee directors' meeting")
    STANDING = "standing", _("Standing meeting")
    OTHER = "other", _("Other meeting")


class DecisionOutcome(models.TextChoices):
    APPROVED = "approved", _("approved")
    REJECTED = "rejected", _("rejected")
    DEFERRED = "deferred", _("deferred")


class ProcurementMethod(models.TextChoices):
    OPEN_TENDER = "open_tender", _("Open tender")
    INVITED_TENDER = "invited_tender", _("Invited tender")
    NEGOTIATION = "negotiation", _("Competitive negotiation")
    INQUIRY = "inquiry", _("Request for quotation")
    SINGLE_SOURCE = "single_source", _("Single source")
    DIRECT = "direct", _("Direct award")


# Works contracts at or above the tendering threshold must be tendered (招标投标法): only an open or an
# invited tender will do. Negotiation, quotation, single source and direct award are not tenders.
TENDERED = frozenset({ProcurementMethod.OPEN_TENDER, ProcurementMethod.INVITED_TENDER})
NOT_TENDERED = frozenset(set(ProcurementMethod) - TENDERED)


class AuditStatus(models.TextChoices):
    NOT_AUDITED = "not_audited", _("not audited")
    IN_AUDIT = "in_audit", _("being audited")
    AUDITED = "audited", _("audited")


class Relation(models.TextChoices):
    SELF = "self", _("the official")
    SPOUSE = "spouse", _("spouse")
    CHILD = "child", _("child")
    CHILD_IN_LAW = "child_in_law", _("child's spouse")
    PARENT = "parent", _("parent")
    SIBLING = "sibling", _("sibling")
    OTHER = "other", _("other relative")


class Severity(models.TextChoices):
    LOW = "low", _("low")
    MEDIUM = "medium", _("medium")
    HIGH = "high", _("high")


class AlertStatus(models.TextChoices):
    OPEN = "open", _("open")
    DISMISSED = "dismissed", _("dismissed")
    CONVERTED = "converted", _("turned into a finding")
