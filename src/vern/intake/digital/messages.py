"""Reading a digital report of concern: bytes in, a validated ``ConcernMessage`` or a Norwegian reason out.

The message types and JSON Schemas are KS Fiks' (``no.ks.fiks.bekymringsmelding``, versions 1 and 2,
for private and public reporters), bundled unchanged in ``schemas/``. Validation never raises for bad
input: every problem becomes ``Invalid(reason)`` with a reason in plain Norwegian, so a message is
either understood or quarantined with that reason. No Django import.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cache
from importlib import resources
from typing import Any

from jsonschema import Draft201909Validator
from jsonschema.exceptions import ValidationError
from referencing import Registry, Resource

from vern.core.identity import MAX_TERM_DAYS_AHEAD, IdentityNumber, InvalidIdentityNumber, classify

PRIVATE_V1 = "no.ks.fiks.bekymringsmelding.privat.v1"
PRIVATE_V2 = "no.ks.fiks.bekymringsmelding.privat.v2"
PUBLIC_V1 = "no.ks.fiks.bekymringsmelding.offentlig.v1"
PUBLIC_V2 = "no.ks.fiks.bekymringsmelding.offentlig.v2"
RECEIVED = "no.ks.fiks.bekymringsmelding.mottatt.v1"
FAILED = "no.ks.fiks.bekymringsmelding.feilet.v1"
_SCHEMA_FILES = {
    PRIVATE_V1: "privat.bekymringsmelding.v1.json",
    PRIVATE_V2: "v2/privat.bekymringsmelding.v2.json",
    PUBLIC_V1: "offentlig.bekymringsmelding.v1.json",
    PUBLIC_V2: "v2/offentlig.bekymringsmelding.v2.json",
}
TYPES = tuple(_SCHEMA_FILES)
# Larger than any real report (the national form's text fields are a few thousand characters),
# small enough that a hostile message cannot exhaust memory or the database.
MAX_BYTES = 1_000_000
MAX_TEXT = 100_000
MAX_CHILDREN = 20
# Where the schemas' "$ref": "../adresse.json" and "adresse.json" resolve to, from their $id.
_ADDRESS_URI = "https://fiks.ks.no/adresse.json"

_FIELD_NAMES = {
    "kommunenummer": "kommunenummer",
    "offentligMelder": "melder",
    "privatMelder": "melder",
    "offentligBarn": "barn",
    "privatBarn": "barn",
    "foresatte": "foresatte",
    "melding": "meldingen",
    "sendingstidspunkt": "sendingstidspunkt",
}


@dataclass(frozen=True)
class Invalid:
    """Why a message cannot be accepted, in plain Norwegian for intake and for the sender."""

    reason: str


@dataclass(frozen=True)
class Address:
    lines: tuple[str, ...]
    postcode: str
    place: str

    def __str__(self) -> str:
        return ", ".join(part for part in (*self.lines, f"{self.postcode} {self.place}".strip()) if part)


@dataclass(frozen=True)
class MessageChild:
    name: str
    address: str
    identity: IdentityNumber | None = None
    unborn: bool = False
    # Vern's own form adds the birth date (or the term date of a child not yet born) when the
    # reporter knows it: "foedselsdato", ISO 8601.
    birth_date: date | None = None
    estimated_age: int | None = None
    # The age exactly as the reporter wrote it ("antattAlder" is free text in the national form).
    age_text: str = ""
    relation: str = ""
    phone: str = ""
    informed: bool | None = None
    not_informed_because: str = ""


@dataclass(frozen=True)
class MessageGuardian:
    name: str
    phone: str = ""
    informed: bool | None = None
    not_informed_because: str = ""
    relation: str = ""


@dataclass(frozen=True)
class ConcernMessage:
    """A valid report of concern, for one or more children, in the KS Fiks format."""

    message_type: str
    municipality: str
    municipality_name: str
    district: str
    district_name: str
    sent_at: datetime | None
    reporter_name: str
    public: bool
    children: tuple[MessageChild, ...]
    text: str
    # A private reporter who gave neither name nor any way to be contacted (the private schema
    # requires only "personnavn", which may be empty).
    anonymous: bool = False
    # The service a public reporter works in ("offentligMelder.tjeneste", added by Vern's own form)
    # and the workplace's name: what the reporter code is derived from (intake.digital.reporters).
    service: str = ""
    workplace: str = ""
    reporter_details: tuple[tuple[str, str], ...] = ()
    guardians: tuple[MessageGuardian, ...] = ()
    interpreter: str = ""
    other_services: str = ""
    delivery_channel: str = ""
    extra: Mapping[str, str] = field(default_factory=dict)


@cache
def _validators() -> dict[str, Draft201909Validator]:
    folder = resources.files("vern.intake.digital").joinpath("schemas")
    address = json.loads(folder.joinpath("adresse.json").read_text(encoding="utf-8"))
    resource = Resource.from_contents(address)
    registry: Registry[Any] = Registry().with_resources(
        [(_ADDRESS_URI, resource), (address["$id"], resource)]
    )
    return {
        kind: Draft201909Validator(
            json.loads(folder.joinpath(path).read_text(encoding="utf-8")), registry=registry
        )
        for kind, path in _SCHEMA_FILES.items()
    }


def infer_type(data: Mapping[str, Any]) -> str | None:
    """The message type when the transport did not say: public or private by their own fields, v2."""
    if "offentligMelder" in data or "offentligBarn" in data:
        return PUBLIC_V2
    if "privatMelder" in data or "privatBarn" in data:
        return PRIVATE_V2
    return None


def _where(error: ValidationError) -> str:
    path = [str(p) for p in error.absolute_path]
    if not path:
        return "meldingen"
    first = _FIELD_NAMES.get(path[0], path[0])
    rest = [str(int(p) + 1) + "." if p.isdigit() else p for p in path[1:]]
    return " ".join([first, *rest])


def _reason(error: ValidationError) -> str:
    """One schema error in plain Norwegian."""
    where = _where(error)
    validator = error.validator
    if validator == "required":
        missing = str(error.message).split("'")[1] if "'" in error.message else ""
        return f"{where}: mangler feltet «{missing}»"
    if validator == "type":
        wanted = {"string": "tekst", "boolean": "ja/nei", "array": "en liste", "object": "et objekt"}
        expected = error.validator_value
        names = [wanted.get(str(t), str(t)) for t in (expected if isinstance(expected, list) else [expected])]
        return f"{where}: skal være {' eller '.join(names)}"
    if validator == "pattern":
        return f"{where}: har ugyldig format"
    if validator == "minItems":
        return f"{where}: må ha minst {error.validator_value}"
    if validator == "maxItems":
        return f"{where}: kan ha høyst {error.validator_value}"
    return f"{where}: er ugyldig"


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _address(value: Any) -> str:
    if not isinstance(value, Mapping):
        return ""
    lines = tuple(_text(value.get(f"adresselinje{n}")) for n in (1, 2, 3))
    return str(Address(lines, _text(value.get("postnummer")), _text(value.get("poststed"))))


def _sent_at(value: str) -> datetime | None:
    """The sender's clock: ISO 8601, with or without a time zone (the national examples have none)."""
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None


