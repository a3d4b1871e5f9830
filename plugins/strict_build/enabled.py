"""Whether a plugin takes part in a build.

Pelican connects a plugin's signal handlers for the whole process once it is
loaded, so in-process rebuilds (the tests, `make devserver`) may run a build
that does not list a plugin whose handlers still fire. Every plugin of ours
asks this at ``initialized`` and stays inert when it is not listed.
"""

from __future__ import annotations

from collections.abc import Mapping


def plugin_listed(settings: Mapping, module_name: str) -> bool:
    """True when this build's PLUGINS names the plugin, as ``name`` or as a
    dotted path ending in it (``pelican.plugins.name``)."""
    wanted = module_name.rsplit(".", 1)[-1]
    return any(str(entry).rsplit(".", 1)[-1] == wanted for entry in settings.get("PLUGINS") or ())
