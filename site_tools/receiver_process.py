"""Run a real receiver (uvicorn, its own process) on a free loopback port.

For the benchmark and the tests: ``with ReceiverProcess(...) as receiver:``
starts ``python -m comment_receiver serve --port 0``, waits (bounded) until it
answers ``/healthz``, and stops it on exit however the block ended.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from site_tools.server_process import ServerProcess


class ReceiverProcess(ServerProcess):
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
        self.port: int | None = None
        command = [
            python, "-m", "comment_receiver", "serve",
            "--host", "127.0.0.1", "--port", "0",
            "--queue", str(self.queue_dir),
            "--site-index", str(self.site_index),
            "--rate-limit", rate_limit,
        ]
        for origin in origins:
            command += ["--allowed-origin", origin]
        super().__init__(command, env={**os.environ, **(env or {})}, log_file=log_file)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def endpoint(self) -> str:
        return self.base_url + "/comments"

    def parse_line(self, line: str) -> None:
        if "listening on http://" in line:
            self.port = int(line.rsplit(":", 1)[1].split("/", 1)[0])

    def ready(self) -> bool:
        return self.port is not None

    def health_urls(self) -> list[str]:
        return [self.base_url + "/healthz"]
