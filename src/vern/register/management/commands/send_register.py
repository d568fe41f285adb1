"""``vern send_register [DELIVERY_ID ...]``: hand deliveries to the register's transport.

Without ids, every export delivery not yet sent. The documents are taken from the database, exactly
as they were accepted.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from vern.register.models import Delivery
from vern.register.services import delivery_send


class Command(BaseCommand):
    help = "Send register deliveries to the register's transport (by default an outbox folder)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("delivery_ids", nargs="*")

    def handle(self, *args: Any, **options: Any) -> None:
        deliveries = Delivery.objects.exclude(kind=Delivery.Kind.IMPORT)
        if options["delivery_ids"]:
            try:
                chosen = list(deliveries.filter(delivery_id__in=options["delivery_ids"]))
            except ValidationError as exc:
                raise CommandError("Ugyldig leveranse-id") from exc
            if len(chosen) != len(set(options["delivery_ids"])):
                raise CommandError("Fant ikke alle leveransene")
        else:
            chosen = list(deliveries.filter(sent_at__isnull=True).order_by("created_at"))
        for delivery in chosen:
            delivery_send(delivery=delivery, by=None)
            self.stdout.write(f"Sendt: {delivery.delivery_id} ({delivery.case_count} saker)")
