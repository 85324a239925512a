"""Properties of the template data schemas (service/generation/schemas.py) and of rendering.

Any JSON at all gives either a valid model or BadInput whose details name fields of the schema,
never another exception. A valid model whose text holds template syntax, markup, entities or control
characters renders to a DOCX in which the text appears exactly as written (minus the characters XML
cannot hold, which are invisible anyway).
"""

from __future__ import annotations

import copy
import io
import re
from typing import Any

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from service.errors import BadInput
from service.generation.render import render_docx
from service.generation.schemas import SCHEMAS, DocumentData, example_data
from service.generation.service import validate

KINDS = sorted(SCHEMAS)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
    max_leaves=12,
)


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix] if prefix else []
    if isinstance(node, dict):
        for k, v in node.items():
            out += _paths(v, (*prefix, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out += _paths(v, (*prefix, i))
    return out


def _outcome(kind: str, data: Any) -> DocumentData | BadInput:
    try:
        return validate(kind, data)
    except BadInput as exc:  # anything else propagates and fails the test
        return exc


def _assert_named(kind: str, exc: BadInput, data: dict[str, Any]) -> None:
    """Every detail names a field of the schema, or an unknown field the data brought in."""
    assert exc.details, exc.message
    fields = set(SCHEMAS[kind].model_fields) | {"(document)"} | {str(k) for k in data}
    for d in exc.details:
        assert isinstance(d["field"], str) and isinstance(d["message"], str) and d["message"]
        assert d["field"] in fields or re.split(r"[.\[]", d["field"])[0] in fields, d
        assert d["field"] in exc.message


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(KINDS), json_values)
def test_arbitrary_json_is_a_model_or_a_named_field_error(kind: str, data: Any) -> None:
    result = _outcome(kind, data)
    if isinstance(result, BadInput):
        if isinstance(data, dict):
            _assert_named(kind, result, data)
        else:
            assert [d["field"] for d in result.details] == ["(document)"]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(KINDS), st.sampled_from(["ru", "kk"]), st.data())
def test_one_wrong_value_in_real_data_is_named(kind: str, lang: str, draw: st.DataObject) -> None:
    data = example_data(kind, lang)
    path = draw.draw(st.sampled_from(_paths(data)))
    value = draw.draw(json_values)
    mutated = copy.deepcopy(data)
    node: Any = mutated
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = value
    result = _outcome(kind, mutated)
    if isinstance(result, BadInput):
        _assert_named(kind, result, mutated)


def _docx_text(content: bytes) -> str:
    import docx

    doc = docx.Document(io.BytesIO(content))
    out = [p.text for p in doc.paragraphs]

    def tables(ts: Any) -> None:
        for t in ts:
            for row in t.rows:
                for cell in row.cells:
                    out.extend(p.text for p in cell.paragraphs)
                    tables(cell.tables)

    tables(doc.tables)
    return "\n".join(out)


HOSTILE_PIECES = ["{{ 7*7 }}", "{%", "%}", "{% for x in range(9) %}", "{#", "}}", "<w:t>", "</w:p>", "<b>", "&",
                  "&amp;", "&#0;", "]]>", "<![CDATA[", "\\", "'", '"', "\x00", "\x01", "\x0b", "\x1f", "\x7f",
                  "\u202e", "\u200b", "\ufeff", "Ә", "ұ", "😀", "\t", " ", "x"]
hostile_text = st.lists(st.sampled_from(HOSTILE_PIECES) | st.text(st.characters(exclude_categories=("Cs",)),
                                                                  max_size=8), min_size=1, max_size=12).map("".join)
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(KINDS), st.sampled_from(["ru", "kk"]), hostile_text)
@example(KINDS[0], "ru", "\r\n")  # a Windows line end is one line break, not an empty line (found by this test)
@example(KINDS[0], "kk", "a\rb\r\n\nc")
def test_any_text_renders_literally(kind: str, lang: str, text: str) -> None:
    data = example_data(kind, lang)
    data["organization"]["name"] = f"Q{text}Q"  # the header of every kind prints the organisation's name
    result = _outcome(kind, data)
    if isinstance(result, BadInput):  # too long after all: the field is named
        assert [d["field"] for d in result.details] == ["organization.name"]
        return
    content = render_docx(kind, lang, result, "17", None)
    expected = _XML_ILLEGAL.sub("", result.organization.name).replace("\r\n", "\n").replace("\r", "\n")
    assert expected in _docx_text(content).replace("\r", "\n")
