"""Referrals between two systems: a shared id for each catalogue entry, what a referral shares of
the child kept on the referral itself, a case that may be elsewhere, and the protocol messages."""

import uuid

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def fill(apps, schema_editor):
    CatalogueEntry = apps.get_model("referrals", "CatalogueEntry")
    for entry in CatalogueEntry.objects.filter(uid__isnull=True):
        entry.uid = uuid.uuid4()
        entry.save(update_fields=["uid"])
    Referral = apps.get_model("referrals", "Referral")
    for referral in Referral.objects.select_related("case__child"):
        child = referral.case.child
        referral.child_name = f"{child.first_name} {child.last_name}".strip() or "unnamed child"
        referral.child_birth_date = child.birth_date
        referral.save(update_fields=["child_name", "child_birth_date"])


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0006_unit_remote"),
        ("referrals", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="catalogueentry", name="uid", field=models.UUIDField(editable=False, null=True)
        ),
        migrations.AddField(
            model_name="referral",
            name="child_name",
            field=models.CharField(max_length=201, null=True, verbose_name="child"),
        ),
        migrations.AddField(
            model_name="referral",
            name="child_birth_date",
            field=models.DateField(null=True, verbose_name="birth date"),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="catalogueentry",
            name="uid",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
        ),
        migrations.AlterField(
            model_name="referral",
            name="child_name",
            field=models.CharField(max_length=201, verbose_name="child"),
        ),
        migrations.AlterField(
            model_name="referral",
            name="child_birth_date",
            field=models.DateField(verbose_name="birth date"),
        ),
        migrations.AddField(
            model_name="referral",
            name="exchange_id",
            field=models.UUIDField(blank=True, editable=False, null=True, unique=True),
        ),
        migrations.AlterField(
            model_name="referral",
            name="case",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="referrals",
                to="cases.case",
            ),
        ),
        migrations.AlterField(
            model_name="referral",
            name="ordered_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AlterField(
            model_name="referralevent",
            name="by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AlterField(
            model_name="assignmentreport",
            name="by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.CreateModel(
            name="Message",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("message_id", models.UUIDField(editable=False, unique=True)),
                ("direction", models.CharField(choices=[("out", "sent"), ("in", "received")], max_length=3)),
                ("kind", models.CharField(max_length=30, verbose_name="message")),
                ("reply_to", models.UUIDField(blank=True, null=True)),
                ("body", models.BinaryField()),
                (
                    "state",
                    models.CharField(
                        choices=[
                            ("queued", "waiting to be sent"),
                            ("sent", "sent"),
                            ("received", "registered by the recipient"),
                            ("failed", "refused by the recipient"),
                            ("applied", "registered"),
                            ("rejected", "refused"),
                        ],
                        max_length=10,
                        verbose_name="state",
                    ),
                ),
                ("error", models.TextField(blank=True, verbose_name="error")),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("sent_at", models.DateTimeField(blank=True, null=True)),
                (
                    "counterpart",
                    models.ForeignKey(
                        null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="core.unit"
                    ),
                ),
                (
                    "referral",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="messages",
                        to="referrals.referral",
                    ),
                ),
            ],
            options={
                "ordering": ["created_at", "pk"],
                "indexes": [models.Index(fields=["state", "created_at"], name="message_state_created")],
            },
        ),
    ]
