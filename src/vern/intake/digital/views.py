"""The HTTP endpoint for digital reports of concern, and intake's quarantine of invalid messages."""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from vern.core.access import units_with_role
from vern.core.audit import audit
from vern.core.audit_events import AuditEvent
from vern.core.models import Role, User
from vern.core.views import request_user
from vern.intake.digital import public_form as public_form_module
from vern.intake.digital.ingest import Delivery, ingest
from vern.intake.models import InboundMessage, IngestClient, Receipt


def _client(request: HttpRequest) -> IngestClient | None:
    header = request.headers.get("Authorization", "")
    scheme, _space, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    digest = hashlib.sha256(token.strip().encode()).hexdigest()
    return IngestClient.objects.filter(token_sha256=digest, active=True).first()


@csrf_exempt  # machine to machine: the bearer token authenticates, there is no browser session
@login_not_required
@require_POST
@transaction.non_atomic_requests  # the receipt is answered only after the message's own commit
def receive(request: HttpRequest) -> HttpResponse:
    """POST a message (the JSON body) with ``X-Meldingstype`` and ``X-Melding-Id``; the answer is its receipt.

    200 with ``mottatt`` (also for a message delivered again), 422 with ``feilet`` and the reason;
    401 without a valid client token (nothing is stored then: it is not a delivery).
    """
    client = _client(request)
    if client is None:
        return JsonResponse({"melding": "Mangler gyldig tilgangsnøkkel"}, status=401)
    outcome = ingest(
        Delivery(
            raw=request.body,
            source=InboundMessage.Source.HTTP,
            message_type=request.headers.get("X-Meldingstype") or None,
            message_id=request.headers.get("X-Melding-Id") or None,
            client=client,
        )
    )
    # The answer delivers this receipt.
    Receipt.objects.filter(pk=outcome.receipt.pk).update(sent_at=outcome.receipt.created_at)
    return JsonResponse(outcome.receipt.body, status=200 if outcome.accepted else 422)


def _quarantine(user: User) -> QuerySet[InboundMessage]:
    """Quarantined messages of the user's units, and those no unit could be found for (intake, leaders)."""
    unit_ids = units_with_role(user, [Role.INTAKE, Role.LEADER])
    if not unit_ids:
        return InboundMessage.objects.none()
    return InboundMessage.objects.filter(
        Q(unit_id__in=unit_ids) | Q(unit__isnull=True), status=InboundMessage.Status.QUARANTINED
    )


def quarantine_list(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    items = _quarantine(user).order_by("-received_at")
    page = Paginator(items.only("reference", "received_at", "reason", "source", "message_type"), 50)
    return render(request, "intake/quarantine_list.html", {"page": page.get_page(request.GET.get("side"))})


def quarantine_detail(request: HttpRequest, reference: str) -> HttpResponse:
    user = request_user(request)
    message = _quarantine(user).filter(reference=reference).first()
    if message is None:
        raise Http404
    audit(
        event=AuditEvent.DIGITAL_MESSAGE_VIEWED,
        by=user,
        obj=message,
        unit=message.unit,
        extra={"reference": message.reference},
    )
    raw = bytes(message.body)
    text = raw.decode("utf-8", errors="replace")
    with contextlib.suppress(json.JSONDecodeError, RecursionError):  # shown as it is, then
        text = json.dumps(json.loads(text), ensure_ascii=False, indent=2)
    context = {
        "message": message,
        "text": text[:200_000],
        "size": len(raw),
        "receipts": message.receipts.order_by("pk"),
    }
    return render(request, "intake/quarantine_detail.html", context)


RECEIPT_KEY = "vern_public_receipt"


def _address_hash(request: HttpRequest) -> str:
    """A keyed hash of the sender's address: enough to count reports for the rate limit, never the address."""
    address = request.META.get("REMOTE_ADDR", "")
    return hmac.new(settings.SECRET_KEY.encode(), address.encode(), hashlib.sha256).hexdigest()


def _over_limit(address_hash: str) -> bool:
    since = timezone.now() - timedelta(hours=1)
    recent = InboundMessage.objects.filter(address_hash=address_hash, received_at__gte=since).count()
    return recent >= settings.VERN_FORM_REPORTS_PER_HOUR


@login_not_required
@require_http_methods(["GET", "POST"])
@transaction.non_atomic_requests  # the receipt page is shown only after the message's own commit
def public_form(request: HttpRequest) -> HttpResponse:
    """The report-of-concern form for everyone, without login: private persons and professionals."""
    report = public_form_module.PublicReport(request.POST if request.method == "POST" else None)
    if request.method != "POST":
        return render(request, "intake/public_form.html", report.context())
    address_hash = _address_hash(request)
    if _over_limit(address_hash):
        return render(request, "intake/public_limited.html", status=429)
    if not report.is_valid():
        return render(request, "intake/public_form.html", report.context(), status=400)
    message_type, raw = report.message()
    outcome = ingest(
        Delivery(
            raw=raw, source=InboundMessage.Source.FORM, message_type=message_type, address_hash=address_hash
        )
    )
    Receipt.objects.filter(pk=outcome.receipt.pk).update(
        sent_at=outcome.receipt.created_at
    )  # shown on the page
    request.session[RECEIPT_KEY] = {
        "reference": outcome.message.reference,
        "accepted": outcome.accepted,
        "received_at": outcome.message.received_at.isoformat(),
        "professional": report.professional,
        "anonymous": bool(report.reporter.cleaned_data.get("anonymous")),
    }
    return redirect("public_receipt")


@login_not_required
def public_receipt(request: HttpRequest) -> HttpResponse:
    receipt = request.session.get(RECEIPT_KEY)
    if not receipt:
        return redirect("public_form")
    received_at = datetime.fromisoformat(receipt["received_at"])
    return render(request, "intake/public_receipt.html", {"receipt": receipt, "received_at": received_at})
