"""Conformance over real signed files that nobody here produced (``../shared/realsig``, labels.json).

Every file whose source asserts an outcome must agree with it on integrity, on the main indication
and, where the source asserts one, on the sub-indication. Disagreements we believe are right are listed
in ``EXPLAINED`` with the reason (and in docs/signatures.md, "Conformance on real files").
``bench/realsig.py`` prints the same table with timings.
"""

from __future__ import annotations

import pytest

from tests.verification.signatures.realsig import CORPUS, load_labels, run_one

if not (CORPUS / "labels.json").is_file():
    pytest.skip(f"the real-signature corpus is not beside the checkout ({CORPUS} is absent)", allow_module_level=True)

LABELS = load_labels()

EXPLAINED: dict[str, str] = {
    "dss-pades/pdf-signed-corrupted.pdf": "damaged cross-reference data: refused as unreadable (verdict failed) "
                                          "instead of DSS's lenient parse; docs/signatures.md",
    "dss-pades/pades-unsupported-signature-algorithm.pdf": "a curve OID as signature algorithm: INDETERMINATE/"
                                                           "CRYPTO_CONSTRAINTS_FAILURE, never 'broken'; "
                                                           "docs/signatures.md",
}
"""file → why our answer differs from the source's and why we believe ours (see docs/signatures.md)."""


@pytest.mark.parametrize("label", LABELS, ids=[lb.get("detached") or lb["file"] for lb in LABELS])
def test_real_file_agrees_with_its_source(label: dict) -> None:
    name = label.get("detached") or label["file"]
    if name in EXPLAINED:
        pytest.xfail(EXPLAINED[name])
    row = run_one(label)
    e, g = row.expected, row.got
    got = f"got {g} ({[(s.type, s.indication.value, s.sub_indication, s.reason) for s in row.report.signatures]})"
    if e.integrity != "unknown":
        assert row.integrity_agrees, f"integrity: expected {e.integrity}, {got}"
    assert row.indication_agrees, f"indication: expected {e.indication}, {got}"
    assert row.sub_indication_agrees, f"sub-indication: expected {e.sub_indication}, {got}"
    if e.signatures and e.integrity != "unknown":
        assert g.signatures == e.signatures, f"signatures: expected {e.signatures}, {got}"
