"""Login: password, then TOTP; lockout; session expiry; disabled users' sessions end."""

from __future__ import annotations

import pyotp
import pytest
from django.test import Client
from django.utils import timezone

from tests.conftest import PASSWORD, logged_in
from vern.core.auth import user_disable
from vern.core.models import AuditEntry, User

pytestmark = pytest.mark.django_db


def _enrolled(user: User) -> str:
    secret = pyotp.random_base32()
    user.totp_secret = secret
    user.totp_confirmed = True
    user.save()
    return secret


def test_password_alone_does_not_log_in(caseworker: User) -> None:
    _enrolled(caseworker)
    client = Client()
    response = client.post("/logg-inn/", {"username": "kari", "password": PASSWORD})
    assert response["Location"] == "/logg-inn/kode/"
    assert client.get("/frister/").status_code == 302


def test_password_and_totp_log_in(caseworker: User) -> None:
    secret = _enrolled(caseworker)
    client = Client()
    client.post("/logg-inn/", {"username": "kari", "password": PASSWORD})
    response = client.post("/logg-inn/kode/", {"code": pyotp.TOTP(secret).now()})
    assert response.status_code == 302
    assert client.get("/frister/").status_code == 200
    assert AuditEntry.objects.filter(user=caseworker, action="login").exists()


def test_totp_code_cannot_be_replayed(caseworker: User) -> None:
    secret = _enrolled(caseworker)
    code = pyotp.TOTP(secret).now()
    first = Client()
    first.post("/logg-inn/", {"username": "kari", "password": PASSWORD})
    first.post("/logg-inn/kode/", {"code": code})
    second = Client()
    second.post("/logg-inn/", {"username": "kari", "password": PASSWORD})
    response = second.post("/logg-inn/kode/", {"code": code})
    assert response.status_code == 400
    assert "allerede brukt" in response.content.decode()


def test_first_login_enrols_second_factor(caseworker: User) -> None:
    client = Client()
    response = client.post("/logg-inn/", {"username": "kari", "password": PASSWORD})
    assert response["Location"] == "/logg-inn/tofaktor/"
    page = client.get("/logg-inn/tofaktor/")
    assert b"<svg" in page.content
    caseworker.refresh_from_db()
    response = client.post("/logg-inn/tofaktor/", {"code": pyotp.TOTP(caseworker.totp_secret).now()})
    assert response.status_code == 302
    caseworker.refresh_from_db()
    assert caseworker.totp_confirmed


def test_wrong_password_message_does_not_reveal_user(caseworker: User) -> None:
    known = Client().post("/logg-inn/", {"username": "kari", "password": "wrong"})
    unknown = Client().post("/logg-inn/", {"username": "nobody", "password": "wrong"})
    assert known.status_code == unknown.status_code == 400
    assert "Feil brukernavn eller passord" in known.content.decode()
    assert "Feil brukernavn eller passord" in unknown.content.decode()


def test_lockout_after_repeated_failures(caseworker: User, settings: object) -> None:
    _enrolled(caseworker)
    for _ in range(5):
        Client().post("/logg-inn/", {"username": "kari", "password": "wrong"})
    caseworker.refresh_from_db()
    assert caseworker.is_locked()
    response = Client().post("/logg-inn/", {"username": "kari", "password": PASSWORD})
    assert response.status_code == 400
    assert "låst" in response.content.decode()


def test_wrong_totp_counts_toward_lockout(caseworker: User) -> None:
    _enrolled(caseworker)
    client = Client()
    client.post("/logg-inn/", {"username": "kari", "password": PASSWORD})
    for _ in range(5):
        client.post("/logg-inn/kode/", {"code": "000000"})
    caseworker.refresh_from_db()
    assert caseworker.is_locked()


def test_disabled_user_session_ends(caseworker: User, admin_user: User) -> None:
    client = logged_in(caseworker)
    assert client.get("/frister/").status_code == 200
    user_disable(user=caseworker, by=admin_user)
    assert client.get("/frister/").status_code == 302


def test_session_without_second_factor_is_ended(caseworker: User) -> None:
    client = Client()
    client.force_login(caseworker)
    response = client.get("/frister/")
    assert response.status_code == 302
    assert response["Location"] == "/logg-inn/"


def test_sessions_expire(settings: object) -> None:
    from django.conf import settings as dj

    assert dj.SESSION_COOKIE_AGE <= 60 * 60
    assert dj.SESSION_EXPIRE_AT_BROWSER_CLOSE


def test_production_hashes_passwords_with_argon2() -> None:
    # The test run swaps in a fast hasher (conftest); the configured one is argon2 alone.
    from vern import settings as configured

    assert configured.PASSWORD_HASHERS == ["django.contrib.auth.hashers.Argon2PasswordHasher"]


def test_lock_expires(caseworker: User) -> None:
    caseworker.locked_until = timezone.now() - timezone.timedelta(seconds=1)
    caseworker.save()
    assert not caseworker.is_locked()
