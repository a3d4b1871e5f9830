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
# `make preview` builds the production site here, so the development site in
# output/ stays as it is.
PREVIEWDIR := output-preview
# As in pelican-quickstart: extra options for every Pelican run, and DEBUG=1
# for Pelican's debug log (and full tracebacks).
PELICANOPTS ?=
ifeq ($(DEBUG), 1)
  PELICANOPTS += -D
endif
# Where `make rsync_upload` copies the production build: user@host:/path/
SSH_TARGET ?=
# pip's "Location ... is ignored" warnings on this machine kind are noise.
PIP_FLAGS := --quiet --disable-pip-version-check

SITE_STAMP := $(VENV)/.site-requirements
DEV_STAMP  := $(VENV)/.dev-requirements
NODE_STAMP := node_modules/.installed

.DEFAULT_GOAL := help

help: ## List the targets
	@echo "Truffles Vein Specialists RLS guide - make targets:"
	@grep -E '^[a-z_-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "} {printf "  make %-16s %s\n", $$1, $$2}'
	@echo "Variables: PORT=$(PORT) RECEIVER_PORT=$(RECEIVER_PORT) HOST=$(HOST) SITEURL= (make publish) DRAFTS=1 (make devserver)"
	@echo "           DEBUG=1 and PELICANOPTS=... (any Pelican run) SSH_TARGET=user@host:/path/ (make rsync_upload)"

$(PY):
	@$(PY_BOOT) -c 'import sys; sys.exit("Python 3.11 or newer is needed, found " + sys.version.split()[0]) if sys.version_info < (3, 11) else None'
	$(PY_BOOT) -m venv $(VENV)
	$(PY) -m pip install $(PIP_FLAGS) --upgrade pip==24.3.1

# The project itself is installed in editable mode (pyproject.toml), so the
# plugins, the comment library and the receiver import by name from anywhere.
$(SITE_STAMP): requirements.txt requirements-receiver.txt pyproject.toml | $(PY)
	$(PY) -m pip install $(PIP_FLAGS) -r requirements.txt
	$(PY) -m pip install $(PIP_FLAGS) --no-deps --no-build-isolation -e .
	@touch $@

$(DEV_STAMP): requirements.txt requirements-receiver.txt requirements-dev.txt pyproject.toml | $(PY)
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

# site_tools.build builds into a scratch folder and swaps it in only when the
# build succeeded, so a failed build never leaves a half-written site.
html: $(SITE_STAMP) ## Build the site into output/ (development settings)
	@$(PY) -m site_tools.build $(OUTPUTDIR) $(INPUTDIR) -s $(CONFFILE) $(PELICANOPTS)

regenerate: $(SITE_STAMP) ## Rebuild output/ whenever a file changes (no server; see devserver)
	$(PELICAN) -r $(INPUTDIR) -o $(OUTPUTDIR) -s $(CONFFILE) $(PELICANOPTS)

# The production address must be given: it goes into canonical links, the
# sitemap, robots.txt and the feeds (publishconf.py refuses to guess).
publish: export SITEURL := $(SITEURL)
publish: $(SITE_STAMP) ## Production build: make publish SITEURL=https://… (absolute URLs, feeds, sitemap, compression)
	@test -n "$(SITEURL)" || { echo "error: make publish needs the address the site is published at: make publish SITEURL=https://rls.example.org (to look at the production build locally: make preview)"; exit 2; }
	@$(PY) -m site_tools.build $(OUTPUTDIR) $(INPUTDIR) -s $(PUBLISHCONF) $(PELICANOPTS)

preview: $(SITE_STAMP) ## Build the production site for http://127.0.0.1:8000 into output-preview/ and serve it (output/ is left alone)
	@$(MAKE) --no-print-directory publish OUTPUTDIR=$(PREVIEWDIR) SITEURL=http://$(HOST):$(PORT) COMMENTS_ENDPOINT=$(COMMENTS_ENDPOINT)
	$(PY) -m site_tools.serve --host $(HOST) --port $(PORT) --no-receiver --output $(PREVIEWDIR)

rsync_upload: publish ## Publish, then copy output/ to SSH_TARGET=user@host:/path/ with rsync over SSH
	@test -n "$(SSH_TARGET)" || { echo "error: make rsync_upload needs SSH_TARGET=user@host:/path/to/site/ (and SITEURL=https://…)"; exit 2; }
	rsync -e ssh -P -rvzc --delete $(OUTPUTDIR)/ $(SSH_TARGET)

