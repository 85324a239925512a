"""The teacher's page draws every finding over the page picture: a seal stamped across a signature,
two signatures, a sideways scan (shown upright) and a phone photo (flattened: the picture is the page
the analysis saw, so the boxes land on the seal). Russian at 1366 px and Kazakh on a 390 px phone; no CSP violation; screenshots to
tests/artifacts/ (page-pictures-*.png)."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.browser.test_csp import Watched
from verification.report import is_uncertain

pytestmark = pytest.mark.browser

CASES = {  # file name: (spec arguments, seed)
    "seal_over_signature.jpg": ({"kind": "certificate", "seal": "round", "seal_place": "signature"}, 11),
    "two_signatures.jpg": ({"kind": "protocol_extract", "seal": "oval", "signatures": 2}, 12),
    "sideways_scan.jpg": ({"kind": "order", "seal": "oval", "seal_color": "black", "grey": True, "rotation": 90}, 14),
    # a commission's three signatures, the seal across the head's, a second stamp, photographed
    "phone_photo.jpg": ({"kind": "certificate", "seal": "round", "signatures": 3, "seal_place": "signature",
                         "second_seal": True, "photo": True}, 5),
}


@pytest.fixture(scope="module")
def uploads(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, dict[str, Any]]]:
    from samples.scans.generate import PageSpec, render_page

    folder = tmp_path_factory.mktemp("pictures")
    out = {}
    for name, (spec, seed) in CASES.items():
        img, truth = render_page(PageSpec(lang="ru", **spec), seed)
        buf = io.BytesIO()
        dpi = 72 if spec.get("photo") else 300  # a phone writes 72 dpi, whatever the paper
        img.save(buf, "JPEG", quality=88, dpi=(dpi, dpi))
        (folder / name).write_bytes(buf.getvalue())
        out[name] = (folder / name, truth)
    return out


def _iou(a: list[float], b: list[float]) -> float:
    ix = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
    iy = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = ix * iy
    return inter / ((a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter)


def _card(page: Any, name: str) -> Any:
    return page.locator("[data-testid=file]", has=page.locator(".fname", has_text=name))


def _wait_for_pictures(page: Any) -> None:
    for img in page.locator("[data-testid=evidence] img").all():
        img.scroll_into_view_if_needed()
        for _ in range(300):
            if img.evaluate("(i) => i.complete && i.naturalWidth > 100"):
                break
            page.wait_for_timeout(100)


def _boxes_on_screen(card: Any, kind: str) -> list[list[float]]:
    """The drawn boxes of one kind, in the page's 300-dpi pixels as measured on the screen."""
    frame = card.locator("[data-testid=evidence]").first
    img = frame.locator("img").bounding_box()
    svg = frame.locator("svg.overlay")
    w300, h300 = (float(v) for v in svg.get_attribute("viewBox").split()[2:])
    out = []
    for rect in frame.locator(f"rect.box.{kind}").all():
        b = rect.bounding_box()
        kx, ky = w300 / img["width"], h300 / img["height"]
        out.append([(b["x"] - img["x"]) * kx, (b["y"] - img["y"]) * ky,
                    (b["x"] + b["width"] - img["x"]) * kx, (b["y"] + b["height"] - img["y"]) * ky])
    return out


