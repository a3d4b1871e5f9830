"""Content files Pelican never reads because they sit outside the configured folders.

Pelican only looks for pages in ARTICLE_PATHS and PAGE_PATHS; a Markdown file
saved anywhere else in content/ is silently left out of the site. That is a
problem, not a warning: the author meant it to be published. A file kept there
on purpose is named in IGNORE_FILES.
"""

from __future__ import annotations

import fnmatch
import os
from pathlib import Path

from .settings import StrictSettings

SOURCE_SUFFIXES = {".md", ".markdown", ".mdown", ".rst", ".html", ".htm"}


def _under(rel: Path, folders) -> bool:
    return any(rel.parts[: len(Path(f).parts)] == Path(f).parts for f in folders if f)


def stray_files(config: StrictSettings) -> list[tuple[Path, str]]:
    """(path, problem) for each source file no generator reads."""
    content, read_from, skipped, ignores = config.content, config.read_from, config.skipped, config.ignores
    where = ", ".join(f"content/{folder}/" for folder in read_from)
    found = []
    for dirpath, dirnames, filenames in os.walk(content):
        dirnames[:] = sorted(d for d in dirnames if not any(fnmatch.fnmatch(d, i) for i in ignores))
        for name in sorted(filenames):
            path = Path(dirpath) / name
            rel = path.relative_to(content)
            if path.suffix.lower() not in SOURCE_SUFFIXES or any(fnmatch.fnmatch(name, i) for i in ignores):
                continue
            if _under(rel, read_from) or _under(rel, skipped):
                continue
            found.append((path, (
                f"this file is not part of the site: pages are read only from {where}; "
                "move it into one of those folders, or add its name to IGNORE_FILES in pelicanconf.py to keep it unpublished"
            )))
    return found
