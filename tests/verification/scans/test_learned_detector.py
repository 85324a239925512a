"""The learned signature-candidate judge (verification/scans/detector.py) on generated pages and, where
``../shared/realscans`` is present, on a handful of held-out real pages with a measured floor."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from samples.scans.generate import PageSpec, render_page
from verification.scans import detector
from verification.scans.handwriting import detect_signatures
from verification.scans.seals import detect_seals

ROOT = Path(__file__).resolve().parents[3]


def _iou(a: Any, b: Any) -> float:
    ix = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
    iy = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = ix * iy
    return inter / ((a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter)


def test_model_ships_with_the_package() -> None:
    assert detector.available()
    assert detector.MODEL_PATH.stat().st_size < 5_000_000


GENERATED = [
    # colour page: blue round seal over «М.П.», blue signature, logo and table distractors
    (PageSpec(lang="ru", kind="certificate", seal="round", seal_color="blue", logo=True, table=True), 11),
    # grey scan: violet oval seal, signature, pie chart
    (PageSpec(lang="kk", kind="order", seal="oval", seal_color="violet", grey=True, pie=True), 12),
    # black rectangular stamp, signature
    (PageSpec(lang="ru", kind="transmission_program", seal="rectangular", seal_color="black"), 13),
    # a signature and no seal
    (PageSpec(lang="ru", kind="order", seal=None), 14),
]


@pytest.mark.parametrize("spec,seed", GENERATED)
def test_generated_pages_exact_boxes(spec: PageSpec, seed: int) -> None:
    """Without OCR words the classical grouping also proposes printed lines (up to 3 candidates here);
    the net keeps exactly the signature, confident, and the seal stays the classical verifier's."""
    img, truth = render_page(spec, seed)
    rgb = np.asarray(img.convert("RGB"))
    seals, graphics = detect_seals(rgb, 300.0)
    candidates = detect_signatures(rgb, 300.0, (), [s.bbox for s in seals] + list(graphics))
    out_seals, out_sigs = detector.combine(rgb, 300.0, seals, candidates)
    assert len(out_seals) == len(truth["seals"])
    for s, t in zip(out_seals, truth["seals"], strict=True):
        assert _iou(s.bbox, t["bbox"]) >= 0.9
        assert not detector.is_uncertain("seal", s.confidence)
    sure = [s for s in out_sigs if not detector.is_uncertain("signature", s.confidence)]
    assert len(sure) == len(truth["handwritten_signatures"]) == 1
    assert _iou(sure[0].bbox, truth["handwritten_signatures"][0]["bbox"]) >= 0.4
    # a printed line the missing OCR did not remove (the net: 0.209 on seed 12) is not reported beside the
    # confident signature: it would change no verdict (detector.signed_page_doubts)
    assert [s for s in out_sigs if s not in sure] == []


def _realscans() -> Path:
    if os.environ.get("ATTEST_REALSCANS"):
        return Path(os.environ["ATTEST_REALSCANS"])
    for cand in (ROOT.parent / "shared" / "realscans", ROOT.parent.parent / "shared" / "realscans"):
        if cand.exists():
            return cand
    return ROOT.parent / "shared" / "realscans"


REAL = _realscans()
# held-out pages (bench/realscans_split.json): two Kazakh office scans with a seal (colour and
# black-and-white), a specimen sheet, two Tobacco800 letters, two other letters
HELD_OUT = [
    "images/kzoffice__ТЗ-_page_0001.png",
    "images/kzoffice__ТЗ-41-чб_page_0003.png",
    "images/okoyaki__06363399-5.jpg",
    "images/tobacco800__121.tif",
    "images/tobacco800__459.tif",
    "images/kacper__image_105_png_jpg.rf.50cbf18e7a58a057d7c4a91eafcce209.jpg",
    "images/kacper__image_111_png_jpg.rf.02f5f5909e0f26ef69c87088536a75b7.jpg",
]


