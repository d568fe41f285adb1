from __future__ import annotations

from django.apps import AppConfig


class RegisterConfig(AppConfig):
    name = "vern.register"
    label = "register"
