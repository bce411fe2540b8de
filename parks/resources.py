from core.resources import LedgerResource

from .columns import ENTERPRISES
from .models import Enterprise


class EnterpriseResource(LedgerResource):
    columns = ENTERPRISES

    class Meta:
        model = Enterprise
