"""Writes of the reference data. Every path (the import, the admin, the demo) saves a registration through
``registrations_save`` so that its normalised keys and its rows in ``RegistrationKey`` never drift apart."""

from __future__ import annotations

from collections.abc import Iterable

from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from .choices import KeyKind, KeyRole
from .identity import mask_name, mask_phone
from .models import RegistrationKey, RegistrationPerson, RegistrationRecord

UPDATED_FIELDS = [
    f.name
    for f in RegistrationRecord._meta.concrete_fields
    if not f.primary_key and f.name not in ("credit_code", "imported_at")
]


def keys_of(record: RegistrationRecord, people: Iterable[RegistrationPerson]) -> list[RegistrationKey]:
    """The keys one registration can share with another: its people's hashes, its address, its phone."""
    keys = [(KeyKind.PERSON, KeyRole.LEGAL_REP, record.legal_rep_id_hash, mask_name(record.legal_rep_name))]
    keys += [(KeyKind.PERSON, KeyRole.SHAREHOLDER, p.id_hash, mask_name(p.name)) for p in people]
    if record.address_key:
        keys.append((KeyKind.ADDRESS, KeyRole.ADDRESS, record.address_key, record.address))
    if record.phone_key:
        keys.append((KeyKind.PHONE, KeyRole.PHONE, record.phone_key, mask_phone(record.phone_key)))
    seen, rows = set(), []
    for kind, role, value, label in keys:
        if value and (kind, value) not in seen:  # a legal representative who is a shareholder too: one key
            seen.add((kind, value))
            rows.append(
                RegistrationKey(
                    record=record, credit_code=record.credit_code, kind=kind, role=role, value=value, label=label[:300]
                )
            )
    return rows


def registrations_save(
    pairs: list[tuple[RegistrationRecord, list[RegistrationPerson] | None]], *, actor=None
) -> set[str]:
    """Save registrations (new or changed) with their shareholders (``None``: keep the ones recorded) and
    rebuild their keys, in bulk. Returns the credit codes written, for the rules to re-run."""
    for record, _people in pairs:
        record.normalise()
    new = [record for record, _people in pairs if record.pk is None]
    old = [record for record, _people in pairs if record.pk is not None]
    if new:
        bulk_create_with_history(new, RegistrationRecord, batch_size=1000, default_user=actor)
    if old:
        bulk_update_with_history(old, RegistrationRecord, UPDATED_FIELDS, batch_size=1000, default_user=actor)
    replaced = [record.pk for record, people in pairs if people is not None]
    RegistrationPerson.objects.filter(record_id__in=replaced).delete()
    people_rows = []
    for record, people in pairs:
        for person in people or []:
            person.record = record
            people_rows.append(person)
    if people_rows:
        bulk_create_with_history(people_rows, RegistrationPerson, batch_size=1000, default_user=actor)
    records = [record for record, _people in pairs]
    RegistrationKey.objects.filter(record__in=records).delete()
    by_record: dict[int, list[RegistrationPerson]] = {}
    for person in RegistrationPerson.objects.filter(record__in=records):
        by_record.setdefault(person.record_id, []).append(person)
    keys = [key for record in records for key in keys_of(record, by_record.get(record.pk, []))]
    RegistrationKey.objects.bulk_create(keys, batch_size=5000)
    return {record.credit_code for record in records}
