"""The public report-of-concern form: for private persons and for professionals with a duty to report.

It produces the same message as the national form (KS Fiks ``privat.v2`` / ``offentlig.v2``), which
then goes through the same ingest as any other digital report. Children and guardians are fixed
numbers of blocks (formsets), so the form works without JavaScript.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vern.core.dates import today
from vern.core.forms import DateInput
from vern.core.identity import InvalidIdentityNumber, classify
from vern.core.models import Unit
from vern.intake.digital import messages

PRIVATE, PROFESSIONAL = "private", "professional"
CHILD_BLOCKS = 3
GUARDIAN_BLOCKS = 2
YES_NO = [("", "—"), ("yes", _("Yes")), ("no", _("No"))]


def served_places() -> list[tuple[str, str]]:
    """The municipalities (and districts) whose services receive reports here, as form choices."""
    places: dict[str, str] = {}
    for unit in Unit.objects.filter(kind=Unit.Kind.SERVICE).select_related(
        "district__municipality", "host_municipality"
    ):
        if unit.district is not None:
            m = unit.district.municipality
            places[f"{m.number}-{unit.district.number}"] = f"{m.name}, bydel {unit.district.name}"
            continue
        for m in [unit.host_municipality, *unit.municipalities.all()]:
            places.setdefault(f"{m.number}-00", m.name)
    return [("", "—"), *sorted(places.items(), key=lambda item: item[1])]


class ReporterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("I report"),
        choices=[(PRIVATE, _("as a private person")), (PROFESSIONAL, _("in my work (a duty to report)"))],
        widget=forms.RadioSelect,
    )
    place = forms.ChoiceField(label=_("Municipality where the child lives"))
    name = forms.CharField(label=_("Your name"), max_length=200)
    phone = forms.RegexField(
        label=_("Your phone number"), regex=r"^[+]?[0-9]+([- ][0-9]+)*$", max_length=30, required=False,
        error_messages={"invalid": _("Write the phone number with digits only.")},
    )  # fmt: skip
    address = forms.CharField(label=_("Your address"), max_length=300, required=False)
    email = forms.EmailField(label=_("Your e-mail (work)"), required=False)
    role = forms.CharField(label=_("Your role (e.g. teacher, nurse)"), max_length=200, required=False)
    workplace = forms.CharField(label=_("Workplace"), max_length=200, required=False)
    workplace_address = forms.CharField(label=_("The workplace's address"), max_length=300, required=False)
    interpreter = forms.CharField(
        label=_("Is an interpreter needed? For which language?"), max_length=500, required=False
    )
    other_services = forms.CharField(
        label=_("Other services involved with the child or the family"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=5000,
        required=False,
    )
    concern = forms.CharField(
        label=_("What worries you?"), widget=forms.Textarea(attrs={"rows": 6}), max_length=messages.MAX_TEXT
    )
    history = forms.CharField(
        label=_("What has happened, and since when?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=messages.MAX_TEXT,
        required=False,
    )
    other_views = forms.CharField(
        label=_("Anything else the service should know"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=messages.MAX_TEXT,
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        place = self.fields["place"]
        assert isinstance(place, forms.ChoiceField)
        place.choices = served_places()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind") == PROFESSIONAL:
            required = {
                "phone": _("Give your phone number."),
                "email": _("Give your work e-mail."),
                "role": _("Give your role."),
                "workplace": _("Give your workplace."),
                "workplace_address": _("Give the workplace's address."),
                "history": _("Describe what has happened."),
            }
            for name, message in required.items():
                if not data.get(name) and name not in self.errors:
                    self.add_error(name, message)
        return data


class ChildForm(forms.Form):
    name = forms.CharField(label=_("The child's name"), max_length=200, required=False)
    identity_number = forms.CharField(
        label=_("National identity number (if you know it)"), max_length=20, required=False
    )
    birth_date = forms.DateField(label=_("Birth date (if you know it)"), widget=DateInput(), required=False)
    age = forms.IntegerField(label=_("Approximate age"), min_value=0, max_value=25, required=False)
    unborn = forms.BooleanField(label=_("The child is not born yet"), required=False)
    address = forms.CharField(
        label=_("The child's address"), help_text=_("Write «unknown» if you do not know it."), max_length=300,
        required=False,
    )  # fmt: skip
    relation = forms.CharField(label=_("How you know the child"), max_length=200, required=False)
    informed = forms.ChoiceField(
        label=_("Does the child know that you report?"), choices=YES_NO, required=False
    )
    not_informed_because = forms.CharField(label=_("If not: why not"), max_length=1000, required=False)

    def clean_identity_number(self) -> str:
        value = "".join((self.cleaned_data.get("identity_number") or "").split())
        if value:
            try:
                classify(value, today=today())
            except InvalidIdentityNumber as exc:
                raise forms.ValidationError(str(exc)) from exc
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("name") and not data.get("address"):
            self.add_error("address", _("Give the child's address, or write «unknown»."))
        return data


class GuardianForm(forms.Form):
    name = forms.CharField(label=_("Parent's or guardian's name"), max_length=200, required=False)
    phone = forms.CharField(label=_("Phone number"), max_length=30, required=False)
    informed = forms.ChoiceField(
        label=_("Does the parent know that you report?"), choices=YES_NO, required=False
    )
    not_informed_because = forms.CharField(label=_("If not: why not"), max_length=1000, required=False)


ChildFormSet = forms.formset_factory(ChildForm, extra=CHILD_BLOCKS, max_num=CHILD_BLOCKS)
GuardianFormSet = forms.formset_factory(GuardianForm, extra=GUARDIAN_BLOCKS, max_num=GUARDIAN_BLOCKS)


def _address(line: str) -> dict[str, str]:
    return {"adresselinje1": line or "ukjent"}


def _age(child: dict[str, Any], day: date) -> str:
    born: date | None = child.get("birth_date")
    if born is not None:
        return str(max(0, day.year - born.year - ((day.month, day.day) < (born.month, born.day))))
    return "" if child.get("age") is None else str(child["age"])


def _informed(value: str) -> bool:
    return value == "yes"


def build_message(
    reporter: dict[str, Any], children: list[dict[str, Any]], guardians: list[dict[str, Any]]
) -> tuple[str, bytes]:
    """The message (type, JSON bytes) the national form would send for these answers."""
    municipality, district = reporter["place"].split("-")
    names = dict(served_places())
    place = names.get(reporter["place"], "")
    municipality_name, _sep, district_name = place.partition(", bydel ")
    day = today()
    common: dict[str, Any] = {
        "kommunenummer": municipality,
        "kommunenavn": municipality_name,
        "bydelsnummer": district,
        "bydelsnavn": district_name,
        "sendingstidspunkt": timezone.localtime().replace(microsecond=0).isoformat(),
        "leveringskanal": "Vern-skjema",
        "behovForTolk": reporter.get("interpreter", ""),
        "andreHjelpeinstanser": reporter.get("other_services", ""),
    }
    if reporter["kind"] == PROFESSIONAL:
        message_type = messages.PUBLIC_V2
        body = common | {
            "offentligMelder": {
                "personnavn": reporter["name"],
                "rolle": reporter["role"],
                "telefonnummer": reporter["phone"],
                "epost": reporter["email"],
                "virksomhet": {
                    "navn": reporter["workplace"],
                    "adresse": _address(reporter["workplace_address"]),
                },
            },
            "offentligBarn": [
                {
                    "fnr": c.get("identity_number", ""),
                    "ufoedt": bool(c.get("unborn")),
                    "personnavn": c["name"],
                    "adresse": _address(c.get("address", "")),
                    "orientert": _informed(c.get("informed", "")),
                    "orientertGrunn": c.get("not_informed_because", ""),
                }
                for c in children
            ],
            "foresatte": [
                {
                    "personnavn": g["name"],
                    "telefonnummer": g.get("phone", ""),
                    "orientert": _informed(g.get("informed", "")),
                    "orientertGrunn": g.get("not_informed_because", ""),
                }
                for g in guardians
            ],
            "melding": {
                "melding": reporter["concern"],
                "historie": reporter.get("history", ""),
                "andreSynspunkter": reporter.get("other_views", ""),
            },
        }
    else:
        message_type = messages.PRIVATE_V2
        text = "\n\n".join(
            part
            for part in (reporter["concern"], reporter.get("history"), reporter.get("other_views"))
            if part
        )
        melder: dict[str, Any] = {"personnavn": reporter["name"]}
        if reporter.get("phone"):
            melder["telefonnummer"] = reporter["phone"]
        if reporter.get("address"):
            melder["adresse"] = _address(reporter["address"])
        body = common | {
            "privatMelder": melder,
            # "fnr" and "foresatte" are not in the private schema, which allows more fields: the
            # national form has no place for them, but what a reporter knows is never thrown away.
            "privatBarn": [
                {
                    "personnavn": c["name"],
                    "antattAlder": _age(c, day),
                    "relasjon": c.get("relation", ""),
                    "adresse": _address(c.get("address", "")),
                    **({"fnr": c["identity_number"]} if c.get("identity_number") else {}),
                }
                for c in children
            ],
            "foresatte": [{"personnavn": g["name"], "telefonnummer": g.get("phone", "")} for g in guardians],
            "melding": text,
        }
    return message_type, json.dumps(body, ensure_ascii=False).encode("utf-8")
