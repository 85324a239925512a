"""Template injection and XSS: hostile text in every free-text field (reference data names, document form
fields, dossier titles, decision comments, file names) ends up as literal text: escaped in the HTML pages,
as text in the generated DOCX (word/document.xml) and in the PDF's text layer."""

from __future__ import annotations

import io
import re
import zipfile
from typing import Any

import pytest
from markupsafe import escape

from tests.security.conftest import new_dossier, pdf_bytes, upload
from tests.security.test_authz_matrix import CERTIFICATE

PAYLOADS = ("<script>alert(1)</script>", "{{ 7*7 }}", "{% raw %}", '"><img src=x onerror=alert(1)>')
ALL = " ".join(PAYLOADS)


def _assert_literal_in_html(html: str, payload: str, where: str) -> None:
    assert str(escape(payload)) in html, f"{payload!r} is not shown as text on {where}"
    if "<" in payload or '"' in payload:
        assert payload not in html, f"{payload!r} reached {where} unescaped"


def _assert_no_live_markup(html: str, where: str) -> None:
    assert "<script>alert(1)</script>" not in html, where
    assert not re.search(r"<img[^>]*onerror", html), where


@pytest.fixture(scope="module")
def hostile(clients: dict[str, Any]) -> dict[str, Any]:
    """A dossier, a file, reference rows and a decision, all carrying the payloads."""
    secretary, teacher, commission = clients["secretary"], clients["teacher"], clients["commission"]
    rows = {}
    for kind, body in (
        ("council-members", {"full_name": ALL, "position": ALL, "council_role": "member"}),
        ("events", {"title": ALL, "date": "2024-04-26", "form": "seminar", "level": "district", "notes": ALL}),
    ):
        r = secretary.post(f"/api/v1/reference/{kind}", json=body)
        assert r.status_code == 201, r.text
        rows[kind] = r.json()
    dossier = new_dossier(teacher, ALL)
    files = {}
    for payload in PAYLOADS:
        r = upload(teacher, dossier, f"{payload}.pdf", pdf_bytes(payload))
        assert r.status_code == 201, r.text
        files[payload] = r.json()["files"][0]
    assert teacher.post(f"/api/v1/dossiers/{dossier}/submit").status_code == 200
    r = commission.post(f"/api/v1/commission/dossiers/{dossier}/decision",
                        json={"decision": "returned", "comment": ALL})
    assert r.status_code == 200, r.text
    return {"dossier": dossier, "files": files, "rows": rows}


def test_api_returns_the_text_unchanged(clients: dict[str, Any], hostile: dict[str, Any]) -> None:
    detail = clients["teacher"].get(f"/api/v1/dossiers/{hostile['dossier']}").json()
    assert detail["dossier"]["title"] == ALL and detail["dossier"]["decision_comment"] == ALL
    names = sorted(f["filename"] for f in detail["files"])
    # names keep their text; directories are dropped ("<script>alert(1)</" is one) and what is unsafe in a
    # file name is replaced (<, >, *, ...); the client sent '"' as %22 (multipart encoding)
    assert names == sorted(["script_.pdf", "{{ 7_7 }}.pdf", "{% raw %}.pdf",
                            "%22__img src=x onerror=alert(1)_.pdf"])
    assert hostile["rows"]["events"]["title"] == ALL


def test_reference_names_are_escaped_on_the_secretary_page(clients: dict[str, Any], hostile: dict[str, Any]) -> None:
    for kind in ("council-members", "events"):
        r = clients["secretary"].get(f"/reference?kind={kind}")
        assert r.status_code == 200
        _assert_no_live_markup(r.text, f"/reference?kind={kind}")
        for payload in PAYLOADS:
            _assert_literal_in_html(r.text, payload, f"/reference?kind={kind}")
        assert "{{ 7*7 }}" in r.text  # not evaluated to 49 by the template engine


def test_document_form_suggestions_are_escaped(clients: dict[str, Any], hostile: dict[str, Any]) -> None:
    r = clients["secretary"].get("/documents/certificate")
    assert r.status_code == 200
    _assert_no_live_markup(r.text, "/documents/certificate")


def test_dossier_title_comment_and_file_names_are_escaped(clients: dict[str, Any], hostile: dict[str, Any]) -> None:
    dossier = hostile["dossier"]
    pages = {
        "teacher list": clients["teacher"].get("/dossiers"),
        "teacher dossier": clients["teacher"].get(f"/dossiers/{dossier}"),
    }
    for where, r in pages.items():
        assert r.status_code == 200, where
        _assert_no_live_markup(r.text, where)
        _assert_literal_in_html(r.text, "{{ 7*7 }}", where)
    page = pages["teacher dossier"].text
    for payload in PAYLOADS:  # the title and the commission's comment, in full
        _assert_literal_in_html(page, payload, "teacher dossier")
    for name in ("script_.pdf", "%22__img src=x onerror=alert(1)_.pdf", "{% raw %}.pdf", "{{ 7_7 }}.pdf"):
        assert str(escape(name)) in page


def test_commission_pages_escape_the_teachers_text(clients: dict[str, Any], hostile: dict[str, Any]) -> None:
    teacher, commission = clients["teacher"], clients["commission"]
    dossier = hostile["dossier"]  # returned: a draft again; submit it once more for the commission
    assert teacher.post(f"/api/v1/dossiers/{dossier}/submit").status_code == 200
    listing = commission.get("/review")
    assert listing.status_code == 200 and dossier in listing.text
    _assert_no_live_markup(listing.text, "/review")
    r = commission.get(f"/review/{dossier}")
    assert r.status_code == 200
    _assert_no_live_markup(r.text, "/review/{id}")
    for payload in PAYLOADS:  # the title
        _assert_literal_in_html(r.text, payload, "/review/{id}")
    assert str(escape("%22__img src=x onerror=alert(1)_.pdf")) in r.text


def _docx_text(data: bytes) -> tuple[str, str]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        xml = z.read("word/document.xml").decode()
    text = "".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", xml))
    import html as html_lib

    return xml, html_lib.unescape(text)


def _generate(client: Any, fmt: str) -> bytes:
    data = {**CERTIFICATE, "participant": "Жумабаева " + PAYLOADS[0], "event_title": ALL, "event_place": PAYLOADS[3],
            "participant_position": PAYLOADS[1], "participant_organization": PAYLOADS[2]}
    r = client.post("/api/v1/documents", json={"kind": "certificate", "data": data, "lang": "ru", "format": fmt,
                                               "draft": True})
    assert r.status_code == 201, r.text
    d = client.get(r.json()["download_url"])
    assert d.status_code == 200
    return d.content


def test_docx_holds_the_text_literally(clients: dict[str, Any]) -> None:
    xml, text = _docx_text(_generate(clients["secretary"], "docx"))
    assert "<script>" not in xml and "<img" not in xml  # no raw markup inside the document XML
    compact = re.sub(r"\s+", " ", text)
    for payload in PAYLOADS:
        assert payload in compact, payload
    assert "49" not in compact.replace("2024", "")  # {{ 7*7 }} was not evaluated


@pytest.mark.slow
def test_pdf_text_holds_the_text_literally(clients: dict[str, Any]) -> None:
    from pypdf import PdfReader

    pdf = _generate(clients["secretary"], "pdf")
    text = re.sub(r"\s+", " ", " ".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(pdf)).pages))
    squashed = text.replace(" ", "")
    for payload in PAYLOADS:
        assert payload.replace(" ", "") in squashed, (payload, text[:500])
    assert "{{7*7}}" in squashed
