"""Fristoversikt finds the decisions waiting for approval by an index of their keys."""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0004_register_journal_number_length"),
        ("decisions", "0003_register_specification_length"),
        ("investigations", "0002_register_conclusion_specification"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name="decision",
            index=models.Index(
                condition=models.Q(("ended_on__isnull", True), ("needs_approval", True)),
                fields=["case", "id"],
                name="decision_needs_approval",
            ),
        ),
    ]
