# Two commands: `make run` serves the site on SQLite, `make test` runs every test.
# Both set up everything first (virtualenv, dependencies, migrations, shipped content).

PYTHON ?= $(shell for p in python3.13 python3.12 python3.11 python3; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null && { echo $$p; break; }; done)
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8000
HOST ?= 127.0.0.1
# Full law texts to import, if present (JSON files in the shape documented in the README).
LAW_DIR ?= ../shared/content
CHROMIUM ?= /usr/bin/chromium
# The Nu HTML Checker (npm's vnu-jar, run with the system's Java) for tests/browser/test_html_validity.py.
VNU_VERSION ?= 26.9.27
VNU_DIR ?= .tools/vnu
VNU_JAR := $(VNU_DIR)/node_modules/vnu-jar/build/dist/vnu.jar

.PHONY: run test setup setup-dev migrate content laws browser vnu lint bench-tools bench bench-search cluster backup clean distclean

$(VENV)/.runtime: requirements.txt
	@test -n "$(PYTHON)" || { echo "Python 3.11 or newer is needed (python3.11, python3.12 or python3.13 on PATH)."; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	@touch $@

$(VENV)/.dev: $(VENV)/.runtime requirements-dev.txt
	$(PY) -m pip install --quiet -r requirements-dev.txt
	@touch $@

setup: $(VENV)/.runtime
setup-dev: $(VENV)/.dev

migrate: setup
	$(PY) manage.py migrate --noinput

content: migrate
	$(PY) manage.py load_content

laws: content
	@for f in $(wildcard $(LAW_DIR)/*.json); do $(PY) manage.py import_law "$$f" --verbosity 0 || exit 1; done

run: laws
	@echo "Serving on http://$(HOST):$(PORT)/  (Ctrl-C to stop)"
	$(PY) manage.py runserver $(HOST):$(PORT)

# Chromium, and a Chinese font so that screenshots show Chinese text (not empty boxes).
browser:
	@if [ -x "$(CHROMIUM)" ] && { ! command -v dpkg-query >/dev/null 2>&1 || \
		dpkg-query -W -f='$${Status}' fonts-noto-cjk 2>/dev/null | grep -q 'ok installed'; }; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		echo "Installing Debian's chromium and a Chinese font (fonts-noto-cjk) for the browser tests..."; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; \
	elif [ -x "$(CHROMIUM)" ]; then \
		echo "NOTE: no Chinese font (Debian/Ubuntu: sudo apt-get install fonts-noto-cjk); screenshots will show boxes."; \
	else \
		echo "NOTE: no Chromium at $(CHROMIUM); browser tests will be skipped."; \
		echo "      Install it (Debian/Ubuntu: sudo apt-get install chromium) or set CHROMIUM=/path/to/chromium."; \
	fi

# --ignore-scripts: the package's install script would fetch a Java of its own; the system's is used.
vnu:
	@if [ -f "$(VNU_JAR)" ]; then :; \
	elif command -v npm >/dev/null 2>&1; then \
		echo "Installing the Nu HTML Checker (npm vnu-jar@$(VNU_VERSION)) into $(VNU_DIR)..."; \
		mkdir -p "$(VNU_DIR)" && npm install --silent --no-audit --no-fund --ignore-scripts \
			--prefix "$(VNU_DIR)" "vnu-jar@$(VNU_VERSION)" \
		|| echo "NOTE: npm could not install vnu-jar; the HTML checks will be skipped (a failure under CI=true)."; \
	else \
		echo "NOTE: no npm; the HTML checks will be skipped (a failure under CI=true). Install Node.js and npm."; \
	fi
	@if command -v java >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		echo "Installing Debian's Java runtime for the HTML checker..."; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless >/dev/null; \
	else \
		echo "NOTE: no java on PATH; the HTML checks will be skipped (Debian/Ubuntu: sudo apt-get install default-jre-headless)."; \
	fi

# Tests run in parallel (pytest-xdist), one worker per core; a test module stays on one worker (its
# module-scoped servers start once). TEST_WORKERS=0 runs them in one process.
TEST_WORKERS ?= auto
test: setup-dev browser vnu
	$(PY) -m pytest -n $(TEST_WORKERS) --dist loadfile $(PYTEST_ARGS)

lint: setup-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run

# wrk (the load generator) and nginx (the balancer of `make cluster`), from Debian when run as root.
# Debian 12 packages a small nginx as nginx-light; later releases only have nginx.
bench-tools:
	@if command -v wrk >/dev/null 2>&1 && { command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ]; }; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		echo "Installing Debian's wrk and nginx for the benchmarks..."; \
		apt-get update -qq && \
		if apt-cache policy nginx-light 2>/dev/null | grep -q 'Candidate: [0-9]'; then nginx=nginx-light; else nginx=nginx; fi && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk $$nginx >/dev/null; \
	else \
		echo "NOTE: the benchmarks need wrk and nginx, which are not installed."; \
		echo "      Install them (Debian/Ubuntu: sudo apt-get install wrk nginx-light, or nginx where there is no nginx-light)."; \
	fi

# HTTP benchmark (wrk) of the site under gunicorn with production settings; see bench/http.py.
bench: setup-dev bench-tools
	$(PY) bench/http.py

# Two instances behind nginx sharing PostgreSQL and Redis; see bench/cluster.py.
cluster: setup-dev bench-tools
	$(PY) bench/cluster.py

bench-search: setup-dev
	$(PY) bench/search.py

# A backup of everything people made (docs/operations.md, "Backups"), checked as soon as it is written.
BACKUP_DIR ?= var/backups
backup: setup
	@mkdir -p $(BACKUP_DIR)
	@file="$(BACKUP_DIR)/socsec-$$(date +%Y%m%d-%H%M%S).json.gz"; \
		$(PY) manage.py backup_content "$$file" && $(PY) manage.py backup_content --check "$$file"

# `clean` keeps var/ (the SQLite database with every edit and account); `distclean` removes it too.
clean:
	rm -rf $(VENV) staticfiles .pytest_cache .tools test-artifacts

distclean: clean
	rm -rf var
