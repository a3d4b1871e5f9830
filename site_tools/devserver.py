"""`make devserver`: rebuild on every change and reload the browser.

Pelican's own `--autoreload --listen` rebuilds but never tells the browser;
the livereload package serves the site, watches the sources and pushes a
reload to open pages. Builds run in one warm Pelican process that keeps its
content cache, and only files whose bytes changed are written into the served
folder (site_tools/incremental.py); a change to a plugin, comment_core or the
settings starts a fresh process for a full build. When a build fails, every
page shows the build's problems (the same lines the terminal shows) until a
build passes, and then the browser reloads to the site.
"""

from __future__ import annotations

import argparse
import html
import json
import shlex
import time
from pathlib import Path

from livereload import Server
from livereload.handlers import LiveReloadHandler, StaticFileHandler
from livereload.watcher import Watcher
from pelican.settings import read_settings
from tornado import ioloop

from comment_core import csp
from site_tools.incremental import BuildOutcome, WarmBuilder
from site_tools.serve import _bind

ROOT = Path(__file__).resolve().parents[1]
# Watched besides the content folder. Every build reads the theme afresh; a
# change to code or settings needs a fresh process (a full build).
WATCHED_WARM = ["theme"]
WATCHED_CODE = ["plugins", "comment_core", "pelicanconf.py"]
POLL_MS = 100
# With --drafts, drafts get their own addresses (normally they are not written).
DRAFT_SETTINGS = {
    "DRAFT_URL": "drafts/{slug}/",
    "DRAFT_SAVE_AS": "drafts/{slug}/index.html",
    "DRAFT_PAGE_URL": "drafts/{path_no_ext}/",
    "DRAFT_PAGE_SAVE_AS": "drafts/{path_no_ext}/index.html",
}

# The snippet livereload injects into every page, as in livereload/server.py.
_LIVERELOAD_SNIPPET = (
    '(function(){var s=document.createElement("script");'
    "var port=(window.location.port || (window.location.protocol == 'https:' ? 443: 80));"
    's.src="//"+window.location.hostname+":"+port+ "/livereload.js?port=" + port;'
    "document.head.appendChild(s);})();"
)

# The last build's output when it failed, None when it passed.
_failure: dict[str, str | None] = {"report": None}


def dev_csp() -> str:
    """The site's CSP plus the hash of livereload's one inline snippet.

    A hash allows exactly that script and nothing else, so development keeps
    the same protection as production instead of falling back to 'unsafe-inline'.
    """
    directives = read_settings(str(ROOT / "pelicanconf.py"))["CSP_DIRECTIVES"]
    return csp.policy(csp.with_source(directives, "script-src", csp.hash_source(_LIVERELOAD_SNIPPET)))


def error_page(report: str, policy: str) -> str:
    """What every page shows while the last build failed (livereload adds its script)."""
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{html.escape(policy)}">'
        "<title>Build failed</title></head><body><main>"
        "<h1>The last build failed</h1>"
        "<p>Fix the files named below and save: this page reloads to the site when the next build passes.</p>"
        f'<pre id="build-problems">{html.escape(report)}</pre></main></body></html>'
    )


class _FilesOrBuildError(StaticFileHandler):
    """Serves output/, or the build's problems instead of any page while the last build failed."""

    csp = ""

    async def get(self, path, include_body=True):
        name = path.rsplit("/", 1)[-1]
        is_page = name == "" or name.endswith(".html") or "." not in name
        if _failure["report"] is not None and is_page:
            self.set_status(500)
            self.set_header("Content-Type", "text/html; charset=utf-8")
            self.set_header("Cache-Control", "no-store")
            self.finish(error_page(_failure["report"], self.csp))
            return
        await super().get(path, include_body)


class _QuickWatcher(Watcher):
    """Looks for saved files every 0.1 s instead of livereload's 0.8 s, which
    was most of the wait between a save and the reload once builds became
    warm. A look is a walk over a few hundred files' modification times."""

    def start(self, callback) -> bool:
        ioloop.PeriodicCallback(callback, POLL_MS).start()
        return True  # livereload then starts no polling of its own


