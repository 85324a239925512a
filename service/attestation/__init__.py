"""The attestation engine: requirement profiles (data), evidence matching, the ledger protocol, dossier
assembly and the build. Pure: handed reports, files and a ledger, it returns files; it knows no database.

Entry points: :func:`service.attestation.build.build_dossier` (manifest → dossier.pdf/.zip/manifest.json),
:func:`service.attestation.build.build_from_reports`, :func:`service.attestation.matching.match_evidence`
(reports → requirement verdicts), :func:`service.attestation.profiles.load_profile`.
"""
