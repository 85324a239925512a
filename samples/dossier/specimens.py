"""Sample evidence files for dossier tests, the demo and the benchmark.

Born-digital PDFs are drawn with reportlab (Russian and Kazakh text) and optionally signed (PAdES) with
a key of the test PKI; "scans" are a PDF page rendered to JPEG (pdftoppm, or pypdfium2 when poppler is
missing) with a blue round seal and a pen stroke drawn on it, the way a phone photo of a sealed,
signed programme looks. :func:`make_sample_dossier` writes a complete kz-researcher set + manifest.yaml.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

__all__ = ["DISTRICTS", "SAMPLE_TEACHER", "make_pdf", "make_sample_dossier", "make_scan", "sign_pdf"]

SAMPLE_TEACHER = {"full_name": "Жумабаева Айгерим Сериковна", "iin": "900101400123",
                  "organization": "КГУ «Школа-гимназия №5», г. Тараз"}
DISTRICTS = ("Байзакский район", "Жамбылский район", "Таласский район")


def make_pdf(path: Path, title: str, lines: Sequence[str], *, pages: int = 1) -> Path:
    """A born-digital A4 document with a title and lines of text (fonts with Kazakh letters)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    from service.fonts import reportlab_fonts

    fonts = reportlab_fonts()
    if fonts is None:
        raise RuntimeError("no TrueType font with Kazakh letters: install fonts-dejavu or fonts-liberation2")
    regular, bold = fonts
    c = canvas.Canvas(str(path), pagesize=A4)
    for n in range(pages):
        c.setFont(bold, 15)
        c.drawCentredString(A4[0] / 2, 770, title)
        c.setFont(regular, 11)
        y = 730
        for line in lines:
            c.drawString(60, y, line)
            y -= 18
        if pages > 1:
            c.drawString(60, 60, f"{n + 1}")
        c.showPage()
    c.save()
    return path


