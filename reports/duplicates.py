"""Documents that repeat another document's claims: the same paper twice, in two formats or versions.

A desk ingests a journal article as a PDF and, weeks later, as the text some
tool pulled out of it; a blog republishes a think-tank brief.  Every claim of
the copy then counts twice: uncited claims, conflicts and citation usage are
no longer independent evidence.  This check says so once per pair.

Claims are compared by their text folded to NFKC without white space, markers
and case, so a full-width text layer and its PDF rendition match.  Pairs are
found through an index of claim texts (linear in the number of claims, not
quadratic in documents); a claim text shared by very many documents (a
boilerplate line) is no evidence that two of them are copies and is skipped.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from itertools import combinations
from typing import TYPE_CHECKING

from extractors.lexicon import FOOTNOTE_MARKER_CLASS
from reports.findings import Finding, span_of

if TYPE_CHECKING:
    from extractors.records import ClaimRow, Corpus

#: A pair is reported when this many claims are shared ...
MIN_SHARED = 5
#: ... and they make up at least this share of the smaller document's claims.
MIN_CONTAINMENT = 0.6
#: A claim text found in more documents than this is boilerplate, not evidence of copying.
MAX_DOCS_PER_CLAIM = 20

_NOISE = re.compile(rf"[\s{FOOTNOTE_MARKER_CLASS}\[\]^]+")


def claim_key(text: str) -> str:
    """The claim text as compared: NFKC, lower case, without spaces and footnote markers."""
    # Markers go before NFKC, which would turn ① and ¹ into the digit 1.
    return _NOISE.sub("", unicodedata.normalize("NFKC", _NOISE.sub("", text))).lower()


def check_duplicate_documents(corpus: Corpus) -> list[Finding]:
    """One info finding on the later document of each pair that shares most of its claims."""
    docs = {d.id: d for d in corpus.documents}
    by_doc: dict[int, dict[str, ClaimRow]] = defaultdict(dict)
    holders: dict[str, set[int]] = defaultdict(set)
    for claim in corpus.claims:
        key = claim_key(claim.text)
        if len(key) < 8:  # too short to tell copying from coincidence
            continue
        by_doc[claim.document_id].setdefault(key, claim)
        holders[key].add(claim.document_id)
    shared: dict[tuple[int, int], list[str]] = defaultdict(list)
    for key, ids in holders.items():
        if 1 < len(ids) <= MAX_DOCS_PER_CLAIM:
            for pair in combinations(sorted(ids), 2):
                shared[pair].append(key)
    out: list[Finding] = []
    for (first, later), keys in sorted(shared.items()):
        smaller = min(len(by_doc[first]), len(by_doc[later]))
        if len(keys) < MIN_SHARED or len(keys) < MIN_CONTAINMENT * smaller:
            continue
        a, b = by_doc[later][keys[0]], by_doc[first][keys[0]]
        original = docs[first]
        out.append(Finding(
            "corpus.duplicate_document", "info",
            f"This document repeats {len(keys)} of its {len(by_doc[later])} claims from document "
            f"{first} ({original.title or original.source}); it is likely the same text in another "
            "format or version, so findings and citations across the two are not independent.",
            later,
            (span_of(docs[later].text, later, a.page, a.start, a.end),
             span_of(original.text, first, b.page, b.start, b.end)),
            claim_id=a.id,
        ))
    return out
