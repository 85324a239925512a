"""Every page a person can reach — anonymous, teacher, secretary, commission, administrator — walked
in Russian and in Kazakh by following the links each of them sees, with the dossiers' verification
results, a returned dossier and an issued document on them: no Latin-letter word on any of them but
names, codes, file names and addresses (tests/web/latin.py). A server of its own, so that what other
browser tests type (their XSS probes, say) is not read as the product's words."""

from __future__ import annotations

import re
from collections import Counter, deque
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.browser.conftest import Session, running_server
from tests.browser.test_journeys import submit_with_open_requirements
from tests.web.latin import latin_words

pytestmark = pytest.mark.browser

LOCALES = {"ru": "ru-RU", "kk": "kk-KZ"}
_SKIP = re.compile(r"^/(logout|lang/|api/|static/|files/)|[./](pdf|zip|csv|docx|jpg|png)$|/package$|/live$")
_ID = re.compile(r"/[A-Za-z0-9_-]{16,}")
_TEXT = """() => {
  // what the page marks as not to be translated (a logo letter, a login, a certificate's subject) is a name
  document.querySelectorAll('[translate=no]').forEach(el => el.remove());
  document.querySelectorAll('details').forEach(d => { d.open = true; });
  const parts = [document.title, document.body.innerText];
  document.querySelectorAll('[hidden]').forEach(el => parts.push(el.textContent));
  document.querySelectorAll('[placeholder],[title],[aria-label],[alt],[data-confirm],[data-choose],[data-none],[data-missing]')
    .forEach(el => ['placeholder', 'title', 'aria-label', 'alt', 'data-confirm', 'data-choose', 'data-none',
                    'data-missing'].forEach(a => { const v = el.getAttribute(a); if (v) parts.push(v); }));
  document.querySelectorAll('option').forEach(o => parts.push(o.textContent));
  return parts.join('\\n');
}"""


def _walk(s: Session, start: str, limit: int = 40) -> dict[str, list[str]]:
    """Pages reached from `start` by the links shown, at most 3 of each kind; Latin words by page."""
    seen: set[str] = set()
    kinds: Counter[str] = Counter()
    queue = deque([start])
    found: dict[str, list[str]] = {}
    while queue and len(seen) < limit:
        path = queue.popleft()
        if path in seen:
            continue
        seen.add(path)
        s.goto(path)
        s.page.wait_for_load_state()
        links = s.page.eval_on_selector_all("a[href]", "els => els.map(a => a.getAttribute('href'))")
        words = latin_words(s.page.evaluate(_TEXT))
        if words:
            found[path] = sorted(set(words))
        for href in links:
            url = urlsplit(href)
            if url.netloc or not url.path.startswith("/") or _SKIP.search(url.path) or "notice=" in url.query:
                continue
            target = url.path + (f"?{url.query}" if url.query else "")
            kind = _ID.sub("/*", target)
            if target not in seen and kinds[kind] < 3:
                kinds[kind] += 1
                queue.append(target)
    return found


@pytest.fixture(scope="module")
def walked(browser: Any, evidence: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A server with what each role's pages show: a submitted dossier with its verification results, a
    dossier the commission returned, a document the secretary issued."""
    with running_server(tmp_path_factory.mktemp("latin-walk")) as base:
        t = Session(browser, base)
        t.login("teacher")
        ids = []
        for title, files in (("Полное портфолио", ["order.pdf", "protocol_extract.pdf", "certificate.jpg",
                                                    "programme_1.jpg", "programme_2.jpg", "programme_3.jpg"]),
                             ("Возвращённое портфолио", ["order.pdf"])):
            t.goto("/dossiers")
            t.page.select_option("#f-profile", "kz-researcher")
            t.page.fill("#f-title", title)
            t.page.click("form[action='/dossiers'] button[type=submit]")
            t.page.wait_for_url("**/dossiers/*")
            ids.append(urlsplit(t.page.url).path.rsplit("/", 1)[-1])
            t.page.set_input_files("#files-input", [str(evidence / n) for n in files])
            t.page.locator("[data-testid=file]").nth(len(files) - 1).wait_for()
            t.page.locator("#live[data-pending='0']").wait_for(state="attached", timeout=150_000)
            submit_with_open_requirements(t.page)
            t.page.wait_for_url("**notice=dossier_submitted")
        t.close()
        c = Session(browser, base)
        c.login("commission")
        c.goto(f"/review/{ids[1]}")
        c.page.check("input[name=decision][value=returned]")
        c.page.fill("#f-comment", "Добавьте сертификат.")
        c.page.click("form[action$='/decision'] button[type=submit]")
        c.page.wait_for_load_state()
        c.close()
        sec = Session(browser, base)
        sec.login("secretary")
        sec.goto("/documents/certificate?sample=1")
        sec.page.click("button[value=generate]")
        sec.page.locator("[data-testid=issued]").wait_for(timeout=120_000)
        document_id = sec.page.inner_text("[data-testid=document-id]").strip()
        sec.close()
        yield f"{base}#{document_id}"


@pytest.mark.parametrize("lang", ["ru", "kk"])
@pytest.mark.parametrize("role", [None, "teacher", "secretary", "commission", "admin"])
def test_pages_have_no_latin_words(browser: Any, walked: str, role: str | None, lang: str) -> None:
    base, document_id = walked.split("#")
    s = Session(browser, base, LOCALES[lang])
    try:
        s.goto(f"/lang/{lang}?next=/")
        if role:
            s.login(role)
        starts = ["/", "/check", f"/check/{document_id}", "/no-such-page"] if role is None else ["/"]
        found: dict[str, list[str]] = {}
        for start in starts:
            found |= _walk(s, start)
        s.shot(f"latin-walk-{role or 'anonymous'}-{lang}")
        assert not found, "Latin words on the pages:\n" + "\n".join(f"{p}: {w}" for p, w in found.items())
    finally:
        s.close()
