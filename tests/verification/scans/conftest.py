"""Specimen pages for the scan tests, drawn once per session by the sample generator."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest

from samples.scans.generate import PageSpec, render_page


def _save(img: Any, path: Path, dpi: int = 300) -> Path:
    buf = io.BytesIO()
    if path.suffix == ".png":
        img.save(buf, "PNG", dpi=(dpi, dpi))
    else:
        img.save(buf, "JPEG", quality=88, dpi=(dpi, dpi))
    path.write_bytes(buf.getvalue())
    return path


@pytest.fixture(scope="session")
def specimens(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, dict[str, Any]]]:
    out = tmp_path_factory.mktemp("scan-specimens")
    specs = {
        # colour certificate, round blue seal over «М.П.», blue signature, logo + table distractors
        "cert_ru": (PageSpec(lang="ru", kind="certificate", seal="round", seal_color="blue", logo=True,
                             table=True), 11),
        # grey Kazakh order, black oval seal, sideways (scanned at 90°) and skewed
        "order_kk_grey": (PageSpec(lang="kk", kind="order", seal="oval", seal_color="black", grey=True,
                                   rotation=90, skew=1.5), 12),
        # programme without seal and signature, with a round logo and a pie chart
        "programme_distractors": (PageSpec(lang="ru", kind="transmission_program", seal=None, signature=False,
                                           logo=True, pie=True), 13),
    }
    result = {}
    for name, (spec, seed) in specs.items():
        img, truth = render_page(spec, seed)
        result[name] = (_save(img, out / f"{name}.jpg"), truth)
    return result
