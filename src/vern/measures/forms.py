"""Forms for measures, consents, visits and supervision, relocations, plans and aftercare."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from vern.cases.models import Party
from vern.core.codelists import paths
from vern.core.codes import CodedEntry
from vern.core.forms import BreachFieldsMixin, CodeChoiceField, CodeMultipleChoiceField, NotFutureDateField
from vern.measures.models import Consent, FrequencyCode, Supervisor, Visit, VisitKind

CHILD = "child"


def _set_queryset(form: forms.Form, name: str, queryset: Any) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField)
    field.queryset = queryset


class MeasureForm(forms.Form):
    category = CodeChoiceField(paths.MEASURE_CATEGORY, label=_("Category"))
    category_specification = forms.CharField(label=_("Specification"), required=False, max_length=300)
    start_on = NotFutureDateField(label=_("Start date"))
    reasons = CodeMultipleChoiceField(
        paths.MEASURE_BASIS, label=_("What the measure answers"), required=False
    )
    reason_specification = forms.CharField(
        label=_("Specification of the reasons"), required=False, max_length=300
    )
    young_persons_consent = forms.BooleanField(
        label=_("The young person (18 or older) consents"), required=False
    )

    def reason_entries(self) -> list[CodedEntry]:
        spec = self.cleaned_data.get("reason_specification", "")
        return [CodedEntry(code, spec) for code in self.cleaned_data.get("reasons", [])]


class MeasureEndForm(forms.Form):
    end_on = NotFutureDateField(label=_("End date"))
    revocation = CodeChoiceField(paths.MEASURE_REVOCATION, label=_("Why a care order ends"), required=False)
    revocation_specification = forms.CharField(label=_("Specification"), required=False, max_length=300)


class ConsentForm(forms.Form):
    person = forms.ChoiceField(label=_("Who consents"))
    given_on = NotFutureDateField(label=_("Date"))

    def __init__(self, *args: Any, parties: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        people = [(CHILD, str(_("The child / young person")))]
        people += [(str(p.pk), f"{p.name} ({p.get_relation_display()})") for p in parties]
        field = self.fields["person"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = people
        self._parties = {str(p.pk): p for p in parties}

    def party(self) -> Party | None:
        return self._parties.get(self.cleaned_data["person"])


class ConsentWithdrawForm(forms.Form):
    consent = forms.ModelChoiceField(label=_("Consent"), queryset=Consent.objects.none())
    withdrawn_on = NotFutureDateField(label=_("Date"))
    note = forms.CharField(
        label=_("About the withdrawal"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, consents: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_queryset(self, "consent", consents)


class FrequencyForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of visit"), choices=VisitKind.choices)
    code = forms.ChoiceField(label=_("Frequency"), choices=FrequencyCode.choices)
    start_on = forms.DateField(label=_("Applies from"), widget=forms.DateInput(attrs={"type": "date"}))


class SupervisionForm(forms.Form):
    municipality_number = forms.CharField(label=_("Responsible municipality (number)"), max_length=4)
    supervisor = forms.ModelChoiceField(
        label=_("Supervisor"), queryset=Supervisor.objects.none(), required=False
    )
    start_on = forms.DateField(label=_("Applies from"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, supervisors: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_queryset(self, "supervisor", supervisors)


class VisitForm(BreachFieldsMixin):
    kind = forms.ChoiceField(label=_("Kind of visit"), choices=VisitKind.choices)
    visited_on = NotFutureDateField(label=_("Visit date"))
    report_received_on = NotFutureDateField(label=_("Supervisor's report received"), required=False)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ReportReceivedForm(forms.Form):
    visit = forms.ModelChoiceField(label=_("Supervision visit"), queryset=Visit.objects.none())
    received_on = NotFutureDateField(label=_("Report received"))

    def __init__(self, *args: Any, visits: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_queryset(self, "visit", visits)


class RelocationForm(forms.Form):
    moved_on = NotFutureDateField(label=_("Moving date"))
    reason = CodeChoiceField(paths.RELOCATION_REASON, label=_("Reason for moving"))
    reason_specification = forms.CharField(label=_("Specification of reason"), required=False, max_length=300)
    destination = CodeChoiceField(paths.RELOCATION_DESTINATION, label=_("Moved to"))
    destination_specification = forms.CharField(
        label=_("Specification of destination"), required=False, max_length=300
    )


class PlanForm(BreachFieldsMixin):
    plan_type = CodeChoiceField(paths.PLAN_TYPE, label=_("Plan type"))
    start_on = NotFutureDateField(label=_("In force from"))
    summary = forms.CharField(label=_("The plan"), widget=forms.Textarea(attrs={"rows": 4}))
    child_views = forms.CharField(
        label=_("The child's views"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class EvaluationForm(BreachFieldsMixin):
    done_on = NotFutureDateField(label=_("Evaluation date"))
    note = forms.CharField(
        label=_("What the evaluation found"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class EndForm(forms.Form):
    end_on = NotFutureDateField(label=_("End date"))


class AftercareOfferForm(forms.Form):
    offered_on = NotFutureDateField(label=_("Offer sent"))


class AftercareConclusionForm(forms.Form):
    concluded_on = NotFutureDateField(label=_("Date"))
    conclusion = CodeChoiceField(paths.AFTERCARE_CONCLUSION, label=_("Outcome"))


class SupervisorForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    phone = forms.CharField(label=_("Phone"), required=False, max_length=30)
    email = forms.EmailField(label=_("E-mail"), required=False)


class SupervisorChoiceForm(forms.Form):
    supervisor = forms.ModelChoiceField(label=_("Supervisor"), queryset=Supervisor.objects.none())

    def __init__(self, *args: Any, supervisors: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_queryset(self, "supervisor", supervisors)


class EvaluationIntervalForm(forms.Form):
    months = forms.IntegerField(
        label=_("Months between evaluations of plans for help measures"), min_value=1, max_value=12
    )