@pytest.mark.skipif(not (REAL / "labels.json").exists(), reason="../shared/realscans is absent")
def test_real_held_out_pages_floor() -> None:
    import cv2

    from verification.scans.loading import image_dpi

    split = json.loads((ROOT / "bench" / "realscans_split.json").read_text(encoding="utf-8"))
    assert set(HELD_OUT) <= set(split["held_out"])
    labels = {p["image"]: p for p in json.loads((REAL / "labels.json").read_text(encoding="utf-8"))["pages"]}
    from PIL import Image

    tp = {"seal": 0, "signature": 0}
    fp = {"seal": 0, "signature": 0}
    for name in HELD_OUT:
        lab = labels[name]
        with Image.open(REAL / name) as im:
            dpi = image_dpi(im)
        rgb = cv2.cvtColor(cv2.imread(str(REAL / name), cv2.IMREAD_COLOR), cv2.COLOR_BGR2RGB)
        seals, graphics = detect_seals(rgb, dpi)
        candidates = detect_signatures(rgb, dpi, (), [s.bbox for s in seals] + list(graphics))
        out_seals, out_sigs = detector.combine(rgb, dpi, seals, candidates)
        k = dpi / 300.0
        for cls, found, key in (("seal", out_seals, "seals"), ("signature", out_sigs, "signatures")):
            if cls not in lab["labelled_classes"]:
                continue
            boxes = [[v * k for v in f.bbox] for f in found]
            truth = list(lab[key])
            for b in boxes:
                best = max(truth, key=lambda t: _iou(b, t), default=None)
                if best is not None and _iou(b, best) >= 0.3:
                    truth.remove(best)
                    tp[cls] += 1
                else:
                    fp[cls] += 1
    # measured with the committed model; a change that finds fewer or adds wrong boxes fails
    assert tp["seal"] >= FLOOR_TP["seal"] and tp["signature"] >= FLOOR_TP["signature"], tp
    assert fp["seal"] <= CEILING_FP["seal"] and fp["signature"] <= CEILING_FP["signature"], fp


# 2026-12-06: 22 → 21 right and 4 → 1 wrong signature boxes with candidates joined before the net and no
# uncertain finding beside a confident one (the second of two stacked signatures on a Tobacco800 letter is
# joined with a stroke under it and scored uncertain; three uncertain boxes on a Kacper page are gone)
FLOOR_TP = {"seal": 8, "signature": 21}  # of 8 seal and 25 signature boxes
CEILING_FP = {"seal": 0, "signature": 3}


def _sig(bbox: tuple[int, int, int, int], by_label: bool = False) -> Any:
    from verification.scans.handwriting import SignatureDetection

    return SignatureDetection(bbox, 0.6, by_label)


def test_rescore_bands_label_and_the_kept_best() -> None:
    a, b, c = _sig((0, 0, 300, 100)), _sig((0, 500, 300, 600)), _sig((0, 900, 300, 1000), by_label=True)
    lo, hi = detector.UNCERTAIN["signature"]
    # the net's probability is the confidence; under the lower band dropped; a labelled place keeps the confident floor
    out = detector.rescore([a, b, c], [0.9, 0.1, 0.2])
    assert [(s.bbox, s.confidence) for s in out] == [(a.bbox, 0.9), (c.bbox, hi)]
    assert not detector.is_uncertain("signature", out[1].confidence)
    # every candidate under the lower band: the best stays, as an uncertain finding, when it reaches KEEP_FLOOR
    out = detector.rescore([a, b], [0.05, 0.11])
    assert [(s.bbox, s.confidence) for s in out] == [(b.bbox, 0.11)]
    assert detector.is_uncertain("signature", out[0].confidence) and out[0].confidence < lo
    assert detector.rescore([a, b], [0.01, 0.015]) == []


def test_pieces_of_one_signature_on_one_line_are_joined() -> None:
    from verification.scans.handwriting import SignatureDetection

    first = SignatureDetection((100, 100, 300, 200), 0.4)  # «Ken» ...
    last = SignatureDetection((380, 120, 700, 230), 0.9, by_label=True)  # ... «Detzner», 80 px to its right
    below = SignatureDetection((100, 400, 700, 500), 0.8)  # the next signer, a line lower
    far = SignatureDetection((1200, 100, 1500, 200), 0.7)  # another signature, 500 px to the right
    out = detector.join_pieces([first, below, last, far])
    assert out == [SignatureDetection((100, 100, 700, 230), 0.9, True), below, far]
    # a chain of pieces becomes one box; never wider than JOIN_MAX_WIDTH (127 mm)
    chain = [SignatureDetection((x, 0, x + 200, 100), 0.6) for x in range(0, 1750, 250)]
    assert [s.bbox for s in detector.join_pieces(chain)] == [(0, 0, 1450, 100), (1500, 0, 1700, 100)]
    # through rescore: the joined box keeps the higher band
    assert [(s.bbox, s.confidence) for s in detector.rescore([first, last], [0.3, 0.95])] == [((100, 100, 700, 230), 0.95)]


