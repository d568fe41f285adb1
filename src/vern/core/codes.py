"""Looking up and checking register codes against the code lists in the database."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from vern.core.models import Code


def choices_valid_on(list_path: str, day: date) -> list[tuple[str, str]]:
    return [
        (c.code, f"{c.code} {c.label}")
        for c in Code.objects.filter(list_path=list_path).valid_on(day).order_by("sort_key")
    ]


def require_valid(list_path: str, codes: Iterable[str], day: date) -> None:
    """Raise ValidationError unless every code exists in the list and is valid on ``day``."""
    wanted = set(codes)
    valid = set(
        Code.objects.filter(list_path=list_path, code__in=wanted).valid_on(day).values_list("code", flat=True)
    )
    invalid = sorted(wanted - valid)
    if invalid:
        raise ValidationError(
            _("Code %(codes)s is not valid on %(day)s.")
            % {"codes": ", ".join(invalid), "day": day.isoformat()}
        )


def label(list_path: str, code: str) -> str:
    found = Code.objects.filter(list_path=list_path, code=code).values_list("label", flat=True).first()
    return found or code


@dataclass(frozen=True)
class CodedEntry:
    code: str
    specification: str = ""


def require_specifications(list_path: str, entries: Sequence[CodedEntry]) -> None:
    """Codes labelled "krever presisering" need a specification (register Melder/Saksinnhold kontroll 2)."""
    needing = set(
        Code.objects.filter(
            list_path=list_path, code__in=[e.code for e in entries], label__icontains="krever presisering"
        ).values_list("code", flat=True)
    )
    missing = [e.code for e in entries if e.code in needing and not e.specification.strip()]
    if missing:
        raise ValidationError(_("Code %(codes)s requires a specification.") % {"codes": ", ".join(missing)})
