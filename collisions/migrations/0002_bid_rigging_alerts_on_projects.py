"""The bid-rigging rule watches projects now (their contractors and bidders), no longer contracts: the live
alerts it raised on contracts are cleared here — the nightly rescan, which looks at the rule's model only,
would leave them open for ever — and the rule raises its alerts on the projects at the next evaluation."""

from django.db import migrations
from django.utils import timezone


def clear_contract_alerts(apps, schema_editor):
    Alert = apps.get_model("risks", "Alert")
    Alert.objects.filter(
        rule="collision_bid_rigging", content_type__app_label="risks", content_type__model="contract"
    ).filter(cleared_at__isnull=True).update(cleared_at=timezone.now())


class Migration(migrations.Migration):
    dependencies = [
        ("collisions", "0001_reference_data_and_keys"),
        ("risks", "0011_bid"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(clear_contract_alerts, migrations.RunPython.noop)]