def sign_pdf(src: Path, dst: Path, p12: Path, password: bytes | None) -> Path:
    """PAdES-sign ``src`` into ``dst`` with a PKCS#12 key (pyHanko)."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    signer = signers.SimpleSigner.load_pkcs12(str(p12), passphrase=password)
    with src.open("rb") as fh:
        w = IncrementalPdfFileWriter(fh)
        out = io.BytesIO()
        signers.sign_pdf(w, signers.PdfSignatureMetadata(field_name="Signature1",
                                                         subfilter=fields.SigSeedSubFilter.PADES),
                         signer=signer, output=out)
    dst.write_bytes(out.getvalue())
    return dst


def _render_first_page(pdf: Path, dpi: int) -> object:
    from PIL import Image

    if shutil.which("pdftoppm"):
        with tempfile.TemporaryDirectory() as tmp:
            subprocess.run(["pdftoppm", "-r", str(dpi), "-f", "1", "-l", "1", "-jpeg", str(pdf), f"{tmp}/p"],
                           check=True, capture_output=True, timeout=60)
            out = min(Path(tmp).glob("p*.jpg"))
            return Image.open(out).convert("RGB")
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(pdf))
    img = doc[0].render(scale=dpi / 72).to_pil().convert("RGB")
    doc.close()
    return img


def make_scan(pdf: Path, jpeg: Path, *, seal: bool = True, signature: bool = True, dpi: int = 150,
              seed: int = 1, signature_at: tuple[float, float] = (0.30, 0.74)) -> Path:
    """A JPEG "scan" of the first page with a blue round seal and a handwritten signature (at the bottom,
    or where ``signature_at`` puts its top-left corner, as fractions of the page: on the signature line).

    Drawn at 300 dpi with the stamp and pen models of ``samples.scans.generate`` (the ones the seal and
    signature detectors are evaluated on), then saved at ``dpi``.
    """
    import random

    from PIL import Image

    from samples.scans.generate import _multiply, draw_seal, draw_signature

    img = _render_first_page(pdf, 300)
    w, h = img.size  # type: ignore[attr-defined]
    rng = random.Random(seed)
    if signature:
        sig = draw_signature(rng)
        _multiply(img, sig, (25, 25, 70), int(w * signature_at[0]), int(h * signature_at[1]))  # type: ignore[arg-type]
    if seal:
        mask = draw_seal("round", rng)
        _multiply(img, mask, (40, 70, 190), int(w * 0.52), int(h * 0.70))  # type: ignore[arg-type]
    if dpi != 300:
        img = img.resize((w * dpi // 300, h * dpi // 300), Image.LANCZOS)  # type: ignore[attr-defined]
    img.save(jpeg, "JPEG", quality=85, dpi=(dpi, dpi))  # type: ignore[attr-defined]
    return jpeg


def make_sample_dossier(folder: Path, *, p12: Path | None = None, password: bytes | None = None,
                        trust_dir: Path | None = None) -> Path:
    """A complete kz-researcher dossier (order, certificate, protocol extract, 3 sealed programme scans).

    The order and the protocol extract are PAdES-signed with ``p12`` when given. Returns manifest.yaml.
    """
    import yaml

    folder.mkdir(parents=True, exist_ok=True)
    t = SAMPLE_TEACHER["full_name"]
    order = make_pdf(folder / "order_unsigned.pdf", "ПРИКАЗ № 45-ОД от 12.10.2023", [
        "Методический центр Управления образования акимата Жамбылской области",
        "О трансляции инновационного педагогического опыта",
        f"Направить учителя {t} для участия в областном семинаре",
        "«Функциональная грамотность: опыт и практики», уровень: областной.",
        "Директор Методического центра ______________ Абдрахманов Е.К."])
    extract = make_pdf(folder / "extract_unsigned.pdf", "ВЫПИСКА ИЗ ПРОТОКОЛА № 3 от 20.09.2023", [
        "заседания учебно-методического совета при Методическом центре",
        f"Слушали: об одобрении опыта педагога {t}.",
        "Решили: одобрить опыт и рекомендовать к трансляции не менее чем в трёх районах.",
        "Хаттамадан үзінді: тәжірибені тарату ұсынылсын (ә ғ қ ң ө ұ ү һ і).",
        "Секретарь УМС ______________ Оспанова Г.Т."])
    if p12 is not None:
        sign_pdf(order, folder / "order.pdf", p12, password)
        sign_pdf(extract, folder / "protocol_extract.pdf", p12, password)
        order.unlink()
        extract.unlink()
    else:
        order.rename(folder / "order.pdf")
        extract.rename(folder / "protocol_extract.pdf")
    cert_pdf = make_pdf(folder / "certificate_src.pdf", "СЕРТИФИКАТ", [
        f"выдан {t}", "за участие в областном семинаре «Функциональная грамотность»",
        "15 ноября 2023 года, г. Тараз", "Директор ______________   М.П."])
    make_scan(cert_pdf, folder / "certificate.jpg", seed=7)
    cert_pdf.unlink()
    files: list[dict[str, object]] = [
        {"path": "order.pdf", "kind": "order"},
        {"path": "certificate.jpg", "kind": "certificate"},
        {"path": "protocol_extract.pdf", "kind": "protocol_extract"},
    ]
    for i, district in enumerate(DISTRICTS, 1):
        src = make_pdf(folder / f"programme_src_{i}.pdf", "ПРОГРАММА ТРАНСЛЯЦИИ ОПЫТА", [
            f"Педагог: {t}", f"Место проведения: {district}, Жамбылская область",
            f"Дата: {10 + i}.02.2024   Форма: мастер-класс", "Тема: «Читательская грамотность на уроках»",
            "Руководитель отдела образования ______________", "М.П."])
        # the head signs on the line after «Руководитель отдела образования», as on a real programme
        make_scan(src, folder / f"programme_{i}.jpg", seed=(1, 3, 4)[i - 1], signature_at=(0.47, 0.19))
        src.unlink()
        files.append({"path": f"programme_{i}.jpg", "kind": "transmission_program"})
    manifest: dict[str, object] = {
        "teacher": SAMPLE_TEACHER,
        "profile": "kz-researcher",
        "period": {"start": "2022-09-01", "end": "2027-08-31"},
        "files": files,
    }
    if trust_dir is not None:
        manifest["trust"] = [str(trust_dir)]
    path = folder / "manifest.yaml"
    path.write_text(yaml.safe_dump(manifest, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path
