"""dossier.pdf carries the commission's decision and the kept signatures (issue 15): the cover states the
decision, comment, member, date and who signed (IIN masked, time, verified); the signed manifests and their
CMS are attached to the PDF (and in the ZIP under signatures/), and verify again with the verification
library over the attached bytes."""

from __future__ import annotations

import datetime as dt
import json
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfReader

from samples.signatures.documents import certificate_pdf
from samples.signatures.external import rsa_cms
from service.attestation.assembly import DecisionRecord, DossierDocument, KeptSignature, assemble_dossier
from service.attestation.matching import Teacher
from verification.pipeline import VerifyOptions, verify_file

SUBMISSION = json.dumps({"type": "attest.dossier.submission", "dossier_id": "D-1", "teacher": "ЖУМАБАЕВА АЙГЕРИМ",
                         "files": [{"name": "certificate.pdf"}]}, ensure_ascii=False, sort_keys=True).encode()
DECISION = json.dumps({"type": "attest.dossier.decision", "dossier_id": "D-1", "decision": "rejected",
                       "comment": "Нет приказа о курсах", "member": "САТПАЕВА ГУЛЬНАРА"},
                      ensure_ascii=False, sort_keys=True).encode()


@pytest.fixture(scope="module")
def built(test_pki, tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    folder = tmp_path_factory.mktemp("decision-dossier")
    doc = folder / "certificate.pdf"
    doc.write_bytes(certificate_pdf("СЕРТИФИКАТ УЧАСТНИКА"))
    report = verify_file(doc, VerifyOptions(), name="certificate.pdf")
    files = [("submission-manifest.json", SUBMISSION), ("submission.p7s", rsa_cms(SUBMISSION, test_pki, "signer")),
             ("decision-manifest.json", DECISION), ("decision.p7s", rsa_cms(DECISION, test_pki, "organisation"))]
    submission = KeptSignature("ЖУМАБАЕВА АЙГЕРИМ", "********0123", "2026-12-05T10:15:00+00:00", True)
    decision = DecisionRecord("rejected", "Нет приказа о курсах", "Сатпаева Гульнара",
                              dt.datetime(2026, 12, 5, 11, 30, tzinfo=dt.UTC),
                              KeptSignature("САТПАЕВА ГУЛЬНАРА", "********0789", "2026-12-05T11:29:00+00:00", True))
    out = {}
    for lang in ("ru", "kk"):
        out[lang] = assemble_dossier(folder / lang, dossier_id="D-1", teacher=Teacher("Жумабаева Айгерим", None),
                                     documents=[DossierDocument("certificate.pdf", doc, report)], lang=lang,
                                     decision=decision, submission=submission, signed_files=files)
    unsigned = assemble_dossier(folder / "unsigned", dossier_id="D-1", teacher=Teacher("Жумабаева Айгерим", None),
                                documents=[DossierDocument("certificate.pdf", doc, report)],
                                decision=DecisionRecord("approved", "", "Сатпаева Гульнара", None, None))
    return out, unsigned, files


def _cover(pdf: Path) -> str:
    return " ".join(PdfReader(pdf).pages[0].extract_text().split())


def test_the_cover_states_the_decision_and_who_signed_in_russian(built) -> None:  # type: ignore[no-untyped-def]
    text = _cover(built[0]["ru"].pdf)
    assert "Решение комиссии" in text
    assert "Подача подписана ЭЦП ЖУМАБАЕВА АЙГЕРИМ, ИИН ********0123 · 05.12.2026 10:15 UTC · подпись " \
           "проверена" in text
    assert "Решение отклонено" in text
    assert "Комментарий Нет приказа о курсах" in text
    assert "Член комиссии Сатпаева Гульнара" in text
    assert "Дата решения 05.12.2026 11:30 UTC" in text
    assert "Решение подписано ЭЦП САТПАЕВА ГУЛЬНАРА, ИИН ********0789 · 05.12.2026 11:29 UTC · подпись " \
           "проверена" in text
    assert "750312400789" not in text and "900101400123" not in text


def test_the_cover_states_it_in_kazakh(built) -> None:  # type: ignore[no-untyped-def]
    text = _cover(built[0]["kk"].pdf)
    assert "Комиссия шешімі" in text
    assert "Шешім қабылданбады" in text
    assert "Шешімге ЭЦҚ-мен қол қойылған САТПАЕВА ГУЛЬНАРА, ЖСН ********0789" in text


def test_a_decision_recorded_without_a_key_says_so(built) -> None:  # type: ignore[no-untyped-def]
    text = _cover(built[1].pdf)
    assert "Решение принято" in text
    assert "Решение подписано ЭЦП без ЭЦП" in text
    assert PdfReader(built[1].pdf).attachments.keys() == {"certificate.pdf"}
    assert "submission_signature" not in built[1].manifest_data
    assert built[1].manifest_data["decision"]["signature"] is None


def test_attached_cms_verify_over_the_attached_manifests(built, test_pki, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    result, _unsigned, files = built
    attachments = PdfReader(result["ru"].pdf).attachments
    assert sorted(attachments) == sorted(["certificate.pdf", *(name for name, _ in files)])
    for name, data in files:
        assert attachments[name] == [data]
    for manifest, sig, iin in (("submission-manifest.json", "submission.p7s", "900101400123"),
                               ("decision-manifest.json", "decision.p7s", "750312400789")):
        (tmp_path / manifest).write_bytes(attachments[manifest][0])
        (tmp_path / sig).write_bytes(attachments[sig][0])
        report = verify_file(tmp_path / manifest, VerifyOptions(detached=tmp_path / sig, trust=(test_pki.trust_dir,)))
        assert [(s.indication.value, s.signer.iin) for s in report.signatures] == [("TOTAL_PASSED", iin)]
    # one changed byte of the attached decision: the attached CMS no longer covers it
    (tmp_path / "decision-manifest.json").write_bytes(attachments["decision-manifest.json"][0].replace(
        b"rejected", b"approved"))
    report = verify_file(tmp_path / "decision-manifest.json",
                         VerifyOptions(detached=tmp_path / "decision.p7s", trust=(test_pki.trust_dir,)))
    assert [s.indication.value for s in report.signatures] == ["TOTAL_FAILED"]
    with zipfile.ZipFile(result["ru"].zip) as z:
        assert {n for n in z.namelist() if n.startswith("signatures/")} == {f"signatures/{n}" for n, _ in files}
    manifest = result["ru"].manifest_data
    assert manifest["decision"] == {
        "decision": "rejected", "comment": "Нет приказа о курсах", "member": "Сатпаева Гульнара",
        "decided_at": "2026-12-05T11:30:00+00:00",
        "signature": {"signer": "САТПАЕВА ГУЛЬНАРА", "iin": "********0789", "organisation": None,
                      "signed_at": "2026-12-05T11:29:00+00:00", "algorithm": None, "verified": True}}
    assert manifest["submission_signature"]["verified"] is True
