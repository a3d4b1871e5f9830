"""Signal wiring for medical_pages."""

from __future__ import annotations

import datetime as dt
import logging
import os
import re
from pathlib import Path
from urllib.parse import urljoin

from pelican import signals
from pelican.contents import Article, Page
from strict_build import plugin_listed, register_file_check, report
from strict_build.collector import display_path

from .citations import ReferenceListError, apply_citations, load_references, verification_reminder
from .editor_notes import render_editor_notes
from .header_check import file_header_problems
from .jsonld import jsonld
from .navigation import breadcrumb_trail, check_guide_section, fill_cause_count, link_neighbours, order_causes
from .outline import outline
from .review import ReviewedDateError, ReviewScheduleError, next_review, overdue_problem, parse_reviewed
from .settings import read_settings
from .structured_data import medical_web_page

logger = logging.getLogger(__name__)
_state: dict = {}


def start_build(pelican) -> None:
    """``initialized``: read settings and the reference list once per build.

    `make devserver` rebuilds in one process, so nothing may survive from the
    previous build.
    """
    _state.clear()
    # Handlers stay connected for the whole process once the plugin is loaded;
    # a later build that does not list this plugin must be left alone.
    if not plugin_listed(pelican.settings, __package__):
        return
    config = read_settings(pelican.settings)
    _state["config"] = config
    # Reported at generator_init, not here: strict_build forgets the previous
    # build's problems at ``initialized``, maybe after this handler has run.
    _state["pending"] = []
    try:
        _state["references"] = load_references(config.references_path)
    except ReferenceListError as error:
        # One root cause, one problem: every citation would otherwise be
        # reported as unknown too, burying the real mistake.
        _state["references"] = None
        _state["pending"].append((config.references_path, str(error)))
    _state["reminder"] = verification_reminder(_state["references"] or {})
    _state["home"] = None


def _in_causes_dir(instance) -> bool:
    relative = os.path.relpath(instance.source_path, instance.settings["PATH"])
    return Path(relative).parts[:1] == (_state["config"].causes_dir,)


def inspect_content(instance) -> None:
    """``content_object_init``: validate and enrich each page as it is read.

    Runs once per page per build: header check, reviewed date, outline,
    citations and editor's notes. Problems go to strict_build, which fails the
    build listing all of them.
    """
    if not isinstance(instance, (Article, Page)) or "config" not in _state:
        return
    config = _state["config"]
    source = instance.source_path
    if source:
        for problem in file_header_problems(source, config.metadata_keys):
            report(source, problem)

    instance.is_cause = isinstance(instance, Page) and _in_causes_dir(instance)
    if instance.is_cause and "template" not in instance.metadata:
        instance.template = "cause"
    instance.is_medical = isinstance(instance, Article) or instance.template in config.medical_templates

    _record_review(instance, config, source)
    instance.notice = config.guide_notice if isinstance(instance, Article) else None

    content = instance._content or ""
    instance.outline = outline(content)
    if _state["references"] is None:
        instance.sources = []
    else:
        content, instance.sources, problems = apply_citations(content, _state["references"])
        for problem in problems:
            report(source, problem)
    instance._content = render_editor_notes(content)


def _record_review(instance, config, source) -> None:
    """When the page was last reviewed, by whom, and when the next review is due."""
    try:
        instance.reviewed = parse_reviewed(instance.metadata.get("reviewed"), required=instance.is_medical)
    except ReviewedDateError as error:
        instance.reviewed = None
        report(source, str(error))
    instance.reviewer = config.reviewer if instance.reviewed else None
    instance.next_review = None
    if not instance.is_medical:
        return
    try:
        instance.next_review = next_review(
            instance.reviewed, instance.metadata.get("next_review"), config.review_interval_months
        )
    except ReviewScheduleError as error:
        report(source, str(error))
        return
    overdue = overdue_problem(instance.next_review, dt.date.today(), config.date_format)
    if overdue and config.review_overdue_fails:
        report(source, overdue)


def source_problems(path) -> list[str]:
    """strict_build's check of a file Pelican could not read, with this site's keys."""
    config = _state.get("config")
    return file_header_problems(path, config.metadata_keys) if config else file_header_problems(path)


def remember_home(generator) -> None:
    """``article_generator_finalized``: the guide saved as index.html is "Home"."""
    if "config" not in _state:
        return
    for article in generator.articles:
        if article.save_as == "index.html":
            _state["home"] = article


def link_pages(generator) -> None:
    """``page_generator_finalized``: all pages are known; order causes, add
    breadcrumbs and structured data, check links into the guide."""
    if "config" not in _state:
        return
    config = _state["config"]
    home = _state.get("home")
    pages = list(generator.pages)
    pages_by_url = {page.url: page for page in pages}

    causes, problems = order_causes([page for page in pages if getattr(page, "is_cause", False)])
    for page, problem in problems:
        report(page.source_path, problem)
    link_neighbours(causes)
    generator.context["causes"] = causes
    for page in causes:
        # Optional: a cause the guide has no section for gets no "back to the guide" link.
        section = page.metadata.get("guide_section")
        page.guide = home if section else None
        problem = check_guide_section(section, home) if section and home is not None else None
        if problem:
            report(page.source_path, problem)
    for page in pages:
        fill_cause_count(page, len(causes))

    for page in pages:
        page.breadcrumbs = breadcrumb_trail(page, home, pages_by_url)
    for item in pages + list(generator.context.get("articles", [])):
        if getattr(item, "is_medical", False):
            crumbs = getattr(item, "breadcrumbs", None)
            item.structured_data = medical_web_page(
                item, siteurl=config.siteurl, clinic=config.clinic, condition=config.condition, crumbs=crumbs,
                reviewer=config.reviewer,
            )


def add_template_filters(generator) -> None:
    """``generator_init``: templates serialise structured data with ``|jsonld``;
    problems found at ``initialized`` are reported now."""
    if "config" in _state:
        generator.env.filters["jsonld"] = jsonld
        for path, problem in _state["pending"]:
            report(path, problem)
        _state["pending"] = []
        if _state.pop("reminder", None):
            logger.warning("%s: %s", display_path(_state["config"].references_path),
                           verification_reminder(_state["references"] or {}))


#: A link or image address in HTML a Markdown page produced (always double-quoted).
_LINK_ATTRIBUTE = re.compile(r'(\s(?:href|src)=")([^"]*)(")')


def readable_feed_entries(context, feed) -> None:
    """``feed_generated``: typogrify keeps a title's last two words together with
    a no-break space; in a feed reader's plain-text title that is just noise.
    And each link of an entry made absolute against the entry's own page: the
    guide's citations and section links are fragments (``#source-1``), which a
    feed reader would resolve against the feed's address."""
    if "config" not in _state:
        return
    for item in feed.items:
        item["title"] = " ".join(str(item["title"]).split())
        for field in ("content", "description"):
            if item.get(field):
                item[field] = _LINK_ATTRIBUTE.sub(lambda m, base=item["link"]: m[1] + urljoin(base, m[2]) + m[3], item[field])


def register() -> None:
    register_file_check(source_problems, __package__)
    signals.initialized.connect(start_build)
    signals.generator_init.connect(add_template_filters)
    signals.content_object_init.connect(inspect_content)
    signals.article_generator_finalized.connect(remember_home)
    signals.page_generator_finalized.connect(link_pages)
    signals.feed_generated.connect(readable_feed_entries)
