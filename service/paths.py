"""Where the product's shipped data lives: package data, found beside the modules that read it, so an
installed package (``pip install .``, not editable) finds it as well as a checkout does."""

from __future__ import annotations

from pathlib import Path

__all__ = ["EXAMPLES_DIR", "MIGRATIONS_DIR", "PACKAGE_DIR", "PROFILES_DIR", "TEMPLATES_DIR"]

PACKAGE_DIR = Path(__file__).resolve().parent
TEMPLATES_DIR = PACKAGE_DIR / "generation" / "templates"
"""DOCX templates, one per kind and language (built by ``scripts/build_templates.py``)."""
EXAMPLES_DIR = PACKAGE_DIR / "generation" / "examples"
"""Example data of every kind in Russian and Kazakh (``<kind>.<lang>.json``): the form's pre-fill, the demo."""
PROFILES_DIR = PACKAGE_DIR / "attestation" / "profiles"
MIGRATIONS_DIR = PACKAGE_DIR / "migrations"
