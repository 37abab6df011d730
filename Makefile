# Brightcart support assistant. `make run` to talk to it, `make test` for the whole test ladder.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
PY := $(VENV)/bin/python
RASA := $(VENV)/bin/rasa
INSTALLED := $(VENV)/.installed
MODEL_DIR := models

# Defaults for the embedded setup; override any of them in the environment.
export ACTION_ENDPOINT_URL ?= http://localhost:$(ACTION_PORT)/webhook
export RASA_PORT ?= 5005
export ACTION_PORT ?= 5055
export TRACKER_STORE_URL ?= sqlite:///var/tracker.db
export NLU_MIN_MACRO_F1 ?= 0.95
export RASA_TELEMETRY_ENABLED := false
export SQLALCHEMY_SILENCE_UBER_WARNING := 1
export TF_CPP_MIN_LOG_LEVEL := 2
export CUSTOMER_DATA_PORT ?= 8000
export CUSTOMER_DATA_URL ?= http://127.0.0.1:$(CUSTOMER_DATA_PORT)
export DATABASE_URL ?= sqlite:///var/customer_data.db

# Development secrets (API token, webhook secret), generated on first use, never committed.
-include var/dev.env
var/dev.env: scripts/dev_env.sh
	@scripts/dev_env.sh

.PHONY: help install redis train run shell token test lint unit integration validate test-nlu test-conversations e2e seed segment drift nlu-report bench clean webchat browser

help: ## Show the targets
	@grep -E '^[a-z-]+:.*## ' Makefile | awk -F':.*## ' '{printf "  make %-20s %s\n", $$1, $$2}'

install: $(INSTALLED) ## Create .venv with Python 3.10 and install the pinned dependencies

$(INSTALLED): requirements.txt requirements.lock scripts/install.sh
	scripts/install.sh
	touch $@

redis: ## Install redis-server if missing (integration tests start their own on loopback)
	scripts/ensure_redis.sh

WEBCHAT_INSTALLED := webchat/node_modules/.package-lock.json
webchat: $(WEBCHAT_INSTALLED) ## Install the web page's chat widget from npm (npm ci; Node from Debian if missing)

$(WEBCHAT_INSTALLED): webchat/package.json webchat/package-lock.json scripts/ensure_node.sh
	scripts/ensure_node.sh
	cd webchat && npm ci --no-audit --no-fund --loglevel=error
	touch $@

browser: ## Install Debian's chromium if missing (browser tests drive it with Playwright)
	scripts/ensure_browser.sh

train: install ## Train the model if data/, config.yml or domain.yml changed; print time and size
	$(PY) scripts/train_model.py --out $(MODEL_DIR)

run: install train seed webchat ## Start the data service, action server and Rasa server; print the URLs
	DEV_MODE=$${DEV_MODE:-1} scripts/run.sh

seed: install ## Create or migrate the customer database, load the demo CRM export, segment (idempotent)
	$(PY) -m customer_data.migrate upgrade
	$(PY) -m customer_data.ingest load-all data/crm
	$(PY) -m insights segment --if-unsegmented
	$(PY) -m insights build-assistant-models --if-missing

nlu-report: install ## Regenerate docs/nlu_report.md: TF-IDF variants, typos, and the stock DIET pipeline (slow: trains DIET)
	PYTHONPATH=. $(PY) bench/nlu_quality.py --write
	PYTHONPATH=. $(PY) bench/nlu_compare_diet.py --write

segment: install ## Re-fit the customer segmentation on the current data and write a report
	$(PY) -m insights segment

drift: install ## Compare current customer features with the segmentation model's training data
	$(PY) -m insights drift

bench: install train redis ## Run the benchmarks under bench/ and print their figures
	scripts/ensure_wrk.sh
	$(PY) bench/profile_api.py
	$(PY) bench/ingest_throughput.py
	PYTHONPATH=. $(PY) bench/parse_latency.py
	PYTHONPATH=. $(PY) bench/nlu_quality.py
	PYTHONPATH=. $(PY) bench/entity_quality.py
	PYTHONPATH=. $(PY) bench/clarification_tradeoff.py
	PYTHONPATH=. $(PY) bench/recommender_quality.py
	PYTHONPATH=. $(PY) bench/escalation_quality.py
	PYTHONPATH=. $(PY) bench/segmentation_scale.py --sizes 100000 1000000

token: install ## Print a signed customer token for testing: make -s token CUSTOMER=C0000136
	@PYTHONPATH=. $(PY) scripts/dev_token.py $(CUSTOMER)

shell: install train seed ## Chat with the assistant in the terminal
	scripts/run.sh --shell

test: lint unit integration validate train test-nlu test-conversations e2e ## The whole test ladder (what CI runs)
	@echo "All checks passed."

lint: install ## ruff
	$(VENV)/bin/ruff check .

unit: install ## pytest unit tests (no network)
	$(VENV)/bin/pytest -q tests/unit

integration: install redis ## pytest integration tests (SQLite, real Redis on loopback)
	$(VENV)/bin/pytest -q tests/integration

validate: install ## rasa data validate --fail-on-warning
	$(RASA) data validate --fail-on-warning --quiet

test-nlu: train ## Evaluate NLU on the held-out file and print accuracy / macro-F1
	rm -rf results/nlu  # reports of extractors no longer in the pipeline would linger
	$(RASA) test nlu --nlu tests/nlu/holdout.yml --model $(MODEL_DIR) --out results/nlu --quiet
	$(PY) scripts/nlu_report.py results/nlu --min-macro-f1 $(NLU_MIN_MACRO_F1)

test-conversations: train ## rasa test on tests/test_*.yml, failing on any prediction error
	$(RASA) test core --stories tests --model $(MODEL_DIR) --out results/core --e2e --fail-on-prediction-errors --quiet

e2e: train webchat browser ## Start all servers on loopback: conversations over REST, socket.io and in headless Chromium
	$(VENV)/bin/pytest -q tests/e2e

clean: ## Remove models, results and runtime state (keeps .venv)
	rm -rf $(MODEL_DIR) results var .rasa
