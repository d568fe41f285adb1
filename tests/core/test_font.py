"""The theme's typeface and the icon are Vern's own files: no page loads anything from another site."""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders

TEMPLATES = Path(settings.BASE_DIR) / "templates"


def test_the_theme_font_is_served_by_vern_itself() -> None:
    """The theme names Inter; without the file every page fell back to a serif."""
    css = finders.find("vendor/inter/index.css")
    assert css, "npm package @fontsource-variable/inter is not installed (./run setup)"
    text = Path(str(css)).read_text(encoding="utf-8")
    latin = re.search(r"url\(\./(files/inter-latin-wght-normal\.woff2)\)", text)
    assert latin
    assert finders.find(f"vendor/inter/{latin.group(1)}")
    assert "font-family: 'Inter Variable'" in text
    page = (TEMPLATES / "base.html").read_text(encoding="utf-8")
    assert "{% static 'vendor/inter/index.css' %}" in page
    assert not re.search(r"https?://", page)
    vern_css = Path(str(finders.find("vern/vern.css"))).read_text(encoding="utf-8")
    assert re.search(r'--ds-font-family: "Inter Variable", Inter, [^;]*sans-serif;', vern_css)


def test_every_page_names_an_icon_vern_has() -> None:
    """Without one, every browser asks for /favicon.ico and gets a 404."""
    page = (TEMPLATES / "base.html").read_text(encoding="utf-8")
    icon = re.search(r"""<link rel="icon" href="\{% static '([^']+)' %\}" type="image/svg\+xml">""", page)
    assert icon
    assert finders.find(icon.group(1))
