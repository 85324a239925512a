"""The dossier domain: a teacher's attestation dossier in the service — its rows, uploads (the fast
path), workflow, endpoints, the evidence ledger in the database and its jobs (verify an upload, build
the package). The engine it drives is :mod:`service.attestation`.
"""
