"""Signal wiring for strict_build."""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from pathlib import Path

import blinker
from pelican import signals
from pelican.plugins import granular_signals

from . import collector, logs
from .enabled import plugin_listed
from .links import SiteLinks
from .settings import read_settings
from .stray import stray_files

# Checks other plugins offer for a file Pelican could not read at all: they
# name the real mistake (a bad date line) where Pelican only says "Could not
# process". Each takes the file's path and returns problem messages.
# Registrations are process-wide, so each check names the plugin it belongs to
# and runs only in builds that list that plugin.
_file_checks: list[tuple[str, Callable[[Path], list[str]]]] = []


def register_file_check(check: Callable[[Path], list[str]], plugin: str) -> None:
    if (plugin, check) not in _file_checks:
        _file_checks.append((plugin, check))


class _ErrorCollector(logging.Handler):
    """Turns every ERROR that Pelican logs during a build into a Problem."""

    def __init__(self):
        super().__init__(level=logging.ERROR)

    def emit(self, record: logging.LogRecord) -> None:
        if not logs.is_collected(record):
            return
        if record.msg == "Could not process %s" and record.args:
            _state.setdefault("unreadable", set()).add(Path(str(record.args[0])).as_posix())
            # The record carries the exception only with DEBUG; otherwise it is
            # the one being handled (Pelican logs from inside its except block).
            error = record.exc_info[1] if record.exc_info else sys.exc_info()[1]
            _could_not_process(Path(_state["path"]) / str(record.args[0]), error)
            return
        try:
            message = record.getMessage()
        except Exception:  # a broken log call must not hide the real problem
            message = str(record.msg)
        first, _, rest = message.partition("\n")
        if rest.strip():  # a traceback: its first and last lines say what went wrong
            message = f"{first} ({rest.strip().splitlines()[-1].strip()})"
        collector.report(None, logs.absolute_paths_relative(message, _state.get("path")))


def _could_not_process(path: Path, error: BaseException | None) -> None:
    settings = _state.get("settings", {})
    checks = [check for plugin, check in _file_checks if plugin_listed(settings, plugin)]
    found = [message for check in checks for message in check(path)]
    for message in found:
        collector.report(path, message)
    if not found:
        detail = f" ({type(error).__name__}: {error})" if error is not None else ""
        collector.report(
            path,
            f"Pelican could not read this file{detail}; check the metadata lines at the top "
            "(e.g. `Date: 2026-05-04`)",
        )


_handler = _ErrorCollector()
_state: dict = {}


def start_build(pelican) -> None:
    """``initialized``: a new build starts; forget the previous build's problems.

    `make devserver` runs many builds in one process, so state must not leak.
    """
    _state.clear()
    # Handlers stay connected for the whole process once the plugin is loaded;
    # a later build that does not list this plugin must not be judged by it.
    active = plugin_listed(pelican.settings, __package__)
    logs.set_active(active)
    config = read_settings(pelican.settings) if active else None
    collector.reset(config.project if config else None)
    if not active:
        return
    _state["config"] = config
    _state["path"] = str(config.content)
    _state["settings"] = pelican.settings  # which plugins are listed, for the file checks
    logs.one_line_logging(exclude=_handler)
    root = logging.getLogger()
    if _handler not in root.handlers:
        root.addHandler(_handler)


def remember_content(generators) -> None:
    """``all_generators_finalized``: every page is known; keep them for the link check."""
    if not _state:
        return
    items, known = [], set()
    for generator in generators:
        items += list(getattr(generator, "articles", [])) + list(getattr(generator, "pages", []))
        items += list(getattr(generator, "drafts", [])) + list(getattr(generator, "hidden_pages", []))
        context = getattr(generator, "context", {})
        known.update(context.get("generated_content", {}), context.get("static_content", {}))
    _state["items"] = items
    _state["known"] = sorted(str(k).replace("\\", "/") for k in known)


def check_links(pelican) -> None:
    # A page that could not be read is already a problem; links to it are not another.
    known = [*_state.get("known", []), *_state.get("unreadable", ())]
    site = SiteLinks(Path(pelican.output_path), _state["config"].siteurl, known, bool(_state.get("unreadable")))
    for item in _state.get("items", []):
        if not getattr(item, "save_as", "") or not item.source_path:
            continue
        source_rel = Path(item.source_path).relative_to(Path(_state["path"])).as_posix()
        for message in site.problems(item.content, item.url, source_rel):
            collector.report(item.source_path, message)


def finish_build(pelican) -> None:
    """``deploy``, the last of pelican-granular-signals' steps after ``finalized``:
    every file has been read and written and every other plugin has finished
    (and reset its own state, as pelican-sitemap does), whatever the order of
    PLUGINS; fail if anything was wrong."""
    logging.getLogger().removeHandler(_handler)
    if not _state:
        return
    check_links(pelican)
    for path, message in stray_files(_state["config"]):
        collector.report(path, message)
    logs.set_active(False)
    found = collector.problems()
    if found:
        collector.print_report(found)
        raise collector.BuildFailed(found)


def register() -> None:
    granular_signals.register()
    signals.initialized.connect(start_build)
    signals.all_generators_finalized.connect(remember_content)
    blinker.signal("deploy").connect(finish_build)
