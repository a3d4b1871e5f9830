"""Development settings for the Truffles Vein Specialists RLS guide.

`make html` builds with these; `publishconf.py` imports them and changes only
what production needs. Our own plugins read and validate their settings in one
place each (see plugins/*/settings.py); values here only override defaults.
"""

import os
from pathlib import Path
from urllib.parse import quote

from comment_core import csp

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
# robots.txt and the hosts' header files are Jinja templates in the theme: they
# name the sitemap and the response headers, which depend on the settings.
# _headers is for Cloudflare Pages and Netlify; _headers.nginx is the file
# deploy/site-nginx.conf includes in every location.
# Absolute paths, so fixture sites with their own content folder get them too.
TEMPLATE_PAGES = {
    str(ROOT / "theme" / "templates" / "files" / "robots.txt"): "robots.txt",
    str(ROOT / "theme" / "templates" / "files" / "_headers"): "_headers",
    str(ROOT / "theme" / "templates" / "files" / "_headers.nginx"): "_headers.nginx",
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

# --- Medical review (plugins/medical_pages/settings.py documents each) ----------
# Who reviews, as a role, never a made-up name; shown as "Last reviewed: … by …"
# and as reviewedBy in the pages' JSON-LD.
MEDICAL_REVIEWER = "the clinic's medical team"
# "Next review due" = Reviewed + this; publishconf.py fails an overdue page.
MEDICAL_REVIEW_INTERVAL_MONTHS = 12
MEDICAL_REVIEW_OVERDUE_FAILS = False
# Near the top of the guide, whose text is the clinic's and stays word for word.
# The guide carries its own "About this article" note in Markdown (editable by
# authors, linking the About page), so no second notice from settings.
GUIDE_NOTICE = None

# --- Call to action (plugins/truffles_comments/settings.py) -------------------
# The default CTA invites readers to a vein specialist. On pages about causes a
# vein clinic does not treat, it says honestly what the clinic can offer (a check
# for vein disease, whose symptoms can look similar) and who to see for RLS.
_VEIN_CHECK = (
    " If your legs also ache, feel heavy, swell or show varicose veins, "
    "Truffles Vein Specialists can check them for vein disease, which can cause "
    "similar symptoms."
)
_CTA_VEIN_CHECK_LABEL = "About a vein check at Truffles Vein Specialists"
CTA_PAGES = {
    "causes/genetic-predisposition.md": {
        "heading": "Restless legs in your family?",
        "text": "There is no genetic test for RLS and a vein clinic cannot treat it: "
        "your GP, or a sleep or neurology service they refer you to, is the place "
        "for RLS itself." + _VEIN_CHECK,
        "link_label": _CTA_VEIN_CHECK_LABEL,
    },
    "causes/iron-deficiency.md": {
        "heading": "Could low iron be behind your restless legs?",
        "text": "Your GP can arrange the iron blood tests and advise whether iron "
        "treatment is right for you; a sleep or neurology service can help with "
        "RLS itself." + _VEIN_CHECK,
        "link_label": _CTA_VEIN_CHECK_LABEL,
    },
    "causes/dopamine.md": {
        "heading": "Questions about a dopamine medicine?",
        "text": "Talk to the doctor who prescribes it or to your GP before you change "
        "or stop it; a sleep or neurology service can help if your RLS is getting "
        "worse." + _VEIN_CHECK,
        "link_label": _CTA_VEIN_CHECK_LABEL,
    },
    "causes/kidney-disease.md": {
        "heading": "Kidney disease and restless legs?",
        "text": "Your kidney team or GP is the place to start: they can check your "
        "iron and look at your treatment for RLS." + _VEIN_CHECK,
        "link_label": _CTA_VEIN_CHECK_LABEL,
    },
    "causes/medications.md": {
        "heading": "Think a medicine is making your legs worse?",
        "text": "Do not stop a medicine on your own: ask the doctor who prescribed "
        "it, your GP or a pharmacist whether another one would suit you." + _VEIN_CHECK,
        "link_label": _CTA_VEIN_CHECK_LABEL,
    },
    "causes/neurological.md": {
        "heading": "Nerve problems and restless legs?",
        "text": "Your GP, or a neurology service they refer you to, can look for "
        "nerve causes and treat RLS itself." + _VEIN_CHECK,
        "link_label": _CTA_VEIN_CHECK_LABEL,
    },
}

# --- Navigation and security headers ------------------------------------------
NAV_LINKS = [("Guide", ""), ("Causes", "causes/")]
# Pages linked from the footer, by source path relative to PATH, in this order;
# a page that is not in the build is simply left out.
FOOTER_PAGES = ["pages/about.md", "pages/comment-policy.md"]
# Linked just above the comments section of every page that shows comments,
# when the page is in the build.
COMMENT_POLICY_PAGE = "pages/comment-policy.md"
# Where the comment form posts; unset shows no form (see plugins/truffles_comments).
# `make html`/`make serve` point it at the local receiver `make serve` starts.
COMMENTS_ENDPOINT = os.environ.get("COMMENTS_ENDPOINT") or None
# The Content-Security-Policy every page carries in a <meta> tag, and the
# response headers (CSP and the other security headers) the hosts send from
# _headers and _headers.nginx, all defined in comment_core/csp.py. The comment
# endpoint's origin is allowed as a form and fetch target, nothing else.
CSP_DIRECTIVES = csp.allow_comment_endpoint(csp.SITE_DIRECTIVES, COMMENTS_ENDPOINT)
CSP_META = csp.policy(CSP_DIRECTIVES)
RESPONSE_HEADERS = csp.response_headers(CSP_DIRECTIVES)
