from django.db import models
from django.utils.translation import gettext_lazy as _


class PeriodLength(models.IntegerChoices):
    MONTH = 1, _("monthly")
    QUARTER = 3, _("quarterly")


class QuestionKind(models.TextChoices):
    SCORE = "score", _("score 1–5 with a note")


#: The scores a question takes: 1 (very poor) to 5 (very good).
SCORE_MIN, SCORE_MAX = 1, 5
