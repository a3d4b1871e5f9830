"""Warm rebuilds for `make devserver`: one Pelican process kept between saves,
and only the files whose bytes changed written into the served folder.

A save used to cost a fresh `python -m pelican` process: starting Python,
importing Pelican, Markdown and the plugins, parsing every Markdown file, then
replacing the whole output folder. Here a worker process (``python -m
site_tools.incremental <cache folder> <pelican arguments>``) stays up and runs
Pelican's own command-line steps once per request, with Pelican's content
cache on, so an unchanged Markdown file is not parsed again (its cache key is a
hash of the file's bytes, not its modification time). It also keeps each
text's typogrify result and each template's compiled code between builds.

Every warm build is still a complete build: Pelican renders every page into a
scratch folder, every plugin runs as in a full build. Only then is the scratch
folder synchronised into the served folder: a file whose bytes differ is moved
in, a file the build no longer produces is removed, everything else is left
alone. So exactly the pages that depend on a change are written (the page, its
neighbours, the hub, the comments index... whatever actually changed) and the
served folder equals a full build's output by construction. A failed build
leaves the served folder untouched.

What the warm process cannot pick up by itself is code: a change to a plugin,
to comment_core or to the settings module means a fresh worker (new imports)
with an empty content cache, i.e. a full build (``restart()``). Templates, the
theme's CSS and content/data/references.yaml are read by every build anyway,
and the content cache holds only what Markdown made of each file, so those stay
warm. A build that crashed (rather than failing with content problems) also
restarts the worker, in case the crash left state behind.
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from jinja2 import BytecodeCache

ROOT = Path(__file__).resolve().parents[1]
# The worker ends each build's output with this line and the build's exit status.
_DONE = "\x1e site_tools.incremental build finished "
# Pelican settings the warm worker adds to the caller's arguments.
_CACHE_SETTINGS = {
    "CACHE_CONTENT": True,
    "LOAD_CONTENT_CACHE": True,
    "CONTENT_CACHING_LAYER": "reader",  # raw Markdown results only: every plugin still runs on each page
    "CHECK_MODIFIED_METHOD": "sha256",  # by bytes: an editor's save within one mtime tick is still seen
}

# Texts, titles and summaries of about a thousand pages; then it starts afresh.
_TYPOGRIFY_RESULTS_KEPT = 5_000


@dataclass
class BuildOutcome:
    ok: bool
    printed: str  # everything Pelican and the plugins printed, as a fresh process prints it
    full: bool  # a fresh worker with an empty content cache ran this build
    written: list[str] = field(default_factory=list)  # output-relative paths moved into the served folder
    removed: list[str] = field(default_factory=list)  # output-relative paths the build no longer produces


class WarmBuilder:
    """Builds with ``python -m pelican <pelican_args>`` semantics into ``output``.

    ``pelican_args`` are Pelican's command-line arguments (content folder, -s,
    -e ...); their ``-o`` is the scratch folder, next to ``output``.
    """

    def __init__(self, pelican_args: list[str], output: Path, cache: Path | None = None):
        self.output = Path(output)
        self.scratch = Path(pelican_args[pelican_args.index("-o") + 1])
        self.cache = Path(cache) if cache else self.output.with_name(self.output.name + ".cache")
        self.args = [str(self.cache), *pelican_args, "--delete-output-directory"]
        self._worker: subprocess.Popen | None = None

    def build(self) -> BuildOutcome:
        """One build; a fresh worker (full build) when none is running."""
        if self._worker is not None and self._worker.poll() is not None:
            self._worker = None  # it died since the last build (killed, out of memory)
        full = self._worker is None
        if full:
            self._start()
        status, printed = self._request()
        if status != 0:
            shutil.rmtree(self.scratch, ignore_errors=True)
            if status != 1:  # not a content problem: do not trust this process again
                self.stop()
            return BuildOutcome(False, printed or f"pelican exited with status {status}", full)
        written, removed = synchronise(self.scratch, self.output)
        return BuildOutcome(True, printed, full, written, removed)

    def restart(self) -> BuildOutcome:
        """A full build in a fresh worker: after code or settings changed."""
        self.stop()
        return self.build()

    def stop(self) -> None:
        if self._worker is None:
            return
        worker, self._worker = self._worker, None
        try:
            worker.stdin.close()  # the worker ends when its input does
        except BrokenPipeError:
            pass  # it has ended already
        try:
            worker.wait(timeout=10)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()

    def _start(self) -> None:
        # A cache written by other code or settings cannot be trusted.
        shutil.rmtree(self.cache, ignore_errors=True)
        self._worker = subprocess.Popen(
            [sys.executable, "-m", "site_tools.incremental", *self.args],
            cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            text=True, bufsize=1,
        )

    def _request(self) -> tuple[int, str]:
        worker = self._worker
        lines = []
        try:
            worker.stdin.write("build\n")
            worker.stdin.flush()
        except BrokenPipeError:
            pass  # it died: read what it printed, then report the crash
        for line in worker.stdout:
            if line.startswith(_DONE):
                return int(line[len(_DONE):]), "".join(lines).strip()
            lines.append(line)
        # The worker died (it printed why, or was killed).
        self._worker = None
        return worker.wait(), "".join(lines).strip()

    def __enter__(self) -> WarmBuilder:
        return self

    def __exit__(self, *_exc) -> None:
        self.stop()


def synchronise(scratch: Path, output: Path) -> tuple[list[str], list[str]]:
    """Make ``output`` equal ``scratch``, touching only files that differ.

    Returns the output-relative paths written and removed.
    """
    output.mkdir(parents=True, exist_ok=True)
    built = {p.relative_to(scratch).as_posix() for p in scratch.rglob("*") if not p.is_dir()}
    served = {p.relative_to(output).as_posix() for p in output.rglob("*") if not p.is_dir()}
    written = []
    for name in sorted(built):
        source, target = scratch / name, output / name
        if name in served and not target.is_symlink() and _same_bytes(source, target):
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.is_dir():
            shutil.rmtree(target)
        os.replace(source, target)  # atomic: a reader gets the old page or the new one
        written.append(name)
    removed = sorted(served - built)
    for name in removed:
        (output / name).unlink()
    _remove_empty_folders(output)
    shutil.rmtree(scratch, ignore_errors=True)
    return written, removed


def _same_bytes(a: Path, b: Path) -> bool:
    return a.stat().st_size == b.stat().st_size and a.read_bytes() == b.read_bytes()


def _remove_empty_folders(output: Path) -> None:
    for folder in sorted((p for p in output.rglob("*") if p.is_dir()), key=lambda p: len(p.parts), reverse=True):
        if not any(folder.iterdir()):
            folder.rmdir()


# --- the worker process -----------------------------------------------------------


def _build_once(args) -> int:
    """What ``pelican.main`` does for one build, as an exit status."""
    from pelican import get_instance
    from pelican.log import LimitFilter

    # Pelican shows a repeated warning once per process; a build is our unit.
    LimitFilter._raised_messages.clear()
    LimitFilter._group_count.clear()
    logger = logging.getLogger("pelican")
    try:
        pelican, _settings = get_instance(args)  # settings read afresh: plugins may have changed the last ones
        pelican.run()
    except SystemExit as failed:  # strict_build's BuildFailed, after printing the problems
        if failed.code is None or isinstance(failed.code, int):
            return failed.code or 0
        print(failed.code, file=sys.stderr)  # as Python prints a message it exits with
        return 1
    except Exception as error:  # as pelican.main reports it
        logger.critical("%s: %s", error.__class__.__name__, error, exc_info=True)
        return 2
    return 0


def _typogrify_each_text_once() -> None:
    """Pelican typogrifies every page's text and title on every build, after
    its content cache; in the warm worker that was a third of a build. The
    filters are pure functions of the text, the options and smartypants'
    global attribute set, so their results are kept for the worker's life."""
    import smartypants
    import typogrify.filters

    original = typogrify.filters.typogrify
    results: dict = {}

    def typogrify_once(text, *args, **kwargs):
        options = repr((args, sorted(kwargs.items()), smartypants.Attr.default))
        key = hashlib.blake2b(f"{options}\0{text}".encode(), digest_size=16).digest()
        if key not in results:
            if len(results) >= _TYPOGRIFY_RESULTS_KEPT:
                results.clear()
            results[key] = original(text, *args, **kwargs)
        return results[key]

    typogrify.filters.typogrify = typogrify_once  # Pelican imports it by name at each use


