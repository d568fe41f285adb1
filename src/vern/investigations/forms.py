from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from vern.core.codelists import paths
from vern.core.codes import CodedEntry
from vern.core.dates import today
from vern.core.forms import BreachFieldsMixin, CodeChoiceField, CodeMultipleChoiceField, NotFutureDateField


class _DatedForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, NotFutureDateField):
                field.initial = today()


class PlanForm(_DatedForm):
    made_on = NotFutureDateField(label=_("Plan made"))
    text = forms.CharField(label=_("Investigation plan"), widget=forms.Textarea(attrs={"rows": 4}))


class ExtensionForm(_DatedForm):
    decided_on = NotFutureDateField(label=_("Extension decided"))
    reason = forms.CharField(
        label=_("Why the investigation needs six months"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,  # the rule gives the Norwegian error; a blank reason must reach it
    )


class ParticipationForm(_DatedForm):
    code = CodeChoiceField(paths.CHILD_PARTICIPATION, label=_("How the child took part"))
    recorded_on = NotFutureDateField(label=_("Date"))
    note = forms.CharField(
        label=_("The child's views"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class ConclusionForm(BreachFieldsMixin, _DatedForm):
    concluded_on = NotFutureDateField(label=_("Investigation concluded"))
    conclusion = CodeChoiceField(paths.INVESTIGATION_CONCLUSION, label=_("Conclusion"))
    basis = CodeMultipleChoiceField(paths.INVESTIGATION_BASIS, label=_("Decision basis"), required=False)
    basis_specification = forms.CharField(label=_("Specification"), required=False, max_length=300)

    def basis_entries(self) -> list[CodedEntry]:
        spec = self.cleaned_data.get("basis_specification", "")
        return [CodedEntry(code, spec) for code in self.cleaned_data.get("basis", [])]
