"""Each report sentence is written for its reader: the teacher who uploaded the document is told what to
do («Загрузите документ, выданный на ваше имя»); the commission member reads what was found."""

from __future__ import annotations

import pytest

import verification.scans.messages  # noqa: F401 - registers the texts
from service.web.views import report_view
from verification.report import Check, CheckStatus

PARAMS = {"found": "Иванов Иван Иванович", "expected": "Жумабаева Айгерим Сериковна"}


def _report() -> dict:
    check = Check("fields.person_name", CheckStatus.FAIL, "fields.person_name.mismatch", PARAMS)
    return {"verdict": "failed", "kind": "certificate", "checks": [check.to_dict()], "fields": {}}


@pytest.mark.parametrize(("lang", "owner", "reviewer"), [
    ("ru", "Загрузите документ, выданный на ваше имя.",
     "В документе указано другое имя («Иванов Иван Иванович»), а не имя педагога «Жумабаева Айгерим Сериковна»."),
    ("kk", "Өз атыңызға берілген құжатты жүктеңіз.",
     ("Құжатта педагогтың аты-жөні «Жумабаева Айгерим Сериковна» емес, басқа аты-жөні («Иванов Иван Иванович») "
      "көрсетілген.")),
])
def test_the_teacher_and_the_commission_read_different_sentences(lang: str, owner: str, reviewer: str) -> None:
    for_teacher = report_view(_report(), lang)
    for_commission = report_view(_report(), lang, reader="reviewer")
    assert for_teacher is not None and for_commission is not None
    assert owner in for_teacher["problems"][0]["text"]
    assert for_commission["problems"][0]["text"] == reviewer
    assert "ваш" not in reviewer.casefold() and "жүктеңіз" not in reviewer


def test_a_message_without_a_reviewer_variant_reads_the_same() -> None:
    check = Check("scan.seal", CheckStatus.PASS, "scan.seal.found", {"page": 1}).to_dict()
    report = {"verdict": "passed", "kind": "certificate", "checks": [check], "fields": {}}
    assert report_view(report, "ru", reader="reviewer")["checks"][0]["text"] == "Печать найдена (страница 1)."  # type: ignore[index]


@pytest.mark.parametrize(("lang", "sure", "unsure", "none"), [
    ("ru", "найдена (стр. 1)", "возможно, проверьте глазами (стр. 2)", "не найдена"),
    ("kk", "табылды (1-бет)", "болуы мүмкін, көзбен тексеріңіз (2-бет)", "табылмады"),
])
def test_an_uncertain_finding_is_not_called_found(lang: str, sure: str, unsure: str, none: str) -> None:
    """The facts say «found» only for a confident finding; an uncertain one (the check asks a person to
    look at the framed region) reads as possible, with its page."""
    report = {"verdict": "needs_review", "kind": "certificate", "checks": [], "fields": {},
              "seals": [{"page": 1, "bbox": [0, 0, 400, 400], "confidence": 0.95}],
              "handwritten_signatures": [{"page": 2, "bbox": [0, 0, 300, 100], "confidence": 0.3}]}
    facts = dict(report_view(report, lang)["facts"])  # type: ignore[index]
    seal, signature = ("Печать", "Подпись от руки") if lang == "ru" else ("Мөр", "Қолмен қойылған қол")
    assert (facts[seal], facts[signature]) == (sure, unsure)
    summary = report_view(report, lang)["summary"]  # type: ignore[index]
    assert ("печать найдена" in summary, "подпись найдена" in summary) == ((True, False) if lang == "ru" else (False, False))
    assert ("мөр табылды" in summary, "қол табылды" in summary) == ((True, False) if lang == "kk" else (False, False))
    report["seals"], report["handwritten_signatures"] = [], []
    assert dict(report_view(report, lang)["facts"])[seal] == none  # type: ignore[index]
    report["handwritten_signatures"] = [{"page": 1, "bbox": [0, 0, 300, 100], "confidence": 0.3},
                                        {"page": 3, "bbox": [0, 0, 300, 100], "confidence": 0.9}]
    assert dict(report_view(report, lang)["facts"])[signature] == sure.replace("1", "3")  # type: ignore[index]
