"""How the receiver is served: the one uvicorn configuration every entry point
uses (``python -m comment_receiver serve``, ``make serve``, the container and
the systemd unit, which all run the former).

* Forwarded headers (``X-Forwarded-For``) are trusted only from the proxies in
  ``RECEIVER_FORWARDED_ALLOW_IPS``; by default from none, so the rate limit
  applies to the TCP peer and cannot be dodged with a made-up header.
* uvicorn's access log is off (it would log client addresses); the
  receiver writes its own access line without them.
* A connection must finish its request headers within
  ``RECEIVER_HEADER_TIMEOUT`` seconds (:class:`HeaderDeadlineH11Protocol`),
  and the body within ``RECEIVER_BODY_TIMEOUT`` (comment_receiver.app), so
  clients that send half a request and stall are disconnected instead of
  holding sockets until the file-descriptor limit is reached.
* At most ``RECEIVER_MAX_CONNECTIONS`` connections are served at once.

uvicorn alone has no header timeout, and when started as
``uvicorn --factory comment_receiver.app:create_app`` it applies its own proxy
defaults before the application exists, so create_app refuses that form with
a message naming the supported command.
"""

from __future__ import annotations

import asyncio

import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol

from .settings import Settings


class HeaderDeadlineH11Protocol(H11Protocol):
    """uvicorn's h11 protocol, closing connections whose request head does not
    arrive within ``header_timeout`` seconds of connecting (or of the previous
    response)."""

    header_timeout: float = 10.0

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._head_deadline: asyncio.TimerHandle | None = None
        self._arm_head_deadline()

    def _arm_head_deadline(self) -> None:
        self._disarm_head_deadline()
        self._head_deadline = self.loop.call_later(self.header_timeout, self._head_too_slow)

    def _disarm_head_deadline(self) -> None:
        if getattr(self, "_head_deadline", None) is not None:
            self._head_deadline.cancel()
            self._head_deadline = None

    def _head_too_slow(self) -> None:
        self._head_deadline = None
        if self.cycle is None or self.cycle.response_complete:
            if not self.transport.is_closing():
                self.transport.close()

    def handle_events(self) -> None:
        super().handle_events()
        if self.cycle is not None and not self.cycle.response_complete:
            self._disarm_head_deadline()  # the head arrived; the app runs now

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if not self.transport.is_closing():
            self._arm_head_deadline()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm_head_deadline()
        super().connection_lost(exc)


def protocol_for(settings: Settings) -> type[H11Protocol]:
    """The protocol class with this receiver's header timeout."""
    return type("ReceiverH11Protocol", (HeaderDeadlineH11Protocol,), {"header_timeout": float(settings.header_timeout)})


def uvicorn_config(app, settings: Settings, **extra) -> uvicorn.Config:
    """The uvicorn configuration of a receiver; ``extra`` for the caller's own
    choices (lifespan, shutdown timeout) but never the safety options."""
    return uvicorn.Config(
        app,
        http=protocol_for(settings),
        log_config=None,
        access_log=False,  # our own access line has no IPs and no comment text
        proxy_headers=bool(settings.forwarded_allow_ips),
        forwarded_allow_ips=settings.forwarded_allow_ips or None,
        server_header=False,
        limit_concurrency=settings.max_connections,
        timeout_keep_alive=min(5, settings.header_timeout),
        **extra,
    )
