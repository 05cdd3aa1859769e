"""Full-text search over claims and sentences that works for Chinese.

Why not the obvious choices (tests/test_fts.py pins each trap):

- FTS5's default ``unicode61`` tokenizer treats a whole run of Han characters
  as one token, so ``算力`` finds nothing inside ``需要算力和模型``.
- The ``trigram`` tokenizer needs 3+ characters: ``MATCH '算力'`` finds
  nothing, and (SQLite 3.40) ``LIKE '%算力%'`` on a trigram table silently
  returns 0 rows.
- A word segmenter (jieba) on both sides misses whenever the query is cut
  differently from the document (``算力`` inside ``计算力``).

So the index is built from letters and digits only (NFKC, lower case; spaces
and punctuation dropped, as a PDF text layer drops them anyway).  On SQLite
``body`` holds them as single-character tokens under ``unicode61`` and every
query term becomes a phrase of consecutive tokens; on PostgreSQL ``body``
holds them run together and every term is a ``LIKE`` substring (whatever
index pg_trgm provides).  Both give the same answer: a row matches when every
term is a substring of its text, for Chinese of any length and for English
words whose spaces were lost (``emergenceofDeepSeek``).

``search_index`` is keyed by ``document_id``: ``index_document`` deletes the
document's old rows (and rows of documents that no longer exist, which is
what a replaced document leaves behind on SQLite) before inserting.
"""

from __future__ import annotations

import logging
import re
import unicodedata

from sqlalchemy import text
from sqlalchemy.orm import Session

from db.sql import InvalidSql, QueryResult, ReadOnlyConnection, run_query

logger = logging.getLogger(__name__)

_SPACES = re.compile(r"\s+")
_TOKEN_CHAR = re.compile(r"[^\W_]")

SEARCH_COLUMNS = ["kind", "id", "document_id", "document_title", "document_source",
                  "page", "start", "end", "text"]


class EmptySearch(InvalidSql):
    """The search query has no letters, digits or CJK characters"""


def normalize(value: str) -> str:
    """What both the index and the query see: NFKC (full-width to ASCII), lower case."""
    return _SPACES.sub(" ", unicodedata.normalize("NFKC", value).lower()).strip()


def compact(value: str) -> str:
    """The letters and digits of ``value``, normalized and run together."""
    return "".join(_TOKEN_CHAR.findall(unicodedata.normalize("NFKC", value).lower()))


def segment(value: str) -> str:
    """Normalized text as single-character tokens: ``DeepSeek算力`` -> ``d e e p s e e k 算 力``.

    Every letter and digit stands alone, so a phrase of them matches any
    substring, also inside words whose spaces a PDF text layer lost.
    """
    return " ".join(compact(value))


def query_terms(query: str) -> list[str]:
    """Whitespace-separated terms that contain something searchable."""
    terms = [t for t in normalize(query).split(" ") if _TOKEN_CHAR.search(t)]
    if not terms:
        raise EmptySearch(repr(query))
    return terms


def fts5_query(query: str) -> str:
    """``算力 R1`` -> ``"算 力" AND "r 1"``: every term must occur as a substring."""
    return " AND ".join(f'"{segment(term)}"' for term in query_terms(query))


def like_pattern(term: str) -> str:
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


# --------------------------------------------------------------------------- writing


_ROWS = {
    "claim": 'SELECT id, text FROM claims WHERE document_id = :document_id',
    "sentence": 'SELECT id, text FROM sentences WHERE document_id = :document_id',
}


def forget_document(session: Session, document_id: int) -> None:
    """Drop a document's index rows (FTS5 tables have no foreign-key cascade)."""
    session.execute(text("DELETE FROM search_index WHERE document_id = :document_id"),
                    {"document_id": document_id})


def index_document(session: Session, document_id: int, *, sweep_orphans: bool = False) -> None:
    """(Re)index one document's claims and sentences; the caller commits.

    ``sweep_orphans`` also deletes rows of documents that no longer exist (an
    FTS5 table has no cascade, and the delete trigger on documents is lost if
    a batch migration rebuilds that table).  It scans the whole index, so the
    store leaves it off and calls :func:`forget_document` for what it replaces.
    """
    sqlite = session.get_bind().dialect.name == "sqlite"
    orphans = " OR document_id NOT IN (SELECT id FROM documents)" if sqlite and sweep_orphans else ""
    session.execute(
        text(f"DELETE FROM search_index WHERE document_id = :document_id{orphans}"),
        {"document_id": document_id},
    )
    prepare = segment if sqlite else compact
    rows = [
        {"document_id": document_id, "kind": kind, "ref_id": ref_id, "body": prepare(body)}
        for kind, select_sql in _ROWS.items()
        for ref_id, body in session.execute(text(select_sql), {"document_id": document_id})
    ]
    if rows:
        session.execute(
            text("INSERT INTO search_index (document_id, kind, ref_id, body) "
                 "VALUES (:document_id, :kind, :ref_id, :body)"),
            rows,
        )
    logger.debug("indexed %d rows for document %s", len(rows), document_id)


def reindex_all(session: Session) -> int:
    """Index every stored document (used by the migration that creates the index)."""
    ids = list(session.execute(text("SELECT id FROM documents ORDER BY id")).scalars())
    for document_id in ids:
        index_document(session, document_id)
    return len(ids)


# --------------------------------------------------------------------------- reading

_HITS = """
SELECT h.kind, x.id, x.document_id, d.title AS document_title, d.source AS document_source,
       x.page, x.start, x."end", x.text, h.score
FROM hits h
JOIN {table} x ON x.id = h.ref_id
JOIN documents d ON d.id = x.document_id
WHERE h.kind = '{kind}'
"""


def _search_sql(hits: str) -> str:
    union = " UNION ALL ".join(_HITS.format(table=t, kind=k)
                               for k, t in (("claim", "claims"), ("sentence", "sentences")))
    columns = ", ".join(f'"{c}"' for c in SEARCH_COLUMNS)
    return (f"WITH hits AS ({hits}) SELECT {columns} FROM ({union}) AS found "
            f'ORDER BY score, document_id, start, kind LIMIT :limit')


def search(conn: ReadOnlyConnection, query: str, *, limit: int = 50,
           time_limit_ms: int = 5000) -> QueryResult:
    """Claims and sentences containing every term of ``query``, best first.

    Runs as user SQL on the read-only connection of :func:`db.sql.connect_readonly`.
    """
    if conn.dialect == "sqlite":
        hits = ("SELECT kind, ref_id, bm25(search_index) AS score FROM search_index "
                "WHERE search_index MATCH :match")
        params: dict[str, object] = {"match": fts5_query(query)}
    else:
        terms = query_terms(query)
        where = " AND ".join(f"body LIKE :t{i} ESCAPE '\\'" for i in range(len(terms)))
        hits = f"SELECT kind, ref_id, 0 AS score FROM search_index WHERE {where}"
        params = {f"t{i}": like_pattern(compact(t)) for i, t in enumerate(terms)}
    params["limit"] = limit + 1
    return run_query(conn, _search_sql(hits), params, max_rows=limit, time_limit_ms=time_limit_ms)
