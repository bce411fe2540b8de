"""The complaint tally by park (``ComplaintParkTally``): the trigger appends to it too, and every complaint
already filed is counted into it once. An officer's scope (handler, park) indexed, for their counts, and
PostgreSQL told that a handler's complaints are of their parks."""

import django.db.models.deletion
from django.db import migrations, models


# An officer's complaints are all of their parks: told so, PostgreSQL estimates "these parks and this handler" as
# the handler's complaints (not their product) and walks the index of the order asked (their desk, their queue).
STATISTICS = (
    "CREATE STATISTICS IF NOT EXISTS complaint_park_handler (dependencies) "
    "ON park_id, assigned_to_id FROM complaints_complaint"
)


def install(apps, schema_editor):
    from complaints import tally

    if schema_editor.connection.vendor != "postgresql":
        return
    park_only = {tally.PARK_TABLE: tally.TABLES[tally.PARK_TABLE]}
    for statement in [*tally.install_sql(), *tally.rebuild_sql(tables=park_only), STATISTICS]:
        schema_editor.execute(statement)
    schema_editor.execute("ANALYZE complaints_complaint")


def uninstall(apps, schema_editor):
    from complaints import tally

    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP STATISTICS IF EXISTS complaint_park_handler")
        for statement in tally.install_sql(tables={tally.TABLE: tally.KEY}):
            schema_editor.execute(statement)


class Migration(migrations.Migration):

    dependencies = [
        ('complaints', '0009_gram_indexes'),
        ('parks', '0003_gram_indexes'),
    ]

    operations = [
        migrations.CreateModel(
            name='ComplaintParkTally',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('month', models.DateField()),
                ('status', models.CharField(choices=[('submitted', 'awaiting acceptance'), ('accepted', 'accepted'), ('rejected', 'not accepted'), ('assigned', 'assigned'), ('handling', 'being handled'), ('replied', 'replied'), ('closed', 'closed')], max_length=12)),
                ('replied_on_time', models.BooleanField(null=True)),
                ('rating', models.CharField(blank=True, choices=[('satisfied', 'Satisfied'), ('fairly_satisfied', 'Fairly satisfied'), ('not_satisfied', 'Not satisfied')], max_length=20)),
                ('n', models.IntegerField()),
                ('park', models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='parks.park')),
            ],
            options={
                'indexes': [models.Index(fields=['month'], include=('park', 'status', 'replied_on_time', 'rating', 'n'), name='complaint_park_tally_month'), models.Index(fields=['park', 'month'], include=('status', 'replied_on_time', 'rating', 'n'), name='complaint_park_tally_park')],
            },
        ),
        migrations.RunPython(install, uninstall),
        migrations.RemoveIndex(
            model_name='complaint',
            name='complaints__assigne_2cfd47_idx',
        ),
        migrations.AddIndex(
            model_name='complaint',
            index=models.Index(fields=['assigned_to', 'park', 'status'], name='complaint_officer_scope'),
        ),
    ]
