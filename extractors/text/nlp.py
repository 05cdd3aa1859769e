"""The one place that imports spaCy and HanLP and loads their pipelines and models.

Everything is lazy (importing :mod:`extractors` stays cheap) and cached per
process, because building a pipeline costs seconds and a model much more.
Callers get spaCy/HanLP objects from here but must convert their results to
our dataclasses before returning them out of :mod:`extractors`.

The default run (rule-based entities, no model configured) never imports
PyTorch, which alone costs ~2 s and ~200 MB per process (every CLI call, Dask
worker and scheduled run).  Two libraries would pull it in for nothing:

* ``import hanlp`` imports torch, and we only want its rule-based sentence
  splitter, ``hanlp/utils/rules.py`` (which imports nothing but ``re``): it
  is loaded from its file location without running the package's
  ``__init__`` (:func:`_hanlp_rules`);
* spaCy imports thinc, which imports torch whenever it is installed, only to
  offer PyTorch layers; blank pipelines, the sentencizer and the entity
  ruler never use them, so spaCy is imported with torch hidden
  (:func:`_import_spacy`).

A configured HanLP model (:func:`hanlp_model`) imports ``hanlp`` and torch as
usual; a trained spaCy pipeline loaded before spaCy was first imported gets
thinc with torch as well.
"""

from __future__ import annotations

import gc
import hashlib
import importlib.util
import io
import json
import logging
import os
import re
import sys
import tempfile
import threading
from array import array
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache, wraps
from pathlib import Path
from types import ModuleType
from typing import Any, TypeVar

from extractors.errors import ExtractionError

logger = logging.getLogger(__name__)

#: spaCy config for a blank Chinese pipeline that segments words with jieba
#: (spaCy's default "char" segmenter makes every character a token).
ZH_JIEBA_CONFIG = {"nlp": {"tokenizer": {"segmenter": "jieba"}}}


class ModelLoadError(ExtractionError):
    """A spaCy pipeline or HanLP model could not be loaded from the given name or path."""

    code = "N001"


# Held while anything here is built or imported.  Ingest extracts two documents at once: without
# it both threads of the first two documents build their own jieba dictionary and pipelines
# (measured: 358 MB instead of 296 MB peak); and a thread loading a HanLP model must never see
# the torch another thread's spaCy import hides (see _import_spacy).
_BUILD_LOCK = threading.RLock()

_F = TypeVar("_F", bound=Callable[..., Any])


def _built_once(maxsize: int) -> Callable[[_F], _F]:
    """``lru_cache(maxsize)`` whose misses are built by one thread at a time (under :data:`_BUILD_LOCK`).

    ``lru_cache`` alone lets concurrent callers build the same value twice.
    """
    def decorate(fn: _F) -> _F:
        cached = lru_cache(maxsize=maxsize)(fn)

        @wraps(fn)
        def wrapper(*args: Any) -> Any:
            with _BUILD_LOCK:
                return cached(*args)

        wrapper.cache_info = cached.cache_info  # type: ignore[attr-defined]
        wrapper.cache_clear = cached.cache_clear  # type: ignore[attr-defined]
        return wrapper  # type: ignore[return-value]

    return decorate


def _import_spacy(*, allow_torch: bool = False) -> ModuleType:
    """``spacy``, imported (on first use) without letting thinc import PyTorch.

    thinc's ``compat`` module tries ``import torch`` to offer PyTorch layers;
    an entry of ``None`` in :data:`sys.modules` makes that import fail (the
    documented way to block an import), so thinc records ``has_torch =
    False``: 0.5 s and ~100 MB instead of 2.2 s and ~285 MB.  The entry is
    removed right after, so HanLP can still import torch later.  Nothing is
    hidden when torch is already imported or ``allow_torch`` is set (a
    trained pipeline may need PyTorch layers).  The cyclic garbage collector
    is paused for the import (0.41 -> 0.35 s CPU measured).
    """
    if "spacy" not in sys.modules:
        with _BUILD_LOCK:
            hide = not allow_torch and "torch" not in sys.modules and "spacy" not in sys.modules
            if hide:
                sys.modules["torch"] = None  # type: ignore[assignment]
            collecting = gc.isenabled()
            gc.disable()  # the import makes ~10^5 long-lived objects: collections on the way find no garbage
            try:
                import spacy  # noqa: F401 - the import is the point
            finally:
                if collecting:
                    gc.enable()
                if hide and sys.modules.get("torch", ...) is None:
                    del sys.modules["torch"]
    import spacy  # already imported: this waits for a thread still importing it

    return spacy


