"""A real SMTP server for the tests: aiosmtpd on 127.0.0.1, collecting what it gets."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Mailbox:
    """aiosmtpd handler: each message as (sender, recipients, text)."""

    messages: list[tuple[str, list[str], str]] = field(default_factory=list)

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content.decode("utf-8")))
        return "250 OK"

    @property
    def texts(self) -> list[str]:
        return [text for _sender, _recipients, text in self.messages]
