"""The reference data's columns: each list's table, its export and its import template (see core.columns).
ID numbers are imported (their hash is what the cell parses to) and never shown or exported."""

from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.columns import Column, Columns, Shown, park_code
from core.import_cells import choice_parser, parse_bool, parse_date
from parks.credit_code import parse_credit_code
from risks.choices import Relation

from .choices import RegistrationStatus
from .identity import parse_id_number
from .shareholders import parse_shareholders

EXAMPLE_ID = "11010519491231002X"

REGISTRATIONS = Columns(
    gettext_lazy("Registration records"),
    [
        Column(
            "credit_code",
            gettext_lazy("unified social credit code"),
            parse=parse_credit_code,
            example="91410400MA44XK1R2B",
            sort="credit_code",
        ),
        Column("name", gettext_lazy("enterprise name"), example="平顶山某某科技有限公司", sort="name"),
        Column("legal_rep_name", gettext_lazy("legal representative"), example="张三"),
        Column(
            "legal_rep_id_hash",
            gettext_lazy("legal representative's ID number"),
            parse=parse_id_number,
            table=False,
            export=False,
            example=EXAMPLE_ID,
        ),
        Column(
            "shareholders",
            gettext_lazy("shareholders"),
            "shareholder_names",
            parse=parse_shareholders,
            blank=True,
            required=False,
            example="李四:410402198001011236:60;王五:410402198506152341:40",
        ),
        Column("address", gettext_lazy("registered address"), blank=True, example="平顶山市新华区建设路88号"),
        Column("phone", gettext_lazy("phone"), blank=True, example="0375-2345678"),
        Column(
            "status",
            gettext_lazy("registration status"),
            "get_status_display",
            parse=choice_parser(RegistrationStatus),
            example="存续",
        ),
        Column(
            "deregistered_on",
            gettext_lazy("deregistration date"),
            parse=parse_date,
            blank=True,
            required=False,
            sort="deregistered_on",
        ),
        Shown(
            "graph",
            gettext_lazy("connection view"),
            cell=lambda record: format_html(
                '<a href="{}">{}</a>', reverse("collisions:registration-graph", args=[record.pk]), _("connection view")
            ),
            export=False,
        ),
        Column(
            "in_park_area",
            gettext_lazy("registered in the park's area"),
            parse=parse_bool,
            blank=True,
            required=False,
            table=False,
            example="是",
        ),
    ],
)

RELATIVES = Columns(
    gettext_lazy("Officials' relatives"),
    [
        park_code("official__park"),
        Column("official", gettext_lazy("official's name"), "official__name", example="孙某"),
        Column("position", gettext_lazy("position"), "official__position", example="管委会副主任"),
        Column("name", gettext_lazy("relative's name"), example="孙某某"),
        Column(
            "id_hash",
            gettext_lazy("relative's ID number"),
            parse=parse_id_number,
            table=False,
            export=False,
            example=EXAMPLE_ID,
        ),
        Column(
            "relation", gettext_lazy("relation"), "get_relation_display", parse=choice_parser(Relation), example="配偶"
        ),
        Shown("park_name", gettext_lazy("park"), "official__park__name", sort="official__park__code"),
    ],
)
