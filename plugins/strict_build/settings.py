"""The settings strict_build reads, read in one place.

strict_build adds no settings of its own: it judges a build by Pelican's.

PATH                 the content folder. Problems name files relative to its
                     parent, the project (``content/causes/iron.md``).
SITEURL              the site's address; links to it are checked like relative
                     links. Default: "" (development builds).
ARTICLE_PATHS,       the folders pages are read from. A Markdown (or reST/HTML)
PAGE_PATHS           source anywhere else in PATH is reported as a stray file.
STATIC_PATHS,        folders that are not stray: copied as they are, or data
ARTICLE_EXCLUDES,    (such as comment files) that a plugin reads.
PAGE_EXCLUDES
IGNORE_FILES         file and folder name patterns that are never stray.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class StrictSettings:
    content: Path
    siteurl: str
    read_from: tuple[str, ...]
    skipped: tuple[str, ...]
    ignores: tuple[str, ...]

    @property
    def project(self) -> Path:
        return self.content.parent


def read_settings(settings: Mapping) -> StrictSettings:
    return StrictSettings(
        content=Path(settings["PATH"]),
        siteurl=str(settings.get("SITEURL") or ""),
        read_from=(*settings.get("ARTICLE_PATHS", ()), *settings.get("PAGE_PATHS", ())),
        skipped=(*settings.get("STATIC_PATHS", ()), *settings.get("ARTICLE_EXCLUDES", ()),
                 *settings.get("PAGE_EXCLUDES", ())),
        ignores=tuple(settings.get("IGNORE_FILES", ())),
    )
