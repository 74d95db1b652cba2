# wagtail-b2b-cabinet: the two commands a newcomer runs are `make demo` and `make test`.
HOST ?= 127.0.0.1
PORT ?= 8000
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) example_site/manage.py
STAMP := $(VENV)/.installed-stamp
PYTEST_ARGS ?=

.PHONY: venv demo test lint check messages clean bench

venv: $(STAMP)

# setup.py and the .pyx: an editable install compiles the import walker in place, so a change rebuilds it.
$(STAMP): setup.cfg setup.py pyproject.toml b2b_cabinet/sync/reader/_walk.pyx b2b_cabinet/sync/reader/_scan.pxi
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -e '.[test,postgres,redis,example]'
	touch $(STAMP)

demo: $(STAMP)
	@mkdir -p var
	$(MANAGE) migrate --noinput
	$(MANAGE) b2b_demo
	$(MANAGE) b2b_schedules
	@$(MANAGE) qcluster > var/qcluster.log 2>&1 & QPID=$$!; \
	trap 'kill $$QPID 2>/dev/null' EXIT INT TERM; \
	echo "django-q2 cluster started (pid $$QPID, log var/qcluster.log)"; \
	echo "Open http://$(HOST):$(PORT)/  (catalogue /catalog/, cabinet /cabinet/, admin /admin/)"; \
	echo "Logins: see the list b2b_demo printed above (password: demo)"; \
	$(MANAGE) runserver --noreload $(HOST):$(PORT)

test: $(STAMP)
	$(PY) -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check .

check: $(STAMP)
	$(MANAGE) check
	$(MANAGE) makemigrations --check --dry-run

messages: $(STAMP)
	cd b2b_cabinet && ../$(MANAGE) makemessages -l ru --no-obsolete && ../$(MANAGE) compilemessages -l ru

bench: $(STAMP)
	$(PY) benchmarks/import_bench.py

clean:
	rm -rf $(VENV) var build dist *.egg-info b2b_cabinet/sync/reader/_walk.c b2b_cabinet/sync/reader/_walk.*.so
