"""The audit trail (django-simple-history) read for people: who changed which field from what to what."""

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext as _


@dataclass
class FieldChange:
    label: str
    old: Any
    new: Any


@dataclass
class HistoryEntry:
    record: Any
    changes: list[FieldChange] = field(default_factory=list)


def change_history(obj, *, limit: int = 20) -> list[HistoryEntry]:
    """The latest ``limit`` history records of ``obj``, each with its field changes (one query)."""
    records = list(obj.history.select_related("history_user").order_by("-history_date", "-history_id")[: limit + 1])
    entries = []
    for newer, older in zip(records, [*records[1:], None], strict=True):
        entry = HistoryEntry(record=newer)
        if older is not None:
            for change in newer.diff_against(older).changes:
                entry.changes.append(FieldChange(_label(obj, change.field), _shown(change.old), _shown(change.new)))
        entries.append(entry)
    return entries[:limit]


def _label(obj, name: str) -> str:
    try:
        return str(obj._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:
        return name


def _shown(value: Any) -> Any:
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    return "—" if value in (None, "") else value
