from core.resources import resource_for

from .columns import ENTERPRISES
from .models import Enterprise

EnterpriseResource = resource_for("EnterpriseResource", ENTERPRISES, Enterprise)
