"""Rendered comment bodies, cached between builds.

Each body is rendered (Markdown + sanitizer) at most once per build. The
result is kept in ``<CACHE_PATH>/truffles_comments/bodies.json`` keyed on the
SHA-256 of the renderer version and the comment's Markdown text, so a warm
build with 10,000 unchanged comments renders none of them. Only entries used
by the current build are written back, so the file never grows stale.

The cache is used only if its version matches this renderer (see
sanitize.RENDER_VERSION and the allow-list fingerprint). Cached HTML goes
through the sanitizer again when it is read (cheap next to Markdown), so a
tampered cache file cannot put anything outside the allow-list on a page.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable
from pathlib import Path

from comment_core.atomic import replace_atomically

logger = logging.getLogger(__name__)


class RenderCache:
    def __init__(self, directory: Path | None, version: str):
        self.file = Path(directory) / "truffles_comments" / "bodies.json" if directory else None
        self.version = version
        self._stored: dict[str, str] = {}
        self._used: dict[str, str] = {}
        self.hits = 0
        self.misses = 0
        self._load()

    def _load(self) -> None:
        if self.file is None:
            return
        try:
            data = json.loads(self.file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return
        if isinstance(data, dict) and data.get("version") == self.version and isinstance(data.get("bodies"), dict):
            self._stored = {k: v for k, v in data["bodies"].items() if isinstance(v, str)}

    def key(self, text: str) -> str:
        return hashlib.sha256(f"{self.version}\0{text}".encode("utf-8", "surrogatepass")).hexdigest()

    def get(self, text: str, render: Callable[[str], str], resanitize: Callable[[str], str] | None = None) -> str:
        """The rendered HTML of ``text``: from this build, from the cache file
        (passed through ``resanitize`` again, in case the file was tampered
        with), or rendered now."""
        key = self.key(text)
        if key in self._used:
            return self._used[key]
        if key in self._stored:
            self.hits += 1
            html = self._stored[key]
            if resanitize is not None:
                html = resanitize(html)
        else:
            self.misses += 1
            html = render(text)
        self._used[key] = html
        return html

    def save(self) -> None:
        """Write the entries used by this build (atomically); never fails a build."""
        if self.file is None or (self.misses == 0 and set(self._used) == set(self._stored)):
            return
        try:
            data = json.dumps({"version": self.version, "bodies": self._used}, sort_keys=True)
            replace_atomically(self.file, data.encode("utf-8"))
        except OSError as error:
            logger.warning("truffles_comments: could not write the render cache %s (%s)", self.file, error)
