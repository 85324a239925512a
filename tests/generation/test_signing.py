"""A generated PDF signed with the organisation's key validates against the test root."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from asn1crypto import pem
from asn1crypto import x509 as ax
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from service.documents.service import generate_document
from service.errors import BadInput, SigningError
from service.generation.schemas import example_data
from service.signing import PadesSigner

pytestmark = pytest.mark.slow


def _cert(path: Path) -> ax.Certificate:
    data = path.read_bytes()
    if pem.detect(data):
        _, _, data = pem.unarmor(data)
    return ax.Certificate.load(data)


def test_signed_generated_pdf_is_intact_valid_trusted(pki, gen_data_dir, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    org = pki.signers["organisation"]
    monkeypatch.setenv("ATTEST_ORGANISATION_P12", str(org.p12))
    monkeypatch.setenv("ATTEST_ORGANISATION_P12_PASSWORD", org.password.decode())
    from service.settings import get_settings

    get_settings.cache_clear()
    doc = generate_document("protocol_extract", example_data("protocol_extract", "kk"), "kk", "pdf", sign=True)
    assert doc.signed
    reader = PdfFileReader(io.BytesIO(doc.content))
    assert len(reader.embedded_signatures) == 1
    vc = ValidationContext(trust_roots=[_cert(pki.root_pem)], other_certs=[_cert(pki.intermediate_pem)],
                           allow_fetching=False, revocation_mode="soft-fail")
    status = validate_pdf_signature(reader.embedded_signatures[0], vc)
    assert (status.intact, status.valid, status.trusted) == (True, True, True)
    assert status.coverage.name == "ENTIRE_FILE"
    sig_field = reader.embedded_signatures[0].sig_field
    assert [float(x) for x in sig_field["/Rect"]] == [330.0, 30.0, 565.0, 95.0]  # visible box

    import hashlib

    from service.registry.service import lookup_record

    record = lookup_record(doc.document_id)
    assert hashlib.sha256(doc.content).hexdigest() in record.file_sha256s


def test_wrong_password_is_a_clear_error(pki, sample_pdfs) -> None:  # type: ignore[no-untyped-def]
    pdf = sample_pdfs[("certificate", "ru")].read_bytes()
    with pytest.raises(SigningError, match="cannot load the signing key") as caught:
        PadesSigner(pki.signers["organisation"].p12, b"wrong").sign(pdf)
    assert (caught.value.status_code, caught.value.code) == (500, "signing_failed")


def test_signing_without_a_key_names_the_setting(gen_data_dir, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv("ATTEST_ORGANISATION_P12", raising=False)
    from service.settings import get_settings

    get_settings.cache_clear()
    with pytest.raises(BadInput, match="ATTEST_ORGANISATION_P12"):
        generate_document("certificate", example_data("certificate", "ru"), "ru", "pdf", sign=True, register=False)
