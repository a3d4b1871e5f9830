"""Build the site into a scratch folder and swap it in only when the build passed.

A failed build never leaves a half-written site that looks complete: the
previous output stays as it was and the scratch folder is removed.

    python -m site_tools.build OUTPUT PELICAN-ARGUMENTS...

(what `make html`, `make publish` and `make preview` run); the devserver calls
:func:`build_and_swap` itself, capturing the output to show it in the browser.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path


def scratch_for(output: Path) -> Path:
    return output.with_name(output.name + ".partial")


def build_and_swap(output: Path, pelican_args: list[str], *, capture: bool = False, cwd=None) -> subprocess.CompletedProcess:
    """Run ``python -m pelican PELICAN_ARGS -o <output>.partial``; on success the
    scratch folder replaces ``output``, on failure it is removed."""
    output = Path(output)
    scratch = scratch_for(output)
    shutil.rmtree(scratch, ignore_errors=True)
    command = [sys.executable, "-m", "pelican", *pelican_args, "-o", str(scratch)]
    run = subprocess.run(command, cwd=cwd, capture_output=capture, text=True)
    if run.returncode == 0:
        shutil.rmtree(output, ignore_errors=True)
        scratch.rename(output)
    else:
        shutil.rmtree(scratch, ignore_errors=True)
    return run


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if not args:
        print("usage: python -m site_tools.build OUTPUT PELICAN-ARGUMENTS...", file=sys.stderr)
        return 2
    return build_and_swap(Path(args[0]), args[1:]).returncode


if __name__ == "__main__":
    sys.exit(main())
