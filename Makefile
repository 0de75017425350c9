# clusterdesk — developer commands. Needs only python3 (3.11+) and make; everything else goes
# into .venv inside the repository.
#
#   make run    set up, migrate, load demo data, serve on http://127.0.0.1:8000
#   make serve  the production stack: gunicorn + queue workers (WORKERS=, QUEUE_WORKERS=)
#   make test   set up, run the whole test suite (extra pytest options: PYTEST_ARGS="-k workflow")
#   make lint   ruff check + ruff format --check
#   make bench  speed and memory benchmark (clusterdesk.bench)
#   make loadtest  the deadline rush under locust (USERS=, DURATION=, LOADTEST_DATABASE_URL=)

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
# Touched after a successful install; older than pyproject.toml means "install again".
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=
# make serve: gunicorn workers (empty: 2 × CPUs + 1) and queue workers.
WORKERS ?=
QUEUE_WORKERS ?= 1

.DEFAULT_GOAL := help
.PHONY: help install run serve migrate seed test lint format bench loadtest clean

help:
	@echo "make run    启动开发服务器（含演示数据）：http://$(HOST):$(PORT)"
	@echo "make serve  以生产方式运行（gunicorn + 后台任务；WORKERS=、QUEUE_WORKERS=）"
	@echo "make test   运行全部测试（附加参数：PYTEST_ARGS=...）"
	@echo "make lint   代码检查（ruff check、ruff format --check）"
	@echo "make bench  性能基准测试"
	@echo "make loadtest  申报截止日压力测试（USERS=、DURATION=，需要 PostgreSQL）"

$(PY):
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null \
		|| { echo "需要 Python 3.11 或更高版本：请安装后重试，或用 PYTHON=/path/to/python3.11 指定。" >&2; exit 1; }
	$(PYTHON) -m venv $(VENV) \
		|| { echo "无法创建虚拟环境：Debian/Ubuntu 请先安装 python3-venv。" >&2; rm -rf $(VENV); exit 1; }

$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet --editable '.[dev]'
	@touch $(STAMP)

install: $(STAMP)

migrate: install
	$(PY) manage.py migrate --noinput

# Demo accounts share a published password, so seed_demo only runs in debug mode.
seed: migrate
	CLUSTERDESK_DEBUG=1 $(PY) manage.py seed_demo

# The background worker (exports) runs beside the server and stops with it (Ctrl+C).
run: seed
	@echo "在浏览器中打开 http://$(HOST):$(PORT)/ ，用上表中的演示账户登录；按 Ctrl+C 停止。"
	@export CLUSTERDESK_DEBUG=$${CLUSTERDESK_DEBUG:-1}; \
	$(PY) manage.py exports_worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver $(HOST):$(PORT)

# Production settings from the environment (README "make serve"); migrates first, refuses to
# start (exit 2) when a production setting is missing. Ctrl+C stops every process.
serve: install
	$(PY) manage.py serve --host $(HOST) --port $(PORT) --workers "$(WORKERS)" \
		--queue-workers "$(QUEUE_WORKERS)"

test: install
	$(PY) -m pytest $(PYTEST_ARGS)

lint: install
	$(PY) -m ruff check src tests
	$(PY) -m ruff format --check src tests

format: install
	$(PY) -m ruff check --fix src tests
	$(PY) -m ruff format src tests

bench: install
	$(PY) -m clusterdesk.bench

# A fresh PostgreSQL database (LOADTEST_DATABASE_URL names the server), make serve's stack,
# locust headless; dropped and stopped afterwards. Exit code 1 when a goal is missed.
USERS ?= 50
DURATION ?= 60
loadtest: install
	$(PY) -m clusterdesk.loadtest --users "$(USERS)" --duration "$(DURATION)"

# Keeps var/ (the local database and uploaded files).
clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis test-artifacts
