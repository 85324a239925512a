"""Authorisation matrix: every operation of the OpenAPI schema × every role × the objects it can be
applied to (the teacher's draft and submitted dossiers, the secretary's documents and jobs) → the exact
status. 401 for nobody, 403 for a wrong role, 404 (with the body of an unknown id) for an object that is
someone else's, 2xx where allowed. A new endpoint without a matrix entry fails the coverage test.
"""

from __future__ import annotations

import collections
import itertools
import math
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest

from tests.security.conftest import PASSWORDS, ROLES, login, new_dossier, pdf_bytes, upload, wait_job

A, S, SF, T, T2, C, CF, AD = ROLES  # anonymous, secretary, secretary_far, teacher, teacher2, commission, ...


def grid(default: int, anonymous: int = 401, **by_role: int) -> dict[str, int]:
    """Expected status per role: `default` for every signed-in role unless named."""
    out = {role: default for role in ROLES}
    out["anonymous"] = anonymous
    out.update(by_role)
    return out


EVERYONE_200 = grid(200, anonymous=200)
SIGNED_IN_200 = grid(200)
ADMIN_ONLY = grid(403, admin=200)
SECRETARY_READ = grid(403, secretary=200, secretary_far=200, admin=200)
TEACHER_ONLY = grid(403, teacher=200, teacher2=200)
COMMISSION_ONLY = grid(403, commission=200, commission_far=200)


@dataclass
class Case:
    """One operation: how to build its request for a role and an object, and the statuses expected."""

    method: str
    path: str
    expected: dict[str, dict[str, int]]  # object variant → role → status
    build: Callable[[Any, str, str, bool], tuple[str, dict[str, Any]]]  # (ctx, role, variant, allowed) → url, kwargs
    fresh_client: bool = False  # login/logout: a client of its own, the shared one keeps its session


@dataclass
class Ctx:
    """Objects the matrix acts on; owned by `teacher` (dossiers, files, jobs) and `secretary` (the rest)."""

    app: Any
    clients: dict[str, Any]
    ids: dict[str, str] = field(default_factory=dict)
    counter: int = 0

    def unique(self, prefix: str) -> str:
        self.counter += 1
        return f"{prefix}-{self.counter}-{secrets.token_hex(3)}"

    # -- factories of fresh objects for calls that change them
    def draft_with_file(self) -> tuple[str, str]:
        teacher = self.clients["teacher"]
        dossier = new_dossier(teacher, "matrix draft")
        r = upload(teacher, dossier)
        assert r.status_code == 201, r.text
        return dossier, r.json()["files"][0]["id"]

    def submitted(self) -> str:
        dossier, _ = self.draft_with_file()
        r = self.clients["teacher"].post(f"/api/v1/dossiers/{dossier}/submit")
        assert r.status_code == 200, r.text
        return dossier

    def reference_row(self, kind: str) -> int:
        r = self.clients["secretary"].post(f"/api/v1/reference/{kind}", json=reference_body(self, kind))
        assert r.status_code == 201, r.text
        return int(r.json()["id"])


def reference_body(ctx: Ctx, kind: str) -> dict[str, Any]:
    if kind == "regions":
        return {"code": ctx.unique("XX"), "name_ru": "Регион", "name_kk": "Өңір"}
    if kind == "districts":
        return {"region_id": int(ctx.ids["region_zha"]), "name_ru": "Район", "name_kk": "Аудан"}
    if kind == "council-members":
        return {"full_name": "Член Совета", "position": "методист", "council_role": "member"}
    return {"title": "Семинар", "date": "2024-04-26", "form": "seminar", "level": "district"}


