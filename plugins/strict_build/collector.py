"""The per-build list of content problems shared by all our plugins."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    path: str
    message: str

    def __str__(self) -> str:
        # One line each, whatever the message: authors grep and CI logs cut lines.
        text = " ".join(self.message.split())
        return f"{self.path}: {text}" if self.path else text


class BuildFailed(SystemExit):
    """Raised at the end of a build that found problems in the content.

    A SystemExit, not an Exception: the problems are the expected outcome of a
    build of broken content, so Pelican's command line must not add its own
    "CRITICAL" line and traceback; the process simply exits with status 1.
    """

    def __init__(self, found: list[Problem]):
        super().__init__(1)
        self.problems = list(found)

    def __str__(self) -> str:
        return summary(self.problems)


def summary(found: list[Problem]) -> str:
    count = len(found)
    noun = "problem" if count == 1 else "problems"
    return f"Build failed: {count} {noun} (listed above); nothing was published. Fix them and rebuild."


def format_report(found: list[Problem]) -> str:
    """What the author sees: each problem once, one line each, the summary last."""
    return "\n".join([*(f"ERROR {p}" for p in found), summary(found)])


_problems: list[Problem] = []
_base: dict[str, Path] = {}


def reset(project: Path | None = None) -> None:
    """Forget the previous build; ``project`` is the folder paths are shown relative to."""
    _problems.clear()
    _base.clear()
    if project is not None:
        _base["project"] = Path(project).resolve()


def problems() -> list[Problem]:
    return list(_problems)


def report(path: os.PathLike | str | None, message: str) -> None:
    """Record a content problem; the build fails when it finishes."""
    problem = Problem(display_path(path), message)
    if problem not in _problems:
        _problems.append(problem)


def print_report(found: list[Problem]) -> None:
    print(format_report(found), file=sys.stderr, flush=True)


def display_path(path) -> str:
    """The path as authors type it: relative to the project (the content folder's parent)."""
    if path is None:
        return ""
    path = Path(os.fspath(path))
    # The folders resolved, not the file: a symbolic link is named as itself.
    resolved = path.parent.resolve() / path.name
    bases = [b for b in (_base.get("project"), Path.cwd()) if b is not None]
    for base in bases:
        try:
            return resolved.relative_to(base).as_posix()
        except ValueError:
            continue
    return str(path)
