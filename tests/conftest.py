"""Shared fixtures: paths to ../shared, database URLs for SQLite and PostgreSQL."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "fixtures" / "seeds"
PDFS = SHARED / "fixtures" / "pdf"
SUITES = SHARED / "suites"


def _one(pattern: str) -> Path:
    found = sorted(SEEDS.glob(pattern))
    if not found:
        pytest.skip(f"../shared fixture {pattern} not found next to the checkout")
    return found[0]


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not SHARED.is_dir():
        pytest.skip("../shared is not beside the checkout")
    return SHARED


@pytest.fixture(scope="session")
def seed_blog_path() -> Path:
    """Seed 000: a Chinese blog post in Markdown with YAML front matter."""
    return _one("000_*.txt")


@pytest.fixture(scope="session")
def seed_paper_path() -> Path:
    """Seed 004: the text layer of a Chinese journal article."""
    return _one("004_*.txt")


@pytest.fixture(scope="session")
def seed_blog(seed_blog_path: Path) -> str:
    return seed_blog_path.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def seed_paper(seed_paper_path: Path) -> str:
    return seed_paper_path.read_text(encoding="utf-8")
