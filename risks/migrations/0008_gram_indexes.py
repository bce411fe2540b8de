from django.db import migrations

from core.grams import AddGramIndex


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0010_portal_grams'),
        ('risks', '0007_desk_indexes'),
    ]

    operations = [
        # The subsidies' search of one or two characters (core.grams).
        AddGramIndex('subsidy', 'policy', 'subsidy_policy_grams'),
    ]
