# The two README commands: `make demo` and `make test`.
# Both create (or reuse) .venv with `python3 -m venv`, install the package into
# it when anything it ships has changed, then run.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
SOURCES := pyproject.toml README.md $(shell find src ontology shapes queries -type f -not -name '*.pyc' 2>/dev/null)

.PHONY: demo test check clean fuzz

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): $(BIN)/python $(SOURCES)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check '.[test]'
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --force-reinstall .
	touch $@

demo: $(STAMP)
	@echo "== rsf ontology check"
	$(BIN)/rsf ontology check
	@echo
	@echo "== rsf validate examples/   (the example policies; findings traced to human rights)"
	$(BIN)/rsf validate examples/ --fail-on none
	@echo "== rsf coverage examples/funder-data-sharing-policy.ttl"
	$(BIN)/rsf coverage examples/funder-data-sharing-policy.ttl
	@echo "== rsf explain O-CE5-03   (one obligation, up to its rights)"
	$(BIN)/rsf explain O-CE5-03

test: $(STAMP)
	$(BIN)/python -m pytest

# Check the ontology, shapes and QA queries of this checkout (not the installed copy) while you edit them.
check: $(STAMP)
	$(BIN)/rsf ontology check --data-root .

clean:
	rm -rf $(VENV) build dist

# The full seeded corpus of hostile inputs (tests/fuzz_cases.py) through every command; `make test` runs a sample.
fuzz: $(STAMP)
	RSF_FUZZ_CASES=$${RSF_FUZZ_CASES:-1000} RSF_FUZZ_COMMANDS=$${RSF_FUZZ_COMMANDS:-all} \
		$(BIN)/python -m pytest tests/test_hostile_input.py -k generated_corpus -q -s -p no:warnings
