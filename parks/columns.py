"""The enterprise register's columns: its table (the list, and a park's page), its export and its import
template are built from this declaration (see core.columns)."""

from django.template.loader import render_to_string
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from core.columns import Column, Columns, Shown, park_code
from core.import_cells import parse_bool

from .credit_code import parse_credit_code


def _flags(enterprise):
    badges = render_to_string("parks/includes/enterprise_flags.html", {"enterprise": enterprise})
    return mark_safe(badges.strip())  # noqa: S308 - a template's output, escaped by the template


ENTERPRISES = Columns(
    gettext_lazy("Enterprises"),
    [
        Column(
            "credit_code",
            gettext_lazy("unified social credit code"),
            cell=lambda e: format_html('<span class="credit-code">{}</span>', e.credit_code),
            parse=parse_credit_code,
            example="91410400MA44XK1R2B",
        ),
        Column("name", gettext_lazy("enterprise name"), example="平顶山某某科技有限公司", sort="name"),
        park_code(),
        Shown("park_name", gettext_lazy("park"), "park__name", sort="park__code"),
        Column("industry", gettext_lazy("industry"), blank=True, required=False, example="智能制造"),
        Column(
            "legal_representative", gettext_lazy("legal representative"), blank=True, required=False, example="张三"
        ),
        Column(
            "contact_phone",
            gettext_lazy("contact phone"),
            table=False,
            blank=True,
            required=False,
            example="0375-2345678",
        ),
        Column(
            "is_key",
            gettext_lazy("key enterprise"),
            table=False,
            parse=parse_bool,
            blank=True,
            required=False,
            example="是",
        ),
        Column(
            "is_monitoring_point",
            gettext_lazy("business-environment monitoring point"),
            table=False,
            parse=parse_bool,
            blank=True,
            required=False,
            example="否",
        ),
        Shown("is_four_winds_point", gettext_lazy("'four winds' observation point"), table=False),
        Shown("has_special_supervisor", gettext_lazy("special supervisor's representative"), table=False),
        Shown("flags", gettext_lazy("flags"), cell=_flags, export=False),
    ],
    link="name",
)
