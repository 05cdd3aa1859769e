# ClaimLedger — two commands for a newcomer: `make run` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
OUT    ?= out

.PHONY: setup run test test-fast browser bench clean

setup: $(STAMP)

# HanLP pulls PyTorch: install the CPU build first (it is served to this machine kind
# from a local wheel) so that pip never resolves the multi-GB CUDA build.
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip wheel setuptools
	$(BIN)/pip install --quiet "torch==2.13.0"
	$(BIN)/pip install --quiet -e ".[test]"
	@touch $(STAMP)

run: setup
	@mkdir -p $(OUT)
	$(BIN)/claimledger ingest examples/
	$(BIN)/claimledger report --format md --out $(OUT)/report.md
	$(BIN)/claimledger report --no-audit --format html --out $(OUT)/report.html
	@echo
	@echo "Database:        $(CURDIR)/claimledger.db"
	@echo "Markdown report: $(CURDIR)/$(OUT)/report.md"
	@echo "HTML report:     $(CURDIR)/$(OUT)/report.html"
	@echo "Try:  $(BIN)/claimledger sql \"SELECT kind, count(*) FROM claims GROUP BY kind\""

# Headless Chromium renders the HTML report in the browser test; a CJK font (WenQuanYi Micro Hei)
# builds the Chinese test PDFs and draws Chinese in the report.
browser:
	@{ command -v chromium >/dev/null 2>&1 && [ -f /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ]; } || { \
	  if [ "$$(id -u)" = 0 ]; then (apt-get update -qq && apt-get install -y -qq chromium fonts-wqy-microhei >/dev/null) \
	    || echo "warning: could not install chromium/fonts-wqy-microhei; the browser and CJK PDF tests will be skipped"; \
	  else echo "note: chromium or fonts-wqy-microhei missing (needs root: apt-get install chromium fonts-wqy-microhei); those tests will be skipped"; fi; }

test: setup browser
	$(BIN)/pytest -q -n 2 --dist loadfile

test-fast: setup
	$(BIN)/pytest -q -m "not slow" -n 2 --dist loadfile

bench: setup
	$(BIN)/python benchmarks/bench_cli.py
	$(BIN)/python benchmarks/bench_pdf.py
	$(BIN)/python benchmarks/bench_numbers.py
	$(BIN)/python benchmarks/bench_light.py

clean:
	rm -rf $(VENV) $(OUT) claimledger.db claimledger.db-wal claimledger.db-shm .pytest_cache
