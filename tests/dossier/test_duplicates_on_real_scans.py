"""Duplicates on real office scans (../shared/realscans, tuning part): versions of one paper at other
scan qualities (colour, grey, black-and-white) are one document; another document on the same form
(«Основные технические решения» of Astana 2025 and of Karaganda 2020) is another document."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from samples.dossier.reports import PERIOD
from service.attestation.matching import Evidence, _content_differs, match_evidence
from service.attestation.profiles import load_profile
from verification.pipeline import VerifyOptions, verify_file
from verification.report import FieldValue, Report

pytestmark = pytest.mark.slow

REALSCANS = Path(__file__).resolve().parents[2].parent / "shared" / "realscans"
if not REALSCANS.exists():  # a worktree beside the main checkout
    REALSCANS = Path("/work/shared/realscans")

PAGES = [  # in upload order
    "kzoffice__отр-1_page_0001.png",  # technical decisions, Astana 2025, colour
    "kzoffice__отр-2_page_0001.png",  # the same form: electrical decisions, Karaganda 2020
    "kzoffice__отр-11_page_0001.png",  # the Astana paper again, another scan
    "kzoffice__отр-22_page_0001.png",  # the Karaganda paper again, another scan
    "kzoffice__Дозиметр-41-чб_page_0001.png",  # a dosimetry protocol, black-and-white scan
    "kzoffice__дозиметрия-31-_page_0001.png",  # the same protocol, colour scan
]


@pytest.fixture(scope="module")
def reports() -> dict[str, Report]:
    if not REALSCANS.exists():
        pytest.skip("../shared/realscans is not here")
    return {p: verify_file(REALSCANS / "images" / p, VerifyOptions()) for p in PAGES}


def test_versions_of_one_paper_merge_and_papers_on_one_form_do_not(reports: dict[str, Report]) -> None:
    result = match_evidence(load_profile("kz-researcher"), [Evidence(p, reports[p]) for p in PAGES],
                            period=PERIOD, dossier_id="D-REAL")
    dup = {p: result.document(p).duplicate for p in PAGES}
    assert {p: d.other if d else None for p, d in dup.items()} == {
        "kzoffice__отр-1_page_0001.png": None,
        "kzoffice__отр-2_page_0001.png": None,
        "kzoffice__отр-11_page_0001.png": "kzoffice__отр-1_page_0001.png",
        "kzoffice__отр-22_page_0001.png": "kzoffice__отр-2_page_0001.png",
        "kzoffice__Дозиметр-41-чб_page_0001.png": None,
        "kzoffice__дозиметрия-31-_page_0001.png": "kzoffice__Дозиметр-41-чб_page_0001.png",
    }


def test_the_two_forms_differ_in_what_they_say_not_only_in_how_they_look(reports: dict[str, Report]) -> None:
    astana, karaganda = reports["kzoffice__отр-1_page_0001.png"], reports["kzoffice__отр-2_page_0001.png"]
    assert _content_differs(astana, karaganda) == "places"
    # without the places read, the years the two papers name (2025, 2020) still tell them apart
    unread = FieldValue([], 0.0)
    assert _content_differs(dataclasses.replace(astana, fields={**astana.fields, "places": unread}),
                            dataclasses.replace(karaganda, fields={**karaganda.fields, "places": unread})) == "date"
