from django.db import migrations

from core.grams import AddGramIndex


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0010_portal_grams'),
        ('risks', '0006_alert_attention_index'),
    ]

    operations = [
        # The subsidies' search of one or two characters (core.grams).
        AddGramIndex('subsidy', 'policy', 'subsidy_policy_grams'),
    ]
