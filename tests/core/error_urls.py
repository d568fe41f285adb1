"""Vern's URLs plus views that fail on purpose, for the error-page tests."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.http import HttpRequest, HttpResponse
from django.urls import path

from vern.urls import urlpatterns as vern_urlpatterns


@login_not_required
def _fails(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a bug")


def _suspicious(request: HttpRequest) -> HttpResponse:
    raise SuspiciousOperation("bad input")


def _denied(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied


urlpatterns = [
    path("feil/500/", _fails),
    path("feil/400/", _suspicious),
    path("feil/403/", _denied),
    *vern_urlpatterns,
]
