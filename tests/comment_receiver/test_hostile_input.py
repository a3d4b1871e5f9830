"""Hostile form input at the receiver: what is refused gets a clear 422 (or
400) naming the field and writes nothing; what is invisible is stripped."""

from __future__ import annotations

import os
import subprocess

import pytest

from comment_core.comment_file import read_comment
from comment_core.form import CLINIC_NAME, CTA_LABEL, MAX_MESSAGE
from comment_core.text import FORBIDDEN
from tests.support.receiver import AS_JSON, ORIGIN, client_for, files_under, good_form, make_app

NONCHARACTERS = [chr(c) for c in range(0xFDD0, 0xFDF0, 5)] + [
    chr(plane * 0x10000 + last) for plane in (0, 1, 15, 16) for last in (0xFFFE, 0xFFFF)
]
BIDI = [chr(c) for c in range(0x202A, 0x202F)] + [chr(c) for c in range(0x2066, 0x206A)]
C1 = ["\x80", "\x85", "\x9b", "\x9f"]


def _refused(response, status, field, phrase, queue):
    assert response.status_code == status, response.text
    body = response.json()
    assert any(e["field"] == field and phrase.lower() in e["message"].lower() for e in body["errors"]), body
    assert files_under(queue) == []


@pytest.mark.parametrize("ch", NONCHARACTERS + BIDI + C1, ids=lambda c: f"U+{ord(c):04X}")
def test_forbidden_and_bidi_code_points_never_reach_the_stored_comment(receiver, ch):
    form = good_form(name=f"Ja{ch}ne", message=f"Some{ch} text{ch}.")
    response = receiver.post("/comments", data=form, headers=AS_JSON)
    assert response.status_code == 202, response.text
    [path] = files_under(receiver.settings.queue_dir)
    comment = read_comment(path)  # and the file is one the build accepts
    assert ch not in comment.author + comment.body
    assert not FORBIDDEN.search(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", ["\u200b", "\u200b\u200c\u2060\ufeff", "\u3164\u3164", "\U0001F600", "...", "\ufffe"])
def test_a_name_without_a_visible_letter_is_refused(receiver, name):
    response = receiver.post("/comments", data=good_form(name=name), headers=AS_JSON)
    _refused(response, 422, "fields[name]", "name", receiver.settings.queue_dir)


@pytest.mark.parametrize("name", [
    CLINIC_NAME, CLINIC_NAME.upper(), "Truffles Vеin Specialists",  # Cyrillic e
    "Truffles\u200bVein Specialists", "Truffles-Vein-Specialists.", "ＴｒｕｆｆｌｅｓＶｅｉｎＳｐｅｃｉａｌｉｓｔｓ",
    CTA_LABEL, "book a CONSULTATION", "Вооk а соnsultаtiоn",
])
def test_names_passing_for_the_clinic_or_the_call_to_action_are_refused(receiver, name):
    response = receiver.post("/comments", data=good_form(name=name), headers=AS_JSON)
    _refused(response, 422, "fields[name]", "your own name", receiver.settings.queue_dir)


@pytest.mark.parametrize("message", ["---", "***", "![](https://x.y/i.png)", "[](http://x.y/)", "\u200b\u200b", "&#8203;", "# "])
def test_a_body_that_shows_nothing_is_refused(receiver, message):
    response = receiver.post("/comments", data=good_form(message=message), headers=AS_JSON)
    _refused(response, 422, "fields[message]", "no visible text", receiver.settings.queue_dir)


@pytest.mark.parametrize("unit", ["[", "[x", "!["])
def test_a_body_that_would_render_in_quadratic_time_is_refused(receiver, unit):
    message = (unit * MAX_MESSAGE)[: MAX_MESSAGE - 10]
    response = receiver.post("/comments", data=good_form(message=message), headers=AS_JSON)
    _refused(response, 422, "fields[message]", "brackets", receiver.settings.queue_dir)


@pytest.mark.parametrize("consent", ["\u200b", " ", "no", "on", "yes please"])
def test_consent_must_be_the_checkbox_value(receiver, consent):
    response = receiver.post("/comments", data=good_form(consent=consent), headers=AS_JSON)
    _refused(response, 422, "fields[consent]", "tick the box", receiver.settings.queue_dir)


def _raw(receiver, body: bytes, content_type: str):
    return receiver.post("/comments", content=body, headers={**AS_JSON, "Content-Type": content_type})


def test_raw_utf8_bytes_in_an_urlencoded_body_are_refused_not_read_as_latin1(receiver):
    from urllib.parse import urlencode

    body = urlencode(good_form()).encode() + b"&fields%5Bmessage%5D="
    body = urlencode({**good_form(), "fields[message]": "PLACEHOLDER"}).encode().replace(b"PLACEHOLDER", "Café".encode())
    response = _raw(receiver, body, "application/x-www-form-urlencoded")
    assert response.status_code == 400 and "UTF-8" in response.json()["errors"][0]["message"]
    assert files_under(receiver.settings.queue_dir) == []


def test_percent_encoded_bytes_that_are_not_utf8_are_refused(receiver):
    from urllib.parse import urlencode

    body = urlencode({**good_form(), "fields[message]": "PLACEHOLDER"}).encode().replace(b"PLACEHOLDER", b"Caf%E9")
    response = _raw(receiver, body, "application/x-www-form-urlencoded")
    assert response.status_code == 400
    assert files_under(receiver.settings.queue_dir) == []


@pytest.mark.parametrize("charset", ["latin-1", "x-unknown", "utf-16"])
def test_a_form_in_another_charset_is_refused(receiver, charset):
    from urllib.parse import urlencode

    response = _raw(receiver, urlencode(good_form()).encode(), f"application/x-www-form-urlencoded; charset={charset}")
    assert response.status_code == 400 and "UTF-8" in response.text
    assert files_under(receiver.settings.queue_dir) == []


def test_multipart_with_bytes_that_are_not_utf8_is_refused(receiver):
    boundary = "XyZ"
    parts = [(k, v.encode()) for k, v in good_form().items() if k != "fields[message]"] + [("fields[message]", b"Caf\xe9")]
    body = b"".join(
        f"--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n".encode() + v + b"\r\n" for k, v in parts
    ) + f"--{boundary}--\r\n".encode()
    response = _raw(receiver, body, f"multipart/form-data; boundary={boundary}")
    assert response.status_code == 400
    assert files_under(receiver.settings.queue_dir) == []


def test_percent_encoded_utf8_is_still_accepted(receiver):
    response = receiver.post("/comments", data=good_form(name="Zoë", message="Ça va, naïve café."), headers=AS_JSON)
    assert response.status_code == 202
    [path] = files_under(receiver.settings.queue_dir)
    assert read_comment(path).body == "Ça va, naïve café."


@pytest.fixture
def small_disk(tmp_path):
    """A real 64 KiB file system (tmpfs, mounted as root, as CI runs): less free
    space than one probe's margin of comments, so the queue on it is full."""
    disk = tmp_path / "disk"
    disk.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(disk)], capture_output=True, text=True)
    if mounted.returncode:
        pytest.skip(f"needs root to mount a small file system: {mounted.stderr.strip()}")
    try:
        yield disk
    finally:
        subprocess.run(["umount", str(disk)], check=True)


