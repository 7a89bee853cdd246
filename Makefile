# hipbot developer commands. Each target sets up .venv on its own, so a fresh clone needs just
# `make console` (chat with the bot, no token needed) or `make test` (the whole suite).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install console test lint check soak bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

console: $(STAMP)
	$(BIN)/hipbot console

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

check: $(STAMP)
	$(BIN)/hipbot validate
	$(BIN)/hipbot check

test: lint check
	$(BIN)/pytest

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache

bench: $(STAMP)
	$(BIN)/python -m bench

# The long soak (tests/test_soak.py, marked slow; `make test` runs its short version): 1,000
# chats for SOAK_SECONDS per store, then its figures go into the Soak section of BENCHMARKS.md.
SOAK_RESULTS := $(VENV)/soak-results
soak: $(STAMP)
	rm -rf $(SOAK_RESULTS)
	SOAK_RESULTS=$(SOAK_RESULTS) $(BIN)/pytest -m slow tests/test_soak.py
	$(BIN)/python -m bench.soak $(SOAK_RESULTS)
