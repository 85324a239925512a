"""The verification report of one file: frozen values, rendered to the JSON of CONTRACT.md.

Facts are fields; the verdict is derived (:attr:`Report.verdict`) from the checks, the way pyHanko's
``PdfSignatureStatus`` derives its bottom line. Keys of :meth:`Report.to_dict` are the outside
contract: add freely, never rename or drop.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from verification import messages as _msg
from verification.kinds import GENERATED_KINDS

__all__ = [
    "DOCUMENT_KINDS",
    "FIELD_NAMES",
    "UNCERTAIN",
    "Check",
    "CheckStatus",
    "Coverage",
    "FieldValue",
    "Finding",
    "Indication",
    "PageFrame",
    "QRCode",
    "Report",
    "SignatureResult",
    "Signer",
    "SubIndication",
    "Verdict",
    "is_uncertain",
]

DOCUMENT_KINDS: tuple[str, ...] = GENERATED_KINDS
"""The document kinds of CONTRACT.md: what the product generates and what a report's ``kind`` names
(from the kinds table, :mod:`verification.kinds`)."""


class Verdict(str, enum.Enum):
    """Bottom line for one file."""

    PASSED = "passed"
    """Every check passed or did not apply."""
    NEEDS_REVIEW = "needs_review"
    """Nothing failed, but something could not be decided automatically."""
    FAILED = "failed"
    """At least one check failed, or the file could not be read."""


class Indication(str, enum.Enum):
    """ETSI EN 319 102-1 main indication."""

    TOTAL_PASSED = "TOTAL_PASSED"
    """Cryptographically intact, chains to a trusted root, not revoked, algorithms acceptable."""
    TOTAL_FAILED = "TOTAL_FAILED"
    """Proven bad: hash mismatch, broken signature value, revoked, forbidden change."""
    INDETERMINATE = "INDETERMINATE"
    """Cannot tell with the data at hand (untrusted chain, missing revocation data, unknown algorithm)."""


class SubIndication(str, enum.Enum):
    """ETSI EN 319 102-1 sub-indications used by Attest."""

    HASH_FAILURE = "HASH_FAILURE"
    SIG_CRYPTO_FAILURE = "SIG_CRYPTO_FAILURE"
    REVOKED = "REVOKED"
    NO_CERTIFICATE_CHAIN_FOUND = "NO_CERTIFICATE_CHAIN_FOUND"
    OUT_OF_BOUNDS_NO_POE = "OUT_OF_BOUNDS_NO_POE"
    OUT_OF_BOUNDS_NOT_REVOKED = "OUT_OF_BOUNDS_NOT_REVOKED"
    CRYPTO_CONSTRAINTS_FAILURE = "CRYPTO_CONSTRAINTS_FAILURE"
    CRYPTO_CONSTRAINTS_FAILURE_NO_POE = "CRYPTO_CONSTRAINTS_FAILURE_NO_POE"
    FORMAT_FAILURE = "FORMAT_FAILURE"
    TRY_LATER = "TRY_LATER"
    SIGNED_DATA_NOT_FOUND = "SIGNED_DATA_NOT_FOUND"
    CHAIN_CONSTRAINTS_FAILURE = "CHAIN_CONSTRAINTS_FAILURE"
    NOT_YET_VALID = "NOT_YET_VALID"
    NO_SIGNING_CERTIFICATE_FOUND = "NO_SIGNING_CERTIFICATE_FOUND"


class Coverage(str, enum.Enum):
    """How much of the file a signature covers, from most to least."""

    ENTIRE_FILE = "entire_file"
    """The signed byte range is the whole file."""
    ENTIRE_REVISION = "entire_revision"
    """The signed revision is whole; later incremental updates follow it."""
    PARTIAL = "partial"
    """The signature covers only part of its revision: treat as broken."""


class CheckStatus(str, enum.Enum):
    PASS = "pass"
    """The requirement holds."""
    WARN = "warn"
    """Could not be decided, or holds with a caveat: a person should look."""
    FAIL = "fail"
    """The requirement does not hold."""
    SKIP = "skip"
    """Does not apply to this file."""


@dataclass(frozen=True)
class Check:
    """One line of the report a teacher reads: ``id`` is stable, ``code`` keys the message catalog."""

    id: str
    status: CheckStatus
    code: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def messages(self) -> dict[str, str]:
        return _msg.render_all(self.code, **self.params)

    def message(self, lang: str = _msg.DEFAULT_LANGUAGE) -> str:
        return _msg.render(self.code, lang, **self.params)

    def to_dict(self, lang: str = _msg.DEFAULT_LANGUAGE) -> dict[str, Any]:
        return {
            "id": self.id,
            "status": self.status.value,
            "message": self.message(lang),
            "messages": self.messages(),
            "code": self.code,
            "params": dict(self.params),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Check:
        return cls(data.get("id") or "?", CheckStatus(data.get("status") or "warn"),
                   data.get("code") or data.get("id") or "?", dict(data.get("params") or {}))


@dataclass(frozen=True)
class Signer:
    common_name: str | None = None
    iin: str | None = None
    bin: str | None = None
    organization: str | None = None
    country: str | None = None
    email: str | None = None
    certificate_serial: str | None = None
    issuer: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "common_name": self.common_name,
            "iin": self.iin,
            "bin": self.bin,
            "organization": self.organization,
            "country": self.country,
            "email": self.email,
            "certificate_serial": self.certificate_serial,
            "issuer": self.issuer,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Signer:
        return cls(**{f: data.get(f) for f in ("common_name", "iin", "bin", "organization", "country", "email",
                                               "certificate_serial", "issuer")})


@dataclass(frozen=True)
class SignatureResult:
    type: str  # "pades" | "cms_detached" | "cms_attached" | "doc_timestamp"
    indication: Indication
    sub_indication: SubIndication | None
    signer: Signer
    signing_time: str | None = None  # ISO 8601, claimed by the signer
    timestamp_time: str | None = None  # ISO 8601, from a trusted timestamp token
    algorithm: str | None = None
    coverage: Coverage | None = None
    modified_after_signing: bool = False
    modifications: str | None = None  # e.g. "none", "form_filling", "annotations", "other"
    shadow_pages: tuple[int, ...] = ()  # pages whose rendering changed after signing
    field_name: str | None = None
    reason: str | None = None  # short machine-readable reason for the sub-indication
    level: str | None = None
    """ETSI baseline level the signature reached (EN 319 142-1 for PAdES, EN 319 122-1 for CAdES/CMS):
    ``"B-B"`` a basic signature, ``"B-T"`` one with a signature timestamp that passed its own validation
    (an untrusted or broken timestamp is ignored, so the signature stays ``"B-B"``). ``None`` when the
    signature was not evaluated as a PAdES/CAdES signature (unreadable container, an algorithm the product
    cannot check), and in reports stored before the field existed. B-LT/B-LTA are not told apart from B-T.
    A level, not a verdict: read :attr:`indication` for whether the signature holds."""
    permitted_changes: tuple[str, ...] = ()
    """Changes made after signing that the signature's permissions allow (``lta_updates``,
    ``form_filling``, ``annotations``): reported, not forgery; :attr:`modified_after_signing` is true
    only for changes that no permission allows. Empty in reports stored before the field existed."""

    @property
    def passed(self) -> bool:
        return self.indication is Indication.TOTAL_PASSED

    def to_dict(self) -> dict[str, Any]:
        return {
            "type": self.type,
            "indication": self.indication.value,
            "sub_indication": self.sub_indication.value if self.sub_indication else None,
            "signer": self.signer.to_dict(),
            "signing_time": self.signing_time,
            "timestamp_time": self.timestamp_time,
            "algorithm": self.algorithm,
            "coverage": self.coverage.value if self.coverage else None,
            "modified_after_signing": self.modified_after_signing,
            "modifications": self.modifications,
            "shadow_pages": list(self.shadow_pages),
            "field_name": self.field_name,
            "reason": self.reason,
            "level": self.level,
            "permitted_changes": list(self.permitted_changes),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> SignatureResult:
        return cls(
            type=data.get("type") or "pades",
            indication=Indication(data.get("indication") or "INDETERMINATE"),
            sub_indication=SubIndication(data["sub_indication"]) if data.get("sub_indication") else None,
            signer=Signer.from_dict(data.get("signer") or {}),
            signing_time=data.get("signing_time"),
            timestamp_time=data.get("timestamp_time"),
            algorithm=data.get("algorithm"),
            coverage=Coverage(data["coverage"]) if data.get("coverage") else None,
            modified_after_signing=bool(data.get("modified_after_signing")),
            modifications=data.get("modifications"),
            shadow_pages=tuple(int(p) for p in data.get("shadow_pages") or ()),
            field_name=data.get("field_name"),
            reason=data.get("reason"),
            level=data.get("level"),  # absent from reports stored before B-T support: None
            permitted_changes=tuple(data.get("permitted_changes") or ()),
        )


UNCERTAIN: dict[str, tuple[float, float]] = {"seal": (0.55, 0.7), "signature": (0.15, 0.5)}
"""Confidence bands per finding class, (lower, upper): the detectors drop what is below lower; a
finding between the two is uncertain — shown as a region for a person to look at and never relied on
(the check asks for review); at or above upper it is confident. The signature band (the candidate net's
probability) was chosen on the validation families of the tuning part of ../shared/realscans
(docs/scans.md); the seal band follows the classical score range."""


def is_uncertain(cls: str, confidence: float) -> bool:
    """True when a finding of ``cls`` ("seal" or "signature") with this confidence needs a person's look."""
    return confidence < UNCERTAIN[cls][1]


