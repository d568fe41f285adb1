"""The HTTP endpoint, the public form, intake's quarantine, and the feedback owed to professionals."""

from __future__ import annotations

import hashlib
import json
from datetime import timedelta
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from tests.conftest import logged_in, make_user
from tests.intake.conftest import EXAMPLES, PRIVATE, form_data
from vern.core.dates import today
from vern.core.models import Role, Unit
from vern.intake.digital import messages
from vern.intake.models import ConcernReport, InboundMessage, IngestClient, Receipt
from vern.intake.services import report_record_feedback
from vern.worklists.selectors import REPORTER_FEEDBACK, CaseScope, open_deadlines

pytestmark = pytest.mark.django_db
TOKEN = "a-test-token-for-the-national-form"


@pytest.fixture
def api(bergenhus: Unit) -> Client:
    IngestClient.objects.create(name="KS Fiks", token_sha256=hashlib.sha256(TOKEN.encode()).hexdigest())
    return Client(HTTP_AUTHORIZATION=f"Bearer {TOKEN}")


def post(client: Client, body: bytes, **headers: str) -> Any:
    return client.post("/api/bekymringsmeldinger/", body, content_type="application/json", headers=headers)


def test_api_accepts_a_message_and_answers_with_its_receipt(api: Client) -> None:
    body = (EXAMPLES / "offentligBekymringsmeldingV2.json").read_bytes()
    response = post(api, body, **{"X-Meldingstype": messages.PUBLIC_V2, "X-Melding-Id": "m-1"})
    assert response.status_code == 200
    assert response.json()["meldingstype"] == messages.RECEIVED
    assert response.json()["svarPaMelding"] == "m-1"
    assert ConcernReport.objects.count() == 2
    assert Receipt.objects.get().sent_at is not None
    again = post(api, body, **{"X-Meldingstype": messages.PUBLIC_V2, "X-Melding-Id": "m-1"})
    assert again.status_code == 200
    assert ConcernReport.objects.count() == 2


def test_api_answers_feilet_for_an_invalid_message(api: Client) -> None:
    response = post(api, b'{"kommunenummer": "1201"}', **{"X-Meldingstype": messages.PRIVATE_V2})
    assert response.status_code == 422
    assert response.json()["meldingstype"] == messages.FAILED
    assert "mangler feltet" in response.json()["melding"]
    assert InboundMessage.objects.get().status == InboundMessage.Status.QUARANTINED


@pytest.mark.parametrize("header", [None, "Bearer wrong", "Basic eA=="])
def test_api_refuses_without_a_valid_token_and_stores_nothing(bergenhus: Unit, header: str | None) -> None:
    client = Client(HTTP_AUTHORIZATION=header) if header else Client()
    response = post(client, (EXAMPLES / "privatBekymringsmeldingV2.json").read_bytes())
    assert response.status_code == 401
    assert not InboundMessage.objects.exists()


def test_disabled_client_is_refused(api: Client) -> None:
    call_command("ingest_client", "KS Fiks", disable=True)
    assert post(api, (EXAMPLES / "privatBekymringsmeldingV2.json").read_bytes()).status_code == 401


def test_public_form_makes_the_same_message_as_the_national_form(bergenhus: Unit) -> None:
    client = Client()
    assert client.get("/bekymringsmelding/").status_code == 200
    response = client.post("/bekymringsmelding/", form_data())
    assert response.status_code == 302
    stored = InboundMessage.objects.get()
    assert stored.source == InboundMessage.Source.FORM
    assert stored.message_type == messages.PUBLIC_V2
    assert isinstance(
        messages.parse(bytes(stored.body), message_type=messages.PUBLIC_V2, today=today()),
        messages.ConcernMessage,
    )
    report = ConcernReport.objects.get()
    assert report.case.child.identity_number == "28071364498"
    assert report.owes_feedback
    receipt = client.get(response["Location"]).content.decode()
    assert stored.reference in receipt


