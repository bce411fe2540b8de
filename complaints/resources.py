"""Complaint exports, from the declaration in complaints.columns. Its identity columns go only to commission
staff (see core.exports)."""

from core.resources import resource_for

from .columns import COMPLAINTS
from .models import Complaint

ComplaintResource = resource_for("ComplaintResource", COMPLAINTS, Complaint)
