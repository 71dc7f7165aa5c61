# presswatch — `make demo` and `make test` are all a new machine needs.
PYTHON ?= python3
VENV ?= .venv
BIN = $(VENV)/bin
STAMP = $(VENV)/.installed
# pywb and py-wacz, the reference tools the evidence tests replay and validate
# exports with, in an environment of their own: they pin old redis and
# cryptography releases that presswatch's own environment must not get.
TOOLS = $(VENV)/tools
TOOLS_STAMP = $(TOOLS)/.installed
# The peer extractors the benchmark scores presswatch against (bench/peers.py),
# in an environment of their own too: newspaper4k caps python-dateutil < 3 and
# readability-lxml cssselect < 1.4, below what presswatch's environment has.
# goose3[chinese] and newspaper4k[zh] bring jieba: without it both find no body
# in Chinese pages; newspaper4k[ja] brings tinysegmenter, which it imports for
# any page that declares itself Japanese.
PEERS = $(VENV)/peers
PEERS_STAMP = $(PEERS)/.installed

# Debian packages the tests start for real: Chromium for the browser tests
# (Playwright never downloads one), nginx to serve the benchmarks'
# pre-rendered boards, redis-server between crawl jobs on several machines
# and the archive's writer.  `make test` installs them (as root, or with
# sudo that needs no password), or stops at once saying how.
SYSTEM_PACKAGES = chromium:chromium nginx:nginx-light redis-server:redis-server
# uv sets up the environments: the same packages as pip, in seconds rather
# than a minute (make demo on a fresh clone).  Unlike pip, uv leaves the
# bytecode uncompiled; where Python may not write it (PYTHONDONTWRITEBYTECODE)
# every presswatch run would compile its dependencies again (a notify run:
# 2.3 s instead of 1.1 s), so it is compiled once, at install.
UV = $(BIN)/uv
UV_INSTALL = $(UV) pip install --quiet --compile-bytecode

.PHONY: demo test test-scaleout lint browse bench bench-sweep bench-backfill screenshots clean system-packages

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet uv
	$(UV_INSTALL) --python $(BIN)/python -e '.[test]'
	$(UV) pip check --quiet --python $(BIN)/python
	touch $@

$(TOOLS_STAMP): Makefile $(STAMP)
	$(UV) venv --quiet --allow-existing --python $(PYTHON) $(TOOLS)
	$(UV_INSTALL) --python $(TOOLS)/bin/python pywb==2.10.0 wacz==0.6.0
	touch $@

$(PEERS_STAMP): Makefile $(STAMP)
	$(UV) venv --quiet --allow-existing --python $(PYTHON) $(PEERS)
	$(UV_INSTALL) --python $(PEERS)/bin/python trafilatura==2.3.1 readability-lxml==0.9 \
		resiliparse==2.0.1 'goose3[chinese]==3.1.22' 'newspaper4k[zh,ja]==0.9.6' boilerpy3==1.0.7
	$(UV) pip check --quiet --python $(PEERS)/bin/python
	touch $@

## system-packages: the Debian packages the tests need, installed when missing
system-packages:
	@missing=""; for pair in $(SYSTEM_PACKAGES); do \
		command -v "$${pair%%:*}" >/dev/null 2>&1 || [ -x "/usr/sbin/$${pair%%:*}" ] || missing="$$missing $${pair#*:}"; \
	done; \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" = 0 ]; then sudo=""; elif sudo -n true 2>/dev/null; then sudo="sudo"; \
		else echo "make test needs Debian packages:$$missing (install them: sudo apt-get install$$missing)" >&2; exit 1; fi; \
		command -v apt-get >/dev/null || { echo "make test needs:$$missing (no apt-get here: install them with your package manager)" >&2; exit 1; }; \
		echo "installing$$missing"; \
		$$sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq $$missing >/dev/null; \
	fi

## demo: build demo.db from the bundled sample board, crawled twice with a change between
demo: $(STAMP)
	$(BIN)/python -m crawler.demo --db demo.db

## test: the whole test suite (real crawls against a local server), on every core
## (most of its time is presswatch processes starting; each worker has its own board server)
test: system-packages $(STAMP) $(TOOLS_STAMP) $(PEERS_STAMP)
	$(BIN)/pytest -n auto --maxprocesses 4 -m "not scaleout"

## test-scaleout: crawl jobs on three real Scrapyd nodes through a real Redis to one
## writer, with nodes, the writer and Redis killed mid-run (about 4 min; needs redis-server)
test-scaleout: system-packages $(STAMP)
	$(BIN)/pytest -m scaleout

## lint: ruff (its checks and its formatting), and mypy (strict on the typed core)
lint: $(STAMP)
	$(BIN)/ruff check crawler storage bench tests
	$(BIN)/ruff format --check crawler storage bench tests
	$(BIN)/mypy

## bench: throughput, recrawl cost, memory and archive scale → docs/benchmarks.md
## (QUICK=1: small sizes in under a minute; checks correctness, not speed)
bench: system-packages $(STAMP) $(PEERS_STAMP)
	$(BIN)/python -m bench.run $(if $(QUICK),--quick)

## bench-sweep: the rolling sweep and list pass, cron every 3 h for 60 simulated days
## on a 20,000-release board, against weekly --full → docs/sweep.md (about 45 min;
## QUICK=1: a small board for a few days, checks the same properties in about a minute)
bench-sweep: $(STAMP)
	$(BIN)/python -m bench.sweep $(if $(QUICK),--quick)

## screenshots: the browser test, saving its screenshots of the Datasette pages in docs/
screenshots: $(STAMP)
	PRESSWATCH_SCREENSHOTS=docs $(BIN)/pytest -q tests/test_browse.py -k real_browser

## browse: Datasette over demo.db (run `make demo` first) on http://127.0.0.1:8001
browse: $(STAMP)
	$(BIN)/presswatch serve --db demo.db

clean:
	rm -rf $(VENV) *.egg-info .pytest_cache demo.db demo.db-* demo.db.lock

## bench-backfill: `presswatch backfill` of a 1,000-release board's past from a local pywb
## (QUICK=1: 100 releases): presswatch's own cost per capture, and the time at the default delay
bench-backfill: $(STAMP) $(TOOLS_STAMP)
	$(BIN)/python -m bench.backfill_speed $(if $(QUICK),--releases 100)