CERTIFICATE = {
    "organization": {"code": "MC-ZHA", "name": "Методический центр", "parent": "Управление образования",
                     "address": "г. Тараз", "city": "г. Тараз"},
    "date": "2024-04-26", "number": "С-2024/0315", "participant": "Жумабаева Айгерим Сериковна",
    "participant_position": "учитель математики", "participant_organization": "КГУ «Школа № 12»",
    "role": "speaker", "event_title": "Функциональная грамотность", "event_form": "семинаре",
    "event_date": "2024-04-26", "event_place": "г. Тараз", "hours": 6,
    "head": {"full_name": "Сарсенова Г.К.", "position": "Директор"},
}
BATCH_CSV = (
    "participant,participant_position,participant_organization,role,event_title,event_form,event_date,"
    "event_place,hours,date,number,organization.code,organization.name,organization.city,head.full_name,"
    "head.position\n"
    "Жумабаева А.С.,учитель,Школа № 12,speaker,Семинар,семинаре,2024-04-26,г. Тараз,6,2024-04-26,С-1,"
    "MC-ZHA,Методический центр,г. Тараз,Сарсенова Г.К.,Директор\n"
).encode()


def _plain(path: str) -> Callable[[Any, str, str, bool], tuple[str, dict[str, Any]]]:
    return lambda ctx, role, variant, allowed: (path, {})


def _obj(template: str, key_of: Callable[[str], str], **kwargs: Any) -> Callable[..., tuple[str, dict[str, Any]]]:
    return lambda ctx, role, variant, allowed: (template.format(ctx.ids[key_of(variant)]), dict(kwargs))


