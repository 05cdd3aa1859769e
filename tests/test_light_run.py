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
