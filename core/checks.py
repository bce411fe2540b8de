from django.core.checks import Warning, register
from django.utils import timezone

from .workdays import year_is_covered


@register()
def holiday_calendar_covers_this_year(app_configs, **kwargs):
    year = timezone.localdate().year
    if year_is_covered(year):
        return []
    return [
        Warning(
            f"chinese-calendar has no holidays for {year}: deadlines count weekends only.",
            hint="Upgrade chinese-calendar in requirements.txt to a release that includes this year.",
            id="core.W001",
        )
    ]
