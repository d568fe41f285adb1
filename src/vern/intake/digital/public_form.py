"""The public report-of-concern form: for private persons and for professionals with a duty to report.

It produces the same message as the national form (KS Fiks ``privat.v2`` / ``offentlig.v2``), which
then goes through the same ingest as any other digital report. What the national format has no field
for (a child's birth date or age in a professional's report, the service a professional works in)
travels as extra fields the schemas allow, so everything the reporter typed reaches the case. Children
and guardians are fixed numbers of blocks (formsets), so the form works without JavaScript.
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
from vern.core.identity import IdentityNumber, IdentityNumberKind, InvalidIdentityNumber, classify
from vern.core.models import Unit
from vern.intake.digital import messages, reporters
from vern.rules import ages

PRIVATE, PROFESSIONAL = "private", "professional"
CHILD_BLOCKS = 3
GUARDIAN_BLOCKS = 2
YES_NO = [("", "—"), ("yes", _("Yes")), ("no", _("No"))]
# Only a private person may be anonymous; only a professional gives a workplace.
PRIVATE_ONLY = ("anonymous", "relation", "address")
PROFESSIONAL_ONLY = ("service", "email", "role", "workplace", "workplace_address")


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


def _choices(choices: tuple[reporters.Choice, ...]) -> list[tuple[str, str]]:
    return [("", "—"), *((c.key, c.words) for c in choices)]


class ReporterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("I report"),
        choices=[(PRIVATE, _("as a private person")), (PROFESSIONAL, _("in my work (a duty to report)"))],
        widget=forms.RadioSelect,
    )
    place = forms.ChoiceField(label=_("Municipality where the child lives"))
    name = forms.CharField(label=_("Your name"), max_length=200, required=False)
    phone = forms.RegexField(
        label=_("Your phone number"), regex=r"^[+]?[0-9]+([- ][0-9]+)*$", max_length=30, required=False,
        error_messages={"invalid": _("Write the phone number with digits only.")},
    )  # fmt: skip
    anonymous = forms.BooleanField(
        label=_("I want to be anonymous"),
        help_text=_(
            "Then you give neither your name nor any way to reach you, and the child welfare service "
            "cannot contact you or tell you anything about the report. Only private persons may be "
            "anonymous."
        ),
        required=False,
    )
    relation = forms.ChoiceField(
        label=_("Who are you to the child?"),
        help_text=_("A neighbour or a friend of the family, for example, is «Annen privatperson»."),
        choices=_choices(reporters.RELATIONS),
        required=False,
    )
    address = forms.CharField(label=_("Your address"), max_length=300, required=False)
    service = forms.ChoiceField(
        label=_("The service you work in"), choices=_choices(reporters.SERVICES), required=False
    )
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

    def _require(self, data: dict[str, Any], required: dict[str, Any]) -> None:
        for name, message in required.items():
            if not data.get(name) and name not in self.errors:
                self.add_error(name, message)

    def _refuse(self, data: dict[str, Any], names: tuple[str, ...], message: Any) -> None:
        """Answers given in the other kind's part of the form would be lost: the reporter chooses."""
        for name in names:
            if data.get(name) and name not in self.errors:
                self.add_error(name, message)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("kind")
        if kind == PROFESSIONAL:
            if data.get("anonymous"):
                self.add_error(
                    "anonymous",
                    _("A report made in your work cannot be anonymous: give your name and your workplace."),
                )
            self._refuse(
                data,
                ("relation", "address"),
                _("Only for private persons: choose «as a private person», or leave this empty."),
            )
            self._require(
                data,
                {
                    "name": _("Give your name."),
                    "phone": _("Give your phone number."),
                    "service": _("Choose the service you work in."),
                    "email": _("Give your work e-mail."),
                    "role": _("Give your role."),
                    "workplace": _("Give your workplace."),
                    "workplace_address": _("Give the workplace's address."),
                    "history": _("Describe what has happened."),
                },
            )
        elif kind == PRIVATE:
            self._refuse(
                data,
                PROFESSIONAL_ONLY,
                _("Only for reports made in your work: choose «in my work», or leave this empty."),
            )
            if data.get("anonymous"):
                self._refuse(
                    data,
                    ("name", "phone", "address"),
                    _("You chose to be anonymous: leave this empty, or untick «I want to be anonymous»."),
                )
            else:
                self._require(
                    data,
                    {
                        "name": _("Give your name, or choose to be anonymous."),
                        "relation": _("Choose who you are to the child."),
                    },
                )
        return data


