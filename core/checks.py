from django.core.checks import Warning, register
from django.db import DatabaseError
from django.utils import timezone

from .workdays import year_is_covered, year_is_entered

# The State Council publishes next year's arrangement around November; from this day on its absence is news.
NEXT_YEAR_WARNING_FROM = (12, 1)


@register()
def holiday_calendar_is_known(app_configs, today=None, **kwargs):
    today = today or timezone.localdate()
    years = [today.year]
    if (today.month, today.day) >= NEXT_YEAR_WARNING_FROM:
        years.append(today.year + 1)
    unknown = [year for year in years if not year_is_covered(year) and not _entered(year)]
    return [
        Warning(
            f"No holidays are known for {year}: its deadlines count weekends only.",
            hint=(
                "Enter the State Council's arrangement for that year on the portal's working-day calendar page "
                "(or import it there), or upgrade chinese-calendar to a release that includes it."
            ),
            id="core.W001" if year == today.year else "core.W002",
        )
        for year in unknown
    ]


def _entered(year: int) -> bool:
    try:
        return year_is_entered(year)
    except DatabaseError:  # not migrated yet (the check runs before `migrate`): nothing entered
        return False
