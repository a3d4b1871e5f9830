"""All site_assets settings, read and validated in one place.

ASSET_CSS      list of CSS file paths, concatenated in this order into one
               fingerprinted stylesheet (logical name "site.css"). Plugins append
               their own file in their ``initialized`` handler. Default: [].
ASSET_JS       list of JavaScript file paths; each is published fingerprinted
               under its own file name as logical name. Default: [].
ASSET_DIR      output folder for the assets. Default: "static".
MINIFY_OUTPUT  minify the stylesheet and every HTML page. Default: False
               (development); publishconf.py turns it on.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


class AssetSettingsError(ValueError):
    pass


@dataclass(frozen=True)
class AssetSettings:
    css: tuple[Path, ...]
    js: tuple[Path, ...]
    directory: str
    minify: bool


def read_settings(settings: dict) -> AssetSettings:
    def paths(name: str) -> tuple[Path, ...]:
        value = settings.get(name, [])
        if not isinstance(value, (list, tuple)):
            raise AssetSettingsError(f"{name} must be a list of file paths, got {value!r}")
        result = []
        for entry in value:
            path = Path(entry)
            if not path.is_file():
                raise AssetSettingsError(f"{name}: no such file {entry!r}")
            result.append(path)
        return tuple(result)

    directory = settings.get("ASSET_DIR", "static")
    if not isinstance(directory, str) or not directory or directory.startswith("/"):
        raise AssetSettingsError(f"ASSET_DIR must be a relative folder name, got {directory!r}")
    minify = settings.get("MINIFY_OUTPUT", False)
    if not isinstance(minify, bool):
        raise AssetSettingsError(f"MINIFY_OUTPUT must be True or False, got {minify!r}")
    return AssetSettings(paths("ASSET_CSS"), paths("ASSET_JS"), directory.strip("/"), minify)