def test_private_reporter_needs_no_work_details(bergenhus: Unit) -> None:
    data = form_data(**PRIVATE)
    assert Client().post("/bekymringsmelding/", data).status_code == 302
    stored = InboundMessage.objects.get()
    assert stored.message_type == messages.PRIVATE_V2
    assert not ConcernReport.objects.get().owes_feedback


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"barn-0-identity_number": "28071364499"}, "kontrollsifrene"),
        ({"melder-email": ""}, "Oppgi e-postadressen"),
        ({"barn-0-name": ""}, "Oppgi barnets navn"),
        (
            {
                "barn-0-name": "",
                "barn-0-identity_number": "",
                "barn-0-address": "",
                "barn-0-informed": "",
                "barn-0-not_informed_because": "",
            },
            "minst ett barn",
        ),
        ({"melder-concern": ""}, "Feltet er påkrevet"),
    ],
)
def test_public_form_bad_input_is_refused_in_norwegian_and_nothing_stored(
    bergenhus: Unit, changes: dict[str, str], error: str
) -> None:
    response = Client().post("/bekymringsmelding/", form_data(**changes))
    assert response.status_code == 400
    assert error in response.content.decode()
    assert not InboundMessage.objects.exists()


def test_public_form_is_rate_limited_per_address(bergenhus: Unit, settings: Any) -> None:
    settings.VERN_FORM_REPORTS_PER_HOUR = 2
    client = Client()
    for n in range(2):
        assert (
            client.post("/bekymringsmelding/", form_data(**{"melder-concern": f"Bekymring {n}"})).status_code
            == 302
        )
    assert (
        client.post("/bekymringsmelding/", form_data(**{"melder-concern": "Bekymring 3"})).status_code == 429
    )
    assert InboundMessage.objects.count() == 2
    other = Client(REMOTE_ADDR="10.0.0.9")
    assert (
        other.post("/bekymringsmelding/", form_data(**{"melder-concern": "Bekymring 4"})).status_code == 302
    )


def test_public_form_is_protected_against_csrf(bergenhus: Unit) -> None:
    client = Client(enforce_csrf_checks=True)
    assert client.post("/bekymringsmelding/", form_data()).status_code == 403
    assert not InboundMessage.objects.exists()


def test_quarantine_is_seen_by_intake_of_the_unit_only(bergenhus: Unit, other_unit: Unit) -> None:
    Client().post("/bekymringsmelding/", form_data())  # accepted: not in quarantine
    api_client = IngestClient.objects.create(name="x", token_sha256=hashlib.sha256(b"t").hexdigest())
    assert api_client
    Client(HTTP_AUTHORIZATION="Bearer t").post(
        "/api/bekymringsmeldinger/", b"{broken", content_type="application/json"
    )
    quarantined = InboundMessage.objects.get(status=InboundMessage.Status.QUARANTINED)
    intake = make_user("mottak", bergenhus, Role.INTAKE)
    page = logged_in(intake).get("/meldinger/karantene/")
    assert quarantined.reference in page.content.decode()
    detail = logged_in(intake).get(f"/meldinger/karantene/{quarantined.reference}/")
    assert "Meldingen er ikke gyldig JSON" in detail.content.decode()
    caseworker = make_user("sb", bergenhus, Role.CASEWORKER)
    assert logged_in(caseworker).get(f"/meldinger/karantene/{quarantined.reference}/").status_code == 404


def test_professional_feedback_is_on_the_worklist_until_recorded(bergenhus: Unit) -> None:
    Client().post("/bekymringsmelding/", form_data())
    report = ConcernReport.objects.get()
    rows = [
        r
        for r in open_deadlines(CaseScope(case_id=report.case_id), today=today())
        if r.kind == REPORTER_FEEDBACK
    ]
    assert [r.due for r in rows] == [today() + timedelta(days=21)]
    intake = make_user("mottak", bergenhus, Role.INTAKE)
    report_record_feedback(report=report, by=intake, sent_on=today(), text="Meldingen er mottatt.")
    rows = [
        r
        for r in open_deadlines(CaseScope(case_id=report.case_id), today=today())
        if r.kind == REPORTER_FEEDBACK
    ]
    assert rows == []


