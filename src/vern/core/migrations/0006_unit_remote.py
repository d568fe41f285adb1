from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("core", "0005_ascii_digits")]

    operations = [
        migrations.AddField(
            model_name="unit",
            name="remote",
            field=models.BooleanField(default=False, verbose_name="in another system"),
        ),
    ]