def _age(value: str) -> int | None:
    digits = value.strip()
    return int(digits) if digits.isdigit() and int(digits) < 30 else None


def _list(value: Any) -> list[Any]:
    """A list the schema does not check (the private form's "foresatte" is Vern's own)."""
    return value if isinstance(value, list) else []


def _informed(value: Any) -> bool | None:
    return value if isinstance(value, bool) else None


def _identity(child: Mapping[str, Any], index: int, today: date) -> IdentityNumber | Invalid | None:
    number = "".join(_text(child.get("fnr")).split())
    if not number:
        return None
    try:
        return classify(number, today=today)
    except InvalidIdentityNumber as exc:
        return Invalid(f"barn {index}: {exc}")


# A child not yet born is usually born within two weeks of its term date; a month of slack.
TERM_DAYS_PASSED = 31


def birth_problem(birth: date, *, unborn: bool, today: date) -> str | None:
    """Why a birth date (or, for a child not yet born, a term date) cannot be right, in Norwegian."""
    if unborn:
        if birth < today - timedelta(days=TERM_DAYS_PASSED):
            return "termindatoen er for lenge siden for et barn som ikke er født ennå"
        if birth > today + timedelta(days=MAX_TERM_DAYS_AHEAD):
            return "termindatoen er mer enn ti måneder fram i tid"
        return None
    if birth > today:
        return (
            "fødselsdatoen er fram i tid (er barnet ikke født ennå, kryss av for det og oppgi termindatoen)"
        )
    return None


def _birth_date(child: Mapping[str, Any], index: int, today: date) -> date | Invalid | None:
    value = _text(child.get("foedselsdato"))
    if not value:
        return None
    try:
        born = date.fromisoformat(value)
    except ValueError:
        return Invalid(f"barn {index}: fødselsdatoen «{value[:20]}» er ikke en dato (ÅÅÅÅ-MM-DD)")
    problem = birth_problem(born, unborn=bool(child.get("ufoedt")), today=today)
    return Invalid(f"barn {index}: {problem}") if problem else born


