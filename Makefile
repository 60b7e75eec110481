# pantau: the two commands are `make demo` and `make test`; both create .venv on first use.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
UV_VERSION := 0.13.9
STAMP := $(VENV)/.installed

.PHONY: demo test lint pytest bench eval airflow-init clean help

help:
	@echo "make demo   - set up .venv, serve the offline fixture web, run the nightly pipeline once"
	@echo "make test   - set up .venv, lint, type-check and run the full test suite"
	@echo "make bench  - run the benchmarks under bench/ (not part of make test)"
	@echo "make eval   - score the extractor against bare trafilatura"
	@echo "make airflow               - start Airflow 3 locally (UI, scheduler, dag-processor, triggerer)"
	@echo "make airflow-demo          - the same against the offline fixture web (no internet needed)"
	@echo "make airflow-test          - only the DAG tests, incl. the real services over REST (~8 min)"
	@echo "make airflow-test-scaleout - PostgreSQL, Redis, LocalExecutor and CeleryExecutor with"
	@echo "                           several workers, DuckLake on PostgreSQL (apt, root)"

# Create the virtualenv and install the pinned lock (requirements.txt) plus pantau itself.
$(STAMP): requirements.txt pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)
	$(BIN)/uv pip install --quiet --python $(BIN)/python -r requirements.txt
	$(BIN)/uv pip install --quiet --python $(BIN)/python --no-deps -e .
	@touch $(STAMP)

demo: $(STAMP)
	$(BIN)/pantau demo

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy pantau core query spiders extract staging warehouse alerts fixtureweb
	$(BIN)/lint-imports --no-cache

# The Airflow service tests (real api-server + scheduler over REST, backfill) are part of it;
# only the PostgreSQL scale-out proof needs root and apt: make airflow-test-scaleout.
pytest: $(STAMP)
	PANTAU_AIRFLOW_SERVICES=1 $(BIN)/pytest

test: lint pytest

bench: $(STAMP)
	@set -e; for b in bench/*.py; do echo "== $$b"; $(BIN)/python $$b; done

eval: $(STAMP)
	$(BIN)/python bench/eval_extract.py
	$(BIN)/python bench/eval_realweb.py -v

clean:
	rm -rf data logs airflow.db .pytest_cache .mypy_cache .ruff_cache

# ---- Airflow (docs/airflow.md) ------------------------------------------------------------
.PHONY: airflow airflow-demo airflow-test airflow-test-scaleout

# Airflow 3 on loopback with the repo's airflow.cfg (AIRFLOW_HOME defaults to the repo);
# prints the UI address and login once pantau's DAGs are listed; Ctrl-C stops everything.
airflow: $(STAMP)
	$(BIN)/python deploy/airflow_local.py --port $${AIRFLOW_PORT:-8080}

# The same, crawling the offline fixture web (port 18766) instead of the real outlets: no
# internet needed; nights are simulated by their logical date (PANTAU_TIME_TRAVEL=1).
airflow-demo: $(STAMP)
	$(BIN)/python deploy/airflow_local.py --port $${AIRFLOW_PORT:-8080} --fixture-web

# All DAG tests including the heavy ones that start Airflow's services on loopback.
airflow-test: $(STAMP)
	PANTAU_AIRFLOW_SERVICES=1 $(BIN)/pytest tests/dags -ra

# Scale-out proof (docs/scale-out.md): PostgreSQL metadata DB, LocalExecutor, crawl in parallel;
# CeleryExecutor with a Redis broker and 2 crawl workers (1 vs 2 workers measured).
airflow-test-scaleout: $(STAMP)
	CELERY=1 deploy/scaleout/install-packages.sh
	$(BIN)/pytest tests/dags -m scaleout -ra -rP
