"""The receipt used to keep the tracking code in the session until the session expired. Sessions
already in the database keep the complaint they point at and forget the code."""

from django.db import migrations


def forget_tracking_codes(apps, schema_editor):
    from django.contrib.sessions.backends.db import SessionStore

    Session = apps.get_model("sessions", "Session")
    store = SessionStore()
    for session in Session.objects.iterator():
        data = store.decode(session.session_data)  # {} when it cannot be read
        receipt = data.get("complaint_receipt")
        if isinstance(receipt, dict):
            data["complaint_receipt"] = receipt.get("pk")
            Session.objects.filter(pk=session.pk).update(session_data=store.encode(data))


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0001_initial"),
        ("sessions", "0001_initial"),
    ]

    operations = [migrations.RunPython(forget_tracking_codes, migrations.RunPython.noop)]
