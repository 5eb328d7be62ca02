# make run: a working site on SQLite at http://127.0.0.1:$(PORT)
# make test: the whole test suite
# make screenshots: the main pages at phone and desktop widths, into docs/screenshots/
# make lighthouse: Lighthouse (mobile) on the home and an article page; scores into bench/results/lighthouse.md, fails below 95
# make audit: known vulnerabilities in the requirements (pip-audit; needs the internet)
# make bench: digest sending, cache backends, sanitizing and page speed, as ratios to baselines measured in the same run
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8000
export VAR_DIR ?= $(CURDIR)/var
# Settings read the secret key generated on first run from var/secret_key (git-ignored)
# unless SECRET_KEY is set.
MANAGE := $(PY) manage.py

.PHONY: run test check migrate screenshots lighthouse bench audit

$(VENV)/.installed: requirements.txt
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

$(VAR_DIR)/secret_key:
	mkdir -p $(VAR_DIR)
	umask 077 && $(PY) -c "import secrets; print(secrets.token_urlsafe(50))" > $@

migrate: $(VENV)/.installed $(VAR_DIR)/secret_key
	$(MANAGE) migrate --noinput -v0

# Every absolute link (emails, feed, sitemap) is on SITE_URL; locally, this server.
run: export SITE_URL ?= http://127.0.0.1:$(PORT)
run: migrate
	$(MANAGE) collectstatic --noinput -v0
	$(MANAGE) load_demo
	$(MANAGE) ensure_admin
	@echo "Serving http://127.0.0.1:$(PORT)/ with gunicorn; background tasks run in task_worker."
	@# The worker waits out database outages itself; should it die anyway, it starts again.
	@( trap 'kill $$pid 2>/dev/null; exit 0' TERM; \
	  while :; do \
	    $(MANAGE) task_worker --no-startup-delay & pid=$$!; wait $$pid; \
	    echo "task_worker stopped (exit $$?); starting it again in 2 s." >&2; \
	    sleep 2 & pid=$$!; wait $$pid; \
	  done ) & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	PORT=$(PORT) $(VENV)/bin/gunicorn --config gunicorn.conf.py wisegeek.wsgi

test: $(VENV)/.installed-dev
	$(PY) -m pytest $(PYTEST_ARGS)

# Starts its own throw-away site with the demo content, as the end-to-end tests do.
screenshots: $(VENV)/.installed-dev
	$(PY) -m tests.e2e.screenshots docs/screenshots

# The same throw-away site, with its task worker; Lighthouse from node_modules (npm ci
# --ignore-scripts) drives Debian's Chromium. JSON and HTML reports go to $(VAR_DIR)/lighthouse/.
lighthouse: $(VENV)/.installed-dev
	$(PY) -m tests.e2e.lighthouse $(VAR_DIR)/lighthouse

# Throw-away databases in a temporary folder; BENCH_ARGS="--sizes 1000,5000" for a quick run.
# bench.pages takes about 20 minutes (PostgreSQL at 127.0.0.1:5432 too); PAGES_ARGS=--quick for a few.
bench: $(VENV)/.installed-dev
	$(PY) -m bench.digest_send $(BENCH_ARGS)
	$(PY) -m bench.cache_backends
	$(PY) -m bench.sanitize
	$(PY) -m bench.pages $(PAGES_ARGS)

check: $(VENV)/.installed $(VAR_DIR)/secret_key
	$(MANAGE) check --fail-level WARNING

# pip-audit resolves requirements.txt and requirements-dev.txt as pip would today and asks
# the OSV vulnerability database about every release. Without a way to it, it stops at
# once saying so, rather than resolving everything first and then failing on a timeout.
OSV_URL := https://api.osv.dev/v1/query
audit: $(VENV)/.installed-dev
	@$(PY) -c "import json, urllib.request as r; r.urlopen(r.Request('$(OSV_URL)', data=json.dumps({'package': {'name': 'django', 'ecosystem': 'PyPI'}, 'version': '5.2'}).encode()), timeout=15).close()" 2>/dev/null || \
	  { echo "make audit: the vulnerability database at $(OSV_URL) cannot be reached from this machine; run make audit where it can (README: Supply chain)." >&2; exit 2; }
	$(VENV)/bin/pip-audit --strict --vulnerability-service osv --timeout 30 --progress-spinner off \
	  --requirement requirements.txt --requirement requirements-dev.txt
