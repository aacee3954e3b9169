# Jämbench: `make run` serves the demo, `make test` runs every check.
PYTHON ?= $(shell command -v python3.13 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
# Production-like settings for `check --deploy` (values are examples, not secrets).
DEPLOY_ENV := DEBUG=0 HTTPS=1 ALLOWED_HOSTS=jambench.example.se \
	SECRET_KEY=deploy-check-2f1c6a0e9b8d4f7a93e5c1b0d2a4f6e8c7b9a1d3e5f7091b3d5f7a9c1e3g5 \
	DATABASE_URL=sqlite:///:memory: EMAIL_URL=smtp://mail.example.se:587

.PHONY: run test lint audit check pytest install messages bench clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 13) else "Python 3.13 is needed (see .python-version); found " + sys.version)'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	rm -f $(VENV)/.installed-*
	touch $@

install: $(STAMP)

run: $(STAMP)
	DEBUG=1 $(PY) manage.py migrate --noinput
	DEBUG=1 $(PY) manage.py seed_demo
	DEBUG=1 PATH="$(CURDIR)/$(BIN):$$PATH" honcho -f Procfile.dev start

test: lint check pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/djlint templates --lint
	$(BIN)/bandit -c pyproject.toml -r . -q

# pip-audit with its defaults, apart from the test run: it needs its vulnerability service.
# Where that cannot be reached, or has no answer for a distribution, the last line says so.
audit: $(STAMP)
	@mkdir -p var; $(BIN)/pip-audit --skip-editable --progress-spinner off > var/pip-audit.log 2>&1; \
	status=$$?; cat var/pip-audit.log; \
	if [ $$status -ne 0 ] && grep -qiE "connection|resolve|timed? ?out|unreachable" var/pip-audit.log; then \
		echo "pip-audit could not reach its vulnerability service: nothing was audited."; \
	fi; \
	skipped=$$(grep -c "could not be audited" var/pip-audit.log); \
	if [ "$$skipped" -gt 0 ]; then \
		echo "pip-audit could not check $$skipped distributions (its service had no answer for them): they were not audited."; \
	fi; \
	exit $$status

check: $(STAMP)
	DEBUG=1 $(PY) manage.py makemigrations --check --dry-run
	$(DEPLOY_ENV) $(PY) manage.py check --deploy --fail-level WARNING

pytest: $(STAMP)
	$(BIN)/pytest -n 2 $(PYTEST_ARGS)

# Update both catalogues after changing strings (needs GNU gettext). The source strings are
# English, so the English catalogue repeats them; Swedish entries are translated by hand.
messages: $(STAMP)
	DEBUG=1 $(PY) manage.py makemessages -l sv -l en --no-obsolete --no-location
	$(PY) -c 'import polib; p = polib.pofile("locale/en/LC_MESSAGES/django.po"); \
	[setattr(e, "msgstr", e.msgid) for e in p if not e.msgid_plural and not e.msgstr]; p.save()'
	DEBUG=1 $(PY) manage.py compilemessages --ignore .venv

# Benchmarks, outside `make test`: every bench/*.py, results written to bench/results.md.
# The load benchmark needs PostgreSQL (BENCH_DATABASE_URL) and wrk (apt-get install wrk).
bench: $(STAMP)
	$(PY) bench/report.py

clean:
	rm -rf $(VENV) var staticfiles
