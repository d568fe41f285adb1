"""Forms for registering a report of concern and concluding its review."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vern.cases.models import AddressProtection, Gender
from vern.cases.services import ChildFacts
from vern.core.codelists import paths
from vern.core.codes import CodedEntry
from vern.core.dates import OSLO, today
from vern.core.forms import (
    BreachFieldsMixin,
    CodeChoiceField,
    CodeMultipleChoiceField,
    DateInput,
    NotFutureDateField,
)
from vern.core.identity import InvalidIdentityNumber, classify, validate_duf
from vern.core.models import Unit
from vern.intake.models import Channel


class _CodedEntriesForm(forms.Form):
    """Reporter and case-content codes, each group with one shared specification."""

    def reporter_entries(self) -> list[CodedEntry]:
        spec = self.cleaned_data.get("reporter_specification", "")
        return [CodedEntry(code, spec) for code in self.cleaned_data.get("reporters", [])]

    def content_entries(self) -> list[CodedEntry]:
        spec = self.cleaned_data.get("content_specification", "")
        return [CodedEntry(code, spec) for code in self.cleaned_data.get("contents", [])]


class ReportForm(_CodedEntriesForm):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none())
    identity_number = forms.CharField(
        label=_("National identity number or D number"),
        help_text=_("11 digits. Unknown number: birth date + 00100; unborn child: term date + 99999."),
        required=False,
        max_length=20,
    )
    duf_number = forms.CharField(label=_("DUF number"), required=False, max_length=20)
    birth_date = forms.DateField(label=_("Birth date"), required=False, widget=DateInput())
    gender = forms.ChoiceField(
        label=_("Gender"),
        choices=[("", "—"), (Gender.MALE, _("boy")), (Gender.FEMALE, _("girl"))],
        required=False,
    )
    first_name = forms.CharField(label=_("Child's first name"), max_length=100, required=False)
    last_name = forms.CharField(label=_("Child's last name"), max_length=100, required=False)
    address_protection = forms.ChoiceField(
        label=_("Address protection"), choices=AddressProtection.choices, required=False
    )
    received_date = NotFutureDateField(label=_("Received date"))
    received_time = forms.TimeField(label=_("Received time"), widget=forms.TimeInput(attrs={"type": "time"}))
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices)
    reporters = CodeMultipleChoiceField(paths.REPORTER, label=_("Reporter"), required=False)
    reporter_specification = forms.CharField(
        label=_("Reporter specification"), required=False, max_length=300
    )
    contents = CodeMultipleChoiceField(paths.CASE_CONTENT, label=_("Case content"), required=False)
    content_specification = forms.CharField(
        label=_("Case content specification"), required=False, max_length=300
    )
    text = forms.CharField(label=_("The concern"), widget=forms.Textarea(attrs={"rows": 6}))

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit_field = self.fields["unit"]
        assert isinstance(unit_field, forms.ModelChoiceField)
        unit_field.queryset = units
        if units.count() == 1:
            unit_field.initial = units.first()
        self.fields["received_date"].initial = today()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        number = (data.get("identity_number") or "").replace(" ", "")
        duf = (data.get("duf_number") or "").replace(" ", "")
        identity = None
        if number:
            try:
                identity = classify(number, today=today())
            except InvalidIdentityNumber as exc:
                self.add_error("identity_number", str(exc))
                return data
        elif duf:
            try:
                duf = validate_duf(duf)
            except InvalidIdentityNumber as exc:
                self.add_error("duf_number", str(exc))
                return data
        else:
            raise forms.ValidationError(_("Give the child's identity number or DUF number."))
        birth_date = identity.birth_date if identity is not None else data.get("birth_date")
        gender = (identity.gender if identity is not None else None) or data.get("gender") or ""
        if birth_date is None:
            self.add_error("birth_date", _("Give the birth date."))
            return data
        if identity is None and not gender:
            self.add_error("gender", _("Give the gender."))
            return data
        if identity is not None and identity.gender is None and not gender:
            gender = Gender.UNBORN if identity.kind.name == "UNBORN_PLACEHOLDER" else ""
            if not gender:
                self.add_error("gender", _("Give the gender."))
                return data
        data["child"] = ChildFacts(
            identity=identity,
            duf_number=duf if identity is None else "",
            birth_date=birth_date,
            gender=gender,
            first_name=data.get("first_name", ""),
            last_name=data.get("last_name", ""),
            address_protection=data.get("address_protection", ""),
        )
        if data.get("received_date") and data.get("received_time"):
            received = timezone.make_aware(
                datetime.combine(data["received_date"], data["received_time"]), OSLO
            )
            if received > timezone.now():
                self.add_error("received_time", _("The received time cannot be in the future."))
            data["received_at"] = received
        return data


class ReportCodesForm(_CodedEntriesForm):
    """Add who reported and what the concern is about, before the review is concluded."""

    reporters = CodeMultipleChoiceField(paths.REPORTER, label=_("Reporter"), required=False)
    reporter_specification = forms.CharField(
        label=_("Reporter specification"), required=False, max_length=300
    )
    contents = CodeMultipleChoiceField(paths.CASE_CONTENT, label=_("Case content"), required=False)
    content_specification = forms.CharField(
        label=_("Case content specification"), required=False, max_length=300
    )


class ReviewForm(BreachFieldsMixin):
    concluded_on = NotFutureDateField(label=_("Review concluded"))
    conclusion = CodeChoiceField(paths.REVIEW_CONCLUSION, label=_("Conclusion"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["concluded_on"].initial = today()


class FeedbackForm(BreachFieldsMixin):
    sent_on = NotFutureDateField(label=_("Feedback sent"))
    text = forms.CharField(
        label=_("What the reporter was told"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