def test_a_candidate_inside_a_seal_is_at_most_uncertain_and_joins_only_its_like() -> None:
    from verification.scans.handwriting import SignatureDetection

    outside = SignatureDetection((100, 100, 400, 200), 0.6, by_label=True)
    inside = SignatureDetection((450, 100, 700, 200), 0.6, in_seal=True)  # 50 px to its right, across the stamp
    out = detector.rescore([outside, inside], [0.97, 0.99])
    lo, hi = detector.UNCERTAIN["signature"]
    assert [(s.bbox, s.confidence, s.in_seal) for s in out] == [
        (outside.bbox, 0.97, False), (inside.bbox, detector.IN_SEAL_CEILING, True)]
    assert lo <= detector.IN_SEAL_CEILING < hi  # uncertain: a person looks at the region
    # beside a signature label it is still only uncertain; under the lower band it is dropped as any other
    assert [s.confidence for s in detector.rescore([SignatureDetection(inside.bbox, 0.6, True, True)], [0.3])] \
        == [detector.IN_SEAL_CEILING]
    assert detector.rescore([outside, inside], [0.97, 0.1]) == [SignatureDetection(outside.bbox, 0.97, True)]


def test_inside_a_seal_an_emblem_is_not_proposed_and_a_signature_is() -> None:
    """Two stamps drawn at 300 dpi: one with a star in its centre, one crossed by a wide handwritten stroke.
    The rings are taken out; the star (as tall as wide) is the stamp's emblem, the stroke a candidate."""
    import cv2

    from verification.scans.seals import SealDetection

    page = np.full((1400, 2400, 3), 255, np.uint8)
    blue = (60, 80, 200)
    for cx in (600, 1700):
        cv2.ellipse(page, (cx, 700), (330, 250), 0, 0, 360, blue, 9)
        cv2.ellipse(page, (cx, 700), (200, 150), 0, 0, 360, blue, 5)
    star = np.array([(600 + 110 * np.cos(a) * (1 if i % 2 == 0 else 0.45),
                      700 + 110 * np.sin(a) * (1 if i % 2 == 0 else 0.45))
                     for i, a in enumerate(np.linspace(-np.pi / 2, 1.5 * np.pi, 11)[:-1])], np.int32)
    cv2.fillPoly(page, [star], blue)
    xs = np.linspace(1540, 1860, 200)
    stroke = np.stack([xs, 700 + 45 * np.sin((xs - 1540) / 18) + (xs - 1540) * 0.1], 1).astype(np.int32)
    cv2.polylines(page, [stroke], False, (20, 30, 90), 5)
    seals = [SealDetection((270, 450, 930, 950), 0.95, "oval"), SealDetection((1370, 450, 2030, 950), 0.95, "oval")]
    found = detect_signatures(page, 300.0, (), (), seals=seals)
    assert [(s.in_seal, _iou(s.bbox, (1540, 640, 1860, 790)) >= 0.5) for s in found] == [(True, True)]
    # without the seals the star and the rings are candidates too
    assert len(detect_signatures(page, 300.0, (), ())) > 1


@pytest.mark.parametrize("spec,seed", [
    (PageSpec(lang="ru", kind="certificate", seal="round", seal_place="signature"), 11),
    (PageSpec(lang="ru", kind="certificate", seal="round", seal_place="signature", grey=True), 3),
    (PageSpec(lang="ru", kind="order", seal="oval", seal_place="signature", seal_color="violet"), 5),
])
def test_a_signature_under_the_seal_is_a_region_to_look_at(spec: PageSpec, seed: int) -> None:
    """The head signs and the seal is stamped across the signature: only the seal's ring and lettering are
    taken out of the ink, so the signature inside is proposed, and reported uncertain (before: no box)."""
    img, truth = render_page(spec, seed)
    rgb = np.asarray(img.convert("RGB"))
    seals, graphics = detect_seals(rgb, 300.0)
    assert len(seals) == 1
    candidates = detect_signatures(rgb, 300.0, (), list(graphics), seals=seals)
    _seals, found = detector.combine(rgb, 300.0, seals, candidates)
    (sig,) = truth["handwritten_signatures"]
    assert len(found) == 1 and found[0].in_seal
    assert detector.is_uncertain("signature", found[0].confidence)
    assert _iou(found[0].bbox, sig["bbox"]) >= 0.3
    # the whole seal box taken out, as before: at most the piece outside the seal is proposed, not the signature
    before = detect_signatures(rgb, 300.0, (), [s.bbox for s in seals] + list(graphics))
    assert all(_iou(c.bbox, sig["bbox"]) < 0.3 for c in before)


