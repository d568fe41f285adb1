"""Form pieces shared by every stage: register-code fields and the deadline-breach reason."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from functools import partial
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from vern.core import codes
from vern.core.breaches import BreachFacts
from vern.core.dates import today
from vern.rules import deadlines

BREACH_REASON_CHOICES = [("", "—")] + [
    (r.value, _(deadlines.BREACH_REASON_LABELS[r])) for r in deadlines.BreachReason
]
# A recorded reason's label, by its code.
REASON_LABELS = {value: label for value, label in BREACH_REASON_CHOICES if value}


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


def _code_choices(
    list_path: str, day: date | None, *, blank: bool, exclude: frozenset[str] = frozenset()
) -> list[Any]:
    choices = codes.choices_valid_on(list_path, day or today(), exclude=exclude)
    return [("", "—"), *choices] if blank else choices


class CodeChoiceField(forms.ChoiceField):
    """A register code list field; offers the codes valid on ``day`` (today unless said).

    The choices are a callable, read when a form is made, so they follow the date and the database.
    """

    def __init__(
        self, list_path: str, *, day: date | None = None, exclude: Iterable[str] = (), **kwargs: Any
    ) -> None:
        self.list_path = list_path
        choices = partial(_code_choices, list_path, day, blank=True, exclude=frozenset(exclude))
        super().__init__(choices=choices, **kwargs)


class CodeMultipleChoiceField(forms.MultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def __init__(self, list_path: str, *, day: date | None = None, **kwargs: Any) -> None:
        self.list_path = list_path
        super().__init__(choices=partial(_code_choices, list_path, day, blank=False), **kwargs)


BREACH_FIELDS = ("breach_reason", "breach_explanation")


class BreachFieldsMixin(forms.Form):
    """Reason for a missed deadline; required by the service only when the deadline was missed.

    The fields come after the form's own: the step first, then why it came late.
    """

    breach_reason = forms.ChoiceField(
        label=_("Reason the deadline was missed"),
        help_text=_("Only when the deadline was missed."),
        choices=BREACH_REASON_CHOICES,
        required=False,
    )
    breach_explanation = forms.CharField(
        label=_("Explanation"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.order_fields([name for name in self.fields if name not in BREACH_FIELDS])

    def breach(self) -> BreachFacts | None:
        reason = self.cleaned_data.get("breach_reason") or ""
        if not reason:
            return None
        return BreachFacts(reason=reason, explanation=self.cleaned_data.get("breach_explanation") or "")

    def service_arguments(self) -> dict[str, Any]:
        """The cleaned data as a service takes it: the form's own fields, and ``breach``."""
        own = {name: value for name, value in self.cleaned_data.items() if name not in BREACH_FIELDS}
        return own | {"breach": self.breach()}


class BreachForm(BreachFieldsMixin):
    """The reason alone, for a deadline missed: required."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["breach_reason"].help_text = ""

    def clean_breach_reason(self) -> str:
        value: str = self.cleaned_data["breach_reason"]
        if not value:
            raise forms.ValidationError(_("Choose a reason for the missed deadline."))
        return value


class NotFutureDateField(forms.DateField):
    widget = DateInput

    def clean(self, value: Any) -> Any:
        day = super().clean(value)
        if day is not None and day > today():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return day
