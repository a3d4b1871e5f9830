"""Signal wiring for truffles_comments.

One build, in order:

1. ``initialized``: forget the previous build, read and check the settings,
   register the plugin's templates and stylesheet.
2. ``all_generators_finalized``: every article and page is known. Read and
   check all comment files, render each body once, build the threads, attach
   the comments section and call to action to every article and page.
3. ``get_generators`` gives Pelican a small generator whose output step
   writes the Atom feeds and the reply pages (reply_pages.py).

Every problem goes to strict_build's collector, which fails the build at the
end listing them all.
"""

from __future__ import annotations

import hashlib
import logging
import time
from pathlib import Path

import markdown
import nh3
from markupsafe import Markup
from pelican import signals
from pelican.contents import Article
from pelican.generators import Generator
from strict_build import plugin_listed
from strict_build import report as strict_report

from comment_core import form as form_spec
from comment_core import render, site_index
from comment_core.comment_file import SLUG_PATTERN
from comment_core.render import CommentRenderer, safe_web_url
from comment_core.replies import check_comments

from . import reply_pages
from .cta import cta_for, unmatched_pages
from .feeds import FeedCache, FeedEntry, build_feed, feed_key, plain, write_if_changed
from .render_cache import RenderCache
from .section import CommentsSection, format_date
from .settings import MODES, CommentsSettings, SettingsError, read_settings
from .threads import ThreadEntry, build_threads, count_entries

logger = logging.getLogger(__name__)

PLUGIN_NAME = "truffles_comments"
PACKAGE_DIR = Path(__file__).resolve().parent
TEMPLATES_DIR = PACKAGE_DIR / "templates"
STYLESHEET = PACKAGE_DIR / "static" / "truffles_comments.css"
# Optional progressive enhancement of the form; loaded only where a form is shown.
FORM_SCRIPT = PACKAGE_DIR / "static" / "comment_form.js"

class _State:
    """Everything one build knows; replaced at the start of every build."""

    def __init__(self):
        self.active = False
        self.config: CommentsSettings | None = None
        self.problems: list[str] = []
        self.outputs: list[tuple[str, bytes]] = []  # (output path, data): feeds, index
        self.reply_pages: list[reply_pages.ReplyPage] = []
        self.stats: dict[str, int] = {}
        self.seconds = 0.0  # time spent loading, checking and rendering comments


_state = _State()


def report(path, message: str) -> None:
    _state.problems.append(f"{path}: {message}" if path else message)
    strict_report(path, message)


def _render_version() -> str:
    fingerprint = repr((
        render.RENDER_VERSION,
        sorted(render.ALLOWED_TAGS),
        sorted((k, sorted(v)) for k, v in render.ALLOWED_ATTRIBUTES.items()),
        sorted(render.ALLOWED_URL_SCHEMES),
        render.LINK_REL,
        markdown.__version__,
        getattr(nh3, "__version__", ""),
    ))
    return hashlib.sha256(fingerprint.encode()).hexdigest()[:16]


# --- signal handlers ----------------------------------------------------------


def start_build(pelican) -> None:
    """``initialized``: a build starts.

    Why this signal: it runs once per build before any generator exists, which
    is the moment to drop the previous build's state (`make devserver` rebuilds
    in one process), to fail fast on a bad setting, and to add our templates
    folder and stylesheet while Pelican and site_assets still read them.
    """
    global _state
    _state = _State()
    # Signals are process-wide: a later build without this plugin must not run it.
    _state.active = plugin_listed(pelican.settings, PLUGIN_NAME)
    if not _state.active:
        return
    _state.config = read_settings(pelican.settings)  # SettingsError names the setting

    if not plugin_listed(pelican.settings, "site_assets"):
        raise SettingsError("setting PLUGINS: truffles_comments needs site_assets, which bundles the comments' "
                            "stylesheet and script; add 'site_assets' to PLUGINS")
    # New lists rather than in-place appends: a caller that passes the same
    # list object to several builds must not see it grow.
    registrations = [("THEME_TEMPLATES_OVERRIDES", TEMPLATES_DIR), ("ASSET_CSS", STYLESHEET)]
    # The script only improves the form: without an endpoint there is no form.
    if pelican.settings.get("COMMENTS_ENDPOINT"):
        registrations.append(("ASSET_JS", FORM_SCRIPT))  # fingerprinted like the CSS
    for name, path in registrations:
        current = list(pelican.settings.get(name) or [])
        if str(path) not in [str(p) for p in current]:
            current.append(str(path))
        pelican.settings[name] = current


