"""comment_receiver: the small web service that receives visitors' comments,
and the moderation command line (``python -m comment_receiver --help``).

Accepted comments are written, one file each, into a moderation queue in the
format defined by :mod:`comment_core.comment_file`; an author approves
them into ``content/comments/<slug>/`` and the next build publishes them.
See README.md in this folder for running it in production.
"""

from .settings import Settings, SettingsError, load_settings

__all__ = ["Settings", "SettingsError", "create_app", "load_settings"]


def create_app(settings: Settings | None = None):
    """The Starlette application (imported lazily: the CLI does not need it)."""
    from .app import create_app as _create_app

    return _create_app(settings)
