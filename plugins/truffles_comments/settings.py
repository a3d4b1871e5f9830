"""Every setting of the plugin, read and validated in one place.

:func:`read_settings` is the only function that looks at Pelican's settings
for this plugin. A bad value raises :class:`SettingsError`, whose message
names the setting, what is wrong and what is expected.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from comment_core import form as form_spec
from comment_core.site_index import MODES

#: Defaults, written for the Truffles Vein Specialists guide. Plain language;
#: no phone number, address, person, statistic or testimonial is invented:
#: the clinic's website is the only contact detail it gave us.
DEFAULT_CTA = {
    "enabled": True,
    "heading": "Talk to a vein specialist about your legs",
    "text": (
        "Restless legs can have more than one cause. If your symptoms keep you "
        "awake or affect your day, you can book a consultation with Truffles "
        "Vein Specialists to talk about what might be behind them and what you "
        "can do."
    ),
    "link_url": "https://trufflesveinspecialists.com/",
    "link_label": form_spec.CTA_LABEL,
    # Which kinds of content get the block: "article", "page" or both.
    "show_on": ("article", "page"),
}

DEFAULTS = {
    # Folder with one sub-folder per page slug, relative to PATH (or absolute).
    "COMMENTS_PATH": "comments",
    # Comments mode of an article/page without `Comments:` metadata.
    "COMMENTS_DEFAULT": "open",
    # Where the comment form posts to; None = no posting.
    "COMMENTS_ENDPOINT": None,
    # Write the Atom feeds of comments.
    "COMMENTS_FEEDS": True,
    "COMMENTS_FEED_ATOM": "feeds/comments/{slug}.atom.xml",
    "COMMENTS_FEED_ATOM_URL": None,  # None: same as COMMENTS_FEED_ATOM
    "COMMENTS_FEED_ALL_ATOM": "feeds/comments.atom.xml",
    "COMMENTS_FEED_ALL_ATOM_URL": None,  # None: same as COMMENTS_FEED_ALL_ATOM
    # Newest entries per feed (None: all), like Pelican's FEED_MAX_ITEMS.
    "COMMENTS_FEED_MAX_ITEMS": 100,
    # Index of pages and published comment ids for the comment receiver,
    # written into the output folder; None: not written.
    "COMMENTS_INDEX_SAVE_AS": "comments-index.json",
    # Deepest nesting shown; deeper replies are shown at this depth.
    "COMMENTS_MAX_DEPTH": 3,
    # strftime format of the visible comment date (site TIMEZONE). `%-d` is
    # handled portably.
    "COMMENTS_DATE_FORMAT": "%-d %B %Y at %H:%M %Z",
    # Keep rendered comment bodies in CACHE_PATH between builds.
    "COMMENTS_RENDER_CACHE": True,
    "CTA": DEFAULT_CTA,
    # Honest wording per page: {source path relative to PATH: {"heading": …,
    # "text": …, "link_label": …}} (any of the three). A page's own
    # `Cta_heading:`/`Cta_text:` metadata wins over this, this over CTA.
    "CTA_PAGES": {},
}

#: The keys a CTA_PAGES entry may set.
CTA_PAGE_KEYS = ("heading", "text", "link_label")


class SettingsError(ValueError):
    """A plugin setting has a bad value; the message names the setting."""


@dataclass(frozen=True)
class Cta:
    enabled: bool
    heading: str
    text: str
    link_url: str
    link_label: str
    show_on: tuple[str, ...]
    #: source path relative to PATH -> {"heading"/"text"/"link_label": text}
    pages: dict = field(default_factory=dict)


@dataclass(frozen=True)
class CommentsSettings:
    comments_path: Path
    default_mode: str
    endpoint: str | None
    feeds: bool
    feed_atom: str
    feed_atom_url: str
    feed_all_atom: str
    feed_all_atom_url: str
    feed_max_items: int | None
    max_depth: int
    index_save_as: str | None
    date_format: str
    render_cache: bool
    cache_path: Path | None
    timezone: str
    siteurl: str
    sitename: str
    language: str
    ignore_files: tuple[str, ...] = ()
    cta: Cta = field(default=None)


def _fail(name: str, problem: str) -> SettingsError:
    return SettingsError(f"setting {name}: {problem}")


def _text(settings, name, *, allow_none=False, allow_empty=False):
    value = settings.get(name, DEFAULTS[name])
    if value is None and allow_none:
        return None
    if not isinstance(value, str):
        raise _fail(name, f"expected text, got {value!r}")
    if not value.strip() and not allow_empty:
        raise _fail(name, "must not be empty")
    return value


def _bool(settings, name, default=None):
    value = settings.get(name, DEFAULTS[name] if default is None else default)
    if not isinstance(value, bool):
        raise _fail(name, f"expected True or False, got {value!r}")
    return value


def _output_path(name: str, value: str, *, needs_slug: bool) -> str:
    if value.startswith("/") or ".." in Path(value).parts:
        raise _fail(name, f"{value!r} must be a path inside the output folder, e.g. 'feeds/comments.atom.xml'")
    if needs_slug:
        if "{slug}" not in value:
            raise _fail(name, f"{value!r} must contain '{{slug}}' so every page gets its own feed")
        try:
            value.format(slug="x")
        except (KeyError, IndexError, ValueError):
            raise _fail(name, f"{value!r} may contain only the placeholder {{slug}}") from None
    return value


def _read_cta_pages(settings) -> dict:
    raw = settings.get("CTA_PAGES", DEFAULTS["CTA_PAGES"])
    if not isinstance(raw, dict):
        raise _fail("CTA_PAGES", f"expected a dict of source path -> {{'heading': …, 'text': …}}, got {raw!r}")
    pages = {}
    for path, wording in raw.items():
        if not isinstance(path, str) or not path.strip() or path.startswith("/"):
            raise _fail("CTA_PAGES", f"key {path!r} must be a source path relative to PATH, e.g. 'causes/dopamine.md'")
        if not isinstance(wording, dict) or not wording or not set(wording) <= set(CTA_PAGE_KEYS):
            raise _fail("CTA_PAGES", f"{path!r}: expected a dict with any of {', '.join(CTA_PAGE_KEYS)}, got {wording!r}")
        for key, value in wording.items():
            if not isinstance(value, str) or not value.strip():
                raise _fail("CTA_PAGES", f"{path!r}: {key!r} must be non-empty text, got {value!r}")
        pages[path.strip()] = {key: value.strip() for key, value in wording.items()}
    return pages


def _read_cta(settings) -> Cta:  # noqa: C901 - one branch per CTA setting checked
    raw = settings.get("CTA", DEFAULT_CTA)
    if raw is None or raw is False:
        return Cta(False, "", "", "", "", ())
    if not isinstance(raw, dict):
        raise _fail("CTA", f"expected a dict with keys {', '.join(DEFAULT_CTA)}, got {raw!r}")
    unknown = sorted(set(raw) - set(DEFAULT_CTA))
    if unknown:
        raise _fail("CTA", f"unknown key(s) {', '.join(map(repr, unknown))}; allowed keys: {', '.join(DEFAULT_CTA)}")
    merged = {**DEFAULT_CTA, **raw}
    if not isinstance(merged["enabled"], bool):
        raise _fail("CTA", f"'enabled' must be True or False, got {merged['enabled']!r}")
    for key in ("heading", "text", "link_url", "link_label"):
        if not isinstance(merged[key], str) or not merged[key].strip():
            raise _fail("CTA", f"{key!r} must be non-empty text, got {merged[key]!r}")
    if urlsplit(merged["link_url"]).scheme not in ("http", "https") or not urlsplit(merged["link_url"]).netloc:
        raise _fail("CTA", f"'link_url' must be an absolute http(s) address, got {merged['link_url']!r}")
    show_on = merged["show_on"]
    if isinstance(show_on, str):
        show_on = (show_on,)
    try:
        show_on = tuple(show_on)
    except TypeError:
        raise _fail("CTA", f"'show_on' must be a list of 'article'/'page', got {show_on!r}") from None
    if not set(show_on) <= {"article", "page"}:
        raise _fail("CTA", f"'show_on' may contain only 'article' and 'page', got {list(show_on)!r}")
    return Cta(
        enabled=merged["enabled"],
        heading=merged["heading"].strip(),
        text=merged["text"].strip(),
        link_url=merged["link_url"].strip(),
        link_label=merged["link_label"].strip(),
        show_on=show_on,
        pages=_read_cta_pages(settings),
    )


def read_settings(settings: dict) -> CommentsSettings:
    """Read and validate every setting of the plugin (see DEFAULTS)."""
    feed_atom = _output_path("COMMENTS_FEED_ATOM", _text(settings, "COMMENTS_FEED_ATOM"), needs_slug=True)
    feed_atom_url = _text(settings, "COMMENTS_FEED_ATOM_URL", allow_none=True) or feed_atom
    _output_path("COMMENTS_FEED_ATOM_URL", feed_atom_url, needs_slug=True)
    feed_all = _output_path("COMMENTS_FEED_ALL_ATOM", _text(settings, "COMMENTS_FEED_ALL_ATOM"), needs_slug=False)
    index_save_as = _text(settings, "COMMENTS_INDEX_SAVE_AS", allow_none=True)
    if index_save_as is not None:
        _output_path("COMMENTS_INDEX_SAVE_AS", index_save_as, needs_slug=False)
    cache_path = settings.get("CACHE_PATH")
    return CommentsSettings(
        comments_path=_comments_path(settings),
        default_mode=_default_mode(settings),
        endpoint=_endpoint(settings),
        feeds=_bool(settings, "COMMENTS_FEEDS"),
        feed_atom=feed_atom,
        feed_atom_url=feed_atom_url,
        feed_all_atom=feed_all,
        feed_all_atom_url=_text(settings, "COMMENTS_FEED_ALL_ATOM_URL", allow_none=True) or feed_all,
        feed_max_items=_max_items(settings),
        max_depth=_max_depth(settings),
        index_save_as=index_save_as,
        date_format=_text(settings, "COMMENTS_DATE_FORMAT"),
        render_cache=_bool(settings, "COMMENTS_RENDER_CACHE"),
        cache_path=Path(cache_path) if cache_path else None,
        timezone=_timezone(settings),
        siteurl=(settings.get("SITEURL") or "").rstrip("/"),
        sitename=str(settings.get("SITENAME") or ""),
        language=str(settings.get("DEFAULT_LANG") or "en"),
        ignore_files=tuple(settings.get("IGNORE_FILES") or ()),
        cta=_read_cta(settings),
    )


def _comments_path(settings: dict) -> Path:
    comments_path = Path(_text(settings, "COMMENTS_PATH"))
    if not comments_path.is_absolute():
        comments_path = Path(settings.get("PATH") or os.curdir) / comments_path
    return comments_path


def _default_mode(settings: dict) -> str:
    mode = _text(settings, "COMMENTS_DEFAULT")
    if mode not in MODES:
        raise _fail("COMMENTS_DEFAULT", f"{mode!r} is not one of {', '.join(MODES)}")
    return mode


def _endpoint(settings: dict) -> str | None:
    endpoint = _text(settings, "COMMENTS_ENDPOINT", allow_none=True)
    if endpoint is None:
        return None
    parts = urlsplit(endpoint.strip())
    absolute = parts.scheme in ("http", "https") and parts.netloc
    if not parts.scheme and (parts.netloc or endpoint.strip().startswith(("//", "/\\"))):
        raise _fail(
            "COMMENTS_ENDPOINT",
            f"{endpoint!r} is a protocol-relative address (it names a host but no scheme); write the "
            "full address with http:// or https://, or a path on this site starting with a single '/'",
        )
    if not (absolute or (not parts.scheme and endpoint.startswith("/"))):
        raise _fail(
            "COMMENTS_ENDPOINT",
            f"{endpoint!r} must be an http(s) address or a path starting with '/', or None to disable posting",
        )
    return endpoint.strip()


def _max_items(settings: dict) -> int | None:
    max_items = settings.get("COMMENTS_FEED_MAX_ITEMS", DEFAULTS["COMMENTS_FEED_MAX_ITEMS"])
    if max_items is not None and (not isinstance(max_items, int) or isinstance(max_items, bool) or max_items < 1):
        raise _fail("COMMENTS_FEED_MAX_ITEMS", f"expected a whole number of at least 1, or None for all, got {max_items!r}")
    return max_items


def _max_depth(settings: dict) -> int:
    depth = settings.get("COMMENTS_MAX_DEPTH", DEFAULTS["COMMENTS_MAX_DEPTH"])
    if not isinstance(depth, int) or isinstance(depth, bool) or not 1 <= depth <= 6:
        raise _fail("COMMENTS_MAX_DEPTH", f"expected a whole number from 1 to 6, got {depth!r}")
    return depth


def _timezone(settings: dict) -> str:
    timezone = settings.get("TIMEZONE") or "UTC"
    try:
        from zoneinfo import ZoneInfo

        ZoneInfo(timezone)
    except Exception:
        raise _fail("TIMEZONE", f"{timezone!r} is not a known time zone name (e.g. 'Europe/London')") from None
    return timezone
