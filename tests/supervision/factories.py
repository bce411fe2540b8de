"""Supervisors and their observations for the tests: made through the services, as the pages make them."""

from __future__ import annotations

import datetime

from accounts.choices import Role
from supervision import services
from supervision.models import Appointment, Observation
from tests.factories import UserFactory


def appointed(park, *, supervisor=None, starts_on=datetime.date(2020, 1, 1), ends_on=datetime.date(2099, 12, 31)):
    """A supervisor (a new one unless given) serving ``park`` for the term."""
    supervisor = supervisor or UserFactory(role=Role.SUPERVISOR)
    appointment = Appointment.objects.create(
        supervisor=supervisor, source="entrepreneur", starts_on=starts_on, ends_on=ends_on
    )
    appointment.parks.set([park])
    return supervisor


def observation_in(park, *, supervisor=None, files=(), **fields) -> Observation:
    """An observation submitted in ``park`` by ``supervisor`` (a new one appointed to the park if not given)."""
    if supervisor is None:
        supervisor = appointed(park)
    values = {
        "category": "extortion",
        "description": "窗口人员暗示企业送礼",
        "place": "政务服务中心",
        "unit_named": "审批科",
        "occurred_on": datetime.date(2026, 3, 2),
        **fields,
    }
    return services.observation_submit(
        actor=supervisor, observation=Observation(park=park, **values), files=list(files)
    )