class ChildForm(forms.Form):
    name = forms.CharField(label=_("The child's name"), max_length=200, required=False)
    identity_number = forms.CharField(
        label=_("National identity number (if you know it)"), max_length=20, required=False
    )
    birth_date = forms.DateField(
        label=_("Birth date (if you know it)"),
        help_text=_("For a child not yet born: the term date."),
        widget=DateInput(),
        required=False,
    )
    age = forms.IntegerField(
        label=_("Approximate age, if you do not know the birth date"),
        min_value=0,
        max_value=ages.ADULT_AGE - 1,
        required=False,
        error_messages={
            "min_value": _("A report of concern is about a child under 18: give an age from 0 to 17."),
            "max_value": _("A report of concern is about a child under 18: give an age from 0 to 17."),
            "invalid": _("Write the age as a whole number of years."),
        },
    )
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
        typed = any(v not in (None, "", False) for k, v in data.items() if k != "name")
        if typed and not data.get("name"):
            self.add_error("name", _("Give the child's name, or write «unknown»."))
        if data.get("name") and not data.get("address"):
            self.add_error("address", _("Give the child's address, or write «unknown»."))
        number = data.get("identity_number")
        identity = classify(number, today=today()) if number else None
        if data.get("unborn"):
            self._check_unborn(data, identity)
        else:
            self._check_born(data, identity)
        return data

    def _check_unborn(self, data: dict[str, Any], identity: IdentityNumber | None) -> None:
        if identity is not None and identity.kind != IdentityNumberKind.UNBORN_PLACEHOLDER:
            self.add_error("identity_number", _("A child not yet born has no national identity number."))
        if data.get("age") is not None:
            self.add_error("age", _("A child not yet born has no age: leave it empty."))
        term = data.get("birth_date")
        problem = messages.birth_problem(term, unborn=True, today=today()) if term else None
        if problem:
            self.add_error("birth_date", problem[0].upper() + problem[1:] + ".")

    def _check_born(self, data: dict[str, Any], identity: IdentityNumber | None) -> None:
        """The birth date, the age and the number must be possible, agree, and be a child's."""
        if identity is not None and identity.kind == IdentityNumberKind.UNBORN_PLACEHOLDER:
            self.add_error("unborn", _("This number is for a child not yet born: tick the box."))
            return
        born: date | None = identity.birth_date if identity is not None else None
        typed: date | None = data.get("birth_date")
        if typed is not None:
            problem = messages.birth_problem(typed, unborn=False, today=today())
            if problem:
                self.add_error("birth_date", problem[0].upper() + problem[1:] + ".")
                return
            if born is not None and typed != born:
                self.add_error("birth_date", _("The birth date does not match the national identity number."))
                return
            born = typed
        if born is None:
            return
        age = ages.age_on(born, today())
        if age >= ages.ADULT_AGE:
            field = "birth_date" if typed is not None else "identity_number"
            self.add_error(
                field,
                _(
                    "By this birth date the child is 18 or older; "
                    "a report of concern is about a child under 18."
                ),
            )
        elif data.get("age") is not None and data["age"] != age:
            self.add_error("age", _("The age does not match the birth date: leave the age empty."))


