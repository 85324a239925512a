"""Reproducible labelled evaluation set of scanned attestation documents.

Each page is drawn at 300 dpi with PIL (DejaVu/Liberation fonts): an issuer header, a title naming
the kind, number and date in one of the common forms, a body naming the teacher, the level, the
form and places, a signature block («Подпись», «Қолы», «М.П.»). Then, at random but seeded:
a seal (round/oval/rectangular, blue/violet/black, ring text and centre emblem, often overlapping
text or the signature), a handwritten signature (spline scribble with pressure), distractors (round
logo, pie chart, table), a QR code; and degradations (90/180/270 rotation, skew, blur, noise, grey,
150–300 dpi, JPEG quality). Ground truth (boxes at 300 dpi, field values) goes to ``truth.json``.

The harder cases: several signatures on one page (a commission's signature block, 2–5 rows), a
second stamp, a seal placed across a signature or across body text, low contrast, black-and-white
(thresholded) scans, and phone photos (the page warped by a random perspective onto a darker textured
table, with a light gradient and a soft shadow). Every seal and every signature has its truth box, in
the flat upright page's frame at 300 dpi (where the analysis reports them); a photo's truth also
gives the sheet's corners in the photo (``sheet_corners``). This set is a regression set for the
detectors; their accuracy is quoted on real scans only.

    python -m samples.scans.generate --out /tmp/scans --count 60 --seed 7
"""

from __future__ import annotations

import argparse
import io
import json
import math
import random
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

__all__ = ["A4_300", "PageSpec", "draw_seal", "draw_signature", "generate", "photograph", "render_page"]