def torch_hidden_from_spacy() -> bool:
    """True when spaCy was imported here with torch hidden (its thinc has no PyTorch layers)."""
    compat = sys.modules.get("thinc.compat")
    return compat is not None and not compat.has_torch and importlib.util.find_spec("torch") is not None


@_built_once(maxsize=1)
def _hanlp_rules() -> ModuleType:
    """HanLP's ``hanlp/utils/rules.py``, loaded by file location without importing ``hanlp``.

    ``import hanlp`` (and so ``import hanlp.utils.rules``) runs the package's
    ``__init__``, which imports PyTorch; ``rules.py`` itself imports only
    ``re``.  Loaded under a private name, so a later ``import hanlp`` gets its
    own copy.
    """
    spec = importlib.util.find_spec("hanlp")  # finds the package without importing it
    locations = list(spec.submodule_search_locations or []) if spec else []
    for location in locations:
        rules = importlib.util.spec_from_file_location("_claimledger_hanlp_rules", f"{location}/utils/rules.py")
        if rules is None or rules.loader is None:
            continue
        try:
            module = importlib.util.module_from_spec(rules)
            rules.loader.exec_module(module)
        except OSError:
            continue
        if callable(getattr(module, "split_sentence", None)):
            return module
    raise ModelLoadError("HanLP's rule-based sentence splitter (hanlp/utils/rules.py) was not found; "
                         "is the hanlp package installed?")


@_built_once(maxsize=4)
def blank_pipeline(language: str) -> Any:
    """A blank spaCy pipeline: English gets a rule-based ``sentencizer``, Chinese a jieba tokenizer.

    No model is downloaded; the pipelines only hold tokenizers and rules.
    """
    if language == "zh":
        return _zh_jieba_pipeline(())
    nlp = _import_spacy().blank(language)
    nlp.add_pipe("sentencizer")
    return nlp


def _zh_jieba_pipeline(words: tuple[str, ...]) -> Any:
    """``spacy.blank("zh")`` segmenting with our private jieba tokenizer.

    Built with the cheap "char" segmenter and then switched to jieba, because
    building it with ``ZH_JIEBA_CONFIG`` makes spaCy initialise jieba's global
    dictionary too — a second ~1 s load on every run for nothing.
    """
    spacy = _import_spacy()
    from spacy.lang.zh import Segmenter

    nlp = spacy.blank("zh")
    nlp.tokenizer.jieba_seg = jieba_tokenizer(words)
    nlp.tokenizer.segmenter = Segmenter.jieba
    return nlp


class _WordTable(dict):  # type: ignore[type-arg]
    """A jieba word table (word or prefix -> frequency) = our added words over a shared base table.

    Holds only what ``add_word`` puts in (our words and their prefixes); every
    other lookup goes to ``base``, the plain tokenizer's table, which is
    shared instead of copied.  jieba reads its table only with ``in``,
    ``[]`` and ``get`` and writes with ``[]=``; reads answer as a copy with the
    words added would.
    """

    __slots__ = ("base",)

    def __init__(self, base: dict[str, int]) -> None:
        super().__init__()
        self.base = base

    def __missing__(self, key: str) -> int:
        return self.base[key]

    def __contains__(self, key: object) -> bool:
        return dict.__contains__(self, key) or key in self.base

    def get(self, key: str, default: Any = None) -> Any:  # type: ignore[override]
        value = dict.get(self, key)
        return self.base.get(key, default) if value is None else value


@_built_once(maxsize=4)  # the plain one (sentences, counts) and the gazetteer one (NER) live side by side
def jieba_tokenizer(words: tuple[str, ...]) -> Any:
    """A private jieba tokenizer that keeps every word in ``words`` as one token.

    Private so that adding gazetteer words never changes the global ``jieba``
    dictionary other code may rely on.  Its word table (``FREQ``) and
    ``total``, the two attributes ``initialize`` sets, come from
    :func:`_dictionary` (a compact, cached copy of jieba's own prefix
    dictionary: same words, prefixes and frequencies, so the same
    segmentation) instead of jieba's 0.5 s, ~65 MB load.  One with ``words``
    gets a :class:`_WordTable` over the plain one's table: no 15 MB copy.
    """
    import jieba

    jieba.setLogLevel(logging.WARNING)  # its dictionary-loading chatter is not for our users' terminals
    tok = jieba.Tokenizer()
    if words:
        plain = jieba_tokenizer(())
        tok.FREQ, tok.total = _WordTable(plain.FREQ), plain.total
    else:
        table = _dictionary()
        tok.FREQ, tok.total = table.freq, table.total
    tok.initialized = True
    for word in words:
        tok.add_word(word, freq=100_000)
    return tok


