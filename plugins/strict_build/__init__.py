"""Make content mistakes fail the build, loudly and all at once.

Pelican logs "Could not process …" for a broken file and still exits 0, and
`--fatal errors` stops at the first problem. Authors need the opposite: every
problem, each naming its file and what to fix, and a non-zero exit so that
`make html`, `make publish` and CI never publish a site with pages missing.

Other plugins report problems with :func:`report`; errors Pelican itself logs
are collected by a logging handler. When the build finishes (``deploy``, after
``finalized`` and every other plugin's work) and
anything was collected, :class:`BuildFailed` is raised; Pelican's command line
turns that into exit status 1 after printing the list.
"""

from .collector import BuildFailed, Problem, problems, report
from .enabled import plugin_listed
from .plugin import register

__all__ = ["BuildFailed", "Problem", "plugin_listed", "problems", "register", "report"]
