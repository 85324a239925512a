"""Dossier specimens: synthetic reports (:mod:`.reports`), sample evidence files (:mod:`.specimens`) and
example manifests (``*.manifest.yaml``; the kz-researcher one matches the files that
``make_sample_dossier`` writes)."""
