"""Deterministic synthetic data for the demo, tests and benchmarks (``vern seed``).

The same ``seed`` and ``today`` give the same rows: every random choice comes from ``random.Random``
instances derived from the seed (one per unit, so units are independent of each other), names and
addresses from Faker seeded the same way, and even the register UUIDs and registration times are
drawn from the seed rather than from the clock.

Why the services are not used: each service call runs its own transaction, checks and audit row,
which would take hours for the national scale. The generator applies the same rules itself (codes
valid on their dates, the investigation start of ``investigation_start_date``, a breach reason for
every late conclusion, one open case per child and unit, consistent journal sequences) and inserts
with ``bulk_create``. It writes no audit rows on purpose: synthetic data is not an access to anyone's
case, and an access log full of invented reads would hide the real ones made while using the demo.

Calibration (see DOMAIN.md, "Real figures to calibrate synthetic data"): about 4–5 reports per 100
children a year, 15 % of reports closed at review, 61 % of investigations closed, 3.6 % of
investigations extended, about 90 % of reviews and 85 % of investigations in time, reporter shares as
in the real figures.
"""

from __future__ import annotations

import base64
import calendar
import hashlib
import itertools
import math
import random
import re
import time
import unicodedata
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any, TypeVar

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import models, transaction
from django.db.models import Q
from faker import Faker
from stdnum.no import orgnr

from vern.cases.models import AddressProtection, Case, Child, Gender, IdentityKind, JournalSequence, Party
from vern.core.codelists import paths
from vern.core.dates import OSLO
from vern.core.identity import make_fodselsnummer
from vern.core.models import Code, DeadlineBreach, District, Membership, Municipality, Role, Unit, User
from vern.decisions.models import ApprovalRule, BoardReferral, Decision, DecisionApproval, DecisionStatus
from vern.intake.models import Channel, ConcernReport, ReportContent, ReportReporter
from vern.investigations.models import DeadlineExtension, DecisionBasis, Investigation
from vern.measures.models import (
    Aftercare,
    Consent,
    Measure,
    MeasureReason,
    Plan,
    PlanEvaluation,
    Relocation,
    SupervisionArrangement,
    Supervisor,
    Visit,
    VisitFrequency,
)
from vern.referrals.models import CatalogueEntry
from vern.reports.models import Population, UnitGroup
from vern.rules import deadlines, plans, visits
from vern.rules import decisions as decision_rules
from vern.rules.legal_basis import Law, LegalBases, LegalBasis
from vern.rules.measures import FOSTER_HOME_CATEGORIES, PLACEMENT_CATEGORIES
from vern.synthetic.followup import (
    VISIT_NOTES,
    Actor,
    Basis,
    Breaches,
    BreachRow,
    DecisionRow,
    FollowUp,
    FollowUpSimulator,
    MeasureRow,
    PlanRow,
    approval_needed,
    supervisor_count,
)
from vern.synthetic.referrals import seed_referrals

SCALES = ("small", "oslo", "national")
# One shared password for every demo user; printed by `vern demo_logins`. Never used in production.
DEMO_PASSWORD = "vern-demo-2026"  # noqa: S105 - a published demo password, refused in production
YEARS = 5
# Rows per INSERT: large enough to be fast, small enough to stay under PostgreSQL's 65,535 parameters
# for the widest table (Investigation has 16 columns).
BATCH_SIZE = 2000
CASES_PER_CASEWORKER = 15
# The register's placeholder for an unborn child: term date DDMMYY + 99999 (Personalia kontroll 12).
UNBORN_SUFFIX = "99999"

# Default populations (children 0–17). Small: a municipality of ~130,000 inhabitants.
SMALL_CHILDREN = 28_000
# National: sized so that 4–5 reports per 100 children a year give over 300,000 reports in 5 years.
NATIONAL_CHILDREN = 1_420_000
NATIONAL_MUNICIPALITIES = 350
NATIONAL_HOSTS = 45  # inter-municipal services, each run by a host municipality for 2–5 others

# Calibration, from DOMAIN.md.
REPORTS_PER_100_CHILDREN = (4.0, 5.0)  # per year, drawn per unit
P_REVIEW_ON_TIME = 0.90
P_REPORT_CLOSED = 0.154
P_INVESTIGATION_CLOSED = 0.614
P_INVESTIGATION_EXTENDED = 0.036
P_INVESTIGATION_ON_TIME = 0.85
P_REPEAT_CHILD = 0.30  # a report about a child the unit already knows
P_SECOND_REPORTER = 0.10
P_BREACH_REASON_WHILE_OPEN = 0.30
P_FEEDBACK_ON_TIME = 0.85  # feedback to professional reporters within three weeks
P_FEEDBACK_NEVER = 0.04  # open and overdue items whose reason is already recorded

# Reporter shares (Melding/Melder): school 15.3 %, kindergarten 4.2 %, police 13.4 %, child welfare
# service and out-of-hours 25.4 %, parents 5.0 % are the real figures; the rest is spread over the
# other codes. Code 15 was split into 24 and 25 from 2025: the code list's validity picks which apply.
REPORTER_WEIGHTS: Mapping[str, float] = {
    "11": 15.3,
    "9": 4.2,
    "8": 13.4,
    "5": 9.4,
    "7": 16.0,
    "2": 5.0,
    "1": 3.0,
    "3": 4.0,
    "4": 4.0,
    "6": 2.5,
    "10": 5.0,
    "12": 1.0,
    "13": 3.5,
    "14": 2.0,
    "15": 5.0,
    "24": 4.5,
    "25": 0.5,
    "16": 0.5,
    "17": 1.5,
    "18": 0.7,
    "19": 0.5,
    "20": 0.5,
    "21": 0.3,
    "22": 1.5,
    "23": 1.2,
}
# Case content: the more common concerns are drawn more often, every valid code can occur.
CONTENT_WEIGHTS: Mapping[str, float] = {
    "2": 3,
    "3": 3,
    "6": 4,
    "7": 4,
    "8": 4,
    "9": 3,
    "14": 3,
    "20": 3,
    "21": 3,
    "22": 3,
    "24": 3,
    "25": 3,
    "1.1.02": 3,
    "1.3.08": 3,
    "2.1.02": 3,
    "2.3.02": 3,
    "2.4.02": 3,
    "2.4.03": 3,
    "2.4.05": 3,
    "3.1.03": 3,
    "3.1.08": 3,
}
# Review conclusions that close the report (henlagt), i.e. all but 2 and 4. Code 1 until 2025,
# the more specific 5–10 from 2026; the code list's validity decides.
REVIEW_CLOSED_WEIGHTS: Mapping[str, float] = {
    "1": 88,
    "3": 12,
    "5": 1,
    "6": 1,
    "7": 5,
    "8": 3,
    "9": 2,
    "10": 76,
}
INVESTIGATION_CLOSED_WEIGHTS: Mapping[str, float] = {
    "3": 60,
    "4": 20,
    "5": 10,
    "6": 10,
    "7": 1,
    "8": 1,
    "9": 8,
}
INVESTIGATION_KEPT_WEIGHTS: Mapping[str, float] = {"1": 90, "2": 10}
PARTICIPATION_WEIGHTS: Mapping[str, float] = {"1.1": 60, "1.2": 5, "1.3": 15, "1.4": 5, "2.1": 5, "2.2": 10}
PARTICIPATION_WEIGHTS_YOUNG: Mapping[str, float] = {"1.3": 70, "1.2": 20, "2.1": 10}
BREACH_WEIGHTS: Mapping[deadlines.BreachReason, float] = {
    deadlines.BreachReason.CAPACITY: 40,
    deadlines.BreachReason.HOLIDAYS: 10,
    deadlines.BreachReason.FAMILY_UNREACHABLE: 15,
    deadlines.BreachReason.FAMILY_AVOIDS_CONTACT: 12,
    deadlines.BreachReason.COMPLEX_CASE: 18,
    deadlines.BreachReason.OTHER: 5,
}
# Age at the first report: infants and teenagers are reported more often.
AGE_WEIGHTS = (6, 4, 4, 4, 5, 5, 5, 5, 5, 5, 6, 6, 6, 7, 8, 8, 7, 5)
# Fewer reports in the summer holidays and at Christmas.
MONTH_WEIGHTS = (1.0, 1.05, 1.1, 1.0, 1.05, 0.95, 0.6, 0.85, 1.1, 1.1, 1.1, 0.85)
REVIEW_DAY_WEIGHTS = (8, 14, 15, 15, 13, 11, 10, 14)  # days 0–7 for reviews in time

OSLO_DISTRICTS = (
    # (number, name, approximate children 0–17): proportions for the synthetic data, not statistics.
    ("01", "Gamle Oslo", 9_500),
    ("02", "Grünerløkka", 9_000),
    ("03", "Sagene", 6_500),
    ("04", "St. Hanshaugen", 5_000),
    ("05", "Frogner", 8_500),
    ("06", "Ullern", 8_500),
    ("07", "Vestre Aker", 12_000),
    ("08", "Nordre Aker", 12_500),
    ("09", "Bjerke", 7_000),
    ("10", "Grorud", 6_500),
    ("11", "Stovner", 7_500),
    ("12", "Alna", 11_000),
    ("13", "Østensjø", 10_500),
    ("14", "Nordstrand", 11_500),
    ("15", "Søndre Nordstrand", 9_500),
)
OSLO_NUMBER = "0301"
OSLO_ORGANISATION_NUMBER = "958935420"

_NAME_PREFIXES = (
    "Aur",
    "Bjørke",
    "Dals",
    "Eids",
    "Fjell",
    "Furu",
    "Gran",
    "Hval",
    "Is",
    "Kvern",
    "Lyng",
    "Moe",
    "Nord",
    "Os",
    "Rogn",
    "Salt",
    "Sel",
    "Sjø",
    "Skog",
    "Stein",
    "Sol",
    "Stor",
    "Sør",
    "Tind",
    "Vest",
    "Øst",
    "Ulv",
    "Ørn",
    "Berg",
    "Birke",
    "Elve",
    "Fager",
    "Hav",
    "Lille",
    "Mo",
    "Ny",
    "Rype",
    "Sand",
    "Tjern",
    "Vik",
)
_NAME_SUFFIXES = (
    "vik",
    "dal",
    "nes",
    "berg",
    "fjord",
    "heim",
    "land",
    "stad",
    "øy",
    "sund",
    "bygd",
    "haug",
    "li",
    "ås",
    "voll",
    "målet",
    "eid",
    "rud",
    "set",
    "strand",
)
# Real county prefixes of municipality numbers (2024), except Oslo's 03, which has one municipality.
_COUNTIES = ("11", "15", "18", "31", "32", "33", "34", "39", "40", "42", "46", "50", "55", "56")

