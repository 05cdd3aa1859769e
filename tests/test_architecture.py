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
