"""Cross-cutting view helpers: run a service, turn its ValidationError into form errors."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest

T = TypeVar("T")


def run_service(form: forms.Form, call: Callable[[], T]) -> T | None:
    """Run a domain function for a valid form; on a domain error, attach it to the form and return None.

    The service raised before or inside its transaction, so nothing was saved.
    """
    try:
        return call()
    except ValidationError as exc:
        for message in exc.messages:
            form.add_error(None, message)
        return None


def post_or_none(request: HttpRequest, prefix: str) -> dict[str, str] | None:
    """The POST data if this form (by its submit button's prefix) was the one submitted."""
    if request.method == "POST" and request.POST.get("form") == prefix:
        return request.POST
    return None
