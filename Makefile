# medtext: `make demo` and `make test` work on a fresh machine with Python 3.11+.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.medtext-installed
SHARED ?= ../shared

.PHONY: demo test test-all test-lowest venv models benchmarks clean

$(PY):
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "medtext needs Python 3.11 or newer; set PYTHON=python3.11"'
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	@touch $(STAMP)

venv: $(STAMP)

demo: $(STAMP)
	@$(VENV)/bin/medtext annotate corpora/notes corpora/abstracts.jsonl -o - --quiet
	@$(VENV)/bin/medtext classify --model abstract-topics --input corpora/abstracts.jsonl

# CI's default run: fast tests only (slow training checks are marked `slow`).
test: $(STAMP)
	@$(PY) -m pytest -q -m "not slow"; rc=$$?; if [ $$rc -eq 5 ]; then echo "no tests collected"; exit 0; fi; exit $$rc

test-all: $(STAMP)
	$(PY) -m pytest -q

# The fast tests against the lowest versions pyproject.toml allows (requirements/lowest.txt), in their
# own .venv-lowest/; not part of `make test`.
test-lowest:
	@test -x .venv-lowest/bin/python || $(PYTHON) -m venv .venv-lowest
	.venv-lowest/bin/python -m pip install --quiet --upgrade pip
	.venv-lowest/bin/python -m pip install --quiet --only-binary :all: -c requirements/lowest.txt -e ".[dev]"
	.venv-lowest/bin/python -m pytest -q -m "not slow"

# Rebuild the shipped models and lexicons from the development corpora (slow; needs ../shared).
models: $(STAMP)
	$(PY) -m pip install --quiet -e ".[dev,models]"
	$(PY) -m scripts.build_lexicons --shared $(SHARED)
	$(PY) -m scripts.build_ner --shared $(SHARED)
	$(PY) -m scripts.build_learn_models --shared $(SHARED)
	# PHI thresholds: best out-of-fold recall (patients 1-65) at precision >= 0.895; 5-fold CV by patient over
	# all 82 patients runs about 0.02 below that figure, so this keeps the withheld half above the 0.85 target
	# (at 0.88 with the filters of 2026-12-03 the tuner lowered the DATE threshold to 0.02 for one phrase of
	# recall at 0.02 of precision; at 0.86 before them, likewise).
	$(PY) -m medtext.pipeline.phi_train --shared $(SHARED) -c 3 --phi-weight 3 --min-precision 0.895 --final -o models/phi-physionet

benchmarks: $(STAMP)
	$(PY) -m benchmarks.run --shared $(SHARED)

clean:
	rm -rf build dist *.egg-info .pytest_cache