@dataclass(frozen=True)
class Finding:
    """A seal or a handwritten signature on a page. bbox: pixels at 300 dpi, [x0, y0, x1, y1]."""

    page: int
    bbox: tuple[int, int, int, int]
    confidence: float
    kind: str | None = None  # e.g. "round", "oval", "rectangular" for seals

    def __post_init__(self) -> None:  # the report's precision: what to_dict writes is the whole fact
        object.__setattr__(self, "bbox", tuple(int(v) for v in self.bbox))
        object.__setattr__(self, "confidence", round(float(self.confidence), 3))

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"page": self.page, "bbox": list(self.bbox), "confidence": self.confidence}
        if self.kind:
            d["kind"] = self.kind
        return d

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Finding:
        return cls(int(data.get("page") or 1), tuple(data.get("bbox") or (0, 0, 0, 0)),  # type: ignore[arg-type]
                   float(data.get("confidence") or 0.0), data.get("kind"))


FIELD_NAMES = ("person_name", "date", "number", "issuer", "level", "places", "event_form")
"""Keys always present in ``fields`` (value null when not found). ``places`` holds a list of
canonical place names from the reference list; ``level`` one of school, district, regional,
republican, international."""


@dataclass(frozen=True)
class FieldValue:
    value: Any
    confidence: float = 0.0
    matches_expected: bool | None = None  # person_name only
    page: int | None = None
    raw: str | None = None  # the text as found, before normalisation

    def __post_init__(self) -> None:  # the report's precision, as for Finding
        object.__setattr__(self, "confidence", round(float(self.confidence), 3))

    def to_dict(self, name: str) -> dict[str, Any]:
        d: dict[str, Any] = {"value": self.value, "confidence": self.confidence}
        if name == "person_name" or self.matches_expected is not None:
            d["matches_expected"] = self.matches_expected
        if self.raw is not None:
            d["raw"] = self.raw
        if self.page is not None:
            d["page"] = self.page
        return d

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> FieldValue:
        return cls(value=data.get("value"), confidence=float(data.get("confidence") or 0.0),
                   matches_expected=data.get("matches_expected"), page=data.get("page"), raw=data.get("raw"))


