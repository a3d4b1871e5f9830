"""The per-build list of content problems shared by all our plugins."""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Problem:
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


class BuildFailed(Exception):
    """Raised at the end of a build that found problems in the content."""

    exitcode = 1

    def __init__(self, found: list[Problem]):
        self.problems = list(found)
        lines = "\n".join(f"  - {p}" for p in self.problems)
        count = len(self.problems)
        noun = "problem" if count == 1 else "problems"
        super().__init__(
            f"the build found {count} {noun}; nothing was published. Fix and rebuild:\n{lines}"
        )


_problems: list[Problem] = []


def reset() -> None:
    _problems.clear()


def problems() -> list[Problem]:
    return list(_problems)


def report(path: os.PathLike | str | None, message: str) -> None:
    """Record a content problem; the build fails when it finishes."""
    problem = Problem(_display_path(path), message)
    if problem not in _problems:
        _problems.append(problem)
        logger.error("%s", problem)


def _display_path(path) -> str:
    if path is None:
        return ""
    path = os.fspath(path)
    try:
        rel = os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return path
    return path if rel.startswith(os.pardir) else rel
