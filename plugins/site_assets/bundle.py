"""Turn source files into fingerprinted output files."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import rcssmin

from .settings import AssetSettings


@dataclass(frozen=True)
class Asset:
    logical_name: str  # what templates ask for, e.g. "site.css"
    file_name: str  # what is written, e.g. "site.3f2a9c1b7d.css"
    content: bytes


def _fingerprinted(logical_name: str, content: bytes) -> str:
    stem, dot, suffix = logical_name.rpartition(".")
    digest = hashlib.sha256(content).hexdigest()[:10]
    return f"{stem}.{digest}.{suffix}" if dot else f"{logical_name}.{digest}"


def build_assets(settings: AssetSettings) -> dict[str, Asset]:
    assets: dict[str, Asset] = {}
    if settings.css:
        css = "\n".join(path.read_text(encoding="utf-8") for path in settings.css)
        if settings.minify:
            css = rcssmin.cssmin(css)
        data = css.encode("utf-8")
        assets["site.css"] = Asset("site.css", _fingerprinted("site.css", data), data)
    for path in settings.js:
        data = path.read_bytes()
        assets[path.name] = Asset(path.name, _fingerprinted(path.name, data), data)
    return assets