def _children(entries: list[Any], today: date) -> tuple[MessageChild, ...] | Invalid:
    """The children of either kind of message: a public one carries "fnr", "ufoedt" and whether the
    child knows; a private one "antattAlder" and "relasjon". Vern's own form adds to both what the
    reporter knew beyond that ("foedselsdato", and the other kind's fields), so nothing typed is lost."""
    children = []
    for index, child in enumerate(entries, start=1):
        identity = _identity(child, index, today)
        if isinstance(identity, Invalid):
            return identity
        born = _birth_date(child, index, today)
        if isinstance(born, Invalid):
            return born
        age_text = _text(child.get("antattAlder"))
        children.append(
            MessageChild(
                name=_text(child.get("personnavn")),
                address=_address(child.get("adresse")),
                identity=identity,
                unborn=child.get("ufoedt") is True,
                birth_date=born,
                estimated_age=_age(age_text),
                age_text=age_text,
                relation=_text(child.get("relasjon")),
                phone=_text(child.get("telefonnummer")),
                informed=_informed(child.get("orientert")),
                not_informed_because=_text(child.get("orientertGrunn")),
            )
        )
    return tuple(children)


def _too_long(value: Any) -> bool:
    if isinstance(value, str):
        return len(value) > MAX_TEXT
    if isinstance(value, Mapping):
        return any(_too_long(v) for v in value.values())
    if isinstance(value, list):
        return any(_too_long(v) for v in value)
    return False


def compose_text(concern: str, history: str = "", other_views: str = "") -> str:
    """The report's text from the public message's three parts, each after its heading."""
    parts = [("", concern.strip()), ("Historie", history.strip()), ("Andre synspunkter", other_views.strip())]
    return "\n\n".join(f"{title}: {body}" if title else body for title, body in parts if body)


def _public_text(data: Mapping[str, Any]) -> str:
    melding = data["melding"]
    return compose_text(
        _text(melding.get("melding")), _text(melding.get("historie")), _text(melding.get("andreSynspunkter"))
    )


def _public_reporter(reporter: Mapping[str, Any]) -> tuple[tuple[str, str], ...]:
    firm = reporter.get("virksomhet") or {}
    details = [
        ("Rolle", _text(reporter.get("rolle"))),
        ("Telefon", _text(reporter.get("telefonnummer"))),
        ("E-post", _text(reporter.get("epost"))),
        ("Virksomhet", _text(firm.get("navn"))),
        ("Organisasjonsnummer", _text(firm.get("orgnr"))),
        ("Adresse", _address(firm.get("adresse"))),
    ]
    return tuple((k, v) for k, v in details if v)


def _decode(raw: bytes) -> dict[str, Any] | Invalid:
    if len(raw) > MAX_BYTES:
        return Invalid(f"Meldingen er for stor ({len(raw)} byte; høyst {MAX_BYTES} byte)")
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        return Invalid("Meldingen er ikke gyldig UTF-8-tekst")
    except (json.JSONDecodeError, RecursionError):
        return Invalid("Meldingen er ikke gyldig JSON")
    return data if isinstance(data, dict) else Invalid("Meldingen skal være et JSON-objekt")


def _schema_problems(data: dict[str, Any], kind: str) -> Invalid | None:
    errors = sorted(_validators()[kind].iter_errors(data), key=lambda e: list(map(str, e.absolute_path)))
    if errors:
        reasons = list(dict.fromkeys(_reason(e) for e in errors))
        more = f" (og {len(reasons) - 5} til)" if len(reasons) > 5 else ""
        return Invalid("Meldingen følger ikke formatet: " + "; ".join(reasons[:5]) + more)
    if _too_long(data):
        return Invalid(f"Et felt i meldingen er for langt (høyst {MAX_TEXT} tegn)")
    return None


def parse(raw: bytes, *, message_type: str | None, today: date) -> ConcernMessage | Invalid:
    """Decode, validate against the type's JSON Schema, and read a message; never raises on bad input.

    ``message_type`` is what the transport declared (Fiks' meldingstype); None to infer it from the
    fields, as for a file without its metadata.
    """
    data = _decode(raw)
    if isinstance(data, Invalid):
        return data
    kind = message_type or infer_type(data)
    if kind not in _SCHEMA_FILES:
        return Invalid(
            f"Ukjent meldingstype: {str(kind)[:100]}" if kind else "Kan ikke se hva slags melding dette er"
        )
    return _schema_problems(data, kind) or _read(data, kind, today)


