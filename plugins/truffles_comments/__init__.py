"""truffles_comments: a threaded, sanitized comments section and a call to action.

Enable with ``PLUGINS = [..., "truffles_comments"]``; see README.md.
The comment file format lives in :mod:`comment_core.comment_file`, which
does not import Pelican, so the comment receiver can use it on its own.
"""


def register():
    """Connect the plugin's signal handlers (Pelican calls this on load)."""
    from .plugin import register as _register

    _register()
