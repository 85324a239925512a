"""HTML forms built from the pydantic schema of a document kind, and the way back.

:func:`form_fields` walks a pydantic model and returns :class:`FormField` values (text, date,
number, choice, yes/no, a group of fields, a table of rows, a list of lines) that the
``_form_field.html`` macro renders. Inputs are named by their path in the data (``meeting.date``,
``attendees.0.full_name``), so that :func:`parse_form` can rebuild the nested data from the posted
form and a pydantic error's ``loc`` names the input it belongs to (:func:`field_errors`).

The schema stays the one source of truth: validation is the schema's, this module only moves
values between the form and the data.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
import types
import typing
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any, Literal, Union

from pydantic import BaseModel, ValidationError

from service.web.i18n import translate

__all__ = ["FormField", "field_errors", "field_label", "form_fields", "parse_form", "rebase"]

_MAX_DEPTH = 4


@dataclass(frozen=True)
class FormField:
    """One input (or group of inputs) of a generated form."""

    name: str  # path in the data: "a.b", "rows.0.c"; for table columns, the column key only
    label: str
    widget: str  # text | textarea | date | number | select | checkbox | group | table | lines
    required: bool = False
    help: str = ""
    choices: tuple[tuple[str, str], ...] = ()
    default: Any = None
    children: tuple[FormField, ...] = ()  # group members / table columns
    min_rows: int = 0
    layout: str = "table"  # for tables: "table" (one line per row) or "cards" (one box per row)


def field_label(name: str, info: Any, lang: str) -> str:
    """The label of a field: the form catalog's, else the schema's title, else the name humanised."""
    key = f"field.{name}"
    text = translate(lang, key)
    if text != key:
        return text
    title = getattr(info, "title", None)
    if title:
        return str(title)
    return name.replace("_", " ").capitalize()


def _unwrap_optional(annotation: Any) -> tuple[Any, bool, tuple[Any, ...]]:
    """(the type inside Optional/Annotated, whether None is allowed, Annotated metadata)."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        inner, optional, meta = _unwrap_optional(typing.get_args(annotation)[0])
        return inner, optional, meta + tuple(annotation.__metadata__)
    if origin in (Union, types.UnionType):
        all_args = typing.get_args(annotation)
        args = [a for a in all_args if a is not type(None)]
        optional = len(args) < len(all_args)
        if len(args) == 1:
            inner, inner_optional, meta = _unwrap_optional(args[0])
            return inner, optional or inner_optional, meta
        return annotation, optional, ()
    return annotation, False, ()


def _constraint(metadata: Iterable[Any], name: str) -> int:
    best = 0
    for meta in metadata:
        best = max(best, int(getattr(meta, name, 0) or 0))
    return best


def _is_model(tp: Any) -> bool:
    return isinstance(tp, type) and issubclass(tp, BaseModel)


def _choices(tp: Any, lang: str) -> tuple[tuple[str, str], ...] | None:
    if typing.get_origin(tp) is Literal:
        values = [str(v) for v in typing.get_args(tp)]
    elif isinstance(tp, type) and issubclass(tp, enum.Enum):
        values = [str(m.value) for m in tp]
    else:
        return None
    out = []
    for v in values:
        key = f"choice.{v}"
        text = translate(lang, key)
        out.append((v, v if text == key else text))
    return tuple(out)


def _default(info: Any) -> Any:
    if info.is_required():
        return None
    try:
        value = info.get_default(call_default_factory=True)
    except TypeError:  # pragma: no cover - older pydantic
        value = info.get_default()
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    return value


def _one(name: str, path: str, info: Any, lang: str, depth: int) -> FormField:
    annotation, optional, meta = _unwrap_optional(info.annotation)
    meta = meta + tuple(getattr(info, "metadata", ()))
    required = info.is_required() and not optional
    label = field_label(name, info, lang)
    help_text = _help(name, info, lang)
    default = _default(info)
    origin = typing.get_origin(annotation)
    if origin in (list, tuple, set, frozenset) or annotation in (list, tuple):
        args = typing.get_args(annotation)
        item = _unwrap_optional(args[0])[0] if args else str
        min_rows = _constraint(meta, "min_length")
        if _is_model(item) and depth < _MAX_DEPTH:
            columns = tuple(
                _one(sub, sub, sub_info, lang, depth + 1) for sub, sub_info in item.model_fields.items()
            )
            layout = "cards" if any(c.widget in ("textarea", "group", "table") for c in columns) else "table"
            return FormField(path, label, "table", required or min_rows > 0, help_text, default=default or [],
                             children=columns, min_rows=min_rows, layout=layout)
        return FormField(path, label, "lines", required or min_rows > 0, help_text, default=default or [],
                         min_rows=min_rows)
    if _is_model(annotation) and depth < _MAX_DEPTH:
        members = tuple(
            _one(sub, f"{path}.{sub}", sub_info, lang, depth + 1)
            for sub, sub_info in annotation.model_fields.items()
        )
        return FormField(path, label, "group", required, help_text, default=default, children=members)
    choices = _choices(annotation, lang)
    if choices is not None:
        return FormField(path, label, "select", required, help_text, choices=choices, default=default)
    if annotation is bool:
        return FormField(path, label, "checkbox", False, help_text, default=bool(default))
    if annotation is dt.date:
        return FormField(path, label, "date", required, help_text, default=default)
    if annotation in (int, float):
        return FormField(path, label, "number", required, help_text, default=default)
    long_text = _constraint(meta, "max_length") > 1000
    return FormField(path, label, "textarea" if long_text else "text", required, help_text, default=default)


