"""Building registrations for the collision tests: valid ID numbers, records saved through the service."""

from decimal import Decimal

from collisions.identity import ID_CHECK, ID_WEIGHTS, id_hash
from collisions.models import RegistrationPerson, RegistrationRecord, Relative
from collisions.services import registrations_save


def id_number(n: int) -> str:
    """A valid 18-character ID number, different for each n (born 1980-01-01 … in 410402)."""
    body = f"410402198001{1 + n % 28:02d}{n % 1000:03d}"
    body = body[:17]
    return body + ID_CHECK[sum(int(d) * w for d, w in zip(body, ID_WEIGHTS, strict=True)) % 11]


def register(enterprise, *, rep=("张三", 1), shareholders=(), address="", phone="", **fields):
    """A registration for an enterprise: ``rep`` and each shareholder are (name, n) with ID number id_number(n)."""
    record = RegistrationRecord(
        credit_code=enterprise.credit_code,
        name=enterprise.name,
        legal_rep_name=rep[0],
        legal_rep_id_hash=id_hash(id_number(rep[1])),
        address=address,
        phone=phone,
        **fields,
    )
    people = [
        RegistrationPerson(name=name, id_hash=id_hash(id_number(n)), share=Decimal(50)) for name, n in shareholders
    ]
    registrations_save([(record, people)])
    return record


def relative(official, name, n, relation="spouse"):
    return Relative.objects.create(official=official, name=name, id_hash=id_hash(id_number(n)), relation=relation)
