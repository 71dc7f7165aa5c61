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
# in Chinese pages.
PEERS = $(VENV)/peers
PEERS_STAMP = $(PEERS)/.installed

.PHONY: demo test test-scaleout lint browse bench bench-sweep screenshots clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	$(BIN)/pip check
	touch $@

$(TOOLS_STAMP): Makefile
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet pywb==2.10.0 wacz==0.6.0
	touch $@

$(PEERS_STAMP): Makefile
	$(PYTHON) -m venv $(PEERS)
	$(PEERS)/bin/pip install --quiet --upgrade pip
	$(PEERS)/bin/pip install --quiet trafilatura==2.3.1 readability-lxml==0.9 resiliparse==2.0.1 \
		'goose3[chinese]==3.1.22' 'newspaper4k[zh]==0.9.6' boilerpy3==1.0.7
	$(PEERS)/bin/pip check
	touch $@

## demo: build demo.db from the bundled sample board, crawled twice with a change between
demo: $(STAMP)
	$(BIN)/python -m crawler.demo --db demo.db

## test: the whole test suite (real crawls against a local server), on every core
## (most of its time is presswatch processes starting; each worker has its own board server)
test: $(STAMP) $(TOOLS_STAMP) $(PEERS_STAMP)
	$(BIN)/pytest -n auto --maxprocesses 4 -m "not scaleout"

## test-scaleout: crawl jobs on three real Scrapyd nodes through a real Redis to one
## writer, with nodes, the writer and Redis killed mid-run (about 4 min; needs redis-server)
test-scaleout: $(STAMP)
	$(BIN)/pytest -m scaleout

## lint: ruff, and mypy (strict on the typed core)
lint: $(STAMP)
	$(BIN)/ruff check crawler storage bench tests
	$(BIN)/mypy

## bench: throughput, recrawl cost, memory and archive scale → docs/benchmarks.md
## (QUICK=1: small sizes in under a minute; checks correctness, not speed)
bench: $(STAMP) $(PEERS_STAMP)
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
