"""The reference imports: all or nothing with Chinese errors per row, ID numbers never stored raw."""

import pytest
from django.db import connection

from collisions.identity import id_hash
from collisions.models import RegistrationKey, RegistrationPerson, RegistrationRecord, Relative
from tests.imports.test_imports import confirm, upload, xlsx

from ..factories import OfficialFactory
from .helpers import id_number

pytestmark = pytest.mark.django_db

REG_HEADERS = [
    "统一社会信用代码",
    "企业名称",
    "法定代表人",
    "法定代表人身份证号",
    "股东",
    "注册地址",
    "电话",
    "登记状态",
    "注销日期",
    "注册地在园区范围内",
]


def reg_row(enterprise, n, **overrides):
    row = {
        "code": enterprise.credit_code,
        "name": enterprise.name,
        "rep": "张三",
        "id": id_number(n),
        "holders": f"李四:{id_number(n + 100)}:60；王五：{id_number(n + 200)}:40",
        "address": "建设路８８号",
        "phone": "+86 138 1234 5678",
        "status": "存续",
        "dereg": "",
        "area": "是",
    }
    row.update(overrides)
    return list(row.values())


def test_registrations_import_hashes_every_id_number_and_builds_the_keys(client, world):
    client.force_login(world["admin"])
    data = xlsx(REG_HEADERS, [reg_row(world["ent_a"], 1), reg_row(world["ent_b"], 2, phone="")])
    preview = upload(client, "registrations", data)
    assert preview.status_code == 200 and preview.context["report"].ok
    confirm(client, "registrations", preview)
    record = RegistrationRecord.objects.get(credit_code=world["ent_a"].credit_code)
    assert record.legal_rep_id_hash == id_hash(id_number(1)) and record.phone_key == "13812345678"
    assert record.address_key == "建设路88号"
    assert sorted(p.name for p in record.people.all()) == ["李四", "王五"]
    assert RegistrationKey.objects.filter(record=record).count() == 5  # rep, two shareholders, address, phone
    # No raw ID number anywhere in the rows (history included).
    raw = [id_number(n) for n in (1, 2, 101, 102, 201, 202)]
    with connection.cursor() as cursor:
        for table in (
            "collisions_registrationrecord",
            "collisions_historicalregistrationrecord",
            "collisions_registrationperson",
            "collisions_historicalregistrationperson",
            "collisions_registrationkey",
        ):
            cursor.execute(f"SELECT * FROM {table}")  # noqa: S608 - table names written here
            dump = repr(cursor.fetchall())
            assert not any(number in dump for number in raw), table


def test_one_bad_id_number_imports_nothing_and_says_which_row_in_chinese(client, world):
    client.force_login(world["admin"])
    bad = id_number(3)[:-1] + ("0" if id_number(3)[-1] != "0" else "1")
    data = xlsx(REG_HEADERS, [reg_row(world["ent_a"], 1), reg_row(world["ent_b"], 3, id=bad)])
    preview = upload(client, "registrations", data)
    report = preview.context["report"]
    assert not report.ok
    messages = [(row.number, column, message) for row in report.errors for column, message in row.errors]
    assert messages == [(3, "法定代表人身份证号", "身份证号校验位不正确，是否输错？")]
    assert not RegistrationRecord.objects.exists()


def test_a_bad_shareholder_is_named_in_the_error(client, world):
    client.force_login(world["admin"])
    data = xlsx(REG_HEADERS, [reg_row(world["ent_a"], 1, holders="李四:12345")])
    report = upload(client, "registrations", data).context["report"]
    assert "第 1 个股东（李四）：身份证号应为 18 位" in report.errors[0].errors[0][1]


def test_park_officers_cannot_import_reference_data(client, world):
    client.force_login(world["officer"])
    data = xlsx(REG_HEADERS, [reg_row(world["ent_a"], 1)])
    response = upload(client, "registrations", data)
    assert response.status_code in (403, 404)
    assert not RegistrationRecord.objects.exists()


def test_relatives_import_needs_a_known_official_and_stores_hashes(client, world):
    OfficialFactory(park=world["park_a"], name="孙某", position="副主任")
    client.force_login(world["admin"])
    headers = ["园区编码", "干部姓名", "职务", "亲属姓名", "亲属身份证号", "关系"]
    good = ["PARK-A", "孙某", "副主任", "孙小某", id_number(5), "子女"]
    unknown = ["PARK-A", "钱某", "主任", "钱小某", id_number(6), "配偶"]
    report = upload(client, "relatives", xlsx(headers, [good, unknown])).context["report"]
    assert not report.file_error, report.file_error
    assert [(row.number, row.errors[0][1]) for row in report.errors] == [
        (3, "园区 PARK-A 没有领导干部 钱某（主任），请先在利益冲突登记中录入")
    ]
    preview = upload(client, "relatives", xlsx(headers, [good]))
    confirm(client, "relatives", preview)
    relative = Relative.objects.get()
    assert relative.id_hash == id_hash(id_number(5)) and relative.relation == "child"
    assert id_number(5) not in repr(list(Relative.history.values()))
    assert RegistrationPerson.objects.count() == 0


def test_importing_registrations_raises_the_alert_of_a_contractors_park(
    client, world, django_capture_on_commit_callbacks
):
    from risks.models import Alert

    from ..factories import ContractFactory, EnterpriseFactory, ProjectFactory

    project = ProjectFactory(park=world["park_b"])  # contractors of park A working on a project of park B
    one = ContractFactory(project=project, contractor=EnterpriseFactory(park=world["park_a"]))
    two = ContractFactory(project=project, contractor=EnterpriseFactory(park=world["park_a"]))
    client.force_login(world["admin"])
    data = xlsx(REG_HEADERS, [reg_row(one.contractor, 1), reg_row(two.contractor, 2, address="", holders="")])
    preview = upload(client, "registrations", data)
    with django_capture_on_commit_callbacks(execute=True):
        confirm(client, "registrations", preview)
    alerts = Alert.objects.filter(rule="collision_bid_rigging", cleared_at__isnull=True)
    assert set(alerts.values_list("object_id", flat=True)) == {project.pk}  # the same phone, +86 or not
    assert set(alerts.values_list("park_id", flat=True)) == {world["park_b"].pk}