def test_report_page_shows_the_message_beside_the_report(bergenhus: Unit) -> None:
    Client().post("/bekymringsmelding/", form_data())
    report = ConcernReport.objects.get()
    intake = make_user("mottak", bergenhus, Role.INTAKE)
    page = logged_in(intake).get(f"/meldinger/{report.pk}/").content.decode()
    assert "Redd for reaksjonen hjemme." in page
    assert json.loads(bytes(report.message.body))["offentligMelder"]["rolle"] == "Lærer"


def test_a_child_without_birth_date_is_not_shown_an_invented_one(bergenhus: Unit) -> None:
    """A professional's report of a child without number or age: the case said "01.07.2017" as a fact."""
    Client().post("/bekymringsmelding/", form_data(**{"barn-0-identity_number": ""}))
    report = ConcernReport.objects.get()
    child = report.case.child
    leader = make_user("leder", bergenhus, Role.LEADER)
    case_page = logged_in(leader).get(f"/saker/{report.case_id}/").content.decode()
    assert "<dd>ukjent</dd>" in case_page
    assert f"{child.birth_date:%d.%m.%Y}" not in case_page
    chronology = logged_in(leader).get(f"/saker/{report.case_id}/kronologi/").content.decode()
    assert "fødselsdato ukjent" in chronology
    intake = make_user("mottak", bergenhus, Role.INTAKE)
    report_page = logged_in(intake).get(f"/meldinger/{report.pk}/").content.decode()
    assert "(fødselsdato ukjent)" in report_page
    assert f"{child.birth_date:%d.%m.%Y}" not in report_page


def test_public_pages_need_no_login_but_intake_pages_do(bergenhus: Unit) -> None:
    anonymous = Client()
    assert anonymous.get("/bekymringsmelding/").status_code == 200
    assert (
        anonymous.get("/bekymringsmelding/kvittering/").status_code == 302
    )  # no receipt yet: back to the form
    for url in ("/meldinger/karantene/", "/meldinger/karantene/BM-AAAAAAAA/"):
        response = anonymous.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/logg-inn/")


@pytest.mark.parametrize("role", [Role.CASEWORKER, Role.AUDITOR, Role.ADMIN])
def test_quarantine_is_not_shown_to_other_roles(bergenhus: Unit, role: str) -> None:
    Client().post("/bekymringsmelding/", form_data(**{"barn-0-identity_number": ""}))
    Client(HTTP_AUTHORIZATION="Bearer none").post(
        "/api/bekymringsmeldinger/", b"{", content_type="application/json"
    )
    from vern.intake.digital.ingest import Delivery, ingest

    quarantined = ingest(Delivery(raw=b"{", source=InboundMessage.Source.FILE)).message
    user = make_user("someone", bergenhus, role)
    assert quarantined.reference not in logged_in(user).get("/meldinger/karantene/").content.decode()
    assert logged_in(user).get(f"/meldinger/karantene/{quarantined.reference}/").status_code == 404


def test_the_pdf_beside_a_message_is_shown_to_readers_of_the_report(
    bergenhus: Unit, other_unit: Unit
) -> None:
    from vern.intake.digital.ingest import Delivery, ingest

    raw = (EXAMPLES / "privatBekymringsmeldingV2.json").read_bytes()
    ingest(Delivery(raw=raw, source=InboundMessage.Source.FILE, pdf=b"%PDF-1.4 rendering"))
    report = ConcernReport.objects.first()
    assert report is not None
    intake = make_user("mottak", bergenhus, Role.INTAKE)
    response = logged_in(intake).get(f"/meldinger/{report.pk}/pdf/")
    assert response.status_code == 200
    assert response.content == b"%PDF-1.4 rendering"
    outsider = make_user("utenfor", other_unit, Role.INTAKE)
    assert logged_in(outsider).get(f"/meldinger/{report.pk}/pdf/").status_code == 404
