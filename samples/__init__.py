"""Test and demo material: a test PKI (:mod:`samples.pki`), sample dossier evidence (:mod:`samples.dossier`),
scans, signatures and a batch table (``data/participants.csv``). Used by the tests, the benchmarks and
``attest demo``: ``service/cli/demo.py`` is the only product module that imports it. Shipped in the wheel
so that the demo runs from an installed package; each kind's example data is the product's own
(:func:`service.generation.schemas.example_data`)."""

from pathlib import Path

__all__ = ["DATA_DIR"]

DATA_DIR = Path(__file__).resolve().parent / "data"