@pytest.mark.skipif(not (REAL / "labels.json").exists(), reason="../shared/realscans is absent")
@pytest.mark.parametrize("name", ["images/kzoffice__отр-32-_page_0001.png", "images/kzoffice__отр-32-_page_0003.png"])
def test_grey_seal_crossed_by_a_signature_is_found(name: str) -> None:
    """Tuning pages whose grey seal, crossed by a signature and a name, Hough placed off its ring (and found or
    not depending on the guessed resolution): the ring is searched again around it."""
    import cv2
    from PIL import Image

    from verification.scans.loading import image_dpi

    split = json.loads((ROOT / "bench" / "realscans_split.json").read_text(encoding="utf-8"))
    assert name in split["tuning"]
    lab = {p["image"]: p for p in json.loads((REAL / "labels.json").read_text(encoding="utf-8"))["pages"]}[name]
    with Image.open(REAL / name) as im:
        dpi = image_dpi(im)
    rgb = cv2.cvtColor(cv2.imread(str(REAL / name), cv2.IMREAD_COLOR), cv2.COLOR_BGR2RGB)
    for guess in (dpi, 144.0):
        seals, _ = detect_seals(rgb, guess)
        k = guess / 300.0
        assert len(seals) == len(lab["seals"]) == 1
        assert _iou([v * k for v in seals[0].bbox], lab["seals"][0]) >= 0.7
        assert not detector.is_uncertain("seal", seals[0].confidence)


def test_beside_a_confident_signature_an_uncertain_finding_is_left_out_unless_across_a_seal() -> None:
    from verification.scans.handwriting import SignatureDetection

    sig, note = _sig((0, 0, 300, 100)), _sig((0, 900, 300, 1000))  # a signature, a handwritten note far below it
    stamped = SignatureDetection((600, 0, 900, 100), 0.6, in_seal=True)
    lo, hi = detector.UNCERTAIN["signature"]
    assert [(s.bbox, s.confidence) for s in detector.rescore([sig, note], [0.9, 0.3])] == [(sig.bbox, 0.9)]
    # no confident finding on the page: every uncertain one is a region for a person to look at
    assert [s.confidence for s in detector.rescore([sig, note], [0.4, 0.3])] == [0.4, 0.3]
    # across a seal it stays beside a confident one (never confident itself: IN_SEAL_CEILING)
    assert [(s.bbox, s.confidence) for s in detector.rescore([sig, note, stamped], [0.9, 0.3, 0.99])] == [
        (sig.bbox, 0.9), (stamped.bbox, detector.IN_SEAL_CEILING)]
    assert lo <= 0.3 < hi and lo <= 0.4 < hi


def _wave(page: np.ndarray, x0: int, x1: int, y: int) -> None:
    import cv2

    xs = np.linspace(x0, x1, 200)
    stroke = np.stack([xs, y + 110 * np.sin((xs - x0) / 25)], 1).astype(np.int32)
    cv2.polylines(page, [stroke], False, (20, 30, 90), 6)


