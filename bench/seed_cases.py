"""The cases bench/seed.py copies: complaints (with their steps and complainants), inspections with
their findings and rectification tasks."""

from __future__ import annotations

import datetime

from bench.seed_rows import UNITS, Plan, accept_days, deadline_after

HOUR = datetime.timedelta(hours=1)
CHUNK = 20_000
# (status, cumulative share) for complaints filed more than a month ago, and for recent ones.
OLD = [("closed", 0.86), ("rejected", 0.91), ("replied", 0.94), ("handling", 0.96), ("assigned", 0.975),
       ("accepted", 0.985), ("submitted", 1.0)]  # fmt: skip
RECENT = [("closed", 0.25), ("rejected", 0.30), ("replied", 0.45), ("handling", 0.60), ("assigned", 0.70),
          ("accepted", 0.80), ("submitted", 1.0)]  # fmt: skip
ORDER = ["submitted", "accepted", "assigned", "handling", "replied", "closed"]


def _status(plan: Plan, age_days: int) -> str:
    draw = plan.rng.random()
    return next(status for status, share in (OLD if age_days > 30 else RECENT) if draw <= share)


def tracking_code(pk: int) -> str:
    from complaints.tracking import ALPHABET

    raw = "".join(ALPHABET[(pk * 7919 + 12345) // 32**i % 32] for i in range(10)) + "BENCH0"
    return "-".join(raw[i : i + 4] for i in range(0, 16, 4))


def _complaint(plan: Plan, pk: int, digest) -> tuple[dict, list[tuple]]:
    """One complaint and its steps as (kind, from, to, at, actor, rating)."""
    from complaints.services import reply_limit

    rng, park = plan.rng, plan.park()
    submitted = plan.moment(2.2)
    age = (plan.today - submitted.date()).days
    status, category = _status(plan, age), CATEGORIES[pk % len(CATEGORIES)]
    row = {"id": pk, "park_id": park, "channel": CHANNELS[pk % 3], "category": category, "subject": f"{UNITS[pk % 7]}",
           "description": f"投诉内容{pk}：办事拖延，多次往返未办成。", "demand": "尽快办理", "is_anonymous": pk % 3 == 0,
           "tracking_digest": digest(tracking_code(pk)), "status": status, "submitted_at": submitted, "updated_at": submitted,
           "accept_due": deadline_after(submitted.date(), accept_days()), "attachments_shared": False,
           "reply_round": 0, "rated_round": 0, "reopen_count": 0}  # fmt: skip
    steps = [("submitted", "", "submitted", submitted, None, "")]
    if status == "submitted":
        return row, steps
    at = submitted + HOUR * rng.randrange(2, 60)
    row["accepted_on_time"] = at.date() <= row["accept_due"]
    if status == "rejected":
        row["closed_at"] = at
        return row, [*steps, ("rejected", "submitted", "rejected", at, plan.inspector, "")]
    row["accepted_at"], row["reply_due"] = at, deadline_after(at.date(), reply_limit(category))
    steps.append(("accepted", "submitted", "accepted", at, plan.inspector, ""))
    for step in ORDER[2 : ORDER.index(status) + 1]:
        at += HOUR * rng.randrange(1, 70)
        _advance(plan, row, steps, step, at)
    row["updated_at"] = at
    return row, steps


def _advance(plan: Plan, row: dict, steps: list, step: str, at: datetime.datetime) -> None:
    previous = steps[-1][2] or row["status"]
    if step == "assigned":
        row["assigned_to_id"] = plan.officer(row["park_id"])
        steps.append(("assigned", previous, "assigned", at, plan.inspector, ""))
    elif step == "handling":
        steps.append(("started", previous, "handling", at, row["assigned_to_id"], ""))
    elif step == "replied":
        row.update(replied_at=at, replied_on_time=at.date() <= row["reply_due"], reply_round=1)
        steps.append(("replied", previous, "replied", at, row["assigned_to_id"], ""))
    elif plan.rng.random() < 0.8:  # closed after a rating (most), or by the inspector
        rating = plan.rng.choice(("satisfied", "satisfied", "satisfied", "fairly_satisfied"))
        row.update(rating=rating, rated_round=1, rated_at=at, closed_at=at)
        steps += [("rated", "", "", at, None, rating), ("closed", "replied", "closed", at, None, "")]
    else:
        row["closed_at"] = at
        steps.append(("closed", "replied", "closed", at, plan.inspector, ""))


def complaints(plan: Plan, copier) -> None:
    from complaints.models import Complainant, Complaint, ComplaintEvent
    from complaints.tracking import digest

    event_id, total = 1, plan.counts["complaints"]
    for first in range(1, total + 1, CHUNK):
        rows, events, people = [], [], []
        for pk in range(first, min(first + CHUNK, total + 1)):
            row, steps = _complaint(plan, pk, digest)
            rows.append(row)
            for kind, before, after, at, actor, rating in steps:
                events.append({"id": event_id, "complaint_id": pk, "kind": kind, "from_status": before, "to_status": after,
                               "actor_id": actor, "at": at, "is_public": True, "rating": rating})  # fmt: skip
                event_id += 1
            if not row["is_anonymous"]:
                people.append({"complaint_id": pk, "name": f"投诉人{pk % 1000}", "phone": f"1390000{pk % 10000:04d}",
                               "enterprise_name": f"企业{pk % 5000}"})  # fmt: skip
        copier.copy(Complaint, rows)
        copier.copy(ComplaintEvent, events)
        copier.copy(Complainant, people)


def inspections(plan: Plan, copier) -> None:
    """One inspection per park at least, more in big parks; every finding from an inspection of its park."""
    from inspections.models import Finding, Inspection

    rng, parks = plan.rng, plan.counts["parks"]
    n_findings = max(parks, int(plan.counts["tasks"] / 1.25))
    n_inspections = max(parks, n_findings // 20)
    inspection_park = [0] + [i if i <= parks else plan.park() for i in range(1, n_inspections + 1)]
    by_park: dict[int, list[int]] = {}
    for pk in range(1, n_inspections + 1):
        by_park.setdefault(inspection_park[pk], []).append(pk)

    def rows():
        for pk in range(1, n_inspections + 1):
            at = plan.moment(1.3)
            yield {"id": pk, "kind": "tour", "title": f"第{pk}轮巡察", "starts_on": at.date(),
                   "ends_on": (at + datetime.timedelta(days=30)).date(), "status": "closed", "created_at": at}  # fmt: skip

    copier.copy(Inspection, rows(), when="created_at")
    links = ({"id": pk, "inspection_id": pk, "park_id": inspection_park[pk]} for pk in range(1, n_inspections + 1))
    copier.copy(Inspection.parks.through, links)

    def findings():
        for pk in range(1, n_findings + 1):
            inspection = rng.randrange(1, n_inspections + 1)
            park = inspection_park[inspection]
            at = plan.moment(1.3)
            plan.finding_dates[pk] = (park, at)
            yield {"id": pk, "park_id": park, "inspection_id": inspection, "source": "inspection",
                   "description": f"问题{pk}：制度执行不到位", "category": "duties", "severity": "general",
                   "responsible_unit": UNITS[pk % 7], "found_on": at.date(), "created_by_id": plan.inspector,
                   "created_at": at}  # fmt: skip

    plan.finding_dates = {}
    copier.copy(Finding, findings(), when="created_at")


def tasks(plan: Plan, copier) -> None:
    """Tasks past their deadline are mostly verified; a few stay open (overdue)."""
    from inspections.models import RectificationTask

    rng, n_findings = plan.rng, len(plan.finding_dates)

    def rows():
        for pk in range(1, plan.counts["tasks"] + 1):
            finding = pk if pk <= n_findings else rng.randrange(1, n_findings + 1)
            park, found = plan.finding_dates[finding]
            deadline = found.date() + datetime.timedelta(days=rng.randrange(30, 120))
            done = deadline < plan.today and rng.random() < 0.93
            status = "verified" if done else rng.choice(("assigned", "in_progress", "submitted", "returned"))
            finished = found + datetime.timedelta(days=rng.randrange(10, 100))
            yield {"id": pk, "finding_id": finding, "park_id": park, "measures": "整改措施：完善制度，加强监督", "owner_id": plan.officer(park),
                   "deadline": deadline, "status": status, "evidence": "整改材料" if done else "",
                   "submitted_at": finished if status in ("verified", "submitted") else None,
                   "verified_at": finished if done else None, "verified_by_id": plan.inspector if done else None,
                   "created_at": found}  # fmt: skip

    copier.copy(RectificationTask, rows(), when="created_at")
    plan.finding_dates = {}


CATEGORIES = ["not_handled", "favours", "dining_gifts", "arbitrary_fees", "policy_not_delivered", "work_style",
              "disturbing", "other"]  # fmt: skip
CHANNELS = ["online", "qr", "window"]
STEPS = [complaints, inspections, tasks]
