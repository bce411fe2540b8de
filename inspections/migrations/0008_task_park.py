"""A rectification task's own copy of its finding's park (issue 13: scoping and the figures filter the task,
with no join to the findings), filled from the findings in one statement and held equal to it by the database;
indexes of the list orders within a park."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

# Set-based: every task takes its finding's park in one statement.
FILL = """
UPDATE inspections_rectificationtask AS task SET park_id = finding.park_id
FROM inspections_finding AS finding WHERE finding.id = task.finding_id
"""
FILL_HISTORY = """
UPDATE inspections_historicalrectificationtask AS task SET park_id = finding.park_id
FROM inspections_finding AS finding WHERE finding.id = task.finding_id
"""
# The task's (finding, park) is a row of the findings' (id, park): a task never names another park, and when a
# finding moves to another park its tasks move with it (ON UPDATE CASCADE). PostgreSQL only (SQLite cannot add
# a constraint to a table; there ``finding_record`` moves the tasks).
COMPOSITE = (
    "ALTER TABLE inspections_rectificationtask ADD CONSTRAINT task_park_is_findings "
    "FOREIGN KEY (finding_id, park_id) REFERENCES inspections_finding (id, park_id) "
    "ON UPDATE CASCADE DEFERRABLE INITIALLY DEFERRED"
)
DROP_COMPOSITE = "ALTER TABLE inspections_rectificationtask DROP CONSTRAINT IF EXISTS task_park_is_findings"
# An officer's tasks are all of one park: told so, PostgreSQL estimates "this park and this owner" as the owner's
# tasks (not their product), and walks the park's index in the list's order instead of sorting them all.
STATISTICS = "CREATE STATISTICS IF NOT EXISTS task_park_owner (dependencies) ON park_id, owner_id FROM inspections_rectificationtask"
DROP_STATISTICS = "DROP STATISTICS IF EXISTS task_park_owner"


def fill(apps, schema_editor):
    schema_editor.execute(FILL)
    schema_editor.execute(FILL_HISTORY)
    if schema_editor.connection.vendor == "postgresql":  # no pending trigger events before ALTER TABLE
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def add_composite(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(COMPOSITE)
        schema_editor.execute(STATISTICS)
        schema_editor.execute("ANALYZE inspections_rectificationtask")  # the new column's and statistics' figures


def drop_composite(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_STATISTICS)
        schema_editor.execute(DROP_COMPOSITE)



class Migration(migrations.Migration):

    dependencies = [
        ('complaints', '0009_gram_indexes'),
        ('inspections', '0007_task_api_order'),
        ('parks', '0003_gram_indexes'),
        ('risks', '0009_list_order_indexes'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='rectificationtask',
            name='task_open_figures',
        ),
        migrations.RemoveIndex(
            model_name='rectificationtask',
            name='task_verified_figures',
        ),
        migrations.AddField(
            model_name='historicalrectificationtask',
            name='park',
            field=models.ForeignKey(blank=True, db_constraint=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='parks.park', verbose_name='park'),
        ),
        migrations.AddField(
            model_name='rectificationtask',
            name='park',
            field=models.ForeignKey(db_index=False, editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='rectification_tasks', to='parks.park', verbose_name='park'),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=True),
        migrations.AlterField(
            model_name='rectificationtask',
            name='park',
            field=models.ForeignKey(db_index=False, editable=False, on_delete=django.db.models.deletion.PROTECT, related_name='rectification_tasks', to='parks.park', verbose_name='park'),
        ),
        migrations.AddIndex(
            model_name='rectificationtask',
            index=models.Index(models.F('park'), models.Case(models.When(status='verified', then=models.Value(1)), default=models.Value(0), output_field=models.IntegerField()), models.F('deadline'), models.F('id'), name='task_board_by_park'),
        ),
        migrations.AddIndex(
            model_name='rectificationtask',
            index=models.Index(fields=['park', 'deadline', 'id'], include=('owner',), name='task_api_by_park'),
        ),
        migrations.AddIndex(
            model_name='rectificationtask',
            index=models.Index(condition=models.Q(('status__in', ['assigned', 'in_progress', 'returned', 'submitted'])), fields=['park'], include=('id', 'status', 'deadline'), name='task_open_figures'),
        ),
        migrations.AddIndex(
            model_name='rectificationtask',
            index=models.Index(condition=models.Q(('status', 'verified')), fields=['verified_at'], include=('id', 'park', 'recovered_losses'), name='task_verified_figures'),
        ),
        migrations.AddIndex(
            model_name='rectificationtask',
            index=models.Index(condition=models.Q(('status', 'verified')), fields=['park'], include=('id', 'status', 'recovered_losses'), name='task_recovered_by_park'),
        ),
        migrations.AddConstraint(
            model_name='finding',
            constraint=models.UniqueConstraint(fields=('id', 'park'), name='finding_id_park'),
        ),
        migrations.RunPython(add_composite, drop_composite),
    ]
