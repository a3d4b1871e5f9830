"""`make devserver`: rebuild on every change and reload the browser.

Pelican's own `--autoreload --listen` rebuilds but never tells the browser;
the livereload package serves the site, watches the sources and pushes a
reload to open pages. Each rebuild runs Pelican in a fresh process, so a broken
file shows its error in the terminal and the last good site stays served.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

from livereload import Server
from pelican.settings import read_settings

from comment_core import csp

ROOT = Path(__file__).resolve().parents[1]
WATCHED = ["content", "theme", "plugins", "comment_core", "pelicanconf.py"]


# The snippet livereload injects into every page, as in livereload/server.py.
_LIVERELOAD_SNIPPET = (
    '(function(){var s=document.createElement("script");'
    "var port=(window.location.port || (window.location.protocol == 'https:' ? 443: 80));"
    's.src="//"+window.location.hostname+":"+port+ "/livereload.js?port=" + port;'
    "document.head.appendChild(s);})();"
)


def dev_csp() -> str:
    """The site's CSP plus the hash of livereload's one inline snippet.

    A hash allows exactly that script and nothing else, so development keeps
    the same protection as production instead of falling back to 'unsafe-inline'.
    """
    directives = read_settings(str(ROOT / "pelicanconf.py"))["CSP_DIRECTIVES"]
    return csp.policy(csp.with_source(directives, "script-src", csp.hash_source(_LIVERELOAD_SNIPPET)))


def build(output: Path) -> None:
    scratch = output.with_name(output.name + ".partial")
    command = [
        sys.executable, "-m", "pelican", "content", "-o", str(scratch), "-s", "pelicanconf.py",
        "--delete-output-directory", "-e", f"CSP_META={json.dumps(dev_csp())}",
    ]
    if subprocess.run(command, cwd=ROOT).returncode == 0:
        # Swap in only a complete build; on failure the previous site stays up.
        subprocess.run(["rm", "-rf", str(output)], check=True)
        scratch.rename(output)
    else:
        print("Build failed: the previous version stays on screen. Fix the file named above and save.", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--output", default="output")
    args = parser.parse_args()
    output = (ROOT / args.output).resolve()
    build(output)
    server = Server()
    for path in WATCHED:
        server.watch(str(ROOT / path), lambda: build(output), delay=0.3)
    print(f"Serving {output} at http://{args.host}:{args.port}/ - edits rebuild and reload the page. Ctrl+C stops.")
    server.serve(host=args.host, port=args.port, root=str(output), open_url_delay=None, restart_delay=0)


if __name__ == "__main__":
    main()
