# hipbot developer commands. Each target sets up .venv on its own, so a fresh clone needs just
# `make console` (chat with the bot, no token needed) or `make test` (the whole suite).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install console test lint check soak bench clean lock polling webhook learn compiled

# Installs the exact versions in constraints.txt (the same as CI and the Docker image).
$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

console: $(STAMP)
	$(BIN)/hipbot console

# The Telegram bot (needs TELEGRAM_BOT_TOKEN in the environment or .env; see README).
polling: $(STAMP)
	$(BIN)/hipbot polling

webhook: $(STAMP)
	$(BIN)/hipbot webhook

# Refresh constraints.txt: the newest versions pyproject.toml allows, in a throwaway venv.
lock:
	rm -rf .lock-venv
	$(PYTHON) -m venv .lock-venv
	.lock-venv/bin/pip install --quiet --upgrade pip
	.lock-venv/bin/pip install --quiet ".[dev]"
	{ head -2 constraints.txt; .lock-venv/bin/pip freeze | grep -v '^hipbot'; } > constraints.new
	mv constraints.new constraints.txt
	rm -rf .lock-venv

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
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache build/compiled

# Refit the learned second reading (knowledge/learned_reading.json) on every set in tests/data.
learn: $(STAMP)
	$(BIN)/hipbot learn

# make bench also times the reader compiled with mypyc, as the Docker image runs it: a copy in
# build/compiled/, built first when missing or stale (about 75 s; `make compiled` builds it alone).
bench: $(STAMP)
	$(BIN)/python -m bench

compiled: $(STAMP)
	$(BIN)/python -m tests.support.compiled build/compiled

# The long soak (tests/test_soak.py, marked slow; `make test` runs its short version): 1,000
# chats for SOAK_SECONDS per store, then its figures go into the Soak section of BENCHMARKS.md.
SOAK_RESULTS := $(VENV)/soak-results
soak: $(STAMP)
	rm -rf $(SOAK_RESULTS)
	SOAK_RESULTS=$(SOAK_RESULTS) $(BIN)/pytest -m slow tests/test_soak.py
	$(BIN)/python -m bench.soak $(SOAK_RESULTS)
