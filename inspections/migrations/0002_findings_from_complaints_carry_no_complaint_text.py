"""Findings made from complaints used to copy the complaint's text, which every officer of the park
reads (in the finding, its history and the rectification owner's notice). Replace that text with the
summary a new finding starts with; findings whose text an inspector already rewrote are left alone."""

from django.conf import settings
from django.db import migrations
from django.utils import translation


def replace_complaint_text(apps, schema_editor):
    from complaints.models import Complaint  # the current model, for its category labels
    from inspections.services import complaint_finding_summary

    Finding = apps.get_model("inspections", "Finding")
    HistoricalFinding = apps.get_model("inspections", "HistoricalFinding")
    RectificationTask = apps.get_model("inspections", "RectificationTask")
    Notification = apps.get_model("core", "Notification")
    with translation.override(settings.LANGUAGE_CODE):
        for finding in Finding.objects.filter(complaint__isnull=False).select_related("complaint"):
            words = finding.complaint.description.strip()
            if not words:
                continue
            summary = complaint_finding_summary(
                Complaint(category=finding.complaint.category, subject=finding.complaint.subject)
            )
            for model in (Finding, HistoricalFinding):
                model.objects.filter(id=finding.pk, description__contains=words).update(description=summary)
            owners = RectificationTask.objects.filter(finding_id=finding.pk).values("owner_id")
            Notification.objects.filter(
                kind="task_assigned", recipient__in=owners, body__contains=words
            ).update(body=summary)


class Migration(migrations.Migration):
    dependencies = [
        ("inspections", "0001_initial"),
        ("complaints", "0001_initial"),
        ("core", "0002_exportfile"),
    ]

    operations = [migrations.RunPython(replace_complaint_text, migrations.RunPython.noop)]
