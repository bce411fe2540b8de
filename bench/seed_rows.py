"""The rows bench/seed.py copies, generated lazily table by table (see its docstring)."""

from __future__ import annotations

import datetime
import functools
import random
from bisect import bisect
from decimal import Decimal

from django.conf import settings
from django.utils import timezone

from bench.benchenv import ADMIN, INSPECTOR, OFFICER, PASSWORD, TOTP_KEY

DAY = datetime.timedelta(days=1)
YEARS = 10
POLICIES = [f"{name}扶持政策" for name in ("技改", "研发", "招商", "稳岗", "上规", "专精特新", "人才", "外贸")]
UNITS = ["经发局", "招商局", "建设局", "财政局", "规划局", "综合执法大队", "党政办"]
PLACES = ["江北", "渝北", "两江", "沙坪坝", "九龙坡", "南岸", "北碚", "璧山", "永川", "涪陵"]


@functools.cache
def working_days_after(day: datetime.date, days: int) -> datetime.date:
    from core.workdays import add_working_days

    return add_working_days(day, days)


class Plan:
    """What every table's generator shares: the counts, the clock, the parks' weights, who is who."""

    def __init__(self, counts: dict, now: datetime.datetime):
        self.counts, self.rng = counts, random.Random(13)
        self.now = timezone.localtime(now)
        self.today = self.now.date()
        parks = counts["parks"]
        # Zipf-like: park 1 is the biggest, the ten biggest hold about half of everything.
        weights = [1 / (rank + 1) ** 1.1 for rank in range(parks)]
        self.cum = [sum(weights[: i + 1]) for i in range(parks)]
        self.total = self.cum[-1]
        extra = counts["enterprises"] - parks
        sizes = [1 + int(extra * w / self.total) for w in weights]
        sizes[0] += counts["enterprises"] - sum(sizes)
        self.firm_start, start = [], 1
        for size in sizes:
            self.firm_start.append(start)
            start += size
        self.firm_size = sizes
        self.admin, self.inspector = 1, 2
        self.inspector_parks = [min(4, parks), min(6, parks), min(9, parks)]  # medium-sized parks
        self.enterprise_users = max(1, counts["enterprises"] // 200)

    def park(self) -> int:
        return bisect(self.cum, self.rng.random() * self.total) + 1

    def officer(self, park: int) -> int:
        return 2 + park

    def firm(self, park: int) -> int:
        return self.firm_start[park - 1] + self.rng.randrange(self.firm_size[park - 1])

    def moment(self, power: float = 2.0) -> datetime.datetime:
        """A time in the last ten years, more of them recent."""
        days = int(YEARS * 365 * self.rng.random() ** power)
        return self.now - datetime.timedelta(days=days, seconds=self.rng.randrange(86_400))

    def stamps(self, at: datetime.datetime) -> dict:
        return {"created_at": at, "updated_at": at}


def parks(plan: Plan, copier) -> None:
    from parks.choices import ParkKind, ParkLevel
    from parks.models import Park

    levels, kinds = ParkLevel.values, ParkKind.values
    founded = plan.now - datetime.timedelta(days=YEARS * 365 + 30)
    copier.copy(
        Park,
        (
            {"id": i, "code": f"P{i:03d}", "name": f"{PLACES[i % 10]}第{i}产业园区", "level": levels[i % len(levels)],
             "kind": kinds[i % len(kinds)], "region": f"重庆市{PLACES[i % 10]}区", "is_active": True, **plan.stamps(founded)}
            for i in range(1, plan.counts["parks"] + 1)
        ),
        when="created_at",
    )  # fmt: skip


def credit_code(n: int) -> str:
    from parks.credit_code import CHARSET, check_character

    body = "91500000" + "".join(CHARSET[(n // len(CHARSET) ** i) % len(CHARSET)] for i in range(9))
    return body + check_character(body)


def enterprises(plan: Plan, copier) -> None:
    from parks.models import Enterprise

    def rows():
        for park, (start, size) in enumerate(zip(plan.firm_start, plan.firm_size, strict=True), start=1):
            for pk in range(start, start + size):
                at = plan.moment(1.0)
                yield {
                    "id": pk, "credit_code": credit_code(pk), "name": f"重庆{PLACES[pk % 10]}企业{pk:06d}有限公司",
                    "park_id": park, "industry": "制造业", "legal_representative": f"法人{pk % 997}",
                    "contact_phone": f"1380000{pk % 10000:04d}", "is_key": pk % 17 == 0, "is_monitoring_point": pk % 23 == 0,
                    "is_four_winds_point": pk % 29 == 0, "has_special_supervisor": pk % 31 == 0, **plan.stamps(at),
                }  # fmt: skip

    copier.copy(Enterprise, rows(), when="created_at")


def users(plan: Plan, copier) -> None:
    from django.contrib.auth.hashers import make_password

    from accounts.choices import Role
    from accounts.models import User

    hashed, joined = make_password(PASSWORD), plan.now - datetime.timedelta(days=YEARS * 365)
    parks = plan.counts["parks"]

    def user(pk, username, role, name, **extra):
        return {"id": pk, "username": username, "password": hashed, "role": role, "name": name, "is_active": True,
                "is_superuser": False, "is_staff": role == Role.COMMISSION_ADMIN, "date_joined": joined, **extra}  # fmt: skip

    def rows():
        yield user(plan.admin, ADMIN, Role.COMMISSION_ADMIN, "纪委管理员")
        yield user(plan.inspector, INSPECTOR, Role.INSPECTOR, "监督员")
        for park in range(1, parks + 1):
            name = OFFICER if park == 1 else f"officer-p{park:03d}"
            yield user(plan.officer(park), name, Role.PARK_OFFICER, f"园区专员{park}", department="党政办")
        first = plan.officer(parks) + 1
        for n in range(plan.enterprise_users):
            firm = 1 + n * 200
            yield user(first + n, f"firm-{firm}", Role.ENTERPRISE, f"企业用户{firm}", enterprise_id=firm)

    copier.copy(User, rows(), when="date_joined")
    assigned = [(plan.inspector, p) for p in plan.inspector_parks] + [(plan.officer(p), p) for p in range(1, parks + 1)]
    copier.copy(User.parks.through, ({"id": i, "user_id": u, "park_id": p} for i, (u, p) in enumerate(assigned, 1)))


def make_devices(plan: Plan) -> None:
    """The admin's and inspector's authenticator apps (confirmed TOTP devices with a known key)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    for pk in (plan.admin, plan.inspector):
        TOTPDevice.objects.create(user_id=pk, name="bench", key=TOTP_KEY, confirmed=True)


def steps() -> list:
    """Every table's generator, in the order their foreign keys need."""
    from bench import seed_cases, seed_ledgers

    return [parks, enterprises, users, *seed_ledgers.STEPS, *seed_cases.STEPS]


def money(rng: random.Random, low: int, high: int) -> Decimal:
    return Decimal(rng.randrange(low, high)) * 100


def deadline_after(day: datetime.date, days: int) -> datetime.date:
    return working_days_after(day, days)


def accept_days() -> int:
    return settings.COMPLAINT_ACCEPT_WORKING_DAYS