class _TrieFreq(Mapping[str, int]):
    """jieba's prefix dictionary (word or word prefix -> frequency, 0 for a bare prefix) over a MARISA trie.

    Answers ``in``, ``[]`` and ``get`` -- all jieba and :mod:`extractors.numbers.scan`
    ask of ``Tokenizer.FREQ`` -- exactly as jieba's dict would, from a
    ~2 MB trie and an array of frequencies indexed by the trie's key ids,
    where the dict holds ~500k Python strings and ints (~65 MB).
    """

    __slots__ = ("_trie", "_freq")

    def __init__(self, trie: Any, freq: array) -> None:
        self._trie, self._freq = trie, freq

    def __contains__(self, key: object) -> bool:
        return key in self._trie

    def __getitem__(self, key: str) -> int:
        return self._freq[self._trie[key]]  # KeyError for an unknown key, as a dict

    def get(self, key: str, default: Any = None) -> Any:  # type: ignore[override]
        i = self._trie.get(key)
        return default if i is None else self._freq[i]

    def __iter__(self) -> Iterator[str]:
        return iter(self._trie)

    def __len__(self) -> int:
        return len(self._trie)


class _TrieFlags(Mapping[str, str]):
    """Part-of-speech flag of every non-noun word of jieba's dictionary, over the same trie as :class:`_TrieFreq`.

    ``flags[key id]`` indexes ``names`` (0: a noun, a prefix, or no flag).
    """

    __slots__ = ("_trie", "_flags", "_names")

    def __init__(self, trie: Any, flags: array, names: tuple[str, ...]) -> None:
        self._trie, self._flags, self._names = trie, flags, names

    def get(self, key: str, default: Any = None) -> Any:  # type: ignore[override]
        i = self._trie.get(key)
        flag = 0 if i is None else self._flags[i]
        return self._names[flag] if flag else default

    def __getitem__(self, key: str) -> str:
        flag = self.get(key)
        if flag is None:
            raise KeyError(key)
        return flag

    def __iter__(self) -> Iterator[str]:
        return (key for key, i in self._trie.iteritems() if self._flags[i])

    def __len__(self) -> int:
        return sum(1 for flag in self._flags if flag)


@dataclass(frozen=True, slots=True)
class _Dictionary:
    """jieba's default dictionary in compact form: prefix table, its ``total``, non-noun POS flags."""

    freq: _TrieFreq
    total: int
    flags: _TrieFlags


#: A line of jieba's dictionary ("word frequency flag") whose flag is not a noun's (n*, vn).
_NON_NOUN_ENTRY = re.compile(r"^([^ \n]+) [^ \n]+ (?!n|vn)([^ \n]+)$", re.MULTILINE)
#: First bytes of a cache file; bump the number when the layout below changes.
_CACHE_MAGIC = b"claimledger-jieba-table 1\n"


@_built_once(maxsize=1)
def _dictionary() -> _Dictionary:
    """jieba's default dictionary as a :class:`_Dictionary`, from a cache file beside jieba's own.

    The cache (``<tempdir>/claimledger-jieba-<digest>.bin``, keyed by the
    dictionary file's content) loads in milliseconds; a missing or unreadable
    one is built from jieba's own prefix dictionary (``gen_pfdict``, once per
    machine, ~1.5 s) and written atomically.  An unwritable temp dir only
    costs the rebuild next time.
    """
    from jieba import get_dict_file

    with get_dict_file() as f:
        source = f.read()
    path = Path(tempfile.gettempdir()) / f"claimledger-jieba-{hashlib.blake2b(source, digest_size=12).hexdigest()}.bin"
    try:
        return _read_cache(path.read_bytes())
    except (OSError, ValueError, KeyError, RuntimeError) as exc:
        logger.debug("building jieba's compact word table (%s: %s)", path, exc)
    blob, table = _build_dictionary(source)
    _write_atomically(path, blob)
    return table


