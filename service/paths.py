"""Where the product's shipped data lives (templates, samples, reference lists)."""

from __future__ import annotations

from pathlib import Path

__all__ = ["PROFILES_DIR", "REFERENCE_DIR", "REPO_ROOT", "SAMPLES_DIR", "TEMPLATES_DIR"]

REPO_ROOT = Path(__file__).resolve().parent.parent
TEMPLATES_DIR = REPO_ROOT / "templates"
SAMPLES_DIR = REPO_ROOT / "samples"
PROFILES_DIR = REPO_ROOT / "service" / "attestation" / "profiles"
REFERENCE_DIR = REPO_ROOT / "verification" / "reference"
