"""The one table of document kinds: every title a user reads for a kind comes from it — on the page,
in a report's check messages and in the commission's dossier.pdf — and the places that list kinds
(schemas, registry codes, cues, profiles, the command line) agree with it."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from service.attestation import assembly
from service.attestation.assembly import DossierDocument, assemble_dossier
from service.attestation.matching import Teacher, kind_title
from service.attestation.profiles import KNOWN_KINDS, load_profiles
from service.cli import build_parser
from service.generation.schemas import SCHEMAS
from service.registry.service import KIND_CODES
from service.web.i18n import translate
from service.web.views import kind_label
from verification import kinds
from verification.fields import detect_kind
from verification.pipeline import VerifyOptions, verify_file
from verification.report import DOCUMENT_KINDS, Report

LANGS = ("ru", "kk", "en")
_FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


def test_the_table_is_well_formed() -> None:
    ids = [k.id for k in kinds.KINDS]
    aliases = [a for k in kinds.KINDS for a in k.aliases]
    assert len(set(ids + aliases)) == len(ids) + len(aliases)
    for k in kinds.KINDS:
        assert all(k.title(lang) for lang in LANGS), k.id
        assert (k.heading_ru is not None) == (k.heading_kk is not None) == k.generated, k.id
        assert (k.registry_code is not None) == k.generated, k.id
    assert set(kinds.DETECTION_ORDER) == {k.id for k in kinds.KINDS if k.cues}
    assert len(kinds.DETECTION_ORDER) == len(set(kinds.DETECTION_ORDER))
    assert kinds.kind("programme") is kinds.kind("event_program")


def test_generated_kinds_are_the_contract_kinds_and_have_schemas() -> None:
    assert DOCUMENT_KINDS == kinds.GENERATED_KINDS == (
        "protocol", "protocol_extract", "expert_conclusion", "order", "transmission_program", "certificate",
        "implementation_act", "regional_plan", "postcourse_checklist", "competence_plan", "halfyear_report")
    assert tuple(SCHEMAS) == kinds.GENERATED_KINDS


def test_registry_codes_are_unique_and_the_tables() -> None:
    assert KIND_CODES == {k.id: k.registry_code for k in kinds.KINDS if k.generated}
    assert len(set(KIND_CODES.values())) == len(KIND_CODES)
    assert all(re.fullmatch(r"[A-Z]{3}", code) for code in KIND_CODES.values())


def test_profiles_and_command_line_name_the_tables_kinds() -> None:
    assert set(KNOWN_KINDS) == {k.id for k in kinds.KINDS if k.evidence} - {"other"} == set(kinds.EVIDENCE_KINDS)
    assert "not_attestation" not in KNOWN_KINDS  # a verdict on a paper, never a requirement
    for profile in load_profiles().values():
        for requirement in profile.requirements:
            assert set(requirement.kinds) <= set(KNOWN_KINDS)
    assert build_parser().parse_args(["verify", "a.pdf", "--kind", "programme"]).kind == "programme"
    with pytest.raises(SystemExit):
        build_parser().parse_args(["generate", "other", "--data", "d.json", "--out", "o.pdf"])


@pytest.mark.parametrize("kind_id", kinds.DETECTION_ORDER)
def test_a_generated_heading_or_title_is_recognised_as_its_kind(kind_id: str) -> None:
    k = kinds.kind(kind_id)
    for text in (k.title_ru, k.title_kk):
        match = detect_kind([text])
        assert match is not None and match.kind == kind_id, text


def test_titles_on_the_page_are_the_tables() -> None:
    for kind_id in kinds.ALL_KINDS:
        for lang in LANGS:
            title = kinds.title(kind_id, lang)
            assert kind_label(kind_id, lang) == title
            assert translate(lang, f"kind.{kind_id}") == title  # what the templates' t('kind.' ~ k) reads
    assert kind_label("something_new", "ru") == "something new"


def _text_pdf(path: Path, lines: list[str]) -> Path:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(TTFont("DejaVu", _FONT))
    c = canvas.Canvas(str(path), pagesize=A4)
    c.setFont("DejaVu", 12)
    for i, ln in enumerate(lines):
        c.drawString(60, 780 - i * 20, ln)
    c.save()
    return path


def test_titles_in_the_report_messages_are_the_tables(tmp_path: Path) -> None:
    order = _text_pdf(tmp_path / "order.pdf", ["КГУ «Методический центр»", "ПРИКАЗ", "№ 84-ө от «10» марта 2022 года"])
    for kind_id in kinds.ALL_KINDS:
        if kind_id == "order":
            continue
        report = verify_file(order, VerifyOptions(kind=kind_id))
        check = next(c for c in report.checks if c.id == "document.kind")
        assert check.code == "document.kind.mismatch"
        for lang in LANGS:
            message = check.message(lang)
            assert f"«{kinds.title(kind_id, lang)}»" in message, (kind_id, lang, message)
            assert f"«{kinds.title('order', lang)}»" in message
            # the same after the report's round trip through its JSON
            again = next(c for c in Report.from_dict(report.to_dict()).checks if c.id == "document.kind")
            assert again.message(lang) == message


def test_titles_in_the_dossier_pdf_are_the_tables(tmp_path: Path) -> None:
    assert assembly.kind_title is kind_title
    for kind_id in kinds.ALL_KINDS:
        for lang in LANGS:
            assert kind_title(kind_id, lang) == kinds.title(kind_id, lang)
    scan = _text_pdf(tmp_path / "doc.pdf", ["Документ"])
    documents = [DossierDocument(f"{k.id}.pdf", scan, Report(f"{k.id}.pdf", "0" * 64, "application/pdf", 1, k.id))
                 for k in kinds.KINDS]
    for lang in LANGS:
        result = assemble_dossier(tmp_path / lang, dossier_id="D-KINDS", teacher=Teacher("Жумабаева Айгерим Сериковна"),
                                  documents=documents, lang=lang)
        reader = PdfReader(io.BytesIO(result.pdf.read_bytes()))
        contents = next(o for o in reader.outline if isinstance(o, list))
        bookmarks = [o.title for o in contents if not isinstance(o, list)]
        assert bookmarks == [f"{n}. {k.title(lang)} — {k.id}.pdf" for n, k in enumerate(kinds.KINDS, 1)]
        text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
        for k in kinds.KINDS:
            assert " ".join(k.title(lang).split()) in text, (k.id, lang)


# -- papers that are clearly no attestation evidence (issue 14) --------------------------------------
# Lines as tesseract reads the kzoffice pages of ../shared/realscans (names and numbers as there).
_DOSIMETRY = ["Товарищество с ограниченной", "ответсвенность “АВМЕТА”", "Лицензия:", "№ 7777777", "ПРОТОКОЛ",
              "№ 77 от 12.04.2025",
              *[f"строка {i}" for i in range(12)],
              "3. Өлшеулер мақсаты (Цель измерения ) Измерение МЭД гамма-излучения",
              "5. Өлшеу кұралдары (Средства измерений) дозиметр РРР-07-СОЛО № 77-77"]
_ESTIMATE = ["Программный комплекс АВС (редакция 2025.9)", "ЛОКАЛЬНАЯ СМЕТА № 02-01-01",
             "32 СкП розетка 1]-45 шт 77777", "Составил Олегов К.", "Проверил Кайратов О."]
_TERMS = ["ТЕХНИЧЕСКОЕ ЗАДАНИЕ", "«УТВЕРЖДАЮ»", "Руководитель хозяйства",
          "на разработку рабочего проекта по объекту:", "«Переустройство на участке от «Темирлан» до «Олег»"]
_DECISIONS = ["Основные", "технические решения", "Объект: Строительство вытяжных железнодорожных путей",
              "Генпроектировщик: ТОО «Армета Промстройпроект»", "Стадия проектирования: Рабочий проект"]
_PASSPORT = ["ТОВАРИЩЕСТВО С ОГРАНИЧЕННОЙ ОТВЕТСТВЕННОСТЬЮ", "«Институт Армета Промстройпроект»", "ТОМ 1",
             "ПАСПОРТ ПРОЕКТА", "Шифр 777/7-ПП", "Стадия: П"]
_LAND = ["Акимат Байзакского района", "ПОСТАНОВЛЕНИЕ", "от 12 мая 2023 года № 145",
         "О предоставлении права временного возмездного землепользования на земельный участок",
         "кадастровый номер 06-090-012-345"]
_DRAWING = ["Фасад 1-5", "Разрез 1-1", "ЖК «Арман»", "Стадия Лист Листов", "РП 3 12", "ГИП Арметов"]
_LAND_KK = ["Байзақ ауданының әкімдігі", "ҚАУЛЫ", "Жер учаскесін беру туралы"]


@pytest.mark.parametrize("lines,raw,confidence", [
    (_DOSIMETRY, "МЭД", 0.6), (_ESTIMATE, "Программный комплекс АВС", 0.9), (_TERMS, "ТЕХНИЧЕСКОЕ ЗАДАНИЕ", 0.9),
    (_DECISIONS, "технические решения", 0.9), (_PASSPORT, "ПАСПОРТ ПРОЕКТА", 0.9),
    (_LAND, "землепользования", 0.9), (_DRAWING, "Стадия Лист Листов", 0.9), (_LAND_KK, "Жер учаскесін", 0.9),
])
def test_office_and_construction_papers_are_not_attestation(lines: list[str], raw: str, confidence: float) -> None:
    match = detect_kind(lines)
    assert match is not None
    assert (match.kind, match.raw, match.confidence) == ("not_attestation", raw, confidence)


@pytest.mark.parametrize("lines,kind", [
    (["ПРОТОКОЛ", "дозиметрического контроля"], "not_attestation"),  # the title names it
    (["ПРОТОКОЛ заседания УМС", *[f"п. {i}" for i in range(12)], "рабочий проект урока"], "protocol"),  # one word far down
    (["СЕРТИФИКАТ", "Жумабаева Айгерим Сериковна", "выступила на семинаре"], "certificate"),
    (["ПРИКАЗ", "О трансляции опыта"], "order"),
])
def test_one_stray_word_does_not_make_a_teachers_paper_unrelated(lines: list[str], kind: str) -> None:
    match = detect_kind(lines)
    assert match is not None and match.kind == kind


def test_not_attestation_is_a_kind_with_titles_but_no_requirement() -> None:
    k = kinds.kind("not_attestation")
    assert (k.title("ru"), k.title("kk"), k.title("en")) == (
        "Не относится к аттестации", "Аттестацияға қатысы жоқ құжат", "Not an attestation document")
    assert not k.evidence and not k.generated and "not_attestation" not in kinds.EVIDENCE_KINDS
    assert kind_label("not_attestation", "kk") == "Аттестацияға қатысы жоқ құжат"


def test_the_report_says_it_once_instead_of_missing_fields(tmp_path: Path) -> None:
    land = _text_pdf(tmp_path / "land.pdf", _LAND)
    report = verify_file(land, VerifyOptions(teacher="Жумабаева Айгерим Сериковна", period=("2021-01-01", "2026-12-31")))
    assert report.kind == "not_attestation"
    assert report.verdict.value == "failed"
    assert [(c.id, c.status.value, c.code) for c in report.checks if not c.id.startswith("signature.")] == [
        ("document.kind", "fail", "document.kind.not_attestation")]
    check = report.checks[-1]
    assert check.message("ru") == (
        "Документ не относится к аттестации (в нём: «землепользования»), поэтому его реквизиты не проверялись "
        "и в чек-листе он не учитывается. Удалите его из папки и загрузите нужный документ.")
    assert check.message("kk").startswith("Құжаттың аттестацияға қатысы жоқ (онда: «землепользования»)")
    again = Report.from_dict(report.to_dict())
    assert again.kind == "not_attestation" and again.checks[-1].message("kk") == check.message("kk")
    # found only further down (a generic «ПРОТОКОЛ» title): a warning, and only for a file declared as nothing
    dosimetry = _text_pdf(tmp_path / "dosimetry.pdf", _DOSIMETRY)
    report = verify_file(dosimetry, VerifyOptions())
    assert report.kind == "not_attestation" and report.verdict.value == "needs_review"
    assert [(c.id, c.status.value, c.code) for c in report.checks if not c.id.startswith("signature.")] == [
        ("document.kind", "warn", "document.kind.not_attestation_likely")]
    declared = verify_file(dosimetry, VerifyOptions(kind="protocol"))
    assert declared.kind != "not_attestation"
    assert "document.kind.not_attestation_likely" not in {c.code for c in declared.checks}
