"""Login pages: password, then TOTP (with enrolment the first time)."""

from __future__ import annotations

import time

import segno
from django import forms
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from vern.core import auth
from vern.core.middleware import SECOND_FACTOR_KEY
from vern.core.models import User

PENDING_KEY = "vern_pending_user"
PENDING_AT_KEY = "vern_pending_at"
# The password step is only good for a few minutes.
PENDING_SECONDS = 300

REFUSALS = {
    "invalid": gettext_lazy("Wrong username or password."),
    "locked": gettext_lazy(
        "The account is temporarily locked after too many failed attempts. Try again later."
    ),
    "invalid_code": gettext_lazy("The code is wrong or already used. Use the next code from the app."),
}


class LoginForm(forms.Form):
    username = forms.CharField(label=gettext_lazy("Username"), max_length=150)
    password = forms.CharField(label=gettext_lazy("Password"), widget=forms.PasswordInput)


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code from the authenticator app"),
        max_length=10,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


@login_not_required
@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    form = LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = auth.check_password_step(
                request, form.cleaned_data["username"], form.cleaned_data["password"]
            )
        except auth.LoginRefused as refusal:
            form.add_error(None, REFUSALS[str(refusal)])
        else:
            request.session.cycle_key()
            request.session[PENDING_KEY] = user.pk
            request.session[PENDING_AT_KEY] = time.time()
            if not user.totp_confirmed:
                return redirect("core:enrol")
            return redirect("core:totp")
    return render(request, "core/login.html", {"form": form}, status=400 if form.errors else 200)


def _pending_user(request: HttpRequest) -> User | None:
    user_id = request.session.get(PENDING_KEY)
    started = request.session.get(PENDING_AT_KEY, 0)
    if user_id is None or time.time() - float(started) > PENDING_SECONDS:
        return None
    return User.objects.filter(pk=user_id, is_active=True).first()


def _finish_second_factor(request: HttpRequest, user: User, form: forms.Form) -> HttpResponse | None:
    try:
        auth.check_totp_step(user, form.cleaned_data["code"])
    except auth.LoginRefused as refusal:
        form.add_error(None, REFUSALS[str(refusal)])
        return None
    request.session.pop(PENDING_KEY, None)
    request.session.pop(PENDING_AT_KEY, None)
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    request.session[SECOND_FACTOR_KEY] = True
    return redirect("home")


@login_not_required
@require_http_methods(["GET", "POST"])
def totp_view(request: HttpRequest) -> HttpResponse:
    user = _pending_user(request)
    if user is None:
        return redirect("core:login")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = _finish_second_factor(request, user, form)
        if done is not None:
            return done
    return render(request, "core/totp.html", {"form": form}, status=400 if form.errors else 200)


@login_not_required
@require_http_methods(["GET", "POST"])
def enrol_view(request: HttpRequest) -> HttpResponse:
    """First login: show the TOTP secret as a QR code; the first valid code confirms it."""
    user = _pending_user(request)
    if user is None or user.totp_confirmed:
        return redirect("core:login")
    if not user.totp_secret:
        user.totp_secret = auth.new_totp_secret()
        user.save(update_fields=["totp_secret"])
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = _finish_second_factor(request, user, form)
        if done is not None:
            return done
    uri = auth.provisioning_uri(user)
    qr_svg = segno.make(uri, error="m").svg_inline(scale=4, title=_("QR code for the authenticator app"))
    return render(
        request,
        "core/enrol.html",
        {"form": form, "qr_svg": qr_svg, "secret": user.totp_secret},
        status=400 if form.errors else 200,
    )


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("core:login")


def home(request: HttpRequest) -> HttpResponse:
    """The first page of the user's menu: the page of their work."""
    from vern.core.context_processors import menu_for, user_work
    from vern.core.views import request_user

    menu = menu_for(user_work(request_user(request).pk))
    if menu:
        return redirect(menu[0].url)
    return render(request, "core/home.html")
