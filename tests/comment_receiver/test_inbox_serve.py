"""`make serve` (site_tools.serve) serves the inbox on the receiver's port and prints its address."""

from __future__ import annotations

import httpx

from tests.support.receiver import Serve, make_index


def test_serve_prints_the_inbox_address_and_the_inbox_answers(tmp_path):
    output = tmp_path / "output"
    make_index(output)
    with Serve(output, tmp_path / "queue") as served:
        address = served.inbox
        receiver_origin = served.receiver.rsplit("/", 1)[0]
        assert address == receiver_origin + "/moderate/"
        first = httpx.get(address)
        assert first.status_code == 303 and first.headers["location"] == "/moderate/login"
        login = httpx.get(receiver_origin + "/moderate/login")
        assert login.status_code == 200 and "<h1>Moderation inbox: log in</h1>" in login.text
