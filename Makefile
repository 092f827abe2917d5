# citylake — the two commands: `make demo` and `make test`. Everything else is optional.
SHELL := /bin/bash
PYTHON ?= python3
# uv from PATH, else bootstrapped into .tools/ (pip from PyPI, nothing else downloaded)
UV := $(shell command -v uv 2>/dev/null || echo $(CURDIR)/.tools/bin/uv)
export CITYLAKE_HOME ?= $(CURDIR)/var
export DO_NOT_TRACK := 1
export DBT_SEND_ANONYMOUS_USAGE_STATS := False
export AIRFLOW__COSMOS__ENABLE_TELEMETRY := False
SCALE ?= 0.1

.PHONY: help setup setup-spark demo test test-fast airflow bench bench-ingest bench-gates bench-service lint browser postgresql java wrk clean

help:
	@echo "make demo    - install, generate a small synthetic city, run the nightly Airflow DAG once"
	@echo "make test    - install and run the whole test suite"
	@echo "make airflow - Airflow UI on http://localhost:8080 (see README for the login)"
	@echo "make bench SCALE=0.1 - benchmark the nightly batch against a plain DuckDB floor"
	@echo "make bench-ingest SCALE=1.0 - ingest throughput per format against a plain read"
	@echo "make bench-gates SCALE=0.1  - gate cost; GX SQL pushdown against a pandas batch"
	@echo "make bench-service HOME_DIR=/tmp/home-copy - wrk against citylake serve (verify, records) vs in-process"

$(CURDIR)/.tools/bin/uv:
	$(PYTHON) -m venv $(CURDIR)/.tools
	$(CURDIR)/.tools/bin/pip install --quiet "uv==0.13.9"

.venv/.synced: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen --compile-bytecode --python $(PYTHON)
	@touch $@

setup: .venv/.synced

# The optional Spark engine (extra `spark`: dbt-spark[session] + pyspark, Spark's jars inside the wheel);
# only the tests install it, `make demo` stays light.
.venv/.synced-spark: pyproject.toml uv.lock | .venv/.synced
	$(UV) sync --frozen --compile-bytecode --python $(PYTHON) --extra spark
	@touch $@

setup-spark: .venv/.synced-spark

# Headless Chromium renders the quality reports in a test (Debian package; best effort).
browser:
	@command -v chromium >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 && \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-wqy-microhei >/dev/null) || \
	  echo "chromium not installed: the report rendering test will be skipped"; }

# PostgreSQL server binaries for the DuckLake-catalog tests (tests/pg start a throw-away server; best effort).
postgresql:
	@ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 && \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null) || \
	  echo "postgresql not installed: the PostgreSQL-catalog tests (tests/pg) will be skipped"; }

# A Java runtime for Spark (Debian's OpenJDK 17; best effort, tests/spark skip without it).
java:
	@command -v java >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 && \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openjdk-17-jre-headless >/dev/null) || \
	  echo "java not installed: the Spark tests (tests/spark) will be skipped"; }

# Debian's wrk, the load generator of the service benchmark (its smoke test in tests/benchmarks; best effort).
wrk:
	@command -v wrk >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 && \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null) || \
	  echo "wrk not installed: the service benchmark's smoke test will be skipped"; }

demo: setup
	$(UV) run --frozen citylake demo

# pytest-xdist: TEST_WORKERS processes (one per core); each test module is one unit of work, the
# long ones first (tests/conftest.py, docs/testing.md). `make test TEST_WORKERS=0` runs in one process.
# The tests sync the optional `spark` extra (tests/spark: the dbt project on Spark) and need Java.
TEST_WORKERS ?= 2
test: setup setup-spark browser postgresql java wrk
	$(UV) run --frozen --extra spark pytest -n $(TEST_WORKERS) --dist loadfile --no-loadscope-reorder --durations=30

test-fast: setup
	$(UV) run --frozen pytest -m "not slow"

airflow: setup
	$(UV) run --frozen citylake airflow

bench: setup
	$(UV) run --frozen python -m benchmarks --scale $(SCALE)

bench-ingest: setup
	$(UV) run --frozen python -m benchmarks.ingest --scale $(SCALE)

bench-gates: setup
	$(UV) run --frozen python -m benchmarks.gates --scale $(SCALE)

# on a COPY of a built home (the run registers an app and writes the service's exchange log there)
bench-service: setup
	@command -v wrk >/dev/null || { echo "wrk is missing: sudo apt-get install wrk"; exit 2; }
	$(UV) run --frozen python -m benchmarks.service --home $(or $(HOME_DIR),$(CITYLAKE_HOME))

.PHONY: serve
# The data service on http://127.0.0.1:8090/v1 (docs /docs) over the lake `make demo` built.
serve: setup
	$(UV) run --frozen citylake serve

lint: setup
	$(UV) run --frozen ruff check .
	$(UV) run --frozen lint-imports

clean:
	rm -rf var dbt_project/target dbt_project/logs