def _keep_compiled_templates(args) -> None:
    """Pelican gives each generator of each build a new Jinja environment, so
    every template was compiled again on every build (half of a warm build of
    the real site). Jinja's bytecode cache keys each template by its file and
    the hash of its source, so an edited template is compiled afresh."""
    from pelican import get_config
    from pelican.settings import read_settings

    jinja = read_settings(args.settings, override=get_config(args))["JINJA_ENVIRONMENT"]
    args.overrides["JINJA_ENVIRONMENT"] = {**jinja, "bytecode_cache": _TemplatesInMemory()}


class _TemplatesInMemory(BytecodeCache):
    def __init__(self):
        self.code: dict[str, bytes] = {}

    def load_bytecode(self, bucket) -> None:
        if bucket.key in self.code:
            bucket.bytecode_from_string(self.code[bucket.key])

    def dump_bytecode(self, bucket) -> None:
        self.code[bucket.key] = bucket.bytecode_to_string()

    def __reduce__(self):
        # Pelican's content cache pickles the settings (each Author keeps
        # them): store an empty cache there, not the compiled templates.
        return (type(self), ())


def serve(cache: str, argv: list[str]) -> None:
    """Run one build per line read from stdin until stdin closes."""
    from pelican import LOG_HANDLERS, parse_arguments
    from pelican.log import init as init_logging

    args = parse_arguments(argv)
    # One -e option holds all overrides (a second would replace the first).
    args.overrides = {**(args.overrides or {}), **_CACHE_SETTINGS, "CACHE_PATH": cache}
    _typogrify_each_text_once()
    _keep_compiled_templates(args)
    init_logging(
        level=args.verbosity, fatal=args.fatal, name="pelican", handler=LOG_HANDLERS[args.log_handler],
        logs_dedup_min_level=getattr(logging, args.logs_dedup_min_level),
    )
    for _request in sys.stdin:
        status = _build_once(args)
        sys.stderr.flush()
        sys.stdout.flush()
        print(f"{_DONE}{status}", flush=True)


if __name__ == "__main__":
    serve(sys.argv[1], sys.argv[2:])
