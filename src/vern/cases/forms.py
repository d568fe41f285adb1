from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from vern.cases.models import AddressProtection, Party
from vern.core.dates import today
from vern.core.identity import InvalidIdentityNumber, classify
from vern.core.models import Membership, Role, User


class PartyForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    relation = forms.ChoiceField(label=_("Relation to the child"), choices=Party.Relation.choices)
    parental_responsibility = forms.BooleanField(label=_("Has parental responsibility"), required=False)
    identity_number = forms.CharField(label=_("National identity number"), required=False, max_length=20)
    phone = forms.CharField(label=_("Phone"), required=False, max_length=30)
    address = forms.CharField(label=_("Address"), required=False, max_length=300)
    address_protection = forms.ChoiceField(
        label=_("Address protection"), choices=AddressProtection.choices, required=False
    )

    def clean_identity_number(self) -> str:
        value = (self.cleaned_data.get("identity_number") or "").replace(" ", "")
        if value:
            try:
                return classify(value, today=today()).number
            except InvalidIdentityNumber as exc:
                raise forms.ValidationError(str(exc)) from exc
        return value


class AssignForm(forms.Form):
    caseworker = forms.ModelChoiceField(label=_("Caseworker"), queryset=User.objects.none(), required=False)

    def __init__(self, *args: Any, unit_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["caseworker"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = User.objects.filter(
            is_active=True,
            pk__in=Membership.objects.filter(unit_id=unit_id, role=Role.CASEWORKER).values("user_id"),
        ).order_by("last_name", "first_name")