def _read(data: Mapping[str, Any], kind: str, today: date) -> ConcernMessage | Invalid:
    public = kind in (PUBLIC_V1, PUBLIC_V2)
    children = _children(data["offentligBarn" if public else "privatBarn"], today)
    if isinstance(children, Invalid):
        return children
    if not children:
        return Invalid("Meldingen nevner ingen barn")
    if len(children) > MAX_CHILDREN:
        return Invalid(f"Meldingen nevner flere enn {MAX_CHILDREN} barn")
    reporter = data["offentligMelder" if public else "privatMelder"]
    if public:
        text = _public_text(data)
        details = _public_reporter(reporter)
    else:
        text = _text(data["melding"])
        details = tuple(
            (k, v)
            for k, v in (
                ("Telefon", _text(reporter.get("telefonnummer"))),
                ("Adresse", _address(reporter.get("adresse"))),
            )
            if v
        )
    if not text:
        return Invalid("Meldingen har ingen tekst om bekymringen")
    guardians = tuple(
        MessageGuardian(
            name=_text(g.get("personnavn")),
            phone=_text(g.get("telefonnummer")),
            informed=_informed(g.get("orientert")),
            not_informed_because=_text(g.get("orientertGrunn")),
            relation=_text(g.get("relasjon")),
        )
        for g in _list(data.get("foresatte"))
        if isinstance(g, Mapping)
    )
    return ConcernMessage(
        message_type=kind,
        municipality=data["kommunenummer"],
        municipality_name=_text(data["kommunenavn"]),
        district=data["bydelsnummer"],
        district_name=_text(data["bydelsnavn"]),
        sent_at=_sent_at(data["sendingstidspunkt"]),
        reporter_name=_text(reporter.get("personnavn")),
        public=public,
        children=children,
        text=text,
        anonymous=not public and not (_text(reporter.get("personnavn")) or details),
        service=_text(reporter.get("tjeneste")) if public else "",
        workplace=_text((reporter.get("virksomhet") or {}).get("navn")) if public else "",
        reporter_details=details,
        guardians=guardians,
        interpreter=_text(data.get("behovForTolk")),
        other_services=_text(data.get("andreHjelpeinstanser")),
        delivery_channel=_text(data.get("leveringskanal")),
    )


def receipt_body(kind: str, *, message_id: str, reference: str, reason: str = "") -> dict[str, Any]:
    """The receipt as the protocol defines it: ``mottatt``, or ``feilet`` with a Feilmelding body."""
    body: dict[str, Any] = {"meldingstype": kind, "svarPaMelding": message_id, "referanse": reference}
    if kind == FAILED:
        body["melding"] = reason
    return body


def summary(message: ConcernMessage) -> Iterable[tuple[str, str]]:
    """The message's facts as (label, value) pairs, for the page that shows it beside the report."""
    yield (
        "Melder",
        "Anonym: ga verken navn eller kontaktopplysninger" if message.anonymous else message.reporter_name,
    )
    yield "Melder i offentlig stilling", "Ja" if message.public else "Nei"
    if message.service:
        yield "Tjeneste", message.service
    yield from message.reporter_details
    for index, child in enumerate(message.children, start=1):
        informed = {True: "Ja", False: "Nei", None: "Ikke oppgitt"}[child.informed]
        yield f"Barn {index}", child.name
        if child.unborn:
            yield f"Barn {index}, ikke født ennå", "Ja"
        if child.birth_date is not None:
            yield (
                f"Barn {index}, {'termindato' if child.unborn else 'fødselsdato'}",
                f"{child.birth_date:%d.%m.%Y}",
            )
        if child.age_text:
            yield f"Barn {index}, antatt alder", child.age_text
        if child.relation:
            yield f"Barn {index}, melders relasjon", child.relation
        if child.informed is not None:
            yield (
                f"Barn {index}, orientert",
                informed + (f" – {child.not_informed_because}" if child.not_informed_because else ""),
            )
    for index, guardian in enumerate(message.guardians, start=1):
        informed = {True: "Ja", False: "Nei", None: "Ikke oppgitt"}[guardian.informed]
        yield f"Foresatt {index}", f"{guardian.name} {guardian.phone}".strip()
        if guardian.relation:
            yield f"Foresatt {index}, relasjon", guardian.relation
        yield (
            f"Foresatt {index}, orientert",
            informed + (f" – {guardian.not_informed_because}" if guardian.not_informed_because else ""),
        )
    if message.interpreter:
        yield "Behov for tolk", message.interpreter
    if message.other_services:
        yield "Andre hjelpeinstanser", message.other_services
