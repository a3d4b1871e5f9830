"""Every way of starting the receiver trusts X-Forwarded-For only from
RECEIVER_FORWARDED_ALLOW_IPS, never logs client addresses, and disconnects
clients that stall instead of letting them starve real visitors."""

from __future__ import annotations

import re
import socket
import time

import httpx
import pytest

from site_tools.receiver_process import ReceiverProcess
from tests.support.receiver import SITE_ORIGIN, Serve, good_form, make_index

SPOOFED = ["203.0.113.7", "198.51.100.23", "192.0.2.99", "203.0.113.200"]


def _post_with_spoofed_addresses(endpoint: str, origin: str) -> list[int]:
    statuses = []
    for address in SPOOFED:
        response = httpx.post(
            endpoint, data=good_form(), timeout=10,
            headers={"Origin": origin, "Accept": "application/json", "X-Forwarded-For": address},
        )
        statuses.append(response.status_code)
    return statuses


def _no_addresses(log: str) -> None:
    for address in SPOOFED:
        assert address not in log, f"the log holds a client address: {address}"
    # The peer's own address and port, as uvicorn's access log writes it
    # (addresses inside URLs are the servers' own).
    assert re.findall(r"(?<!//)127\.0\.0\.1:\d+", log) == []


@pytest.mark.parametrize("trusted", [False, True], ids=["default", "proxy-trusted"])
def test_python_m_comment_receiver_serve(tmp_path, trusted):
    env = {"RECEIVER_FORWARDED_ALLOW_IPS": "127.0.0.1"} if trusted else {}
    with ReceiverProcess(
        queue_dir=tmp_path / "queue", site_index=make_index(tmp_path / "site"), origins=[SITE_ORIGIN],
        rate_limit="2/minute", log_file=tmp_path / "receiver.log", env=env,
    ) as receiver:
        statuses = _post_with_spoofed_addresses(receiver.endpoint, SITE_ORIGIN)
    # Untrusted, the four posts come from one client (the TCP peer): the third
    # is over the limit. From a trusted proxy, they are four clients.
    assert statuses == ([202] * 4 if trusted else [202, 202, 429, 429])
    _no_addresses((tmp_path / "receiver.log").read_text(encoding="utf-8"))


@pytest.mark.parametrize("trusted", [False, True], ids=["default", "proxy-trusted"])
def test_make_serve(tmp_path, trusted):
    output = tmp_path / "output"
    output.mkdir()
    make_index(output)
    serve = Serve(output, tmp_path / "queue")
    serve.env["RECEIVER_RATE_LIMIT"] = "2/minute"
    if trusted:
        serve.env["RECEIVER_FORWARDED_ALLOW_IPS"] = "127.0.0.1"
    with serve:
        statuses = _post_with_spoofed_addresses(serve.receiver, serve.site)
        log = serve.stderr()
    assert statuses == ([202] * 4 if trusted else [202, 202, 429, 429])
    _no_addresses(log)


def test_the_container_and_the_service_run_the_entry_point_tested_above():
    """No container runtime on the test machine: the container and the
    systemd unit are checked to start exactly the command tested above."""
    from tests.support.receiver import ROOT

    container = (ROOT / "deploy" / "receiver" / "Containerfile").read_text(encoding="utf-8")
    unit = (ROOT / "deploy" / "receiver" / "truffles-comments.service").read_text(encoding="utf-8")
    assert 'CMD ["python", "-m", "comment_receiver", "serve"]' in container
    assert "-m comment_receiver serve" in unit
    assert [line for line in container.splitlines() if line.startswith(("CMD", "ENTRYPOINT"))] == [
        'CMD ["python", "-m", "comment_receiver", "serve"]'
    ]


def _stall(address, count: int, head: bytes) -> list[socket.socket]:
    sockets = []
    for _ in range(count):
        sock = socket.create_connection(address, timeout=10)
        sock.sendall(head)
        sockets.append(sock)
    return sockets


def _closed_by_server(sock: socket.socket, deadline: float) -> bool:
    sock.settimeout(max(0.1, deadline - time.monotonic()))
    try:
        while True:
            data = sock.recv(4096)
            if not data:
                return True
            if b"408" in data:  # an answer, then the close
                continue
    except (ConnectionResetError, BrokenPipeError):
        return True
    except TimeoutError:
        return False


def test_500_stalled_sockets_do_not_keep_a_visitor_out_and_are_disconnected(tmp_path):
    with ReceiverProcess(
        queue_dir=tmp_path / "queue", site_index=make_index(tmp_path / "site"), origins=[SITE_ORIGIN],
        log_file=tmp_path / "receiver.log",
        env={"RECEIVER_HEADER_TIMEOUT": "2", "RECEIVER_BODY_TIMEOUT": "2", "RECEIVER_MAX_CONNECTIONS": "600"},
    ) as receiver:
        address = ("127.0.0.1", receiver.port)
        half_heads = _stall(address, 450, b"POST /comments HTTP/1.1\r\nHost: x\r\nContent-Type: app")
        half_bodies = _stall(address, 50, b"POST /comments HTTP/1.1\r\nHost: x\r\nOrigin: " + SITE_ORIGIN.encode()
                             + b"\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 500\r\n\r\nfields")
        try:
            response = httpx.post(receiver.endpoint, data=good_form(), timeout=2,
                                  headers={"Origin": SITE_ORIGIN, "Accept": "application/json"})
            assert response.status_code == 202
            deadline = time.monotonic() + 30
            assert all(_closed_by_server(s, deadline) for s in half_heads + half_bodies)
        finally:
            for sock in half_heads + half_bodies:
                sock.close()


def test_a_bare_uvicorn_factory_refuses_to_serve_and_says_how_to_start(tmp_path):
    """`uvicorn --factory comment_receiver.app:create_app` once ran with
    uvicorn's own proxy trust, no header timeout and its access log: now it
    stops at once, naming the supported command."""
    import subprocess

    from tests.support.receiver import PYTHON, ROOT, cli_env

    result = subprocess.run(
        [PYTHON, "-m", "uvicorn", "--factory", "comment_receiver.app:create_app", "--port", "0"],
        env=cli_env(COMMENTS_QUEUE=tmp_path / "queue"), capture_output=True, text=True, timeout=60, cwd=ROOT,
    )
    assert result.returncode != 0
    assert "python -m comment_receiver serve" in result.stderr
    assert "Uvicorn running" not in result.stderr + result.stdout
