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

import hashlib
import os

from comment_core import csp
from pelicanconf import *  # noqa: F403  (installed with the project, see pyproject.toml)
from pelicanconf import PLUGINS, ROOT

SITEURL = os.environ.get("SITEURL", "").strip().rstrip("/")
if not SITEURL.startswith(("http://", "https://")):
    raise SystemExit(
        "error: the production build needs the address the site is published at, e.g. "
        "`make publish SITEURL=https://rls.example.org` (got SITEURL="
        f"{os.environ.get('SITEURL', '')!r}). To look at the production build locally: make preview"
    )
RELATIVE_URLS = False
DELETE_OUTPUT_DIRECTORY = True  # no page of a deleted article lingers
MINIFY_OUTPUT = True

# Feeds on: the guide's own feed; the comments plugin adds the comment feeds.
FEED_DOMAIN = SITEURL
FEED_ALL_ATOM = "feeds/all.atom.xml"

COMMENTS_ENDPOINT = os.environ.get("COMMENTS_ENDPOINT") or None

# A page whose next clinical review date has passed is not published.
MEDICAL_REVIEW_OVERDUE_FAILS = True

# Order does not matter: pelican-precompress compresses on the granular
# `compress` signal, after minification and the sitemap.
PLUGINS = [*PLUGINS, "pelican.plugins.sitemap", "pelican.plugins.precompress"]

SITEMAP = {
    "format": "xml",
    "priorities": {"articles": 1.0, "pages": 0.8, "indexes": 0.5},
    "changefreqs": {"articles": "monthly", "pages": "monthly", "indexes": "monthly"},
    # Only pages people read; not the host's config, robots.txt or feeds.
    "exclude": [r"^_headers", r"^robots\.txt$", r"^404\.html$", r"\.(xml|json)$"],
}

# .br (brotli 11) and .gz (gzip 9) next to every text file of at least 20
# bytes whose copy is smaller, for hosts that serve precompressed files. Our
# list adds .svg (the icon) to pelican-precompress's and drops .ini and .py,
# which the site has none of; no zstd or zopfli (neither host nor nginx uses them).
PRECOMPRESS_TEXT_EXTENSIONS = {".atom", ".css", ".htm", ".html", ".js", ".json", ".rss", ".svg", ".txt", ".xml", ".xsl"}
PRECOMPRESS_ZOPFLI = False
PRECOMPRESS_ZSTANDARD = False


def _code_fingerprint() -> str:
    """Hash of everything that shapes how a source file is read and rendered.
    Pelican never invalidates its content cache when settings, plugins or
    library versions change, so the cache lives in a folder named after this."""
    files = [ROOT / "requirements.txt", ROOT / "requirements-receiver.txt", ROOT / "pelicanconf.py", ROOT / "publishconf.py"]
    for package in ("plugins", "comment_core"):
        files += sorted((ROOT / package).rglob("*.py"))
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.relative_to(ROOT).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


# Build caches (CI restores and saves cache/, .github/workflows/site.yml):
# Pelican's reader cache (unchanged Markdown is not parsed again) and the comment
# render cache. A checkout gives every file a new
# modification time, so Pelican compares file contents, not times.
CACHE_PATH = str(ROOT / "cache" / f"publish-{_code_fingerprint()}")
CACHE_CONTENT = True
LOAD_CONTENT_CACHE = True
CHECK_MODIFIED_METHOD = "sha256"

# Recomputed from the base policy: production's endpoint may differ from development's.
CSP_DIRECTIVES = csp.allow_comment_endpoint(csp.SITE_DIRECTIVES, COMMENTS_ENDPOINT)
CSP_META = csp.policy(CSP_DIRECTIVES)
RESPONSE_HEADERS = csp.response_headers(CSP_DIRECTIVES)
