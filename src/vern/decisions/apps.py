from __future__ import annotations

from django.apps import AppConfig


class DecisionsConfig(AppConfig):
    name = "vern.decisions"
    label = "decisions"
