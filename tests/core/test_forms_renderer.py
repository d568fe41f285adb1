"""Every form field is drawn with Designsystemet's markup (forms/field.html through the renderer):
radio buttons and checkboxes are its controls, not the browser's, and a group is a fieldset."""

from __future__ import annotations

from html.parser import HTMLParser

from django import forms


class Elements(HTMLParser):
    """The start tags of a fragment, each with its attributes and the tags it sits in."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.found: list[tuple[str, dict[str, str], list[str]]] = []
        self.open: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        self.found.append((tag, values, [*self.open]))
        if tag not in ("input", "br", "meta", "link"):
            self.open.append(f"{tag}.{values.get('class', '').replace(' ', '.')}")

    def handle_endtag(self, tag: str) -> None:
        while self.open and not self.open.pop().startswith(f"{tag}."):
            pass

    def inputs(self, kind: str) -> list[tuple[dict[str, str], list[str]]]:
        return [(a, around) for tag, a, around in self.found if tag == "input" and a.get("type") == kind]


class Visit(forms.Form):
    kind = forms.ChoiceField(
        label="Type besøk", choices=[("a", "Oppfølging"), ("b", "Tilsyn")], widget=forms.RadioSelect
    )
    reasons = forms.MultipleChoiceField(
        label="Årsaker",
        choices=[(str(i), f"Årsak {i}") for i in range(12)],
        widget=forms.CheckboxSelectMultiple,
        help_text="Velg alle som passer.",
    )
    consent = forms.BooleanField(label="Samtykke gitt", required=False)
    note = forms.CharField(label="Notat", widget=forms.Textarea, required=False)
    place = forms.ChoiceField(label="Sted", choices=[("h", "Hjemme"), ("s", "Skole")])


def test_radio_buttons_are_designsystemet_inputs_in_a_fieldset() -> None:
    html = Elements(str(Visit()))
    radios = html.inputs("radio")
    assert len(radios) == 2
    for attrs, around in radios:
        assert attrs["class"] == "ds-input"
        assert around[-1] == "div.ds-field"
        assert any(a.startswith("fieldset.ds-fieldset") for a in around)
    labels = [a for tag, a, _ in html.found if tag == "label" and a.get("for", "").startswith("id_kind_")]
    assert [a["for"] for a in labels] == ["id_kind_0", "id_kind_1"]
    assert any(tag == "legend" for tag, _, _ in html.found)


def test_checkbox_groups_and_single_checkboxes_are_designsystemet_inputs() -> None:
    html = Elements(str(Visit()))
    boxes = html.inputs("checkbox")
    assert len(boxes) == 13
    for attrs, around in boxes:
        assert attrs["class"] == "ds-input"
        assert around[-1].startswith("div.ds-field")
    # A long list scrolls in its own box; the group is described by its help text.
    (fieldset,) = [
        a for tag, a, _ in html.found if tag == "fieldset" and "id_reasons" in a.get("aria-describedby", "")
    ]
    assert fieldset["aria-describedby"] == "id_reasons_helptext"
    assert any("vern-choices--long" in a.get("class", "") for tag, a, _ in html.found if tag == "div")


def test_text_select_and_textarea_are_designsystemet_inputs() -> None:
    html = Elements(str(Visit()))
    controls = [(tag, a) for tag, a, _ in html.found if tag in ("select", "textarea")]
    assert {tag for tag, _ in controls} == {"select", "textarea"}
    assert all(a["class"] == "ds-input" for _, a in controls)


def test_errors_mark_the_controls_invalid_and_describe_the_group() -> None:
    form = Visit(data={"place": "x"})
    assert not form.is_valid()
    html = Elements(str(form))
    for attrs, _ in html.inputs("radio"):
        assert attrs["aria-invalid"] == "true"
    (fieldset,) = [
        a for tag, a, _ in html.found if tag == "fieldset" and a.get("aria-describedby") == "id_kind_error"
    ]
    assert fieldset
    errors = {a["id"] for tag, a, _ in html.found if "ds-validation-message" in a.get("class", "")}
    assert {"id_kind_error", "id_reasons_error", "id_place_error"} <= errors
    (select,) = [a for tag, a, _ in html.found if tag == "select"]
    assert select["aria-invalid"] == "true"
    assert select["aria-describedby"] == "id_place_error"


def test_a_checked_choice_stays_checked() -> None:
    form = Visit(data={"kind": "b", "reasons": ["3", "5"], "consent": "on", "place": "h"})
    html = Elements(str(form))
    assert [a["value"] for a, _ in html.inputs("radio") if "checked" in a] == ["b"]
    # The two reasons, then the consent box (which has no value attribute).
    assert [a.get("value", "") for a, _ in html.inputs("checkbox") if "checked" in a] == ["3", "5", ""]
