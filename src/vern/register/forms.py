"""A leader's forms on the unit's register page: make a delivery, send one."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from vern.register.models import Delivery


class DeliveryForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Cases in the delivery"),
        choices=[
            ("changes", _("Only cases changed since their previous delivery")),
            ("total", _("All cases")),
        ],
        widget=forms.RadioSelect,
        initial="changes",
    )


class SendForm(forms.Form):
    delivery = forms.ModelChoiceField(queryset=Delivery.objects.none(), widget=forms.HiddenInput)

    def __init__(self, *args: Any, unsent: QuerySet[Delivery], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["delivery"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = unsent
