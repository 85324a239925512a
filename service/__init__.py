"""Attest service: generation, registry, dossier assembly, the web application and its jobs."""
