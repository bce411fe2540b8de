"""Who is reminded: the people of a park by role, fetched for many parks in one query."""

from collections import defaultdict

from .choices import Role
from .models import User


def people_by_park(park_ids, role: str = Role.INSPECTOR) -> dict[int, list[int]]:
    result: dict[int, list[int]] = defaultdict(list)
    rows = User.objects.filter(role=role, is_active=True, parks__in=set(park_ids)).values_list("parks", "pk")
    for park_id, user_id in rows:
        result[park_id].append(user_id)
    return result