def attach_comments(generators) -> None:
    """``all_generators_finalized``: load, check and render all comments.

    Why this signal: it is the first moment every article and page (with
    hidden ones, drafts and translations) is known, so comment folders can be
    matched to slugs, and it comes before any template is rendered, so the
    sections we attach are there when the theme includes our partials.
    """
    if not _state.active or _state.config is None:
        return
    started = time.perf_counter()
    try:
        _attach(generators)
    finally:
        _state.seconds = time.perf_counter() - started


def _attach(generators) -> None:
    """Every step of loading comments, in order; each step is one function."""
    config = _state.config
    items = _collect_items(generators)
    for path in unmatched_pages(config.cta, [item for item, _kind in items]):
        logger.warning("setting CTA_PAGES: %r names no article or page of this site; check the path (relative to PATH)", path)
    checked = _load_comments(items, config)
    rendered = _render_all(checked, config)
    sections, all_feed_entries = _attach_sections(items, checked, rendered, config)
    if config.feeds:
        _queue_feeds(items, sections, all_feed_entries, config)
    if config.index_save_as:
        _state.outputs.append((config.index_save_as, _site_index(items, config)))
    _expose_to_templates(generators, config, bool(all_feed_entries))


def _load_comments(items, config: CommentsSettings):
    """Read and check every comment file; report files and slugs that do not fit."""
    by_slug: dict[str, list] = {}
    for item, _kind in items:
        by_slug.setdefault(item.slug, []).append(item)
    checked = check_comments(
        config.comments_path, by_slug.keys(), timezone=config.timezone, ignore_files=config.ignore_files
    )
    for path, message in checked.problems:
        report(path, message)
    for slug in sorted(checked.comments):
        langs = [getattr(i, "lang", None) for i in by_slug[slug]]
        if len(langs) != len(set(langs)):
            sources = " and ".join(sorted(str(i.source_path) for i in by_slug[slug]))
            report(
                config.comments_path / slug,
                f"the slug {slug!r} belongs to more than one page ({sources}), so it is not clear "
                "which page these comments belong to; give one of the pages its own 'Slug:'",
            )
    return checked


def _render_all(checked, config: CommentsSettings) -> dict[tuple[str, str], Markup]:
    """Every comment body as safe HTML, from the render cache where possible."""
    renderer = CommentRenderer()
    cache = RenderCache(config.cache_path if config.render_cache else None, _render_version())
    rendered: dict[tuple[str, str], Markup] = {}
    for slug, comments in checked.comments.items():
        for comment in comments:
            try:
                html = cache.get(comment.body, renderer.render, renderer.sanitize)
                problem = render.empty_problem(html)  # a cached entry is checked again too
                if problem:
                    raise render.BodyRefused(problem)
                rendered[(slug, comment.id)] = Markup(html)
            except render.BodyRefused as refused:
                report(comment.path, f"{refused} (the build does not publish this comment)")
            except Exception as error:  # a pathological body must not crash the build
                report(comment.path, f"the comment text could not be rendered ({error.__class__.__name__}: {error}); simplify its Markdown")
    cache.save()
    _state.stats = {"files": checked.files_read, "cache_hits": cache.hits, "rendered": cache.misses}
    return rendered


