from core.resources import ExportResource, column

from .models import AccountabilityMeasure, Demand, Finding, Inspection, RectificationTask, Visit


class InspectionResource(ExportResource):
    title = column("title", "名称")
    kind = column("get_kind_display", "类型")
    parks = column("park_names", "园区")
    starts_on = column("starts_on", "开始日期")
    ends_on = column("ends_on", "结束日期")
    status = column("get_status_display", "状态")

    class Meta:
        model = Inspection


class FindingResource(ExportResource):
    inspection = column("inspection__title", "巡察")
    park = column("park__name", "园区")
    source = column("get_source_display", "来源")
    description = column("description", "问题")
    category = column("get_category_display", "类别")
    severity = column("get_severity_display", "严重程度")
    unit = column("responsible_unit", "责任单位")
    found_on = column("found_on", "发现日期")

    class Meta:
        model = Finding


class TaskResource(ExportResource):
    park = column("finding__park__name", "园区")
    finding = column("finding__description", "问题")
    measures = column("measures", "整改措施")
    owner = column("owner__display_name", "整改责任人")
    deadline = column("deadline", "整改期限")
    status = column("get_status_display", "状态")
    recovered = column("recovered_losses", "挽回经济损失")
    verified_at = column("verified_at", "销号时间")

    class Meta:
        model = RectificationTask


class VisitResource(ExportResource):
    park = column("park__name", "园区")
    enterprise = column("enterprise__name", "企业")
    campaign = column("get_campaign_display", "活动")
    visited_on = column("visited_on", "走访日期")
    visitor = column("visitor__display_name", "走访人")
    note = column("note", "走访情况")

    class Meta:
        model = Visit


class DemandResource(ExportResource):
    park = column("visit__park__name", "园区")
    enterprise = column("visit__enterprise__name", "企业")
    visited_on = column("visit__visited_on", "走访日期")
    kind = column("get_kind_display", "诉求类型")
    description = column("description", "诉求")
    solved_on = column("solved_on", "解决日期")
    solution = column("solution", "解决情况")

    class Meta:
        model = Demand


class MeasureResource(ExportResource):
    park = column("task__finding__park__name", "园区")
    finding = column("task__finding__description", "问题")
    kind = column("get_kind_display", "问责措施")
    form = column("form", "第几种形态")
    person = column("person", "当事人")
    position = column("position", "职务")
    taken_on = column("taken_on", "日期")
    note = column("note", "备注")

    class Meta:
        model = AccountabilityMeasure
