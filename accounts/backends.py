"""Django's model backend, loading with each request's user the ids of their assigned parks.

``core.scoping`` filters every scoped query by those ids as literals (``park_id IN (12, 40)``), which
PostgreSQL weighs with each park's own statistics; a subquery over the assignments hid which parks they
were, and a big park's lists were planned as if it were an average one (a bitmap scan of all its rows
and a sort, where an index walk stops after one page). Loaded here in the user's own query (one array
column, PostgreSQL only), they cost no query of their own; a user object loaded any other way reads them
on first use (``User.park_ids_in_scope``)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.postgres.expressions import ArraySubquery
from django.db import connections, router
from django.db.models import OuterRef


class ModelBackendWithParks(ModelBackend):
    def get_user(self, user_id):
        model = get_user_model()
        users = model._default_manager.all()
        if connections[router.db_for_read(model)].vendor == "postgresql":
            assigned = model.parks.through.objects.filter(user_id=OuterRef("pk")).order_by("park_id")
            users = users.annotate(assigned_park_ids=ArraySubquery(assigned.values("park_id")))
        try:
            user = users.get(pk=user_id)
        except model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
