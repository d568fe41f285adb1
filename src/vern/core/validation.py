"""Checks every service shares: rule functions' violations as ValidationErrors, dates not ahead."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TypeVar

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from vern.core.dates import today
from vern.rules import RuleViolation

T = TypeVar("T")


def enforce(call: Callable[..., T], *args: object, **kwargs: object) -> T:
    """Call a rule function; its RuleViolation (a Norwegian message) becomes a ValidationError."""
    try:
        return call(*args, **kwargs)
    except RuleViolation as exc:
        raise ValidationError(str(exc)) from exc


def require_not_future(day: date, what: str) -> None:
    """``what`` names the date in the message, e.g. "The decision date"."""
    if day > today():
        raise ValidationError(_("%(field)s cannot be in the future.") % {"field": what})
