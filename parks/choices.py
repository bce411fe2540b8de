from django.db import models
from django.utils.translation import gettext_lazy as _


class ParkLevel(models.TextChoices):
    NATIONAL = "national", _("National")
    PROVINCIAL = "provincial", _("Provincial")
    MUNICIPAL = "municipal", _("Municipal")
    COUNTY = "county", _("District/county")


class ParkKind(models.TextChoices):
    HIGH_TECH = "high_tech", _("High-tech industrial development zone")
    ECONOMIC = "economic", _("Economic and technological development zone")
    INDUSTRIAL = "industrial", _("Industrial park")
    NEW_MATERIALS = "new_materials", _("New materials development zone")
    BONDED = "bonded", _("Comprehensive bonded zone")
    BUSINESS = "business", _("Central business district")
    OTHER = "other", _("Other")
