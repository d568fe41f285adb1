"""Cross-cutting view helpers: run a service, turn its ValidationError into form errors."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any, TypeVar

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect

from vern.core.models import Unit, User

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise

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


@dataclass(frozen=True)
class Action:
    """One form on a page and the domain function it calls.

    ``form`` builds the form from the POST data (or None when another form was sent) and a ``prefix``
    (the action's name, so fields of several forms on one page have distinct names and ids);
    ``perform`` receives the valid form and calls one service; ``done`` is the message on success;
    ``allowed`` says whether this user may use the form at all.
    """

    form: Callable[..., forms.Form]
    perform: Callable[[Any], object]
    done: str | StrPromise
    allowed: bool = True


def handle_actions(
    request: HttpRequest, actions: Mapping[str, Action], *, allowed: bool = True
) -> tuple[dict[str, forms.Form], HttpResponse | None]:
    """Bind the forms the user may use; on a POST run the one that was sent.

    Returns those forms for the page and, when the action succeeded, the redirect back to the page
    (post/redirect/get). A POST of a form the user may not use is a 404, as for reads.
    """
    usable = {name: a for name, a in actions.items() if a.allowed and allowed}
    bound = {name: action.form(post_or_none(request, name), prefix=name) for name, action in usable.items()}
    if request.method != "POST":
        return bound, None
    sent = request.POST.get("form", "")
    if sent not in usable:
        raise Http404
    action, form = usable[sent], bound[sent]
    if form.is_valid() and run_service(form, partial(action.perform, form)) is not None:
        messages.success(request, str(action.done))
        return bound, redirect(request.get_full_path())
    return bound, None


def any_errors(forms_: Mapping[str, forms.Form]) -> bool:
    return any(form.errors for form in forms_.values())


def request_user(request: HttpRequest) -> User:
    """The logged-in user (LoginRequiredMiddleware lets no anonymous request reach a view)."""
    assert isinstance(request.user, User)
    return request.user


def chosen_unit(request: HttpRequest, roles: Iterable[str]) -> tuple[Unit, QuerySet[Unit]]:
    """The unit a leader's page is about (``?enhet=``, else the first), among the user's units with
    one of ``roles``; 404 when there is none."""
    from vern.core.access import units_with_role

    units = Unit.objects.filter(pk__in=units_with_role(request_user(request), roles)).order_by("name")
    unit = units.filter(pk=request.GET.get("enhet") or 0).first() or units.first()
    if unit is None:
        raise Http404
    return unit, units


def attachment(data: bytes, content_type: str, name: str) -> HttpResponse:
    """A download: ``data`` saved by the browser as ``name``."""
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
