"""The migration graph read from ``db/migrations/versions`` without importing Alembic.

Readers (``sql``, ``search``, ``report``) only need to know whether a
database's revision is this code's head, is an older one, or is unknown (a
newer claimledger migrated it).  Importing Alembic for that costs 0.2-0.3 s
on every read-only command; reading the ``revision``/``down_revision``
assignments of the few version files with :mod:`ast` costs about a
millisecond.  Alembic stays the only thing that migrates, and
tests/test_migrations.py pins this graph to the one Alembic builds.
"""

from __future__ import annotations

import ast
from functools import lru_cache
from pathlib import Path

VERSIONS = Path(__file__).resolve().parent / "migrations" / "versions"


class MigrationGraphError(RuntimeError):
    """The version files do not form one chain with one head."""


@lru_cache(maxsize=1)
def revision_graph() -> dict[str, tuple[str, ...]]:
    """Every revision with the revisions it follows (``down_revision``)."""
    graph: dict[str, tuple[str, ...]] = {}
    for path in sorted(VERSIONS.glob("*.py")):
        values = _assignments(path)
        if "revision" not in values:
            continue
        down = values.get("down_revision")
        graph[str(values["revision"])] = tuple(down) if isinstance(down, (tuple, list)) else \
            (() if down is None else (str(down),))
    return graph


def _assignments(path: Path) -> dict[str, object]:
    """Module-level ``revision = ...`` / ``down_revision = ...`` literals (annotated or not)."""
    found: dict[str, object] = {}
    for node in ast.parse(path.read_text(encoding="utf-8"), str(path)).body:
        target, value = None, None
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target, value = node.targets[0], node.value
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            target, value = node.target, node.value
        if isinstance(target, ast.Name) and target.id in ("revision", "down_revision"):
            found[target.id] = ast.literal_eval(value)
    return found


def head() -> str:
    """The one revision nothing follows."""
    graph = revision_graph()
    followed = {down for downs in graph.values() for down in downs}
    heads = sorted(set(graph) - followed)
    if len(heads) != 1:
        raise MigrationGraphError(f"expected one head in {VERSIONS}, found {heads or 'none'}")
    return heads[0]


def is_known(revision: str) -> bool:
    return revision in revision_graph()
