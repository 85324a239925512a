"""Train the seal / handwritten-signature detector and export it to ONNX (``make train``).

Data: the ``tuning`` part of ``../shared/realscans`` (``bench/realscans_split.json``; the held-out part
is never read here) plus pages drawn by ``samples/scans/generate.py``. A fifth of the tuning families
(by a stable hash) is kept aside as validation: it picks the confidence bands and is printed.
A class is learned only on pages that label it (a signature-only page says nothing about seals).

Net: a small U-shaped fully convolutional net (≈ 0.2 M parameters) on the page stretched to 448×448,
two input channels (see :func:`verification.scans.detector.encode_page`), one map per class at
stride 4: the core (central half) of every box. Loss: weighted BCE + soft Dice. Augmentation: scale and
shift, small rotation, grey and black-and-white conversion, contrast and brightness, JPEG.

    /work/train-venv/bin/python scripts/train_detector.py --minutes 18 --threads 2
    (make train: the same in .venv-train with the ``train`` extra)

Writes ``verification/scans/models/detector.onnx`` and prints validation figures.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
import time
from pathlib import Path

import cv2
import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from verification.scans.detector import CLASSES, CORE, INPUT, STRIDE, decode, encode_page

STORE = 560  # pages are kept stretched to STORE×STORE; crops/zooms then go to INPUT


def realscans_dir() -> Path:
    for cand in (ROOT.parent / "shared" / "realscans", ROOT.parent.parent / "shared" / "realscans"):
        if cand.exists():
            return cand
    raise SystemExit("../shared/realscans not found")


def family(image: str) -> str:
    sys.path.insert(0, str(ROOT / "scripts"))
    from make_realscans_split import family as fam

    return fam(image)


def load_real(names: list[str], labels: dict) -> list[dict]:
    base = realscans_dir()
    pages = []
    for name in names:
        lab = labels[name]
        img = cv2.imread(str(base / name), cv2.IMREAD_COLOR)
        if img is None:
            continue
        rgb = cv2.cvtColor(img, cv2.COLOR_BGR2RGB)
        h, w = rgb.shape[:2]
        sx, sy = STORE / w, STORE / h
        boxes = {}
        for cls, key in (("seal", "seals"), ("signature", "signatures")):
            if cls in lab["labelled_classes"]:
                boxes[cls] = [[b[0] * sx, b[1] * sy, b[2] * sx, b[3] * sy] for b in lab[key]]
        pages.append({"name": name, "img": cv2.resize(rgb, (STORE, STORE), interpolation=cv2.INTER_AREA),
                      "boxes": boxes})
    return pages


def load_synthetic(count: int, seed: int) -> list[dict]:
    from dataclasses import replace

    from samples.scans.generate import A4_300, random_spec, render_page

    rng = random.Random(seed)
    pages = []
    for i in range(count):
        spec = replace(random_spec(rng), rotation=0, dpi=300)
        img, truth = render_page(spec, seed * 1000 + i)
        rgb = np.asarray(img.convert("RGB"))
        sx, sy = STORE / A4_300[0], STORE / A4_300[1]
        boxes = {
            "seal": [[b["bbox"][0] * sx, b["bbox"][1] * sy, b["bbox"][2] * sx, b["bbox"][3] * sy] for b in truth["seals"]],
            "signature": [[b["bbox"][0] * sx, b["bbox"][1] * sy, b["bbox"][2] * sx, b["bbox"][3] * sy]
                          for b in truth["handwritten_signatures"]],
        }
        pages.append({"name": f"synthetic-{i}", "img": cv2.resize(rgb, (STORE, STORE), interpolation=cv2.INTER_AREA),
                      "boxes": boxes})
    return pages


def augment(page: dict, rng: np.random.Generator, train: bool) -> tuple[np.ndarray, dict]:
    img = page["img"]
    if not train:
        m = np.array([[INPUT / STORE, 0, 0], [0, INPUT / STORE, 0]], np.float32)
    else:
        zoom = rng.uniform(0.85, 1.25)
        ang = rng.uniform(-3, 3)
        m = cv2.getRotationMatrix2D((STORE / 2, STORE / 2), ang, zoom).astype(np.float32)
        m[:, 2] += rng.uniform(-0.08, 0.08, 2) * STORE
        m *= INPUT / STORE
    out = cv2.warpAffine(img, m, (INPUT, INPUT), flags=cv2.INTER_AREA if not train else cv2.INTER_LINEAR,
                         borderValue=(255, 255, 255))
    boxes = {}
    for cls, bs in page["boxes"].items():
        tb = []
        for b in bs:
            pts = np.array([[b[0], b[1], 1], [b[2], b[1], 1], [b[0], b[3], 1], [b[2], b[3], 1]], np.float32) @ m.T
            tb.append([pts[:, 0].min(), pts[:, 1].min(), pts[:, 0].max(), pts[:, 1].max()])
        boxes[cls] = tb
    if train:
        r = rng.random()
        if r < 0.3:  # grey scan
            g = cv2.cvtColor(out, cv2.COLOR_RGB2GRAY)
            out = cv2.cvtColor(g, cv2.COLOR_GRAY2RGB)
        elif r < 0.45:  # black-and-white scan
            g = cv2.cvtColor(out, cv2.COLOR_RGB2GRAY)
            _, bw = cv2.threshold(g, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
            out = cv2.cvtColor(bw, cv2.COLOR_GRAY2RGB)
        if rng.random() < 0.5:  # contrast / brightness (faint stamps, grey paper)
            a, b = rng.uniform(0.55, 1.15), rng.uniform(-25, 40)
            out = np.clip(out.astype(np.float32) * a + b + (1 - a) * 128, 0, 255).astype(np.uint8)
        if rng.random() < 0.3:
            _ok, enc = cv2.imencode(".jpg", out, [cv2.IMWRITE_JPEG_QUALITY, int(rng.integers(25, 85))])
            out = cv2.imdecode(enc, cv2.IMREAD_UNCHANGED)
    return out, boxes


def targets(boxes: dict) -> tuple[np.ndarray, np.ndarray]:
    n = INPUT // STRIDE
    tgt = np.zeros((len(CLASSES), n, n), np.float32)
    valid = np.zeros((len(CLASSES), 1, 1), np.float32)
    for c, cls in enumerate(CLASSES):
        if cls not in boxes:
            continue
        valid[c] = 1
        for b in boxes[cls]:
            cx, cy = (b[0] + b[2]) / 2 / STRIDE, (b[1] + b[3]) / 2 / STRIDE
            hw, hh = (b[2] - b[0]) * CORE / 2 / STRIDE, (b[3] - b[1]) * CORE / 2 / STRIDE
            x0, x1 = int(max(0, np.floor(cx - hw))), int(min(n, np.ceil(cx + hw)))
            y0, y1 = int(max(0, np.floor(cy - hh))), int(min(n, np.ceil(cy + hh)))
            if x1 > x0 and y1 > y0:
                tgt[c, y0:y1, x0:x1] = 1
    return tgt, valid


def build_model():  # type: ignore[no-untyped-def]
    import torch
    from torch import nn

    def cbr(i: int, o: int, s: int = 1, d: int = 1) -> nn.Sequential:
        return nn.Sequential(nn.Conv2d(i, o, 3, s, padding=d, dilation=d, bias=False), nn.BatchNorm2d(o),
                             nn.ReLU(inplace=True))

    class Net(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.e1 = cbr(2, 12, 2)
            self.e2 = nn.Sequential(cbr(12, 16, 2), cbr(16, 16))
            self.e3 = nn.Sequential(cbr(16, 32, 2), cbr(32, 32))
            self.e4 = nn.Sequential(cbr(32, 48, 2), cbr(48, 48))
            self.e5 = nn.Sequential(cbr(48, 64, 2), cbr(64, 64, d=2), cbr(64, 64, d=4))
            self.d4 = cbr(64 + 48, 48)
            self.d3 = cbr(48 + 32, 32)
            self.d2 = cbr(32 + 16, 16)
            self.head = nn.Conv2d(16, len(CLASSES), 1)

        def forward(self, x):  # type: ignore[no-untyped-def]
            up = nn.functional.interpolate
            e2 = self.e2(self.e1(x))
            e3 = self.e3(e2)
            e4 = self.e4(e3)
            e5 = self.e5(e4)
            d4 = self.d4(torch.cat([up(e5, scale_factor=2.0, mode="nearest"), e4], 1))
            d3 = self.d3(torch.cat([up(d4, scale_factor=2.0, mode="nearest"), e3], 1))
            d2 = self.d2(torch.cat([up(d3, scale_factor=2.0, mode="nearest"), e2], 1))
            return self.head(d2)

    return Net()


def iou(a: list[float], b: list[float]) -> float:
    ix = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
    iy = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = ix * iy
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / union if union > 0 else 0.0


def box_counts(pred: list[list[float]], truth: list[list[float]]) -> tuple[int, int, int]:
    pairs = sorted(((iou(p, t), i, j) for i, p in enumerate(pred) for j, t in enumerate(truth)), reverse=True)
    up, ut = set(), set()
    for v, i, j in pairs:
        if v >= 0.3 and i not in up and j not in ut:
            up.add(i)
            ut.add(j)
    return len(up), len(pred) - len(up), len(truth) - len(up)


def f1(tp: int, fp: int, fn: int) -> float:
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def evaluate(model, pages: list[dict]) -> dict:  # type: ignore[no-untyped-def]
    """Box and page counts per class over thresholds (for the confidence bands)."""
    import torch

    model.eval()
    res: dict = {}
    with torch.no_grad():
        for page in pages:
            img, boxes = augment(page, np.random.default_rng(0), False)
            x = torch.from_numpy(encode_page(img)[None])
            prob = torch.sigmoid(model(x))[0].numpy()
            for thr in (0.2, 0.3, 0.4, 0.5, 0.6, 0.7):
                found = decode(prob, thr)
                for c, cls in enumerate(CLASSES):
                    if cls not in boxes:
                        continue
                    pred = [[v * STRIDE for v in b] for k, b, _ in found if k == c]
                    tp, fp, fn = box_counts(pred, boxes[cls])
                    r = res.setdefault((cls, thr), [0, 0, 0, 0, 0, 0])
                    r[0] += tp
                    r[1] += fp
                    r[2] += fn
                    has_p, has_t = bool(pred), bool(boxes[cls])
                    r[3] += has_p and has_t
                    r[4] += has_p and not has_t
                    r[5] += has_t and not has_p
    model.train()
    return res


def main() -> None:
    ap = argparse.ArgumentParser(description="train the seal/signature detector")
    ap.add_argument("--minutes", type=float, default=18.0, help="wall-clock training budget")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--synthetic", type=int, default=160, help="generated pages to add")
    ap.add_argument("--batch", type=int, default=8)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", type=Path, default=ROOT / "verification" / "scans" / "models" / "detector.onnx")
    ap.add_argument("--checkpoint", type=Path, default=None, help="also save the torch weights here")
    ap.add_argument("--resume", type=Path, default=None, help="start from these torch weights")
    ap.add_argument("--lr", type=float, default=3e-3)
    ap.add_argument("--val-every", type=float, default=0.0,
                    help="seconds between validation passes; the best pass's weights are kept (0 = the last)")
    ap.add_argument("--cache", type=Path, default=None,
                    help="keep the decoded pages here (outside the repository: they are real images)")
    a = ap.parse_args()
    import torch

    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    rng = np.random.default_rng(a.seed)
    labels = {p["image"]: p for p in json.loads((realscans_dir() / "labels.json").read_text(encoding="utf-8"))["pages"]}
    tuning = json.loads((ROOT / "bench" / "realscans_split.json").read_text(encoding="utf-8"))["tuning"]
    val_names = [n for n in tuning if int(hashlib.sha256(family(n).encode()).hexdigest(), 16) % 5 == 0]
    train_names = [n for n in tuning if n not in set(val_names)]
    t0 = time.time()
    if a.cache and a.cache.exists():  # the decoded pages of an earlier run (same split, same generator seed)
        import pickle

        train_pages, val_pages, synth = pickle.loads(a.cache.read_bytes())
    else:
        train_pages = load_real(train_names, labels)
        val_pages = load_real(val_names, labels)
        synth = load_synthetic(a.synthetic, a.seed)
        if a.cache:
            import pickle

            a.cache.write_bytes(pickle.dumps((train_pages, val_pages, synth)))
    print(f"data: {len(train_pages)} real train, {len(val_pages)} real validation, {len(synth)} generated "
          f"({time.time() - t0:.0f} s)", flush=True)
    # seal pages are few among the real ones: draw them more often
    weights = np.array([3.0 if p["boxes"].get("seal") else 1.0 for p in train_pages] + [1.0] * len(synth))
    pool = train_pages + synth
    weights /= weights.sum()
    model = build_model()
    if a.resume:
        model.load_state_dict(torch.load(a.resume))
        print(f"resumed from {a.resume}", flush=True)
    print(f"parameters: {sum(p.numel() for p in model.parameters()):,}", flush=True)
    opt = torch.optim.AdamW(model.parameters(), lr=a.lr, weight_decay=1e-4)
    budget = a.minutes * 60
    start = time.time()
    step = 0
    best: tuple[tuple[float, float], int, dict] | None = None
    next_val = a.val_every

    def score(res: dict) -> tuple[float, float]:
        """Validation key: the best signature box F1 over the thresholds, then its page F1."""
        return max((f1(*r[:3]), f1(*r[3:])) for (cls, _thr), r in res.items() if cls == "signature")

    while time.time() - start < budget:
        if a.val_every and time.time() - start >= next_val:
            next_val += a.val_every
            key = score(evaluate(model, val_pages))
            print(f"validation at step {step}: signature box F1 {key[0]:.3f} page F1 {key[1]:.3f}", flush=True)
            if best is None or key > best[0]:
                best = (key, step, {k: v.detach().clone() for k, v in model.state_dict().items()})
        frac = (time.time() - start) / budget
        for g in opt.param_groups:  # cosine decay over the time budget
            g["lr"] = a.lr * (0.02 + 0.98 * 0.5 * (1 + np.cos(np.pi * frac)))
        idx = rng.choice(len(pool), a.batch, p=weights)
        xs, ts, vs = [], [], []
        for i in idx:
            img, boxes = augment(pool[i], rng, True)
            xs.append(encode_page(img))
            t, v = targets(boxes)
            ts.append(t)
            vs.append(v)
        x, t, v = (torch.from_numpy(np.stack(z)) for z in (xs, ts, vs))
        logits = model(x)
        bce = torch.nn.functional.binary_cross_entropy_with_logits(logits, t, reduction="none",
                                                                   pos_weight=torch.tensor(4.0))
        bce = (bce * v).sum() / (v.sum() * t.shape[2] * t.shape[3] + 1e-6)
        p = torch.sigmoid(logits) * v
        inter = (p * t).sum(dim=(2, 3))
        dice = 1 - (2 * inter + 1) / (p.sum(dim=(2, 3)) + t.sum(dim=(2, 3)) + 1)
        dice = (dice * v[:, :, 0, 0]).sum() / (v.sum() + 1e-6)
        loss = bce + dice
        opt.zero_grad()
        loss.backward()
        opt.step()
        step += 1
        if step % 25 == 0:
            print(f"step {step}  {time.time() - start:5.0f} s  loss {loss.item():.4f} (bce {bce.item():.4f})", flush=True)
    print(f"trained {step} steps × {a.batch} pages in {time.time() - start:.0f} s", flush=True)
    res = evaluate(model, val_pages)
    if best is not None:
        print(f"validation at step {step}: signature box F1 {score(res)[0]:.3f} page F1 {score(res)[1]:.3f}")
        if best[0] > score(res):
            model.load_state_dict(best[2])
            print(f"kept the weights of step {best[1]} (best validation)", flush=True)
            res = evaluate(model, val_pages)
    for (cls, thr), r in sorted(res.items()):
        print(f"validation {cls:9s} thr {thr:.1f}  box F1 {f1(*r[:3]):.3f} {r[:3]}  page F1 {f1(*r[3:]):.3f} {r[3:]}")
    if a.checkpoint:
        torch.save(model.state_dict(), a.checkpoint)
    model.eval()
    a.out.parent.mkdir(parents=True, exist_ok=True)
    torch.onnx.export(model, torch.zeros(1, 2, INPUT, INPUT), str(a.out), input_names=["page"],
                      output_names=["logits"], opset_version=17, dynamo=False)
    print(f"wrote {a.out} ({a.out.stat().st_size / 1e6:.2f} MB)")


if __name__ == "__main__":
    main()
