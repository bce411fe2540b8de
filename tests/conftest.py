import datetime

import pytest
from django.utils import translation

from accounts.choices import Role

from .factories import EnterpriseFactory, LiaisonFactory, ParkFactory, UserFactory


@pytest.fixture(autouse=True)
def _chinese():
    """Users read Chinese: tests see what they see."""
    with translation.override("zh-hans"):
        yield


@pytest.fixture(autouse=True)
def _fresh_working_calendar():
    """Each test starts from its own database's calendar, not the days a previous test entered."""
    from core import workdays

    workdays.forget()
    yield
    workdays.forget()


@pytest.fixture(autouse=True)
def _fresh_printed_parks():
    """Each test looks its parks up anew: a park held by a previous test is gone with its rolled-back rows."""
    from parks import printed

    printed.forget()
    yield
    printed.forget()


@pytest.fixture
def world(db):
    """Two parks, each with an enterprise and its liaison, and one user of every kind.

    ``inspector`` and ``officer`` are assigned park A only; ``enterprise_user`` belongs to enterprise a;
    ``idle_inspector`` has no park at all; ``supervisor`` is a special supervisor serving park A (an
    appointment of this year), who sees no ledger, case or alert of it.
    """
    from supervision.models import Appointment

    park_a, park_b = ParkFactory(code="PARK-A"), ParkFactory(code="PARK-B")
    ent_a, ent_b = EnterpriseFactory(park=park_a), EnterpriseFactory(park=park_b)
    liaison_a, liaison_b = LiaisonFactory(enterprise=ent_a), LiaisonFactory(enterprise=ent_b)
    users = {
        "admin": UserFactory(role=Role.COMMISSION_ADMIN),
        "inspector": UserFactory(role=Role.INSPECTOR, parks=[park_a]),
        "officer": UserFactory(role=Role.PARK_OFFICER, parks=[park_a]),
        "enterprise_user": UserFactory(role=Role.ENTERPRISE, enterprise=ent_a),
        "idle_inspector": UserFactory(role=Role.INSPECTOR),
        "supervisor": UserFactory(role=Role.SUPERVISOR, name="特约监察员甲"),
    }
    appointment = Appointment.objects.create(
        supervisor=users["supervisor"], source="entrepreneur", starts_on=datetime.date(2020, 1, 1),
        ends_on=datetime.date(2099, 12, 31),
    )  # fmt: skip
    appointment.parks.set([park_a])
    return {
        "park_a": park_a,
        "park_b": park_b,
        "ent_a": ent_a,
        "ent_b": ent_b,
        "liaison_a": liaison_a,
        "liaison_b": liaison_b,
        **users,
    }