_EMPTY_FIELD = FieldValue(None)


@dataclass(frozen=True)
class QRCode:
    page: int
    content: str
    bbox: tuple[int, int, int, int] | None = None
    registry_status: str | None = None  # "issued_unchanged" | "issued_altered" | "issued_here" | "unknown_id" | "qr_mismatch" | None (not ours)
    document_id: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "page": self.page,
            "content": self.content,
            "bbox": list(self.bbox) if self.bbox else None,
            "registry_status": self.registry_status,
            "document_id": self.document_id,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> QRCode:
        return cls(int(data.get("page") or 1), data.get("content") or "",
                   tuple(data["bbox"]) if data.get("bbox") else None,  # type: ignore[arg-type]
                   data.get("registry_status"), data.get("document_id"))


@dataclass(frozen=True)
class PageFrame:
    """How a page picture became the page the analysis saw (the frame of its boxes): the sheet found in
    a photo (corners in the source picture's pixels, top-left first, clockwise) flattened to
    ``sheet_size`` pixels, then turned ``rotation`` degrees and deskewed ``skew`` degrees (both
    counter-clockwise). ``size_300`` is that page's size in pixels at 300 dpi. Written only for pages
    that were changed, so that a page picture can be shown with the boxes in the right place."""

    page: int
    source_size: tuple[int, int]
    size_300: tuple[int, int]
    rotation: int = 0
    skew: float = 0.0
    sheet: tuple[tuple[float, float], ...] | None = None
    sheet_size: tuple[int, int] | None = None

    def __post_init__(self) -> None:  # the report's precision: what to_dict writes is the whole fact
        object.__setattr__(self, "source_size", tuple(int(v) for v in self.source_size))
        object.__setattr__(self, "size_300", tuple(int(v) for v in self.size_300))
        object.__setattr__(self, "skew", round(float(self.skew), 3))
        if self.sheet is not None:
            object.__setattr__(self, "sheet", tuple((round(float(x), 1), round(float(y), 1)) for x, y in self.sheet))
        if self.sheet is None:  # a sheet size without a sheet says nothing
            object.__setattr__(self, "sheet_size", None)
        elif self.sheet_size is not None:
            object.__setattr__(self, "sheet_size", tuple(int(v) for v in self.sheet_size))

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"page": self.page, "source_size": list(self.source_size),
                             "size_300": list(self.size_300), "rotation": self.rotation, "skew": self.skew}
        if self.sheet is not None:
            d["sheet"] = [list(c) for c in self.sheet]
            d["sheet_size"] = list(self.sheet_size or ())
        return d

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> PageFrame:
        sheet = data.get("sheet")
        return cls(int(data.get("page") or 1), tuple(data.get("source_size") or (0, 0)),  # type: ignore[arg-type]
                   tuple(data.get("size_300") or (0, 0)), int(data.get("rotation") or 0),  # type: ignore[arg-type]
                   float(data.get("skew") or 0.0),
                   tuple(tuple(c) for c in sheet) if sheet else None,  # type: ignore[misc]
                   tuple(data["sheet_size"]) if sheet and data.get("sheet_size") else None)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Report:
    file: str
    sha256: str
    media_type: str | None
    pages: int | None
    kind: str | None
    signatures: tuple[SignatureResult, ...] = ()
    seals: tuple[Finding, ...] = ()
    handwritten_signatures: tuple[Finding, ...] = ()
    fields: Mapping[str, FieldValue] = field(default_factory=dict)
    checks: tuple[Check, ...] = ()
    qr_codes: tuple[QRCode, ...] = ()
    text_source: str | None = None  # "text_layer" | "ocr" | "mixed" | None
    perceptual_hashes: tuple[str, ...] = ()  # one per page, for duplicate detection
    duration_ms: float | None = None
    page_frames: tuple[PageFrame, ...] = ()  # pages flattened, turned or deskewed before analysis

    def __post_init__(self) -> None:
        # every field of FIELD_NAMES is there (empty when nothing was found), as to_dict writes it
        object.__setattr__(self, "fields", {**{n: _EMPTY_FIELD for n in FIELD_NAMES}, **self.fields})

    @property
    def verdict(self) -> Verdict:
        statuses = {c.status for c in self.checks}
        if CheckStatus.FAIL in statuses:
            return Verdict.FAILED
        if CheckStatus.WARN in statuses or not self.checks:
            return Verdict.NEEDS_REVIEW
        return Verdict.PASSED

    def summary(self) -> str:
        failed = [c.id for c in self.checks if c.status is CheckStatus.FAIL]
        return f"{self.file}: {self.verdict.value}" + (f" ({', '.join(failed)})" if failed else "")

    def to_dict(self, lang: str = _msg.DEFAULT_LANGUAGE) -> dict[str, Any]:
        fields = {name: fv.to_dict(name) for name, fv in self.fields.items()}  # every FIELD_NAMES entry too
        return {
            "file": self.file,
            "sha256": self.sha256,
            "media_type": self.media_type,
            "pages": self.pages,
            "kind": self.kind,
            "verdict": self.verdict.value,
            "signatures": [s.to_dict() for s in self.signatures],
            "seals": [s.to_dict() for s in self.seals],
            "handwritten_signatures": [s.to_dict() for s in self.handwritten_signatures],
            "fields": fields,
            "checks": [c.to_dict(lang) for c in self.checks],
            "qr_codes": [q.to_dict() for q in self.qr_codes],
            "text_source": self.text_source,
            "perceptual_hashes": list(self.perceptual_hashes),
            "duration_ms": self.duration_ms,
            "page_frames": [f.to_dict() for f in self.page_frames],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Report:
        """The report back from its JSON (:meth:`to_dict`), e.g. one stored by the service: lossless,
        ``Report.from_dict(r.to_dict()) == r``. A report stored before a key existed loads with that
        key's default (``level`` None, check ``params`` empty)."""
        fields = {name: FieldValue.from_dict(f) for name, f in (data.get("fields") or {}).items()
                  if isinstance(f, Mapping)}
        return cls(
            file=data.get("file") or "",
            sha256=data.get("sha256") or "",
            media_type=data.get("media_type"),
            pages=data.get("pages"),
            kind=data.get("kind"),
            signatures=tuple(SignatureResult.from_dict(s) for s in data.get("signatures") or ()),
            seals=tuple(Finding.from_dict(f) for f in data.get("seals") or ()),
            handwritten_signatures=tuple(Finding.from_dict(f) for f in data.get("handwritten_signatures") or ()),
            fields=fields,
            checks=tuple(Check.from_dict(c) for c in data.get("checks") or ()),
            qr_codes=tuple(QRCode.from_dict(q) for q in data.get("qr_codes") or ()),
            text_source=data.get("text_source"),
            perceptual_hashes=tuple(data.get("perceptual_hashes") or ()),
            duration_ms=data.get("duration_ms"),
            page_frames=tuple(PageFrame.from_dict(f) for f in data.get("page_frames") or ()),
        )