upload: rsync_upload ## Same as rsync_upload

serve: html ## Serve output/ on http://127.0.0.1:8000 (PORT=) and the comment receiver on :8001 (RECEIVER_PORT=)
	$(PY) -m site_tools.serve --host $(HOST) --port $(PORT) --receiver-port $(RECEIVER_PORT) --output $(OUTPUTDIR)

devserver: $(SITE_STAMP) ## Rebuild on every change and reload the browser (http://127.0.0.1:8000); DRAFTS=1 shows drafts
	$(PY) -m site_tools.devserver --host $(HOST) --port $(PORT) $(if $(filter 1,$(DRAFTS)),--drafts) $(if $(PELICANOPTS),--pelican-opts "$(PELICANOPTS)")

comments: $(SITE_STAMP) ## List comments waiting for moderation (then: make show ID=…, make approve ID=…, make reject ID=…)
	$(PY) -m comment_receiver list

show: $(SITE_STAMP) ## Print one queued comment in full: make show ID=<id>
	@test -n "$(ID)" || { echo "usage: make show ID=<comment id from make comments>"; exit 2; }
	$(PY) -m comment_receiver show $(ID)

approve: $(SITE_STAMP) ## Publish a queued comment: make approve ID=<id> (RECEIVER_PUBLISH=git commits and pushes it)
	@test -n "$(ID)" || { echo "usage: make approve ID=<comment id from make comments>"; exit 2; }
	$(PY) -m comment_receiver approve $(ID)

reject: $(SITE_STAMP) ## Delete a queued comment: make reject ID=<id>
	@test -n "$(ID)" || { echo "usage: make reject ID=<comment id from make comments>"; exit 2; }
	$(PY) -m comment_receiver reject $(ID)

publish-comments: $(SITE_STAMP) ## Retry approved comments not yet pushed (RECEIVER_PUBLISH=git)
	$(PY) -m comment_receiver publish

moderator: $(SITE_STAMP) ## Add or replace an inbox moderator: make moderator NAME=<name> (asks for the password)
	@test -n "$(NAME)" || { echo "usage: make moderator NAME=<name>"; exit 2; }
	$(PY) -m comment_receiver.inbox add "$(NAME)"

moderators: $(SITE_STAMP) ## List the inbox's moderators (remove one: python -m comment_receiver.inbox remove NAME)
	$(PY) -m comment_receiver.inbox list

# Two pytest-xdist workers (the machine's two cores); TEST_WORKERS=0 runs serially.
TEST_WORKERS ?= 2
# The lint runs first: CI runs `make test`, so a ruff finding fails CI too.
test: $(DEV_STAMP) $(NODE_STAMP) lint ## Lint, then run the whole test suite (builds real sites, drives headless Chromium)
	$(PY) -m pytest -n $(TEST_WORKERS) --dist worksteal $(PYTEST_ARGS)

# Two workers: these tests build no shared site, so each worker starts at once;
# worksteal evens out the few tests that wait out real timeouts.
test-fast: $(DEV_STAMP) ## The quick tests only: no browser, no whole-site builds (about 30 s)
	$(PY) -m pytest -n 2 --dist worksteal -m "not browser" --no-site-builds -rfE $(PYTEST_ARGS)

lint: $(DEV_STAMP) ## Check the Python code with ruff (rules in pyproject.toml)
	$(VENV)/bin/ruff check .

bench: export SITEURL ?= http://127.0.0.1:8000
bench: $(DEV_STAMP) ## Measure build speed and page weight (docs/benchmarks.md) and the worst comment render time
	$(PY) -m site_tools.bench
	$(PY) -m site_tools.render_bench

clean: ## Remove the built site and caches (keeps .venv and node_modules)
	rm -rf $(OUTPUTDIR) $(OUTPUTDIR).partial $(OUTPUTDIR).cache $(PREVIEWDIR) $(PREVIEWDIR).partial cache __pycache__ .pytest_cache

distclean: clean ## Also remove the virtualenv and node_modules
	rm -rf $(VENV) node_modules

.PHONY: help venv html regenerate publish preview rsync_upload upload serve devserver comments show approve reject publish-comments moderator moderators test test-fast lint bench clean distclean
