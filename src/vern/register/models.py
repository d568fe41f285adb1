"""Deliveries to the national child welfare register, the documents kept from them, and control runs.

Every document Vern sends, and every document it imports from another system, is kept unchanged
(append-only in the database). A case's latest document is what the register knows of it: the next
export points back to it (``ForrigeId``), reports what has gone from it as ``Slettet``, and carries
on what Vern does not model itself (``MigrertId``, ``ErSlettet``, older identities).
"""

from __future__ import annotations

import uuid
from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from vern.cases.models import Case
from vern.core.models import Unit, User


class Delivery(models.Model):
    """One export of a unit's cases to the register (all, or those changed), or one import."""

    class Kind(models.TextChoices):
        TOTAL = "total", _("all cases")
        CHANGES = "changes", _("changed cases")
        IMPORT = "import", _("import")

    delivery_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    # DatoUttrekk of its documents (for an import: when it was imported).
    extracted_at = models.DateTimeField(_("extracted"))
    created_at = models.DateTimeField(auto_now_add=True)
    # Who ran it: the signed-in user, or the command line's operating-system user.
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    run_by = models.CharField(_("run by"), max_length=150)
    case_count = models.PositiveIntegerField(_("cases"))
    folder = models.CharField(_("folder"), max_length=500)
    # Handed to the register's transport (register.transport); empty until then.
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("register delivery")
        indexes: ClassVar = [models.Index(fields=["unit", "-created_at"], name="delivery_unit_created")]

    def __str__(self) -> str:
        return str(self.delivery_id)


class Document(models.Model):
    """One register document (one case folder) exactly as it was sent or imported. Never changed."""

    delivery = models.ForeignKey(Delivery, on_delete=models.PROTECT, related_name="documents")
    # None for an imported document Vern did not take in (a case deleted in the system it came from).
    case = models.ForeignKey(Case, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    document_id = models.UUIDField(unique=True)
    previous_id = models.UUIDField(null=True, blank=True)
    file_name = models.CharField(max_length=200)
    sha256 = models.CharField(max_length=64)
    # register.xml.content_sha256 of its Sak: whether a later export has anything new to say.
    content_sha256 = models.CharField(max_length=64)
    body = models.BinaryField()

    class Meta:
        verbose_name = _("register document")
        indexes: ClassVar = [
            # A case's latest document (export's ForrigeId, Slettet and what it carries on).
            models.Index(fields=["case", "-id"], name="document_case_latest"),
        ]

    def __str__(self) -> str:
        return str(self.document_id)


class ControlRun(models.Model):
    """The pre-submission control of a unit's cases at one moment: counts per rule, and which cases."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("run"))
    run_by = models.CharField(_("run by"), max_length=150)
    case_count = models.PositiveIntegerField(_("cases"))
    # {rule id: {"severity": ..., "cases": [case id, ...]}}
    results = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("register control run")
        indexes: ClassVar = [models.Index(fields=["unit", "-at"], name="controlrun_unit_at")]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.at:%Y-%m-%d %H:%M}"