def test_every_finding_is_drawn_on_the_page_picture(new_session: Any,
                                                   uploads: dict[str, tuple[Path, dict[str, Any]]]) -> None:
    t = Watched(new_session, "teacher")
    page = t.page
    page.set_viewport_size({"width": 1366, "height": 900})
    t.visit("/dossiers")
    page.select_option("#f-profile", "kz-researcher")
    page.fill("#f-period_start", "2021-01-01")
    page.fill("#f-period_end", "2026-12-31")
    page.fill("#f-title", "Фото и подписи")
    page.click("form[action='/dossiers'] button[type=submit]")
    page.wait_for_url("**/dossiers/*")
    t.collect()
    dossier_id = urlsplit(page.url).path.rstrip("/").rsplit("/", 1)[-1]
    page.set_input_files("#files-input", [str(p) for p, _ in uploads.values()])
    page.locator("[data-testid=file]").nth(len(uploads) - 1).wait_for()
    page.locator("#live[data-pending='0']").wait_for(state="attached", timeout=240_000)
    t.collect()
    t.visit(f"/dossiers/{dossier_id}")
    _wait_for_pictures(page)

    detail = page.request.get(f"{t.s.base}/api/v1/dossiers/{dossier_id}").json()
    reports = {f["filename"]: f["report"] for f in detail["files"]}
    for name, (_path, truth) in uploads.items():
        report = reports[name]
        card = _card(page, name)
        pictures = card.locator("[data-testid=pictures]")
        # every seal and every handwritten signature of the report is drawn, each in its kind's style
        assert pictures.locator("rect.box.seal").count() == len(report["seals"]), name
        assert pictures.locator("rect.box.signature").count() == len(report["handwritten_signatures"]), name
        # an uncertain finding, and a review check's region where it is not one of those boxes (drawn once)
        regions = {(f["page"], tuple(round(v) for v in f["bbox"]))
                   for cls, key in (("seal", "seals"), ("signature", "handwritten_signatures"))
                   for f in report[key] if is_uncertain(cls, f["confidence"])}
        regions |= {((c["params"].get("page") or 1), tuple(round(v) for v in c["params"]["bbox"]))
                    for c in report["checks"] if c["status"] == "warn" and (c.get("params") or {}).get("bbox")}
        uncertain = len(regions)
        assert pictures.locator("rect.box.uncertain").count() == uncertain, name
        assert pictures.locator("[data-testid=legend-uncertain]").count() == (1 if uncertain else 0)
        # the seal is drawn where it is on the (corrected) page: the truth box, measured on the screen
        drawn = _boxes_on_screen(card, "seal")
        assert drawn, name
        assert max(_iou(d, truth["seals"][0]["bbox"]) for d in drawn) >= 0.5, (name, drawn, truth["seals"])
    assert len(reports["two_signatures.jpg"]["handwritten_signatures"]) >= 2
    photo = reports["phone_photo.jpg"]
    assert [f["page"] for f in photo["page_frames"]] == [1] and photo["page_frames"][0]["sheet"]
    sideways = reports["sideways_scan.jpg"]["page_frames"]
    assert [(f["page"], f["rotation"] % 180) for f in sideways] == [(1, 90)]
    # the photo's picture is the flattened page: A4 proportions, not the photo's 3:4
    img = _card(page, "phone_photo.jpg").locator("[data-testid=evidence] img")
    ratio = img.evaluate("(i) => i.naturalHeight / i.naturalWidth")
    assert abs(ratio - 297 / 210) < 0.02, ratio
    img = _card(page, "sideways_scan.jpg").locator("[data-testid=evidence] img")  # shown upright
    assert img.evaluate("(i) => i.naturalHeight > i.naturalWidth")
    assert "Печать" in _card(page, "seal_over_signature.jpg").locator("[data-testid=pictures] .legend").inner_text()
    t.s.shot("page-pictures-ru-1366")
    artifacts = Path(__file__).resolve().parents[1] / "artifacts"
    for name in uploads:  # each picture on its own, to look at
        _card(page, name).locator("[data-testid=pictures]").screenshot(
            path=str(artifacts / f"page-pictures-{name.removesuffix('.jpg')}-ru.png"))
    t.collect()
    t.assert_clean()

    # the same dossier in Kazakh on a phone
    k = Watched(new_session, "teacher")
    page = k.page
    page.set_viewport_size({"width": 390, "height": 844})
    k.visit(f"/dossiers/{dossier_id}?lang=kk")
    _wait_for_pictures(page)
    k.s.shot("page-pictures-kk-390")
    for name in uploads:
        pictures = _card(page, name).locator("[data-testid=pictures]")
        assert pictures.locator("rect.box.seal").count() == len(reports[name]["seals"])
        assert pictures.locator("rect.box.signature").count() == len(reports[name]["handwritten_signatures"])
        box = pictures.locator("[data-testid=evidence]").first.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= 390, box  # no sideways scrolling
    legend = _card(page, "seal_over_signature.jpg").locator("[data-testid=pictures] .legend").inner_text()
    assert "Мөр" in legend and "Печать" not in legend
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    k.collect()
    k.assert_clean()
