"""Signal wiring for site_assets."""

from __future__ import annotations

from pathlib import Path

import blinker
from pelican import signals
from pelican.plugins import granular_signals

from strict_build import plugin_listed

from .bundle import Asset, build_assets
from .minify import minify_html_tree
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


def write_assets(pelican) -> None:
    """``minify`` (pelican-granular-signals): write the bundles, then minify
    pages when asked. That signal comes after every page is written and before
    ``compress``, where pelican-precompress runs, whatever the order of PLUGINS.
    """
    if not _state.get("active"):
        return
    assets = _assets(pelican.settings)
    target = Path(pelican.output_path) / _state["config"].directory
    target.mkdir(parents=True, exist_ok=True)
    for asset in assets.values():
        (target / asset.file_name).write_bytes(asset.content)
    if _state["config"].minify:
        minify_html_tree(Path(pelican.output_path))


def register() -> None:
    signals.initialized.connect(reset)
    signals.generator_init.connect(expose_to_templates)
    granular_signals.register()
    blinker.signal("minify").connect(write_assets)