def _build_dictionary(source: bytes) -> tuple[bytes, _Dictionary]:
    """Cache file bytes and table from the dictionary file's bytes (jieba's own parsing for the prefix table)."""
    import jieba
    import marisa_trie

    prefixes, total = jieba.Tokenizer.gen_pfdict(io.BytesIO(source))
    trie = marisa_trie.Trie(prefixes)
    freq = array("Q", bytes(8 * len(trie)))
    for word, count in prefixes.items():
        freq[trie[word]] = count
    del prefixes
    names: list[str] = [""]
    index: dict[str, int] = {}
    flags = array("B", bytes(len(trie)))
    for m in _NON_NOUN_ENTRY.finditer(source.decode("utf-8")):
        if m[2] not in index:
            index[m[2]] = len(names)
            names.append(m[2])
        flags[trie[m[1]]] = index[m[2]]
    if len(names) > 255:
        raise ModelLoadError(f"jieba's dictionary has {len(names) - 1} part-of-speech flags; at most 255 fit")
    blob = _pack(trie.tobytes(), freq, flags, total, names)
    return blob, _read_cache(blob)


def _pack(trie: bytes, freq: array, flags: array, total: int, names: list[str]) -> bytes:
    """Cache layout: magic line, one JSON header line, then the trie, frequency and flag bytes."""
    header = {"total": total, "names": names, "sizes": [len(trie), len(freq) * freq.itemsize, len(flags)],
              "byteorder": sys.byteorder}
    return _CACHE_MAGIC + json.dumps(header).encode() + b"\n" + trie + freq.tobytes() + flags.tobytes()


def _read_cache(blob: bytes) -> _Dictionary:
    """The table in a cache file's bytes; ValueError when they are not a complete, consistent cache."""
    import marisa_trie

    if not blob.startswith(_CACHE_MAGIC):
        raise ValueError("not a claimledger jieba table")
    line_end = blob.index(b"\n", len(_CACHE_MAGIC))
    header = json.loads(blob[len(_CACHE_MAGIC):line_end])
    trie_size, freq_size, flags_size = header["sizes"]
    start = line_end + 1
    if header["byteorder"] != sys.byteorder or len(blob) != start + trie_size + freq_size + flags_size:
        raise ValueError("truncated or foreign jieba table")
    trie = marisa_trie.Trie().frombytes(blob[start:start + trie_size])
    freq, flags = array("Q"), array("B")
    freq.frombytes(blob[start + trie_size:start + trie_size + freq_size])
    flags.frombytes(blob[start + trie_size + freq_size:])
    if not len(trie) == len(freq) == len(flags):
        raise ValueError("inconsistent jieba table")
    names = tuple(sys.intern(name) for name in header["names"])
    return _Dictionary(_TrieFreq(trie, freq), int(header["total"]), _TrieFlags(trie, flags, names))


def _write_atomically(path: Path, blob: bytes) -> None:
    """Write ``blob`` to ``path`` through a private temporary file and a rename (readers never see half a file)."""
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    except OSError as exc:
        logger.debug("could not cache jieba's compact word table at %s: %s", path, exc)
        return
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(blob)
        os.replace(tmp, path)
    except OSError as exc:
        logger.debug("could not cache jieba's compact word table at %s: %s", path, exc)
        Path(tmp).unlink(missing_ok=True)


def _word_tags() -> Mapping[str, str]:
    """Part-of-speech flag of every non-noun word of jieba's dictionary (word, frequency, flag per line).

    Read directly rather than through ``jieba.posseg``, whose import also
    loads its HMM tables: half the start-up cost, and we only look words up.
    Nouns are left out; kept in :func:`_dictionary`'s cache with the word table.
    """
    return _dictionary().flags


def word_flag(word: str) -> str | None:
    """jieba's POS flag of ``word`` when it is not a noun (``v``, ``q``, ``d``, ``m`` ...), else ``None``.

    ``None`` covers nouns and words jieba does not list (see :func:`_word_tags`).
    """
    return _word_tags().get(word)


#: jieba POS flags of a counted thing: nouns (n, nr, ns, nt, nz, ng), verbal nouns, and the
#: distinguishing/adjectival modifiers in front of them (大型, 新型, 国产).
_NOUNISH = ("n", "vn", "b", "a")
_QUOTED = re.compile(r"[“「『\"](?P<q>[^”」』\"，。；\n]{2,12})[”」』\"]")
_LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z0-9.+-]*")
# An unlisted word counts as a noun unless it holds a function character (以其为, 为之).
_CJK_WORD = re.compile(r"[^\W\d_A-Za-z以其为之的了在是和与及被把将从对向于等而或也都已]{2,}")


