from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from vern.cases.models import AddressProtection, Party
from vern.cases.selectors import CLOSED, OPEN, UNASSIGNED, CaseFilters
from vern.core.dates import today
from vern.core.forms import NotFutureDateField
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


class CaseFilterForm(forms.Form):
    """The case list's search and filters, sent by GET (the parameters are Norwegian, as the site's
    other addresses). The caseworker filter is offered to those who read a whole unit's cases."""

    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("Open and closed cases")), (OPEN, _("Open cases")), (CLOSED, _("Closed cases"))],
        required=False,
    )
    saksbehandler = forms.ChoiceField(label=_("Caseworker"), choices=[], required=False)
    forfalt = forms.BooleanField(label=_("Only cases with overdue deadlines"), required=False)

    def __init__(self, *args: Any, caseworkers: Iterable[User] | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["q"].help_text = _(
            "Journal number, the child's name, or fødselsnummer or D-nummer (11 digits)."
        )
        field = self.fields["saksbehandler"]
        assert isinstance(field, forms.ChoiceField)
        if caseworkers is None:
            del self.fields["saksbehandler"]
        else:
            field.choices = [
                ("", _("Anyone")),
                (UNASSIGNED, _("Not assigned")),
                *((str(u.pk), u.get_full_name() or u.username) for u in caseworkers),
            ]

    def filters(self) -> CaseFilters:
        """The valid fields' values; a field with a bad value narrows nothing (its error is shown)."""
        if not self.is_bound:
            return CaseFilters()
        self.is_valid()
        data = self.cleaned_data
        return CaseFilters(
            query=(data.get("q") or "").strip(),
            status=data.get("status") or "",
            caseworker=data.get("saksbehandler") or "",
            overdue=bool(data.get("forfalt")),
        )


class CloseForm(forms.Form):
    closed_on = NotFutureDateField(
        label=_("Closed on"),
        initial=today,
        help_text=_(
            "By this date every report must be reviewed and its reporter given any feedback owed, and "
            "every investigation, measure, plan and aftercare offer ended."
        ),
    )
    # The service gives the Norwegian error for a blank reason.
    reason = forms.CharField(
        label=_("Why the case is closed"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("Why the case is reopened"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
