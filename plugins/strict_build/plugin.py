"""Signal wiring for strict_build."""

from __future__ import annotations

import logging
import sys

import blinker
from pelican import signals
from pelican.plugins import granular_signals

from . import collector
from .enabled import plugin_listed

# Pelican's own error messages carry the file name in these formats.
_OWN_LOGGER_PREFIX = __name__.rsplit(".", 1)[0]


class _ErrorCollector(logging.Handler):
    """Turns every ERROR (or worse) that Pelican logs during a build into a Problem."""

    def __init__(self):
        super().__init__(level=logging.ERROR)

    def emit(self, record: logging.LogRecord) -> None:
        if record.name.startswith(_OWN_LOGGER_PREFIX):
            return  # already collected by report()
        try:
            message = record.getMessage()
        except Exception:  # a broken log call must not hide the real problem
            message = str(record.msg)
        first, _, rest = message.partition("\n")
        if rest.strip():
            message = f"{first} ({rest.strip().splitlines()[-1].strip()})"
        if message.startswith("Could not process"):
            # Pelican logs this from inside its `except` block without the
            # exception unless DEBUG is set; the exception says what is wrong.
            error = record.exc_info[1] if record.exc_info else sys.exc_info()[1]
            detail = f": {error}" if error is not None else ""
            message += f"{detail} - check the metadata lines at the top of the file (e.g. `Date: 2026-05-04`)"
        problem = collector.Problem("", message)
        if problem not in collector._problems:
            collector._problems.append(problem)


_handler = _ErrorCollector()
_active = False


def start_build(pelican) -> None:
    """``initialized``: a new build starts; forget the previous build's problems.

    `make devserver` runs many builds in one process, so state must not leak.
    """
    collector.reset()
    global _active
    # Handlers stay connected for the whole process once the plugin is loaded;
    # a later build that does not list this plugin must not be judged by it.
    _active = plugin_listed(pelican.settings, __package__)
    if not _active:
        return
    root = logging.getLogger()
    if _handler not in root.handlers:
        root.addHandler(_handler)


def finish_build(pelican) -> None:
    """``deploy``, the last of pelican-granular-signals' steps after ``finalized``:
    every file has been read and written and every other plugin has finished
    (and reset its own state, as pelican-sitemap does), whatever the order of
    PLUGINS; fail if anything was wrong."""
    logging.getLogger().removeHandler(_handler)
    if not _active:
        return
    found = collector.problems()
    if found:
        raise collector.BuildFailed(found)


def register() -> None:
    granular_signals.register()
    signals.initialized.connect(start_build)
    blinker.signal("deploy").connect(finish_build)
