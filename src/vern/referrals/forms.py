"""Forms of the catalogue, the order and each step of a referral; services check the rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from vern.core.codelists import paths
from vern.core.forms import CodeChoiceField, DateInput, NotFutureDateField
from vern.core.models import Unit
from vern.referrals.models import (
    AgencyAnswer,
    AssignmentReport,
    CapacityUnit,
    CatalogueEntry,
    DeclineReason,
    EvidenceLevel,
    MeasureKind,
    Method,
    PriceUnit,
)
from vern.rules import ages


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Need or measure"), required=False, max_length=100)
    age = forms.IntegerField(
        label=_("The child's age"), required=False, min_value=0, max_value=ages.AFTERCARE_MAX_AGE
    )
    method = forms.ChoiceField(label=_("Method"), required=False, choices=[("", _("All")), *Method.choices])
    free = forms.BooleanField(label=_("Only with free capacity today"), required=False)


class OrderForm(forms.Form):
    need = forms.CharField(label=_("What the child and family need"), widget=forms.Textarea, max_length=5000)
    contact = forms.CharField(label=_("Contact in your service"), max_length=200)
    wanted_start_on = forms.DateField(label=_("Wanted start"), required=False, widget=DateInput())
    agency_asked_on = NotFutureDateField(
        label=_("Day the central agency was asked for an offer"), required=False
    )
    agency_answer = forms.ChoiceField(
        label=_("The agency's answer"), required=False, choices=[("", "—"), *AgencyAnswer.choices]
    )

    def __init__(self, *args: Any, ask_first: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not ask_first:
            del self.fields["agency_asked_on"]
            del self.fields["agency_answer"]


class AgencyAnswerForm(forms.Form):
    answer = forms.ChoiceField(
        label=_("The agency's answer"),
        choices=[c for c in AgencyAnswer.choices if c[0] != AgencyAnswer.PENDING],
    )


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )


class CallBackForm(NoteForm):
    called_on = NotFutureDateField(label=_("Called back on"))


class OfferForm(NoteForm):
    start_on = forms.DateField(label=_("Offered start"), widget=DateInput())


class DeclineForm(NoteForm):
    reason = forms.ChoiceField(label=_("Reason"), choices=DeclineReason.choices)


class WithdrawForm(forms.Form):
    note = forms.CharField(
        label=_("Why the referral is withdrawn"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )


class StartForm(forms.Form):
    start_meeting_on = NotFutureDateField(label=_("Start meeting held"))
    starts_on = forms.DateField(label=_("Assignment starts"), widget=DateInput())
    ends_on = forms.DateField(label=_("Agreed end"), widget=DateInput())
    evaluation_on = forms.DateField(label=_("Evaluation agreed for"), widget=DateInput())
    hours_per_month = forms.IntegerField(label=_("Hours a month"), required=False, min_value=1, max_value=744)


class ReportForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=AssignmentReport.Kind.choices)
    written_on = NotFutureDateField(label=_("Date"))
    text = forms.CharField(label=_("Report"), widget=forms.Textarea, max_length=20_000)


class EntryForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    method = forms.ChoiceField(label=_("Method"), choices=Method.choices)
    kind = forms.ChoiceField(label=_("Kind"), choices=MeasureKind.choices)
    target_group = forms.CharField(label=_("Target group"), max_length=300)
    age_from = forms.IntegerField(
        label=_("From age"), min_value=0, max_value=ages.AFTERCARE_MAX_AGE, initial=0
    )
    age_to = forms.IntegerField(
        label=_("To age"), min_value=0, max_value=ages.AFTERCARE_MAX_AGE, initial=ages.ADULT_AGE - 1
    )
    category = CodeChoiceField(paths.MEASURE_CATEGORY, label=_("Register category"))
    capacity = forms.IntegerField(label=_("Capacity"), min_value=1)
    capacity_unit = forms.ChoiceField(label=_("Capacity in"), choices=CapacityUnit.choices)
    price = forms.DecimalField(label=_("Price (NOK)"), min_value=0, max_digits=10, decimal_places=2)
    price_unit = forms.ChoiceField(label=_("Price per"), choices=PriceUnit.choices)
    evidence_level = forms.ChoiceField(label=_("Evidence"), choices=EvidenceLevel.choices)
    ask_first = forms.ModelChoiceField(
        label=_("Services must first ask this central agency for an offer"),
        required=False,
        queryset=Unit.objects.filter(kind=Unit.Kind.PROVIDER).order_by("name"),
    )


class EntryChangeForm(forms.Form):
    entry = forms.ModelChoiceField(label=_("Measure"), queryset=CatalogueEntry.objects.none())
    capacity = forms.IntegerField(label=_("Capacity"), min_value=1)
    price = forms.DecimalField(label=_("Price (NOK)"), min_value=0, max_digits=10, decimal_places=2)
    active = forms.BooleanField(label=_("Offered"), required=False)

    def __init__(self, *args: Any, entries: QuerySet[CatalogueEntry], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["entry"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = entries


class HoursForm(forms.Form):
    month = forms.DateField(
        label=_("Month"),
        input_formats=["%Y-%m"],
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
    )
    hours = forms.DecimalField(label=_("Hours delivered"), min_value=0, max_value=744, decimal_places=1)


class BudgetForm(forms.Form):
    amount = forms.DecimalField(
        label=_("Budget for measures (NOK)"), min_value=0, max_digits=14, decimal_places=2
    )
