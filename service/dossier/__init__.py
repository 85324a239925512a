"""Attestation dossiers: requirement profiles (data), evidence matching, assembly and signing.

Entry points: :func:`service.dossier.build.build_dossier` (manifest → dossier.pdf/.zip/manifest.json),
:func:`service.dossier.matching.match_evidence` (reports → requirement verdicts),
:func:`service.dossier.profiles.load_profile`.
"""
