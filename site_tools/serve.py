"""`make serve`: the built site and the comment receiver, started and stopped together.

    python -m site_tools.serve --host 127.0.0.1 --port 8000 --receiver-port 8001 --output output

* the site (``--output``, as built by ``make html``) on http://HOST:PORT/
* the comment receiver on http://HOST:RECEIVER_PORT/comments, accepting posts
  from the site's origin, reading the site's ``comments-index.json`` and
  writing into the moderation queue (``COMMENTS_QUEUE``, default
  ``comments-queue/``). Other receiver settings come from the environment
  (see comment_receiver/README.md).

Both ports are bound before either server starts, so either both run or the
command fails at once with a clear message. Ctrl+C (SIGINT) or SIGTERM stops
both; if one server stops on its own, the other is stopped too and the exit
status is 1. ``make html`` in another terminal is picked up without a restart.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import os
import signal
import socket
import sys
from pathlib import Path

import uvicorn
from starlette.applications import Starlette
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from comment_core import site_index

logger = logging.getLogger("site_tools.serve")


class _Server(uvicorn.Server):
    """A uvicorn server that leaves signal handling to us (two servers share one process)."""

    @contextlib.contextmanager
    def capture_signals(self):
        yield


class _NoCache:
    """Development only: always revalidate, so a rebuild shows up on reload."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def send_no_cache(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": list(message.get("headers", [])) + [(b"cache-control", b"no-cache")]}
            await send(message)

        await self.app(scope, receive, send_no_cache)


def site_app(output: Path) -> ASGIApp:
    app = Starlette(routes=[Mount("/", app=StaticFiles(directory=str(output), html=True, check_dir=False))])
    return _NoCache(app)


def _origins(host: str, port: int) -> list[str]:
    def fmt(h: str) -> str:
        return f"http://[{h}]:{port}" if ":" in h else f"http://{h}:{port}"

    origins = [fmt(host)]
    if host in ("127.0.0.1", "::1"):
        origins.append(fmt("localhost"))
    elif host == "localhost":
        origins.append(fmt("127.0.0.1"))
    return origins


def _bind(host: str, port: int, what: str, variable: str, command: str = "make serve") -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    try:
        return socket.create_server((host, port), family=family)
    except OSError as exc:
        raise SystemExit(
            f"error: cannot serve the {what} on {host}:{port} ({exc.strerror or exc}). "
            f"Is another `make serve` or `make devserver` running? Stop it, or pick another port: {command} {variable}=..."
        ) from None


def _index_note(output: Path, endpoint: str) -> str | None:
    index = output / "comments-index.json"
    if not index.is_file():
        return (
            f"note: {index} does not exist, so the receiver refuses comments until the site is built "
            "with the truffles_comments plugin."
        )
    try:
        built_for = site_index.load(index.read_bytes(), index).endpoint
    except (OSError, site_index.SiteIndexError):
        return None
    if isinstance(built_for, str) and built_for.rstrip("/") != endpoint.rstrip("/"):
        return (
            f"note: the built site's comment form posts to {built_for}, not to this receiver ({endpoint}); "
            f"rebuild with COMMENTS_ENDPOINT={endpoint}"
        )
    return None


async def _run(servers: list[tuple[_Server, socket.socket]]) -> int:
    loop = asyncio.get_running_loop()
    stopping = {"signal": False}

    def stop(*_):
        if stopping["signal"]:
            for server, _sock in servers:  # second Ctrl+C: do not wait for open connections
                server.force_exit = True
        stopping["signal"] = True
        for server, _sock in servers:
            server.should_exit = True

    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop)
    tasks = [asyncio.create_task(server.serve(sockets=[sock])) for server, sock in servers]
    try:
        done, _pending = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
        for server, _sock in servers:
            server.should_exit = True
        results = await asyncio.gather(*tasks, return_exceptions=True)
    finally:
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(sig)
    failed = [r for r in results if isinstance(r, BaseException)]
    for error in failed:
        logger.error("a server failed: %r", error)
    if failed or not stopping["signal"] or not all(server.started for server, _ in servers):
        return 1
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m site_tools.serve", description=__doc__.split("\n\n")[0])
    parser.add_argument("--host", default="127.0.0.1", help="address for both servers (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8000, help="port of the site (default 8000)")
    parser.add_argument("--receiver-port", type=int, default=8001, help="port of the comment receiver (default 8001)")
    parser.add_argument("--output", default="output", help="the built site (default output/)")
    parser.add_argument("--no-receiver", action="store_true", help="serve only the site")
    args = parser.parse_args(argv)

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    output = Path(args.output).resolve()
    if not output.is_dir():
        print(f"error: {output} does not exist; build the site first (make html)", file=sys.stderr)
        return 2
    if args.port == args.receiver_port and args.port != 0 and not args.no_receiver:
        print("error: the site and the receiver need two different ports", file=sys.stderr)
        return 2

    common = dict(log_config=None, server_header=False, timeout_graceful_shutdown=5)
    site_sock = _bind(args.host, args.port, "site", "PORT")
    site_server = _Server(uvicorn.Config(site_app(output), access_log=False, proxy_headers=False, lifespan="off", **common))
    servers = [(site_server, site_sock)]
    host_shown = f"[{args.host}]" if ":" in args.host else args.host
    site_origin = f"http://{host_shown}:{site_sock.getsockname()[1]}"

    lines = [f"Site:             {site_origin}/   (serving {output})"]
    if not args.no_receiver:
        from comment_receiver.app import create_app
        from comment_receiver.server import uvicorn_config
        from comment_receiver.settings import SettingsError, load_settings

        receiver_sock = _bind(args.host, args.receiver_port, "comment receiver", "RECEIVER_PORT")
        receiver_port = receiver_sock.getsockname()[1]
        try:
            settings = load_settings(
                site_index=output / "comments-index.json",
                allowed_origins=None if os.environ.get("RECEIVER_ALLOWED_ORIGINS") else _origins(args.host, site_sock.getsockname()[1]),
                site_url=None if os.environ.get("RECEIVER_SITE_URL") else site_origin,
                host=args.host,
                port=receiver_port,
            )
        except SettingsError as exc:
            print(f"error: setting {exc}", file=sys.stderr)
            return 2
        logging.getLogger("comment_receiver").setLevel(settings.log_level.upper())
        # The receiver's own configuration: proxies trusted only from
        # RECEIVER_FORWARDED_ALLOW_IPS, header and body timeouts, no access log.
        receiver_server = _Server(uvicorn_config(create_app(settings), settings, lifespan="on", timeout_graceful_shutdown=5))
        servers.append((receiver_server, receiver_sock))
        endpoint = f"http://{host_shown}:{receiver_port}/comments"
        lines.append(f"Comment receiver: {endpoint}   (queue: {settings.queue_dir})")
        lines.append(f"Moderation inbox: http://{host_shown}:{receiver_port}/moderate/   "
                     "(add an account first: make moderator NAME=<name>)")
        lines.append("Or moderate with: make comments, then make approve ID=<id>, then make html")
        note = _index_note(output, endpoint)
        if note:
            lines.append(note)
    lines.append("Press Ctrl+C to stop.")
    print("\n".join(lines), flush=True)
    return asyncio.run(_run(servers))


if __name__ == "__main__":
    sys.exit(main())