def _attach_sections(items, checked, rendered, config: CommentsSettings):
    """Give every item its comments section and call to action; collect the
    feed entries of each published page (slug -> (item, entries)) and of all."""
    all_feed_entries: list[FeedEntry] = []
    sections: dict[str, tuple] = {}
    for item, kind in items:
        mode = _mode_for(item, config)
        comments = _publishable(checked.comments.get(item.slug, []), rendered)
        threads = build_threads(comments, config.max_depth, make_entry=lambda c: _entry(c, rendered, config))
        visible = mode != "hidden"
        section = CommentsSection(
            slug=item.slug,
            mode=mode,
            endpoint=config.endpoint,
            threads=threads if visible else [],
            count=count_entries(threads) if visible else 0,
            page_url=item.url,
            page_title=plain(item.title),
        )
        item.truffles_comments = section
        published = getattr(item, "status", "published") == "published"
        _state.reply_pages.extend(reply_pages.reply_pages(section, published))
        item.truffles_cta = cta_for(item, kind, config.cta, report)
        if not visible or not comments or not published:
            continue
        if item.slug not in sections:
            page_url, page_title = _absolute(config, item.url), plain(item.title)
            entries = [FeedEntry(c, str(rendered[(item.slug, c.id)]), page_title, page_url) for c in comments]
            sections[item.slug] = (item, entries)
            all_feed_entries.extend(entries)
    return sections, all_feed_entries


def _queue_feeds(items, sections, all_feed_entries, config: CommentsSettings) -> None:
    """Build (or take from the feed cache) one feed per page and one for all."""
    feed_cache = FeedCache(config.cache_path if config.render_cache else None)
    wanted = [(config.feed_atom.format(slug=slug), _page_feed(slug, item, entries, config))
              for slug, (item, entries) in sorted(sections.items())]
    if all_feed_entries:
        wanted.append((config.feed_all_atom, _all_feed(all_feed_entries, config)))
    for path, spec in wanted:
        data = feed_cache.get(feed_key(**spec), lambda spec=spec: build_feed(**spec))
        _state.outputs.append((path, data))
    feed_cache.prune()
    _state.stats["feeds_from_cache"] = feed_cache.hits
    all_url = config.feed_all_atom_url if all_feed_entries else None
    for item, _kind in items:
        section = item.truffles_comments
        if section.visible and item.slug in sections and getattr(item, "status", "") == "published":
            section.feed_url = config.feed_atom_url.format(slug=item.slug)
            section.feed_title = f"Comments on {plain(item.title)}"
        section.all_feed_url = all_url


def _page_feed(slug, item, entries, config: CommentsSettings) -> dict:
    return dict(
        title=f"Comments on {plain(item.title)}",
        link=_absolute(config, item.url),
        feed_url=_absolute(config, config.feed_atom_url.format(slug=slug)),
        language=getattr(item, "lang", None) or config.language,
        entries=entries,
        per_page=True,
        max_items=config.feed_max_items,
    )


def _all_feed(entries, config: CommentsSettings) -> dict:
    return dict(
        title=f"Comments on {config.sitename}" if config.sitename else "Comments",
        link=_absolute(config, ""),
        feed_url=_absolute(config, config.feed_all_atom_url),
        language=config.language,
        entries=entries,
        per_page=False,
        max_items=config.feed_max_items,
    )


def _expose_to_templates(generators, config: CommentsSettings, has_all_feed: bool) -> None:
    context = generators[0].context if generators else {}
    context["COMMENTS_ENDPOINT"] = config.endpoint
    # Field names and limits, defined once for the templates and the receiver.
    context["TC_FORM"] = form_spec
    context["TRUFFLES_COMMENTS_ALL_FEED_URL"] = config.feed_all_atom_url if config.feeds and has_all_feed else None


class CommentOutputsGenerator(Generator):
    """Writes the comment feeds, comments-index.json and the reply pages in
    Pelican's output step. A Pelican generator so that the reply pages are
    rendered with the theme's templates and every plugin's template globals."""

    def generate_output(self, writer) -> None:
        if not _state.active:
            return
        for relative, data in _state.outputs:
            write_if_changed(Path(self.output_path), relative, data)
        if _state.reply_pages:
            template = self.env.get_template(reply_pages.TEMPLATE)
            for page in _state.reply_pages:
                data = reply_pages.render(template, self.context, page)
                write_if_changed(Path(self.output_path), page.save_as, data)


