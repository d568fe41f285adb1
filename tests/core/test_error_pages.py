"""Error pages (400, 403, 404, 500 and a refused form) are Norwegian, styled, and show the way back."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.conftest import logged_in
from vern.core.models import User

pytestmark = pytest.mark.django_db

HEADINGS = {
    "/feil/400/": (400, "Ugyldig forespørsel"),
    "/feil/403/": (403, "Ingen tilgang"),
    "/finnes-ikke/": (404, "Ikke funnet"),
    "/feil/500/": (500, "Noe gikk galt"),
}


def _assert_error_page(html: str, status: int, heading: str) -> None:
    assert f">{heading}</h1>" in html
    assert "designsystemet" in html  # styled like every other page, not Django's bare page
    assert 'href="/">Gå til forsiden</a>' in html
    assert f"Feilkode {status}" in html
    for english in ("Server Error", "Not Found", "Forbidden", "Bad Request"):
        assert english not in html


@pytest.mark.urls("tests.core.error_urls")
@pytest.mark.parametrize("url", list(HEADINGS))
def test_error_pages_are_norwegian_with_a_way_back(url: str, caseworker: User) -> None:
    client = logged_in(caseworker)
    client.raise_request_exception = False
    response = client.get(url)
    status, heading = HEADINGS[url]
    assert response.status_code == status
    html = response.content.decode()
    _assert_error_page(html, status, heading)
    if status != 500:  # the 500 page is drawn without the request, so without the menu
        assert "Logg ut" in html


@pytest.mark.urls("tests.core.error_urls")
def test_error_page_without_login_has_no_menu() -> None:
    client = Client(raise_request_exception=False)
    response = client.get("/feil/500/")
    assert response.status_code == 500
    _assert_error_page(response.content.decode(), 500, "Noe gikk galt")


def test_a_form_sent_from_a_stale_page_is_explained() -> None:
    response = Client(enforce_csrf_checks=True).post("/logg-inn/", {"username": "x", "password": "y"})
    assert response.status_code == 403
    _assert_error_page(response.content.decode(), 403, "Skjemaet kunne ikke sendes")
