"""The pages of every role under the real Content-Security-Policy in Debian's Chromium: no violation is
reported (no inline style, script or handler is blocked), the progress bars still show their progress,
the seal boxes are still placed over the page picture, the selects that act at once still act, and the
API docs (Swagger UI, served from a package) load nothing from outside this server.

Violations are caught twice: Chromium's console (any message naming the Content Security Policy, e.g.
"Applying inline style violates the following Content Security Policy directive ...") and the page's
``securitypolicyviolation`` events.
A canary first proves that the watch sees a blocked inline style."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

pytestmark = pytest.mark.browser

_RECORD_VIOLATIONS = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__csp.push(e.violatedDirective + " " + (e.blockedURI || "") + " " + (e.sample || ""));
});
"""

TRACK = (0xE3, 0xE8, 0xEE)
"""The colour of a progress bar's empty track (app.css)."""


class Watched:
    """A browser session whose CSP violations and off-site requests are recorded from its first page."""

    def __init__(self, new_session: Any, username: str | None) -> None:
        self.s = new_session()
        self.page = self.s.page
        self.console: list[str] = []
        self.offsite: list[str] = []
        self.violations: list[str] = []
        self.visited: list[str] = []
        self.s.context.add_init_script(_RECORD_VIOLATIONS)
        self.page.on("console", self._console)
        self.page.on("request", self._request)
        if username:
            self.s.login(username)
            self.collect()

    def _console(self, message: Any) -> None:
        text = message.text
        if "Content Security Policy" in text or "Refused to" in text:
            self.console.append(f"{self.page.url}: {text}")

    def _request(self, request: Any) -> None:
        host = urlsplit(request.url).hostname
        if request.url.startswith(("http://", "https://")) and host != "127.0.0.1":
            self.offsite.append(request.url)

    def collect(self) -> None:
        """Take the violations the current page reported (call before leaving it)."""
        self.page.wait_for_load_state("load")
        found = self.page.evaluate("window.__csp || []")
        self.violations += [f"{self.page.url}: {v}" for v in found]
        self.page.evaluate("window.__csp = []")
        self.visited.append(urlsplit(self.page.url).path)

    def visit(self, path: str) -> Any:
        response = self.s.goto(path)
        assert response is not None and response.status == 200, (path, response and response.status)
        self.page.wait_for_timeout(300)  # the deferred app.js has run and its first timers fired
        self.collect()
        return response

    def assert_clean(self) -> None:
        self.collect()
        assert self.console == [], self.console
        assert self.violations == [], self.violations
        assert self.offsite == [], self.offsite


def _filled_fraction(bar: Any) -> float:
    """The share of a progress bar's width that is painted (pixels of its middle row not of the track's
    colour), measured on a screenshot: the value attribute alone would not show that the bar is drawn."""
    from PIL import Image

    image = Image.open(io.BytesIO(bar.screenshot())).convert("RGB")
    y = image.height // 2
    row = [image.getpixel((x, y)) for x in range(image.width)]
    painted = sum(1 for px in row if max(abs(a - b) for a, b in zip(px, TRACK, strict=True)) > 24)
    return painted / len(row)


def _assert_bar_shows(bar: Any, what: str) -> float:
    value, top = float(bar.get_attribute("value")), float(bar.get_attribute("max"))
    expected = value / top
    bar.scroll_into_view_if_needed()
    drawn = _filled_fraction(bar)
    assert abs(drawn - expected) <= 0.04, f"{what}: value {value}/{top}, drawn {drawn:.2f}"
    return expected


def test_the_watch_sees_a_blocked_inline_style(new_session: Any) -> None:
    w = Watched(new_session, None)
    w.visit("/login")
    w.page.evaluate("""document.body.insertAdjacentHTML("beforeend", '<div id="canary" style="color: red">x</div>')""")
    w.page.wait_for_timeout(300)
    assert w.page.evaluate("getComputedStyle(document.getElementById('canary')).color") != "rgb(255, 0, 0)"
    w.collect()
    assert any("style-src" in v for v in w.violations), w.violations
    # Chromium's wording changes ("Refused to apply inline style ...", now "Applying inline style violates
    # the following Content Security Policy directive ..."): the watch keys on "Content Security Policy"
    assert any("inline style" in m and "Content Security Policy" in m for m in w.console), w.console


def test_public_pages_and_the_api_docs_offline(new_session: Any) -> None:
    w = Watched(new_session, None)
    for path in ("/login", "/check"):
        w.visit(path)
    w.visit("/api/v1/docs")
    w.page.locator(".opblock").first.wait_for(timeout=20_000)
    operations = w.page.locator(".opblock").count()
    schema = w.page.request.get(w.s.base + "/api/v1/openapi.json").json()
    assert operations == sum(len(ops) for ops in schema["paths"].values())
    w.page.locator(".opblock").first.click()
    w.page.locator(".opblock .responses-wrapper").first.wait_for()
    w.assert_clean()