def leading_noun_phrase(text: str) -> str:
    """The noun phrase ``text`` starts with ("数据中心集群和…" -> "数据中心集群"), or "" if none.

    Words come from our jieba tokenizer and their flags from jieba's POS
    dictionary; a word jieba found but does not list (智算, AI) counts as a
    noun, as new words and Latin names mostly are; a quoted phrase right at
    the start is the phrase.  Modifiers count only when a noun follows them; the
    phrase stops at the first verb, particle, conjunction or punctuation.
    Dictionary lookups, not the HMM tagger: this runs for every count.
    """
    if quoted := _QUOTED.match(text):
        return quoted.group("q")  # 100多个“中间国家”
    tags = _word_tags()
    tokenizer = jieba_tokenizer(())
    words: list[tuple[str, str]] = []
    for word in tokenizer.lcut(text):
        known = tokenizer.FREQ.get(word, 0) > 0
        flag = tags.get(word) or ("n" if known or _CJK_WORD.fullmatch(word) or _LATIN_WORD.fullmatch(word) else "x")
        if not flag.startswith(_NOUNISH):
            break
        words.append((word, flag))
    while words and not words[-1][1].startswith(("n", "vn")):
        words.pop()
    return "".join(word for word, _ in words)


@_built_once(maxsize=4)
def spacy_pipeline(path: str) -> Any:
    """A trained spaCy pipeline loaded from a directory (``nlp.to_disk`` output)."""
    spacy = _import_spacy(allow_torch=True)
    try:
        return spacy.load(path)
    except (OSError, ValueError) as exc:
        hint = (" (spaCy was imported without PyTorch by an earlier rule-based step in this process; "
                "a pipeline with PyTorch layers needs a fresh process)") if torch_hidden_from_spacy() else ""
        raise ModelLoadError(f"cannot load spaCy pipeline {path!r}: {exc}{hint}") from exc


@_built_once(maxsize=4)
def hanlp_model(name_or_path: str) -> Any:
    """A HanLP component from a saved directory or a HanLP pretrained identifier.

    Identifiers need the model to be in HanLP's local cache already: there is
    no network at run time, so a missing model raises :class:`ModelLoadError`.
    """
    with _BUILD_LOCK:  # never while a spaCy import hides torch (see _import_spacy)
        import hanlp

    try:
        return hanlp.load(name_or_path, devices=-1, verbose=False)
    except Exception as exc:  # HanLP raises bare Exceptions, FileNotFoundError, ...
        raise ModelLoadError(f"cannot load HanLP model {name_or_path!r}: {exc}") from exc


def hanlp_sentences(text: str) -> Iterator[str]:
    """HanLP's rule-based sentence splitter (no model, no torch): yields stripped sentence strings."""
    yield from _hanlp_rules().split_sentence(text)


def spacy_sentences(text: str, language: str = "en") -> Iterable[tuple[int, int]]:
    """Character spans of the sentences spaCy's ``sentencizer`` finds in ``text``."""
    doc = blank_pipeline(language)(text)
    return [(s.start_char, s.end_char) for s in doc.sents]


@_built_once(maxsize=8)
def ruler_pipeline(language: str, patterns_json: str, words: tuple[str, ...] = ()) -> Any:
    """A blank pipeline with an ``entity_ruler`` holding ``patterns_json`` (a JSON list of spaCy patterns).

    For Chinese, ``words`` (gazetteer names) are added to a private jieba
    dictionary first, so that a name like "工业和信息化部" is one token and
    token-based phrase patterns can match it.  Patterns arrive as JSON so the
    cache key is hashable.
    """
    if language == "zh":
        nlp = _zh_jieba_pipeline(words)
    else:
        nlp = _import_spacy().blank(language)
    ruler = nlp.add_pipe("entity_ruler", config={"overwrite_ents": True, "phrase_matcher_attr": "ORTH"})
    ruler.add_patterns(json.loads(patterns_json))
    return nlp


def doc_entities(nlp: Any, text: str) -> list[tuple[int, int, str, str]]:
    """Run a spaCy pipeline and return its entities as plain ``(start, end, label, pattern_id)`` tuples."""
    doc = nlp(text)
    return [(ent.start_char, ent.end_char, ent.label_, ent.ent_id_) for ent in doc.ents]
