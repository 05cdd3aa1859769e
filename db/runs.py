"""Bookkeeping of ingest runs: when, what came in, what failed."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Engine, update

from db import models as m
from db.models import utcnow
from db.session import session_scope


def start_run(engine: Engine, trigger: str = "cli") -> int:
    with session_scope(engine) as session:
        run = m.IngestRun(trigger=trigger)
        session.add(run)
        session.flush()
        return run.id


def record_failure(engine: Engine, run_id: int | None, source: str, reason: str) -> None:
    with session_scope(engine) as session:
        session.add(m.IngestFailure(run_id=run_id, source=source, reason=reason))


def finish_run(engine: Engine, run_id: int, outcomes: Sequence[Any]) -> None:
    """``outcomes`` are objects with a ``status`` attribute (added, replaced, unchanged, failed)."""
    counts = {k: sum(1 for o in outcomes if o.status == k)
              for k in ("added", "replaced", "unchanged", "failed")}
    counts["unchanged"] += sum(1 for o in outcomes if o.status == "not_modified")
    with session_scope(engine) as session:
        session.execute(
            update(m.IngestRun).where(m.IngestRun.id == run_id)
            .values(finished=utcnow(), seen=len(outcomes), **counts)
        )
