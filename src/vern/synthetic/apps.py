from __future__ import annotations

from django.apps import AppConfig


class SyntheticConfig(AppConfig):
    """Deterministic synthetic data for the demo, tests and benchmarks (no models of its own)."""

    name = "vern.synthetic"
    label = "synthetic"
