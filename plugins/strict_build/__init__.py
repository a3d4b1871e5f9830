"""Make content mistakes fail the build, loudly, once each and all at once.

Pelican logs "Could not process …" for a broken file and still exits 0, leaves
an unresolved ``{filename}`` link in the page with only a warning, and
`--fatal errors` stops at the first problem. Authors need the opposite: every
problem, each on one line naming its file (relative to the project) and what to
fix, and exit status 1 so that `make html`, `make publish` and CI never publish
a site with pages or links missing.

Other plugins report problems with :func:`report`; errors Pelican itself logs
are collected by a logging handler; links and stray files are checked when the
site has been written. When the build finishes (``deploy``, after ``finalized``
and every other plugin's work) and anything was collected, the list is printed
once with a summary line and :class:`BuildFailed` (a SystemExit with status 1)
ends the build.
"""

from .collector import BuildFailed, Problem, format_report, problems, report
from .enabled import plugin_listed
from .plugin import register, register_file_check

__all__ = [
    "BuildFailed", "Problem", "format_report", "plugin_listed", "problems", "register", "register_file_check", "report",
]
