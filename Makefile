# Fangkong: `make demo` runs the platform with a demo district; `make test` runs every check.
PYTHON ?= python3
VENV   ?= .venv
PY      = $(VENV)/bin/python
PORT   ?= 8000
export DEBUG ?= 1

.PHONY: demo test install install-dev system-deps check lint typecheck translations pytest clean

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e .
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed pyproject.toml
	$(PY) -m pip install -q -e '.[dev]'
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

# The demo runs as production does (DEBUG off): fangkong/demo/settings.py.
demo: export DEBUG = 0
demo: export DJANGO_SETTINGS_MODULE = fangkong.demo.settings
demo: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo --if-empty
	PORT=$(PORT) $(PY) manage.py serve

lint: install-dev
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/ruff check .

typecheck: install-dev
	$(VENV)/bin/mypy fangkong bench

translations: install-dev
	$(PY) manage.py compile_translations
	$(PY) manage.py check_translations

check: install-dev
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run

# Chromium, CJK fonts, gettext, Pango, poppler: installed when run as root, else the exact command to run.
system-deps:
	.ci/system-deps

pytest: install-dev system-deps
	$(PY) -m pytest -q

test: system-deps lint typecheck check translations pytest

clean:
	rm -rf $(VENV) var build *.egg-info
