"""Notices over TLS: STARTTLS (smtp+starttls://) and implicit TLS (smtps://),
with a login, against a real aiosmtpd server on 127.0.0.1 that presents a
certificate made for the test, trusted through SSL_CERT_FILE. An untrusted
certificate is refused: the password never goes to a server we cannot verify."""

from __future__ import annotations

import shutil
import ssl
import subprocess
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from comment_receiver.inbox.notify import send
from tests.support.mail import Mailbox
from tests.support.servers import free_port

pytestmark = pytest.mark.skipif(shutil.which("openssl") is None, reason="needs the openssl command to make a test certificate")


def accept_moderator(server, session, envelope, mechanism, auth_data):
    ok = isinstance(auth_data, LoginPassword) and auth_data.login == b"mod" and auth_data.password == b"s3cret"
    return AuthResult(success=ok)


@pytest.fixture
def certificate(tmp_path):
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True, timeout=60)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    return cert, context


def message() -> EmailMessage:
    mail = EmailMessage()
    mail["Subject"], mail["From"], mail["To"] = "1 comment waits for moderation", "c@example.org", "m@example.org"
    mail.set_content("Open the moderation inbox.")
    return mail


def test_starttls_then_login_delivers(certificate, monkeypatch):
    cert, server_context = certificate
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port(), tls_context=server_context,
                            require_starttls=True, authenticator=accept_moderator, auth_require_tls=True)
    controller.start()
    try:
        monkeypatch.setenv("SSL_CERT_FILE", str(cert))
        send(f"smtp+starttls://mod:s3cret@127.0.0.1:{controller.port}", message())
    finally:
        controller.stop()
    assert len(mailbox.texts) == 1 and "waits for moderation" in mailbox.texts[0]


def test_smtps_then_login_delivers(certificate, monkeypatch):
    cert, server_context = certificate
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port(), ssl_context=server_context,
                            authenticator=accept_moderator, auth_require_tls=False)
    controller.start()
    try:
        monkeypatch.setenv("SSL_CERT_FILE", str(cert))
        send(f"smtps://mod:s3cret@127.0.0.1:{controller.port}", message())
    finally:
        controller.stop()
    assert len(mailbox.messages) == 1


def test_a_certificate_nobody_vouches_for_is_refused_before_the_password_is_sent(certificate, monkeypatch):
    _cert, server_context = certificate
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port(), tls_context=server_context,
                            require_starttls=True, authenticator=accept_moderator, auth_require_tls=True)
    controller.start()
    try:
        monkeypatch.delenv("SSL_CERT_FILE", raising=False)
        with pytest.raises(ssl.SSLCertVerificationError):
            send(f"smtp+starttls://mod:s3cret@127.0.0.1:{controller.port}", message())
    finally:
        controller.stop()
    assert mailbox.messages == []
