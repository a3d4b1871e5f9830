"""Run a real receiver (uvicorn, its own process) on a free loopback port.

For the benchmark and the tests: ``with ReceiverProcess(...) as receiver:``
starts ``python -m comment_receiver serve --port 0``, waits (bounded) until it
answers ``/healthz``, and stops it on exit however the block ended.
"""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

class ReceiverProcess:
    def __init__(
        self,
        *,
        queue_dir: Path,
        site_index: Path,
        origins: list[str] | tuple[str, ...] = ("http://127.0.0.1:8000",),
        rate_limit: str = "1000000/minute",
        log_file: Path | None = None,
        env: dict[str, str] | None = None,
        python: str = sys.executable,
    ):
        self.queue_dir = Path(queue_dir)
        self.site_index = Path(site_index)
        self.origins = list(origins)
        self.rate_limit = rate_limit
        self.log_file = Path(log_file) if log_file else None
        self.env = dict(env or {})
        self.python = python
        self.process: subprocess.Popen | None = None
        self.port: int | None = None
        self._log_handle = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def endpoint(self) -> str:
        return self.base_url + "/comments"

    def start(self, timeout: float = 20.0) -> "ReceiverProcess":
        env = {**os.environ, **self.env}
        command = [
            self.python, "-m", "comment_receiver", "serve",
            "--host", "127.0.0.1", "--port", "0",
            "--queue", str(self.queue_dir),
            "--site-index", str(self.site_index),
            "--rate-limit", self.rate_limit,
        ]
        for origin in self.origins:
            command += ["--allowed-origin", origin]
        self._log_handle = open(self.log_file, "ab") if self.log_file else subprocess.DEVNULL
        self.process = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=self._log_handle, env=env, text=True
        )
        lines: queue.Queue[str] = queue.Queue()

        def reader():
            for line in self.process.stdout:
                lines.put(line)

        threading.Thread(target=reader, daemon=True).start()
        deadline = time.monotonic() + timeout
        try:
            while self.port is None:
                remaining = deadline - time.monotonic()
                if remaining <= 0 or self.process.poll() is not None:
                    raise RuntimeError(f"the receiver did not start (exit status {self.process.poll()}); see {self.log_file}")
                try:
                    line = lines.get(timeout=min(remaining, 0.5))
                except queue.Empty:
                    continue
                if "listening on http://" in line:
                    self.port = int(line.rsplit(":", 1)[1].split("/", 1)[0])
            while True:
                try:
                    with urllib.request.urlopen(self.base_url + "/healthz", timeout=2) as response:
                        if response.status == 200:
                            break
                except (urllib.error.URLError, ConnectionError, OSError):
                    pass
                if time.monotonic() > deadline or self.process.poll() is not None:
                    raise RuntimeError(f"the receiver did not become healthy; see {self.log_file}")
                time.sleep(0.05)
        except BaseException:
            self.stop()
            raise
        return self

    def kill(self) -> None:
        """SIGKILL: no chance to finish anything (a power cut, an OOM kill)."""
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self, timeout: float = 15.0) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        if self.process is not None and self.process.stdout:
            self.process.stdout.close()
        if self._log_handle not in (None, subprocess.DEVNULL):
            self._log_handle.close()
            self._log_handle = None

    def __enter__(self) -> "ReceiverProcess":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
