"""Every authenticated request must have passed the second factor in this session."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

SECOND_FACTOR_KEY = "vern_second_factor"


class SecondFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated and (not user.is_active or not request.session.get(SECOND_FACTOR_KEY)):
            # A session logged in without the second factor, or of a user since disabled: end it.
            logout(request)
            return redirect("core:login")
        return self.get_response(request)
