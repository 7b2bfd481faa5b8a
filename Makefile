# The two commands of the README: `make run` and `make test`. Each bootstraps .venv itself.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000

.PHONY: run test setup lint format messages vendor bench clean

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

setup: $(VENV)/.installed

run: setup
	DEBUG=1 $(PY) manage.py migrate --noinput
	DEBUG=1 $(PY) manage.py createcachetable
	DEBUG=1 $(PY) manage.py setup_demo
	@# The background worker runs beside the server and stops with it (Ctrl-C stops both). It does not reload
	@# on code changes: after changing a job, stop and start `make run` again.
	DEBUG=1 $(PY) manage.py run_worker --no-reload & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	DEBUG=1 $(PY) manage.py runserver 127.0.0.1:$(PORT)

test: setup
	DEBUG=1 $(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/pytest

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: setup
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Regenerate the Thai message catalogue after changing UI strings, then compile it (both are committed).
messages: setup
	DEBUG=1 $(PY) manage.py makemessages -l th --no-location --ignore=.venv --ignore=static/vendor --ignore=benchmarks
	DEBUG=1 $(PY) manage.py compilemessages --ignore=.venv

# Re-fetch the pinned front-end assets from the npm registry into static/vendor/ (needs Node/npm).
vendor:
	bash scripts/vendor_assets.sh

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
