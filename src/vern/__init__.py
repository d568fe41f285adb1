"""Vern: case and coordination system for Norwegian municipal child welfare services."""
