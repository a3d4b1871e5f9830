"""`make devserver` (python -m site_tools.devserver) in a real browser: a failed
build replaces the page with its problems, and the next good build brings the
page back, without anyone pressing reload."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time

import httpx
import pytest

from tests.support.servers import free_port
from tests.support.sitebuild import ROOT

PROBLEM = (
    "ERROR content/causes/pregnancy.md: line 6: 'Date: 05/11/2026' is not an ISO date; write it as "
    "'Date: YYYY-MM-DD' (optionally 'YYYY-MM-DD HH:MM'): 'Date: 2026-11-05' for 5 November or "
    "'Date: 2026-05-11' for 11 May"
)


def wait_until_served(url: str, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        assert process.poll() is None, process.stdout.read()
        try:
            if httpx.get(url).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"the devserver did not serve {url}")


#: livereload rebuilds on every change but tells the browser to reload only
#: when its previous reload (or the page's connection) is at least
#: max(3 - delay, 1) = 2.7 s old; an earlier save is rebuilt and never shown.
RELOAD_QUIET_SECONDS = 3


def save_until(path, text: str, shown) -> None:
    """Save like an editor and wait for the browser to show the result.

    The watcher polls for changes; a save in the moment it takes its first
    snapshot can go unseen, so an unseen save is repeated, as an author would.
    """
    time.sleep(RELOAD_QUIET_SECONDS)  # an author does not save twice within 3 s
    for _attempt in range(6):
        path.write_text(text, encoding="utf-8")
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if shown():
                return
            time.sleep(0.2)
    raise AssertionError("the browser never showed the rebuilt site")


@pytest.fixture
def devserver(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content, ignore=shutil.ignore_patterns("comments"))
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "site_tools.devserver", "--content", str(content),
         "--output", str(tmp_path / "output"), "--port", str(port)],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    try:
        origin = f"http://127.0.0.1:{port}"
        wait_until_served(origin + "/causes/pregnancy/", process)
        yield origin, content, port
    finally:
        process.terminate()
        process.wait(timeout=30)


@pytest.mark.browser
def test_a_failed_build_shows_its_problems_and_the_next_good_build_brings_the_page_back(devserver, new_page):
    origin, content, _port = devserver
    page = new_page()
    with page.expect_websocket():  # livereload's connection, which pushes the reloads
        page.goto(origin + "/causes/pregnancy/")
    title = page.title()
    source = content / "causes" / "pregnancy.md"
    good = source.read_text(encoding="utf-8")
    lines = good.splitlines(keepends=True)
    date_line = next(i for i, line in enumerate(lines) if line.startswith("Date:"))
    broken = "".join(lines[:date_line] + ["Date: 05/11/2026\n"] + lines[date_line + 1:])

    save_until(source, broken, lambda: page.locator("#build-problems").count() == 1)
    shown = page.locator("#build-problems").inner_text().splitlines()
    assert shown.count(PROBLEM) == 1 and shown[-1].startswith("Build failed: 1 problem")
    assert page.title() == "Build failed"

    save_until(source, good, lambda: page.title() == title)
    assert page.locator("#build-problems").count() == 0
    # The strict CSP allowed livereload on both pages (the only error is the failed build's 500).
    assert [e for e in page.console_errors if "500" not in e] == []


def test_a_busy_port_gives_the_same_message_as_make_serve():
    # Held by a listening socket, as by a running devserver: no site build needed.
    with socket.create_server(("127.0.0.1", 0)) as busy:
        port = busy.getsockname()[1]
        run = subprocess.run(
            [sys.executable, "-m", "site_tools.devserver", "--port", str(port)],
            cwd=ROOT, capture_output=True, text=True, timeout=60,
        )
    assert run.returncode == 1
    assert run.stderr.startswith(f"error: cannot serve the site on 127.0.0.1:{port} (")
    assert "pick another port: make devserver PORT=..." in run.stderr
    assert "Traceback" not in run.stderr
