"""PDFs through LibreOffice: data and Kazakh letters are extractable; QR carries id and hash; PDF/A."""

from __future__ import annotations

import copy
import io
import re
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from service.documents.service import generate_document
from service.generation.schemas import SCHEMAS, example_data
from service.registry.service import lookup_record
from verification.qr_payload import parse_payload

pytestmark = pytest.mark.slow
KAZAKH = "әғқңөұүһі"


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(content)).pages)


def _norm(s: str) -> str:
    return re.sub(r"\s+", " ", s)


@pytest.mark.parametrize("kind", sorted(SCHEMAS))
@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_sample_pdf_carries_data(sample_pdfs: dict, kind: str, lang: str) -> None:  # type: ignore[type-arg]
    content = sample_pdfs[(kind, lang)].read_bytes()
    assert content.startswith(b"%PDF")
    text = _norm(pdf_text(content))
    data = example_data(kind, lang)
    person = {
        "certificate": lambda: data["participant"],
        "order": lambda: data["teachers"][0]["full_name"],
        "halfyear_report": lambda: data["teachers"][0]["full_name"],
        "regional_plan": lambda: data["events"][0]["teacher"],
        "protocol": lambda: data["chair"]["full_name"],
        "implementation_act": lambda: data["author"]["full_name"],
    }.get(kind, lambda: data["teacher"]["full_name"])()
    assert _norm(person) in text
    assert re.search(r"MC-KRG|RUMS-MP|SCH12-TMR|HPK-KRG|UKSOSH|SCH25-PVL", text)
    if lang == "kk":
        missing = [ch for ch in KAZAKH if ch not in text.lower()]
        assert missing == []
    fonts = subprocess.run(["pdffonts", str(sample_pdfs[(kind, lang)])], capture_output=True, text=True, check=True).stdout
    assert "LiberationSerif" in fonts


def test_qr_code_carries_id_and_content_hash(sample_pdfs: dict, tmp_path: Path) -> None:  # type: ignore[type-arg]
    import zxingcpp
    from PIL import Image

    pdf = sample_pdfs[("order", "kk")]
    subprocess.run(["pdftoppm", "-r", "150", "-png", str(pdf), str(tmp_path / "p")], check=True)
    payloads = []
    for png in sorted(tmp_path.glob("p*.png")):
        payloads += [r.text for r in zxingcpp.read_barcodes(Image.open(png))]
    assert len(payloads) == 1
    doc_id, content_sha = parse_payload(payloads[0])
    record = lookup_record(doc_id)
    assert record is not None and record.kind == "order" and record.content_sha256 == content_sha
    import hashlib

    assert hashlib.sha256(pdf.read_bytes()).hexdigest() in record.file_sha256s


def test_template_looking_input_is_printed_literally_in_pdf(gen_data_dir: Path) -> None:
    data = copy.deepcopy(example_data("certificate", "kk"))
    data["participant"] = "{{ 7*7 }} <b>Әлиһан</b> & {% for %}"
    doc = generate_document("certificate", data, "kk", "pdf")
    text = pdf_text(doc.content)
    assert "{{ 7*7 }} <b>Әлиһан</b> & {% for %}" in text
    assert doc.registration_number is not None and doc.registration_number.startswith("MC-KRG-CRT-2024-")


def test_pdfa_copy_declares_pdfa_2b(gen_data_dir: Path) -> None:
    doc = generate_document("protocol_extract", example_data("protocol_extract", "kk"), "kk", "pdf", pdfa=True)
    meta = PdfReader(io.BytesIO(doc.content)).xmp_metadata
    assert meta is not None
    xml = meta.stream.get_data().decode("utf-8", "replace")
    assert re.search(r"pdfaid:part(?:>|=\")2", xml) and re.search(r"pdfaid:conformance(?:>|=\")B", xml)
    assert "ә" in pdf_text(doc.content)
