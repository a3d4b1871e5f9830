"""Log output an author can read: one line per message, no duplicates.

Pelican logs through rich, which wraps at 80 columns when the output is not a
terminal (CI logs, `make html | tee`); messages are printed one line each
instead. Errors are not printed as they happen: strict_build lists them once at
the end of the build, so they are filtered out of the ordinary log.
"""

from __future__ import annotations

import logging
import os
import sys

_OWN_PREFIX = __name__.rsplit(".", 1)[0]
_active = {"on": False}
# Pelican warns about an unresolved {filename} link, or a {static} file that
# does not exist, without saying which page links to it; the link check reports
# each as a problem naming the page instead.
_REPLACED_WARNINGS = (
    "Unable to find '%s', skipping url replacement.",
    "Cannot get modification stamp for %s\n\t%s",
)


def set_active(on: bool) -> None:
    _active["on"] = on


def is_collected(record: logging.LogRecord) -> bool:
    """True for an error the build's problem list takes over."""
    return (
        _active["on"]
        and logging.ERROR <= record.levelno < logging.CRITICAL
        and not record.name.startswith(_OWN_PREFIX)
    )


class _NotPrintedHere(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if is_collected(record):
            return False
        return not (_active["on"] and record.msg in _REPLACED_WARNINGS)


BUG_NOTE = (
    "This is a bug in the site's build code, not a mistake in your content: "
    "please report it to the developers with the lines above."
)


class OneLineFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        text = " ".join(record.getMessage().split())
        line = f"{record.levelname}: {text}" if record.levelno >= logging.WARNING else text
        if record.exc_info and record.levelno >= logging.CRITICAL:
            line += "\n" + self.formatException(record.exc_info) + "\n" + BUG_NOTE
        return line


_filter = _NotPrintedHere()


def one_line_logging(exclude: logging.Handler) -> None:
    """Replace Pelican's rich handler on the root logger with a one-line one."""
    from pelican.log import console
    from rich.logging import RichHandler

    console.soft_wrap = True  # "Done: Processed …" is printed, not logged
    root = logging.getLogger()
    for handler in list(root.handlers):
        if isinstance(handler, RichHandler):
            plain = logging.StreamHandler(sys.stderr)
            plain.setLevel(handler.level)
            plain.setFormatter(OneLineFormatter())
            root.removeHandler(handler)
            root.addHandler(plain)
    for handler in root.handlers:
        if handler is not exclude and _filter not in handler.filters:
            handler.addFilter(_filter)


def absolute_paths_relative(message: str, content_path: str | None) -> str:
    """Pelican names files by absolute path; authors know them relative to the project."""
    if not content_path:
        return message
    project = os.path.dirname(os.path.abspath(content_path))
    return message.replace(project + os.sep, "")
