"""E-mail notices to moderators that comments wait, sent by a background thread.

:meth:`Notifier.poke` is all the request path does (it only sets an event),
so a slow or failing mail server never delays or fails a visitor's post. The
thread sends at most one notice per ``every`` seconds, listing how many
comments wait, on which pages, and the inbox link: never a comment's text,
never a visitor's name or address. A failure is logged and retried once the
interval has passed.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from email.message import EmailMessage
from urllib.parse import unquote, urlsplit

logger = logging.getLogger("comment_receiver.notify")
SMTP_TIMEOUT = 15


@dataclass(frozen=True)
class Waiting:
    """What a notice says: (page title, page address, how many) per page."""

    pages: list[tuple[str, str | None, int]]

    @property
    def total(self) -> int:
        return sum(count for _title, _url, count in self.pages)


def compose(waiting: Waiting, inbox_url: str, sender: str, recipients: tuple[str, ...]) -> EmailMessage:
    total = waiting.total
    noun = "comment waits" if total == 1 else "comments wait"
    message = EmailMessage()
    message["Subject"] = f"{total} {noun} for moderation"
    message["From"] = sender
    message["To"] = ", ".join(recipients)
    lines = [f"{total} {noun} for moderation:", ""]
    for title, url, count in waiting.pages:
        lines.append(f"- {title}: {count}" + (f"  ({url})" if url else ""))
    lines += ["", f"Open the moderation inbox: {inbox_url}", ""]
    message.set_content("\n".join(lines))
    return message


def send(smtp_url: str, message: EmailMessage) -> None:
    """Deliver one message through ``smtp://``, ``smtp+starttls://`` or ``smtps://``."""
    parts = urlsplit(smtp_url)
    context = ssl.create_default_context()
    if parts.scheme == "smtps":
        client: smtplib.SMTP = smtplib.SMTP_SSL(parts.hostname, parts.port or 465, timeout=SMTP_TIMEOUT, context=context)
    else:
        client = smtplib.SMTP(parts.hostname, parts.port or (587 if parts.scheme == "smtp+starttls" else 25),
                              timeout=SMTP_TIMEOUT)
    with client:
        if parts.scheme == "smtp+starttls":
            client.starttls(context=context)
        if parts.username:
            client.login(unquote(parts.username), unquote(parts.password or ""))
        client.send_message(message)


class Notifier:
    """One background thread; ``waiting`` is called in it to see what waits."""

    def __init__(self, smtp_url: str, every: float, waiting: Callable[[], Waiting], inbox_url: str,
                 sender: str, recipients: tuple[str, ...]):
        self.smtp_url, self.every, self.waiting = smtp_url, every, waiting
        self.inbox_url, self.sender, self.recipients = inbox_url, sender, recipients
        self._news = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._next_allowed = 0.0
        self.sent = 0

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="moderation-notices", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._news.set()
        if self._thread is not None:
            self._thread.join(timeout=SMTP_TIMEOUT + 5)

    def poke(self) -> None:
        """A comment arrived (cheap, never blocks)."""
        self._news.set()

    def _run(self) -> None:
        while not self._stop.is_set():
            self._news.wait()
            delay = self._next_allowed - time.monotonic()
            if delay > 0 and self._stop.wait(delay):
                return
            if self._stop.is_set():
                return
            self._news.clear()
            self._next_allowed = time.monotonic() + self.every
            self._send_once()

    def _send_once(self) -> None:
        try:
            waiting = self.waiting()
            if waiting.total == 0:
                return
            send(self.smtp_url, compose(waiting, self.inbox_url, self.sender, self.recipients))
            self.sent += 1
            logger.info("sent a moderation notice (%d waiting) to %d address(es)", waiting.total, len(self.recipients))
        except (OSError, smtplib.SMTPException) as exc:
            self._news.set()  # try again once the interval has passed
            logger.error("could not send the moderation notice through %s: %s",
                         urlsplit(self.smtp_url).hostname, exc)
