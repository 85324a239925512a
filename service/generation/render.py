"""DOCX rendering with docxtpl: the template context of each kind and a cached template loader.

Data is data: values go into the template through an autoescaping Jinja environment and are never
compiled themselves, so ``{{ 7*7 }}`` or ``<b>`` in a name is printed as written. A template is read
from disk once and its patched, compiled body is kept per (kind, lang); a render then only parses
the DOCX package and runs the compiled template.
"""

from __future__ import annotations

import functools
import io
import re
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import qrcode
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage
from jinja2 import Environment, StrictUndefined, Template, TemplateError

from service.errors import AttestError
from service.generation import formatting as fmt
from service.generation import wording
from service.generation.schemas import SCHEMAS, DocumentData
from service.paths import TEMPLATES_DIR

__all__ = ["Registration", "TemplateMissing", "build_context", "qr_png", "render_docx", "template_path"]


class TemplateMissing(AttestError):
    """The template file of a kind/language is not installed."""


@dataclass(frozen=True)
class Registration:
    """What the registry assigned to a document, printed on it (number, QR payload)."""

    document_id: str
    number: str  # the full registration number, e.g. MC-KRG-ORD-2024-00084
    sequence: int
    qr_payload: str


def template_path(kind: str, lang: str) -> Path:
    return TEMPLATES_DIR / f"{kind}.{lang}.docx"


@functools.lru_cache(maxsize=64)
def _template_bytes(kind: str, lang: str) -> bytes:
    path = template_path(kind, lang)
    if not path.is_file():
        raise TemplateMissing(f"no template for {kind} in {lang}: {path} is missing")
    return path.read_bytes()


def _env(lang: str) -> Environment:
    env = Environment(autoescape=True, undefined=StrictUndefined)
    env.filters["ldate"] = lambda v: fmt.long_date(v, lang)
    env.filters["qdate"] = lambda v: fmt.quoted_date(v, lang)
    env.filters["sdate"] = fmt.short_date
    env.filters["q"] = wording.quoted  # «title», never « «title» »
    return env


_ENVS = {"ru": _env("ru"), "kk": _env("kk")}
_COMPILED: dict[tuple[str, str], Template] = {}
_COMPILED_LOCK = threading.Lock()


class _Template(DocxTemplate):
    """DocxTemplate that compiles the body of a (kind, lang) template once per process."""

    def __init__(self, kind: str, lang: str) -> None:
        super().__init__(io.BytesIO(_template_bytes(kind, lang)))
        self._key = (kind, lang)

    def build_xml(self, context, jinja_env=None):  # type: ignore[no-untyped-def]
        compiled = _COMPILED.get(self._key)
        if compiled is None:
            src = self.patch_xml(self.get_xml())
            src = re.sub(r"<w:p([ >])", r"\n<w:p\1", src)
            with _COMPILED_LOCK:
                compiled = _COMPILED.setdefault(self._key, jinja_env.from_string(src))
        self.current_rendering_part = self.docx._part
        dst = compiled.render(context)
        dst = re.sub(r"\n<w:p([ >])", r"<w:p\1", dst)
        dst = dst.replace("{_{", "{{").replace("}_}", "}}").replace("{_%", "{%").replace("%_}", "%}")
        return self.resolve_listing(dst)


def qr_png(payload: str) -> bytes:
    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=4, border=2)
    qr.add_data(payload)
    qr.make(fit=True)
    buf = io.BytesIO()
    qr.make_image(fill_color="black", back_color="white").save(buf, format="PNG")
    return buf.getvalue()


def build_context(kind: str, lang: str, data: DocumentData, number: str) -> dict[str, Any]:
    """The template context of a kind (without the registration, added by :func:`render_docx`): the
    data, the number line, and what the kind's schema adds (:meth:`DocumentData.template_extras`)."""
    schema = SCHEMAS[kind]
    d = data.model_dump(mode="python")
    ctx: dict[str, Any] = {"d": d, "number": number}
    ctx["number_line"] = fmt.number_date_line(data.date, number, lang, schema.kk_number_noun if lang == "kk" else "")
    ctx.update(schema.template_extras(d, lang))
    return ctx


_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _xml_safe(value: Any) -> Any:
    """Drops the characters XML 1.0 cannot hold (C0 controls but tab/newline, lone surrogates, U+FFFE/F).
    They are invisible anyway, and left in they make the DOCX writer recover by dropping the escaped
    ``<``, ``>`` and ``&`` around them, so the rest of the text would no longer print as written.
    Line ends are made ``\n``: a Windows ``\r\n`` (text pasted from Word or a CSV) printed as two line
    breaks, an empty line inside the field."""
    if isinstance(value, str):
        return _XML_ILLEGAL.sub("", value).replace("\r\n", "\n").replace("\r", "\n")
    if isinstance(value, dict):
        return {k: _xml_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(_xml_safe(v) for v in value)
    return value


# the children of <w:compat> that come before <w:doNotExpandShiftReturn/> in the schema's sequence
_COMPAT_BEFORE = frozenset(qn(f"w:{name}") for name in (
    "useSingleBorderforContiguousCells", "wpJustification", "noTabHangInd", "noLeading", "spaceForUL",
    "noColumnBalance", "balanceSingleByteDoubleByteWidth", "noExtraLineSpacing", "doNotLeaveBackslashAlone",
    "ulTrailSpace"))


def _no_stretch_before_line_breaks(document: Any) -> None:
    """A line that ends in a line break of a multi-line value (the lines of a "heard" or "decided" text) is not
    stretched across the width of a justified paragraph: Word's ``doNotExpandShiftReturn``, which LibreOffice
    reads too. Without it «1)   об   опыте   работы;» was spread over the whole line."""
    settings = document.settings.element
    compat = settings.find(qn("w:compat"))
    if compat is None:
        compat = OxmlElement("w:compat")
        settings.append(compat)  # the templates all have one; a new one is only a fallback
    if compat.find(qn("w:doNotExpandShiftReturn")) is not None:
        return
    before = [i for i, child in enumerate(compat) if child.tag in _COMPAT_BEFORE]
    compat.insert(before[-1] + 1 if before else 0, OxmlElement("w:doNotExpandShiftReturn"))


def render_docx(kind: str, lang: str, data: DocumentData, number: str,
                registration: Registration | None) -> bytes:
    """Renders one document to DOCX bytes; ``registration`` None makes a draft without QR code."""
    tpl = _Template(kind, lang)
    ctx = _xml_safe(build_context(kind, lang, data, number))
    if registration is not None:
        ctx["reg"] = {"number": registration.number, "document_id": registration.document_id}
        ctx["qr"] = InlineImage(tpl, io.BytesIO(qr_png(registration.qr_payload)), width=Mm(24))
    else:
        ctx["reg"] = None
        ctx["qr"] = ""
    try:
        tpl.render(ctx, _ENVS[lang], autoescape=True)
        _no_stretch_before_line_breaks(tpl.docx)
        out = io.BytesIO()
        tpl.save(out)
    except TemplateError as exc:  # a template defect, not the user's data
        raise AttestError(f"template {kind}.{lang}.docx failed to render: {exc}") from exc
    return out.getvalue()


