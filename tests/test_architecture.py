"""Dependency direction: flows -> {extractors, db, reports}; db, reports -> extractors only; extractors -> nothing of ours."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("extractors", "db", "flows", "reports")
ALLOWED = {
    "extractors": {"extractors"},
    "db": {"db", "extractors"},
    "reports": {"reports", "extractors"},
    "flows": {"flows", "extractors", "db", "reports"},
}


def _our_imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        found |= {n.split(".")[0] for n in names if n.split(".")[0] in PACKAGES}
    return found


@pytest.mark.parametrize("package", PACKAGES)
def test_architecture_dependency_direction(package: str) -> None:
    offenders = {
        str(path.relative_to(ROOT)): sorted(_our_imports(path) - ALLOWED[package])
        for path in (ROOT / package).rglob("*.py")
        if _our_imports(path) - ALLOWED[package]
    }
    assert offenders == {}


def test_architecture_reports_use_db_only_through_queries() -> None:
    """Reports render view-models handed over by flows; they never touch ORM models or sessions."""
    for path in (ROOT / "reports").rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        assert "db.models" not in source, path
        assert "session_scope" not in source, path


def test_architecture_only_flows_and_db_open_sessions() -> None:
    for package in ("extractors", "reports"):
        for path in (ROOT / package).rglob("*.py"):
            source = path.read_text(encoding="utf-8")
            assert "create_engine" not in source and "Session(" not in source, path


# Stages inside extractors/: the base modules at the bottom, then text, then the
# four extraction stages side by side, and document.py composing all of them.
BASE = {"lexicon", "types", "errors", "records", "textmap", "data"}
STAGE_ALLOWED = {
    "base": BASE,
    "text": BASE | {"text"},
    "load": BASE | {"text", "load"},
    "notes": BASE | {"text", "notes"},
    "numbers": BASE | {"text", "numbers"},
    "claims": BASE | {"text", "claims"},
    "document": BASE | {"text", "load", "notes", "numbers", "claims"},
}


def _stage_of(module: str) -> str:
    """``extractors.numbers.scan`` -> ``numbers``; a base module -> ``base``; ``extractors.document`` -> ``document``."""
    part = module.split(".")[1] if "." in module else ""
    if part == "document":
        return "document"
    return "base" if part in BASE or not part else part


def _extractor_imports(path: Path) -> set[str]:
    """The extractors sub-units a module imports (``extractors.text.nlp`` -> ``text``), lazy imports included."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module and node.module.startswith("extractors"):
            parts = node.module.split(".")
            if len(parts) >= 2:
                found.add(parts[1])
            else:
                found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.Import):
            found |= {a.name.split(".")[1] for a in node.names if a.name.startswith("extractors.")}
    return found


@pytest.mark.parametrize("path", sorted((ROOT / "extractors").rglob("*.py")), ids=lambda p: str(p.relative_to(ROOT)))
def test_architecture_extractor_stages_import_downwards(path: Path) -> None:
    rel = path.relative_to(ROOT / "extractors")
    unit = rel.parts[0] if len(rel.parts) > 1 else rel.stem
    stage = unit if unit in STAGE_ALLOWED else "base"
    assert _extractor_imports(path) - STAGE_ALLOWED[stage] == set()


def test_architecture_extractors_have_no_import_cycle() -> None:
    """No module imports (even lazily) a module that imports it back, directly or through others."""
    graph: dict[str, set[str]] = {}
    for path in (ROOT / "extractors").rglob("*.py"):
        name = ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        tree = ast.parse(path.read_text(encoding="utf-8"))
        deps: set[str] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module and node.module.startswith("extractors"):
                deps.add(node.module)
                deps |= {f"{node.module}.{a.name}" for a in node.names}
        graph[name] = deps
    graph = {n: {d for d in deps if d in graph and d != n} for n, deps in graph.items()}
    state: dict[str, int] = {}

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for dep in graph[node]:
            if state.get(dep) == 1:
                pytest.fail("import cycle: " + " -> ".join(trail + [node, dep]))
            if dep not in state:
                visit(dep, trail + [node])
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node, [])
