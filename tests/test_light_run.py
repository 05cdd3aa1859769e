"""The default run stays light: no PyTorch unless a model is configured (issue 15, part 6).

Each check runs in a fresh interpreter, because this test process may have
imported torch already (the HanLP training tests do) and ``sys.modules`` is
what is being asserted.  Nothing here is timed; ``benchmarks/bench_light.py``
measures time and memory.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"


def _run(code: str) -> dict:
    """Run ``code`` in a fresh interpreter from the project root; it prints one JSON object last."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    proc = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


def test_default_extract_imports_no_torch() -> None:
    """Rule-based extraction of a Chinese and an English example (HanLP rules, spaCy, jieba) never imports torch."""
    result = _run(f"""
        import json, sys
        from pathlib import Path
        from extractors.document import extract_document
        counts = {{}}
        for name in ("zh_policy_notes.txt", "en_policy_post.html"):
            doc = extract_document(Path({str(EXAMPLES)!r}, name).read_bytes(), source=name)
            counts[name] = [len(doc.sentences), len(doc.entities)]
        print(json.dumps({{"torch": "torch" in sys.modules, "hanlp": "hanlp" in sys.modules,
                           "spacy": "spacy" in sys.modules, "counts": counts}}))
    """)
    assert result["spacy"], "the English example goes through spaCy's sentencizer and entity ruler"
    assert all(sentences > 0 for sentences, _ in result["counts"].values())
    assert result["torch"] is False
    assert result["hanlp"] is False


def test_cli_extract_imports_no_torch_prefect_or_database() -> None:
    """``claimledger extract`` needs neither Prefect nor SQLAlchemy nor torch."""
    result = _run(f"""
        import json, sys
        sys.argv = ["claimledger", "extract", {str(EXAMPLES / "zh_compute_post.md")!r}]
        from flows.cli import main
        try:
            main()
        except SystemExit as exc:
            assert not exc.code, exc.code
        print()
        print(json.dumps({{m: m in sys.modules for m in ("torch", "prefect", "sqlalchemy", "hanlp")}}))
    """)
    assert result == {"torch": False, "prefect": False, "sqlalchemy": False, "hanlp": False}


def test_configured_hanlp_model_still_imports_hanlp_and_torch_after_a_default_extract() -> None:
    """torch is hidden from thinc only during spaCy's import: HanLP (and torch) load afterwards."""
    result = _run(f"""
        import json, sys
        from pathlib import Path
        from extractors.document import extract_document
        from extractors.text import nlp
        extract_document(Path({str(EXAMPLES / "en_policy_post.html")!r}).read_bytes(), source="en_policy_post.html")
        before = "torch" in sys.modules
        try:
            nlp.hanlp_model("/nonexistent/claimledger-test-model")
            error = None
        except nlp.ModelLoadError as exc:
            error = str(exc)
        import torch
        print(json.dumps({{"before": before, "hanlp": "hanlp" in sys.modules, "error": error,
                           "tensor": float(torch.ones(2).sum())}}))
    """)
    assert result["before"] is False
    assert result["hanlp"] is True, "hanlp_model imports the real hanlp package (and with it torch)"
    assert result["error"] and "cannot load HanLP model" in result["error"]
    assert result["tensor"] == 2.0


def test_rule_splitter_is_hanlps_own_file() -> None:
    """The sentence rules come from the installed HanLP package, not from a copy in this repository."""
    result = _run("""
        import json, sys
        from extractors.text import nlp
        rules = nlp._hanlp_rules()
        print(json.dumps({"file": rules.__file__, "hanlp": "hanlp" in sys.modules,
                          "pieces": list(nlp.hanlp_sentences("算力增长了30%。模型更多了！还会更多吗？"))}))
    """)
    assert Path(result["file"]).parts[-3:] == ("hanlp", "utils", "rules.py")
    assert "site-packages" in result["file"] or "dist-packages" in result["file"]
    assert result["hanlp"] is False
    assert result["pieces"] == ["算力增长了30%。", "模型更多了！", "还会更多吗？"]


