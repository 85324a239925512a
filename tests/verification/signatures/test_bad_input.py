"""Bad input: every kind gets a `failed` report with a plain reason (never a traceback), or a plain skip."""

from __future__ import annotations

import pytest

from tests.hostile.make_corpus import CORPUS
from verification.pipeline import VerifyOptions, verify_bytes, verify_file


@pytest.fixture(autouse=True)
def _only_signature_step(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("verification.pipeline.STEPS", ("verification.signatures.step:SignatureStep",))


def _readable_check(report):  # type: ignore[no-untyped-def]
    return [(c.status.value, c.code) for c in report.checks if c.id == "file.readable"]


@pytest.mark.timeout(120)
@pytest.mark.parametrize("name,code", [
    ("truncated.pdf", "file.unreadable"),
    ("encrypted-user-password.pdf", "file.encrypted"),
    ("ten-thousand-pages.pdf", "file.too_large"),
    ("huge-object-stream.pdf", "file.too_large"),  # refused before pdfium inflates it (it would abort)
    ("zero-bytes.pdf", "file.empty"),
])
def test_hostile_files_fail_plainly(name: str, code: str) -> None:
    what, make = CORPUS[name]
    report = verify_bytes(make(), name)
    assert report.verdict.value == "failed", what
    assert _readable_check(report) == [("fail", code)]
    assert report.signatures == ()
    en = report.checks[0].message("en")
    assert "Traceback" not in en and "?" not in en


@pytest.mark.timeout(120)
@pytest.mark.parametrize("name,before", [
    ("corrupt.pdf", [("file.structure", "warn", "file.damaged")]),
    ("broken-xref.pdf", [("file.structure", "warn", "file.damaged")]),
    ("encrypted-owner-only.pdf", []),
    ("cyclic.pdf", []),
    ("deeply-nested.pdf", []),
    ("polyglot.pdf", [("file.trailing_data", "warn", "file.trailing_data")]),
    ("javascript-launch.pdf", [("file.active_content", "warn", "file.active_content")]),
])
def test_unsigned_oddities_are_a_skip_not_a_crash(name: str, before: list[tuple[str, str, str]]) -> None:
    """Files PDFium can repair or open have no signature: our step says so (and what is odd about the
    file) and leaves the rest to the scan step."""
    _what, make = CORPUS[name]
    report = verify_bytes(make(), name)
    assert [(c.id, c.status.value, c.code) for c in report.checks] == [
        *before, ("signature.present", "skip", "signature.absent")]


def test_not_a_pdf_is_unsupported() -> None:
    report = verify_bytes(b"<html>this is a web page saved as .pdf</html>", "certificate.pdf")
    assert _readable_check(report) == [("fail", "file.unsupported")]


def test_huge_file_is_refused_before_reading(signature_cases) -> None:  # type: ignore[no-untyped-def]
    report = verify_file(signature_cases["valid"].path, VerifyOptions(max_file_bytes=1024))
    assert report.verdict.value == "failed"
    assert _readable_check(report) == [("fail", "file.too_large")]


def test_truncated_signed_pdf(signature_cases, test_pki) -> None:  # type: ignore[no-untyped-def]
    data = signature_cases["valid"].path.read_bytes()
    report = verify_bytes(data[: len(data) * 2 // 3], "signed.pdf", VerifyOptions(trust=(test_pki.trust_dir,)))
    assert report.verdict.value == "failed"
    assert _readable_check(report) == [("fail", "file.unreadable")]
    assert report.checks[0].message("ru").startswith(
        "Файл не удалось прочитать: PDF повреждён или загружен не полностью (возможно, загрузка прервалась).")
    assert report.checks[0].message("kk").startswith(
        "Файлды оқу мүмкін болмады: PDF зақымдалған немесе толық жүктелмеген (жүктеу үзілген болуы мүмкін).")
    assert report.checks[0].message("en").startswith(
        "The file could not be read: the PDF is damaged or incomplete, perhaps the download was interrupted.")


def test_signed_pdf_with_scrambled_tail(signature_cases, test_pki) -> None:  # type: ignore[no-untyped-def]
    data = bytearray(signature_cases["valid"].path.read_bytes())
    for i in range(len(data) - 400, len(data) - 10, 7):
        data[i] = (data[i] * 7 + 13) % 256
    report = verify_bytes(bytes(data), "signed.pdf", VerifyOptions(trust=(test_pki.trust_dir,)))
    assert report.verdict.value == "failed"
    statuses = {(c.id, c.status.value) for c in report.checks}
    assert ("file.readable", "fail") in statuses or ("signature.integrity", "fail") in statuses


def test_encrypted_signed_pdf_needs_password(test_pki, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import io

    from pypdf import PdfReader, PdfWriter

    from samples.signatures import sign_pdf
    from samples.signatures.documents import certificate_pdf

    w = PdfWriter(clone_from=PdfReader(io.BytesIO(certificate_pdf())))
    w.encrypt(user_password="secret", owner_password="owner", algorithm="AES-128")
    buf = io.BytesIO()
    w.write(buf)
    report = verify_bytes(buf.getvalue(), "locked.pdf", VerifyOptions(trust=(test_pki.trust_dir,)))
    assert _readable_check(report) == [("fail", "file.encrypted")]
    del sign_pdf  # signing an encrypted file needs the password too; the unsigned lock is the case that occurs
