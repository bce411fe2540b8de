import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError

from accounts.choices import Role
from parks.models import Liaison
from parks.services import liaison_assign
from tests.factories import LiaisonFactory, UserFactory


def test_a_new_liaison_ends_the_current_one(world):
    enterprise, old = world["ent_a"], world["liaison_a"]
    new_member = UserFactory(role=Role.INSPECTOR, parks=[world["park_a"]])
    start = old.started_on + datetime.timedelta(days=30)
    new = liaison_assign(actor=world["admin"], enterprise=enterprise, member=new_member, started_on=start)
    old.refresh_from_db()
    assert old.ended_on == start
    assert list(Liaison.objects.current().filter(enterprise=enterprise)) == [new]


def test_only_commission_members_are_liaisons(world):
    with pytest.raises(ValidationError):
        liaison_assign(actor=world["admin"], enterprise=world["ent_a"], member=world["officer"])


def test_park_officers_do_not_assign_liaisons(world):
    with pytest.raises(PermissionDenied):
        liaison_assign(actor=world["officer"], enterprise=world["ent_a"], member=world["inspector"])


def test_the_database_allows_one_current_liaison_per_enterprise(world):
    with pytest.raises(IntegrityError):
        LiaisonFactory(enterprise=world["ent_a"])
