from django.db import migrations

from core.grams import CreateGramsFunction


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0009_trigram_extension'),
    ]

    operations = [
        # portal_grams(text), for the gram indexes of one- and two-character searches (core.grams).
        CreateGramsFunction(),
    ]
