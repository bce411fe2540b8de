from django.db import models
from django.utils.translation import gettext_lazy as _


class ListKind(models.TextChoices):
    POSITIVE = "positive", _("positive list")
    NEGATIVE = "negative", _("negative list")


class NegativeKind(models.TextChoices):
    """What a negative-list item forbids, as a registration can show it. ``other`` is never matched by the
    portal: it is read, not checked."""

    BANQUET = "banquet", _("banquet paid by an enterprise")
    GIFT = "gift", _("gift or money accepted")
    TRAVEL = "travel", _("travel paid by an enterprise")
    BIDDING = "bidding", _("intervening in bidding")
    OTHER = "other", _("other")


class MealPaidBy(models.TextChoices):
    NO_MEAL = "no_meal", _("no meal")
    SELF = "self", _("paid by the officials themselves")
    ENTERPRISE = "enterprise", _("paid by the enterprise")
    OFFICIAL_RECEPTION = "reception", _("official reception")


class ActivityKind(models.TextChoices):
    WARNING_EDUCATION = "warning", _("warning education")
    PARTY_LESSON = "party_lesson", _("integrity party lesson")
    LECTURE = "lecture", _("integrity lecture hall")
    TALK = "talk", _("integrity talk")
    GROUP_TALK = "group_talk", _("collective formal talk")


class Audience(models.TextChoices):
    CADRES = "cadres", _("park cadres")
    ENTERPRISES = "enterprises", _("enterprises")
