# The two README commands: `make demo` and `make test`.
# Both create (or reuse) .venv with `python3 -m venv`, install the package into
# it when anything it ships has changed, then run.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
SOURCES := pyproject.toml README.md $(shell find src ontology shapes queries -type f -not -name '*.pyc' 2>/dev/null)

.PHONY: demo test check clean

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

# Check the ontology in this checkout (not the installed copy) while you edit it.
check: $(STAMP)
	$(BIN)/rsf ontology check --ontology ontology

clean:
	rm -rf $(VENV) build dist
