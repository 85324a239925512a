"""Train the signature-candidate crop net and export it to ONNX (``make train``, second stage).

The page analysis proposes handwritten-signature candidates with classical CV (``handwriting.py``); on
real scans most of them are printed words, stamps' text, handwritten dates and initials. This net looks
at each candidate closely — a ``CROP_H × CROP_W`` crop of the page around the candidate's box
(:func:`verification.scans.detector.crop_page`, about 100–150 dpi for a signature) — and says whether it is
a signature. Its probability is the candidate's confidence (:func:`verification.scans.detector.rescore`).

Data: the candidates the pipeline itself proposed on the ``tuning`` part of ``../shared/realscans`` and on
upright generated pages, labelled by IoU ≥ 0.3 with a labelled signature — written by
``bench/scan_eval.py --record/--record-synthetic`` and ``--export-crops`` (``make train`` runs those first).
Pages of a fifth of the tuning families (by a stable hash) are kept for
validation: their figures are printed, and the bands of ``verification.report.UNCERTAIN`` are checked on
them. The held-out part is never read here.

    .venv-train/bin/python scripts/train_signature_crops.py --data /tmp/crops.npz --epochs 40

Writes ``verification/scans/models/signature_crops.onnx``.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import time
from pathlib import Path

import cv2
import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from verification.scans.detector import CROP_H, CROP_W, encode_crop


def is_validation(page: str) -> bool:
    if page.startswith("synthetic/"):
        return False
    from make_realscans_split import family

    return int(hashlib.sha256(family(page).encode()).hexdigest(), 16) % 5 == 0


def augment(crop: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    zoom = rng.uniform(0.85, 1.15)
    m = cv2.getRotationMatrix2D((CROP_W / 2, CROP_H / 2), rng.uniform(-4, 4), zoom).astype(np.float32)
    m[:, 2] += rng.uniform(-0.08, 0.08, 2) * (CROP_W, CROP_H)
    out = cv2.warpAffine(crop, m, (CROP_W, CROP_H), flags=cv2.INTER_LINEAR, borderValue=(255, 255, 255))
    r = rng.random()
    if r < 0.3:  # grey scan
        g = cv2.cvtColor(out, cv2.COLOR_RGB2GRAY)
        out = cv2.cvtColor(g, cv2.COLOR_GRAY2RGB)
    elif r < 0.45:  # black-and-white scan
        g = cv2.cvtColor(out, cv2.COLOR_RGB2GRAY)
        _, bw = cv2.threshold(g, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
        out = cv2.cvtColor(bw, cv2.COLOR_GRAY2RGB)
    if rng.random() < 0.5:  # contrast / brightness
        a, b = rng.uniform(0.55, 1.15), rng.uniform(-25, 40)
        out = np.clip(out.astype(np.float32) * a + b + (1 - a) * 128, 0, 255).astype(np.uint8)
    if rng.random() < 0.3:  # blur (low-resolution scans)
        out = cv2.GaussianBlur(out, (3, 3), rng.uniform(0.5, 1.2))
    if rng.random() < 0.3:
        _ok, enc = cv2.imencode(".jpg", out, [cv2.IMWRITE_JPEG_QUALITY, int(rng.integers(30, 90))])
        out = cv2.imdecode(enc, cv2.IMREAD_UNCHANGED)
    return out


def build_model():  # type: ignore[no-untyped-def]
    import torch
    from torch import nn

    def block(i: int, o: int) -> nn.Sequential:
        return nn.Sequential(nn.Conv2d(i, o, 3, padding=1, bias=False), nn.BatchNorm2d(o), nn.ReLU(inplace=True))

    class Net(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.features = nn.Sequential(block(2, 16), nn.MaxPool2d(2), block(16, 32), nn.MaxPool2d(2),
                                          block(32, 48), nn.MaxPool2d(2), block(48, 64), nn.MaxPool2d(2),
                                          block(64, 96))
            self.drop = nn.Dropout(0.2)
            self.fc = nn.Linear(192, 1)

        def forward(self, x):  # type: ignore[no-untyped-def]
            f = self.features(x)
            pooled = torch.cat([f.mean(dim=(2, 3)), f.amax(dim=(2, 3))], 1)
            return self.fc(self.drop(pooled))

    return Net()


def scores(model, crops: np.ndarray) -> np.ndarray:  # type: ignore[no-untyped-def]
    import torch

    model.eval()
    out = []
    with torch.no_grad():
        for i in range(0, len(crops), 256):
            x = torch.from_numpy(np.stack([encode_crop(c) for c in crops[i:i + 256]]))
            out.append(torch.sigmoid(model(x)).numpy().reshape(-1))
    model.train()
    return np.concatenate(out) if out else np.zeros(0)


def report(prob: np.ndarray, label: np.ndarray, title: str) -> float:
    """Candidate-level precision/recall/F1 at a few thresholds; returns the best F1."""
    best = 0.0
    parts = []
    for thr in (0.15, 0.3, 0.5, 0.7):
        pred = prob >= thr
        tp = int((pred & (label == 1)).sum())
        fp = int((pred & (label == 0)).sum())
        fn = int((~pred & (label == 1)).sum())
        f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
        best = max(best, f1)
        parts.append(f"thr {thr:.2f}: P {tp / max(tp + fp, 1):.3f} R {tp / max(tp + fn, 1):.3f} F1 {f1:.3f}")
    print(f"  {title}: " + " | ".join(parts), flush=True)
    return best


def main() -> None:
    ap = argparse.ArgumentParser(description="train the signature-candidate crop net")
    ap.add_argument("--data", type=Path, nargs="+", required=True, help=".npz files from scan_eval --export-crops")
    ap.add_argument("--epochs", type=int, default=40)
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--lr", type=float, default=3e-3)
    ap.add_argument("--all", action="store_true", help="also train on the validation families (final model)")
    ap.add_argument("--out", type=Path, default=ROOT / "verification" / "scans" / "models" / "signature_crops.onnx")
    a = ap.parse_args()
    import torch

    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    rng = np.random.default_rng(a.seed)
    parts = [np.load(f) for f in a.data]
    crops = np.concatenate([p["crops"] for p in parts])
    label = np.concatenate([p["label"] for p in parts]).astype(np.int64)
    page = np.concatenate([p["page"] for p in parts])
    val = np.array([is_validation(str(p)) for p in page])
    synth = np.array([str(p).startswith("synthetic/") for p in page])
    train = ~val | a.all
    print(f"candidates: {len(label)} ({int(label.sum())} signatures); train {int(train.sum())} "
          f"(generated {int((train & synth).sum())}), validation {int(val.sum())} ({int(label[val].sum())} signatures)",
          flush=True)
    model = build_model()
    print(f"parameters: {sum(p.numel() for p in model.parameters()):,}", flush=True)
    opt = torch.optim.AdamW(model.parameters(), lr=a.lr, weight_decay=1e-4)
    # the exported weights are an exponential moving average: one epoch's weights swing a lot on so few pages
    ema = torch.optim.swa_utils.AveragedModel(model, multi_avg_fn=torch.optim.swa_utils.get_ema_multi_avg_fn(0.98),
                                              use_buffers=True)
    idx_train = np.flatnonzero(train)
    pos_w = float((label[train] == 0).sum()) / max(float((label[train] == 1).sum()), 1.0)
    steps_per_epoch = max(1, len(idx_train) // a.batch)
    total = a.epochs * steps_per_epoch
    t0 = time.time()
    step = 0
    for epoch in range(a.epochs):
        rng.shuffle(idx_train)
        for s in range(steps_per_epoch):
            frac = step / total
            for g in opt.param_groups:  # cosine decay
                g["lr"] = a.lr * (0.02 + 0.98 * 0.5 * (1 + np.cos(np.pi * frac)))
            b = idx_train[s * a.batch:(s + 1) * a.batch]
            x = torch.from_numpy(np.stack([encode_crop(augment(crops[i], rng)) for i in b]))
            y = torch.from_numpy(label[b].astype(np.float32))[:, None]
            loss = torch.nn.functional.binary_cross_entropy_with_logits(
                model(x), y, pos_weight=torch.tensor(min(pos_w, 4.0)))
            opt.zero_grad()
            loss.backward()
            opt.step()
            ema.update_parameters(model)
            step += 1
        if epoch % 5 == 4 or epoch == a.epochs - 1:
            print(f"epoch {epoch + 1}  {time.time() - t0:5.0f} s  loss {loss.item():.4f}", flush=True)
            if val.any():
                report(scores(model, crops[val]), label[val], "validation candidates")
                report(scores(ema.module, crops[val]), label[val], "validation candidates, averaged weights")
    model = ema.module
    model.eval()
    a.out.parent.mkdir(parents=True, exist_ok=True)
    torch.onnx.export(model, torch.zeros(1, 2, CROP_H, CROP_W), str(a.out), input_names=["crop"],
                      output_names=["logits"], opset_version=17, dynamic_axes={"crop": {0: "n"}, "logits": {0: "n"}},
                      dynamo=False)
    print(f"wrote {a.out} ({a.out.stat().st_size / 1e6:.2f} MB)")


if __name__ == "__main__":
    main()