def _cases() -> list[Case]:
    cases = [
        Case("POST", "/api/v1/auth/login", {"-": grid(200)}, lambda ctx, role, v, ok: (
            "/api/v1/auth/login",
            {"json": {"username": role if role != "anonymous" else "nobody",
                      "password": PASSWORDS.get(role, "wrong-password")}},
        ), fresh_client=True),
        Case("POST", "/api/v1/auth/logout", {"-": grid(204)}, _plain("/api/v1/auth/logout"), fresh_client=True),
        Case("GET", "/api/v1/auth/me", {"-": SIGNED_IN_200}, _plain("/api/v1/auth/me")),
        Case("GET", "/api/v1/users", {"-": ADMIN_ONLY}, _plain("/api/v1/users")),
        Case("POST", "/api/v1/users", {"-": grid(403, admin=201)}, lambda ctx, role, v, ok: (
            "/api/v1/users", {"json": {"username": ctx.unique("user"), "password": "long-enough-1",
                                       "full_name": "Новый", "role": "teacher",
                                       "organisation_id": int(ctx.ids["org_school"])}})),
        Case("GET", "/api/v1/organisations/mine", {"-": SIGNED_IN_200}, _plain("/api/v1/organisations/mine")),
        Case("GET", "/api/v1/documents/kinds", {"-": EVERYONE_200}, _plain("/api/v1/documents/kinds")),
        Case("POST", "/api/v1/documents", {"-": grid(403, secretary=201, secretary_far=201, admin=201)},
             lambda ctx, role, v, ok: ("/api/v1/documents", {"json": {
                 "kind": "certificate", "data": CERTIFICATE, "lang": "ru", "format": "docx", "draft": True}})),
        Case("POST", "/api/v1/documents/batch", {"-": grid(403, secretary=202, secretary_far=202, admin=202)},
             lambda ctx, role, v, ok: ("/api/v1/documents/batch", {
                 "files": [("file", ("rows.csv", BATCH_CSV, "text/csv"))],
                 "data": {"kind": "certificate", "lang": "ru", "format": "docx"}})),
        Case("GET", "/api/v1/registry", {"-": SECRETARY_READ}, _plain("/api/v1/registry")),
        Case("GET", "/api/v1/registry/{document_id}",
             {"secretary_doc": grid(403, secretary=200, secretary_far=404, admin=200)},
             _obj("/api/v1/registry/{}", lambda v: "registry_doc")),
        Case("GET", "/api/v1/registry/{document_id}/files/{fmt}",
             {"secretary_doc": grid(403, secretary=200, secretary_far=404, admin=200)},
             _obj("/api/v1/registry/{}/files/pdf", lambda v: "registry_doc")),
        Case("GET", "/api/v1/reference/organisation", {"-": SIGNED_IN_200}, _plain("/api/v1/reference/organisation")),
        Case("PUT", "/api/v1/reference/organisation", {"-": grid(403, secretary=200, secretary_far=200, admin=200)},
             lambda ctx, role, v, ok: ("/api/v1/reference/organisation", {"json": {
                 "name_ru": "Методический центр", "name_kk": "Әдістемелік орталық", "city_ru": "г. Тараз",
                 "city_kk": "Тараз қ."}})),
        Case("GET", "/api/v1/audit", {"-": ADMIN_ONLY}, _plain("/api/v1/audit")),
        Case("GET", "/api/v1/public/check/{document_id}", {"secretary_doc": EVERYONE_200},
             _obj("/api/v1/public/check/{}", lambda v: "registry_doc")),
        Case("POST", "/api/v1/public/check", {"-": EVERYONE_200}, lambda ctx, role, v, ok: (
            "/api/v1/public/check", {"files": [("file", ("doc.pdf", pdf_bytes(), "application/pdf"))],
                                     "data": {"document_id": ctx.ids["registry_doc"]}})),
        Case("GET", "/api/v1/dossiers/profiles", {"-": EVERYONE_200}, _plain("/api/v1/dossiers/profiles")),
        Case("GET", "/api/v1/dossiers", {"-": TEACHER_ONLY}, _plain("/api/v1/dossiers")),
        Case("POST", "/api/v1/dossiers", {"-": grid(403, teacher=201, teacher2=201)}, lambda ctx, role, v, ok: (
            "/api/v1/dossiers", {"json": {"profile": "kz-master", "period_start": "2022-01-01",
                                          "period_end": "2026-01-01"}})),
        Case("GET", "/api/v1/commission/dossiers", {"-": COMMISSION_ONLY}, _plain("/api/v1/commission/dossiers")),
        Case("GET", "/api/v1/health", {"-": EVERYONE_200}, _plain("/api/v1/health")),
    ]
    # files and jobs: the teacher's upload in a draft, in a submitted dossier, and the secretary's output
    file_expect = {
        "draft": grid(404, teacher=200, admin=200),
        "submitted": grid(404, teacher=200, commission=200, admin=200),
        "secretary_doc": grid(404, secretary=200, admin=200),
    }
    file_key = {"draft": "file_draft", "submitted": "file_submitted", "secretary_doc": "file_generated"}
    cases += [
        Case("GET", "/api/v1/files/{file_id}", file_expect, _obj("/api/v1/files/{}", file_key.__getitem__)),
        Case("GET", "/api/v1/files/{file_id}/report", file_expect,
             _obj("/api/v1/files/{}/report", file_key.__getitem__)),
        Case("GET", "/api/v1/jobs/{job_id}",
             {"teacher_job": grid(404, teacher=200, admin=200), "secretary_job": grid(404, secretary=200, admin=200)},
             _obj("/api/v1/jobs/{}", {"teacher_job": "job_teacher", "secretary_job": "job_secretary"}.__getitem__)),
    ]
    # dossiers: the teacher's draft (nobody else sees it) and a submitted one (the commission of the scope does)
    read = {"draft": grid(404, teacher=200, admin=200), "submitted": grid(404, teacher=200, commission=200, admin=200)}
    dkey = {"draft": "dossier_draft", "submitted": "dossier_submitted"}.__getitem__

    def upload_build(ctx: Ctx, role: str, variant: str, ok: bool) -> tuple[str, dict[str, Any]]:
        dossier = ctx.draft_with_file()[0] if ok else ctx.ids[dkey(variant)]
        return (f"/api/v1/dossiers/{dossier}/files",
                {"files": [("files", ("more.pdf", pdf_bytes(), "application/pdf"))]})

    def remove_build(ctx: Ctx, role: str, variant: str, ok: bool) -> tuple[str, dict[str, Any]]:
        if ok:
            dossier, file_id = ctx.draft_with_file()
        else:
            dossier = ctx.ids[dkey(variant)]
            file_id = ctx.ids["file_draft" if variant == "draft" else "file_submitted"]
        return f"/api/v1/dossiers/{dossier}/files/{file_id}", {}

    def submit_build(ctx: Ctx, role: str, variant: str, ok: bool) -> tuple[str, dict[str, Any]]:
        dossier = ctx.draft_with_file()[0] if ok else ctx.ids[dkey(variant)]
        return f"/api/v1/dossiers/{dossier}/submit", {}

    def decide_build(ctx: Ctx, role: str, variant: str, ok: bool) -> tuple[str, dict[str, Any]]:
        dossier = ctx.submitted() if ok else ctx.ids[dkey(variant)]
        return f"/api/v1/commission/dossiers/{dossier}/decision", {"json": {"decision": "approved", "comment": "ok"}}

    teacher_write = {"draft": grid(403, teacher=201, teacher2=404), "submitted": grid(403, teacher=409, teacher2=404)}
    cases += [
        Case("GET", "/api/v1/dossiers/{dossier_id}", read, _obj("/api/v1/dossiers/{}", dkey)),
        Case("GET", "/api/v1/dossiers/{dossier_id}/checklist", read, _obj("/api/v1/dossiers/{}/checklist", dkey)),
        Case("POST", "/api/v1/dossiers/{dossier_id}/files", teacher_write, upload_build),
        Case("DELETE", "/api/v1/dossiers/{dossier_id}/files/{file_id}",
             {"draft": grid(403, teacher=204, teacher2=404), "submitted": grid(403, teacher=409, teacher2=404)},
             remove_build),
        Case("POST", "/api/v1/dossiers/{dossier_id}/submit",
             {"draft": grid(403, teacher=200, teacher2=404), "submitted": grid(403, teacher=409, teacher2=404)},
             submit_build),
        Case("GET", "/api/v1/commission/dossiers/{dossier_id}",
             {"draft": grid(403, commission=404, commission_far=404),
              "submitted": grid(403, commission=200, commission_far=404)},
             _obj("/api/v1/commission/dossiers/{}", dkey)),
        Case("GET", "/api/v1/commission/dossiers/{dossier_id}/package/{fmt}",
             {"draft": grid(403, commission=404, commission_far=404),
              "submitted": grid(403, commission=200, commission_far=404)},
             _obj("/api/v1/commission/dossiers/{}/package/pdf", dkey)),
        Case("POST", "/api/v1/commission/dossiers/{dossier_id}/decision",
             {"draft": grid(403, commission=404, commission_far=404),
              "submitted": grid(403, commission=200, commission_far=404)},
             decide_build),
    ]
    # reference data: rows of the secretary's organisation (the administrator's too)
    for kind in ("regions", "districts", "council-members", "events"):
        base = f"/api/v1/reference/{kind}"
        cases += [
            Case("GET", base, {"-": SIGNED_IN_200}, _plain(base)),
            Case("POST", base, {"-": grid(403, secretary=201, secretary_far=201, admin=201)},
                 lambda ctx, role, v, ok, kind=kind, base=base: (base, {"json": reference_body(ctx, kind)})),
            Case("PUT", base + "/{row_id}", {"secretary_row": grid(403, secretary=200, secretary_far=404, admin=200)},
                 lambda ctx, role, v, ok, kind=kind, base=base: (
                     f"{base}/{ctx.ids['ref_' + kind]}", {"json": reference_body(ctx, kind)})),
            Case("DELETE", base + "/{row_id}",
                 {"secretary_row": grid(403, secretary=204, secretary_far=404, admin=204)},
                 lambda ctx, role, v, ok, kind=kind, base=base: (
                     f"{base}/{ctx.reference_row(kind) if ok else ctx.ids['ref_' + kind]}", {})),
        ]
    return cases


