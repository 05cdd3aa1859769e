"""One ``ast.parse`` at a time in this process (a CPython 3.11/3.12 thread-safety workaround).

CPython before 3.13 keeps the AST constructor's recursion counter in
per-interpreter state but seeds it from the calling thread's C stack depth, so
two threads building Python AST objects at once (``ast.parse``,
``ast.literal_eval``: our migration-graph reader, library config parsers) can
interleave and fail with "SystemError: AST constructor recursion depth
mismatch (before=99, after=77)" (python/cpython#106905 and its follow-ups).
ClaimLedger's ingest runs Prefect tasks on a thread pool; the error was seen
twice in a day of test runs, each time failing a whole ingest.

:func:`install` wraps the module attribute ``ast.parse`` with a process-wide
lock; ``ast.literal_eval`` looks ``parse`` up in the ``ast`` module at call time,
so it is covered too.  Parsing is rare and fast here (a few small files), so
the lock costs nothing measurable.  Installed once by the CLI before any
thread starts; a no-op on CPython 3.13+, where the counter is per call.
"""

from __future__ import annotations

import ast
import functools
import sys
import threading

_LOCK = threading.RLock()


def install() -> bool:
    """Serialize ``ast.parse`` process-wide; True when the wrapper is (now or already) in place."""
    if sys.version_info >= (3, 13):
        return False
    if getattr(ast.parse, "__claimledger_serialized__", False):
        return True
    original = ast.parse

    @functools.wraps(original)
    def parse(*args, **kwargs):  # type: ignore[no-untyped-def]
        with _LOCK:
            return original(*args, **kwargs)

    parse.__claimledger_serialized__ = True  # type: ignore[attr-defined]
    ast.parse = parse  # type: ignore[assignment]
    return True
