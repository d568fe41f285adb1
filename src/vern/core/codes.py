"""Register codes: checking them, and showing them to people in words.

A code is stored as the register knows it ("2", "2.2", "1.1.01"); a person never reads it as such.
``text`` gives the words a caseworker uses, everywhere a code is shown (pages, chronology, form
options, reports, PDFs): the register's label (``label``) without the register's own instructions
("(krever presisering)", "(tidligere BVL1992 § 4-5)", "(gjelder …)"), or, where that label is
register jargon, a plain text of our own (``PLAIN``). The register's label stays available for the
pages that show it beside the plain text (the template filter ``code_label``).

Labels are read from ``core.Code`` once per process (a few hundred rows): the code lists change only
with Vern's bundled ``Kodelister.md``, loaded by a migration or ``vern load_code_lists``, both of
which clear this cache, as does any save of a ``Code``.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext as _

from vern.core.codelists import paths
from vern.core.models import Code

# Plain words for codes whose register label is jargon or an instruction to the one reporting.
PLAIN: dict[str, dict[str, str]] = {
    paths.REPORTER: {"5": "Barnevernstjenesten"},  # the code list spells it "Barnvernstjenesten"
    paths.REVIEW_CONCLUSION: {
        "2": "Undersøkelse startes",
        "3": "Henlagt fordi barnet allerede har tiltak",
        "4": "Tatt inn i en undersøkelse som pågår",
        "9": "Henlagt fordi saken hører under en annen lov",
    },
    paths.INVESTIGATION_CONCLUSION: {
        "1": "Tjenesten fatter vedtak om tiltak",
        "2": "Saken sendes til barneverns- og helsenemnda",
        "3": "Henlagt: vilkårene for tiltak er ikke oppfylt",
        "4": "Henlagt: foreldrene eller barnet samtykker ikke til hjelpetiltak",
        "5": "Henlagt fordi barnet har flyttet",
        "6": "Henlagt: henvist til en annen instans",
        "7": "Henlagt fordi barnet har flyttet til utlandet",
        "8": "Henlagt fordi barnet har flyttet til ukjent sted",
        "9": "Henlagt fordi barnet har flyttet til en annen kommune",
    },
    paths.PLAN_TYPE: {
        "1": "Tiltaksplan (§ 8-1)",
        "2": "Tiltaksplan (§ 8-4)",
        "3": "Foreløpig omsorgsplan (gammel lov)",
        "4": "Omsorgsplan (§ 8-3)",
        "5": "Tiltaksplan for ettervern (§ 8-5)",
        "6": "Samværsplan (§ 7-6)",
        "7": "Undersøkelsesplan (§ 2-2)",
        "8": "Undersøkelsesplan etter akuttvedtak (§ 8-2)",
    },
    paths.MEASURE_CATEGORY: {
        "3.6": "Marte Meo",
        "6.2": "Nettverksmøter",
        "8.2": "Bolig med oppfølging (også bofellesskap)",
    },
    paths.DECISION_STATUS: {
        "2": "Begjæring sendt til barneverns- og helsenemnda",
        "3": "Bortfalt etter barnevernsloven",
        "4": "Avslått eller avsluttet",
    },
    paths.CLAIM_CONCLUSION: {
        "1": "Sendt til barneverns- og helsenemnda",
        "9": "Annet",
    },
    paths.AFTERCARE_CONCLUSION: {
        "1": "Tilbudet er tatt imot",
        "2": "Tilbudet er avslått: ønsker et annet tiltak",
        "3": "Ønsker ikke lenger tiltak",
    },
}

# The lists by the names templates use: ``{{ plan.plan_type|code:"plan_type" }}``.
LISTS: dict[str, str] = {
    name.lower(): value for name, value in vars(paths).items() if name.isupper() and isinstance(value, str)
}

NEEDS_SPECIFICATION = "krever presisering"

# The register's notes to the one reporting, taken out of the words a person reads.
_REGISTER_NOTES = re.compile(
    r"\s*\((?:tidligere [^)]*|krever presisering|[Gg]jelder [^)]*|[Dd]enne kategorien [^)]*|"
    r"kategorien gjelder [^)]*)\)\.?"
)


@cache
def _labels() -> dict[str, dict[str, str]]:
    labels: dict[str, dict[str, str]] = {}
    for list_path, code, text in Code.objects.values_list("list_path", "code", "label"):
        labels.setdefault(list_path, {})[code] = text
    return labels


def forget(**_kwargs: Any) -> None:
    """Read the labels from the database again (after the code lists changed)."""
    _labels.cache_clear()


post_save.connect(forget, sender=Code, dispatch_uid="vern.core.codes.forget.save")
post_delete.connect(forget, sender=Code, dispatch_uid="vern.core.codes.forget.delete")


def label(list_path: str, code: str) -> str:
    """The register's own label of ``code`` (the code itself if the list does not have it)."""
    return _labels().get(list_path, {}).get(code, code)