def test_concurrent_first_use_builds_one_tokenizer() -> None:
    """Two ingest threads asking for the same jieba tokenizer at once get one object, built once."""
    from extractors.text import nlp

    words = ("轻量运行测试词",)
    got: list[object] = []
    barrier = threading.Barrier(2)

    def build() -> None:
        barrier.wait()
        got.append(nlp.jieba_tokenizer(words))

    threads = [threading.Thread(target=build) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(got) == 2 and got[0] is got[1]
    assert "轻量运行测试词" in got[0].lcut("这是轻量运行测试词。")
    assert "轻量运行测试词" not in nlp.jieba_tokenizer(()).FREQ, "gazetteer words stay out of the plain tokenizer"


@pytest.mark.parametrize("language", ["en", "zh"])
def test_spacy_pipelines_work_with_torch_hidden(language: str) -> None:
    """Blank pipelines and the entity ruler run on a thinc that never saw torch."""
    result = _run(f"""
        import json, sys
        from extractors.text import nlp
        ruler = nlp.ruler_pipeline({language!r}, json.dumps([{{"label": "ORG", "pattern": "OpenAI"}}]))
        ents = nlp.doc_entities(ruler, "据报道 OpenAI 发布了新模型。" if {language!r} == "zh" else "OpenAI released a model.")
        import thinc.compat
        print(json.dumps({{"ents": [e[2] for e in ents], "has_torch": thinc.compat.has_torch,
                           "torch": "torch" in sys.modules}}))
    """)
    assert result == {"ents": ["ORG"], "has_torch": False, "torch": False}


def test_compact_word_table_answers_as_jiebas_own_dictionary() -> None:
    """Every word and prefix of jieba's prefix dictionary has the same frequency (0 for a bare prefix) and total;
    the non-noun POS flags are those of the dictionary's lines; the same text segments the same way."""
    import jieba

    from extractors.text import nlp

    reference = jieba.Tokenizer()
    reference.initialize()  # jieba's own load: the dict the compact table replaces
    compact = nlp.jieba_tokenizer(())
    assert not isinstance(compact.FREQ, dict), "the plain tokenizer must not hold jieba's ~65 MB dict"
    assert compact.total == reference.total
    assert len(compact.FREQ) == len(reference.FREQ)
    wrong = [w for w, f in reference.FREQ.items() if w not in compact.FREQ or compact.FREQ[w] != f
             or compact.FREQ.get(w) != f]
    assert wrong == []
    assert "不是词的串" not in compact.FREQ and compact.FREQ.get("不是词的串", -1) == -1
    with pytest.raises(KeyError):
        compact.FREQ["不是词的串"]

    with jieba.get_dict_file() as f:
        lines = f.read().decode("utf-8").splitlines()
    expected: dict[str, str] = {}
    for line in lines:
        word, _, flag = line.split(" ")
        if not flag.startswith("n") and not flag.startswith("vn"):
            expected[word] = flag
    assert {w: nlp.word_flag(w) for w in expected} == expected
    assert nlp.word_flag("中国") is None and nlp.word_flag("不是词的串") is None
    assert nlp.word_flag("提高") == "v" and nlp.word_flag("个") == "q"
    text = "国务院总理在第十四届全国人民代表大会上作政府工作报告，提出2025年GDP增长5%左右。"
    assert compact.lcut(text) == reference.lcut(text)
    assert compact.lcut(text, HMM=False) == reference.lcut(text, HMM=False)


def test_word_table_cache_is_written_read_and_rebuilt_when_damaged(tmp_path: Path, monkeypatch) -> None:
    """The first process builds and writes the cache, later ones read it; a damaged file is rebuilt, not trusted."""
    import tempfile

    from extractors.text import nlp

    monkeypatch.setattr(tempfile, "gettempdir", lambda: str(tmp_path))
    nlp._dictionary.cache_clear()
    try:
        built = nlp._dictionary()
        [cache] = tmp_path.glob("claimledger-jieba-*.bin")
        blob = cache.read_bytes()
        nlp._dictionary.cache_clear()
        read = nlp._dictionary()
        assert read.total == built.total and len(read.freq) == len(built.freq)
        assert read.freq["全国人民代表大会"] == built.freq["全国人民代表大会"] > 0

        cache.write_bytes(blob[: len(blob) // 2])  # truncated (a crash, a full disk)
        nlp._dictionary.cache_clear()
        rebuilt = nlp._dictionary()
        assert cache.read_bytes() == blob, "a damaged cache is replaced by a complete one"
        assert rebuilt.freq["全国人民代表大会"] == built.freq["全国人民代表大会"]
        assert list(tmp_path.glob("*.tmp")) == []
    finally:
        nlp._dictionary.cache_clear()


def test_plain_tokenizer_and_pos_flags_take_a_few_megabytes() -> None:
    """With the cache in place, the word table and POS flags allocate < 15 MB (jieba's own load: ~80 MB)."""
    result = _run("""
        import json, tracemalloc
        from extractors.text import nlp
        nlp.jieba_tokenizer(()); nlp.word_flag("提高")  # builds the cache file if this machine has none yet
        nlp._dictionary.cache_clear(); nlp.jieba_tokenizer.cache_clear()
        tracemalloc.start()
        nlp.jieba_tokenizer(()); nlp.word_flag("提高")
        current, peak = tracemalloc.get_traced_memory()
        print(json.dumps({"current": current / 2**20, "peak": peak / 2**20}))
    """)
    assert result["current"] < 15, result
    assert result["peak"] < 30, result


def test_text_extract_does_not_import_trafilatura_or_pdfplumber() -> None:
    """HTML main-text detection (trafilatura, ~19 MB) and the PDF reader load only when such a file is opened."""
    result = _run(f"""
        import json, sys
        from pathlib import Path
        from extractors.document import extract_document
        extract_document(Path({str(EXAMPLES / "zh_policy_notes.txt")!r}).read_bytes(), source="zh_policy_notes.txt")
        before = {{m: m in sys.modules for m in ("trafilatura", "pdfplumber")}}
        extract_document(Path({str(EXAMPLES / "en_policy_post.html")!r}).read_bytes(), source="en_policy_post.html")
        print(json.dumps({{"before": before, "after_html": "trafilatura" in sys.modules}}))
    """)
    assert result == {"before": {"trafilatura": False, "pdfplumber": False}, "after_html": True}


def test_unwritable_temp_dir_still_gives_the_table(tmp_path: Path, monkeypatch) -> None:
    """No cache can be written (missing or read-only temp dir): the table is built in memory all the same."""
    import tempfile

    from extractors.text import nlp

    missing = tmp_path / "gone"
    monkeypatch.setattr(tempfile, "gettempdir", lambda: str(missing))
    nlp._dictionary.cache_clear()
    try:
        table = nlp._dictionary()
        assert table.freq["全国人民代表大会"] > 0 and table.flags.get("提高") == "v"
        assert not missing.exists()
    finally:
        nlp._dictionary.cache_clear()


def test_spacy_import_leaves_the_garbage_collector_as_it_found_it() -> None:
    """The collector is paused only during spaCy's first import: on afterwards, and still off if the caller turned it off."""
    on = _run("""
        import gc, json
        from extractors.text import nlp
        nlp._import_spacy()
        print(json.dumps({"enabled": gc.isenabled()}))
    """)
    off = _run("""
        import gc, json
        from extractors.text import nlp
        gc.disable()
        nlp._import_spacy()
        print(json.dumps({"enabled": gc.isenabled()}))
    """)
    assert on == {"enabled": True} and off == {"enabled": False}
