from django.utils.translation import gettext as _

from core.imports import PARK_CODE_COLUMN, CellError, Column, LedgerImporter, parse_bool, register

from .credit_code import normalize_credit_code, validate_credit_code
from .models import Enterprise


def parse_credit_code(value) -> str:
    from django.core.exceptions import ValidationError

    code = normalize_credit_code(str(value))
    try:
        validate_credit_code(code)
    except ValidationError as error:
        raise CellError(error.messages[0]) from error
    return code


@register
class EnterpriseImporter(LedgerImporter):
    name = "enterprises"
    title = "企业"
    model = Enterprise
    permission = staticmethod(lambda user: user.can_keep_ledgers)
    columns = [
        Column("统一社会信用代码", "credit_code", parse_credit_code, example="91410400MA44XK1R2B"),
        Column("企业名称", "name", example="平顶山某某科技有限公司"),
        PARK_CODE_COLUMN,
        Column("行业", "industry", blank=True, required=False, example="智能制造"),
        Column("法定代表人", "legal_representative", blank=True, required=False, example="张三"),
        Column("联系电话", "contact_phone", blank=True, required=False, example="0375-2345678"),
        Column("重点企业", "is_key", parse_bool, blank=True, required=False, example="是"),
        Column("营商环境监测点", "is_monitoring_point", parse_bool, blank=True, required=False, example="否"),
    ]
    fields = {
        "credit_code": "credit_code",
        "name": "name",
        "industry": "industry",
        "legal_representative": "legal_representative",
        "contact_phone": "contact_phone",
        "is_key": "is_key",
        "is_monitoring_point": "is_monitoring_point",
    }

    def key(self, values):
        return (values.get("credit_code"),)

    def prepare(self, rows):
        super().prepare(rows)
        codes = [row.get("credit_code") for row in rows]
        self.existing = {e.credit_code: e for e in Enterprise.objects.filter(credit_code__in=codes)}
        self.visible_parks = {park.pk for park in self.parks.values()}

    def build(self, values, result):
        park = self.park(values)
        data = self.field_values(values)
        instance = self.existing.get(data["credit_code"])
        if instance is None:
            instance = Enterprise(park=park, **data)
            result.status = "new"
        else:
            if instance.park_id not in self.visible_parks:
                raise CellError(_("this enterprise belongs to a park you do not manage"))
            data["park"] = park
            changed = [name for name, value in data.items() if getattr(instance, name) != value]
            for name in changed:
                setattr(instance, name, data[name])
            result.status = "updated" if changed else "unchanged"
        result.instance, result.label = instance, instance.name

    def related_fields(self):
        return ["park"]