def test_pieces_of_a_signature_close_on_one_line_are_one_candidate_for_the_net() -> None:
    """Drawn at 300 dpi: two handwritten strokes 300 px tall on one line, 120 px apart (the grouping keeps
    them apart: 0.4 of their height) are one candidate; 220 px apart (0.73) two."""
    from verification.scans import handwriting

    page = np.full((1400, 3000, 3), 255, np.uint8)
    _wave(page, 200, 600, 400)
    _wave(page, 720, 1120, 400)  # 120 px after the first
    _wave(page, 1600, 2000, 1000)
    _wave(page, 2220, 2620, 1000)  # 220 px after the third
    found = sorted(detect_signatures(page, 300.0, (), ()), key=lambda s: s.bbox[:2])
    assert [s.bbox[0] // 100 for s in found] == [1, 15, 22]
    assert found[0].bbox[2] >= 1110 and found[1].bbox[2] <= 2010
    assert handwriting.CANDIDATE_JOIN_GAP == 0.5


def test_a_signature_read_as_a_tall_word_stays_in_the_ink() -> None:
    """OCR reads a signature written in plain letters as a word; a word three times the page's median word
    height is not printed body text, so it is not taken out of the ink (handwriting.WRITTEN_TALL)."""
    from verification.scans.loading import TextWord

    page = np.full((1400, 2400, 3), 255, np.uint8)
    _wave(page, 300, 800, 700)
    body = [TextWord(f"слово{i}", (100 + 200 * i, 100, 260 + 200 * i, 160), 95.0, 0) for i in range(10)]
    tall = TextWord("Иванов", (290, 580, 810, 820), 90.0, 1)  # 240 px against the body's 60
    low = TextWord("Иванов", (290, 580, 810, 740), 90.0, 1)  # 160 px: under three times, taken out
    assert len(detect_signatures(page, 300.0, body + [tall], ())) == 1
    assert detect_signatures(page, 300.0, body + [low], ()) == []


@pytest.mark.parametrize("text,label", [
    ("М.П.", True), ("М.О.", True), ("м.п", True), ("(Подпись)", True), ("Қолы", True), ("Директор", True),
    # «МО» (методическое объединение), «Mo.» read as Cyrillic, words ending in «мо»: not a place to sign
    ("МО", False), ("Мо.", False), ("само", False), ("Memo", False), ("ШМО", False),
])
def test_only_a_real_signature_label_makes_a_candidate_confident(text: str, label: bool) -> None:
    from verification.scans.loading import TextWord

    page = np.full((1400, 2400, 3), 255, np.uint8)
    _wave(page, 300, 800, 700)
    word = TextWord(text, (900, 660, 1100, 720), 90.0, 0)
    (found,) = detect_signatures(page, 300.0, [word], ())
    assert found.by_label is label


def _body(n: int, top: int = 600, step: int = 40) -> list[Any]:
    """``n`` confidently read words of print, one a line, from ``top`` down (boxes at 300 dpi)."""
    from verification.scans.loading import TextWord

    return [TextWord(f"слово{i}", (300, top + i * step, 500, top + i * step + 30), 92.0) for i in range(n)]


def _found(bbox: tuple[int, int, int, int], conf: float, by_label: bool = False, in_seal: bool = False) -> Any:
    from verification.scans.handwriting import SignatureDetection

    return SignatureDetection(bbox, conf, by_label, in_seal)


def test_a_note_in_the_top_margin_above_a_confident_signature_is_left_out() -> None:
    from verification.scans.loading import TextWord

    note = _found((1800, 150, 2300, 260), 0.95)  # a filing note or initials above the letter's text
    signature = _found((300, 2400, 900, 2550), 0.9)  # under the text
    words = _body(40)
    assert detector.margin_notes([note, signature], words) == [signature]
    # under the first 12 % of the print it is no longer the margin
    lower_note = _found((1800, 600 + 6 * 40, 2300, 600 + 6 * 40 + 100), 0.95)
    assert detector.margin_notes([lower_note, signature], words) == [lower_note, signature]
    # kept: nothing confident lower down (the check must not lose the page's only finding)
    assert detector.margin_notes([note, _found((300, 2400, 900, 2550), 0.3)], words) == [
        note, _found((300, 2400, 900, 2550), 0.3)]
    # kept: too little print to know where the text is (a specimen sheet, a form)
    assert detector.margin_notes([note, signature], words[:29]) == [note, signature]
    # kept: beside a signature label or a head's position, or across a seal
    labelled = _found(note.bbox, 0.95, by_label=True)
    sealed = _found(note.bbox, 0.45, in_seal=True)
    assert detector.margin_notes([labelled, sealed, signature], words) == [labelled, sealed, signature]
    # kept: an approval block, where the head signs at the top («УТВЕРЖДАЮ», «БЕКІТЕМІН»)
    for heading in ("УТВЕРЖДАЮ", "БЕКІТЕМІН", "СОГЛАСОВАНО"):
        approval = [*words, TextWord(heading, (1800, 100, 2200, 140), 90.0)]
        assert detector.margin_notes([note, signature], approval) == [note, signature]
    # words OCR was unsure of do not count as print
    unsure = [TextWord(w.text, w.bbox, 40.0) for w in words]
    assert detector.margin_notes([note, signature], unsure) == [note, signature]
