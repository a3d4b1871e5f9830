# Authors' interface. Target names follow pelican-quickstart's Makefile.
# Every target that needs Python first makes sure the local virtualenv (.venv)
# exists and matches the pinned requirements, so a fresh clone needs nothing else.

PY_BOOT   ?= python3
VENV      := .venv
PY        := $(VENV)/bin/python
PELICAN   := $(PY) -m pelican
INPUTDIR  := content
OUTPUTDIR := output
CONFFILE  := pelicanconf.py
PUBLISHCONF := publishconf.py
HOST      ?= 127.0.0.1
PORT      ?= 8000
RECEIVER_PORT ?= 8001
PYTEST_ARGS ?=
# pip's "Location ... is ignored" warnings on this machine kind are noise.
PIP_FLAGS := --quiet --disable-pip-version-check

SITE_STAMP := $(VENV)/.site-requirements
DEV_STAMP  := $(VENV)/.dev-requirements
NODE_STAMP := node_modules/.installed

.DEFAULT_GOAL := help

help: ## List the targets
	@echo "Truffles Vein Specialists RLS guide - make targets:"
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "} {printf "  make %-10s %s\n", $$1, $$2}'
	@echo "Variables: PORT=$(PORT) RECEIVER_PORT=$(RECEIVER_PORT) HOST=$(HOST)"

$(PY):
	@$(PY_BOOT) -c 'import sys; sys.exit("Python 3.11 or newer is needed, found " + sys.version.split()[0]) if sys.version_info < (3, 11) else None'
	$(PY_BOOT) -m venv $(VENV)
	$(PY) -m pip install $(PIP_FLAGS) --upgrade pip==24.3.1

# The project itself is installed in editable mode (pyproject.toml), so the
# plugins, the comment library and the receiver import by name from anywhere.
$(SITE_STAMP): requirements.txt pyproject.toml | $(PY)
	$(PY) -m pip install $(PIP_FLAGS) -r requirements.txt
	$(PY) -m pip install $(PIP_FLAGS) --no-deps --no-build-isolation -e .
	@touch $@

$(DEV_STAMP): requirements.txt requirements-dev.txt pyproject.toml | $(PY)
	$(PY) -m pip install $(PIP_FLAGS) -r requirements-dev.txt
	$(PY) -m pip install $(PIP_FLAGS) --no-deps --no-build-isolation -e .
	@touch $(SITE_STAMP) $@

# The Nu Html Checker (vnu-jar, pinned in package-lock.json) for the HTML
# validity tests. --ignore-scripts: its install script would download a JDK;
# the system Java runs it. Without npm those tests are skipped with a message.
$(NODE_STAMP): package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		npm ci --ignore-scripts --no-audit --no-fund --loglevel=error && touch $@; \
	else \
		echo "npm not found: the HTML validation tests will be skipped (apt-get install npm default-jre-headless)"; \
	fi

venv: $(SITE_STAMP) ## Create/update the local virtualenv (.venv)

# The development build's comment form posts to the receiver `make serve`
# starts; `make html COMMENTS_ENDPOINT=` builds without a form.
html: export COMMENTS_ENDPOINT ?= http://$(HOST):$(RECEIVER_PORT)/comments

# Build into a scratch folder and swap it in only when the build succeeded, so a
# failed build never leaves a half-written site that looks complete.
html: $(SITE_STAMP) ## Build the site into output/ (development settings)
	@rm -rf $(OUTPUTDIR).partial
	$(PELICAN) $(INPUTDIR) -o $(OUTPUTDIR).partial -s $(CONFFILE)
	@rm -rf $(OUTPUTDIR) && mv $(OUTPUTDIR).partial $(OUTPUTDIR)

publish: $(SITE_STAMP) ## Production build (publishconf.py: absolute URLs, feeds, sitemap, compression)
	@rm -rf $(OUTPUTDIR).partial
	$(PELICAN) $(INPUTDIR) -o $(OUTPUTDIR).partial -s $(PUBLISHCONF)
	@rm -rf $(OUTPUTDIR) && mv $(OUTPUTDIR).partial $(OUTPUTDIR)

serve: html ## Serve output/ on http://127.0.0.1:8000 (PORT=) and the comment receiver on :8001 (RECEIVER_PORT=)
	$(PY) -m site_tools.serve --host $(HOST) --port $(PORT) --receiver-port $(RECEIVER_PORT) --output $(OUTPUTDIR)

devserver: $(SITE_STAMP) ## Rebuild on every change and reload the browser (http://127.0.0.1:8000)
	$(PY) -m site_tools.devserver --host $(HOST) --port $(PORT)

comments: $(SITE_STAMP) ## List comments waiting for moderation (then: make approve ID=…, make reject ID=…)
	$(PY) -m comment_receiver list

approve: $(SITE_STAMP) ## Publish a queued comment: make approve ID=<id> (then make html and commit content/comments/)
	@test -n "$(ID)" || { echo "usage: make approve ID=<comment id from make comments>"; exit 2; }
	$(PY) -m comment_receiver approve $(ID)

reject: $(SITE_STAMP) ## Delete a queued comment: make reject ID=<id>
	@test -n "$(ID)" || { echo "usage: make reject ID=<comment id from make comments>"; exit 2; }
	$(PY) -m comment_receiver reject $(ID)

test: $(DEV_STAMP) $(NODE_STAMP) ## Run the whole test suite (builds real sites, drives headless Chromium)
	$(PY) -m pytest $(PYTEST_ARGS)

bench: $(DEV_STAMP) ## Measure build speed and page weight (docs/benchmarks.md) and the worst comment render time
	$(PY) -m site_tools.bench
	$(PY) -m site_tools.render_bench

clean: ## Remove the built site and caches (keeps .venv and node_modules)
	rm -rf $(OUTPUTDIR) $(OUTPUTDIR).partial cache __pycache__ .pytest_cache

distclean: clean ## Also remove the virtualenv and node_modules
	rm -rf $(VENV) node_modules

.PHONY: help venv html publish serve devserver comments approve reject test bench clean distclean