def test_healthz_reports_a_full_or_read_only_queue_without_writing_to_it(tmp_path, small_disk):
    (small_disk / "queue").mkdir()
    app, settings = make_app(tmp_path, queue_dir=small_disk / "queue")
    with client_for(app) as client:
        full = client.get("/healthz")
        subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
        read_only = client.get("/healthz")
    assert (full.status_code, full.json()["problems"]) == (503, ["the moderation queue's disk is full"])
    assert (read_only.status_code, read_only.json()["problems"]) == (503, ["the moderation queue is not a writable folder"])
    assert list((small_disk / "queue").iterdir()) == []  # nothing was written to find out


def test_healthz_writes_nothing_into_a_healthy_queue(receiver):
    queue = receiver.settings.queue_dir
    before = os.stat(queue).st_mtime_ns
    assert receiver.get("/healthz").json() == {"status": "ok"}
    assert (list(queue.iterdir()), os.stat(queue).st_mtime_ns) == ([], before)


def test_the_unavailable_page_links_back_to_the_page(receiver):
    queue = receiver.settings.queue_dir
    (queue / "restless-legs-syndrome").write_text("a file where the page's folder should be", encoding="utf-8")
    response = receiver.post("/comments", data=good_form(), headers={**ORIGIN, "Accept": "text/html"})
    assert response.status_code == 503
    assert "restless-legs-syndrome" in response.text.split("<a", 1)[1].split(">", 1)[0]
