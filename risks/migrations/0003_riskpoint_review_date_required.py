"""A risk point must have a review date. Rows recorded without one get the date of a yearly review
counted from the day they were recorded (廉政风险点 are reviewed at least once a year): a point recorded
more than a year ago is past its review date at once, and the review-overdue rule says so."""

import datetime

from django.db import migrations, models
from django.utils import timezone

YEARLY = datetime.timedelta(days=365)


def give_review_dates(apps, schema_editor):
    for name in ("RiskPoint", "HistoricalRiskPoint"):
        model = apps.get_model("risks", name)
        rows = list(model.objects.filter(review_on__isnull=True).only("pk", "created_at"))
        for row in rows:
            row.review_on = timezone.localdate(row.created_at) + YEARLY
        model.objects.bulk_update(rows, ["review_on"], batch_size=1000)
    if schema_editor.connection.vendor == "postgresql":  # no pending trigger events before ALTER TABLE
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


class Migration(migrations.Migration):
    dependencies = [
        ("risks", "0002_chinese_field_names"),
    ]

    operations = [
        migrations.RunPython(give_review_dates, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="historicalriskpoint",
            name="review_on",
            field=models.DateField(
                help_text="When the risk point and its measures are next reviewed.", verbose_name="next review date"
            ),
        ),
        migrations.AlterField(
            model_name="riskpoint",
            name="review_on",
            field=models.DateField(
                help_text="When the risk point and its measures are next reviewed.", verbose_name="next review date"
            ),
        ),
    ]
