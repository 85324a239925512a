"""The house's rules, read from the code's own imports (every ``import``, at module level or inside a
function): layers depend downward only, no import circle, the library imports no service, the
engines know no database, ``jobs/`` is plumbing, and only ``attest demo`` uses the test material.

Layers of ``service/``, from the ground up (``docs/service.md``, "Layout"):

    verification/                         the library
    db settings errors paths storage signing pii fonts http_security     infrastructure
    generation attestation                 engines (no database, no domain)
    jobs                                   plumbing (no domain, no engine)
    accounts audit reference registry uploads      domains
    deps                                   the access rule (FastAPI dependencies of every endpoint)
    documents dossier                      domains that build on the others (each owns endpoints, tasks)
    tasks models seed api web cli app webserver __main__ migrations   the top
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent

INFRASTRUCTURE = {"db", "settings", "errors", "paths", "storage", "signing", "pii", "fonts", "http_security"}
ENGINES = {"generation", "attestation"}
PLUMBING = {"jobs"}
DOMAINS = {"accounts", "audit", "reference", "registry", "uploads", "deps"}  # deps: who may do what, for endpoints
UPPER_DOMAINS = {"documents", "dossier"}
TOP = {"tasks", "models", "seed", "api", "web", "cli", "app", "webserver", "__main__", "migrations",
       "__init__"}

LAYER = {name: n for n, names in enumerate((INFRASTRUCTURE, ENGINES, PLUMBING, DOMAINS, UPPER_DOMAINS, TOP))
         for name in names}
MAY_IMPORT = {
    "infrastructure": INFRASTRUCTURE,
    "engines": INFRASTRUCTURE | ENGINES,
    "plumbing": INFRASTRUCTURE | PLUMBING,
    "domains": INFRASTRUCTURE | ENGINES | PLUMBING | DOMAINS,
    "upper domains": INFRASTRUCTURE | ENGINES | PLUMBING | DOMAINS | UPPER_DOMAINS,
}
GROUP = {**{n: "infrastructure" for n in INFRASTRUCTURE}, **{n: "engines" for n in ENGINES},
         **{n: "plumbing" for n in PLUMBING}, **{n: "domains" for n in DOMAINS},
         **{n: "upper domains" for n in UPPER_DOMAINS}}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(REPO).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _sources(*packages: str) -> dict[str, Path]:
    out = {}
    for package in packages:
        for path in sorted((REPO / package).rglob("*.py")):
            if "migrations" in path.parts and "versions" in path.parts:
                continue
            out[_module_name(path)] = path
    return out


def _imports(path: Path, module: str) -> set[str]:
    """Every module this file imports, anywhere in it (absolute names; relative imports resolved)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            modules = {f"{base}.{a.name}" for a in node.names} & set(SOURCES)  # `from pkg import module`
            names.update(modules or {base})
    return names


SOURCES: dict[str, Path] = {}
SOURCES.update(_sources("service", "verification", "samples"))
GRAPH: dict[str, set[str]] = {
    module: {name for name in _imports(path, module) if name in SOURCES and name != module}
    for module, path in SOURCES.items()
}


def _room(module: str) -> str | None:
    """The service folder or top-level module a module belongs to (``service.dossier.tasks`` → dossier)."""
    parts = module.split(".")
    if parts[0] != "service":
        return None
    return parts[1] if len(parts) > 1 else "__init__"


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one member (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = [0]

    def visit(v: str) -> None:
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_every_rule_reads_a_known_room() -> None:
    rooms = {_room(m) for m in SOURCES if _room(m)}
    assert rooms - set(LAYER) == set(), "a new folder of service/ needs its layer in this test and in the docs"


def test_no_import_circle_between_modules() -> None:
    assert _cycles(GRAPH) == []


def test_no_import_circle_between_service_folders() -> None:
    folders: dict[str, set[str]] = defaultdict(set)
    for module, targets in GRAPH.items():
        a = _room(module)
        for target in targets:
            b = _room(target)
            if a and b and a != b:
                folders[a].add(b)
    assert _cycles(folders) == []


def test_layers_depend_downward_only() -> None:
    upward = []
    for module, targets in GRAPH.items():
        room = _room(module)
        if room is None or room not in GROUP:
            continue
        allowed = MAY_IMPORT[GROUP[room]]
        for target in sorted(targets):
            other = _room(target)
            if other is not None and other != room and other not in allowed:
                upward.append(f"{module} -> {target} ({GROUP[room]} may not import {GROUP.get(other, 'the top')})")
    assert upward == []


@pytest.mark.parametrize("package", ["verification"])
def test_the_library_imports_no_service_and_no_samples(package: str) -> None:
    bad = sorted(f"{m} -> {t}" for m, ts in GRAPH.items() if m.startswith(package + ".") or m == package
                 for t in ts if t.split(".")[0] in ("service", "samples"))
    assert bad == []


def test_the_library_uses_no_web_database_or_queue() -> None:
    forbidden = ("fastapi", "starlette", "sqlalchemy", "celery", "redis", "alembic")
    bad = sorted(f"{m} -> {n}" for m, p in SOURCES.items() if m.split(".")[0] == "verification"
                 for n in _imports(p, m) if n.split(".")[0] in forbidden)
    assert bad == []


def test_engines_know_no_database() -> None:
    bad = sorted(f"{m} -> {n}" for m, p in SOURCES.items() if _room(m) in ENGINES
                 for n in _imports(p, m) if n.split(".")[0] in ("sqlalchemy", "alembic") or n == "service.db"
                 or n.startswith("service.db."))
    assert bad == []


def test_jobs_import_no_domain_and_no_engine() -> None:
    bad = sorted(f"{m} -> {t}" for m, ts in GRAPH.items() if _room(m) == "jobs"
                 for t in ts if _room(t) not in (None, "jobs") and _room(t) not in INFRASTRUCTURE)
    assert bad == []


def test_only_the_demo_command_imports_samples() -> None:
    bad = sorted(m for m, ts in GRAPH.items() if m.split(".")[0] == "service" and m != "service.cli.demo"
                 and any(t.split(".")[0] == "samples" for t in ts))
    assert bad == []


def test_samples_use_only_public_names_of_the_product() -> None:
    private = []
    for module, path in SOURCES.items():
        if module.split(".")[0] != "samples":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            ours = isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] in ("service", "verification")
            if ours:
                private += [f"{module}: {node.module}.{a.name}" for a in node.names if a.name.startswith("_")]
    assert private == []


def test_no_import_error_hedge_around_our_own_modules() -> None:
    hedges = []
    for module, path in SOURCES.items():
        if module.split(".")[0] not in ("service", "verification"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Try):
                continue
            catches = {ast.unparse(h.type) for h in node.handlers if h.type is not None}
            if not catches & {"ImportError", "ModuleNotFoundError"}:
                continue
            inner = {n for stmt in node.body for n in _imports_in(stmt)}
            ours = sorted(n for n in inner if n.split(".")[0] in ("service", "verification", "samples"))
            if ours:
                hedges.append(f"{module}:{node.lineno} {ours}")
    assert hedges == []


def _imports_in(node: ast.AST) -> set[str]:
    names: set[str] = set()
    for sub in ast.walk(node):
        if isinstance(sub, ast.Import):
            names.update(a.name for a in sub.names)
        elif isinstance(sub, ast.ImportFrom):
            names.add(sub.module or "")
        elif (isinstance(sub, ast.Call) and ast.unparse(sub.func).endswith("import_module") and sub.args
              and isinstance(sub.args[0], ast.Constant) and isinstance(sub.args[0].value, str)):
            names.add(sub.args[0].value)
    return names
