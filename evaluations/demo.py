"""A demo round for this year: computed indicators filled by the evaluation service from the demo data
(seeded before it, alerts included), a few scored ones, a negative-list record, so that the ranking
and the printable reports show something."""

from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from parks.models import Park

from . import services
from .models import NegativeItem, Round, Score


def seed(stdout) -> None:
    year = timezone.localdate().year
    if Round.objects.filter(year=year).exists():
        stdout.write(_("Demo evaluation: already there, left alone."))
        return
    admin = User.objects.get(username="admin")
    round_ = services.round_open(actor=admin, year=year)
    for n, park in enumerate(Park.objects.filter(code__in=["PDS-GXQ", "PDS-NL", "CZ-GXQ"]).order_by("code")):
        for score in Score.objects.filter(round=round_, park=park, indicator__source="").select_related("indicator"):
            value = (score.indicator.max_score * Decimal(str(0.9 - 0.1 * n))).quantize(Decimal("0.01"))
            services.score_enter(actor=admin, score=score, value=value, justification="查阅资料、现场核查后评分")
    item = NegativeItem.objects.filter(is_active=True).first()
    if item is not None:
        services.negative_record(
            actor=admin,
            round_=round_,
            park=Park.objects.get(code="PDS-NL"),
            item=item,
            note="演示：被上级通报一起作风问题",
        )
    stdout.write(_("Demo evaluation %(year)d: opened and partly scored.") % {"year": year})
