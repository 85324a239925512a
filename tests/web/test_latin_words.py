"""Every message a Russian or Kazakh reader can get — the web catalog and the verification report's
messages — is written in that language: no Latin-letter words but names, codes, file names and
addresses (tests/web/latin.py); the pages themselves are walked in tests/browser/test_latin_pages.py."""

from __future__ import annotations

import pytest

from service.web.i18n import catalog
from tests.web.latin import latin_words
from verification import messages


def test_the_scanner_finds_internal_words_and_lets_names_pass() -> None:
    assert latin_words("Не найдено поле fields.person_name — укажите kind в манифесте") == ["fields.person_name",
                                                                                         "kind"]
    assert latin_words("Форма: seminar/webinar, роль participant/speaker (0.93)") == ["seminar/webinar",
                                                                                  "participant/speaker"]
    assert latin_words("Столбец «organization.code»; участия — participation_events, master_class") == [
        "organization.code", "participation_events", "master_class"]
    assert latin_words("Attest: файл Жумабаева_А_С_MC-ZHA-CRT-2024-00003.pdf, номер MC-ZHA-CRT-2024-00003, "
                       "PDF и DOCX, QR-код, 300 dpi, почта info@attest.kz, https://attest.kz/check") == []
    # a document's id is random: about one in a hundred holds no digit, '_' or '-' (a CI run met
    # «qNCeoodLlJvfEXKPsqQrsQ»); it is still an id, while a long internal word is not
    assert latin_words("Документ qNCeoodLlJvfEXKPsqQrsQ, ключ verificationResultData") == [
        "verificationResultData"]


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_web_catalog_has_no_latin_words(lang: str) -> None:
    bad = {key: words for key, text in catalog(lang).items() if (words := latin_words(str(text)))}
    assert bad == {}


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_report_messages_have_no_latin_words(lang: str) -> None:
    import importlib

    for domain in ("verification.scans.messages", "verification.signatures.messages"):
        importlib.import_module(domain)  # each domain registers its texts on import
    from service.attestation import matching

    bad = {key: words for key in sorted(messages.catalog_keys())
           if (words := latin_words(messages.render(key, lang)))}
    bad |= {f"matching:{key}": words for key in sorted(matching._TEXTS.keys())
            if (words := latin_words(matching._TEXTS.render(key, lang)))}
    assert bad == {}
