"""The product runs from an installed package, not only from an editable checkout.

- The wheel holds every file of the source packages: the DOCX templates and example data of every kind,
  the requirement profiles, the UI's locales, templates and static files, the migrations, the reference
  lists, and the demo's material (``samples``).
- No product module imports ``samples`` except ``service/cli/demo.py`` (``attest demo``), and none puts a
  folder on ``sys.path`` to find it.

The wheel is built offline from a copy of the sources (so no ``build/`` folder is left in the checkout),
with the setuptools of the running environment (``.[test]`` installs one that builds wheels).
"""

from __future__ import annotations

import ast
import importlib.metadata
import importlib.util
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from service.generation.schemas import SCHEMAS

REPO = Path(__file__).resolve().parent.parent
PACKAGES = ("service", "verification", "samples")
PRODUCT = ("service", "verification")
DEMO = Path("service/cli/demo.py")


def _source_files() -> set[str]:
    return {
        p.relative_to(REPO).as_posix()
        for top in PACKAGES
        for p in (REPO / top).rglob("*")
        if p.is_file() and "__pycache__" not in p.parts and p.suffix not in (".pyc", ".pyo")
    }


def _can_build_wheels() -> bool:
    if importlib.util.find_spec("wheel") is not None:
        return True
    try:
        major, minor = (int(x) for x in importlib.metadata.version("setuptools").split(".")[:2])
    except (importlib.metadata.PackageNotFoundError, ValueError):
        return False
    return (major, minor) >= (70, 1)  # bdist_wheel is part of setuptools from 70.1 on


@pytest.fixture(scope="module")
def wheel_names(tmp_path_factory: pytest.TempPathFactory) -> set[str]:
    if not _can_build_wheels():
        pytest.skip("this environment's setuptools cannot build a wheel offline (pip install -e '.[test]')")
    src = tmp_path_factory.mktemp("src")
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(REPO / name, src / name)
    for top in PACKAGES:
        shutil.copytree(REPO / top, src / top, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    out = tmp_path_factory.mktemp("wheel")
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index", "-q",
         "-w", str(out), str(src)],
        check=False, capture_output=True, text=True, timeout=300,
    )
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-3000:]
    (wheel,) = out.glob("attest-*.whl")
    with zipfile.ZipFile(wheel) as zf:
        return set(zf.namelist())


def test_the_wheel_holds_every_file_of_the_packages(wheel_names: set[str]) -> None:
    missing = sorted(_source_files() - wheel_names)
    assert not missing, f"not in the wheel (declare them in pyproject.toml's package-data): {missing}"


def test_the_wheel_holds_the_data_the_product_reads(wheel_names: set[str]) -> None:
    for kind in SCHEMAS:
        for lang in ("ru", "kk"):
            assert f"service/generation/templates/{kind}.{lang}.docx" in wheel_names
            assert f"service/generation/examples/{kind}.{lang}.json" in wheel_names
    profiles = {n for n in wheel_names if n.startswith("service/attestation/profiles/") and n.endswith(".yaml")}
    assert "service/attestation/profiles/kz-researcher.yaml" in profiles and len(profiles) >= 8
    for name in (
        "service/web/locales/catalog.yaml",
        "service/web/static/app.css",
        "service/web/static/app.js",
        "service/web/templates/base.html",
        "service/web/templates/secretary/document.html",
        "service/migrations/env.py",
        "service/migrations/script.py.mako",
        "service/migrations/versions/0001_registry.py",
        "verification/reference/places.txt",
        "samples/__init__.py",
        "samples/pki.py",
        "samples/data/participants.csv",
        "samples/dossier/kz-researcher.manifest.yaml",
        "samples/dossier/specimens.py",
    ):
        assert name in wheel_names, name
    assert not any(n.startswith(("templates/", "tests/", "bench/")) for n in wheel_names)


def _imports(tree: ast.AST) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
        elif isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", "")) in (
            "import_module", "__import__"
        ) and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str):
            names.add(node.args[0].value)
    return names


def _touches_sys_path(tree: ast.AST) -> bool:
    return any(
        isinstance(node, ast.Attribute) and node.attr == "path" and isinstance(node.value, ast.Name)
        and node.value.id == "sys"
        for node in ast.walk(tree)
    )


def test_no_product_module_but_the_demo_imports_samples() -> None:
    offenders = []
    for top in PRODUCT:
        for path in sorted((REPO / top).rglob("*.py")):
            rel = path.relative_to(REPO)
            tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(rel))
            if _touches_sys_path(tree):
                offenders.append(f"{rel}: changes sys.path")
            if rel == DEMO:
                continue
            bad = sorted(n for n in _imports(tree) if n == "samples" or n.startswith("samples."))
            if bad:
                offenders.append(f"{rel}: imports {', '.join(bad)}")
    assert not offenders, offenders
    assert any(n.startswith("samples") for n in _imports(ast.parse((REPO / DEMO).read_text(encoding="utf-8"))))