CASES = _cases()


def _openapi_operations(app: Any) -> set[tuple[str, str]]:
    return {(method.upper(), path) for path, ops in app.openapi()["paths"].items() for method in ops}


def test_every_operation_of_the_schema_is_in_the_matrix(app: Any) -> None:
    matrix = {(c.method, c.path) for c in CASES}
    assert len(matrix) == len(CASES), "an operation is listed twice"
    assert _openapi_operations(app) - matrix == set(), "endpoints without an authorisation matrix entry"
    assert matrix - _openapi_operations(app) == set(), "matrix entries for endpoints that do not exist"


@pytest.fixture(scope="module")
def ctx(app: Any, clients: dict[str, Any]) -> Ctx:
    from sqlalchemy import select

    from service.accounts.models import Organisation
    from service.db import session_scope
    from service.reference.models import Region

    c = Ctx(app, clients)
    with session_scope() as db:
        c.ids["org_school"] = str(db.scalar(select(Organisation.id).where(Organisation.code == "SCH-TARAZ-12")))
        c.ids["region_zha"] = str(db.scalar(select(Region.id).where(Region.code == "KZ-ZHA")))
    c.ids["dossier_draft"], c.ids["file_draft"] = c.draft_with_file()
    teacher = clients["teacher"]
    c.ids["job_teacher"] = teacher.get(f"/api/v1/dossiers/{c.ids['dossier_draft']}").json()["files"][0]["job"]["id"]
    dossier, c.ids["file_submitted"] = c.draft_with_file()
    r = teacher.post(f"/api/v1/dossiers/{dossier}/submit")
    assert r.status_code == 200, r.text
    c.ids["dossier_submitted"] = dossier
    secretary = clients["secretary"]
    r = secretary.post("/api/v1/documents", json={"kind": "certificate", "data": CERTIFICATE, "lang": "ru",
                                                 "format": "docx"})
    assert r.status_code == 201, r.text
    c.ids["file_generated"], c.ids["registry_doc"] = r.json()["file_id"], r.json()["document_id"]
    assert c.ids["registry_doc"]
    r = secretary.post("/api/v1/documents/batch", files=[("file", ("rows.csv", BATCH_CSV, "text/csv"))],
                       data={"kind": "certificate", "lang": "ru", "format": "docx"})
    assert r.status_code == 202, r.text
    c.ids["job_secretary"] = r.json()["id"]
    for kind in ("regions", "districts", "council-members", "events"):
        c.ids["ref_" + kind] = str(c.reference_row(kind))
    # the package of the submitted dossier is assembled by a job: wait for it
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        r = clients["commission"].get(f"/api/v1/commission/dossiers/{dossier}/package/pdf")
        if r.status_code != 409:
            break
        time.sleep(0.3)
    assert r.status_code == 200, r.text
    return c


