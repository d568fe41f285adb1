"""The shared pieces of every page's layout: wide tables and charts scroll in their own labelled box,
and pagination is Designsystemet's."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.paginator import Paginator
from django.template import Context, Template, TemplateSyntaxError
from django.template.loader import render_to_string

TEMPLATES = Path(settings.BASE_DIR) / "templates"


def render(source: str, **context: object) -> str:
    return Template(source).render(Context(context))


def test_a_table_scrolls_in_a_keyboard_reachable_region_named_by_its_caption() -> None:
    html = render("{% scroll %}<table class='ds-table'><caption>Frister</caption></table>{% endscroll %}")
    found = re.fullmatch(
        r'<div class="vern-scroll ds-focus" role="region" tabindex="0" aria-labelledby="([^"]+)">'
        r"<table class='ds-table'><caption id=\"\1\">Frister</caption></table></div>",
        html,
    )
    assert found, html


def test_each_box_gets_its_own_name() -> None:
    source = "{% scroll %}<table><caption>A</caption></table>{% endscroll %}"
    first, second = render(source), render(source)
    name = re.compile(r'aria-labelledby="([^"]+)"')
    assert name.search(first).group(1) != name.search(second).group(1)  # type: ignore[union-attr]


def test_a_chart_is_named_by_its_title() -> None:
    svg = '<svg role="img" viewBox="0 0 640 300"><title id="trend-title">Trend</title></svg>'
    html = render("{% scroll %}{{ svg|safe }}{% endscroll %}", svg=svg)
    assert html.startswith(
        '<div class="vern-scroll ds-focus" role="region" tabindex="0" aria-labelledby="trend-title">'
    )


def test_a_box_with_nothing_to_name_it_by_is_refused() -> None:
    with pytest.raises(TemplateSyntaxError):
        render("{% scroll %}<table><tr><td>1</td></tr></table>{% endscroll %}")


def test_every_table_in_every_template_scrolls_in_its_own_box() -> None:
    """A table wider than a phone widened the whole page (the case page was 582 px at 390 px)."""
    unwrapped = []
    for path in TEMPLATES.rglob("*.html"):
        if path.name == "document.html":  # the PDF: printed on A4, never scrolled
            continue
        text = path.read_text(encoding="utf-8")
        if text.count("<table") != text.count("{% scroll %}<table"):
            unwrapped.append(str(path.relative_to(TEMPLATES)))
    assert not unwrapped


@pytest.mark.parametrize(("number", "shown"), [(1, "1 2 … 30"), (15, "1 … 14 15 16 … 30"), (30, "1 … 29 30")])
def test_pagination_is_designsystemet_with_page_numbers(number: int, shown: str) -> None:
    page = Paginator(range(300), 10).page(number)
    html = render_to_string("_pagination.html", {"page": page, "label": "Saker"})
    assert html.startswith('<nav class="ds-pagination vern-pagination" aria-label="Saker: Sider">')
    numbers = re.findall(r">(\d+|…)</(?:a|span)>", html)
    assert " ".join(numbers) == shown
    assert re.search(rf'aria-current="true" aria-label="Side {number}" href="\?side={number}"', html)


def test_the_first_page_offers_no_previous_link() -> None:
    html = render_to_string("_pagination.html", {"page": Paginator(range(30), 10).page(1)})
    assert '<span class="ds-button" data-variant="tertiary" aria-hidden="true">' in html
    assert "?side=2" in html
