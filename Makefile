# privacykg: the two commands of the README, and thin aliases over `privacykg ...`.
#   make run         set up (what serving needs only), build data/ into build/store, serve on
#                    http://127.0.0.1:8000 (another port: make run PORT=8001)
#   make test        set up with the test extras (and the test tools from Debian), then the whole suite
#   make test-quick  the edit-test loop: every test that starts no server and is not marked slow
#   make eval-draft  leave-one-policy-out figures of `privacykg draft`, and on tests/fixtures/unseen, written to docs/draft-evaluation.md
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
TEST_STAMP := $(VENV)/.test-installed-stamp
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: setup test-setup build run test test-quick test-deps validate export bench eval-draft clean

$(STAMP): pyproject.toml setup.py
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e .
	@touch $(STAMP)

$(TEST_STAMP): $(STAMP)
	$(BIN)/python -m pip install -q -e '.[test]'
	@touch $(TEST_STAMP)

setup: $(STAMP)

test-setup: $(TEST_STAMP)

build: setup
	$(BIN)/privacykg build

run: build
	$(BIN)/privacykg serve --host $(HOST) --port $(PORT)

test-deps:
	@bash tools/install-test-deps.sh

# ruff: lint and format check of the code (configuration in pyproject.toml; `ruff format` fixes the layout)
LINTED := loader tests benchmarks tools

lint: test-setup
	$(BIN)/ruff check $(LINTED)
	$(BIN)/ruff format --check $(LINTED)

test: test-setup test-deps lint
	$(BIN)/python -m pytest -q

# The edit-test loop (under a minute): tests/ only (not the modules' doctests, which build data/),
# no server processes, nothing marked slow (each test over a second), and not the
# exhaustive equivalence and catalogue runs that `make test` does (the CLI build of every invalid
# fixture, the two SHACL engines on every case, owlrl's entailment, the official DPV files,
# HermiT in Java).
QUICK_LEAVE_OUT := --ignore=tests/test_dpv_alignment.py --ignore=tests/test_owl.py \
	--deselect=tests/test_inference.py::test_policy_inferences_are_rdfs_entailed \
	--deselect=tests/test_loader_fixtures.py::test_invalid_fixture_build_exits_1_and_writes_nothing \
	--deselect=tests/test_shacl_engines.py::test_engines_agree \
	--deselect=tests/test_build_speed_equivalence.py::test_per_policy_shapes_report_what_the_store_reports

test-quick: test-setup
	$(BIN)/python -m pytest -q -x -m "not server and not slow" $(QUICK_LEAVE_OUT) tests

validate: setup
	$(BIN)/privacykg validate

export: build
	$(BIN)/privacykg export --format nquads -o build/privacykg.nq

bench: test-setup test-deps
	$(BIN)/python -m pip install -q -e '.[test,bench]'
	$(BIN)/python benchmarks/run.py $(BENCH_ARGS)

eval-draft: setup
	PYTHONPATH=loader $(BIN)/python tools/eval_draft.py

clean:
	rm -rf build
