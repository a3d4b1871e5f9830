"""Production settings: `make publish` builds with these.

Only what differs from development lives here; everything else comes from
pelicanconf.py. Environment variables:

SITEURL            absolute address the site is published at, no trailing
                   slash. Required: canonical links, the sitemap, robots.txt
                   and the feeds carry it, so a guessed default would publish
                   wrong addresses. `make preview` sets it to the local address.
COMMENTS_ENDPOINT  address of the comment receiver the form posts to; unset
                   means no form (the comments section says posting is closed).
"""

import os

from pelicanconf import *  # noqa: F403  (installed with the project, see pyproject.toml)
from pelicanconf import PLUGINS

from comment_core import csp

SITEURL = os.environ.get("SITEURL", "").strip().rstrip("/")
if not SITEURL.startswith(("http://", "https://")):
    raise SystemExit(
        "error: the production build needs the address the site is published at, e.g. "
        "`make publish SITEURL=https://rls.example.org` (got SITEURL="
        f"{os.environ.get('SITEURL', '')!r}). To look at the production build locally: make preview"
    )
RELATIVE_URLS = False
DELETE_OUTPUT_DIRECTORY = True  # precompress leaves stale .br/.gz otherwise
MINIFY_OUTPUT = True

# Feeds on: the guide's own feed; the comments plugin adds the comment feeds.
FEED_DOMAIN = SITEURL
FEED_ALL_ATOM = "feeds/all.atom.xml"

COMMENTS_ENDPOINT = os.environ.get("COMMENTS_ENDPOINT") or None

# A page whose next clinical review date has passed is not published.
MEDICAL_REVIEW_OVERDUE_FAILS = True

# Any order: each plugin hooks the signal of its step (site_assets minifies on
# `minify`, precompress runs on `compress`, strict_build judges on `deploy`).
PLUGINS = [*PLUGINS, "pelican.plugins.sitemap", "precompress_cache", "pelican.plugins.precompress"]

SITEMAP = {
    "format": "xml",
    "priorities": {"articles": 1.0, "pages": 0.8, "indexes": 0.5},
    "changefreqs": {"articles": "monthly", "pages": "monthly", "indexes": "monthly"},
    # Only pages people read; not the host's config, robots.txt or feeds.
    "exclude": [r"^_headers$", r"^robots\.txt$", r"^404\.html$", r"\.(xml|json)$"],
}

PRECOMPRESS_GZIP = True
PRECOMPRESS_BROTLI = True
PRECOMPRESS_ZOPFLI = False
PRECOMPRESS_MIN_SIZE = 20

# Recomputed from the base policy: production's endpoint may differ from development's.
CSP_DIRECTIVES = csp.allow_comment_endpoint(csp.SITE_DIRECTIVES, COMMENTS_ENDPOINT)
CSP_META = csp.policy(CSP_DIRECTIVES)
CSP_HEADER = csp.policy(CSP_DIRECTIVES, header=True)
