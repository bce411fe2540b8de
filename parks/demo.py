"""Demo parks (those named in the source article), enterprises with valid credit codes, one user of
each role. Rows are matched by their natural keys and saved only when a field differs, so running it
again changes nothing — not even the audit trail."""

import random

from django.utils.translation import gettext as _

from accounts.choices import Role
from accounts.models import User
from parks.choices import ParkKind, ParkLevel
from parks.credit_code import CHARSET, check_character
from parks.models import Enterprise, Park
from parks.services import liaison_assign

DEMO_PASSWORD = "qinglian-demo-2026"  # noqa: S105 - printed for the demo on purpose

# (code, name, level, kind, region, division code for credit codes, committee, enterprises)
PARKS = [
    (
        "CQJB-GC",
        "重庆江北港城工业园区",
        ParkLevel.MUNICIPAL,
        ParkKind.INDUSTRIAL,
        "重庆市江北区",
        "500105",
        "港城工业园区管委会",
        [
            ("重庆港城智能装备有限公司", "智能装备"),
            ("重庆江北寸滩物流有限公司", "现代物流"),
            ("重庆港城汽车零部件有限公司", "汽车零部件"),
            ("重庆鱼嘴新材料科技有限公司", "新材料"),
            ("重庆江北精密机械制造有限公司", "机械制造"),
        ],
    ),
    (
        "CQJB-JBZ",
        "重庆江北嘴中央商务区",
        ParkLevel.MUNICIPAL,
        ParkKind.BUSINESS,
        "重庆市江北区",
        "500105",
        "江北嘴中央商务区管委会",
        [
            ("重庆江北嘴金融科技有限公司", "金融科技"),
            ("重庆两江数字服务有限公司", "软件和信息服务"),
            ("重庆观音桥商业管理有限公司", "商务服务"),
            ("重庆江北嘴供应链管理有限公司", "供应链管理"),
        ],
    ),
    (
        "PDS-GXQ",
        "平顶山高新技术产业开发区",
        ParkLevel.NATIONAL,
        ParkKind.HIGH_TECH,
        "河南省平顶山市",
        "410400",
        "平顶山高新区管委会",
        [
            ("平顶山高新电气设备有限公司", "电气装备"),
            ("平顶山鹰城新能源科技有限公司", "新能源"),
            ("平顶山中原智造科技有限公司", "智能制造"),
            ("平顶山高新区煤化工技术有限公司", "煤化工"),
            ("平顶山创新之城软件有限公司", "软件和信息服务"),
            ("平顶山宝丰光电材料有限公司", "光电材料"),
        ],
    ),
    (
        "PDS-NL",
        "平顶山尼龙新材料开发区",
        ParkLevel.PROVINCIAL,
        ParkKind.NEW_MATERIALS,
        "河南省平顶山市",
        "410400",
        "尼龙新材料开发区管委会",
        [
            ("平顶山尼龙工程塑料有限公司", "尼龙新材料"),
            ("平顶山己二酸化工有限公司", "化工原料"),
            ("平顶山尼龙纤维纺织有限公司", "化纤纺织"),
            ("平顶山帘子布制造有限公司", "尼龙新材料"),
            ("平顶山叶县盐化有限公司", "盐化工"),
        ],
    ),
    (
        "CZ-GXQ",
        "郴州高新技术产业开发区",
        ParkLevel.NATIONAL,
        ParkKind.HIGH_TECH,
        "湖南省郴州市",
        "431000",
        "郴州高新区管委会",
        [
            ("郴州高新有色金属新材料有限公司", "有色金属"),
            ("郴州林邑电子信息有限公司", "电子信息"),
            ("郴州高新区石墨烯科技有限公司", "石墨新材料"),
            ("郴州湘南装备制造有限公司", "装备制造"),
            ("郴州苏仙医药科技有限公司", "生物医药"),
        ],
    ),
    (
        "CZ-JKQ",
        "郴州经济开发区",
        ParkLevel.PROVINCIAL,
        ParkKind.ECONOMIC,
        "湖南省郴州市",
        "431000",
        "郴州经开区管委会",
        [
            ("郴州经开区智能终端有限公司", "智能终端"),
            ("郴州北湖有色冶炼有限公司", "有色冶炼"),
            ("郴州东江湖食品有限公司", "食品加工"),
            ("郴州经开区物流园有限公司", "现代物流"),
            ("郴州福城建材科技有限公司", "新型建材"),
        ],
    ),
]


def demo_credit_code(division: str, seed: str) -> str:
    """A valid code (9 = market regulator, 1 = company), deterministic per enterprise name."""
    rng = random.Random(seed)  # noqa: S311 - demo data, not security
    organisation = "".join(rng.choice(CHARSET) for _ in range(9))
    body = "91" + division + organisation
    return body + check_character(body)


def upsert(model, lookup: dict, values: dict):
    """get_or_create, then save only if a value differs: reruns leave rows and history unchanged."""
    obj, created = model.objects.get_or_create(**lookup, defaults=values)
    if not created:
        changed = [name for name, value in values.items() if getattr(obj, name) != value]
        if changed:
            for name in changed:
                setattr(obj, name, values[name])
            obj.save()
    return obj, created


def seed(stdout) -> None:
    _Seeder(stdout).run()


class _Seeder:
    def __init__(self, stdout):
        self.stdout = stdout

    def run(self) -> None:
        parks = {}
        enterprises = []
        for code, name, level, kind, region, division, committee, firms in PARKS:
            park, _created = upsert(
                Park,
                {"code": code},
                {
                    "name": name,
                    "level": level,
                    "kind": kind,
                    "region": region,
                    "management_committee": committee,
                    "is_active": True,
                },
            )
            parks[code] = park
            for index, (firm, industry) in enumerate(firms):
                enterprise, _created = upsert(
                    Enterprise,
                    {"credit_code": demo_credit_code(division, firm)},
                    {
                        "name": firm,
                        "park": park,
                        "industry": industry,
                        "is_key": index == 0,
                        "is_monitoring_point": index in (0, 2),
                        "is_four_winds_point": index == 1,
                        "has_special_supervisor": index == 3,
                    },
                )
                enterprises.append(enterprise)

        admin = self._user("admin", "纪委监委管理员", Role.COMMISSION_ADMIN)
        inspector = self._user("inspector", "王监督", Role.INSPECTOR, phone="13800000001")
        self._assign(inspector, parks["PDS-GXQ"], parks["PDS-NL"])
        officer = self._user("officer", "李园区", Role.PARK_OFFICER, department="平顶山高新区管委会经济发展局")
        self._assign(officer, parks["PDS-GXQ"])
        firm = Enterprise.objects.get(name="平顶山高新电气设备有限公司")
        self._user("enterprise", "张企业", Role.ENTERPRISE, enterprise=firm)

        for enterprise in enterprises:
            if enterprise.park.code in ("PDS-GXQ", "PDS-NL") and enterprise.is_key:
                liaison_assign(actor=admin, enterprise=enterprise, member=inspector, note="一对一联系")

        self.stdout.write(
            _("Demo data: %(parks)d parks, %(enterprises)d enterprises.")
            % {"parks": Park.objects.count(), "enterprises": Enterprise.objects.count()}
        )

    def _user(self, username: str, name: str, role: str, **extra) -> User:
        user, created = upsert(User, {"username": username}, {"name": name, "role": role, **extra})
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        return user

    def _assign(self, user: User, *parks: Park) -> None:
        # Add only what is missing: an empty add still writes an m2m history record.
        missing = set(parks) - set(user.parks.all())
        if missing:
            user.parks.add(*missing)
