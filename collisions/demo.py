"""Demo reference data: every demo park's enterprises registered, with each collision planted next to a
clean look-alike — the same surname (another person), the same street with another number, the same
policy in another period, a subsidy approved before the deregistration date, a bidder at another number of the
winner's street. Run after the risk ledgers."""

import datetime
from decimal import Decimal as D

from django.utils import timezone
from django.utils.translation import gettext as _

from parks.models import Enterprise, Park
from risks.engine import evaluate_all
from risks.models import Bid, Official, Project, Subsidy

from .identity import ID_CHECK, ID_WEIGHTS, id_hash
from .models import RegistrationPerson, RegistrationRecord, Relative
from .services import registrations_save


def _id(n: int) -> str:
    body = f"41040219{70 + n % 30:02d}0{1 + n % 9}{10 + n % 18:02d}{n % 1000:03d}"
    return body + ID_CHECK[sum(int(d) * w for d, w in zip(body, ID_WEIGHTS, strict=True)) % 11]


def seed(stdout) -> None:
    if RegistrationRecord.objects.exists():
        stdout.write(_("Demo registration records: already there, left alone."))
        return
    for number, park in enumerate(Park.objects.order_by("code")):
        firms = list(Enterprise.objects.filter(park=park).order_by("pk"))
        official = Official.objects.filter(park=park).order_by("pk").first()
        if len(firms) >= 4 and official is not None:
            _seed_park(park, firms, official, base=number * 100)
    evaluate_all()
    stdout.write(_("Demo registration records: %(count)d.") % {"count": RegistrationRecord.objects.count()})


def _seed_park(park, firms, official, *, base: int) -> None:
    today = timezone.localdate()
    street = f"{park.region}创业大道"
    rows = [
        # firms[0]: a shareholder is the official's registered child (hidden tie; the register is silent).
        (firms[0], ("周建", 1), [("孙晓明", 90)], f"{street}88号", "0375-2345601", {}),
        # firms[1] and firms[2], contractors of one project, share shareholder 李红 (bid rigging).
        (firms[1], ("吴刚", 2), [("李红", 3)], f"{street}10号", "13800000002", {}),
        (firms[2], ("郑强", 4), [("李红", 3)], f"{street}12号", "13800000004",
         {"status": "deregistered", "deregistered_on": today - datetime.timedelta(days=160)}),
        # firms[3]: the official's spouse is its legal representative, and the register says so (no alert);
        # same surname 李 as the bid-rigging shareholder, another person; 88 号 of another street number.
        (firms[3], ("钱某", 91), [("李洪", 5)], f"{street}86号", "0375-2345603", {}),
    ]  # fmt: skip
    pairs = []
    for firm, (rep, rep_n), holders, address, phone, extra in rows:
        record = RegistrationRecord(
            credit_code=firm.credit_code, name=firm.name, legal_rep_name=rep, legal_rep_id_hash=id_hash(_id(base + rep_n)),
            address=address, phone=phone, in_park_area=True, **extra,
        )  # fmt: skip
        people = [RegistrationPerson(name=n, id_hash=id_hash(_id(base + i)), share=D("40")) for n, i in holders]
        pairs.append((record, people))
    registrations_save(pairs)
    Relative.objects.create(official=official, name="孙晓明", id_hash=id_hash(_id(base + 90)), relation="child")
    Relative.objects.create(official=official, name="钱某", id_hash=id_hash(_id(base + 91)), relation="spouse")
    # Shell cluster: firms[1] shares firms[0]'s phone? No: a new recipient at firms[0]'s address, same policy
    # and period as firms[0]'s 研发投入后补助 2025; and one in another period at the same address (look-alike).
    shell = Enterprise.objects.filter(park=park).exclude(pk__in=[f.pk for f in firms[:4]]).order_by("pk").first()
    if shell is not None:
        registrations_save([(RegistrationRecord(
            credit_code=shell.credit_code, name=shell.name, legal_rep_name="王某", legal_rep_id_hash=id_hash(_id(base + 6)),
            address=f"{street}８８號", phone="", in_park_area=False,
        ), [])])  # fmt: skip
        Subsidy.objects.create(park=park, enterprise=shell, policy="研发投入后补助", period="2025",
                               approved_amount=D("120000"), approved_on=today - datetime.timedelta(days=100))  # fmt: skip
        Subsidy.objects.create(park=park, enterprise=shell, policy="研发投入后补助", period="2024",
                               approved_amount=D("90000"), approved_on=today - datetime.timedelta(days=400))  # fmt: skip
        # Bid rigging among bidders: on a tender firms[0] won, the losing bidder ``shell`` is registered at
        # firms[0]'s address (88 号, written another way); firms[3], at 86 号 of the same street, lost cleanly.
        roads = Project.objects.create(park=park, name="园区道路提升改造工程", budget=D("6000000"),
                                       started_on=today - datetime.timedelta(days=60))  # fmt: skip
        for firm, amount, won in ((firms[0], "5480000", True), (shell, "5520000", False), (firms[3], "5750000", False)):
            Bid.objects.create(project=roads, enterprise=firm, amount=D(amount), won=won,
                               submitted_on=today - datetime.timedelta(days=75))  # fmt: skip
