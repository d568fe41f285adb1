"""Decisions (vedtak) with their legal basis and status history, and referrals to the county board.

A decision that the unit's delegation rules put under a leader's approval is not in force until a
leader approves it. Emergency decisions (BVL2021 chapter 4) carry the county board's clocks; their
deadlines are derived from these facts in ``vern.rules.decisions``, never stored.
"""

from __future__ import annotations

import uuid
from typing import ClassVar

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from vern.cases.models import Case
from vern.core.models import SPECIFICATION_LENGTH, Unit, User
from vern.investigations.models import Investigation
from vern.rules.legal_basis import Law, LegalBases, LegalBasis


class LawChoices(models.TextChoices):
    BVL2021 = Law.BVL2021.value, _("Child Welfare Act 2021 (BVL2021)")
    BVL1992 = Law.BVL1992.value, _("Child Welfare Act 1992 (BVL)")
    BL1981 = Law.BL1981.value, _("Children Act 1981 (BL1981)")


def _split(text: str) -> tuple[str, ...]:
    return tuple(part for part in text.split(",") if part)


def _basis_to_json(basis: LegalBasis) -> dict[str, object]:
    return {
        "law": basis.law.value,
        "chapter": basis.chapter,
        "section": basis.section,
        "paragraphs": list(basis.paragraphs),
        "letters": list(basis.letters),
        "sentences": list(basis.sentences),
    }


def _basis_from_json(data: dict[str, object]) -> LegalBasis:
    def parts(key: str) -> tuple[str, ...]:
        value = data.get(key) or []
        assert isinstance(value, list)
        return tuple(str(v) for v in value)

    return LegalBasis(
        Law(str(data["law"])),
        str(data["chapter"]),
        str(data["section"]),
        parts("paragraphs"),
        parts("letters"),
        parts("sentences"),
    )


def legal_basis_values(bases: LegalBases) -> dict[str, object]:
    """The LegalBasisFields columns for a legal basis with its cross-references."""
    main = bases.main
    return {
        "law": main.law.value,
        "chapter": main.chapter,
        "section": main.section,
        "paragraphs": ",".join(main.paragraphs),
        "letters": ",".join(main.letters),
        "sentences": ",".join(main.sentences),
        "cross_references": [_basis_to_json(ref) for ref in bases.cross_references],
    }


class LegalBasisFields(models.Model):
    """Lovhjemmel with up to three JmfrLovhjemmel, as the register's LovhjemmelType structures it.

    The main provision has columns of its own (worklists and reports select on law, chapter and
    section); the cross-references are a JSON list of the same shape.
    """

    law = models.CharField(_("law"), max_length=10, choices=LawChoices.choices)
    chapter = models.CharField(_("chapter"), max_length=3)
    section = models.CharField(_("section"), max_length=4)
    # Comma-separated: "2,3" is second and third paragraph.
    paragraphs = models.CharField(_("paragraphs"), max_length=40, blank=True)
    letters = models.CharField(_("letters"), max_length=40, blank=True)
    sentences = models.CharField(_("sentences"), max_length=40, blank=True)
    cross_references = models.JSONField(_("cross-references"), default=list, blank=True)

    class Meta:
        abstract = True

    @property
    def legal_bases(self) -> LegalBases:
        main = LegalBasis(
            Law(self.law),
            self.chapter,
            self.section,
            _split(self.paragraphs),
            _split(self.letters),
            _split(self.sentences),
        )
        return LegalBases(main, tuple(_basis_from_json(ref) for ref in self.cross_references))

    def set_legal_bases(self, bases: LegalBases) -> None:
        for name, value in legal_basis_values(bases).items():
            setattr(self, name, value)

    @property
    def legal_basis_text(self) -> str:
        bases = self.legal_bases
        refs = "".join(f", jf. {ref}" for ref in bases.cross_references)
        return f"{bases.main}{refs}"


class BoardVerdict(models.TextChoices):
    NONE = "", _("not yet decided")
    APPROVED = "approved", _("approved by the county board")
    NOT_APPROVED = "not_approved", _("not approved by the county board")