def _cells() -> list[tuple[Case, str, str]]:
    return [(case, variant, role) for case in CASES for variant in case.expected for role in ROLES]


def _id(cell: tuple[Case, str, str]) -> str:
    case, variant, role = cell
    return f"{case.method} {case.path} [{variant}] {role}"


CELLS = _cells()


def _request(ctx: Ctx, client: Any, case: Case, role: str, variant: str, allowed: bool) -> Any:
    url, kwargs = case.build(ctx, role, variant, allowed)
    return client.request(case.method, url, **kwargs), url, kwargs


def _unknown_id_url(url: str, ctx: Ctx) -> str:
    for key, value in ctx.ids.items():
        if key.startswith(("org_", "region_")):
            continue
        if f"/{value}" in url:
            replacement = secrets.token_urlsafe(16) if not value.isdigit() else "999999"
            return url.replace(f"/{value}", f"/{replacement}", 1)
    return url


@pytest.mark.parametrize("case,variant,role", CELLS, ids=[_id(c) for c in CELLS])
def test_matrix(ctx: Ctx, case: Case, variant: str, role: str) -> None:
    expected = case.expected[variant][role]
    allowed = 200 <= expected < 300
    if case.fresh_client:
        from tests.security.conftest import make_client

        client = login(ctx.app, role) if (role != "anonymous" and case.path.endswith("logout")) else make_client(ctx.app)
    else:
        client = ctx.clients[role]
    response, url, _kwargs = _request(ctx, client, case, role, variant, allowed)
    assert response.status_code == expected, f"{case.method} {url} as {role}: {response.status_code} {response.text[:300]}"
    if response.status_code >= 400:
        body = response.json()
        assert set(body) == {"error", "message", "details"} and body["message"], body
        assert body["error"] == {401: "unauthenticated", 403: "forbidden", 404: "not_found", 409: "conflict"}[expected]
    if expected == 404:
        # the same answer as for an id that does not exist: existence does not leak
        other_url = _unknown_id_url(url, ctx)
        assert other_url != url
        again = client.request(case.method, other_url, **case.build(ctx, role, variant, False)[1])
        assert (again.status_code, again.json()["error"]) == (404, "not_found")
        assert again.json()["message"] == response.json()["message"] or "no such" in again.json()["message"]