class GuardianForm(forms.Form):
    name = forms.CharField(label=_("Parent's or guardian's name"), max_length=200, required=False)
    relation = forms.ChoiceField(
        label=_("Relation to the child"), choices=_choices(reporters.GUARDIANS), required=False
    )
    phone = forms.CharField(label=_("Phone number"), max_length=30, required=False)
    informed = forms.ChoiceField(
        label=_("Does the parent know that you report?"), choices=YES_NO, required=False
    )
    not_informed_because = forms.CharField(label=_("If not: why not"), max_length=1000, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("name") and any(v for k, v in data.items() if k != "name"):
            self.add_error("name", _("Give the name of the parent or guardian."))
        return data


ChildFormSet = forms.formset_factory(ChildForm, extra=CHILD_BLOCKS, max_num=CHILD_BLOCKS)
GuardianFormSet = forms.formset_factory(GuardianForm, extra=GUARDIAN_BLOCKS, max_num=GUARDIAN_BLOCKS)


class PublicReport:
    """The three parts of the form, checked together: a report names a child, a professional's report
    a parent too and says whether each of them knows (the national format requires it)."""

    def __init__(self, data: Any = None) -> None:
        self.reporter = ReporterForm(data, prefix="melder")
        self.children = ChildFormSet(data, prefix="barn")
        self.guardians = GuardianFormSet(data, prefix="foresatt")
        self.missing_child = self.missing_guardian = False

    def context(self) -> dict[str, Any]:
        return {
            "reporter": self.reporter,
            "children": self.children,
            "guardians": self.guardians,
            "missing_child": self.missing_child,
            "missing_guardian": self.missing_guardian,
        }

    @property
    def professional(self) -> bool:
        return self.reporter.cleaned_data.get("kind") == PROFESSIONAL

    def _named(self, formset: forms.BaseFormSet[Any]) -> list[forms.Form]:
        return [f for f in formset.forms if f.cleaned_data.get("name")]

    def is_valid(self) -> bool:
        if not (self.reporter.is_valid() & self.children.is_valid() & self.guardians.is_valid()):
            return False
        children, guardians = self._named(self.children), self._named(self.guardians)
        self.missing_child = not children
        self.missing_guardian = self.professional and not guardians
        if self.professional:
            for form in children:
                if not form.cleaned_data.get("informed"):
                    form.add_error("informed", _("Answer whether the child knows that you report."))
            for form in guardians:
                if not form.cleaned_data.get("informed"):
                    form.add_error("informed", _("Answer whether the parent knows that you report."))
        errors = any(f.errors for f in [*self.children.forms, *self.guardians.forms])
        return not (self.missing_child or self.missing_guardian or errors)

    def message(self) -> tuple[str, bytes]:
        """The message (type, JSON bytes) for a valid form."""
        return build_message(
            self.reporter.cleaned_data,
            [f.cleaned_data for f in self._named(self.children)],
            [f.cleaned_data for f in self._named(self.guardians)],
        )


def _address(line: str) -> dict[str, str]:
    return {"adresselinje1": line or "ukjent"}


def _informed(value: str) -> bool:
    return value == "yes"


def _child(c: dict[str, Any], *, public: bool, relation: reporters.Choice | None) -> dict[str, Any]:
    """One child as the message carries it: the national fields of its kind, and what else was typed."""
    entry: dict[str, Any] = {"personnavn": c["name"], "adresse": _address(c.get("address", ""))}
    detail = c.get("relation", "")
    if public:
        entry |= {"fnr": c.get("identity_number", ""), "ufoedt": bool(c.get("unborn"))}
        entry |= {
            "orientert": _informed(c.get("informed", "")),
            "orientertGrunn": c.get("not_informed_because", ""),
        }
    else:
        entry |= {"fnr": c["identity_number"]} if c.get("identity_number") else {}
        entry |= {"ufoedt": True} if c.get("unborn") else {}
        if c.get("informed"):
            entry |= {
                "orientert": _informed(c["informed"]),
                "orientertGrunn": c.get("not_informed_because", ""),
            }
        detail = reporters.words_with_detail(relation, detail) if relation else detail
    if detail:
        entry["relasjon"] = detail
    if c.get("birth_date"):
        entry["foedselsdato"] = c["birth_date"].isoformat()
    if c.get("age") is not None:
        entry["antattAlder"] = str(c["age"])
    return entry


def _guardian(g: dict[str, Any], *, public: bool) -> dict[str, Any]:
    entry: dict[str, Any] = {"personnavn": g["name"], "telefonnummer": g.get("phone", "")}
    if public or g.get("informed"):
        entry |= {
            "orientert": _informed(g.get("informed", "")),
            "orientertGrunn": g.get("not_informed_because", ""),
        }
    if g.get("relation"):
        entry["relasjon"] = reporters.by_key(reporters.GUARDIANS, g["relation"]).words
    return entry


def build_message(
    reporter: dict[str, Any], children: list[dict[str, Any]], guardians: list[dict[str, Any]]
) -> tuple[str, bytes]:
    """The message (type, JSON bytes) the national form would send for these answers, and the rest."""
    municipality, district = reporter["place"].split("-")
    names = dict(served_places())
    place = names.get(reporter["place"], "")
    municipality_name, _sep, district_name = place.partition(", bydel ")
    public = reporter["kind"] == PROFESSIONAL
    body: dict[str, Any] = {
        "kommunenummer": municipality,
        "kommunenavn": municipality_name,
        "bydelsnummer": district,
        "bydelsnavn": district_name,
        "sendingstidspunkt": timezone.localtime().replace(microsecond=0).isoformat(),
        "leveringskanal": "Vern-skjema",
        "behovForTolk": reporter.get("interpreter", ""),
        "andreHjelpeinstanser": reporter.get("other_services", ""),
        "foresatte": [_guardian(g, public=public) for g in guardians],
    }
    if public:
        service = reporters.by_key(reporters.SERVICES, reporter["service"])
        body["offentligMelder"] = {
            "personnavn": reporter["name"],
            "rolle": reporter["role"],
            "tjeneste": service.words,
            "telefonnummer": reporter["phone"],
            "epost": reporter["email"],
            "virksomhet": {"navn": reporter["workplace"], "adresse": _address(reporter["workplace_address"])},
        }
        body["offentligBarn"] = [_child(c, public=True, relation=None) for c in children]
        body["melding"] = {
            "melding": reporter["concern"],
            "historie": reporter.get("history", ""),
            "andreSynspunkter": reporter.get("other_views", ""),
        }
        return messages.PUBLIC_V2, json.dumps(body, ensure_ascii=False).encode("utf-8")
    # An anonymous reporter is a "privatMelder" with an empty name and nothing else: the schema
    # requires the name field, not a name.
    melder: dict[str, Any] = {"personnavn": reporter.get("name", "")}
    if reporter.get("phone"):
        melder["telefonnummer"] = reporter["phone"]
    if reporter.get("address"):
        melder["adresse"] = _address(reporter["address"])
    relation = (
        reporters.by_key(reporters.RELATIONS, reporter["relation"]) if reporter.get("relation") else None
    )
    body["privatMelder"] = melder
    body["privatBarn"] = [_child(c, public=False, relation=relation) for c in children]
    # The private format has one text: the form's three parts go in it under the same headings.
    body["melding"] = messages.compose_text(
        reporter["concern"], reporter.get("history", ""), reporter.get("other_views", "")
    )
    return messages.PRIVATE_V2, json.dumps(body, ensure_ascii=False).encode("utf-8")