def add_output_generator(pelican):
    """``get_generators``: feeds, the comments index and the reply pages are written by a generator of ours.

    Why this signal: generators' output step runs after the output folder is
    prepared and before ``finalized``, like Pelican's own feeds, so the feeds
    are written in every build without depending on the order of other
    plugins' ``finalized`` handlers.
    """
    return CommentOutputsGenerator


def register() -> None:
    signals.initialized.connect(start_build)
    signals.all_generators_finalized.connect(attach_comments)
    signals.get_generators.connect(add_output_generator)


# --- helpers ------------------------------------------------------------------


def _collect_items(generators):
    """Every article and page Pelican read, with its kind."""
    items, seen = [], set()
    for generator in generators:
        for attribute in (
            "articles", "translations", "hidden_articles", "hidden_translations",
            "drafts", "drafts_translations", "pages", "hidden_pages", "draft_pages",
            "draft_translations",
        ):
            for item in getattr(generator, attribute, None) or ():
                if id(item) in seen or not hasattr(item, "slug"):
                    continue
                seen.add(id(item))
                items.append((item, "article" if isinstance(item, Article) else "page"))
    return items


def _mode_for(item, config: CommentsSettings) -> str:
    value = (getattr(item, "metadata", {}) or {}).get("comments")
    if value is None:
        return config.default_mode if getattr(item, "status", "published") == "published" else "hidden"
    mode = str(value).strip().lower()
    if mode not in MODES:
        report(
            getattr(item, "source_path", None),
            f"'Comments: {value}' is not one of open, closed, hidden; write e.g. 'Comments: closed'",
        )
        return "hidden"
    return mode


def _publishable(comments, rendered):
    """Comments that rendered, and whose parents all rendered too."""
    ok = {c.id: c for c in comments if (c.slug, c.id) in rendered}

    def rooted(comment) -> bool:
        seen = set()
        while comment.replyto:
            if comment.id in seen:
                return False
            seen.add(comment.id)
            comment = ok.get(comment.replyto)
            if comment is None:
                return False
        return True

    return [c for c in comments if c.id in ok and rooted(c)]


def _entry(comment, rendered, config: CommentsSettings) -> ThreadEntry:
    return ThreadEntry(
        comment=comment,
        depth=1,
        html=rendered[(comment.slug, comment.id)],
        author_url=safe_web_url(comment.website),
        date_iso=comment.date.isoformat(timespec="seconds"),
        date_text=format_date(comment.date, config.date_format, config.timezone),
    )


def _site_index(items, config: CommentsSettings) -> bytes:
    """comments-index.json for the comment receiver (format: comment_core/site_index.py):
    every published article/page with its URL, title, comments mode and the ids
    of its published comments (so a reply can only answer a visible comment)."""
    pages = {}
    for item, _kind in items:
        section = getattr(item, "truffles_comments", None)
        if section is None or getattr(item, "status", "") != "published" or item.slug in pages:
            continue
        if not SLUG_PATTERN.fullmatch(item.slug):
            continue
        pages[item.slug] = {
            "url": _absolute(config, item.url),
            "title": plain(item.title),
            "comments": section.mode,
            "comment_ids": sorted(_ids(section.threads)),
        }
    # The endpoint (None: posting disabled) lets a receiver or `make serve`
    # tell when the site was built for another one.
    return site_index.dump(pages, endpoint=config.endpoint)


def _ids(threads):
    stack, found = list(threads), []
    while stack:
        node = stack.pop()
        found.append(node.id)
        stack.extend(node.replies)
    return found


def _absolute(config: CommentsSettings, url: str) -> str:
    return f"{config.siteurl}/{url.lstrip('/')}" if config.siteurl else "/" + url.lstrip("/")
