"""Signal wiring for site_assets."""

from __future__ import annotations

import os
from pathlib import Path

import blinker
from pelican import signals
from pelican.plugins import granular_signals
from strict_build import plugin_listed

from .bundle import Asset, build_assets
from .minify import minify_html_file, minify_html_tree
from .settings import read_settings

_state: dict = {}


def reset(pelican) -> None:
    """``initialized``: start every build (devserver rebuilds too) from scratch.

    Signal handlers stay connected for the rest of the process once a plugin is
    loaded, so a later build in the same process that does not list this
    plugin must be left alone.
    """
    _state.clear()
    _state["active"] = plugin_listed(pelican.settings, __package__)
    _state["minified"] = set()


def _assets(settings: dict) -> dict[str, Asset]:
    # Bundled once per build, on first use: by then every plugin's
    # ``initialized`` handler has registered its files in ASSET_CSS/ASSET_JS.
    if "assets" not in _state:
        config = read_settings(settings)
        _state["config"] = config
        _state["assets"] = build_assets(config)
    return _state["assets"]


def expose_to_templates(generator) -> None:
    """``generator_init``: give templates ``asset_path('site.css')``."""
    if not _state.get("active"):
        return
    assets = _assets(generator.settings)
    directory = _state["config"].directory

    def asset_path(logical_name: str) -> str:
        try:
            return f"{directory}/{assets[logical_name].file_name}"
        except KeyError:
            known = ", ".join(sorted(assets)) or "none"
            raise KeyError(
                f"asset_path({logical_name!r}): no such asset (known: {known}); "
                "add the file to ASSET_CSS or ASSET_JS"
            ) from None

    generator.env.globals["asset_path"] = asset_path


def minify_written_page(path, **_context) -> None:
    """``content_written``: minify a page right after Pelican writes it, while
    it is still in the page cache and so the compression plugin, which takes
    each page over once the next one is written, compresses the final bytes."""
    if not _state.get("active") or not path.endswith(".html"):
        return
    config = _state.get("config")  # read at generator_init, before any page is written
    if config is not None and config.minify:
        minify_html_file(Path(path))
        _state["minified"].add(Path(path))


def write_assets(pelican) -> None:
    """``finalized``: write the bundles (before the granular ``compress`` signal)."""
    if not _state.get("active"):
        return
    assets = _assets(pelican.settings)
    target = Path(pelican.output_path) / _state["config"].directory
    target.mkdir(parents=True, exist_ok=True)
    for asset in assets.values():
        (target / asset.file_name).write_bytes(asset.content)


def minify_remaining(pelican) -> None:
    """Granular ``minify`` signal: HTML that was not written through Pelican's
    writer (static files, other plugins' output) is minified here."""
    if not _state.get("active"):
        return
    _assets(pelican.settings)
    if _state["config"].minify:
        minify_html_tree(Path(os.path.abspath(pelican.output_path)), skip=_state["minified"])


def register() -> None:
    signals.initialized.connect(reset)
    signals.generator_init.connect(expose_to_templates)
    signals.content_written.connect(minify_written_page)
    signals.finalized.connect(write_assets)
    granular_signals.register()
    blinker.signal("minify").connect(minify_remaining)
