from django.db import migrations

from core.grams import AddGramIndex


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0010_portal_grams'),
        ('complaints', '0008_desk_indexes'),
    ]

    operations = [
        # The complaints' search of one or two characters (core.grams).
        AddGramIndex('complaint', 'subject', 'complaint_subject_grams'),
        AddGramIndex('complaint', 'description', 'complaint_description_grams'),
    ]
