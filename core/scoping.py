"""The one rule that decides which rows a user may see.

Every park-owned model's default manager is built from ``ScopedQuerySet`` and names, as data, the path
from the model to its park (and, for enterprise users, to its enterprise). Pages, API views, exports
and admin lists all start from ``Model.objects.visible_to(user)``; nothing else filters by scope, and a
row outside the scope is simply not found (404), never refused (403).

    commission admin           every row
    inspector, park officer    rows of the parks assigned to them
    enterprise user            rows of their own enterprise; models without an enterprise path: none
    anonymous, inactive        nothing

A model whose officers see less than their whole park (complaints: only those assigned to them)
narrows the queryset further in ``officer_filter``; that method is the only place to do so.

The roles are asked of the user object (``accounts.models.User``: ``is_commission_admin``,
``has_assigned_parks``, ``is_park_officer``, ``is_enterprise_user``), and so are the ids of the assigned parks
(``park_ids_in_scope()``, loaded with the request's user by ``accounts.backends``): filtering by them as literal
ids lets PostgreSQL plan a big park's list as a big park's. This ground floor imports no app.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Self

from django.db import models

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractUser as User
    from django.contrib.auth.models import AnonymousUser


class ScopedQuerySet(models.QuerySet):
    #: Lookup path from the model to its ``parks.Park`` ("pk" for Park itself).
    park_path: str = "park"
    #: True when ``park_path`` crosses a many-to-many (an inspection of several parks): rows are then
    #: matched through a subquery so that none comes out twice.
    multi_park: bool = False
    #: Lookup path from the model to its ``parks.Enterprise``; None: enterprise users see no row.
    enterprise_path: str | None = None

    def visible_to(self, user: User | AnonymousUser | None) -> Self:
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_commission_admin:
            return self.all()
        if user.has_assigned_parks:
            in_parks = self._in_parks(user.park_ids_in_scope())
            if user.is_park_officer:
                return in_parks.officer_filter(user)
            return in_parks
        if user.is_enterprise_user and self.enterprise_path and user.enterprise_id:
            return self.filter(**{self.enterprise_path: user.enterprise_id})
        return self.none()

    def _in_parks(self, parks) -> Self:
        lookup = {f"{self.park_path}__in": parks}
        if self.multi_park:
            return self.filter(pk__in=self.model._base_manager.filter(**lookup).values("pk"))
        return self.filter(**lookup)

    def officer_filter(self, user: User) -> Self:
        """Hook for models where a park officer sees only part of the park (default: all of it)."""
        return self