class _Server(Server):
    def __init__(self):
        super().__init__(watcher=_QuickWatcher())
        self.SFH = _FilesOrBuildError
        # Each save runs its build before livereload reloads the browser, so
        # no delay is needed after it; livereload ignores a second reload
        # within this many seconds (3 by default: a quick second save would
        # be built but never shown).
        LiveReloadHandler.DEFAULT_RELOAD_TIME = 0.5


def pelican_arguments(content: Path, scratch: Path, policy: str, drafts: bool, extra: list[str]) -> list[str]:
    """Pelican's command-line arguments for a development build into ``scratch``."""
    arguments = [
        str(content), "-o", str(scratch), "-s", "pelicanconf.py",
        "--delete-output-directory", "-e", f"CSP_META={json.dumps(policy)}",
    ]
    if drafts:
        arguments += [f"{key}={json.dumps(value)}" for key, value in DRAFT_SETTINGS.items()]
    return arguments + extra


def report(outcome: BuildOutcome, seconds: float) -> None:
    """Print what the build printed and what it changed; remember a failure for the error page."""
    if outcome.printed:
        print(outcome.printed, flush=True)
    if not outcome.ok:
        _failure["report"] = outcome.printed
        print("Build failed: open pages now show the problems above. Fix the file and save.", flush=True)
        return
    _failure["report"] = None
    changed = [*outcome.written, *(f"{name} (removed)" for name in outcome.removed)]
    shown = ", ".join(changed[:6]) + (f" and {len(changed) - 6} more" if len(changed) > 6 else "")
    kind = "full build" if outcome.full else "warm build"
    print(f"{kind} in {seconds:.2f} s; changed: {shown or 'nothing'}", flush=True)


def _rebuild(build, output: Path, drafts_origin: str | None) -> None:
    """Run ``build`` (warm or full), report it, and list drafts when serving them."""
    start = time.perf_counter()
    outcome = build()
    report(outcome, time.perf_counter() - start)
    if outcome.ok and drafts_origin:
        _list_drafts(output, drafts_origin)


def _list_drafts(output: Path, origin: str) -> None:
    drafts = sorted(p.parent.relative_to(output).as_posix() for p in (output / "drafts").rglob("index.html"))
    for draft in drafts:
        print(f"Draft: {origin}/{draft}/", flush=True)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m site_tools.devserver", description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--content", default="content")
    parser.add_argument("--output", default="output")
    parser.add_argument("--drafts", action="store_true", help="also build drafts, at /drafts/<slug>/")
    parser.add_argument("--pelican-opts", default="", help="extra Pelican options (make PELICANOPTS=...)")
    args = parser.parse_args(argv)
    # Same check and message as `make serve`, before minutes of building.
    _bind(args.host, args.port, "site", "PORT", command="make devserver").close()
    output = (ROOT / args.output).resolve()
    policy = dev_csp()
    _FilesOrBuildError.csp = policy
    content = (ROOT / args.content).resolve()
    arguments = pelican_arguments(content, output.with_name(output.name + ".partial"), policy, args.drafts, shlex.split(args.pelican_opts))
    origin = f"http://{args.host}:{args.port}"
    with WarmBuilder(arguments, output) as builder:
        # Zero-argument callbacks: livereload passes changed paths to any other kind.
        def warm() -> None:
            _rebuild(builder.build, output, origin if args.drafts else None)

        def full() -> None:
            _rebuild(builder.restart, output, origin if args.drafts else None)

        warm()
        output.mkdir(exist_ok=True)  # a first build that failed still serves its error page
        server = _Server()
        for path in [content, *(ROOT / name for name in WATCHED_WARM)]:
            server.watch(str(path), warm)
        for path in (ROOT / name for name in WATCHED_CODE):
            server.watch(str(path), full)
        print(f"Serving {output} at {origin}/ - edits rebuild and reload the page. Ctrl+C stops.", flush=True)
        server.serve(host=args.host, port=args.port, root=str(output), open_url_delay=None, restart_delay=0)

if __name__ == "__main__":
    main()