_CONCERNS = (
    "Barnet kommer ofte sultent og uten matpakke.",
    "Barnet har mye fravær og virker slitent.",
    "Naboer melder om høylytte krangler i hjemmet på kveldstid.",
    "Barnet har fortalt om slag fra en voksen hjemme.",
    "Forelderen virket ruspåvirket ved henting.",
    "Barnet sier at det ikke vil gå hjem.",
    "Bekymring for forelderens psykiske helse og omsorgsevne.",
    "Barnet har flere ganger vært i slåsskamper.",
    "Ungdommen er tatt med rusmidler.",
    "Barnet har blåmerker som ikke er forklart.",
    "Familien har ikke fulgt opp avtaler på helsestasjonen.",
    "Barnet er mye alene og mangler tilsyn.",
    "Foreldrene er i høy konflikt om samvær.",
    "Barnet spiser lite og trekker seg unna venner.",
    "Ungdommen har rømt hjemmefra flere ganger.",
    "Familien bor trangt og har store økonomiske problemer.",
)
_REPORTER_PREFIX: Mapping[str, str] = {
    "1": "Barnet tar selv kontakt.",
    "2": "Forelder tar kontakt.",
    "5": "Barneverntjenesten har fått opplysninger i en annen sak.",
    "7": "Barnevernsvakten melder etter utrykning.",
    "8": "Politiet melder etter oppdrag.",
    "9": "Barnehagen melder.",
    "10": "Helsestasjonen melder.",
    "11": "Skolen melder.",
    "23": "Anonym melding.",
}
_PLAN_TEXTS = (
    "Samtaler med barnet og foreldrene, hjemmebesøk og opplysninger fra skole og helsestasjon.",
    "Observasjon i barnehagen, samtaler med foreldrene og opplysninger fra fastlege.",
    "Samtale med ungdommen alene, samtaler med foreldrene og opplysninger fra politiet.",
    "Hjemmebesøk, samtaler med barnet og kontakt med PPT og skole.",
)
_PARTICIPATION_NOTES = (
    "Barnet fortalte om hverdagen hjemme og på skolen.",
    "Barnet ønsket at foreldrene skal krangle mindre.",
    "Barnet var trygt i samtalen og ønsket å bo hjemme.",
    "Observert i lek; barnet søkte trøst hos mor.",
    "",
)
_EXTENSION_REASONS = (
    "Venter på sakkyndig vurdering.",
    "Venter på opplysninger fra politiet i en pågående straffesak.",
    "Familien har vært utilgjengelig i lengre tid.",
    "Omfattende sak med mange instanser; flere samtaler med barnet er nødvendige.",
)
_DEMO_VIEWS = (
    "Barnet vil bo nær skolen.",
    "Barnet ønsker mer samvær med far.",
    "Barnet er trygg i fosterhjemmet.",
)
_OTHER_BREACH_EXPLANATIONS = (
    "Saken ble overført fra en annen tjeneste sent i fristen.",
    "Saksbehandler sykemeldt uten vikar.",
    "Tolk var ikke tilgjengelig.",
)
_SPECIFICATIONS = (
    "Tannhelsetjenesten",
    "Flyktningtjenesten",
    "Familiens hus",
    "Bekymring for boforholdene",
    "Bekymring for skolefravær",
)


def totp_secret_for(seed: int, username: str) -> str:
    """The demo user's TOTP secret: 32 base32 characters, derived from seed and username.

    Derived rather than random so `vern demo_logins` and a reseeded demo give the same codes.
    """
    digest = hashlib.sha256(f"{seed}:{username}".encode()).digest()[:20]
    return base64.b32encode(digest).decode("ascii")


class SeedRefused(Exception):
    """Seeding is not allowed here (production, or a database that is not empty)."""


def refuse_in_production() -> None:
    """Demo users share a published password: they must never exist in a production database."""
    if settings.VERN_ENV == "production":
        raise SeedRefused(
            "Synthetic data and demo users with a published password are refused when VERN_ENV=production."
        )


def database_contents() -> str | None:
    """What already occupies the database, or None when seeding may start (code lists do not count)."""
    for model in (Case, Child, Municipality, Unit, User):
        if model._default_manager.exists():
            return f"the database already has {model._meta.verbose_name_plural}"
    return None


# --- Organisation -------------------------------------------------------------------------------


@dataclass(frozen=True)
class MunicipalitySpec:
    number: str
    name: str
    organisation_number: str
    children: int


@dataclass(frozen=True)
class UnitSpec:
    key: str  # slug: names the unit's random stream and its users
    name: str
    kind: str
    host: str  # municipality number
    served: tuple[str, ...]  # municipality numbers, host included
    organisation_number: str
    children: int  # population 0–17 the service covers
    district: tuple[str, str] | None = None  # (number, name)
    plain_usernames: bool = False  # small scale: "saksbehandler", "leder" …


@dataclass(frozen=True)
class Organisation:
    municipalities: tuple[MunicipalitySpec, ...]
    units: tuple[UnitSpec, ...]


class _OrgNumbers:
    """Unique organisation numbers with a valid mod-11 check digit (stdnum.no.orgnr)."""

    def __init__(self, rng: random.Random, taken: Iterable[str] = ()) -> None:
        self.rng = rng
        self.used = set(taken)

    def next(self, first_digit: str = "9") -> str:
        while True:
            stem = f"{first_digit}{self.rng.randrange(10**7):07d}"
            for check in "0123456789":
                number = stem + check
                if orgnr.checksum(number) == 0:
                    break
            else:
                continue  # the check digit would be 10: such stems are never issued
            if number not in self.used:
                self.used.add(number)
                return number


def slug(name: str) -> str:
    """ASCII slug for usernames; Norwegian letters are transliterated rather than dropped."""
    text = name.lower().replace("æ", "ae").replace("ø", "o").replace("å", "a")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def _scaled(weights: Sequence[float], total: int) -> list[int]:
    """Split ``total`` in proportion to ``weights`` (largest remainders, so the sum is exact)."""
    whole = sum(weights)
    raw = [w / whole * total for w in weights]
    parts = [int(r) for r in raw]
    by_remainder = sorted(range(len(raw)), key=lambda i: (parts[i] - raw[i], i))
    for i in by_remainder[: total - sum(parts)]:
        parts[i] += 1
    return parts


def build_organisation(scale: str, seed: int, *, children: int | None = None) -> Organisation:
    """Municipalities and units of a scale. Pure: no database access."""
    rng = random.Random(f"{seed}:organisation:{scale}")
    numbers = _OrgNumbers(rng, taken=[OSLO_ORGANISATION_NUMBER])
    if scale == "small":
        return _small(numbers, SMALL_CHILDREN if children is None else children)
    if scale == "oslo":
        return _oslo(numbers, children)
    if scale == "national":
        return _national(rng, numbers, children)
    raise ValueError(f"unknown scale {scale!r}")


def _small(numbers: _OrgNumbers, children: int) -> Organisation:
    municipality = MunicipalitySpec("3299", "Fjordby", numbers.next(), children)
    unit = UnitSpec(
        key="fjordby",
        name="Barneverntjenesten i Fjordby",
        kind=Unit.Kind.SERVICE,
        host=municipality.number,
        served=(municipality.number,),
        organisation_number=numbers.next(),
        children=children,
        plain_usernames=True,
    )
    return Organisation((municipality,), (unit,))


def _oslo(numbers: _OrgNumbers, children: int | None) -> Organisation:
    populations = [c for _n, _name, c in OSLO_DISTRICTS]
    if children is not None:
        populations = _scaled(populations, children)
    oslo = MunicipalitySpec(OSLO_NUMBER, "Oslo", OSLO_ORGANISATION_NUMBER, sum(populations))
    units = [
        UnitSpec(
            key=slug(name),
            name=f"Barneverntjenesten i bydel {name}",
            kind=Unit.Kind.SERVICE,
            host=OSLO_NUMBER,
            served=(OSLO_NUMBER,),
            organisation_number=numbers.next(),
            children=population,
            district=(number, name),
        )
        for (number, name, _c), population in zip(OSLO_DISTRICTS, populations, strict=True)
    ]
    # The central agency sells institution places and specialised measures to the districts.
    units.append(
        UnitSpec(
            key="bfe",
            name="Barne- og familieetaten",
            kind=Unit.Kind.PROVIDER,
            host=OSLO_NUMBER,
            served=(OSLO_NUMBER,),
            organisation_number=numbers.next(),
            children=0,
        )
    )
    return Organisation((oslo,), tuple(units))


