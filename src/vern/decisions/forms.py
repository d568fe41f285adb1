"""Forms for decisions, their approval and status, the county board, claims and delegation rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from vern.core.codelists import paths
from vern.core.forms import BreachFieldsMixin, CodeChoiceField, NotFutureDateField
from vern.decisions.models import ApprovalRule, LawChoices, PrivateClaim
from vern.investigations.models import Investigation
from vern.rules import RuleViolation
from vern.rules.decisions import STATUS_SENT_TO_BOARD
from vern.rules.legal_basis import Law, LegalBases, LegalBasis, parse_citation, parse_numbers, validate


class LegalBasisForm(forms.Form):
    """The main legal basis as fields, and up to three cross-references as citations, one per line."""

    law = forms.ChoiceField(label=_("Law"), choices=LawChoices.choices, initial=Law.BVL2021.value)
    chapter = forms.CharField(label=_("Chapter"), max_length=3)
    section = forms.CharField(label=_("Section"), max_length=4)
    paragraphs = forms.CharField(label=_("Paragraphs (ledd)"), required=False, max_length=40)
    letters = forms.CharField(label=_("Letters (bokstav)"), required=False, max_length=40)
    sentences = forms.CharField(label=_("Sentences (punktum)"), required=False, max_length=40)
    cross_references = forms.CharField(
        label=_("Cross-references (jf.)"),
        help_text=_("At most three, one per line, e.g. BVL2021 § 1-3."),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        try:
            main = validate(
                LegalBasis(
                    Law(data["law"]),
                    data["chapter"].strip().lower(),
                    data["section"].strip().lower(),
                    parse_numbers(data.get("paragraphs", "")),
                    parse_numbers(data.get("letters", "").lower()),
                    parse_numbers(data.get("sentences", "")),
                )
            )
            lines = [line for line in data.get("cross_references", "").splitlines() if line.strip()]
            refs = tuple(parse_citation(line) for line in lines)
        except RuleViolation as exc:
            raise forms.ValidationError(str(exc)) from exc
        data["bases"] = LegalBases(main, refs)
        return data

    def bases(self) -> LegalBases:
        bases: LegalBases = self.cleaned_data["bases"]
        return bases


class DecisionForm(LegalBasisForm):
    decided_on = NotFutureDateField(label=_("Decision date"))
    summary = forms.CharField(label=_("What is decided"), widget=forms.Textarea(attrs={"rows": 4}))
    child_views = forms.CharField(
        label=_("The child's views and how they were weighed"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    investigation = forms.ModelChoiceField(
        label=_("Investigation it concludes"), queryset=Investigation.objects.none(), required=False
    )
    field_order = ("decided_on", "law", "chapter", "section")

    def __init__(self, *args: Any, investigations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["investigation"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = investigations


class ApproveForm(forms.Form):
    reason = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class RejectForm(forms.Form):
    # The service gives the Norwegian error for a blank reason.
    reason = forms.CharField(
        label=_("Why the decision is rejected"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class StatusForm(forms.Form):
    # Status 2 is set by a referral to the county board (register Vedtak kontroll 20), not by hand.
    code = CodeChoiceField(paths.DECISION_STATUS, label=_("Status"), exclude=[STATUS_SENT_TO_BOARD])
    changed_on = NotFutureDateField(label=_("Date"))


class SendToBoardForm(BreachFieldsMixin):
    sent_at = forms.DateTimeField(
        label=_("Sent to the county board (date and time)"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )


class VerdictForm(BreachFieldsMixin):
    approved = forms.TypedChoiceField(
        label=_("The county board's verdict"),
        choices=[("1", _("Approved")), ("0", _("Not approved"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )
    given_on = NotFutureDateField(label=_("Date"))


class ReferralForm(LegalBasisForm):
    sent_on = NotFutureDateField(label=_("Sent to the county board"))
    field_order = ("sent_on", "law", "chapter", "section")


class ApplicationForm(BreachFieldsMixin, ReferralForm):
    """The application that follows an emergency decision: late, it needs the reason."""


class ClaimForm(forms.Form):
    received_on = NotFutureDateField(label=_("Claim received"))


class ClaimConclusionForm(forms.Form):
    claim = forms.ModelChoiceField(label=_("Claim"), queryset=PrivateClaim.objects.none())
    concluded_on = NotFutureDateField(label=_("Date"))
    conclusion = CodeChoiceField(paths.CLAIM_CONCLUSION, label=_("Outcome"))
    specification = forms.CharField(label=_("Specification"), required=False, max_length=300)

    def __init__(self, *args: Any, claims: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["claim"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = claims


class ApprovalRuleForm(forms.Form):
    law = forms.ChoiceField(label=_("Law"), choices=LawChoices.choices, initial=Law.BVL2021.value)
    chapter = forms.CharField(label=_("Chapter (blank: the whole law)"), required=False, max_length=3)
    section = forms.CharField(label=_("Section (blank: the whole chapter)"), required=False, max_length=4)
    added_on = forms.DateField(label=_("In force from"), widget=forms.DateInput(attrs={"type": "date"}))


class EndRuleForm(forms.Form):
    rule = forms.ModelChoiceField(label=_("Rule"), queryset=ApprovalRule.objects.none())
    ended_on = forms.DateField(label=_("Ends"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, rules: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["rule"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = rules
