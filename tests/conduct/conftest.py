import datetime

import pytest

from conduct import services
from conduct.models import ConductListItem, ContactRegistration

TODAY = datetime.date(2026, 6, 1)


def register(world, *, actor=None, park=None, enterprise=None, **fields):
    """A registration filed through the service by the officer of park A (unless told otherwise)."""
    values = {
        "park": park or world["park_a"],
        "enterprise": enterprise or world["ent_a"],
        "contact_on": fields.pop("contact_on", datetime.date(2026, 3, 1)),
        "place": "管委会会议室",
        "purpose": "协调企业用地审批",
        **fields,
    }
    return services.registration_file(actor=actor or world["officer"], registration=ContactRegistration(**values))


@pytest.fixture(autouse=True)
def default_lists(db):
    """The default lists of migration 0002, put back if a transactional test emptied the tables."""
    from importlib import import_module

    from django.apps import apps

    import_module("conduct.migrations.0002_default_lists").install(apps, None)


@pytest.fixture
def banquet_item(db):
    """The default negative-list item on banquets (installed by migration 0002)."""
    return ConductListItem.objects.get(park__isnull=True, list_kind="negative", negative_kind="banquet")
