"""Development settings for the Truffles Vein Specialists RLS guide.

`make html` builds with these; `publishconf.py` imports them and changes only
what production needs. Our own plugins read and validate their settings in one
place each (see plugins/*/settings.py); values here only override defaults.
"""

import os
from pathlib import Path
from urllib.parse import quote, urlsplit

ROOT = Path(__file__).resolve().parent

# --- Site identity -----------------------------------------------------------
AUTHOR = "Truffles Vein Specialists"
SITENAME = "Restless Legs Syndrome guide"
SITESUBTITLE = "From Truffles Vein Specialists"
SITEURL = ""
# The only contact detail the clinic has given us. Never add phone numbers,
# addresses or people that the clinic did not supply.
CLINIC = {
    "name": "Truffles Vein Specialists",
    "url": "https://trufflesveinspecialists.com/",
}
DEFAULT_LANG = "en"
LOCALE = ("C.UTF-8", "C")
TIMEZONE = "UTC"
DEFAULT_DATE_FORMAT = "%-d %B %Y"

# --- Content layout ----------------------------------------------------------
PATH = "content"
ARTICLE_PATHS = ["guide"]
PAGE_PATHS = ["causes", "pages"]
# Comment files are data read by the comments plugin, never pages of their own.
ARTICLE_EXCLUDES = ["comments"]
PAGE_EXCLUDES = ["comments"]
IGNORE_FILES = [".#*", "*~", "*.swp", "README.md"]
STATIC_PATHS = ["extra"]
# robots.txt and the host's _headers file are Jinja templates in the theme: they
# name the sitemap and the Content-Security-Policy, which depend on the settings.
# Absolute paths, so fixture sites with their own content folder get them too.
TEMPLATE_PAGES = {
    str(ROOT / "theme" / "templates" / "files" / "robots.txt"): "robots.txt",
    str(ROOT / "theme" / "templates" / "files" / "_headers"): "_headers",
}
EXTRA_PATH_METADATA = {
    "extra/favicon.ico": {"path": "favicon.ico"},
    "extra/favicon.svg": {"path": "favicon.svg"},
}


def svg_data_uri(path: Path) -> str:
    """The SVG as a data: URI, percent-encoded so it is a valid URL inside a
    double-quoted attribute (the HTML validator refuses raw spaces)."""
    svg = path.read_text(encoding="utf-8").strip().replace('"', "'")
    return "data:image/svg+xml," + quote(svg, safe="/=:,.-'")


# The page icon travels inside every page (about 200 bytes compressed) instead
# of costing a request on a first visit; favicon.ico stays at the site root for
# clients that ask for it by name. Measured in docs/benchmarks.md (first view).
FAVICON_DATA_URI = svg_data_uri(ROOT / "content" / "extra" / "favicon.svg")

# --- URLs: clean /<slug>/ addresses -------------------------------------------
ARTICLE_URL = "{slug}/"
ARTICLE_SAVE_AS = "{slug}/index.html"
# Folder-based page URLs: content/causes/iron-deficiency.md -> /causes/iron-deficiency/.
PATH_METADATA = r"(?P<path_no_ext>.*)\..*"
PAGE_URL = "{path_no_ext}/"
PAGE_SAVE_AS = "{path_no_ext}/index.html"
SLUGIFY_SOURCE = "basename"

# No empty blog furniture: one guide, its cause pages, nothing else.
DIRECT_TEMPLATES = []
INDEX_SAVE_AS = ""
AUTHOR_SAVE_AS = AUTHORS_SAVE_AS = ""
CATEGORY_SAVE_AS = CATEGORIES_SAVE_AS = ""
TAG_SAVE_AS = TAGS_SAVE_AS = ""
ARCHIVES_SAVE_AS = YEAR_ARCHIVE_SAVE_AS = MONTH_ARCHIVE_SAVE_AS = DAY_ARCHIVE_SAVE_AS = ""
DRAFT_SAVE_AS = DRAFT_PAGE_SAVE_AS = ""
ARTICLE_LANG_SAVE_AS = PAGE_LANG_SAVE_AS = ""
DISPLAY_PAGES_ON_MENU = False
DISPLAY_CATEGORIES_ON_MENU = False