A4_300 = (2480, 3508)
_FONT_DIRS = [Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/truetype/liberation2")]
_FONTS = {
    "serif": ["DejaVuSerif.ttf", "LiberationSerif-Regular.ttf"],
    "sans": ["DejaVuSans.ttf", "LiberationSans-Regular.ttf"],
    "bold": ["DejaVuSerif-Bold.ttf", "LiberationSerif-Bold.ttf", "DejaVuSans-Bold.ttf"],
    "italic": ["LiberationSerif-Italic.ttf", "DejaVuSerif-Italic.ttf"],
}


def _font(kind: str, size: int, rng: random.Random | None = None) -> ImageFont.FreeTypeFont:
    names = _FONTS[kind]
    name = rng.choice(names) if rng else names[0]
    for d in _FONT_DIRS:
        if (d / name).exists():
            return ImageFont.truetype(str(d / name), size)
    return ImageFont.truetype(str(_FONT_DIRS[0] / "DejaVuSans.ttf"), size)


TEACHERS = [
    ("Жумабаева Айгерим Сериковна", "Жумабаевой Айгерим Сериковне", "Жұмабаева Айгерім Серікқызы", "Жумабаева А.С."),
    ("Иванова Анна Петровна", "Ивановой Анне Петровне", "Иванова Анна Петровна", "Иванова А.П."),
    ("Сейткали Нурлан Ержанович", "Сейткали Нурлану Ержановичу", "Сейтқали Нұрлан Ержанұлы", "Сейткали Н.Е."),
    ("Ахметова Гульнара Маратовна", "Ахметовой Гульнаре Маратовне", "Ахметова Гүлнара Маратқызы", "Ахметова Г.М."),
    ("Петров Сергей Иванович", "Петрову Сергею Ивановичу", "Петров Сергей Иванович", "Петров С.И."),
    ("Бекова Динара Асхатовна", "Бековой Динаре Асхатовне", "Бекова Динара Асхатқызы", "Бекова Д.А."),
    ("Омаров Ержан Болатович", "Омарову Ержану Болатовичу", "Омаров Ержан Болатұлы", "Омаров Е.Б."),
    ("Кузнецова Ольга Викторовна", "Кузнецовой Ольге Викторовне", "Кузнецова Ольга Викторовна", "Кузнецова О.В."),
]
ISSUERS = [
    ("КГУ «Методический центр управления", "образования Жамбылской области»",
     "Жамбыл облысы білім басқармасының", "«Әдістемелік орталығы» КММ"),
    ("ГУ «Отдел образования Байзакского района»", "",
     "«Байзақ ауданының білім бөлімі» ММ", ""),
    ("КГУ «Школа-гимназия № 12»", "",
     "«№ 12 мектеп-гимназиясы» КММ", ""),
    ("Республиканский научно-практический центр", "«Учебная книга»",
     "Республикалық ғылыми-практикалық орталығы", "«Оқулық»"),
    ("Управление образования Акмолинской области", "",
     "Ақмола облысының білім басқармасы", ""),
]
MONTHS_RU = ["января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября",
             "октября", "ноября", "декабря"]
MONTHS_KK = ["қаңтар", "ақпан", "наурыз", "сәуір", "мамыр", "маусым", "шілде", "тамыз", "қыркүйек",
             "қазан", "қараша", "желтоқсан"]
KINDS = {
    "certificate": ("СЕРТИФИКАТ", "СЕРТИФИКАТ"),
    "order": ("ПРИКАЗ", "БҰЙРЫҚ"),
    "protocol_extract": ("ВЫПИСКА ИЗ ПРОТОКОЛА", "ХАТТАМАДАН ҮЗІНДІ"),
    "transmission_program": ("ПРОГРАММА ТРАНСЛЯЦИИ ОПЫТА", "ТӘЖІРИБЕНІ ТАРАТУ БАҒДАРЛАМАСЫ"),
    "expert_conclusion": ("ЭКСПЕРТНОЕ ЗАКЛЮЧЕНИЕ", "САРАПТАМАЛЫҚ ҚОРЫТЫНДЫ"),
    "implementation_act": ("АКТ О ВНЕДРЕНИИ", "ЕНГІЗУ ТУРАЛЫ АКТ"),
}
LEVELS = {"district": ("районного", "аудандық"), "regional": ("областного", "облыстық"),
          "republican": ("республиканского", "республикалық"), "international": ("международного", "халықаралық")}
FORMS = {"seminar": ("семинара", "семинар"), "webinar": ("вебинара", "вебинар"),
         "master_class": ("мастер-класса", "шеберлік сынып"), "conference": ("конференции", "конференция")}
PLACES = [  # (id, ru in locative, kk)
    ("kz-zhambyl/baizakskii", "Байзакском районе", "Байзақ ауданы"),
    ("kz-zhambyl/merkenskii", "Меркенском районе", "Меркі ауданы"),
    ("kz-zhambyl/taraz", "г. Тараз", "Тараз қаласы"),
    ("kz-akmola/burabaiskii", "Бурабайском районе", "Бурабай ауданы"),
    ("kz-akmola/kokshetau", "г. Кокшетау", "Көкшетау қаласы"),
    ("kz-turkistan/sairamskii", "Сайрамском районе", "Сайрам ауданы"),
    ("kz-karaganda/karaganda", "г. Караганде", "Қарағанды қаласы"),
]


@dataclass(frozen=True)
class PageSpec:
    lang: str = "ru"
    kind: str = "certificate"
    seal: str | None = "round"  # round | oval | rectangular | None
    seal_color: str = "blue"  # blue | violet | black
    signature: bool = True
    logo: bool = False
    pie: bool = False
    table: bool = False
    qr: str | None = None
    rotation: int = 0
    skew: float = 0.0
    blur: float = 0.0
    grey: bool = False
    dpi: int = 300
    jpeg_quality: int = 85
    signatures: int = 1  # with ``signature``: 2–5 draw a commission's signature block, one signature a row
    seal_place: str = "mp"  # mp (beside «М.П.») | signature (across the first signature) | text (across the body)
    second_seal: bool = False  # a rectangular stamp at the top right, over the header
    bw: bool = False  # black-and-white (thresholded) scan
    contrast: float = 1.0  # under 1: faint ink on greyish paper
    photo: bool = False  # a phone photo: perspective on a textured background, light gradient, shadow


_INK = {"blue": (35, 60, 175), "violet": (105, 45, 160), "black": (30, 30, 35)}


def _multiply(page: Image.Image, layer: Image.Image, color: tuple[int, int, int], x: int, y: int,
              opacity: float = 0.9) -> None:
    """Stamp ``layer`` (L mask, 255 = ink) in ``color`` onto ``page`` at (x, y) as ink does (multiply)."""
    m = np.asarray(layer).astype(np.float32) / 255.0 * opacity
    h, w = m.shape
    x0, y0 = max(x, 0), max(y, 0)
    x1, y1 = min(x + w, page.size[0]), min(y + h, page.size[1])
    if x1 <= x0 or y1 <= y0:
        return
    mm = m[y0 - y:y1 - y, x0 - x:x1 - x, None]
    c = np.array(color, np.float32) / 255.0
    region = np.asarray(page.crop((x0, y0, x1, y1))).astype(np.float32)  # only the stamped area
    page.paste(Image.fromarray((region * (1 - mm + mm * c)).clip(0, 255).astype(np.uint8)), (x0, y0))


def _ring_text(layer: Image.Image, text: str, cx: float, cy: float, rx: float, ry: float, size: int,
               rng: random.Random) -> None:
    font = _font("bold", size, rng)
    n = len(text)
    for i, ch in enumerate(text):
        ang = -math.pi / 2 + 2 * math.pi * i / n
        glyph = Image.new("L", (size * 2, size * 2), 0)
        ImageDraw.Draw(glyph).text((size * 0.5, size * 0.4), ch, fill=255, font=font)
        glyph = glyph.rotate(-math.degrees(ang) - 90, resample=Image.BICUBIC)
        px, py = cx + rx * math.cos(ang), cy + ry * math.sin(ang)
        layer.paste(255, (int(px - size), int(py - size)), glyph)


def draw_seal(shape: str, rng: random.Random, lang: str = "ru") -> Image.Image:
    """An L-mode seal mask (255 = ink) of a round, oval or rectangular stamp."""
    text = rng.choice([
        "КОММУНАЛЬНОЕ ГОСУДАРСТВЕННОЕ УЧРЕЖДЕНИЕ * МЕТОДИЧЕСКИЙ ЦЕНТР * ",
        "БІЛІМ БӨЛІМІ * ӘДІСТЕМЕЛІК ОРТАЛЫҚ * ЖАМБЫЛ ОБЛЫСЫ * ",
        "ОТДЕЛ ОБРАЗОВАНИЯ * БАЙЗАКСКИЙ РАЙОН * ДЛЯ ДОКУМЕНТОВ * ",
        "ШКОЛА-ГИМНАЗИЯ № 12 * МЕКТЕП-ГИМНАЗИЯСЫ * ",
    ])
    if shape in ("round", "oval"):
        r = rng.randint(190, 235)
        rx, ry = (r, r) if shape == "round" else (int(r * 1.3), int(r * 0.9))
        w, h = 2 * rx + 20, 2 * ry + 20
        layer = Image.new("L", (w, h), 0)
        d = ImageDraw.Draw(layer)
        cx, cy = w / 2, h / 2
        d.ellipse([cx - rx, cy - ry, cx + rx, cy + ry], outline=255, width=rng.randint(5, 8))
        d.ellipse([cx - rx + 14, cy - ry + 14, cx + rx - 14, cy + ry - 14], outline=255, width=3)
        size = int(min(rx, ry) * 0.17)
        _ring_text(layer, text, cx, cy, rx - 14 - size * 0.95, ry - 14 - size * 0.95, size, rng)
        ir = 0.58
        d.ellipse([cx - rx * ir, cy - ry * ir, cx + rx * ir, cy + ry * ir], outline=255, width=3)
        # centre: a star emblem or the BIN
        if rng.random() < 0.5:
            pts = []
            for k in range(10):
                rr = (rx * 0.3 if k % 2 == 0 else rx * 0.13)
                a = -math.pi / 2 + k * math.pi / 5
                pts.append((cx + rr * math.cos(a), cy + rr * math.sin(a)))
            d.polygon(pts, outline=255, fill=255 if rng.random() < 0.5 else None, width=3)
        else:
            f = _font("bold", int(size * 0.9), rng)
            for k, line in enumerate(["БСН / БИН", f"{rng.randint(10**11, 10**12 - 1)}", "ҚАЗАҚСТАН"]):
                tw = d.textlength(line, font=f)
                d.text((cx - tw / 2, cy - size * 1.6 + k * size * 1.1), line, fill=255, font=f)
    else:
        w, h = rng.randint(560, 680), rng.randint(250, 300)
        layer = Image.new("L", (w, h), 0)
        d = ImageDraw.Draw(layer)
        d.rectangle([4, 4, w - 5, h - 5], outline=255, width=6)
        d.rectangle([18, 18, w - 19, h - 19], outline=255, width=3)
        f = _font("bold", 36, rng)
        lines = rng.choice([["КОПИЯ ВЕРНА", "Директор ___________", "«___» ________ 20__ г."],
                            ["ҚҰЖАТТАР ҮШІН", "Білім бөлімі", f"№ {rng.randint(1, 99)}"],
                            ["УТВЕРЖДАЮ", "Методический центр", "для документов"]])
        for k, line in enumerate(lines):
            tw = d.textlength(line, font=f)
            d.text(((w - tw) / 2, 40 + k * (h - 80) / 3), line, fill=255, font=f)
    # uneven stamp pressure: random dropouts
    arr = np.asarray(layer).astype(np.float32)
    noise = np.asarray(Image.fromarray((np.random.default_rng(rng.randint(0, 10**9)).random(
        (arr.shape[0] // 16 + 1, arr.shape[1] // 16 + 1)) * 255).astype(np.uint8)).resize(
        (arr.shape[1], arr.shape[0]), Image.BILINEAR)).astype(np.float32) / 255
    arr *= (0.55 + 0.45 * noise)
    out = Image.fromarray(arr.clip(0, 255).astype(np.uint8))
    return out.rotate(rng.uniform(-25, 25), resample=Image.BICUBIC, expand=True)


def draw_signature(rng: random.Random) -> Image.Image:
    """An L-mode handwritten-signature mask: a smooth spline scribble with pressure."""
    w, h = rng.randint(320, 480), rng.randint(120, 190)
    layer = Image.new("L", (w, h), 0)
    d = ImageDraw.Draw(layer)
    n = rng.randint(6, 11)
    pts = []
    for i in range(n):
        x = 20 + (w - 40) * i / (n - 1) + rng.uniform(-30, 30)
        y = rng.uniform(20, h - 20)
        pts.append((x, y))
    # a capital loop at the start and a long flourish at the end
    pts = [(pts[0][0] + 10, h - 25), (pts[0][0] - 5, 25)] + pts + [(w - 15, rng.uniform(h * 0.5, h - 15))]
    samples = []
    for i in range(1, len(pts) - 2):
        p0, p1, p2, p3 = pts[i - 1], pts[i], pts[i + 1], pts[i + 2]
        for t in np.linspace(0, 1, 24):
            t2, t3 = t * t, t * t * t
            x = 0.5 * ((2 * p1[0]) + (-p0[0] + p2[0]) * t + (2 * p0[0] - 5 * p1[0] + 4 * p2[0] - p3[0]) * t2
                       + (-p0[0] + 3 * p1[0] - 3 * p2[0] + p3[0]) * t3)
            y = 0.5 * ((2 * p1[1]) + (-p0[1] + p2[1]) * t + (2 * p0[1] - 5 * p1[1] + 4 * p2[1] - p3[1]) * t2
                       + (-p0[1] + 3 * p1[1] - 3 * p2[1] + p3[1]) * t3)
            samples.append((x, y))
    base = rng.uniform(3.5, 6.5)
    for k in range(len(samples) - 1):
        pressure = base * (0.6 + 0.4 * math.sin(k / 9.0 + rng.random() * 0.3))
        d.line([samples[k], samples[k + 1]], fill=255, width=max(2, int(pressure)))
    if rng.random() < 0.7:  # underline stroke
        y = h - rng.uniform(10, 30)
        d.line([(rng.uniform(10, 60), y), (w - rng.uniform(10, 60), y - rng.uniform(-15, 15))], fill=255, width=3)
    return layer


def _date_text(rng: random.Random, lang: str, y: int, m: int, dd: int) -> str:
    if lang == "ru":
        return rng.choice([f"«{dd:02d}» {MONTHS_RU[m - 1]} {y} года", f"{dd:02d}.{m:02d}.{y}",
                           f"{dd} {MONTHS_RU[m - 1]} {y} г."])
    return rng.choice([f"{y} жылғы «{dd:02d}» {MONTHS_KK[m - 1]}", f"{dd:02d}.{m:02d}.{y} ж.",
                       f"{dd} {MONTHS_KK[m - 1]} {y} ж."])


def _wrap(draw: ImageDraw.ImageDraw, text: str, font: ImageFont.FreeTypeFont, width: int) -> list[str]:
    out, cur = [], ""
    for word in text.split():
        trial = f"{cur} {word}".strip()
        if draw.textlength(trial, font=font) > width and cur:
            out.append(cur)
            cur = word
        else:
            cur = trial
    if cur:
        out.append(cur)
    return out


def render_page(spec: PageSpec, seed: int) -> tuple[Image.Image, dict[str, Any]]:
    """One page image (at ``spec.dpi``) and its ground truth (boxes at 300 dpi, before rotation)."""
    rng = random.Random(seed)
    page = Image.new("RGB", A4_300, (255, 255, 255))
    d = ImageDraw.Draw(page)
    W, H = A4_300
    left, right = 250, W - 220
    ru = spec.lang == "ru"
    teacher = rng.choice(TEACHERS)
    issuer = rng.choice(ISSUERS)
    y_, m_, dd = rng.randint(2021, 2025), rng.randint(1, 12), rng.randint(1, 28)
    number = rng.choice([f"{rng.randint(2, 299)}", f"{rng.randint(2, 299)}-ө", f"{rng.randint(2, 40)}/{rng.randint(1, 9)}"])
    level = rng.choice(list(LEVELS))
    form = rng.choice(list(FORMS))
    places = rng.sample(PLACES, 3)
    truth_seals: list[dict[str, Any]] = []
    truth_sigs: list[dict[str, Any]] = []
    size = rng.randint(46, 54)
    body_font = _font(rng.choice(["serif", "sans"]), size, rng)
    bold = _font("bold", size + 4, rng)
    y = 230
    if spec.logo:
        lr = rng.randint(95, 130)
        lx, ly = left + lr, y + lr
        if rng.random() < 0.5:
            d.ellipse([lx - lr, ly - lr, lx + lr, ly + lr], fill=(20, 70, 150) if not spec.grey else (60, 60, 60))
            f = _font("bold", int(lr * 0.7))
            d.text((lx - lr * 0.55, ly - lr * 0.45), rng.choice(["ӘО", "МЦ", "ШГ"]), fill=(255, 255, 255), font=f)
        else:
            d.ellipse([lx - lr, ly - lr, lx + lr, ly + lr], outline=(30, 90, 40), width=8)
            pts = [(lx + lr * 0.7 * math.cos(-math.pi / 2 + k * math.pi / 5) * (1 if k % 2 == 0 else 0.4),
                    ly + lr * 0.7 * math.sin(-math.pi / 2 + k * math.pi / 5) * (1 if k % 2 == 0 else 0.4)) for k in range(10)]
            d.polygon(pts, fill=(200, 150, 20))
    issuer_lines = [ln for ln in (issuer[0:2] if ru else issuer[2:4]) if ln]
    for ln in issuer_lines:
        tw = d.textlength(ln, font=bold)
        d.text(((W - tw) / 2 + (120 if spec.logo else 0), y), ln, fill=(0, 0, 0), font=bold)
        y += int(size * 1.5)
    y += 90
    title = KINDS[spec.kind][0 if ru else 1]
    tf = _font("bold", size + 14, rng)
    tw = d.textlength(title, font=tf)
    d.text(((W - tw) / 2, y), title, fill=(0, 0, 0), font=tf)
    y += int(size * 2.2)
    date_text = _date_text(rng, spec.lang, y_, m_, dd)
    num_line = f"№ {number} от {date_text}" if ru and rng.random() < 0.5 else (
        f"{date_text}   № {number}" if not ru else f"{date_text}          № {number}")
    d.text((left, y), num_line, fill=(0, 0, 0), font=body_font)
    y += int(size * 2.2)
    name_text = rng.choice([teacher[1] if ru else teacher[2], teacher[3]]) if spec.kind == "certificate" else (
        teacher[0] if ru else teacher[2])
    lvl = LEVELS[level][0 if ru else 1]
    frm = FORMS[form][0 if ru else 1]
    pl = ", ".join(p[1 if ru else 2] for p in places)
    if ru:
        body = (f"Настоящий документ подтверждает, что {name_text} приняла участие в качестве спикера "
                f"{lvl} {frm} по трансляции педагогического опыта, проведённого в {pl}. "
                f"Тема выступления: «Формирование функциональной грамотности учащихся».")
    else:
        body = (f"Осы құжат {name_text} педагогтің тәжірибені тарату бойынша {lvl} {frm} спикер ретінде "
                f"қатысқанын растайды. Іс-шара {pl} өткізілді. Баяндама тақырыбы: "
                f"«Оқушылардың функционалдық сауаттылығын қалыптастыру».")
    body_top = y
    for ln in _wrap(d, body, body_font, right - left):
        d.text((left, y), ln, fill=(0, 0, 0), font=body_font)
        y += int(size * 1.45)
    body_bottom = y
    y += 60
    if spec.table:
        rows, cols = 4, 3
        cw, rh = (right - left) // cols, int(size * 1.8)
        for r in range(rows + 1):
            d.line([(left, y + r * rh), (left + cols * cw, y + r * rh)], fill=(0, 0, 0), width=3)
        for c in range(cols + 1):
            d.line([(left + c * cw, y), (left + c * cw, y + rows * rh)], fill=(0, 0, 0), width=3)
        cells = ["№", "Іс-шара / Мероприятие", "Күні / Дата"]
        for r in range(1, rows):
            cells += [str(r), rng.choice(["Семинар", "Вебинар", "Шеберлік сынып"]), f"{dd:02d}.{m_:02d}.{y_}"]
        sf = _font("sans", size - 8)
        for k, cell in enumerate(cells):
            r, c = divmod(k, cols)
            d.text((left + c * cw + 15, y + r * rh + 15), cell, fill=(0, 0, 0), font=sf)
        y += rows * rh + 60
    if spec.pie:
        pr = rng.randint(150, 210)
        px, py = left + pr + 40, y + pr
        start = 0.0
        colours = [(200, 60, 60), (60, 120, 200), (240, 180, 40), (90, 170, 90), (150, 150, 150)]
        for k in range(rng.randint(3, 5)):
            ext = rng.uniform(50, 120)
            fill = colours[k] if not spec.grey else (60 + 40 * k,) * 3
            d.pieslice([px - pr, py - pr, px + pr, py + pr], start, start + ext, fill=fill, outline=(0, 0, 0), width=2)
            start += ext
        d.pieslice([px - pr, py - pr, px + pr, py + pr], start, 360, fill=(230, 230, 230), outline=(0, 0, 0), width=2)
        sf = _font("sans", size - 10)
        for k in range(3):
            d.rectangle([px + pr + 80, py - 80 + k * 70, px + pr + 120, py - 40 + k * 70], fill=colours[k])
            d.text((px + pr + 140, py - 85 + k * 70), ["Семинар", "Вебинар", "Конференция"][k], fill=(0, 0, 0), font=sf)
        y += 2 * pr + 60
    # signature block (a commission's several rows start higher, so that all fit on the page)
    y = max(y + 40, 2500) if y < 2500 else y + 40
    if spec.signature and spec.signatures > 1:
        y = max(min(y, H - 300 - 170 - (spec.signatures - 1) * 200), body_bottom + 60)
    head = rng.choice(["Директор", "Руководитель"]) if ru else rng.choice(["Басшы", "Директор"])
    head_name = rng.choice(["А.К. Сарсенбаева", "Б.Т. Омаров", "Г.Н. Ким", "Е.С. Нургалиева"])
    sign_word = "Подпись" if ru else "Қолы"
    d.text((left, y), head, fill=(0, 0, 0), font=body_font)
    line_x0 = left + 700
    d.line([(line_x0, y + size), (line_x0 + 500, y + size)], fill=(0, 0, 0), width=3)
    sf = _font("sans", size - 16)
    d.text((line_x0 + 160, y + size + 8), f"({sign_word.lower()})", fill=(0, 0, 0), font=sf)
    d.text((line_x0 + 560, y), head_name, fill=(0, 0, 0), font=body_font)
    d.text((left, y + 170), "М.П." if ru else "М.О.", fill=(0, 0, 0), font=body_font)
    if spec.qr:
        import qrcode

        qr = qrcode.make(spec.qr, box_size=8, border=2).convert("RGB")
        page.paste(qr, (right - qr.size[0], 3508 - 240 - qr.size[1]))
    ink_sig = (25, 45, 150) if rng.random() < 0.7 else (25, 25, 30)
    more = random.Random(seed * 7919 + 1)  # the harder cases draw from their own stream: older pages stay the same
    if spec.signature:
        sig = draw_signature(rng)
        sx, sy = line_x0 + rng.randint(0, 150), y + size - sig.size[1] + rng.randint(10, 50)
        _multiply(page, sig, ink_sig, sx, sy, 0.95)
        bb = sig.getbbox()
        if bb:
            truth_sigs.append({"bbox": [sx + bb[0], sy + bb[1], sx + bb[2], sy + bb[3]]})
        for k in range(1, max(1, spec.signatures)):  # the commission's members, one row each, below the head
            ry = y + 170 + k * 200
            role = more.choice(["Член комиссии", "Секретарь", "Эксперт"] if ru else ["Комиссия мүшесі", "Хатшы", "Сарапшы"])
            d.text((left, ry), role, fill=(0, 0, 0), font=body_font)
            d.line([(line_x0, ry + size), (line_x0 + 500, ry + size)], fill=(0, 0, 0), width=3)
            d.text((line_x0 + 560, ry), more.choice(["Р.А. Ахметов", "С.Б. Жунусова", "М.К. Исаева", "Т.О. Бекишев"]),
                   fill=(0, 0, 0), font=body_font)
            sig = draw_signature(more)
            sx = line_x0 + more.randint(-40, 150)
            sy = ry + size - sig.size[1] + more.randint(10, 50)
            _multiply(page, sig, ink_sig if more.random() < 0.6 else (25, 25, 30), sx, sy, 0.95)
            bb = sig.getbbox()
            if bb:
                truth_sigs.append({"bbox": [sx + bb[0], sy + bb[1], sx + bb[2], sy + bb[3]]})
    if spec.seal:
        seal = draw_seal(spec.seal, rng, spec.lang)
        sx = left + rng.randint(-40, 400)
        sy = y + 170 - seal.size[1] // 2 + rng.randint(-60, 80)
        if spec.seal_place == "signature" and truth_sigs:  # the seal stamped across the head's signature
            b = truth_sigs[0]["bbox"]
            sx = (b[0] + b[2]) // 2 - seal.size[0] // 2 + more.randint(-120, 120)
            sy = (b[1] + b[3]) // 2 - seal.size[1] // 2 + more.randint(-60, 60)
        elif spec.seal_place == "text":  # across the body text
            sx = more.randint(left + 100, right - seal.size[0] - 50)
            sy = more.randint(body_top, max(body_top, body_bottom - seal.size[1] // 2))
        _multiply(page, seal, _INK[spec.seal_color], sx, sy, rng.uniform(0.75, 0.95))
        bb = seal.getbbox()
        if bb:
            truth_seals.append({"bbox": [sx + bb[0], sy + bb[1], sx + bb[2], sy + bb[3]], "kind": spec.seal})
    if spec.second_seal:
        stamp = draw_seal("rectangular", more, spec.lang)
        sx, sy = right - stamp.size[0] + more.randint(-60, 40), more.randint(120, 420)
        _multiply(page, stamp, _INK[more.choice(["blue", "violet"])], sx, sy, more.uniform(0.75, 0.95))
        bb = stamp.getbbox()
        if bb:
            truth_seals.append({"bbox": [sx + bb[0], sy + bb[1], sx + bb[2], sy + bb[3]], "kind": "rectangular"})
    truth: dict[str, Any] = {
        "lang": spec.lang, "kind": spec.kind, "teacher": teacher[0], "name_as_written": name_text,
        "date": f"{y_:04d}-{m_:02d}-{dd:02d}", "number": number,
        "issuer": " ".join(issuer_lines), "level": level, "event_form": form,
        "places": [p[0] for p in places], "seals": truth_seals, "handwritten_signatures": truth_sigs,
        "spec": spec.__dict__,
    }
    # degradations
    if spec.skew:
        page = page.rotate(spec.skew, resample=Image.BICUBIC, fillcolor=(255, 255, 255))
    if spec.blur:
        page = page.filter(ImageFilter.GaussianBlur(spec.blur))
    arr = np.asarray(page).astype(np.int16)
    arr = arr + np.random.default_rng(seed).normal(0, 6, arr.shape).astype(np.int16)
    if spec.contrast < 1:  # faint toner on greyish paper
        paper = 235 - 25 * (1 - spec.contrast)
        arr = (paper - (255 - arr) * spec.contrast * paper / 255).astype(np.int16)
    page = Image.fromarray(arr.clip(0, 255).astype(np.uint8))
    if spec.grey or spec.bw:
        page = page.convert("L")
    if spec.dpi != 300:
        page = page.resize((round(W * spec.dpi / 300), round(H * spec.dpi / 300)), Image.LANCZOS)
    if spec.bw:  # a black-and-white scan at its resolution: light strokes of a stamp break up or vanish
        page = page.point(lambda v: 0 if v < 165 else 255)
    if spec.rotation:
        page = page.rotate(spec.rotation, expand=True)  # counter-clockwise, as a sideways scan
    if spec.photo:
        page, corners = photograph(page, random.Random(seed * 31 + 5))
        truth["sheet_corners"] = corners
    return page, truth


def _texture(size: tuple[int, int], rng: random.Random) -> np.ndarray:
    """A table top: a dark base colour, low-frequency blotches and fine grain (float RGB)."""
    w, h = size
    nrng = np.random.default_rng(rng.randint(0, 10**9))
    base = np.array(rng.choice([(95, 70, 50), (70, 72, 78), (120, 95, 70), (55, 60, 50), (40, 40, 45)]), np.float32)
    blotch = np.asarray(Image.fromarray((nrng.random((h // 64 + 2, w // 64 + 2)) * 255).astype(np.uint8)).resize(
        (w, h), Image.BICUBIC)).astype(np.float32)[:, :, None] / 255
    grain = nrng.standard_normal((h, w, 1), dtype=np.float32) * 9
    streaks = np.sin(np.arange(w, dtype=np.float32)[None, :, None] / rng.uniform(6, 14)) * 6  # wood-like
    return base[None, None, :] * (0.75 + 0.5 * blotch) + grain + streaks


def photograph(page: Image.Image, rng: random.Random) -> tuple[Image.Image, list[list[float]]]:
    """The page as a phone photographs it: tilted in perspective on a textured table, lit unevenly
    (a gradient across the frame and a soft shadow), with sensor noise. Returns the photo and the
    sheet's corners in it (top-left, top-right, bottom-right, bottom-left)."""
    import cv2

    src = np.asarray(page.convert("RGB")).astype(np.float32)
    h, w = src.shape[:2]
    ph = int(h * rng.uniform(1.12, 1.3))
    pw = int(ph * 0.75) if w < h else int(ph * 1.33)
    scale = min(pw / w, ph / h) * rng.uniform(0.78, 0.88)
    cx, cy = pw / 2 + rng.uniform(-0.04, 0.04) * pw, ph / 2 + rng.uniform(-0.03, 0.03) * ph
    jitter = 0.06 * min(pw, ph)
    base = [(-w / 2, -h / 2), (w / 2, -h / 2), (w / 2, h / 2), (-w / 2, h / 2)]
    top_narrow = rng.uniform(0.02, 0.08)  # the camera is held below the sheet's top edge: top edge shorter
    corners = []
    for k, (bx, by) in enumerate(base):
        shrink = 1 - top_narrow if k < 2 else 1.0
        corners.append([cx + bx * scale * shrink + rng.uniform(-jitter, jitter),
                        cy + by * scale + rng.uniform(-jitter, jitter)])
    m = cv2.getPerspectiveTransform(np.array([[0, 0], [w, 0], [w, h], [0, h]], np.float32),
                                    np.array(corners, np.float32))
    sheet = cv2.warpPerspective(src, m, (pw, ph), flags=cv2.INTER_LINEAR)
    inside = cv2.warpPerspective(np.ones((h, w), np.float32), m, (pw, ph), flags=cv2.INTER_LINEAR)[:, :, None]
    table = _texture((pw, ph), rng)
    photo = table + (sheet - table) * inside
    # light: a gradient across the frame and a soft shadow (a hand or the phone) over part of the sheet
    lw, lh = pw // 8, ph // 8  # light varies slowly: computed at 1/8 size
    yy, xx = np.mgrid[0:lh, 0:lw].astype(np.float32) * 8
    ang = rng.uniform(0, 2 * math.pi)
    g = (xx * math.cos(ang) + yy * math.sin(ang)) / math.hypot(pw, ph)
    g = (g - g.min()) / max(float(g.max() - g.min()), 1e-6)
    light = 1.0 - rng.uniform(0.12, 0.3) * g
    sx, sy = rng.uniform(0.1, 0.9) * pw, rng.uniform(0.1, 0.9) * ph
    r = rng.uniform(0.18, 0.32) * min(pw, ph)
    shadow = np.exp(-(((xx - sx) ** 2 + (yy - sy) ** 2) / (2 * r * r)))
    light *= 1.0 - rng.uniform(0.2, 0.32) * shadow
    light = cv2.resize(light.astype(np.float32), (pw, ph), interpolation=cv2.INTER_LINEAR)
    warm = np.array([1.0, rng.uniform(0.95, 1.0), rng.uniform(0.86, 0.96)], np.float32)  # indoor light
    photo *= light[:, :, None]
    photo *= warm[None, None, :]
    photo = cv2.GaussianBlur(photo, (0, 0), rng.uniform(0.6, 1.1))
    photo += np.random.default_rng(rng.randint(0, 10**9)).standard_normal(photo.shape, dtype=np.float32) * 4
    out = Image.fromarray(photo.clip(0, 255).astype(np.uint8))
    return out, [[round(x, 2), round(y, 2)] for x, y in corners]


def random_spec(rng: random.Random) -> PageSpec:
    has_seal = rng.random() < 0.6
    # the harder cases, a fair share of the set: photos, black-and-white and faint scans, signature
    # blocks, seals across signatures and text, second stamps
    photo = rng.random() < 0.2
    scan = rng.choice(["colour", "colour", "colour", "grey", "grey", "bw", "faint", "faint"]) if not photo else "photo"
    signatures = rng.choice([1, 1, 1, 2, 3, 5]) if rng.random() < 0.5 else rng.choice([2, 3, 4, 5])
    seal_place = rng.choice(["mp", "mp", "signature", "text"])
    second = rng.random() < 0.2
    spec = PageSpec(
        lang=rng.choice(["ru", "kk"]),
        kind=rng.choice(list(KINDS)),
        seal=rng.choice(["round", "round", "oval", "rectangular"]) if has_seal else None,
        seal_color=rng.choice(["blue", "blue", "violet", "black"]),
        signature=rng.random() < 0.65,
        logo=rng.random() < 0.3,
        pie=rng.random() < 0.2,
        table=rng.random() < 0.25,
        qr=(f"https://attest.local/check/{rng.randbytes(9).hex()}?h={rng.randbytes(32).hex()}"
            if rng.random() < 0.15 else None),
        rotation=rng.choice([0] * 8 + [90, 180, 270]),
        skew=rng.uniform(-2.5, 2.5) if rng.random() < 0.5 else 0.0,
        blur=rng.uniform(0.6, 1.2) if rng.random() < 0.3 else 0.0,
        grey=rng.random() < 0.45,
        dpi=rng.choice([150, 200, 300, 300]),
        jpeg_quality=rng.randint(60, 92),
    )
    return replace(spec, signatures=signatures, seal_place=seal_place, second_seal=second,
                   grey=scan in ("grey", "bw") or (scan == "faint" and rng.random() < 0.5), bw=scan == "bw", contrast=rng.uniform(0.4, 0.6) if scan == "faint" else 1.0,
                   photo=photo, rotation=0 if photo else spec.rotation, skew=0.0 if photo else spec.skew,
                   dpi=max(spec.dpi, 200) if photo else spec.dpi)


def generate(out: Path, count: int = 60, seed: int = 7) -> list[dict[str, Any]]:
    """Write ``count`` JPEG pages and ``truth.json`` to ``out``; return the truth records."""
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    records = []
    for i in range(count):
        spec = random_spec(rng)
        img, truth = render_page(spec, seed * 100_000 + i)
        name = f"page_{i:03d}.jpg"
        buf = io.BytesIO()
        # a phone writes 72 dpi into its photos, whatever the paper's size in them
        dpi = 72 if spec.photo else spec.dpi
        img.save(buf, "JPEG", quality=spec.jpeg_quality, dpi=(dpi, dpi))
        (out / name).write_bytes(buf.getvalue())
        truth["file"] = name
        records.append(truth)
    (out / "truth.json").write_text(json.dumps(records, ensure_ascii=False, indent=1), encoding="utf-8")
    return records


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=Path("samples/scans/set"))
    ap.add_argument("--count", type=int, default=60)
    ap.add_argument("--seed", type=int, default=7)
    a = ap.parse_args()
    recs = generate(a.out, a.count, a.seed)
    print(f"{len(recs)} pages in {a.out}")


if __name__ == "__main__":
    main()
