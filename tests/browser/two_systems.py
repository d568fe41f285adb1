"""One of the two systems of ``test_two_systems.py``, set up in its own, migrated database:

    DATABASE_URL=... python -m tests.browser.two_systems district|agency TOTP_SECRET

The district's system holds Bydel Alna's service, a caseworker and a teenager's case; the agency's
holds Barne- og familieetaten with its intake and its MST team in the catalogue. Each prints what
the test needs as JSON. Partners and the catalogue are then set up with Vern's own commands.
"""

from __future__ import annotations

import json
import os
import sys
from datetime import date, timedelta

import django

DISTRICT_ORGNR = "974778807"
AGENCY_ORGNR = "974587327"


def main(role: str, secret: str) -> dict[str, object]:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vern.settings")
    django.setup()
    from django.db import transaction
    from django.utils import timezone

    from tests.conftest import PASSWORD
    from tests.referrals.conftest import MST
    from vern.cases.services import ChildFacts
    from vern.core.codes import CodedEntry
    from vern.core.dates import today
    from vern.core.identity import classify, make_fodselsnummer
    from vern.core.models import District, Membership, Municipality, Role, Unit, User
    from vern.intake.services import report_register
    from vern.referrals import services

    with transaction.atomic():
        oslo = Municipality.objects.create(number="0301", name="Oslo", organisation_number="958935420")
        alna = District.objects.create(municipality=oslo, number="12", name="Alna")

        def person(username: str, unit: Unit, *roles: str) -> User:
            user = User.objects.create_user(
                username=username, password=PASSWORD, first_name=username.capitalize(), last_name="Test"
            )
            user.totp_secret, user.totp_confirmed = secret, True
            user.save()
            for role_name in roles:
                Membership.objects.create(user=user, unit=unit, role=role_name)
            return user

        if role == "district":
            unit = Unit.objects.create(
                name="Bydel Alna barneverntjeneste",
                host_municipality=oslo,
                district=alna,
                organisation_number=DISTRICT_ORGNR,
            )
            unit.municipalities.add(oslo)
            caseworker = person("saksbehandler", unit, Role.CASEWORKER)
            birth = date(today().year - 14, 2, 3)
            identity = classify(make_fodselsnummer(birth, 101), today=today())
            child = ChildFacts(
                identity=identity,
                duf_number="",
                birth_date=identity.birth_date or birth,
                gender=identity.gender or "1",
                first_name="Jonas",
                last_name="Berg",
            )
            report = report_register(
                unit=unit,
                by=caseworker,
                child=child,
                received_at=timezone.now() - timedelta(days=60),
                channel="phone",
                text="Sinneutbrudd hjemme.",
                reporters=[CodedEntry("11")],
                contents=[CodedEntry("1.1.01")],
            )
            return {"case": report.case_id, "user": caseworker.username}
        agency = Unit.objects.create(
            name="Barne- og familieetaten",
            kind=Unit.Kind.PROVIDER,
            host_municipality=oslo,
            organisation_number=AGENCY_ORGNR,
        )
        intake = person("etatsmottak", agency, Role.INTAKE, Role.LEADER)
        entry = services.catalogue_publish(provider=agency, by=intake, **MST)  # type: ignore[arg-type]
        return {"entry": str(entry.uid), "user": intake.username}


if __name__ == "__main__":
    sys.stdout.write(json.dumps(main(sys.argv[1], sys.argv[2])) + "\n")
