"""PDFs through LibreOffice: data and Kazakh letters are extractable; QR carries id and hash; PDF/A."""

from __future__ import annotations

import copy
import io
import itertools
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


def test_the_lines_of_a_multi_line_text_are_not_stretched_across_a_justified_paragraph(gen_data_dir: Path,
                                                                                      tmp_path: Path) -> None:
    """The «heard» text of a protocol's agenda item, typed in a textarea (line ends as the browser sends them):
    each line is printed as written, one line each, and a short line keeps its words together (a justified
    paragraph stretched the line before each break across the page: «1)      об      опыте      работы;»)."""
    data = copy.deepcopy(example_data("protocol", "ru"))
    data["agenda"][0]["heard"] = "Слушали доклад учителя:\r\n1) об опыте работы;\r\n2) о результатах обучения."
    doc = generate_document("protocol", data, "ru", "pdf", register=False)
    pdf = tmp_path / "p.pdf"
    pdf.write_bytes(doc.content)
    html = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    words = [(float(x0), float(y0), float(x1), w) for x0, y0, x1, w in
             re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>', html)]
    line = next(i for i in range(len(words) - 3) if [w[3] for w in words[i:i + 4]] == ["1)", "об", "опыте", "работы;"])
    row = words[line:line + 4]
    assert len({round(w[1]) for w in row}) == 1  # one line
    gaps = [b[0] - a[2] for a, b in itertools.pairwise(row)]
    assert max(gaps) < 8, gaps  # a word space (about 3 pt), not a stretched line (tens of points)
    before = words[line - 1]
    assert before[3] == "учителя:" and before[1] < row[0][1]  # the line before it ends the first line
    after = words[line + 4]
    assert after[3] == "2)" and after[1] > row[0][1]  # and the next one starts a line of its own
    assert [w[3] for w in words[line + 4:line + 8]] == ["2)", "о", "результатах", "обучения."]
