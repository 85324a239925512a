"""End to end with real files: manifest → verify_file → match → dossier.pdf/zip/manifest.json, signed.

The dossier's own PAdES signature validates with pyHanko and a changed byte is detected; the embedded
originals come out byte for byte and their own signatures still validate; JPEG scans are embedded
without re-encoding; the CLI exits 0 on a built dossier and 2 on bad input.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from pathlib import Path

import pytest
import yaml
from pypdf import PdfReader

from service.attestation.build import build_dossier, build_evidence_bundle
from service.attestation.errors import ManifestError, UnknownProfile
from service.attestation.ledger import MemoryLedger
from service.attestation.matching import Teacher
from service.attestation.profiles import load_profile
from service.cli import main
from service.dossier.ledger import SqlLedger
from service.signing import PadesSigner


def _validate(pdf: bytes, root_pem: Path, index: int = 0):  # type: ignore[no-untyped-def]
    from pyhanko.keys import load_cert_from_pemder
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    vc = ValidationContext(trust_roots=[load_cert_from_pemder(str(root_pem))], allow_fetching=False,
                           revocation_mode="soft-fail")
    reader = PdfFileReader(io.BytesIO(pdf), strict=False)
    return validate_pdf_signature(reader.embedded_signatures[index], vc)


@pytest.fixture(scope="session")
def sample(tmp_path_factory: pytest.TempPathFactory, test_pki):  # type: ignore[no-untyped-def]
    from samples.dossier.specimens import make_sample_dossier

    org = test_pki.signers["organisation"]
    folder = tmp_path_factory.mktemp("dossier-in")
    return make_sample_dossier(folder, p12=org.p12, password=org.password, trust_dir=test_pki.trust_dir)


@pytest.fixture(scope="session")
def built(sample: Path, tmp_path_factory: pytest.TempPathFactory, test_pki):  # type: ignore[no-untyped-def]
    service = test_pki.signers["service"]
    out = tmp_path_factory.mktemp("dossier-out")
    return build_dossier(sample, out, signer=PadesSigner(service.p12, service.password), ledger=MemoryLedger())


@pytest.mark.slow
def test_outputs_and_manifest(built, sample: Path) -> None:  # type: ignore[no-untyped-def]
    for name in ("dossier.pdf", "dossier.zip", "manifest.json"):
        assert (built.out_dir / name).is_file()
    m = json.loads(built.manifest.read_text(encoding="utf-8"))
    assert m["dossier_id"] == built.dossier_id and m["dossier_id"].startswith("D-")
    assert m["profile"] == "kz-researcher"
    assert m["status"] == built.match.status.value
    assert [r["id"] for r in m["requirements"]] == [r.id for r in load_profile("kz-researcher").requirements]
    # the real verification pipeline reads dates, names, places, seals and signatures of the sample set
    assert {r["id"]: r["status"] for r in m["requirements"]} == {
        "participation_events": "met", "confirming_document": "met", "council_decision": "met",
        "transmission_three_districts": "met"}
    assert m["status"] == "complete"
    three = m["requirements"][3]
    assert three["documents"] == ["programme_1.jpg", "programme_2.jpg", "programme_3.jpg"]
    assert [p["name"] for p in three["places"]] == ["Байзакский район", "Жамбылский район", "Таласский район"]
    names = ["order.pdf", "certificate.jpg", "protocol_extract.pdf", "programme_1.jpg", "programme_2.jpg",
             "programme_3.jpg"]
    assert [f["path"] for f in m["files"]] == names
    for f in m["files"]:
        assert f["sha256"] == hashlib.sha256((sample.parent / f["path"]).read_bytes()).hexdigest()
        assert f["report"]["sha256"] == f["sha256"] and f["report"]["file"] == f["path"]
    assert m["files"][0]["report"]["kind"] == "order"
    assert m["signed"] is True
    assert m["dossier_pdf_sha256"] == hashlib.sha256(built.pdf.read_bytes()).hexdigest()


@pytest.mark.slow
def test_dossier_signature_validates_and_a_changed_byte_is_detected(built, test_pki) -> None:  # type: ignore[no-untyped-def]
    pdf = built.pdf.read_bytes()
    status = _validate(pdf, test_pki.root_pem, index=-1)
    assert (status.intact, status.valid, status.trusted) == (True, True, True)
    assert status.coverage.name == "ENTIRE_FILE"
    assert status.signing_cert.subject.native["common_name"] == test_pki.signers["service"].cert.subject.rfc4514_string(
    ).split("CN=")[1].split(",")[0]
    at = pdf.index(b"(Attest D-")  # a footer text, inside the signed byte range
    tampered = pdf[:at + 2] + b"a" + pdf[at + 3:]
    assert len(tampered) == len(pdf) and tampered != pdf
    bad = _validate(tampered, test_pki.root_pem, index=-1)
    assert (bad.intact, bad.bottom_line) == (False, False)


@pytest.mark.slow
def test_embedded_originals_unchanged_and_still_valid(built, sample: Path, test_pki) -> None:  # type: ignore[no-untyped-def]
    reader = PdfReader(io.BytesIO(built.pdf.read_bytes()))
    attachments = {name: data[0] for name, data in reader.attachments.items()}
    assert sorted(attachments) == sorted(["order.pdf", "certificate.jpg", "protocol_extract.pdf", "programme_1.jpg",
                                          "programme_2.jpg", "programme_3.jpg"])
    for name, data in attachments.items():
        assert data == (sample.parent / name).read_bytes(), name
    order = _validate(attachments["order.pdf"], test_pki.root_pem)
    assert (order.intact, order.valid, order.trusted) == (True, True, True)
    with zipfile.ZipFile(built.zip) as z:
        assert z.read("originals/protocol_extract.pdf") == (sample.parent / "protocol_extract.pdf").read_bytes()
        assert z.read("dossier.pdf") == built.pdf.read_bytes()
        assert json.loads(z.read("manifest.json"))["dossier_id"] == built.dossier_id
    extract = _validate(attachments["protocol_extract.pdf"], test_pki.root_pem)
    assert (extract.intact, extract.valid, extract.trusted) == (True, True, True)


@pytest.mark.slow
def test_pages_bookmarks_footer_and_jpegs_not_reencoded(built, sample: Path) -> None:  # type: ignore[no-untyped-def]
    reader = PdfReader(io.BytesIO(built.pdf.read_bytes()))
    # cover + requirements + 6 summaries + 6 one-page documents
    assert len(reader.pages) == 14 == built.assembly.pages
    titles = [o.title for o in reader.outline if not isinstance(o, list)]
    assert titles == ["Обложка", "Требования", "Документы досье"]
    children = [o.title for o in reader.outline[3] if not isinstance(o, list)]
    assert children[0] == "1. Приказ — order.pdf"
    assert children[3] == "4. Программа трансляции опыта — programme_1.jpg"
    for n in (0, 7, 13):
        assert f"Attest {built.dossier_id}   {n + 1} / 14" in reader.pages[n].extract_text()
    files = {f["path"]: f for f in json.loads(built.manifest.read_text(encoding="utf-8"))["files"]}
    page = reader.pages[files["programme_1.jpg"]["page"] - 1]
    xobjects = page["/Resources"]["/XObject"]
    images = [xobjects[k].get_object() for k in xobjects]
    assert len(images) == 1 and images[0]["/Filter"] == "/DCTDecode"
    assert images[0].get_data() == (sample.parent / "programme_1.jpg").read_bytes()


@pytest.mark.slow
def test_cli_builds_and_refuses_bad_input(sample: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    manifest = yaml.safe_load(sample.read_text(encoding="utf-8"))
    manifest["files"] = [{"path": str(sample.parent / "order.pdf"), "kind": "order"}]
    small = tmp_path / "small.yaml"
    small.write_text(yaml.safe_dump(manifest, allow_unicode=True), encoding="utf-8")
    assert main(["dossier", "build", str(small), "--out", str(tmp_path / "out"), "--lang", "kk"]) == 0
    out = capsys.readouterr().out
    assert "dossier.pdf" in out and "unmet" in out
    assert json.loads((tmp_path / "out" / "manifest.json").read_text(encoding="utf-8"))["status"] == "incomplete"

    manifest["profile"] = "kz-teacher"
    small.write_text(yaml.safe_dump(manifest, allow_unicode=True), encoding="utf-8")
    assert main(["dossier", "build", str(small), "--out", str(tmp_path / "out2")]) == 2
    assert "attest: error: unknown profile 'kz-teacher'; known profiles: kz-master," in capsys.readouterr().err

    manifest["profile"] = "kz-researcher"
    manifest["files"] = [{"path": "nowhere.pdf"}]
    small.write_text(yaml.safe_dump(manifest, allow_unicode=True), encoding="utf-8")
    assert main(["dossier", "build", str(small), "--out", str(tmp_path / "out3")]) == 2
    assert "attest: error: files[0].path: 'nowhere.pdf' not found (paths are relative to the manifest's folder" \
        in capsys.readouterr().err

    del manifest["teacher"]
    small.write_text(yaml.safe_dump(manifest, allow_unicode=True), encoding="utf-8")
    assert main(["dossier", "build", str(small), "--out", str(tmp_path / "out4")]) == 2
    assert capsys.readouterr().err == "attest: error: small.yaml: teacher: is required\n"
    assert main(["dossier", "build", str(tmp_path / "missing.yaml"), "--out", str(tmp_path / "out5")]) == 2


def test_manifest_errors(tmp_path: Path) -> None:
    (tmp_path / "a.pdf").write_bytes(b"%PDF-1.4\n")
    base = {"teacher": {"full_name": "Иванова Мария Петровна"}, "profile": "kz-postcourse",
            "period": {"start": "2023-01-10", "end": "2024-06-30"}, "files": [{"path": "a.pdf"}]}
    path = tmp_path / "m.json"
    path.write_text(json.dumps(base), encoding="utf-8")
    with pytest.raises(ManifestError) as exc:
        build_dossier(path, tmp_path / "out")
    assert str(exc.value) == ("m.json: period: 538 days, but kz-postcourse allows at most 366 "
                              "(one calendar year after the course)")
    base["period"] = {"start": "2024-01-10", "end": "2023-06-30"}
    base["files"] = [{"path": "a.pdf", "kind": "diploma"}]
    path.write_text(json.dumps(base), encoding="utf-8")
    with pytest.raises(ManifestError) as exc:
        build_dossier(path, tmp_path / "out")
    assert str(exc.value).startswith("m.json: period: end 2023-06-30 is before start 2024-01-10; "
                                     "files[0].kind: unknown kind 'diploma'; one of: protocol,")
    base["profile"] = "ru-postcourse-top"
    base["period"] = {"start": "2023-01-10", "end": "2023-06-30"}
    base["files"] = [{"path": "a.pdf"}]
    path.write_text(json.dumps(base), encoding="utf-8")
    with pytest.raises(UnknownProfile):
        build_dossier(path, tmp_path / "out")


@pytest.mark.slow
def test_evidence_bundle(built, sample: Path, tmp_path: Path, test_pki) -> None:  # type: ignore[no-untyped-def]
    service = test_pki.signers["service"]
    folder = sample.parent
    result = build_evidence_bundle(
        teacher=Teacher("Жумабаева Айгерим Сериковна", "900101400123"), event="Областной семинар, 15.11.2023",
        files=[(folder / "programme_1.jpg", "transmission_program"), (folder / "certificate.jpg", "certificate"),
               (folder / "order.pdf", "order")],
        out_dir=tmp_path, signer=PadesSigner(service.p12, service.password),
        reports={r.sha256: r for r in built.reports.values()},
    )
    assert result.pdf.name == "evidence.pdf" and result.zip.name == "evidence.zip"
    reader = PdfReader(io.BytesIO(result.pdf.read_bytes()))
    assert sorted(reader.attachments) == ["certificate.jpg", "order.pdf", "programme_1.jpg"]
    assert len(reader.pages) == 1 + 3 + 3  # cover, summaries, documents (no requirements table)
    assert "Областной семинар, 15.11.2023" in reader.pages[0].extract_text()
    status = _validate(result.pdf.read_bytes(), test_pki.root_pem, index=-1)
    assert (status.intact, status.valid, status.trusted) == (True, True, True)
    assert result.manifest_data["kind"] == "evidence_bundle" and result.manifest_data["requirements"] == []


def test_sql_ledger_flags_a_document_of_another_dossier(tmp_path: Path) -> None:
    from service.db import make_engine, upgrade

    url = f"sqlite:///{tmp_path / 'ledger.db'}"
    upgrade(url)
    from samples.dossier.reports import PERIOD, TEACHER, complete_evidence
    from service.attestation.ledger import entries_from_match
    from service.attestation.matching import match_evidence

    ledger = SqlLedger(make_engine(url))
    profile = load_profile("kz-tvet-expert")
    evidence = list(complete_evidence(profile).evidence)
    first = match_evidence(profile, evidence, period=PERIOD, dossier_id="D-A", ledger=ledger)
    ledger.record("D-A", profile.id, TEACHER, entries_from_match(first, {e.name: e.report for e in evidence}))
    assert len(ledger.dossier_entries("D-A")) == len(evidence)
    ledger.record("D-A", profile.id, TEACHER, entries_from_match(first, {e.name: e.report for e in evidence}))
    assert len(ledger.dossier_entries("D-A")) == len(evidence)  # rebuilding replaces, never doubles
    again = match_evidence(profile, evidence, period=PERIOD, dossier_id="D-A", ledger=ledger)
    assert again.status.value == "complete"
    other = match_evidence(profile, evidence, period=PERIOD, dossier_id="D-B", ledger=ledger)
    assert other.summary() == {r.id: "unmet" for r in profile.requirements}
    dup = other.documents[0].duplicate
    assert dup is not None and (dup.other, dup.source, dup.how, dup.teacher) == (
        "D-A", "ledger", "sha256", TEACHER.full_name)


@pytest.mark.slow
def test_dossier_pdf_speaks_the_commissions_language(built) -> None:  # type: ignore[no-untyped-def]
    """The generated pages (cover, requirements, one summary per document) in Russian words: no
    requirement ids, no raw confidences, no ETSI codes or media types, dates as 10.03.2022."""
    import re

    from tests.web.latin import latin_words

    reader = PdfReader(str(built.pdf))
    generated = []
    for page in reader.pages:
        text = page.extract_text() or ""
        if "Аттестационное досье" in text or "Требования" in text or "Сводка по документу" in text:
            generated.append(text)
    text = "\n".join(generated)
    assert "Сводка по документу" in text and len(generated) >= 7
    for internal in ("participation_events", "transmission_three_districts", "TOTAL_PASSED", "application/",
                     "image/jpeg"):
        assert internal not in text
    assert re.search(r"\(0\.\d\d\)", text) is None
    assert re.findall(r".{0,60}\b\d{4}-\d{2}-\d{2}\b", text.replace(built.dossier_id, "")) == []
    assert "1. Копия программы или приказа" in text  # a requirement by its number and words
    # the test PKI's certificates carry English names («Attest Test Issuing CA»): names, not words
    words = latin_words(re.sub(r"Attest Test[\w\s-]*", "", text.replace(built.dossier_id, "")))
    context = {w: re.findall(r".{0,40}\b" + re.escape(w) + r"\b.{0,15}", text)[:1] for w in words}
    assert words == [], context
