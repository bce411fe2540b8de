from core.resources import ExportResource, column

from .models import Enterprise


class EnterpriseResource(ExportResource):
    credit_code = column("credit_code", "统一社会信用代码")
    name = column("name", "企业名称")
    park_code = column("park__code", "园区编码")
    park_name = column("park__name", "园区")
    industry = column("industry", "行业")
    legal = column("legal_representative", "法定代表人")
    phone = column("contact_phone", "联系电话")
    is_key = column("is_key", "重点企业")
    monitoring = column("is_monitoring_point", "营商环境监测点")
    four_winds = column("is_four_winds_point", "“四风”观测点")
    supervisor = column("has_special_supervisor", "特约监察员代表")

    class Meta:
        model = Enterprise
