"""Bookkeeping of ingest runs: when, what came in, what failed.

Like the rest of ``db`` these take the caller's ``session`` and never commit:
the flow decides what is one transaction (a run's start, each failure, its end).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import update
from sqlalchemy.orm import Session

from db import models as m
from db.models import utcnow


def start_run(session: Session, trigger: str = "cli") -> int:
    """A new run row; its id (flushed, so it is known before the caller commits)."""
    run = m.IngestRun(trigger=trigger)
    session.add(run)
    session.flush()
    return run.id


def record_failure(session: Session, run_id: int | None, source: str, reason: str) -> None:
    session.add(m.IngestFailure(run_id=run_id, source=source, reason=reason))


def finish_run(session: Session, run_id: int, outcomes: Sequence[Any]) -> None:
    """``outcomes`` are objects with a ``status`` attribute (added, replaced, unchanged, failed)."""
    counts = {k: sum(1 for o in outcomes if o.status == k)
              for k in ("added", "replaced", "unchanged", "failed")}
    counts["unchanged"] += sum(1 for o in outcomes if o.status == "not_modified")
    session.execute(
        update(m.IngestRun).where(m.IngestRun.id == run_id)
        .values(finished=utcnow(), seen=len(outcomes), **counts)
    )
