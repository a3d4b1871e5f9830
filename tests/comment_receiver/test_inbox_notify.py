"""E-mail notices through a real SMTP server (aiosmtpd on 127.0.0.1)."""

from __future__ import annotations

import logging
import socket
import threading

import pytest
from aiosmtpd.controller import Controller

from tests.support.inbox import client_for, inbox_app, post_comment
from tests.support.mail import Mailbox
from tests.support.servers import free_port, wait_for

SECRET_TEXT = "Private words of a visitor that no e-mail may carry"


@pytest.fixture
def smtp_server():
    handler = Mailbox()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield controller, handler
    finally:
        controller.stop()


def test_a_burst_of_posts_brings_exactly_one_notice_without_text_or_names(tmp_path, smtp_server):
    controller, handler = smtp_server
    app, _ = inbox_app(tmp_path, smtp_url=f"smtp://127.0.0.1:{controller.port}", notify_to="mods@example.org",
                       notify_from="comments@example.org", public_url="https://comments.example.org")
    with client_for(app) as client:
        for i in range(6):
            post_comment(client, name=f"Sender Person {i}", message=f"{SECRET_TEXT} {i}",
                         website="https://visitor.example.net/", slug="iron-deficiency" if i % 2 else "restless-legs-syndrome")
        wait_for(lambda: handler.messages)
        for i in range(3):
            post_comment(client, message=f"{SECRET_TEXT} later {i}")
    # the client's exit stopped the notifier: within the interval no second notice is sent
    assert len(handler.messages) == 1
    sender, recipients, content = handler.messages[0]
    assert sender == "comments@example.org" and recipients == ["mods@example.org"]
    assert "for moderation" in content and "https://comments.example.org/moderate/" in content
    assert "Restless legs syndrome" in content or "Iron deficiency" in content
    assert SECRET_TEXT not in content and "Sender Person" not in content and "visitor.example.net" not in content
    body = content.replace("\r\n", "\n").split("\n\n", 1)[1]
    assert "@" not in body  # no address in the text at all


def test_the_notice_counts_what_waits_per_page(tmp_path, smtp_server):
    controller, handler = smtp_server
    app, settings = inbox_app(tmp_path, smtp_url=f"smtp://127.0.0.1:{controller.port}", notify_to="a@example.org, b@example.org")
    for slug, count in (("restless-legs-syndrome", 2), ("iron-deficiency", 1)):
        folder = settings.queue_dir / slug
        folder.mkdir(parents=True)
        for i in range(count):
            (folder / f"20300101T00000{i}Z-0000000{i}.md").write_text("Author: A\nDate: 2030-01-01\n\nHi\n")
    with client_for(app) as client:
        post_comment(client, slug="iron-deficiency")
        wait_for(lambda: handler.messages)
    _sender, recipients, content = handler.messages[0]
    assert recipients == ["a@example.org", "b@example.org"]
    assert "Subject: 4 comments wait for moderation" in content
    assert "- Iron deficiency: 2  (http://127.0.0.1:8000/causes/iron-deficiency/)" in content
    assert "- Restless legs syndrome: 2" in content


def test_a_mail_server_that_refuses_is_logged_and_posts_still_succeed(tmp_path, caplog):
    app, _ = inbox_app(tmp_path, smtp_url=f"smtp://127.0.0.1:{free_port()}", notify_to="mods@example.org")
    with caplog.at_level(logging.ERROR, logger="comment_receiver.notify"), client_for(app) as client:
        refs = [post_comment(client) for _ in range(3)]
        wait_for(lambda: "could not send the moderation notice" in caplog.text)
    assert len(refs) == 3
    assert "Jane Doe" not in caplog.text


def test_a_mail_server_that_hangs_does_not_hold_up_posts(tmp_path):
    listener = socket.create_server(("127.0.0.1", 0))
    accepted: list[socket.socket] = []
    threading.Thread(target=lambda: accepted.append(listener.accept()[0]), daemon=True).start()
    app, _ = inbox_app(tmp_path, smtp_url=f"smtp://127.0.0.1:{listener.getsockname()[1]}", notify_to="m@example.org")
    try:
        with client_for(app) as client:
            post_comment(client)
            wait_for(lambda: accepted)  # the notifier is now waiting for a greeting that never comes
            for _ in range(5):
                post_comment(client)  # answered 202 while the mail server still has not said a word
            for sock in accepted:
                sock.close()  # let the notifier's connection fail so the app can stop
    finally:
        listener.close()


def test_without_smtp_settings_nothing_is_sent_and_the_inbox_works(tmp_path, smtp_server):
    _controller, handler = smtp_server
    app, _ = inbox_app(tmp_path)
    with client_for(app) as client:
        post_comment(client)
        assert client.get("/moderate/login").status_code == 200
    assert handler.messages == []


@pytest.mark.parametrize("environ, message", [
    ({"RECEIVER_SMTP_URL": "smtp://127.0.0.1:2525"}, "RECEIVER_NOTIFY_TO: RECEIVER_SMTP_URL is set"),
    ({"RECEIVER_SMTP_URL": "http://mail.example.org", "RECEIVER_NOTIFY_TO": "m@example.org"}, "not a mail server address"),
    ({"RECEIVER_SMTP_URL": "smtp://127.0.0.1:2525", "RECEIVER_NOTIFY_TO": "not-an-address"}, "is not an e-mail address"),
    ({"RECEIVER_NOTIFY_EVERY": "0"}, "RECEIVER_NOTIFY_EVERY: expected a number from 1"),
])
def test_bad_mail_settings_stop_with_a_message_naming_the_variable(environ, message):
    from comment_receiver.settings import SettingsError, load_settings

    with pytest.raises(SettingsError, match=message):
        load_settings(environ)


def test_the_smtp_password_is_never_printed_with_the_settings():
    from comment_receiver.settings import describe, load_settings

    lines = describe(load_settings({"RECEIVER_SMTP_URL": "smtps://mod:hunter2secret@mail.example.org:465",
                                    "RECEIVER_NOTIFY_TO": "m@example.org"}))
    assert "RECEIVER_SMTP_URL=smtps://mod:***@mail.example.org:465" in lines
    assert not any("hunter2secret" in line for line in lines)


def test_starttls_is_required_when_asked_for_so_a_password_never_goes_in_clear(tmp_path, smtp_server, caplog):
    controller, handler = smtp_server  # a server without STARTTLS
    app, _ = inbox_app(tmp_path, smtp_url=f"smtp+starttls://mod:secret-pass@127.0.0.1:{controller.port}",
                       notify_to="mods@example.org")
    with caplog.at_level(logging.ERROR, logger="comment_receiver.notify"), client_for(app) as client:
        post_comment(client)
        wait_for(lambda: "could not send the moderation notice" in caplog.text)
    assert "STARTTLS" in caplog.text and "secret-pass" not in caplog.text
    assert handler.messages == []
