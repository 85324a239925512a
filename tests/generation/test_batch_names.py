"""Batch file names (issue 14): whom the document is for and its registration number, in safe
characters, unique within the batch."""

from __future__ import annotations

import pytest

from service.generation.service import _unique, person_stem


@pytest.mark.parametrize(("name", "stem"), [
    ("Жумабаева Айгерим Сериковна", "Жумабаева_А_С"),
    ("Жумабаева А.С.", "Жумабаева_А_С"),
    ("  жаһанова   әйгерім серікқызы ", "жаһанова_Ә_С"),
    ("Салтыков-Щедрин Михаил", "Салтыков-Щедрин_М"),
    ("Ким", "Ким"),
    ("../../etc/passwd Иван", "etc_P_И"),
    ("A/B\\C:D*E?F\"G<H>I|J", "A_B_C"),
    ("123 456", ""),
    ("", ""),
])
def test_person_stem_is_surname_and_initials_in_safe_characters(name: str, stem: str) -> None:
    assert person_stem(name) == stem


def test_names_are_unique_in_a_batch_case_insensitively() -> None:
    taken: set[str] = set()
    names = [_unique(n, taken) for n in ("Ким_О_В_X-1.pdf", "ким_о_в_x-1.pdf", "Ким_О_В_X-1.pdf", "Ким_О_В_X-2.pdf")]
    assert names == ["Ким_О_В_X-1.pdf", "ким_о_в_x-1_2.pdf", "Ким_О_В_X-1_3.pdf", "Ким_О_В_X-2.pdf"]