def text(list_path: str, code: str | None) -> str:
    """The code in the words a caseworker uses (see the module's docstring); "" for no code."""
    if not code:
        return ""
    plain = PLAIN.get(list_path, {}).get(code)
    if plain is not None:
        return plain
    return _REGISTER_NOTES.sub("", label(list_path, code)).strip()


def needs_specification(list_path: str, code: str) -> bool:
    return NEEDS_SPECIFICATION in label(list_path, code)


def _usable(list_path: str, day: date) -> QuerySet[Code]:
    """The codes of the list that may be recorded on ``day``. A code without a start of validity is
    a heading over the codes under it (Tiltak/Kategori "1 Institusjoner" over 1.1, 1.2 and 1.99),
    which the register's XSD does not accept."""
    return Code.objects.filter(list_path=list_path).valid_on(day).exclude(valid_from__isnull=True)


Choices = list[tuple[str, str]]


def choices_valid_on(
    list_path: str, day: date, *, exclude: Collection[str] = ()
) -> list[tuple[str, str]] | list[tuple[str, Choices]]:
    """The codes a form offers on ``day``, in words, saying which ones need a specification; in
    groups under their headings where the list has headings."""
    headings = dict(
        Code.objects.filter(list_path=list_path, valid_from__isnull=True).values_list("sort_key", "code")
    )
    usable = _usable(list_path, day).exclude(code__in=exclude).order_by("sort_key")
    if not headings:
        return [(c, _choice(list_path, c)) for c in usable.values_list("code", flat=True)]
    groups: dict[str, Choices] = {}
    for sort_key, c in usable.values_list("sort_key", "code"):
        heading = max((k for k in headings if k < sort_key), default=None)
        group = text(list_path, headings[heading]) if heading is not None else ""
        groups.setdefault(group, []).append((c, _choice(list_path, c)))
    return list(groups.items())


def _choice(list_path: str, code: str) -> str:
    words = text(list_path, code)
    return f"{words} ({NEEDS_SPECIFICATION})" if needs_specification(list_path, code) else words


def require_valid(list_path: str, codes: Iterable[str], day: date) -> None:
    """Raise ValidationError unless every code exists in the list and may be recorded on ``day``."""
    wanted = set(codes)
    valid = set(_usable(list_path, day).filter(code__in=wanted).values_list("code", flat=True))
    invalid = sorted(wanted - valid)
    if invalid:
        raise ValidationError(
            _("“%(codes)s” cannot be used on %(day)s.")
            % {"codes": "”, “".join(text(list_path, c) for c in invalid), "day": f"{day:%d.%m.%Y}"}
        )


@dataclass(frozen=True)
class CodedEntry:
    code: str
    specification: str = ""


def require_specifications(list_path: str, entries: Sequence[CodedEntry]) -> None:
    """Codes labelled "krever presisering" need a specification (register Melder/Saksinnhold kontroll 2)."""
    missing = [
        e.code for e in entries if needs_specification(list_path, e.code) and not e.specification.strip()
    ]
    if missing:
        raise ValidationError(
            _("“%(codes)s” needs a specification.")
            % {"codes": "”, “".join(text(list_path, c) for c in missing)}
        )