def _national(rng: random.Random, numbers: _OrgNumbers, children: int | None) -> Organisation:
    """Its municipalities, and which of them share a service, are the same whatever ``children``:
    an import (bench/register.py) needs the organisation the documents came from, without cases."""
    names = rng.sample(
        [p + s for p, s in itertools.product(_NAME_PREFIXES, _NAME_SUFFIXES)], NATIONAL_MUNICIPALITIES
    )
    per_county = _scaled([1.0] * len(_COUNTIES), NATIONAL_MUNICIPALITIES)
    municipality_numbers = [
        f"{county}{n:02d}"
        for county, count in zip(_COUNTIES, per_county, strict=True)
        for n in sorted(rng.sample(range(1, 99), count))
    ]
    # Municipality sizes are skewed: many small ones and a few cities.
    weights = [rng.lognormvariate(0.0, 1.2) for _ in names]
    full = _scaled(weights, NATIONAL_CHILDREN)
    populations = full if children is None else _scaled(weights, children)
    municipalities = tuple(
        MunicipalitySpec(number, name, numbers.next(), population)
        for number, name, population in zip(municipality_numbers, names, populations, strict=True)
    )
    size = dict(zip(municipality_numbers, full, strict=True))
    by_size = sorted(municipalities, key=lambda m: (size[m.number], m.number))
    small_ones = by_size[: len(by_size) // 2]
    hosts = rng.sample(by_size[len(by_size) // 2 :], NATIONAL_HOSTS)
    rng.shuffle(small_ones)
    served_by: dict[str, list[MunicipalitySpec]] = {}
    for host in sorted(hosts, key=lambda m: m.number):
        take = rng.randint(2, 5)
        served_by[host.number] = [small_ones.pop() for _ in range(min(take, len(small_ones)))]
    covered = {m.number for group in served_by.values() for m in group}
    units: list[UnitSpec] = []
    for municipality in municipalities:
        if municipality.number in covered:
            continue
        others = served_by.get(municipality.number, [])
        members = [municipality, *sorted(others, key=lambda m: m.number)]
        inter = bool(others)
        key = slug(municipality.name) + ("-region" if inter else "")
        name = (
            f"Barneverntjenesten i {municipality.name}-regionen"
            if inter
            else f"Barneverntjenesten i {municipality.name}"
        )
        units.append(
            UnitSpec(
                key=key,
                name=name,
                kind=Unit.Kind.SERVICE,
                host=municipality.number,
                served=tuple(m.number for m in members),
                organisation_number=numbers.next(),
                children=sum(m.children for m in members),
            )
        )
    return Organisation(municipalities, tuple(units))


# --- Code lists ---------------------------------------------------------------------------------


class CodeBook:
    """Register codes valid on a day, read once per (list, year) and drawn with fixed weights.

    Every validity boundary in the code lists is 1 January or 31 December, so a year is the natural
    cache key; a code counts for a year only if it is valid on all of it (the safe side), and a day
    whose year has no such code is looked up on its own.
    """

    def __init__(self) -> None:
        self._year: dict[tuple[str, int], tuple[str, ...]] = {}
        self._day: dict[tuple[str, date], tuple[str, ...]] = {}
        self._cumulative: dict[tuple[str, int, str], tuple[tuple[str, ...], list[float]]] = {}
        self.needs_specification = {
            (path, code)
            for path, code in Code.objects.filter(label__icontains="krever presisering").values_list(
                "list_path", "code"
            )
        }
        self.all_codes: dict[str, tuple[str, ...]] = {}

    def everything(self, list_path: str) -> tuple[str, ...]:
        if list_path not in self.all_codes:
            self.all_codes[list_path] = tuple(
                Code.objects.filter(list_path=list_path).order_by("sort_key").values_list("code", flat=True)
            )
        return self.all_codes[list_path]

    def valid(self, list_path: str, day: date) -> tuple[str, ...]:
        key = (list_path, day.year)
        if key not in self._year:
            self._year[key] = tuple(
                Code.objects.filter(list_path=list_path)
                .valid_on(date(day.year, 1, 1))
                .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=date(day.year, 12, 31)))
                .order_by("sort_key")
                .values_list("code", flat=True)
            )
        if self._year[key]:
            return self._year[key]
        day_key = (list_path, day)
        if day_key not in self._day:
            self._day[day_key] = tuple(
                Code.objects.filter(list_path=list_path)
                .valid_on(day)
                .order_by("sort_key")
                .values_list("code", flat=True)
            )
        return self._day[day_key]

    def is_valid(self, list_path: str, code: str, day: date) -> bool:
        return code in self.valid(list_path, day)

    def pick(
        self,
        rng: random.Random,
        list_path: str,
        day: date,
        *,
        profile: str,
        weights: Mapping[str, float],
        default: float = 0.0,
    ) -> str | None:
        """A weighted code valid on ``day``, or None if no weighted code is valid then."""
        key = (list_path, day.year, profile)
        if key not in self._cumulative:
            codes = [c for c in self.valid(list_path, day) if weights.get(c, default) > 0]
            self._cumulative[key] = (
                tuple(codes),
                list(itertools.accumulate(weights.get(c, default) for c in codes)),
            )
        codes_, cumulative = self._cumulative[key]
        if not codes_:
            return None
        return rng.choices(codes_, cum_weights=cumulative)[0]

    def specification(self, rng: random.Random, list_path: str, code: str) -> str:
        """Codes marked "krever presisering" need a specification (register Melder/Saksinnhold kontroll 2)."""
        return rng.choice(_SPECIFICATIONS) if (list_path, code) in self.needs_specification else ""


# --- The plan of one unit (plain Python, inserted afterwards) -------------------------------------


@dataclass(slots=True)
class ChildRow:
    kind: str
    number: str
    duf: str
    birth: date
    gender: str
    first_name: str
    last_name: str
    address: str
    protection: str


@dataclass(slots=True)
class PartyRow:
    name: str
    relation: str
    responsibility: bool
    number: str
    phone: str
    address: str
    protection: str


@dataclass(slots=True)
class InvestigationRow:
    started_on: date
    register_id: uuid.UUID
    plan_made_on: date | None = None
    plan_text: str = ""
    participation_code: str = ""
    participation_on: date | None = None
    participation_note: str = ""
    concluded_on: date | None = None
    conclusion: str = ""
    basis: list[tuple[str, str]] = field(default_factory=list)
    extension: tuple[date, str] | None = None
    breach: BreachRow | None = None


@dataclass(slots=True)
class ReportRow:
    received_at: datetime
    received_on: date
    registered_at: datetime
    channel: str
    text: str
    registered_by: Actor
    reporters: list[tuple[str, str]]
    contents: list[tuple[str, str]]
    register_id: uuid.UUID
    concluded_on: date | None = None
    conclusion: str = ""
    reviewed_by: Actor | None = None
    breach: BreachRow | None = None
    investigation: InvestigationRow | None = None
    feedback_sent_on: date | None = None  # to a professional reporter (rules.deadlines.REPORTER_FEEDBACK)
    feedback_breach: BreachRow | None = None


@dataclass(slots=True)
class CaseRow:
    child: ChildRow
    opened_on: date
    register_id: uuid.UUID
    parties: list[PartyRow] = field(default_factory=list)
    reports: list[ReportRow] = field(default_factory=list)
    closed_on: date | None = None
    measures_until: date | None = None
    caseworker: int = 0  # index into the unit's caseworkers
    demo: bool = False  # scripted for the unit's first caseworker
    followup: FollowUp = field(default_factory=FollowUp)

    def ongoing_investigation(self, day: date) -> bool:
        return any(
            r.investigation is not None
            and r.investigation.started_on <= day
            and (r.investigation.concluded_on is None or r.investigation.concluded_on >= day)
            for r in self.reports
        )

    def has_open_item(self) -> bool:
        follow = self.followup
        return (
            any(
                r.concluded_on is None
                or (r.investigation is not None and r.investigation.concluded_on is None)
                for r in self.reports
            )
            or any(m.end_on is None for m in follow.measures())
            or any(p.end_on is None for p in follow.plans)
            or any(a.concluded_on is None for a in follow.aftercare)
        )

    def parents(self) -> list[int]:
        """The parties with parental responsibility, as indices into ``parties``."""
        return [
            i for i, p in enumerate(self.parties) if p.responsibility and p.relation != Party.Relation.CHILD
        ]


@dataclass(slots=True)
class UserRow:
    username: str
    role: str
    first_name: str
    last_name: str
    fte: str = "1.00"
    sees_protected_addresses: bool = False


@dataclass
class UnitPlan:
    cases: list[CaseRow]
    users: list[UserRow]
    supervisors: list[str] = field(default_factory=list)  # names in the unit's register

    @property
    def caseworkers(self) -> list[UserRow]:
        return [u for u in self.users if u.role == Role.CASEWORKER]


@dataclass(frozen=True)
class NamePools:
    """Names and addresses drawn once from Faker, then picked with the unit's own random stream.

    Picking from pools keeps units independent of each other and is much faster than calling Faker
    for each of hundreds of thousands of people.
    """

    male: tuple[str, ...]
    female: tuple[str, ...]
    last: tuple[str, ...]
    addresses: tuple[str, ...]

    @classmethod
    def build(cls, seed: int) -> NamePools:
        # Faker's Norwegian (bokmål) locale is called no_NO; there is no nb_NO provider.
        fake = Faker("no_NO")
        fake.seed_instance(seed)
        return cls(
            male=tuple(fake.first_name_male() for _ in range(400)),
            female=tuple(fake.first_name_female() for _ in range(400)),
            last=tuple(fake.last_name() for _ in range(600)),
            addresses=tuple(f"{fake.street_address()}, {fake.postcode()} {fake.city()}" for _ in range(3000)),
        )


T = TypeVar("T")


def _weighted(rng: random.Random, weights: Mapping[T, float]) -> T:
    items = list(weights)
    return rng.choices(items, weights=[weights[i] for i in items])[0]


def years_back(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def months_back(day: date, months: int) -> date:
    """``months`` calendar months before ``day``, clamped to the end of a shorter month."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def start_for_due(due: date, months: int) -> date:
    """A start date whose clock of ``months`` runs out exactly on ``due`` (or as near before as exists)."""
    for back in range(months * 28, months * 31 + 4):
        start = due - timedelta(days=back)
        if deadlines.add_months(start, months) <= due:
            return start
    return due - timedelta(days=months * 30)  # pragma: no cover - the loop always finds one


class UnitSimulator:
    """Five years of reports, reviews and investigations for one service, in received order."""

    def __init__(
        self,
        *,
        spec: UnitSpec,
        seed: int,
        today: date,
        codes: CodeBook,
        pools: NamePools,
        used_numbers: set[str],
    ) -> None:
        self.spec = spec
        self.seed = seed
        self.rng = random.Random(f"{seed}:unit:{spec.key}")
        self.today = today
        self.start = years_back(today, YEARS) + timedelta(days=1)
        self.codes = codes
        self.pools = pools
        self.used = used_numbers
        self.cases: list[CaseRow] = []
        self._known: list[CaseRow] = []
        self.supervisors = supervisor_count(spec.children)
        self.followups = FollowUpSimulator(
            rng=self.rng,
            today=today,
            valid=codes.is_valid,
            pick_reason=self._measure_reason,
            supervisors=self.supervisors,
        )

    # -- the stream of reports

    def run(self) -> UnitPlan:
        rate = self.rng.uniform(*REPORTS_PER_100_CHILDREN)
        period = (self.today - self.start).days + 1
        count = round(self.spec.children * rate / 100 * period / 365.25)
        for received_on in self._received_days(count, period):
            case = self._case_for(received_on)
            report = self._report(case, received_on)
            self._review(case, report)
        self._scripted()
        self._scripted_followups()
        self._close_cases()
        users = self._users()
        pools = self.pools
        supervisors = [
            f"{self.rng.choice(pools.female + pools.male)} {self.rng.choice(pools.last)}"
            for _n in range(self.supervisors)
        ]
        # Last: the draws for the reasons leave everything drawn before as it was.
        self._followup_breaches()
        return UnitPlan(cases=self.cases, users=users, supervisors=supervisors)

    def _uuid(self) -> uuid.UUID:
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)

    def _received_days(self, count: int, period: int) -> list[date]:
        top = max(MONTH_WEIGHTS)
        days: list[date] = []
        while len(days) < count:
            day = self.start + timedelta(days=self.rng.randrange(period))
            if self.rng.random() * top <= MONTH_WEIGHTS[day.month - 1]:
                days.append(day)
        days.sort()
        return days

    def _case_for(self, received_on: date) -> CaseRow:
        if self._known and self.rng.random() < P_REPEAT_CHILD:
            for _attempt in range(3):
                case = self.rng.choice(self._known)
                if case.child.birth <= received_on and (received_on - case.child.birth).days < 18 * 365:
                    return case
        return self._new_case(self._new_child(received_on), received_on)

    # -- people

    def _free_number(self, birth: date, *, d_number: bool, boy: bool | None = None) -> str:
        """An unused number; make_fodselsnummer keeps the parity of ``individual``, odd for boys."""
        while True:
            individual = self.rng.randrange(1000)
            if boy is not None:
                individual = individual // 2 * 2 + (1 if boy else 0)
            number = make_fodselsnummer(birth, individual, d_number=d_number)
            if number not in self.used:
                self.used.add(number)
                return number

    def _new_child(
        self,
        received_on: date,
        *,
        age: int | None = None,
        protection: str | None = None,
        birth: date | None = None,
    ) -> ChildRow:
        rng = self.rng
        last = rng.choice(self.pools.last)
        address = rng.choice(self.pools.addresses)
        roll = rng.random()
        protection = protection or (
            AddressProtection.STRICTLY_CONFIDENTIAL
            if roll < 0.01
            else AddressProtection.CONFIDENTIAL
            if roll < 0.015
            else AddressProtection.NONE
        )
        term = received_on + timedelta(days=rng.randint(30, 250))
        # A report about an unborn child (term date + 99999), only while the child is still unborn.
        if age is None and self.today < term <= self.today + timedelta(days=300) and rng.random() < 0.02:
            return ChildRow(
                IdentityKind.UNBORN,
                term.strftime("%d%m%y") + UNBORN_SUFFIX,
                "",
                term,
                Gender.UNBORN,
                "",
                last,
                address,
                protection,
            )
        if age is None:
            age = rng.choices(range(len(AGE_WEIGHTS)), weights=AGE_WEIGHTS)[0]
        birth = birth or received_on - timedelta(days=age * 365 + rng.randrange(365))
        kind_roll = rng.random()
        duf = ""
        if kind_roll < 0.01:
            kind, number = IdentityKind.D_NUMMER, self._free_number(birth, d_number=True)
        elif kind_roll < 0.015:
            kind, number = IdentityKind.UNKNOWN_00100, birth.strftime("%d%m%y") + "00100"
        elif kind_roll < 0.018:
            kind, number = IdentityKind.DUF, ""
            duf = f"{received_on.year - rng.randint(0, 3)}{rng.randrange(10**8):08d}"
        else:
            kind, number = IdentityKind.FODSELSNUMMER, self._free_number(birth, d_number=False)
        if kind in (IdentityKind.FODSELSNUMMER, IdentityKind.D_NUMMER):
            # The ninth digit says the gender: odd for boys. The record must agree with the number.
            gender = Gender.MALE if int(number[8]) % 2 else Gender.FEMALE
        else:
            gender = rng.choice((Gender.MALE, Gender.FEMALE))
        first = rng.choice(self.pools.male if gender == Gender.MALE else self.pools.female)
        return ChildRow(kind, number, duf, birth, gender, first, last, address, protection)

    def _parent(self, child: ChildRow, relation: str, *, together: bool) -> PartyRow:
        rng = self.rng
        born = child.birth - timedelta(days=rng.randint(20 * 365, 42 * 365))
        mother = relation == Party.Relation.MOTHER
        first = rng.choice(self.pools.female if mother else self.pools.male)
        last = child.last_name if together or rng.random() < 0.5 else rng.choice(self.pools.last)
        number = self._free_number(born, d_number=False, boy=not mother)
        phone = f"{rng.choice('49')}{rng.randrange(10**7):07d}"
        # A parent who lives with a child with a protected address shares the protection.
        address, protection = (
            (child.address, child.protection) if together else (rng.choice(self.pools.addresses), "")
        )
        return PartyRow(f"{first} {last}", relation, rng.random() < 0.95, number, phone, address, protection)

    def _new_case(self, child: ChildRow, opened_on: date, *, demo: bool = False) -> CaseRow:
        case = CaseRow(child=child, opened_on=opened_on, register_id=self._uuid(), demo=demo)
        rng = self.rng
        two = rng.random() < 0.65
        first_is_mother = two or rng.random() < 0.8
        living_together = two and rng.random() < 0.5
        if first_is_mother or two:
            case.parties.append(self._parent(child, Party.Relation.MOTHER, together=True))
        if two or not first_is_mother:
            case.parties.append(
                self._parent(child, Party.Relation.FATHER, together=living_together or not first_is_mother)
            )
        self.cases.append(case)
        if child.kind != IdentityKind.UNBORN and not demo:
            self._known.append(case)
        return case

    # -- reports and reviews

    def _received_at(self, day: date, reporter: str) -> datetime:
        rng = self.rng
        if day == self.today:
            # Only night-time reports (out-of-hours) on the seeding day itself, so no row lies in
            # the future whatever the time of seeding (unless run before 06:00).
            hour = rng.randint(0, 5)
        elif reporter in ("7", "8") and rng.random() < 0.6:
            hour = rng.choice((0, 1, 2, 16, 17, 18, 19, 20, 21, 22, 23))
        else:
            hour = rng.randint(8, 15)
        return datetime(day.year, day.month, day.day, hour, rng.randrange(60), tzinfo=OSLO)

    def _channel(self, reporter: str) -> str:
        rng = self.rng
        if reporter == "8":
            return Channel.POLICE if rng.random() < 0.9 else Channel.PHONE
        if reporter == "7":
            return Channel.OUT_OF_HOURS
        if reporter in ("1", "2", "3", "4", "23"):
            return rng.choices(
                (Channel.PHONE, Channel.DIGITAL, Channel.IN_PERSON, Channel.EMAIL), weights=(50, 25, 20, 5)
            )[0]
        return rng.choices(
            (Channel.DIGITAL, Channel.PHONE, Channel.LETTER, Channel.EMAIL), weights=(55, 25, 10, 10)
        )[0]

    def _draw_codes(
        self, list_path: str, day: date, *, profile: str, weights: Mapping[str, float], default: float, n: int
    ) -> list[tuple[str, str]]:
        chosen: list[str] = []
        for _attempt in range(n * 4):
            code = self.codes.pick(
                self.rng, list_path, day, profile=profile, weights=weights, default=default
            )
            if code is not None and code not in chosen:
                chosen.append(code)
            if len(chosen) == n:
                break
        return [(c, self.codes.specification(self.rng, list_path, c)) for c in chosen]

    def _report(self, case: CaseRow, received_on: date) -> ReportRow:
        rng = self.rng
        reporters = self._draw_codes(
            paths.REPORTER,
            received_on,
            profile="reporter",
            weights=REPORTER_WEIGHTS,
            default=0.0,
            n=2 if rng.random() < P_SECOND_REPORTER else 1,
        )
        contents = self._draw_codes(
            paths.CASE_CONTENT,
            received_on,
            profile="content",
            weights=CONTENT_WEIGHTS,
            default=1.0,
            n=rng.choices((1, 2, 3), (50, 35, 15))[0],
        )
        main = reporters[0][0]
        received_at = self._received_at(received_on, main)
        text = f"{_REPORTER_PREFIX.get(main, 'Melder forteller:')} {rng.choice(_CONCERNS)}"
        report = ReportRow(
            received_at=received_at,
            received_on=received_on,
            registered_at=received_at + timedelta(minutes=rng.randint(2, 240)),
            channel=self._channel(main),
            text=text,
            registered_by=Actor.INTAKE if rng.random() < 0.8 else Actor.CASEWORKER,
            reporters=reporters,
            contents=contents,
            register_id=self._uuid(),
        )
        if any(code in deadlines.PROFESSIONAL_REPORTER_CODES for code, _spec in reporters):
            report.feedback_sent_on = self._feedback_day(received_on)
        case.reports.append(report)
        return report

    def _feedback_day(self, received_on: date) -> date | None:
        """Feedback to a professional reporter: mostly within the three weeks, some late, a few never."""
        roll = self.rng.random()
        if roll < P_FEEDBACK_NEVER:
            return None
        days = (
            self.rng.randint(1, 19)
            if roll < P_FEEDBACK_NEVER + P_FEEDBACK_ON_TIME
            else self.rng.randint(22, 45)
        )
        day = received_on + timedelta(days=days)
        return day if day <= self.today else None

    def _review_days(self) -> int:
        if self.rng.random() < P_REVIEW_ON_TIME:
            return self.rng.choices(range(len(REVIEW_DAY_WEIGHTS)), weights=REVIEW_DAY_WEIGHTS)[0]
        return 8 + min(int(self.rng.expovariate(1 / 6)), 40)

    def _at(self, day: date, hour: int = 14) -> datetime:
        return datetime(day.year, day.month, day.day, hour, self.rng.randrange(60), tzinfo=OSLO)

    def _breach(self, due: date, recorded_on: date, by: Actor) -> BreachRow:
        weights = dict(BREACH_WEIGHTS)
        if due.month == 7 or (due.month == 12 and due.day >= 18) or (due.month == 1 and due.day <= 3):
            weights[deadlines.BreachReason.HOLIDAYS] *= 6
        reason = _weighted(self.rng, weights)
        explanation = (
            self.rng.choice(_OTHER_BREACH_EXPLANATIONS)
            if deadlines.breach_reason_requires_text(reason)
            else ""
        )
        return BreachRow(reason.value, explanation, self._at(recorded_on), by)

    def _open_breach(self, due: date) -> BreachRow | None:
        """Some open, overdue items already have their reason recorded (BVL deadlines are watched)."""
        if self.today > due and self.rng.random() < P_BREACH_REASON_WHILE_OPEN:
            recorded_on = min(self.today, due + timedelta(days=self.rng.randint(1, 4)))
            return self._breach(due, recorded_on, Actor.LEADER)
        return None

    def _note_breach(
        self, breaches: Breaches, key: tuple[str, date | None], *, due: date, done: date | None
    ) -> None:
        """A step done late has its reason, recorded when it was done (the service asks for it); one
        still open past its due date sometimes has one already."""
        if done is not None:
            if done > due:
                breaches[key] = self._breach(due, done, Actor.CASEWORKER)
        elif (breach := self._open_breach(due)) is not None:
            breaches[key] = breach

    def _followup_breaches(self) -> None:
        """The reasons for the missed deadlines after the review and the investigation: feedback to a
        reporter, an emergency decision's clocks, visits, plan evaluations and care plans, missed as
        the rules tell (rules.deadlines, rules.decisions, rules.visits, rules.plans)."""
        for case in self.cases:
            for report in case.reports:
                if any(code in deadlines.PROFESSIONAL_REPORTER_CODES for code, _spec in report.reporters):
                    found: Breaches = {}
                    due = deadlines.reporter_feedback_due(report.received_on)
                    self._note_breach(
                        found, (deadlines.REPORTER_FEEDBACK.name, None), due=due, done=report.feedback_sent_on
                    )
                    report.feedback_breach = next(iter(found.values()), None)
            follow = case.followup
            care_plans = [(p.start_on, p.end_on) for p in follow.plans if p.plan_type == plans.CARE_PLAN]
            for index, decision in enumerate(follow.decisions):
                applied = [d.referral_on for d in follow.decisions if d.follows == index and d.referral_on]
                self._emergency_breaches(decision, applied_on=min(applied, default=None))
                for measure in decision.measures:
                    self._visit_breaches(measure)
                    if measure.care_order and measure.category in PLACEMENT_CATEGORIES:
                        late = plans.care_plan_late(
                            placed=(measure.start_on, measure.end_on), care_plans=care_plans
                        )
                        running = measure.end_on is None and not any(end is None for _s, end in care_plans)
                        if late is not None or running:
                            self._note_breach(
                                measure.breaches,
                                (plans.CARE_PLAN_CLOCK, None),
                                due=measure.start_on,
                                done=late,
                            )
            for plan in follow.plans:
                self._evaluation_breaches(plan)

    def _emergency_breaches(self, decision: DecisionRow, *, applied_on: date | None) -> None:
        basis = decision.basis
        main = LegalBasis(
            Law(basis.law), basis.chapter, basis.section, tuple(p for p in basis.paragraphs.split(",") if p)
        )
        rule = decision_rules.emergency_rule(LegalBases(main))
        if rule is None:
            return
        running = decision.ended_on is None
        sent = decision.sent_to_board_at
        clocks = [
            (
                decision_rules.SUBMISSION_CLOCK,
                decision_rules.board_submission_due(decision.decided_on),
                sent.astimezone(OSLO).date() if sent else None,
            ),
            (
                decision_rules.APPLICATION_CLOCK,
                decision_rules.application_due(rule, decision.decided_on),
                applied_on,
            ),
        ]
        if sent is not None:
            due = decision_rules.board_approval_due(sent).astimezone(OSLO).date()
            clocks.append((decision_rules.APPROVAL_CLOCK, due, decision.board_verdict_on))
        for clock, due, done in clocks:
            if done is not None or running:
                self._note_breach(decision.breaches, (clock, None), due=due, done=done)

    def _visit_breaches(self, measure: MeasureRow) -> None:
        if measure.category not in FOSTER_HOME_CATEGORIES:
            return
        for kind, clock in visits.CLOCKS.items():
            frequencies = [visits.Frequency(day, code) for k, code, day in measure.frequencies if k == kind]
            done = [day for k, day, _report in measure.visits if k == kind]
            for missed in visits.late_visits(
                placed_on=measure.start_on, frequencies=frequencies, visits=done
            ):
                self._note_breach(measure.breaches, (clock, missed.start), due=missed.due, done=missed.done)
            if measure.end_on is None:
                last = max(done, default=None)
                due = visits.next_visit_due(
                    placed_on=measure.start_on, frequencies=frequencies, last_visit=last, today=self.today
                )
                start = measure.start_on if last is None else max(measure.start_on, last)
                self._note_breach(measure.breaches, (clock, start), due=due, done=None)

    def _evaluation_breaches(self, plan: PlanRow) -> None:
        if not plans.is_evaluated(plan.plan_type):
            return
        months = plans.DEFAULT_EVALUATION_MONTHS
        clock = plans.EVALUATION_CLOCK
        for missed in plans.late_evaluations(
            started_on=plan.start_on, evaluations=plan.evaluations, months=months
        ):
            self._note_breach(plan.breaches, (clock, missed.start), due=missed.due, done=missed.done)
        if plan.end_on is None:
            last = max(plan.evaluations, default=None)
            due = plans.evaluation_due(started_on=plan.start_on, last_evaluated_on=last, months=months)
            start = plan.start_on if last is None else max(plan.start_on, last)
            self._note_breach(plan.breaches, (clock, start), due=due, done=None)

    def _review_conclusion(self, case: CaseRow, day: date) -> str:
        if self.rng.random() < P_REPORT_CLOSED:
            code = self.codes.pick(
                self.rng, paths.REVIEW_CONCLUSION, day, profile="review-closed", weights=REVIEW_CLOSED_WEIGHTS
            )
            if code is not None:
                return code
        if case.ongoing_investigation(day) and self.codes.is_valid(paths.REVIEW_CONCLUSION, "4", day):
            return "4"  # received during an ongoing investigation
        return "2"

    def _review(
        self, case: CaseRow, report: ReportRow, *, days: int | None = None, conclusion: str = ""
    ) -> None:
        due = deadlines.review_due(report.received_on)
        concluded_on = report.received_on + timedelta(days=self._review_days() if days is None else days)
        if concluded_on > self.today:
            report.breach = self._open_breach(due)
            return
        report.concluded_on = concluded_on
        report.reviewed_by = Actor.INTAKE if self.rng.random() < 0.6 else Actor.CASEWORKER
        report.conclusion = conclusion or self._review_conclusion(case, concluded_on)
        if concluded_on > due:
            report.breach = self._breach(due, concluded_on, report.reviewed_by)
        if report.conclusion == "2":
            self._investigate(case, report)

    # -- investigations

    def _investigate(
        self,
        case: CaseRow,
        report: ReportRow,
        *,
        days: int | None = None,
        extended_after: int | None = None,
    ) -> None:
        """``days`` and ``extended_after`` script an investigation; otherwise they are drawn."""
        rng = self.rng
        assert report.concluded_on is not None
        review_on = report.concluded_on
        # Exactly vern.investigations.services.investigation_start_date.
        started_on = min(review_on, deadlines.review_due(report.received_on))
        inv = InvestigationRow(started_on=started_on, register_id=self._uuid())
        report.investigation = inv
        decided_on, concluded_on = self._investigation_dates(
            started_on, review_on, days=days, extended_after=extended_after
        )
        extended = decided_on is not None and decided_on <= self.today
        if extended and decided_on is not None:
            inv.extension = (decided_on, rng.choice(_EXTENSION_REASONS))
        plan_on = review_on + timedelta(days=rng.randint(2, 20))
        if plan_on <= min(concluded_on, self.today):
            inv.plan_made_on, inv.plan_text = plan_on, rng.choice(_PLAN_TEXTS)
        participation_on = review_on + timedelta(days=rng.randint(7, max(7, (concluded_on - review_on).days)))
        participation_on = min(participation_on, concluded_on)
        young = (participation_on - case.child.birth).days < 4 * 365
        profile, weights = ("young", PARTICIPATION_WEIGHTS_YOUNG) if young else ("any", PARTICIPATION_WEIGHTS)
        due = deadlines.investigation_due(started_on, extended=extended)
        if concluded_on > self.today:
            # Open: the participation may already be recorded, but only with a code valid that day,
            # as the service requires.
            if participation_on <= self.today and rng.random() < 0.4:
                code = self.codes.pick(
                    rng, paths.CHILD_PARTICIPATION, participation_on, profile=profile, weights=weights
                )
                if code is not None:
                    inv.participation_code, inv.participation_on = code, participation_on
                    inv.participation_note = rng.choice(_PARTICIPATION_NOTES)
            inv.breach = self._open_breach(due)
            return
        # Concluded. The app requires the child's participation before concluding, but the
        # participation code list only starts on 2026-01-01. Historic investigations get a code from
        # the list anyway (regardless of its validity start) so every concluded investigation looks
        # like one concluded through the app; the register export decides how to report them.
        codes = [c for c in self.codes.everything(paths.CHILD_PARTICIPATION) if weights.get(c, 0) > 0]
        inv.participation_code = rng.choices(codes, weights=[weights[c] for c in codes])[0]
        inv.participation_on = participation_on
        inv.participation_note = rng.choice(_PARTICIPATION_NOTES)
        self._conclude(case, report, inv, concluded_on, due)

    def _investigation_dates(
        self, started_on: date, review_on: date, *, days: int | None, extended_after: int | None
    ) -> tuple[date | None, date]:
        """(extension decided on, if any; planned conclusion, which may lie after today)."""
        rng = self.rng
        ordinary_due = deadlines.investigation_due(started_on, extended=False)
        span = (ordinary_due - review_on).days
        if extended_after is None and days is None and rng.random() < P_INVESTIGATION_EXTENDED:
            # Decided before the ordinary three months run out, as an extension should be.
            extended_after = rng.randint(min(30, span - 2), max(span - 2, 31))
        decided_on = review_on + timedelta(days=extended_after) if extended_after is not None else None
        due = deadlines.investigation_due(started_on, extended=decided_on is not None)
        if days is not None:
            concluded_on = review_on + timedelta(days=days)
        elif rng.random() < P_INVESTIGATION_ON_TIME:
            low = (
                max(ordinary_due - timedelta(days=20), decided_on + timedelta(days=7))
                if decided_on is not None
                else review_on + timedelta(days=14)
            )
            length = (max(low, due) - low).days
            concluded_on = low + timedelta(days=round(rng.triangular(0, length, length * 0.8)))
        else:
            concluded_on = due + timedelta(days=1 + min(int(rng.expovariate(1 / 21)), 150))
        return decided_on, max(concluded_on, review_on)

    def _conclude(
        self, case: CaseRow, report: ReportRow, inv: InvestigationRow, concluded_on: date, due: date
    ) -> None:
        rng = self.rng
        inv.concluded_on = concluded_on
        closed = rng.random() < P_INVESTIGATION_CLOSED
        code = self.codes.pick(
            rng,
            paths.INVESTIGATION_CONCLUSION,
            concluded_on,
            profile="inv-closed" if closed else "inv-kept",
            weights=INVESTIGATION_CLOSED_WEIGHTS if closed else INVESTIGATION_KEPT_WEIGHTS,
        )
        inv.conclusion = code or "3"
        if inv.conclusion in ("1", "2"):
            inv.basis = self._basis(report, concluded_on)
            measures_until = concluded_on + timedelta(days=rng.randint(180, 1500))
            case.measures_until = max(case.measures_until or measures_until, measures_until)
            self.followups.after_investigation(
                case.followup,
                conclusion=inv.conclusion,
                concluded_on=concluded_on,
                opened_on=case.opened_on,
                until=measures_until,
                birth=case.child.birth,
                basis_codes=inv.basis,
                parents=case.parents(),
                investigation=inv.register_id,
            )
        if concluded_on > due:
            inv.breach = self._breach(due, concluded_on, Actor.CASEWORKER)

    def _measure_reason(self, day: date) -> tuple[str, str] | None:
        code = self.codes.pick(
            self.rng, paths.MEASURE_BASIS, day, profile="measure", weights=CONTENT_WEIGHTS, default=1.0
        )
        return None if code is None else (code, self.codes.specification(self.rng, paths.MEASURE_BASIS, code))

    def _basis(self, report: ReportRow, day: date) -> list[tuple[str, str]]:
        """Decision basis for conclusions 1 and 2: mostly the report's own concerns, if still valid."""
        valid = self.codes.valid(paths.INVESTIGATION_BASIS, day)
        basis = [c for c, _spec in report.contents if c in valid][:2]
        want = self.rng.choices((1, 2, 3), (50, 35, 15))[0]
        for _attempt in range(6):
            if len(basis) >= want:
                break
            code = self.codes.pick(
                self.rng,
                paths.INVESTIGATION_BASIS,
                day,
                profile="basis",
                weights=CONTENT_WEIGHTS,
                default=1.0,
            )
            if code is not None and code not in basis:
                basis.append(code)
        return [(c, self.codes.specification(self.rng, paths.INVESTIGATION_BASIS, c)) for c in basis]

    # -- the demo caseworker's deadlines

    def _scripted(self) -> None:
        """Deadlines in every worklist group for the unit's first caseworker, whatever the seed.

        Overdue (with and without a recorded reason), due within 7 days and later: the demo must
        show all of them on any day it is seeded.
        """
        if self.spec.children <= 0:
            return
        today = self.today
        for back, breach in ((9, False), (12, True), (1, False), (6, False)):
            received_on = today - timedelta(days=back)
            case = self._new_case(
                self._new_child(received_on, age=self.rng.randint(2, 15)), received_on, demo=True
            )
            report = self._report(case, received_on)
            # From a school: the reporter is owed feedback within three weeks, not given yet.
            report.reporters, report.feedback_sent_on = [("11", "")], None
            if breach:
                report.breach = self._breach(deadlines.review_due(received_on), today, Actor.CASEWORKER)
        # Investigations: (due relative to today, extended).
        # The first lives at a strictly confidential address, so the demo shows it hidden.
        for due_in, extended, protection in (
            (3, False, AddressProtection.STRICTLY_CONFIDENTIAL),
            (-4, False, None),
            (60, False, None),
            (75, True, None),
        ):
            months = 6 if extended else 3
            started_on = start_for_due(today + timedelta(days=due_in), months)
            received_on = started_on - timedelta(days=2)
            child = self._new_child(received_on, age=self.rng.randint(2, 15), protection=protection)
            case = self._new_case(child, received_on, demo=True)
            report = self._report(case, received_on)
            report.concluded_on = started_on
            report.reviewed_by = Actor.CASEWORKER
            report.conclusion = "2"
            self._investigate(
                case,
                report,
                days=(today - started_on).days + 30,  # still open today
                extended_after=60 if extended else None,
            )

    def _demo_case(
        self, *, received_on: date, birth: date | None = None
    ) -> tuple[CaseRow, date, list[tuple[str, str]]]:
        """A demo case whose investigation concluded with measures decided; its follow-up is scripted."""
        child = self._new_child(received_on, age=self.rng.randint(4, 12), birth=birth)
        case = self._new_case(child, received_on, demo=True)
        report = self._report(case, received_on)
        report.concluded_on, report.reviewed_by, report.conclusion = (
            received_on + timedelta(days=3),
            Actor.CASEWORKER,
            "2",
        )
        self._investigate(case, report, days=60)
        inv = report.investigation
        assert inv is not None
        assert inv.concluded_on is not None
        inv.conclusion, inv.basis = "1", self._basis(report, inv.concluded_on)
        case.followup = FollowUp()
        return case, inv.concluded_on, inv.basis

    def _scripted_followups(self) -> None:
        """Every kind of follow-up deadline for the unit's first caseworker, whatever the seed.

        A foster-home placement with the next follow-up visit due within a week, a supervision visit
        overdue and a late plan evaluation; an emergency decision to send to the county board today and
        one in the board's 48 hours; a
        decision waiting for a leader's approval; a care order without a care plan; and a young person
        with measures who turns 18 in four months and has had no offer of aftercare.
        """
        if self.spec.children <= 0:
            return
        today, rng = self.today, self.rng

        def decide(
            case: CaseRow, basis: Basis, day: date, summary: str, *, approved: bool = True
        ) -> DecisionRow:
            row = DecisionRow(basis, day, summary, rng.choice(_DEMO_VIEWS), register_id=self._uuid())
            if approved:
                row.approved_on = day if approval_needed(basis, day) else None
                row.statuses.append(("1", day))
            case.followup.decisions.append(row)
            return row

        # A care order with a foster-home placement of 14 months.
        case, concluded, basis = self._demo_case(received_on=today - timedelta(days=560))
        care = decide(
            case, Basis("BVL2021", "5", "1"), concluded, "Omsorgsovertakelse med plassering i fosterhjem."
        )
        placed_on = today - timedelta(days=425)
        home = MeasureRow("2.2", True, placed_on, reasons=basis[:1], register_id=self._uuid())
        home.frequencies = [(kind, "4", placed_on) for kind in ("follow_up", "supervision")]
        follow_up_last = months_back(today + timedelta(days=5), 3)
        supervision_last = today - timedelta(days=110)
        for kind, last in (("follow_up", follow_up_last), ("supervision", supervision_last)):
            home.visits += [(kind, months_back(last, 3 * n), None) for n in range(3, 0, -1)] + [
                (kind, last, None)
            ]
        home.visits = [
            (k, d, d + timedelta(days=14) if k == "supervision" else None) for k, d, _r in home.visits
        ]
        home.supervisor = 0
        care.measures.append(home)
        case.followup.plans += [
            PlanRow(
                "4", placed_on + timedelta(days=20), "Omsorgsplan fram til 18 år.", register_id=self._uuid()
            ),
            PlanRow(
                "1",
                today - timedelta(days=240),
                "Mål for skole og samvær.",
                evaluations=[today - timedelta(days=125)],
                register_id=self._uuid(),
            ),
        ]

        # An emergency placement two days ago, sent to the county board yesterday.
        case, concluded, basis = self._demo_case(received_on=today - timedelta(days=200))
        acute = decide(
            case, Basis("BVL2021", "4", "2"), today - timedelta(days=2), "Akuttplassering i beredskapshjem."
        )
        acute.sent_to_board_at = datetime.combine(
            today - timedelta(days=1), datetime.min.time(), tzinfo=OSLO
        ) + timedelta(hours=10)
        acute.measures.append(
            MeasureRow(
                "2.5",
                False,
                acute.decided_on,
                reasons=basis[:1],
                register_id=self._uuid(),
                frequencies=[(k, "4", acute.decided_on) for k in ("follow_up", "supervision")],
            )
        )

        # An emergency decision made this morning, not yet sent to the county board.
        case, concluded, basis = self._demo_case(received_on=today - timedelta(days=180))
        decide(case, Basis("BVL2021", "4", "2"), today, "Akuttvedtak: barnet må flyttes i dag.")

        # A proposed care order waiting for the leader's approval, and a care order without a care plan.
        case, concluded, basis = self._demo_case(received_on=today - timedelta(days=150))
        decide(
            case,
            Basis("BVL2021", "5", "1"),
            today - timedelta(days=1),
            "Forslag om omsorgsovertakelse.",
            approved=False,
        )
        case, concluded, basis = self._demo_case(received_on=today - timedelta(days=300))
        order = decide(case, Basis("BVL2021", "5", "1"), today - timedelta(days=40), "Omsorgsovertakelse.")
        start = today - timedelta(days=12)
        order.measures.append(
            MeasureRow(
                "2.1",
                True,
                start,
                reasons=basis[:1],
                register_id=self._uuid(),
                frequencies=[(k, "4", start) for k in ("follow_up", "supervision")],
            )
        )

        # A young person turning 18 in four months, with help at home and no offer of aftercare yet.
        birth = years_back(today + timedelta(days=120), 18)
        case, concluded, basis = self._demo_case(received_on=today - timedelta(days=500), birth=birth)
        help_ = decide(case, Basis("BVL2021", "3", "1"), concluded, "Råd og veiledning og støttekontakt.")
        help_.measures.append(
            MeasureRow(
                "4.6",
                False,
                concluded + timedelta(days=7),
                reasons=basis[:1],
                consents=[(p, concluded, None) for p in case.parents()],
                register_id=self._uuid(),
            )
        )

    # -- closing cases and staffing the unit

    def _close_cases(self) -> None:
        """A case closes some days after its last conclusion, once any measures have ended."""
        for case in self.cases:
            if case.demo or case.has_open_item():
                continue
            ends = [r.concluded_on for r in case.reports if r.concluded_on is not None]
            ends += [
                r.investigation.concluded_on
                for r in case.reports
                if r.investigation is not None and r.investigation.concluded_on is not None
            ]
            if case.measures_until is not None:
                ends.append(case.measures_until)
            follow = case.followup
            ends += [m.end_on for m in follow.measures() if m.end_on is not None]
            ends += [a.concluded_on for a in follow.aftercare if a.concluded_on is not None]
            closed_on = max(ends) + timedelta(days=self.rng.randint(0, 21))
            if closed_on < self.today:
                case.closed_on = closed_on

    def _users(self) -> list[UserRow]:
        rng = self.rng
        open_cases = [c for c in self.cases if c.closed_on is None and not c.demo]
        count = max(2, math.ceil((len(open_cases) + sum(c.demo for c in self.cases)) / CASES_PER_CASEWORKER))
        rng.shuffle(open_cases)
        for index, case in enumerate(open_cases):
            case.caseworker = index % count
        for case in self.cases:
            if case.demo:
                case.caseworker = 0
            elif case.closed_on is not None:
                case.caseworker = rng.randrange(count)

        def person(username: str, role: str, **extra: Any) -> UserRow:
            female = rng.random() < 0.75  # most child welfare workers are women
            first = rng.choice(self.pools.female if female else self.pools.male)
            return UserRow(username, role, first, rng.choice(self.pools.last), **extra)

        if self.spec.plain_usernames:
            names = ["saksbehandler"] + [f"saksbehandler{i}" for i in range(2, count + 1)]
            intake, leader, auditor = "mottak", "leder", "revisor"
        else:
            names = [f"{self.spec.key}-saksbehandler{i}" for i in range(1, count + 1)]
            intake, leader, auditor = (f"{self.spec.key}-{r}" for r in ("mottak", "leder", "revisor"))
        users = [
            person(name, Role.CASEWORKER, fte="0.80" if i % 5 == 4 else "1.00")
            for i, name in enumerate(names)
        ]
        users.append(person(intake, Role.INTAKE))
        # The leader is the designated person who may see strictly confidential addresses.
        users.append(person(leader, Role.LEADER, sees_protected_addresses=True))
        users.append(person(auditor, Role.AUDITOR))
        return users


# --- Insertion ----------------------------------------------------------------------------------


@dataclass
class SeedSummary:
    municipalities: int = 0
    districts: int = 0
    units: int = 0
    users: int = 0
    children: int = 0
    cases: int = 0
    parties: int = 0
    reports: int = 0
    investigations: int = 0
    extensions: int = 0
    breaches: int = 0
    decisions: int = 0
    measures: int = 0
    plans: int = 0
    visits: int = 0
    aftercare: int = 0
    referrals: int = 0
    seconds: float = 0.0

    def lines(self) -> list[str]:
        return [
            f"municipalities {self.municipalities:>10,}",
            f"districts      {self.districts:>10,}",
            f"units          {self.units:>10,}",
            f"users          {self.users:>10,}",
            f"children       {self.children:>10,}",
            f"cases          {self.cases:>10,}",
            f"parties        {self.parties:>10,}",
            f"reports        {self.reports:>10,}",
            f"investigations {self.investigations:>10,}",
            f"extensions     {self.extensions:>10,}",
            f"breaches       {self.breaches:>10,}",
            f"decisions      {self.decisions:>10,}",
            f"measures       {self.measures:>10,}",
            f"plans          {self.plans:>10,}",
            f"visits         {self.visits:>10,}",
            f"aftercare      {self.aftercare:>10,}",
            f"referrals      {self.referrals:>10,}",
            f"elapsed        {self.seconds:>10.1f} s",
        ]


@contextmanager
def _explicit_timestamps() -> Iterator[None]:
    """Let bulk_create keep the generated registration times instead of the time of seeding.

    ``auto_now_add`` would stamp every synthetic report as registered today; a history registered
    over five years needs its own (seeded, hence deterministic) times.
    """
    fields = [
        ConcernReport._meta.get_field("registered_at"),
        DeadlineExtension._meta.get_field("recorded_at"),
        DecisionApproval._meta.get_field("at"),
        DecisionStatus._meta.get_field("recorded_at"),
    ]
    date_fields = [f for f in fields if isinstance(f, models.DateTimeField)]
    saved = [(f, f.auto_now_add) for f in date_fields]
    for f in date_fields:
        f.auto_now_add = False
    try:
        yield
    finally:
        for f, value in saved:
            f.auto_now_add = value


def _bulk(model: type[models.Model], rows: Sequence[Any]) -> None:
    model._default_manager.bulk_create(rows, batch_size=BATCH_SIZE)


def _create_organisation(org: Organisation, *, admin: User) -> dict[str, Unit]:
    municipalities = [
        Municipality(number=m.number, name=m.name, organisation_number=m.organisation_number)
        for m in org.municipalities
    ]
    _bulk(Municipality, municipalities)
    by_number = {m.number: m for m in municipalities}
    districts: dict[tuple[str, str], District] = {}
    for spec in org.units:
        if spec.district is not None:
            districts[spec.district] = District(
                municipality=by_number[spec.host], number=spec.district[0], name=spec.district[1]
            )
    _bulk(District, list(districts.values()))
    units = [
        Unit(
            name=spec.name,
            kind=spec.kind,
            host_municipality=by_number[spec.host],
            district=districts[spec.district] if spec.district is not None else None,
            organisation_number=spec.organisation_number,
        )
        for spec in org.units
    ]
    _bulk(Unit, units)
    through = Unit.municipalities.through
    _bulk(
        through,
        [
            through(unit_id=unit.pk, municipality_id=by_number[number].pk)
            for spec, unit in zip(org.units, units, strict=True)
            for number in spec.served
        ],
    )
    _bulk(Membership, [Membership(user=admin, unit=unit, role=Role.ADMIN) for unit in units])
    return {spec.key: unit for spec, unit in zip(org.units, units, strict=True)}


# The seeded history spans at most this many years back; each has a population figure.
POPULATION_YEARS = 6
# A comparison group of every service only while it stays small enough to read side by side.
MAX_ALL_SERVICES_GROUP = 40


def _create_report_inputs(org: Organisation, units: dict[str, Unit], *, today: date) -> None:
    """Each service's population 0–17 (the plan's, for every year of the history) and comparison
    groups: a city's districts, and all the services of a small organisation."""
    services = [spec for spec in org.units if spec.kind == Unit.Kind.SERVICE]
    _bulk(
        Population,
        [
            Population(unit=units[spec.key], year=year, children=spec.children, source="syntetisk")
            for spec in services
            for year in range(today.year - POPULATION_YEARS + 1, today.year + 1)
        ],
    )
    names = {m.number: m.name for m in org.municipalities}
    by_host: dict[str, list[Unit]] = defaultdict(list)
    for spec in services:
        by_host[spec.host].append(units[spec.key])
    groups = [(f"{names[host]}: bydelene", members) for host, members in by_host.items() if len(members) > 1]
    if len(by_host) > 1 and len(services) <= MAX_ALL_SERVICES_GROUP:
        groups.append(("Alle barneverntjenester", [units[spec.key] for spec in services]))
    for name, members in groups:
        UnitGroup.objects.create(name=name).units.set(members)
    _create_catalogue(org, units)


# (name, method, kind, target group, ages, register category, capacity, capacity unit, price, price unit,
# evidence). A central agency's specialised measures; a service's own measures where there is none.
AGENCY_MEASURES = (
    (
        "MST-team",
        "mst",
        "structuring",
        "Ungdom med alvorlige atferdsvansker og familien",
        (12, 17),
        "3.1",
        12,
        "places",
        "1450.00",
        "day",
        "documented",
    ),
    (
        "FFT",
        "fft",
        "structuring",
        "Ungdom med atferdsvansker og familien",
        (11, 18),
        "3.3",
        16,
        "places",
        "980.00",
        "day",
        "documented",
    ),
    (
        "Akuttinstitusjon",
        "institution",
        "compensating",
        "Barn og unge som må plasseres akutt",
        (0, 17),
        "1.1",
        8,
        "places",
        "21500.00",
        "day",
        "not_assessed",
    ),
    (
        "Beredskapshjem",
        "foster_home",
        "compensating",
        "Barn som trenger et midlertidig hjem",
        (0, 17),
        "2.5",
        20,
        "places",
        "4200.00",
        "day",
        "not_assessed",
    ),
)
SERVICE_MEASURES = (
    (
        "Hjemmekonsulent",
        "home_consultant",
        "compensating",
        "Familier som trenger praktisk hjelp i hverdagen",
        (0, 17),
        "3.10",
        120,
        "hours_per_month",
        "780.00",
        "hour",
        "grounded",
    ),
    (
        "Familieråd",
        "family_group_conference",
        "structuring",
        "Familier som vil finne løsninger sammen med nettverket",
        (0, 23),
        "6.1",
        4,
        "places",
        "18000.00",
        "assignment",
        "probable",
    ),
    (
        "Trygghetssirkelen (COS)",
        "cos",
        "structuring",
        "Foreldre til barn 0–6 år",
        (0, 6),
        "3.99",
        10,
        "places",
        "650.00",
        "hour",
        "probable",
    ),
)


SERVICE_PREFIX = "Barneverntjenesten i "


def _create_catalogue(org: Organisation, units: dict[str, Unit]) -> None:
    """Every provider publishes its measures; without one, each service publishes its own."""
    providers = [spec for spec in org.units if spec.kind == Unit.Kind.PROVIDER]
    publishers = providers or [spec for spec in org.units if spec.kind == Unit.Kind.SERVICE]
    measures = AGENCY_MEASURES if providers else SERVICE_MEASURES
    _bulk(
        CatalogueEntry,
        [
            CatalogueEntry(
                provider=units[spec.key],
                name=name
                if providers
                else f"{name} ({units[spec.key].name.removeprefix('Barneverntjenesten i ')})",
                method=method,
                kind=kind,
                target_group=target,
                age_from=ages[0],
                age_to=ages[1],
                category=category,
                capacity=capacity,
                capacity_unit=capacity_unit,
                price=Decimal(price),
                price_unit=price_unit,
                evidence_level=evidence,
            )
            for spec in publishers
            for (
                name,
                method,
                kind,
                target,
                ages,
                category,
                capacity,
                capacity_unit,
                price,
                price_unit,
                evidence,
            ) in measures
        ],
    )


class _UnitInserter:
    """Bulk-inserts one unit's plan: users, children and cases, reports, investigations, breaches."""

    def __init__(self, unit: Unit, plan: UnitPlan, *, seed: int, password: str, summary: SeedSummary) -> None:
        self.unit = unit
        self.plan = plan
        self.seed = seed
        self.password = password
        self.summary = summary
        self.caseworker_ids: list[int] = []
        self.role_ids: dict[str, int] = {}
        self.breaches: list[DeadlineBreach] = []

    def run(self) -> None:
        self._users()
        cases = self._cases()
        reports = self._reports(cases)
        self._investigations(reports)
        _FollowUpInserter(self, cases).run()
        _bulk(DeadlineBreach, self.breaches)
        self.summary.breaches += len(self.breaches)

    def _users(self) -> None:
        rows = self.plan.users
        users = [
            User(
                username=u.username,
                first_name=u.first_name,
                last_name=u.last_name,
                password=self.password,
                totp_secret=totp_secret_for(self.seed, u.username),
                totp_confirmed=True,
            )
            for u in rows
        ]
        _bulk(User, users)
        memberships = [
            Membership(
                user_id=user.pk,
                unit_id=self.unit.pk,
                role=row.role,
                fte=row.fte,
                sees_protected_addresses=row.sees_protected_addresses,
            )
            for user, row in zip(users, rows, strict=True)
        ]
        _bulk(Membership, memberships)
        self.caseworker_ids = [
            user.pk for user, row in zip(users, rows, strict=True) if row.role == Role.CASEWORKER
        ]
        self.role_ids = {
            row.role: user.pk for user, row in zip(users, rows, strict=True) if row.role != Role.CASEWORKER
        }
        self.summary.users += len(users)

    def actor_id(self, actor: Actor, case_row: CaseRow) -> int:
        if actor is Actor.CASEWORKER:
            return self.caseworker_ids[case_row.caseworker]
        return self.role_ids[Role.INTAKE if actor is Actor.INTAKE else Role.LEADER]

    def _breach(
        self,
        row: BreachRow,
        clock: str,
        object_id: int,
        case: Case,
        case_row: CaseRow,
        *,
        period_start: date | None = None,
    ) -> None:
        self.breaches.append(
            DeadlineBreach(
                clock=clock,
                object_id=object_id,
                period_start=period_start,
                case_id=case.pk,
                unit_id=self.unit.pk,
                reason=row.reason,
                explanation=row.explanation,
                recorded_by_id=self.actor_id(row.by, case_row),
                recorded_at=row.recorded_at,
            )
        )

    def _cases(self) -> list[tuple[CaseRow, Case]]:
        # Journal numbers in the order the cases were opened, one sequence per year.
        ordered = [
            case for _i, case in sorted(enumerate(self.plan.cases), key=lambda p: (p[1].opened_on, p[0]))
        ]
        sequence: dict[int, int] = {}
        journal: list[str] = []
        for case in ordered:
            year = case.opened_on.year
            sequence[year] = sequence.get(year, 0) + 1
            journal.append(f"{year}/{sequence[year]:06d}")
        children = [
            Child(
                identity_kind=c.child.kind,
                identity_number=c.child.number,
                duf_number=c.child.duf,
                birth_date=c.child.birth,
                gender=c.child.gender,
                first_name=c.child.first_name,
                last_name=c.child.last_name,
                address=c.child.address,
                address_protection=c.child.protection,
            )
            for c in ordered
        ]
        _bulk(Child, children)
        cases = [
            Case(
                unit_id=self.unit.pk,
                child_id=child.pk,
                journal_number=number,
                opened_on=c.opened_on,
                closed_on=c.closed_on,
                caseworker_id=self.caseworker_ids[c.caseworker],
                register_id=c.register_id,
            )
            for c, child, number in zip(ordered, children, journal, strict=True)
        ]
        _bulk(Case, cases)
        parties = [
            Party(
                case_id=case.pk,
                name=p.name,
                relation=p.relation,
                parental_responsibility=p.responsibility,
                identity_number=p.number,
                phone=p.phone,
                address=p.address,
                address_protection=p.protection,
            )
            for c, case in zip(ordered, cases, strict=True)
            for p in c.parties
        ]
        _bulk(Party, parties)
        # The sequences continue from here when the app opens new cases.
        _bulk(
            JournalSequence,
            [JournalSequence(unit_id=self.unit.pk, year=y, last=n) for y, n in sorted(sequence.items())],
        )
        self.summary.children += len(children)
        self.summary.cases += len(cases)
        self.summary.parties += len(parties)
        return list(zip(ordered, cases, strict=True))

    def _reports(
        self, cases: list[tuple[CaseRow, Case]]
    ) -> list[tuple[ReportRow, CaseRow, Case, ConcernReport]]:
        rows = sorted(
            ((r, c, case) for c, case in cases for r in c.reports),
            key=lambda item: item[0].received_at,
        )
        reports = [
            ConcernReport(
                case_id=case.pk,
                received_at=r.received_at,
                channel=r.channel,
                text=r.text,
                registered_by_id=self.actor_id(r.registered_by, c),
                registered_at=r.registered_at,
                review_concluded_on=r.concluded_on,
                review_conclusion=r.conclusion,
                reviewed_by_id=self.actor_id(r.reviewed_by, c) if r.reviewed_by is not None else None,
                feedback_sent_on=r.feedback_sent_on,
                feedback_text="Melder er informert om at meldingen er mottatt." if r.feedback_sent_on else "",
                register_id=r.register_id,
            )
            for r, c, case in rows
        ]
        _bulk(ConcernReport, reports)
        result = [(r, c, case, report) for (r, c, case), report in zip(rows, reports, strict=True)]
        _bulk(
            ReportReporter,
            [
                ReportReporter(report_id=report.pk, code=code, specification=spec)
                for r, _c, _case, report in result
                for code, spec in r.reporters
            ],
        )
        _bulk(
            ReportContent,
            [
                ReportContent(report_id=report.pk, code=code, specification=spec)
                for r, _c, _case, report in result
                for code, spec in r.contents
            ],
        )
        for r, c, case, report in result:
            if r.breach is not None:
                self._breach(r.breach, deadlines.REVIEW.name, report.pk, case, c)
            if r.feedback_breach is not None:
                self._breach(r.feedback_breach, deadlines.REPORTER_FEEDBACK.name, report.pk, case, c)
        self.summary.reports += len(reports)
        return result

    def breaches_of(self, breaches: Breaches, object_id: int, case: Case, case_row: CaseRow) -> None:
        for (clock, period_start), row in breaches.items():
            self._breach(row, clock, object_id, case, case_row, period_start=period_start)

    def _investigations(self, reports: list[tuple[ReportRow, CaseRow, Case, ConcernReport]]) -> None:
        planned = [
            (r.investigation, c, case, report)
            for r, c, case, report in reports
            if r.investigation is not None
        ]
        objects = [
            Investigation(
                case_id=case.pk,
                report_id=report.pk,
                started_on=inv.started_on,
                opened_by_id=self.caseworker_ids[c.caseworker],
                plan_made_on=inv.plan_made_on,
                plan_text=inv.plan_text,
                participation_code=inv.participation_code,
                participation_on=inv.participation_on,
                participation_note=inv.participation_note,
                concluded_on=inv.concluded_on,
                conclusion=inv.conclusion,
                concluded_by_id=self.caseworker_ids[c.caseworker] if inv.concluded_on is not None else None,
                register_id=inv.register_id,
            )
            for inv, c, case, report in planned
        ]
        _bulk(Investigation, objects)
        extensions: list[DeadlineExtension] = []
        basis: list[DecisionBasis] = []
        for (inv, c, case, _report), obj in zip(planned, objects, strict=True):
            if inv.extension is not None:
                decided_on, reason = inv.extension
                extensions.append(
                    DeadlineExtension(
                        investigation_id=obj.pk,
                        decided_on=decided_on,
                        reason=reason,
                        decided_by_id=self.role_ids[Role.LEADER],
                        recorded_at=datetime(
                            decided_on.year, decided_on.month, decided_on.day, 13, tzinfo=OSLO
                        ),
                    )
                )
            basis.extend(
                DecisionBasis(investigation_id=obj.pk, code=code, specification=spec)
                for code, spec in inv.basis
            )
            if inv.breach is not None:
                # The clock keeps its name when extended, as investigation_conclude records it.
                self._breach(inv.breach, deadlines.INVESTIGATION.name, obj.pk, case, c)
        _bulk(DeadlineExtension, extensions)
        _bulk(DecisionBasis, basis)
        self.summary.investigations += len(objects)
        self.summary.extensions += len(extensions)


def _at(day: date, hour: int = 12) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=OSLO)


class _FollowUpInserter:
    """Bulk-inserts what followed the investigations: decisions, measures, plans, visits, aftercare."""

    def __init__(self, unit: _UnitInserter, cases: list[tuple[CaseRow, Case]]) -> None:
        self.unit = unit
        self.cases = cases

    def run(self) -> None:
        unit = self.unit.unit
        leader_id = self.unit.role_ids[Role.LEADER]
        # The synthetic units' delegation rules (followup.approval_needed): BVL2021 chapters 4 and 5.
        _bulk(
            ApprovalRule,
            [
                ApprovalRule(
                    unit_id=unit.pk,
                    law="BVL2021",
                    chapter=chapter,
                    added_by_id=leader_id,
                    added_on=date(2023, 1, 1),
                )
                for chapter in ("4", "5")
            ],
        )
        supervisors = [Supervisor(unit_id=unit.pk, name=name) for name in self.unit.plan.supervisors]
        _bulk(Supervisor, supervisors)
        parties = self._parties()
        self.investigation_ids = dict(
            Investigation.objects.filter(case__unit=unit).values_list("register_id", "pk")
        )
        decisions: list[tuple[DecisionRow, Decision, CaseRow, Case]] = []
        for row, case in self.cases:
            for d in row.followup.decisions:
                decisions.append((d, self._decision(d, case, row), row, case))
        _bulk(Decision, [obj for _d, obj, _r, _c in decisions])
        self._decision_details(decisions, leader_id)
        self._measures(decisions, parties, supervisors)
        self._plans_and_aftercare()

    def _parties(self) -> dict[int, list[int]]:
        """Party ids per case id, in the order of each case's parties."""
        ids: dict[int, list[int]] = {}
        for case_id, party_id in (
            Party.objects.filter(case__unit=self.unit.unit).order_by("pk").values_list("case_id", "pk")
        ):
            ids.setdefault(case_id, []).append(party_id)
        return ids

    def _decision(self, d: DecisionRow, case: Case, row: CaseRow) -> Decision:
        return Decision(
            case_id=case.pk,
            decided_on=d.decided_on,
            investigation_id=self.investigation_ids.get(d.investigation) if d.investigation else None,
            made_by_id=self.unit.caseworker_ids[row.caseworker],
            summary=d.summary,
            child_views=d.child_views,
            needs_approval=approval_needed(d.basis, d.decided_on),
            ended_on=d.ended_on,
            sent_to_board_at=d.sent_to_board_at,
            board_verdict=d.board_verdict,
            board_verdict_on=d.board_verdict_on,
            law=d.basis.law,
            chapter=d.basis.chapter,
            section=d.basis.section,
            paragraphs=d.basis.paragraphs,
            register_id=d.register_id,
        )

    def _decision_details(
        self, decisions: list[tuple[DecisionRow, Decision, CaseRow, Case]], leader_id: int
    ) -> None:
        approvals, statuses, referrals = [], [], []
        by_case: dict[int, list[Decision]] = {}
        for _d, obj, _row, case in decisions:
            by_case.setdefault(case.pk, []).append(obj)
        for d, obj, row, case in decisions:
            maker = self.unit.caseworker_ids[row.caseworker]
            self.unit.breaches_of(d.breaches, obj.pk, case, row)
            if d.approved_on is not None:
                approvals.append(
                    DecisionApproval(
                        decision_id=obj.pk, approved=True, by_id=leader_id, at=_at(d.approved_on, 15)
                    )
                )
            statuses += [
                DecisionStatus(
                    decision_id=obj.pk, code=code, changed_on=day, recorded_by_id=maker, recorded_at=_at(day)
                )
                for code, day in d.statuses
            ]
            if d.referral_on is not None:
                follows = by_case[case.pk][d.follows].pk if d.follows is not None else None
                referrals.append(
                    BoardReferral(
                        case_id=case.pk,
                        sent_on=d.referral_on,
                        decision_id=obj.pk,
                        follows_id=follows,
                        sent_by_id=maker,
                        law=d.basis.law,
                        chapter=d.basis.chapter,
                        section=d.basis.section,
                    )
                )
        _bulk(DecisionApproval, approvals)
        _bulk(DecisionStatus, statuses)
        _bulk(BoardReferral, referrals)
        self.unit.summary.decisions += len(decisions)

    def _measures(
        self,
        decisions: list[tuple[DecisionRow, Decision, CaseRow, Case]],
        parties: dict[int, list[int]],
        supervisors: list[Supervisor],
    ) -> None:
        planned = [(m, obj, row, case) for d, obj, row, case in decisions for m in d.measures]
        measures = [
            Measure(
                case_id=case.pk,
                decision_id=obj.pk,
                category=m.category,
                care_order=m.care_order,
                start_on=m.start_on,
                end_on=m.end_on,
                revocation=m.revocation,
                revocation_specification=m.revocation_specification,
                started_by_id=self.unit.caseworker_ids[row.caseworker],
                law=obj.law,
                chapter=obj.chapter,
                section=obj.section,
                paragraphs=obj.paragraphs,
                register_id=m.register_id,
            )
            for m, obj, row, case in planned
        ]
        _bulk(Measure, measures)
        reasons, consents, frequencies, arrangements, visits, moves = [], [], [], [], [], []
        host = self.unit.unit.host_municipality.number
        for (m, _obj, row, case), measure in zip(planned, measures, strict=True):
            worker = self.unit.caseworker_ids[row.caseworker]
            self.unit.breaches_of(m.breaches, measure.pk, case, row)
            reasons += [MeasureReason(measure_id=measure.pk, code=c, specification=s) for c, s in m.reasons]
            consents += [
                Consent(
                    measure_id=measure.pk,
                    party_id=None if p is None else parties[case.pk][p],
                    given_on=given,
                    withdrawn_on=withdrawn,
                    recorded_by_id=worker,
                )
                for p, given, withdrawn in m.consents
            ]
            frequencies += [
                VisitFrequency(
                    measure_id=measure.pk, kind=kind, code=code, start_on=day, recorded_by_id=worker
                )
                for kind, code, day in m.frequencies
            ]
            if m.category.startswith("2."):
                supervisor = supervisors[m.supervisor].pk if m.supervisor is not None else None
                arrangements.append(
                    SupervisionArrangement(
                        measure_id=measure.pk,
                        municipality_number=host,
                        supervisor_id=supervisor,
                        start_on=m.start_on,
                        recorded_by_id=worker,
                    )
                )
            visits += [
                Visit(
                    measure_id=measure.pk,
                    kind=kind,
                    visited_on=day,
                    report_received_on=report,
                    note=VISIT_NOTES[day.toordinal() % len(VISIT_NOTES)],
                    recorded_by_id=worker,
                )
                for kind, day, report in m.visits
            ]
            if m.relocation is not None:
                moved, reason, destination = m.relocation
                moves.append(
                    Relocation(
                        case_id=case.pk,
                        measure_id=measure.pk,
                        moved_on=moved,
                        reason=reason,
                        destination=destination,
                        recorded_by_id=worker,
                    )
                )
        for model, rows in (
            (MeasureReason, reasons),
            (Consent, consents),
            (VisitFrequency, frequencies),
            (SupervisionArrangement, arrangements),
            (Visit, visits),
            (Relocation, moves),
        ):
            _bulk(model, rows)
        self.unit.summary.measures += len(measures)
        self.unit.summary.visits += len(visits)

    def _plans_and_aftercare(self) -> None:
        planned = [(p, row, case) for row, case in self.cases for p in row.followup.plans]
        plans_ = [
            Plan(
                case_id=case.pk,
                plan_type=p.plan_type,
                start_on=p.start_on,
                end_on=p.end_on,
                summary=p.summary,
                made_by_id=self.unit.caseworker_ids[row.caseworker],
                register_id=p.register_id,
            )
            for p, row, case in planned
        ]
        _bulk(Plan, plans_)
        for (p, row, case), plan in zip(planned, plans_, strict=True):
            self.unit.breaches_of(p.breaches, plan.pk, case, row)
        _bulk(
            PlanEvaluation,
            [
                PlanEvaluation(plan_id=plan.pk, done_on=day, by_id=self.unit.caseworker_ids[row.caseworker])
                for (p, row, _case), plan in zip(planned, plans_, strict=True)
                for day in p.evaluations
            ],
        )
        offers = [
            Aftercare(
                case_id=case.pk,
                offered_on=a.offered_on,
                concluded_on=a.concluded_on,
                conclusion=a.conclusion,
                recorded_by_id=self.unit.caseworker_ids[row.caseworker],
                register_id=a.register_id,
            )
            for row, case in self.cases
            for a in row.followup.aftercare
        ]
        _bulk(Aftercare, offers)
        self.unit.summary.plans += len(plans_)
        self.unit.summary.aftercare += len(offers)


def seed(
    *,
    scale: str,
    seed: int,
    today: date,
    children: int | None = None,
    progress: Callable[[str], None] = lambda _line: None,
) -> SeedSummary:
    """Fill an empty database with synthetic data of the given scale. Raises SeedRefused.

    One transaction for the organisation and one per unit keeps memory and lock time bounded for
    the national scale; a run that fails half-way leaves a non-empty database, which the next run
    refuses (flush and seed again, since only a fresh run is deterministic).
    """
    if scale not in SCALES:
        raise ValueError(f"unknown scale {scale!r}")
    refuse_in_production()
    occupied = database_contents()
    if occupied is not None:
        raise SeedRefused(
            f"Refusing to seed: {occupied}. Seed only an empty database (run `vern flush` first)."
        )
    started = time.monotonic()
    org = build_organisation(scale, seed, children=children)
    summary = SeedSummary(
        municipalities=len(org.municipalities),
        districts=sum(u.district is not None for u in org.units),
        units=len(org.units),
    )
    # Argon2 is deliberately slow: hash the shared demo password once and give every user the hash.
    password = make_password(DEMO_PASSWORD)
    with transaction.atomic():
        admin = User.objects.create(
            username="admin",
            first_name="Admin",
            last_name="Vern",
            password=password,
            is_staff=True,
            totp_secret=totp_secret_for(seed, "admin"),
            totp_confirmed=True,
        )
        units = _create_organisation(org, admin=admin)
        _create_report_inputs(org, units, today=today)
    summary.users = 1
    elapsed = time.monotonic() - started
    progress(f"{len(org.municipalities)} municipalities, {len(org.units)} units ({elapsed:.1f} s)")
    codes = CodeBook()
    pools = NamePools.build(seed)
    used: set[str] = set()
    services = [spec for spec in org.units if spec.kind == Unit.Kind.SERVICE]
    every = 1 if len(services) <= 20 else 20
    for index, spec in enumerate(services, start=1):
        plan = UnitSimulator(
            spec=spec, seed=seed, today=today, codes=codes, pools=pools, used_numbers=used
        ).run()
        with transaction.atomic(), _explicit_timestamps():
            _UnitInserter(units[spec.key], plan, seed=seed, password=password, summary=summary).run()
        if index % every == 0 or index == len(services):
            progress(
                f"{index}/{len(services)} units: {summary.reports:,} reports, {summary.cases:,} cases "
                f"({time.monotonic() - started:.1f} s)"
            )
    summary.referrals = seed_referrals(
        seed=seed, today=today, password=password, totp=lambda username: totp_secret_for(seed, username)
    )
    summary.seconds = time.monotonic() - started
    return summary
