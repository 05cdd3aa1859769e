"""What is stored already, so scheduled runs only process new or changed sources.

Every function takes a ``session`` like the rest of ``db`` and never commits.
``save_document_once`` is the one writer here: it runs ``save_document``
under a savepoint in the caller's transaction, so that a concurrent insert of
the same bytes, which surfaces as ``IntegrityError`` on the unique
``sha256``, is reported as "unchanged" instead of failing the loser of the
race (and the caller's transaction stays usable).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from db import models as m
from db.store import StoreResult, find_by_sha, save_document
from extractors.types import ExtractedDocument

logger = logging.getLogger(__name__)

# SQLite allows 32 766 bound parameters; PostgreSQL far more.  Stay well below.
_CHUNK = 500


@dataclass(frozen=True, slots=True)
class Validators:
    """HTTP validators of the stored version of a URL, sent back as a conditional GET."""

    etag: str | None = None
    last_modified: str | None = None

    def as_tuple(self) -> tuple[str | None, str | None]:
        return (self.etag, self.last_modified)


class ConcurrentInsertLost(Exception):
    """Another writer stored the same bytes first, yet its row cannot be found."""


def url_validators(session: Session, url: str) -> Validators:
    """ETag / Last-Modified of the newest stored document for ``url`` (empty if none)."""
    row = session.execute(
        select(m.Document.etag, m.Document.last_modified)
        .where(m.Document.source == url)
        .order_by(m.Document.id.desc())
        .limit(1)
    ).first()
    return Validators(*row) if row else Validators()


def known_sha256s(session: Session, digests: Iterable[str]) -> set[str]:
    """The subset of ``digests`` already stored: one query per 500, not one per document."""
    wanted = sorted(set(digests))
    found: set[str] = set()
    for i in range(0, len(wanted), _CHUNK):
        chunk = wanted[i:i + _CHUNK]
        found.update(session.scalars(select(m.Document.sha256).where(m.Document.sha256.in_(chunk))))
    return found


def save_document_once(session: Session, doc: ExtractedDocument, *, etag: str | None = None,
                       last_modified: str | None = None, reextract: bool = False) -> StoreResult:
    """``save_document`` under a savepoint; losing a same-bytes race means "unchanged".

    On PostgreSQL two runs can both see a sha as new and both insert it: the
    second blocks on the unique index and fails when the first commits.  Its
    rows are rolled back to the savepoint (nothing half-written), and the row
    the winner stored is returned instead: under READ COMMITTED the next
    statement of the same transaction sees the winner's commit.
    """
    try:
        with session.begin_nested():
            return save_document(session, doc, etag=etag, last_modified=last_modified,
                                 reextract=reextract)
    except IntegrityError:
        winner = find_by_sha(session, doc.sha256)
        if winner is None:
            raise ConcurrentInsertLost(
                f"[D001] insert of sha256 {doc.sha256[:12]} conflicted but no row has it "
                f"(source={doc.source})"
            ) from None
        logger.info("concurrent writer stored %s first; reporting unchanged", doc.source)
        return StoreResult(winner, "unchanged")
