"""The enterprise register's columns: its export and its import template are built from this declaration
(see core.columns)."""

from django.utils.translation import gettext_lazy

from core.columns import Column, Columns
from core.imports import parse_bool, parse_park_code

from .credit_code import parse_credit_code

ENTERPRISES = Columns(
    gettext_lazy("Enterprises"),
    [
        Column(
            "credit_code",
            gettext_lazy("unified social credit code"),
            parse=parse_credit_code,
            example="91410400MA44XK1R2B",
        ),
        Column("name", gettext_lazy("enterprise name"), example="平顶山某某科技有限公司"),
        Column("park", gettext_lazy("park code"), "park__code", parse=parse_park_code, example="PDS-GXQ"),
        Column("park_name", gettext_lazy("park"), "park__name", parse=None),
        Column("industry", gettext_lazy("industry"), blank=True, required=False, example="智能制造"),
        Column(
            "legal_representative", gettext_lazy("legal representative"), blank=True, required=False, example="张三"
        ),
        Column("contact_phone", gettext_lazy("contact phone"), blank=True, required=False, example="0375-2345678"),
        Column("is_key", gettext_lazy("key enterprise"), parse=parse_bool, blank=True, required=False, example="是"),
        Column(
            "is_monitoring_point",
            gettext_lazy("business-environment monitoring point"),
            parse=parse_bool,
            blank=True,
            required=False,
            example="否",
        ),
        Column("is_four_winds_point", gettext_lazy("'four winds' observation point"), parse=None),
        Column("has_special_supervisor", gettext_lazy("special supervisor's representative"), parse=None),
    ],
)
