# privacykg: the two commands of the README, and thin aliases over `privacykg ...`.
#   make run   set up, build the graph from data/ into build/store, serve on http://127.0.0.1:8000
#   make test  set up (with the test tools from Debian), then the whole test suite
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: setup build run test test-deps validate export bench clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	@touch $(STAMP)

setup: $(STAMP)

build: setup
	$(BIN)/privacykg build

run: build
	$(BIN)/privacykg serve --host $(HOST) --port $(PORT)

test-deps:
	@bash tools/install-test-deps.sh

test: setup test-deps
	$(BIN)/python -m pytest -q

validate: setup
	$(BIN)/privacykg validate

export: build
	$(BIN)/privacykg export --format nquads -o build/privacykg.nq

bench: setup test-deps
	$(BIN)/python -m pip install -q -e '.[test,bench]'
	$(BIN)/python benchmarks/run.py $(BENCH_ARGS)

clean:
	rm -rf build
