"""The batch table's columns in words: each field's header in Russian and Kazakh, and the words a cell
may hold for a field with fixed choices. A secretary's table may name its columns by these headers or
by the field names (``organization.code``), and write «спикер» or ``speaker``; the reader turns both
into field names and values (:func:`field_for_header`, :func:`value_for_word`).

The words live in ``columns.yaml`` beside this module (package data)."""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Any

import yaml

__all__ = ["choice_words", "column_title", "field_for_header", "value_for_word"]

_FILE = Path(__file__).with_name("columns.yaml")


@functools.cache
def _vocabulary() -> dict[str, Any]:
    return yaml.safe_load(_FILE.read_text(encoding="utf-8"))


def _norm(text: str) -> str:
    text = text.replace("ё", "е").replace("Ё", "Е").replace("*", " ")
    return re.sub(r"\s+", " ", text).strip().casefold()


def column_title(field: str, lang: str) -> str:
    """The header of the column of ``field`` (``organization.code`` → «Организация: Код организации в
    реестре»); the field name itself for a language without words (``en``) or an unknown part."""
    parts = _vocabulary()["parts"]
    words = [parts.get(p, {}).get(lang) for p in field.split(".")]
    if not field or any(w is None for w in words):
        return field
    return ": ".join(str(w) for w in words)


@functools.cache
def _headers(kind: str | None) -> dict[str, str]:
    out: dict[str, str] = {}
    for lang in ("ru", "kk"):
        for field in (*_all_fields(kind), *_all_fields(None)):  # the kind's own fields first
            out.setdefault(_norm(column_title(field, lang)), field)
    return out


@functools.cache
def _all_fields(kind: str | None = None) -> tuple[str, ...]:
    """The dotted names of the fields of ``kind`` (of every kind when None), tables' rows left whole."""
    from service.generation.schemas import SCHEMAS

    def walk(model: Any, prefix: str) -> list[str]:
        names = []
        for name, info in model.model_fields.items():
            inner = info.annotation
            args = [a for a in getattr(inner, "__args__", ()) if hasattr(a, "model_fields")]
            if hasattr(inner, "model_fields"):
                names += walk(inner, f"{prefix}{name}.")
            elif args and getattr(inner, "__origin__", None) is not list:
                names += walk(args[0], f"{prefix}{name}.")
            else:
                names.append(prefix + name)
        return names

    models = [SCHEMAS[kind]] if kind in SCHEMAS else list(SCHEMAS.values())
    return tuple(dict.fromkeys(f for model in models for f in walk(model, "")))


def field_for_header(header: str, kind: str | None = None) -> str:
    """The field a column's header names in a table of ``kind``: a Russian or Kazakh header, or the
    field name as it is. (Two kinds may word different fields alike: «Место проведения» is the
    certificate's ``event_place`` and the protocol's ``place``.)"""
    return _headers(kind).get(_norm(header), header.strip())


def _alternatives(words: str) -> list[str]:
    """«спикер (докладчик)» → спикер (докладчик), спикер, докладчик; «районный / городской» → each."""
    pieces = [words, *re.split(r"[()/]", words)]
    return [p for p in (_norm(p) for p in pieces) if p]


def choice_words(field: str, lang: str) -> dict[str, str]:
    """{value: the word for it} of a field with fixed choices, by its last part (``role``); {} otherwise."""
    values = _vocabulary()["values"].get(field.rsplit(".", 1)[-1], {})
    return {str(v): str(words.get(lang, v)) for v, words in values.items()}


def value_for_word(field: str, cell: Any) -> Any:
    """The value a cell's word stands for in a field with fixed choices (``участник`` → ``participant``);
    any other cell as it is."""
    if not isinstance(cell, str):
        return cell
    values = _vocabulary()["values"].get(field.rsplit(".", 1)[-1])
    if not values:
        return cell
    wanted = _norm(cell)
    for value, words in values.items():
        if any(wanted in _alternatives(w) for w in words.values()):
            return int(value) if str(value).isdigit() and field.endswith("half") else str(value)
    return cell