def _help(name: str, info: Any, lang: str) -> str:
    key = f"help.{name}"
    text = translate(lang, key)
    if text != key:
        return text
    return ""


def rebase(f: FormField, prefix: str) -> FormField:
    """The same field under ``prefix`` (a row of a table: ``agenda.0.``), children included."""
    return replace(f, name=prefix + f.name, children=tuple(rebase(c, prefix) for c in f.children)
                   if f.widget == "group" else f.children)


def form_fields(model: type[BaseModel], lang: str) -> list[FormField]:
    """The form of a schema, in the order of its fields."""
    return [_one(name, name, info, lang, 0) for name, info in model.model_fields.items()]


_INDEX = re.compile(r"^\d+$")


def _set(root: dict[str, Any], parts: list[str], value: Any) -> None:
    node: Any = root
    for i, part in enumerate(parts):
        last = i == len(parts) - 1
        nxt = None if last else parts[i + 1]
        container_for_next: Any = [] if nxt is not None and _INDEX.match(nxt) else {}
        if isinstance(node, list):
            idx = int(part)
            while len(node) <= idx:
                node.append(None)
            if last:
                node[idx] = value
            else:
                if node[idx] is None:
                    node[idx] = container_for_next
                node = node[idx]
        else:
            if last:
                node[part] = value
            else:
                if part not in node or node[part] is None:
                    node[part] = container_for_next
                node = node[part]


def _prune(value: Any) -> Any:
    """Drop empty inputs (the schema then applies its defaults), blank table rows and list holes."""
    if isinstance(value, dict):
        out = {k: _prune(v) for k, v in value.items()}
        return {k: v for k, v in out.items() if v is not None}
    if isinstance(value, list):
        items = [_prune(v) for v in value]
        return [v for v in items if v not in (None, {}, "")]
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


def _widgets(fields: Iterable[FormField], prefix: str = "") -> dict[str, str]:
    """Input name pattern (row indices as ``#``) → widget, for every leaf of the form."""
    out: dict[str, str] = {}
    for f in fields:
        name = prefix + f.name
        if f.widget == "group":
            out.update(_widgets(f.children, prefix))
        elif f.widget == "table":
            out.update(_widgets(f.children, name + ".#."))
        else:
            out[name] = f.widget
    return out


def parse_form(pairs: Iterable[tuple[str, Any]], fields: list[FormField]) -> dict[str, Any]:
    """Nested data from posted (name, value) pairs; only names the form declares are taken."""
    widgets = _widgets(fields)
    data: dict[str, Any] = {}
    pairs = [(n, v) for n, v in pairs if isinstance(v, str)]
    # an unchecked box sends nothing: it is False, in every row that was posted
    for pattern, widget in widgets.items():
        if widget != "checkbox":
            continue
        if "#" not in pattern:
            _set(data, pattern.split("."), False)
    for name, value in pairs:
        pattern = ".".join("#" if _INDEX.match(p) else p for p in name.split("."))
        widget = widgets.get(pattern)
        if widget is None:
            continue
        parts = name.split(".")
        if widget == "lines":
            items = [x.strip() for x in re.split(r"[\n;]" if "#" in pattern else r"\n", value) if x.strip()]
            _set(data, parts, items)
        elif widget == "checkbox":
            _set(data, parts, value in ("on", "true", "1", "yes"))
        else:  # a browser sends a textarea's line ends as \r\n: stored and printed as one line break each
            _set(data, parts, value.replace("\r\n", "\n").replace("\r", "\n"))
    return _prune(data)


_PLAIN = {
    "missing": "error.missing",
    "string_too_short": "error.too_short",
    "too_short": "error.too_few",
    "string_too_long": "error.too_long",
    "date_from_datetime_parsing": "error.date",
    "date_parsing": "error.date",
    "date_type": "error.date",
    "int_parsing": "error.number",
    "float_parsing": "error.number",
    "int_type": "error.number",
    "greater_than_equal": "error.too_small",
    "greater_than": "error.too_small",
    "less_than_equal": "error.too_big",
    "less_than": "error.too_big",
    "literal_error": "error.choice",
    "enum": "error.choice",
    "string_pattern_mismatch": "error.pattern",
}


_RULES = (
    (re.compile(r"at least 3 distinct (\S+)"), "error.three_distinct"),
    (re.compile(r"must not be before"), "error.date_order"),
    (re.compile(r"must not exceed total"), "error.exceeds_total"),
    (re.compile(r"not a valid BIN"), "error.bin"),
)


def field_errors(exc: ValidationError | Iterable[Mapping[str, Any]], lang: str) -> dict[str, str]:
    """Input name → a plain message, from a pydantic error (or its ``errors()`` list).

    A rule of the whole document names its field at the start of its message ("events: …"); the
    message then goes next to that field.
    """
    errors = exc.errors() if isinstance(exc, ValidationError) else list(exc)
    out: dict[str, str] = {}
    for err in errors:
        loc = [str(p) for p in err.get("loc", ()) if p not in ("body",)]
        msg = str(err.get("msg", "")).removeprefix("Value error, ")
        if err.get("type") == "value_error":
            head, sep, rest = msg.partition(": ")
            if sep and " " not in head:
                loc = loc + head.split(".")
                msg = rest
        name = ".".join(loc) or "__all__"
        ctx = err.get("ctx") or {}
        key = _PLAIN.get(str(err.get("type")))
        if key:
            message = translate(lang, key, **{k: v for k, v in ctx.items() if isinstance(v, (int, float, str))})
        else:
            message = msg
            for pattern, rule_key in _RULES:
                if pattern.search(msg):
                    message = translate(lang, rule_key)
                    break
        out.setdefault(name, message)
    return out
