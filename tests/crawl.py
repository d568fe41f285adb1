"""A crawler over every page a user can reach by following links, and every form on those pages.

Used by ``tests/test_crawl.py`` on the seeded demo, so that a page nobody opened, or a form nobody sent
bad input to, cannot break without a test noticing. Each route (the URL pattern, plus the names of the
query parameters) is visited for at most ``per_route`` different URLs, so the crawl covers every kind
of page without reading every case. Every distinct form found on them (its page's route, where it
posts, its fields) is then sent twice: blank, and with input no form may accept as it is.
"""

from __future__ import annotations

import dataclasses
import time
import traceback
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urldefrag, urlencode, urlsplit

from django.db import transaction
from django.test import Client
from django.urls import Resolver404, resolve

from vern.core.middleware import SECOND_FACTOR_KEY
from vern.core.models import User

# Paths a crawl never follows: they end the session or are for machines, not people.
SKIP_PREFIXES = ("/static/", "/logg-ut/", "/api/")


@dataclass
class FormField:
    name: str
    kind: str  # the input's type, or "select" / "textarea"
    value: str = ""
    options: list[str] = field(default_factory=list)


@dataclass
class Form:
    method: str
    action: str
    fields: list[FormField] = field(default_factory=list)

    def signature(self) -> str:
        return f"{self.method} {self.action} " + ",".join(sorted(f.name for f in self.fields))


class _Page(HTMLParser):
    """The links and the forms of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: FormField | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "a" and a.get("href"):
            self.hrefs.append(a["href"])
        elif tag == "form":
            self._form = Form(method=a.get("method", "get").lower(), action=a.get("action", ""))
            self.forms.append(self._form)
        elif self._form is None or not a.get("name"):
            return
        elif tag == "input":
            self._form.fields.append(FormField(a["name"], a.get("type", "text").lower(), a.get("value", "")))
        elif tag == "button" and a.get("type", "submit") == "submit":
            self._form.fields.append(FormField(a["name"], "submit", a.get("value", "")))
        elif tag in ("select", "textarea"):
            self._select = FormField(a["name"], tag)
            self._form.fields.append(self._select)
        if tag == "option" and self._select is not None:
            self._select.options.append(a.get("value", ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag in ("select", "textarea"):
            self._select = None


def parse(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    return page


# What a person could type that no form may take as it is: a date that does not exist, a number out of
# any range, a choice that is not offered, markup, and a text far longer than any field.
_BAD: dict[str, str] = {
    "date": "2026-02-31",
    "month": "2026-13",
    "number": "-99999999999999999999",
    "email": "ikke-en-adresse",
    "select": "999999999",
    "radio": "999999999",
    "checkbox": "999999999",
}
_BAD_TEXT = "<b>«Æøå»</b>' OR 1=1; " + "x" * 20_000


def filled(form: Form, variant: str) -> dict[str, list[str]]:
    """The form's data as a person would send it: ``blank`` (only what the page put there itself) or
    ``bad`` (every field filled with input it must refuse or store as it is)."""
    data: dict[str, list[str]] = {}
    submitted = False
    for f in form.fields:
        if f.kind == "submit":
            if not submitted:  # the first button, as pressing Enter would send
                data.setdefault(f.name, []).append(f.value)
                submitted = True
        elif f.kind == "hidden":
            data.setdefault(f.name, []).append(f.value)
        elif f.kind == "file":
            continue
        elif variant == "blank":
            if f.kind not in ("checkbox", "radio"):
                data.setdefault(f.name, []).append("")
        else:
            data[f.name] = [_BAD.get(f.kind, _BAD_TEXT)]
    return data


@dataclass(frozen=True)
class Visit:
    url: str
    status: int
    came_from: str
    content_type: str = ""
    error: str = ""
    method: str = "GET"
    seconds: float = 0.0


@dataclass
class Crawl:
    role: str
    visits: list[Visit] = field(default_factory=list)

    @property
    def server_errors(self) -> list[Visit]:
        return [v for v in self.visits if v.status >= 500]

    @property
    def dead_ends(self) -> list[Visit]:
        """Links and forms shown to this user that lead nowhere for them (404) or to a refusal (403)."""
        return [v for v in self.visits if v.status in (403, 404)]

    def html_pages(self) -> list[Visit]:
        return [
            v
            for v in self.visits
            if v.method == "GET" and v.status == 200 and v.content_type.startswith("text/html")
        ]

    def forms_sent(self) -> list[Visit]:
        return [v for v in self.visits if v.method != "GET"]


def route_key(path: str, query: str = "") -> str:
    try:
        match = resolve(path)
    except Resolver404:
        return path
    names = ",".join(sorted({k for k, _ in parse_qsl(query, keep_blank_values=True)}))
    return f"{match.route}?{names}"


def logged_in(user: User) -> Client:
    client = Client(raise_request_exception=True)
    client.force_login(user)
    session = client.session
    session[SECOND_FACTOR_KEY] = True
    session.save()
    return client


def normalise(href: str, base_path: str) -> str | None:
    href, _ = urldefrag(href)
    if not href or href.startswith(("mailto:", "tel:", "javascript:")):  # "#…" is this page
        return None
    parts = urlsplit(href)
    if parts.scheme or parts.netloc:
        return None  # another site
    path = parts.path or base_path
    if not path.startswith("/"):
        path = base_path.rsplit("/", 1)[0] + "/" + path
    if path.startswith(SKIP_PREFIXES):
        return None
    query = urlencode(sorted(parse_qsl(parts.query, keep_blank_values=True)))
    return f"{path}?{query}" if query else path


def _visit(
    client: Client, method: str, url: str, came_from: str, data: dict[str, list[str]] | None = None
) -> tuple[Visit, object]:
    """One request, its redirects followed; any exception is the crawl's finding, not its end."""
    send: Callable[..., object] = client.get if method == "GET" else client.post
    started = time.perf_counter()
    try:
        response = send(url, data, follow=True)
    except Exception:
        return Visit(url, 500, came_from, error=traceback.format_exc(limit=-6), method=method), None
    seconds = time.perf_counter() - started
    status = getattr(response, "status_code", 0)
    content_type = response.get("Content-Type", "")  # type: ignore[attr-defined]
    return Visit(url, status, came_from, content_type, method=method, seconds=seconds), response