# Feeds are a production concern (publishconf.py turns them on).
FEED_ALL_ATOM = None
FEED_ALL_RSS = None
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None

# --- Markdown and typography -------------------------------------------------
MARKDOWN = {
    "extension_configs": {
        "markdown.extensions.extra": {},
        "markdown.extensions.admonition": {},
        "markdown.extensions.sane_lists": {},
        "markdown.extensions.toc": {"toc_depth": "2-3"},
    },
    "output_format": "html5",
}
TYPOGRIFY = True
# No <span class="caps"> around every "RLS": it adds weight to each page and
# nothing a reader would notice.
TYPOGRIFY_OMIT_FILTERS = ["caps"]
SUMMARY_MAX_LENGTH = None

# --- Theme --------------------------------------------------------------------
THEME = "theme"
# The theme's CSS is bundled and fingerprinted by the site_assets plugin, not
# copied as-is; see ASSET_CSS.
THEME_STATIC_PATHS = []
ASSET_CSS = [str(ROOT / "theme" / "static" / "css" / "site.css")]
MINIFY_OUTPUT = False

# --- Plugins -------------------------------------------------------------------
# Always explicit: with PLUGINS unset Pelican loads every installed plugin.
# Ours live in plugins/ and are installed with the project (pyproject.toml).
PLUGINS = [
    "strict_build",
    "site_assets",
    "medical_pages",
    "truffles_comments",
]

# Development builds keep relative links so output/ can be opened anywhere.
RELATIVE_URLS = False
LOAD_CONTENT_CACHE = False

# --- Navigation and security headers ------------------------------------------
NAV_LINKS = [("Guide", ""), ("Causes", "causes/")]
# Where the comment form posts; unset shows no form (see plugins/truffles_comments).
# `make html`/`make serve` point it at the local receiver `make serve` starts.
COMMENTS_ENDPOINT = os.environ.get("COMMENTS_ENDPOINT") or None
# The Content-Security-Policy every page carries in a <meta> tag (and production
# also as a response header, see content/extra/_headers). Built from pieces so
# the comment endpoint can be allowed as a form target without loosening
# anything else. No 'unsafe-inline' and no 'unsafe-eval' anywhere.
CSP_BASE = {
    "default-src": "'self'",
    # data: only for images, for the inline page icon (FAVICON_DATA_URI); an
    # image cannot run code, and comment bodies allow no <img> at all.
    "img-src": "'self' data:",
    "style-src": "'self'",
    "script-src": "'self'",
    "connect-src": "'self'",
    "font-src": "'none'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
}


def allow_comment_endpoint(directives: dict, endpoint: str | None) -> dict:
    """Allow the comment receiver's origin as a form target (and for the optional
    script's fetch), nothing more. A same-origin path needs no change."""
    if not endpoint or not urlsplit(endpoint).scheme:
        return directives
    parts = urlsplit(endpoint)
    origin = f"{parts.scheme}://{parts.netloc}"
    return {**directives, "form-action": f"'self' {origin}", "connect-src": f"'self' {origin}"}


def content_security_policy(directives: dict, *, header: bool = False) -> str:
    """The policy as one string. frame-ancestors only works as a header
    (browsers ignore it in <meta> and log an error), so only the header has it."""
    if header:
        directives = {**directives, "frame-ancestors": "'none'"}
    return "; ".join(f"{name} {value}" for name, value in directives.items())


CSP_DIRECTIVES = allow_comment_endpoint(CSP_BASE, COMMENTS_ENDPOINT)
CSP_META = content_security_policy(CSP_DIRECTIVES)
CSP_HEADER = content_security_policy(CSP_DIRECTIVES, header=True)
