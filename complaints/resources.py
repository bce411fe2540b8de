from core.resources import ExportResource, column

from .models import Complaint


class ComplaintResource(ExportResource):
    """Complaint exports. The identity columns go only to commission staff (see core.exports)."""

    IDENTITY = ("is_anonymous", "complainant__name", "complainant__phone", "complainant__enterprise_name")

    reference = column("reference", "编号")
    park = column("park__name", "园区")
    channel = column("get_channel_display", "渠道")
    category = column("get_category_display", "类别")
    subject = column("subject", "被反映单位或人员")
    description = column("description", "具体情况")
    demand = column("demand", "诉求")
    status = column("get_status_display", "状态")
    submitted_at = column("submitted_at", "提交时间")
    accept_due = column("accept_due", "受理期限")
    accepted_on_time = column("accepted_on_time", "按时受理")
    reply_due = column("reply_due", "答复期限")
    replied_on_time = column("replied_on_time", "按时答复")
    handler = column("assigned_to__display_name", "承办人")
    rating = column("get_rating_display", "评价")
    anonymous = column("is_anonymous", "匿名")
    name = column("complainant__name", "投诉人")
    phone = column("complainant__phone", "联系电话")
    enterprise = column("complainant__enterprise_name", "投诉企业")

    class Meta:
        model = Complaint