def test_secretary_pages_and_batch_progress(new_session: Any, tmp_path: Path) -> None:
    w = Watched(new_session, "secretary")
    page = w.page
    w.visit("/documents")
    kinds = [a.get_attribute("data-kind") for a in page.locator("a[data-kind]").all()]
    assert len(kinds) == 11
    rows_added = 0
    for kind in kinds:
        w.visit(f"/documents/{kind}?sample=1")
        add = page.locator("[data-add-row]")
        if add.count():
            add.first.click()  # a new row from its <template>: inserted as HTML, so it must hold no style=
            rows_added += 1
            w.collect()
    assert rows_added >= 1
    w.visit("/reference?kind=council-members")
    w.visit("/check")

    # selects that act at once (no onchange= any more)
    w.visit("/registry")
    page.select_option("#f-kind", "certificate")
    page.wait_for_url("**/registry?kind=certificate")
    w.collect()
    w.visit("/batch")
    page.select_option("#f-kind", "order")
    page.wait_for_url("**/batch?kind=order")
    w.collect()
    page.select_option("#f-kind", "certificate")
    page.wait_for_url("**/batch?kind=certificate")
    w.collect()
    w.s.shot("csp-secretary-batch")

    # the batch: the job page follows the job and ends with a full bar
    template = page.request.get(w.s.base + "/batch/template/certificate.csv?lang=ru")
    lines = template.text().lstrip("\ufeff").splitlines()
    header, example = lines[0], lines[1]
    names = [f"Участник Номер {i} Тестович" for i in range(4)]  # under 4 KB: see the report on the sniffer
    body = "\n".join(example.replace("Жумабаева Айгерим Сериковна", n) for n in names)
    table = tmp_path / "participants.csv"
    table.write_text(f"{header}\n{body}\n", encoding="utf-8")
    page.set_input_files("#f-file", str(table))
    page.click("#batch-form button[type=submit]")
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        page.wait_for_url("**/batch/jobs/**")
    except PlaywrightTimeout:
        raise AssertionError(page.inner_text("#upload-status")) from None
    seen: list[float] = []
    job = page.locator("[data-testid=batch-job]")
    for _ in range(600):
        if job.get_attribute("data-state") == "succeeded":
            break
        bar = page.locator("[data-testid=batch-job] progress")
        if bar.count():
            seen.append(float(bar.get_attribute("value") or 0))
        page.wait_for_timeout(200)
    page.locator("[data-testid=batch-job][data-state=succeeded]").wait_for(timeout=90_000)
    assert seen and seen == sorted(seen) and all(0 <= v <= 100 for v in seen), seen
    assert "документов — 4" in page.inner_text("[data-testid=batch-job]")
    assert _assert_bar_shows(page.locator("[data-testid=batch-job] progress"), "batch done") == 1.0
    w.s.shot("csp-secretary-batch-done")
    w.assert_clean()


def test_teacher_and_commission_pages(new_session: Any, evidence: Path) -> None:
    t = Watched(new_session, "teacher")
    page = t.page
    t.visit("/dossiers")
    page.select_option("#f-profile", "kz-researcher")
    page.fill("#f-period_start", "2022-09-01")
    page.fill("#f-period_end", "2027-08-31")
    page.fill("#f-title", "CSP")
    page.click("form[action='/dossiers'] button[type=submit]")
    page.wait_for_url("**/dossiers/*")
    t.collect()
    dossier_id = urlsplit(page.url).path.rstrip("/").rsplit("/", 1)[-1]
    files = ["order.pdf", "protocol_extract.pdf", "programme_1.jpg"]
    page.set_input_files("#files-input", [str(evidence / n) for n in files])
    page.locator("[data-testid=file]").nth(len(files) - 1).wait_for()
    page.locator("#live[data-pending='0']").wait_for(state="attached", timeout=150_000)
    t.collect()
    t.visit(f"/dossiers/{dossier_id}")  # the page as served, after the live updates
    checklist_bar = page.locator("[data-testid=checklist] progress")
    fraction = _assert_bar_shows(checklist_bar, "teacher checklist")
    assert 0 < fraction < 1, fraction
    t.s.shot("csp-teacher-dossier")
    page.click("#submit-btn")  # the confirmation dialog is accepted
    # the checklist is not complete: the page names the open requirements and asks first
    page.locator("[data-testid=submit-warning]").wait_for()
    t.collect()
    page.click("#submit-anyway")
    page.wait_for_url(f"**/dossiers/{dossier_id}?notice=dossier_submitted")
    t.collect()
    t.assert_clean()

    c = Watched(new_session, "commission")
    page = c.page
    c.visit("/review")
    row = page.locator("[data-testid=review-list] tr", has=page.locator(f"a[href='/review/{dossier_id}']"))
    assert _assert_bar_shows(row.locator("progress"), "commission list") == fraction
    c.visit("/review?status=decided")
    c.visit(f"/review/{dossier_id}")
    boxes = page.locator("[data-testid=evidence] .box.seal")
    assert boxes.count() >= 1
    image = page.locator("[data-testid=evidence] img").first
    image.scroll_into_view_if_needed()
    for _ in range(200):
        if image.evaluate("(img) => img.complete && img.naturalWidth > 300"):
            break
        page.wait_for_timeout(100)
    box, frame = boxes.first.bounding_box(), page.locator("[data-testid=evidence]").first.bounding_box()
    assert box and frame and 10 < box["width"] < frame["width"] and 10 < box["height"] < frame["height"]
    assert frame["x"] <= box["x"] <= frame["x"] + frame["width"] - box["width"]
    assert frame["y"] <= box["y"] <= frame["y"] + frame["height"] - box["height"]
    page.locator("[data-testid=download-pdf]").wait_for(timeout=150_000)  # the assembly job reloads the page
    c.collect()
    c.assert_clean()

    a = Watched(new_session, "admin")
    for path in ("/documents", "/registry", "/reference", "/review", f"/review/{dossier_id}"):
        a.visit(path)
    a.assert_clean()
