"""The ledgers bench/seed.py copies: subsidies and payments, projects and contracts, decisions, risk
points, officials and their ties."""

from __future__ import annotations

import datetime
from decimal import Decimal

from bench.seed_rows import POLICIES, UNITS, Plan, money


def subsidies(plan: Plan, copier) -> None:
    """Most subsidies are paid in full (one to three payments); recent ones often not yet, old ones
    rarely (those raise "not landed" alerts)."""
    from risks.models import Subsidy, SubsidyPayment

    rng, payments = plan.rng, []

    def rows():
        for pk in range(1, plan.counts["subsidies"] + 1):
            park = plan.park()
            at = plan.moment(1.5)
            approved_on, amount = at.date(), money(rng, 100, 20_000)
            row = {"id": pk, "park_id": park, "enterprise_id": plan.firm(park), "policy": POLICIES[pk % len(POLICIES)],
                   "period": str(approved_on.year), "approved_amount": amount, "approved_on": approved_on, **plan.stamps(at)}  # fmt: skip
            age = (plan.today - approved_on).days
            unpaid = rng.random() < (0.5 if age < 180 else 0.02)
            parts = rng.choice((1, 1, 2, 3))
            for n in range(parts):
                paid_on = approved_on + datetime.timedelta(days=20 + 15 * n)
                if paid_on > plan.today or (unpaid and n == parts - 1):
                    break
                payments.append((pk, park, paid_on, (amount / parts).quantize(Decimal("0.01")), n))
            yield row

    def payment_rows(batch):
        for subsidy, park, paid_on, amount, n in batch:
            at = datetime.datetime.combine(paid_on, datetime.time(10), tzinfo=plan.now.tzinfo)
            yield {"park_id": park, "subsidy_id": subsidy, "paid_on": paid_on, "amount": amount,
                   "voucher_no": f"PZ{subsidy:07d}-{n}", "overpayment_confirmed": False, **plan.stamps(at)}  # fmt: skip

    chunk, done, next_id = 20_000, 0, 1
    source = rows()
    while done < plan.counts["subsidies"]:
        part = [row for _, row in zip(range(chunk), source, strict=False)]
        copier.copy(Subsidy, part, when="created_at")
        done += len(part)
        batch, payments[:] = list(payments), []
        copier.copy(
            SubsidyPayment, ({"id": next_id + i, **r} for i, r in enumerate(payment_rows(batch))), when="created_at"
        )
        next_id += len(batch)


def contracts(plan: Plan, copier) -> None:
    from risks.choices import AuditStatus, ProcurementMethod
    from risks.models import Contract, Project

    rng, n_projects = plan.rng, max(plan.counts["parks"], plan.counts["contracts"] // 10)
    project_park = [0] + [
        (p - 1) % plan.counts["parks"] + 1 if p <= plan.counts["parks"] else plan.park()
        for p in range(1, n_projects + 1)
    ]

    def projects():
        for pk in range(1, n_projects + 1):
            at = plan.moment(1.2)
            yield {"id": pk, "park_id": project_park[pk], "name": f"项目{pk:06d}", "budget": money(rng, 10_000, 500_000),
                   "started_on": at.date(), **plan.stamps(at)}  # fmt: skip

    def rows():
        methods, audits = ProcurementMethod.values, AuditStatus.values
        for pk in range(1, plan.counts["contracts"] + 1):
            project = rng.randrange(1, n_projects + 1)
            at = plan.moment(1.2)
            yield {"id": pk, "project_id": project, "number": f"HT{at.year}-{pk:07d}", "contractor_id": plan.firm(project_park[project]),
                   "procurement_method": methods[pk % len(methods)], "amount": money(rng, 100, 80_000), "signed_on": at.date(),
                   "integrity_contract": rng.random() < 0.9, "audit_status": audits[pk % len(audits)], **plan.stamps(at)}  # fmt: skip

    copier.copy(Project, projects(), when="created_at")
    copier.copy(Contract, rows(), when="created_at")


def decisions(plan: Plan, copier) -> None:
    from risks.choices import DecisionKind, DecisionOutcome, MeetingKind
    from risks.models import Decision

    rng, kinds, meetings = plan.rng, DecisionKind.values, MeetingKind.values

    def rows():
        for pk in range(1, plan.counts["decisions"] + 1):
            at, kind = plan.moment(1.3), kinds[pk % len(kinds)]
            met = rng.random() < 0.95
            entitled = rng.randrange(7, 12)
            yield {"id": pk, "park_id": plan.park(), "kind": kind, "subject": f"{kind}事项{pk:06d}",
                   "amount": money(rng, 1_000, 30_000) if kind == DecisionKind.LARGE_FUNDS else None,
                   "meeting_kind": meetings[pk % len(meetings)] if met else "", "meeting_on": at.date() if met else None,
                   "members_entitled": entitled if met else None, "members_present": entitled - rng.randrange(0, 5) if met else None,
                   "outcome": DecisionOutcome.APPROVED if met else "", "has_minutes": met and rng.random() < 0.97,
                   "executed_on": (at + datetime.timedelta(days=10)).date() if met else None, **plan.stamps(at)}  # fmt: skip

    copier.copy(Decision, rows(), when="created_at")


def riskpoints(plan: Plan, copier) -> None:
    from risks.choices import RiskDomain, RiskStatus
    from risks.models import RiskPoint
    from risks.scoring import risk_level

    rng, domains = plan.rng, RiskDomain.values

    def rows():
        for pk in range(1, plan.counts["riskpoints"] + 1):
            at, likelihood, impact = plan.moment(1.0), rng.randrange(1, 6), rng.randrange(1, 6)
            yield {"id": pk, "park_id": plan.park(), "domain": domains[pk % len(domains)], "description": f"风险点描述{pk}",
                   "likelihood": likelihood, "impact": impact, "level": risk_level(likelihood, impact), "measures": "防控措施",
                   "department": UNITS[pk % len(UNITS)], "owner": f"责任人{pk % 97}", "status": RiskStatus.CONTROLLED,
                   "review_on": plan.today + datetime.timedelta(days=rng.randrange(-60, 300)), **plan.stamps(at)}  # fmt: skip

    copier.copy(RiskPoint, rows(), when="created_at")


def officials(plan: Plan, copier) -> None:
    from risks.choices import Relation
    from risks.models import Official, OfficialTie

    rng, n = plan.rng, plan.counts["officials"]
    official_park = [0] + [plan.park() for _ in range(n)]

    def rows():
        for pk in range(1, n + 1):
            at = plan.moment(1.0)
            yield {"id": pk, "park_id": official_park[pk], "name": f"干部{pk:05d}", "position": "副主任",
                   "is_active": rng.random() < 0.9, **plan.stamps(at)}  # fmt: skip

    def ties():
        for pk in range(1, n // 2 + 1):
            official = rng.randrange(1, n + 1)
            yield {"id": pk, "official_id": official, "enterprise_id": plan.firm(official_park[official]),
                   "relation": Relation.values[pk % len(Relation.values)], "relative_name": f"亲属{pk}", "note": "",
                   "created_at": plan.now}  # fmt: skip

    copier.copy(Official, rows(), when="created_at")
    copier.copy(OfficialTie, _unique_ties(ties()), when=None)


def _unique_ties(rows):
    seen = set()
    for row in rows:
        key = (row["official_id"], row["enterprise_id"], row["relation"])
        if key not in seen:
            seen.add(key)
            yield row


STEPS = [subsidies, contracts, decisions, riskpoints, officials]
