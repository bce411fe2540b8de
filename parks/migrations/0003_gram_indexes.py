from django.db import migrations

from core.grams import AddGramIndex


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0010_portal_grams'),
        ('parks', '0002_search_indexes'),
    ]

    operations = [
        # The list's search of one or two characters (core.grams); the credit code is a prefix (b-tree).
        AddGramIndex('enterprise', 'name', 'enterprise_name_grams'),
        AddGramIndex('enterprise', 'legal_representative', 'enterprise_legal_rep_grams'),
    ]