class Decision(LegalBasisFields):
    """A decision in a child's case (Vedtak). Never deleted; its status history tells what became of it."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="decisions")
    # The investigation it concludes, if any (register Relasjon Undersokelse -> Vedtak).
    investigation = models.ForeignKey(
        Investigation, on_delete=models.PROTECT, null=True, blank=True, related_name="decisions"
    )
    decided_on = models.DateField(_("decided"))
    made_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    summary = models.TextField(_("what is decided"))
    # The child's voice: what the child said and how it was weighed (BVL2021 § 1-4).
    child_views = models.TextField(_("the child's views"), blank=True)
    # Fixed when the decision is made, from the unit's delegation rules then in force.
    needs_approval = models.BooleanField(_("needs a leader's approval"), default=False)
    ended_on = models.DateField(_("ended"), null=True, blank=True)
    # Emergency decisions (BVL2021 chapter 4): sent to the county board at once, which approves them.
    sent_to_board_at = models.DateTimeField(_("sent to the county board"), null=True, blank=True)
    board_verdict = models.CharField(
        _("county board's verdict"), max_length=20, choices=BoardVerdict.choices, blank=True
    )
    board_verdict_on = models.DateField(_("county board's verdict given"), null=True, blank=True)
    register_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    class Meta:
        verbose_name = _("decision")
        indexes: ClassVar = [
            # Worklists: a case's decisions that are still running (approvals, emergency clocks).
            models.Index(
                fields=["case", "decided_on"], name="decision_open", condition=Q(ended_on__isnull=True)
            ),
            # Worklists: running emergency decisions (worklists.selectors.emergency_q starts by chapter).
            models.Index(
                fields=["chapter", "case"],
                name="decision_running_chapter",
                condition=Q(ended_on__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{_('Decision')} {self.decided_on:%d.%m.%Y} ({self.law} § {self.chapter}-{self.section})"

    @property
    def approval_pending(self) -> bool:
        return self.needs_approval and not hasattr(self, "approval")

    @property
    def in_force(self) -> bool:
        """Approved where the delegation rules require it, and not ended."""
        if self.ended_on is not None:
            return False
        return not self.needs_approval or (hasattr(self, "approval") and self.approval.approved)


class DecisionApproval(models.Model):
    """A leader's approval or rejection of a decision: who, when and why."""

    decision = models.OneToOneField(Decision, on_delete=models.PROTECT, related_name="approval")
    approved = models.BooleanField(_("approved"))
    by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("at"), auto_now_add=True)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        verbose_name = _("approval")

    def __str__(self) -> str:
        return f"{self.decision_id}: {'approved' if self.approved else 'rejected'}"


class DecisionStatus(models.Model):
    """One entry of a decision's status history (Vedtak/Status, register code list)."""

    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="statuses")
    code = models.CharField(_("status"), max_length=2)
    changed_on = models.DateField(_("changed"))
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    register_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    class Meta:
        verbose_name = _("decision status")
        ordering: ClassVar = ["changed_on", "pk"]

    def __str__(self) -> str:
        return f"{self.decision_id}: {self.code} {self.changed_on}"


class PrivateClaim(models.Model):
    """A private party's claim to change a decision of the county board (Vedtak/Krav)."""

    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="claims")
    received_on = models.DateField(_("claim received"))
    concluded_on = models.DateField(_("claim concluded"), null=True, blank=True)
    conclusion = models.CharField(_("outcome"), max_length=2, blank=True)
    specification = models.CharField(_("specification"), max_length=SPECIFICATION_LENGTH, blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    register_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    class Meta:
        verbose_name = _("private claim")

    def __str__(self) -> str:
        return _("Claim received %(day)s") % {"day": f"{self.received_on:%d.%m.%Y}"}


class BoardReferral(LegalBasisFields):
    """A case sent to the county board (OversendelseFylkesnemnd), e.g. the application for a care order."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="board_referrals")
    sent_on = models.DateField(_("sent to the county board"))
    # The proposed decision the board is asked to make (its status becomes 2, register Vedtak kontroll 20).
    decision = models.ForeignKey(
        Decision, on_delete=models.PROTECT, null=True, blank=True, related_name="board_referrals"
    )
    # The emergency decision whose deadline for an application this referral meets.
    follows = models.ForeignKey(
        Decision, on_delete=models.PROTECT, null=True, blank=True, related_name="applications"
    )
    sent_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    register_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    class Meta:
        verbose_name = _("referral to the county board")

    def __str__(self) -> str:
        return f"{_('Referral to the county board')} {self.sent_on:%d.%m.%Y}"


class ApprovalRule(models.Model):
    """A line of a unit's delegation rules: decisions under this provision need a leader's approval.

    Blank section covers the chapter, blank chapter the whole law. Rules are ended, never deleted,
    so the rules in force when a decision was made can always be told.
    """

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="approval_rules")
    law = models.CharField(_("law"), max_length=10, choices=LawChoices.choices)
    chapter = models.CharField(_("chapter"), max_length=3, blank=True)
    section = models.CharField(_("section"), max_length=4, blank=True)
    added_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    added_on = models.DateField(_("in force from"))
    ended_on = models.DateField(_("ended"), null=True, blank=True)

    class Meta:
        verbose_name = _("delegation rule")

    def __str__(self) -> str:
        if self.chapter and self.section:
            return f"{self.law} § {self.chapter}-{self.section}"
        if self.chapter:
            return _("%(law)s chapter %(chapter)s") % {"law": self.law, "chapter": self.chapter}
        return _("%(law)s, every decision") % {"law": self.law}