def test_shared_objects_unchanged_by_refused_calls(ctx: Ctx) -> None:
    teacher = ctx.clients["teacher"]
    draft = teacher.get(f"/api/v1/dossiers/{ctx.ids['dossier_draft']}").json()
    assert draft["dossier"]["status"] == "draft"
    assert [f["id"] for f in draft["files"]] == [ctx.ids["file_draft"]]
    submitted = teacher.get(f"/api/v1/dossiers/{ctx.ids['dossier_submitted']}").json()
    assert (submitted["dossier"]["status"], submitted["dossier"]["decision"]) == ("submitted", None)
    assert [f["id"] for f in submitted["files"]] == [ctx.ids["file_submitted"]]
    rows = ctx.clients["secretary"].get("/api/v1/reference/events").json()
    assert int(ctx.ids["ref_events"]) in [r["id"] for r in rows]


def _entropy_bits_per_char(ids: list[str]) -> float:
    counts = collections.Counter("".join(ids))
    total = sum(counts.values())
    return -sum(n / total * math.log2(n / total) for n in counts.values())


def test_public_facing_ids_are_unguessable(ctx: Ctx) -> None:
    teacher = ctx.clients["teacher"]
    dossiers = [new_dossier(teacher, "ids") for _ in range(12)]
    files = [upload(teacher, dossiers[0], f"f{i}.pdf").json()["files"][0] for i in range(6)]
    file_ids = [f["id"] for f in files]
    job_ids = [f["job"]["id"] for f in files]
    secretary = ctx.clients["secretary"]
    docs = [secretary.post("/api/v1/documents", json={"kind": "certificate", "data": CERTIFICATE, "lang": "ru",
                                                      "format": "docx"}).json()["document_id"] for _ in range(3)]
    all_ids = dossiers + file_ids + job_ids + docs + [ctx.ids["registry_doc"]]
    assert len(set(all_ids)) == len(all_ids)
    for value in all_ids:
        # token_urlsafe(16): 22 URL-safe characters = 128 random bits
        assert len(value) >= 22 and not value.isdigit(), value
        assert set(value) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"), value
    assert _entropy_bits_per_char(all_ids) > 5.0  # uniform over 64 symbols is 6 bits
    # consecutive ids share no prefix (not a counter, not a timestamp)
    for seq in (dossiers, file_ids, job_ids, docs):
        assert max(len(_common_prefix(a, b)) for a, b in itertools.pairwise(seq)) <= 3
    for job_id in job_ids:
        wait_job(teacher, job_id)


def _common_prefix(a: str, b: str) -> str:
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return a[:n]
