"""Latin-letter words on a Russian or Kazakh page that a reader would not understand: internal keys
(``fields.person_name``, ``master_class``), English, column keys. What may stay Latin is listed here
and is only names and codes: the product's name, file formats, registry numbers, file names, e-mail
addresses and web addresses, units written the same in every language."""

from __future__ import annotations

import re

__all__ = ["NAMES", "latin_words"]

NAMES = frozenset({
    "Attest",  # the product's name
    "PDF", "DOCX", "XLSX", "CSV", "ZIP", "QR", "JPG", "JPEG", "PNG", "TIFF", "HEIC", "WebP",  # formats
    "PAdES", "CMS", "GOST", "NCALayer", "CryptoPro",  # signature formats and tools, by their names
    "RSA", "SHA-1", "OCSP", "CRL", "B-B", "B-T",  # algorithms, revocation sources, PAdES levels: standards' names
    "Excel", "Word", "ezSigner", "CSP",  # programs' names (ezSigner, «КриптоПро CSP»)
    "PIN",  # the code a signing key asks for, so called in ru and kk
    "UTC",  # a time zone's name (10.03.2022 09:15 UTC+05:00)
    "RU", "EN",  # the language switch's own labels
    "dpi",  # a unit, written so in ru and kk too
})
_PHRASES = ("Caps Lock",  # a key, as printed on the keyboard
            "Browser plug-in")  # part of a product's name: «КриптоПро ЭЦП Browser plug-in»
_DOMAIN = re.compile(r"^[a-z0-9-]+(\.[a-z0-9-]+)*\.(kz|ru|com|org|net)$")  # pki.gov.kz, cryptopro.ru
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9_.@/:\-]*[A-Za-z0-9]|[A-Za-z]")
_FILE = re.compile(r"^[\w.\-]+\.(pdf|docx|zip|jpe?g|png|tiff?|heic|heif|webp|sig|p7s|cms|xlsx|csv|json|yaml|bin)$", re.IGNORECASE)
_CODE = re.compile(r"^[A-Z0-9]{2,}(-[A-Z0-9]+)+$")  # registry numbers MC-ZHA-CRT-2024-00003, org codes MC-ZHM
_ROMAN = re.compile(r"^[IVXLC]+$")


def _allowed(word: str, text: str, start: int) -> bool:
    word = word.rstrip(".:/-")
    if not word or word in NAMES or _FILE.match(word) or _CODE.match(word) or _ROMAN.match(word):
        return True
    if text[max(0, start - 1):start] == "." and word.isalnum() and len(word) <= 4:
        return True  # a file name's extension (.sig, .p7s, .pem)
    if len(word) >= 10 and re.fullmatch(r"[A-Za-z0-9_-]+", word) and re.search(r"\d", word) \
            and (re.search(r"[A-Z]", word) or re.fullmatch(r"[0-9a-f]+", word)):
        return True  # an identifier: a document's id, a certificate's serial number
    if len(word) in (22, 43) and re.fullmatch(r"[A-Za-z0-9_-]+", word) \
            and sum(c.isupper() for c in word) >= 5 and sum(c.islower() for c in word) >= 5:
        return True  # an id the service makes (secrets.token_urlsafe(16 or 32)), by chance of letters only
    if re.fullmatch(r"ATTEST_[A-Z_]+", word):
        return True  # a setting's name, which the operator types as written (the trust page)
    if _DOMAIN.match(word):
        return True
    if "@" in word or word.startswith(("http", "www.")) or text[max(0, start - 1):start] in ("/", "@"):
        return True  # an address (e-mail, URL, a path shown as a link)
    return bool(word.lower().startswith("dossier.") and _FILE.match(word))


def latin_words(text: str) -> list[str]:
    """The Latin-letter words of ``text`` that are not names, codes, file names or addresses."""
    text = re.sub(r"\{[a-z_]+\}", "", text)  # a catalog's placeholders are filled in before anyone reads them
    for phrase in _PHRASES:
        text = text.replace(phrase, "")
    found = []
    for m in _WORD.finditer(text):
        token = m.group(0)
        # an address or file name runs on past the word's characters: judge the whole run
        end = m.end()
        while end < len(text) and not text[end].isspace() and text[end] not in "«»\"'(),;":
            end += 1
        run = text[m.start():end].rstrip(".,:;)»")
        # an identifier may begin with digits, which the word pattern leaves out («54bSAmJR…»): judge it whole
        begin = m.start()
        while begin > 0 and (text[begin - 1].isascii() and text[begin - 1].isalnum() or text[begin - 1] in "_-"):
            begin -= 1
        whole = text[begin:m.end()]
        if _allowed(run, text, m.start()) or _allowed(token, text, m.start()) or (
                begin < m.start() and _allowed(whole, text, begin)):
            continue
        found.append(token)
    return found
