"""Login: password (argon2), then a TOTP code, for every user. Lockout after repeated failures."""

from __future__ import annotations

import hmac
import time
from datetime import timedelta

import pyotp
from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.sessions.models import Session
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from vern.core.audit import audit
from vern.core.audit_events import AuditEvent
from vern.core.models import User

TOTP_STEP_SECONDS = 30
# Accept the previous and next 30-second step: phones' clocks drift.
TOTP_WINDOW = 1


class LoginRefused(Exception):
    """The login cannot go on; the message is safe to show (it never says whether the user exists)."""


def _register_failure(user: User | None, step: str) -> None:
    with transaction.atomic():
        if user is not None:
            user.failed_logins += 1
            if user.failed_logins >= settings.VERN_LOCKOUT_FAILURES:
                user.locked_until = timezone.now() + timedelta(minutes=settings.VERN_LOCKOUT_MINUTES)
                user.failed_logins = 0
            user.save(update_fields=["failed_logins", "locked_until"])
        audit(event=AuditEvent.USER_LOGIN_FAILED, by=user, obj=user, extra={"step": step})


def check_password_step(request: HttpRequest, username: str, password: str) -> User:
    """First factor. Returns the user; raises LoginRefused with a message for the page."""
    known = User.objects.filter(username=username).first()
    if known is not None and known.is_locked():
        raise LoginRefused("locked")
    user = authenticate(request, username=username, password=password)
    if not isinstance(user, User):
        _register_failure(known, "password")
        raise LoginRefused("invalid")
    return user


def new_totp_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(user: User) -> str:
    return pyotp.TOTP(user.totp_secret).provisioning_uri(name=user.username, issuer_name="Vern")


def _matching_step(secret: str, code: str, now: float) -> int | None:
    totp = pyotp.TOTP(secret)
    current = int(now // TOTP_STEP_SECONDS)
    for step in range(current - TOTP_WINDOW, current + TOTP_WINDOW + 1):
        if hmac.compare_digest(totp.at(step * TOTP_STEP_SECONDS), code):
            return step
    return None


def check_totp_step(user: User, code: str, *, now: float | None = None) -> None:
    """Second factor. A code is accepted once (replay protection); failures count toward lockout."""
    if user.is_locked():
        raise LoginRefused("locked")
    code = code.strip().replace(" ", "")
    step = (
        _matching_step(user.totp_secret, code, time.time() if now is None else now)
        if user.totp_secret
        else None
    )
    if step is None or step <= user.totp_last_step:
        _register_failure(user, "totp")
        raise LoginRefused("invalid_code")
    with transaction.atomic():
        user.totp_last_step = step
        user.totp_confirmed = True
        user.failed_logins = 0
        user.save(update_fields=["totp_last_step", "totp_confirmed", "failed_logins"])
        audit(event=AuditEvent.USER_LOGGED_IN, by=user, obj=user)


def user_disable(*, user: User, by: User) -> None:
    """Disable a user and end every session they have."""
    with transaction.atomic():
        user.is_active = False
        user.save(update_fields=["is_active"])
        for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
            if str(session.get_decoded().get("_auth_user_id")) == str(user.pk):
                session.delete()
        audit(event=AuditEvent.USER_DISABLED, by=by, obj=user)
