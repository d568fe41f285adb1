from __future__ import annotations

from django.forms.renderers import TemplatesSetting


class DesignsystemetRenderer(TemplatesSetting):
    """Render every form field with Designsystemet's field markup (forms/field.html)."""

    form_template_name = "forms/form.html"
    field_template_name = "forms/field.html"