def crawl(
    user: User, *, role: str, start: str = "/", per_route: int = 3, limit: int = 2000, forms: bool = False
) -> Crawl:
    """Follow every link from ``start`` as ``user``; with ``forms``, then send each distinct form on
    the pages found blank and with bad input."""
    client = logged_in(user)
    result = Crawl(role=role)
    seen: set[str] = {start}
    per_key: dict[str, int] = {}
    found_forms: dict[str, tuple[Form, str]] = {}
    queue: deque[tuple[str, str]] = deque([(start, "")])
    while queue and len(result.visits) < limit:
        url, came_from = queue.popleft()
        visit, response = _visit(client, "GET", url, came_from)
        result.visits.append(visit)
        if visit.status != 200 or not visit.content_type.startswith("text/html"):
            continue
        chain = getattr(response, "redirect_chain", [])
        final = chain[-1][0] if chain else url
        base_path = urlsplit(final).path
        page = parse(response.content.decode())  # type: ignore[attr-defined]
        for form in page.forms:
            action = normalise(form.action, base_path) if form.action else final
            if action is not None:  # not a form that logs out
                key = f"{route_key(base_path)} {form.signature()}"
                found_forms.setdefault(key, (Form(form.method, action, form.fields), final))
        for href in page.hrefs:
            target = normalise(href, base_path)
            if target is None or target in seen:
                continue
            path, _, query = target.partition("?")
            key = route_key(path, query)
            if per_key.get(key, 0) >= per_route:
                continue
            per_key[key] = per_key.get(key, 0) + 1
            seen.add(target)
            queue.append((target, final))
    if forms:
        for form, page_url in found_forms.values():
            for variant in ("blank", "bad"):
                method = "GET" if form.method == "get" else "POST"
                # Each form is sent to the state its page showed: what one send changed (an approval,
                # say) is rolled back, or the next form on that page would rightly be refused.
                with transaction.atomic():
                    visit, _ = _visit(client, method, form.action, page_url, data=filled(form, variant))
                    transaction.set_rollback(True)
                # A GET form's answer is a page like any other, but not a link anyone was shown.
                result.visits.append(visit if method == "POST" else _as_form(visit))
    return result


def _as_form(visit: Visit) -> Visit:
    return dataclasses.replace(visit, method="GET form")
