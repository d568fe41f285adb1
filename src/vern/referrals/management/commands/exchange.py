"""``vern exchange [--every SECONDS] [--test ORGNR]``: send the referral messages waiting to go to
units in other systems, take the ones waiting in this system's inboxes, and answer them.

Once by default (for cron or a systemd timer); with ``--every`` it keeps going, one round every
SECONDS, until stopped. ``--test ORGNR`` first sends a testmelding to that partner, which its
system answers with an applikasjonskvittering (or a feilmelding).
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from vern.core.models import Unit
from vern.referrals.exchange import incoming, outgoing
from vern.referrals.exchange.protocol import Kind


class Command(BaseCommand):
    help = "Exchange referral messages with units in other systems (send, receive, answer)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--every", type=float, help="keep going, one round every SECONDS")
        parser.add_argument("--test", metavar="ORGNR", help="send a testmelding to this partner first")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["test"]:
            self._test(options["test"])
        while True:
            sent = outgoing.dispatch()
            tally = incoming.receive()
            if sent or tally.applied or tally.duplicates or tally.refused or options["every"] is None:
                self.stdout.write(
                    f"sendt {sent}, mottatt {tally.applied}, duplikater {tally.duplicates}, "
                    f"avvist {tally.refused}"
                )
                for reason in tally.reasons:
                    self.stderr.write(f"avvist: {reason}")
                self.stdout.flush()
            if options["every"] is None:
                return
            time.sleep(options["every"])

    def _test(self, organisation_number: str) -> None:
        partner = Unit.objects.filter(remote=True, organisation_number=organisation_number).first()
        local = Unit.objects.filter(remote=False).exclude(organisation_number="").first()
        if partner is None or local is None:
            raise CommandError(f"Ingen samarbeidspart med organisasjonsnummer {organisation_number}")
        with transaction.atomic():
            outgoing.queue(kind=Kind.TEST, sender=local, recipient=partner, body={"Tekst": "Test fra Vern"})
