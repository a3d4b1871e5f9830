"""A server run as its own process for the tests and the benchmarks.

Started, read until it prints the addresses it listens on, waited for until
every address answers, and stopped however the ``with`` block ends. Its
standard error goes to a file (never a pipe, so a chatty server cannot block),
readable with :meth:`ServerProcess.stderr`.
"""

from __future__ import annotations

import queue
import signal
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path


class ServerProcess:
    """Subclasses say how to read the addresses from a line of standard
    output (:meth:`parse_line`) and which URLs must answer (:meth:`health_urls`;
    any HTTP status counts: a site served before its first build answers 404)."""

    def __init__(self, command: list[str], *, env: dict | None = None, cwd=None, log_file: Path | None = None):
        self.command = list(command)
        self.env = env
        self.cwd = cwd
        self.log_file = Path(log_file) if log_file else None
        self.process: subprocess.Popen | None = None
        self._log = None

    # --- what subclasses say -------------------------------------------------
    def parse_line(self, line: str) -> None:
        """Take what this line says about the server's addresses."""

    def ready(self) -> bool:
        """True once every address the server prints is known."""
        return True

    def health_urls(self) -> list[str]:
        return []

    # --- lifecycle -----------------------------------------------------------
    def start(self, timeout: float = 20.0):
        self._log = open(self.log_file, "a+") if self.log_file else tempfile.TemporaryFile(mode="w+")
        self.process = subprocess.Popen(
            self.command, env=self.env, cwd=self.cwd, stdout=subprocess.PIPE, stderr=self._log, text=True
        )
        lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=lambda: [lines.put(line) for line in self.process.stdout], daemon=True).start()
        deadline = time.monotonic() + timeout
        try:
            while not self.ready():
                self._check_alive(deadline, "did not print its address")
                try:
                    self.parse_line(lines.get(timeout=0.5))
                except queue.Empty:
                    continue
            for url in self.health_urls():
                self._wait_for(url, deadline)
        except BaseException:
            self.stop()
            raise
        return self

    def _check_alive(self, deadline: float, what: str) -> None:
        if time.monotonic() > deadline or self.process.poll() is not None:
            raise RuntimeError(
                f"{self.command[2:4]} {what} (exit status {self.process.poll()}):\n{self.stderr()[-2000:]}"
            )

    def _wait_for(self, url: str, deadline: float) -> None:
        while True:
            try:
                with urllib.request.urlopen(url, timeout=2):
                    return
            except urllib.error.HTTPError:
                return
            except (urllib.error.URLError, ConnectionError, OSError):
                pass
            self._check_alive(deadline, f"did not answer {url}")
            time.sleep(0.05)

    def stderr(self) -> str:
        if self._log is None or self._log.closed:
            return ""
        self._log.flush()
        self._log.seek(0)
        return self._log.read()

    def kill(self) -> None:
        """SIGKILL: no chance to finish anything (a power cut, an OOM kill)."""
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 15.0) -> int | None:
        """Ask the server to stop (SIGTERM, or ``sig``); kill it if it does not."""
        if self.process is None:
            return None
        if self.process.poll() is None:
            self.process.send_signal(sig)
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        return self.process.returncode

    def close(self) -> None:
        self.stop()
        if self.process is not None and self.process.stdout:
            self.process.stdout.close()
        if self._log is not None:
            self._log.close()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc) -> None:
        self.close()
