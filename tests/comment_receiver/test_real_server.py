"""Against a real uvicorn process on an ephemeral 127.0.0.1 port: concurrency,
a SIGKILL in the middle of a burst, streaming body limits and the access log."""

from __future__ import annotations

import asyncio
import concurrent.futures
import json
import re
import socket
import time

import httpx
import pytest

from comment_core.comment_file import TEMP_FILE_PATTERN, CommentFileError, read_comment
from site_tools.receiver_process import ReceiverProcess
from tests.support.inbox import MODERATOR, PASSWORD, add_moderator, csrf_of
from tests.support.receiver import SITE_ORIGIN, XSS_NAME, good_form, make_index

HEADERS = {"Origin": SITE_ORIGIN, "Accept": "application/json"}
SLUGS = ["restless-legs-syndrome", "iron-deficiency"]


def form_for(i: int) -> dict[str, str]:
    return good_form(name=f"Visitor {i}", message=f"Comment number {i}.\n\nSecond paragraph of {i}.", slug=SLUGS[i % 2])


@pytest.fixture
def receiver(tmp_path):
    process = ReceiverProcess(
        queue_dir=tmp_path / "queue",
        site_index=make_index(tmp_path / "site"),
        origins=[SITE_ORIGIN],
        log_file=tmp_path / "receiver.log",
    )
    process.start()
    try:
        yield process
    finally:
        process.stop()


async def _post_all(url: str, forms: list[dict], on_success=None, timeout: float = 60.0):
    """Post every form at once; return (index, response-or-exception) pairs."""
    limits = httpx.Limits(max_connections=len(forms), max_keepalive_connections=0)
    async with httpx.AsyncClient(limits=limits, timeout=timeout) as client:
        async def one(i, form):
            try:
                response = await client.post(url, data=form, headers=HEADERS)
            except httpx.HTTPError as exc:
                return i, exc
            if response.status_code == 202 and on_success:
                on_success(i, response)
            return i, response

        return await asyncio.wait_for(asyncio.gather(*(one(i, f) for i, f in enumerate(forms))), timeout * 2)


def run_in_own_loop(coroutine):
    """asyncio.run in a fresh thread: the session's Playwright (sync API) keeps
    an event loop running in the main thread once a browser test has run."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result(timeout=300)


def assert_matches(path, i):
    comment = read_comment(path)
    expected = form_for(i)
    assert comment.author == expected["fields[name]"]
    assert comment.body == expected["fields[message]"]
    assert comment.slug == expected["options[slug]"]


def test_200_simultaneous_posts_make_200_distinct_complete_files(receiver):
    forms = [form_for(i) for i in range(200)]
    results = run_in_own_loop(_post_all(receiver.endpoint, forms))
    statuses = [r.status_code if isinstance(r, httpx.Response) else repr(r) for _, r in results]
    assert statuses == [202] * 200
    ids = [r.json()["id"] for _, r in results]
    assert len(set(ids)) == 200
    files = sorted(receiver.queue_dir.rglob("*"))
    comment_files = [p for p in files if p.is_file()]
    assert len(comment_files) == 200, "exactly one file per comment, no temporary files left"
    for (i, _response), comment_id in zip(results, ids, strict=True):
        path = receiver.queue_dir / SLUGS[i % 2] / f"{comment_id}.md"
        assert_matches(path, i)


def test_sigkill_mid_burst_loses_no_acknowledged_comment(tmp_path, receiver):
    acknowledged: dict[int, str] = {}

    def on_success(i, response):
        acknowledged[i] = response.json()["id"]
        if len(acknowledged) == 40:
            receiver.kill()  # SIGKILL while most of the burst is still in flight

    # Far more requests than the receiver can finish before the kill lands,
    # even on a busy machine, so the kill always hits the middle of the burst.
    forms = [form_for(i) for i in range(1000)]
    results = run_in_own_loop(_post_all(receiver.endpoint, forms, on_success, timeout=30))
    failed = [i for i, r in results if not (isinstance(r, httpx.Response) and r.status_code == 202)]
    assert receiver.process.poll() is not None, "the receiver was killed"
    assert len(acknowledged) >= 40
    assert failed, "the kill happened in the middle of the burst"
    # Every request that was told "pending" has its complete file.
    for i, comment_id in acknowledged.items():
        assert_matches(receiver.queue_dir / SLUGS[i % 2] / f"{comment_id}.md", i)
    # No partial file under a final name: every visible file is a whole comment.
    visible = [p for p in receiver.queue_dir.rglob("*") if p.is_file() and not p.name.startswith(".")]
    assert len(visible) >= len(acknowledged)
    for path in visible:
        assert path.suffix == ".md"
        try:
            read_comment(path)
        except CommentFileError as exc:  # pragma: no cover - the failure we guard against
            pytest.fail(f"partial or broken file under a final name: {exc}")
    # Only hidden temporary files (never a final name) may remain from writes cut short...
    leftovers = [p for p in receiver.queue_dir.rglob("*") if p.is_file() and p.name.startswith(".")]
    assert all(TEMP_FILE_PATTERN.fullmatch(p.name) for p in leftovers)
    # ...and a receiver restarted on the same queue deletes them (the age
    # threshold is 0 here instead of the 60-second default: nothing else writes).
    restarted = ReceiverProcess(
        queue_dir=receiver.queue_dir, site_index=receiver.site_index, origins=[SITE_ORIGIN],
        log_file=tmp_path / "restarted.log", env={"RECEIVER_STALE_TEMP_AGE": "0"},
    )
    with restarted:
        remaining = [p for p in receiver.queue_dir.rglob("*") if p.is_file() and p.name.startswith(".")]
        assert remaining == [], "no partial file remains after a restart"
        for i, comment_id in acknowledged.items():
            assert_matches(receiver.queue_dir / SLUGS[i % 2] / f"{comment_id}.md", i)
        assert len([p for p in receiver.queue_dir.rglob("*") if p.is_file()]) == len(visible)
    log = (tmp_path / "restarted.log").read_text()
    assert f"removed {len(leftovers)} leftover temporary file(s) older than 0s" in log


def test_a_restarted_receiver_keeps_working_on_the_same_queue_after_a_kill(tmp_path, receiver):
    with httpx.Client(timeout=10) as client:
        first = client.post(receiver.endpoint, data=good_form(), headers=HEADERS)
    receiver.kill()
    again = ReceiverProcess(queue_dir=receiver.queue_dir, site_index=receiver.site_index, origins=[SITE_ORIGIN])
    with again, httpx.Client(timeout=10) as client:
        second = client.post(again.endpoint, data=good_form(), headers=HEADERS)
    assert first.status_code == second.status_code == 202
    assert len(list(receiver.queue_dir.rglob("*.md"))) == 2


def test_a_chunked_body_over_the_limit_is_refused_before_it_ends(receiver):
    """No Content-Length: the receiver answers 413 once the limit is passed,
    without waiting for the rest of the body (which is never sent here)."""
    with socket.create_connection(("127.0.0.1", receiver.port), timeout=10) as sock:
        sock.sendall(
            b"POST /comments HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: " + SITE_ORIGIN.encode() + b"\r\n"
            b"Accept: application/json\r\nContent-Type: application/x-www-form-urlencoded\r\n"
            b"Transfer-Encoding: chunked\r\n\r\n"
        )
        chunk = b"fields%5Bmessage%5D=" + b"x" * 8000 + b"&"
        for _ in range(10):  # 80 kB, more than the 64 KiB default limit; no final 0-chunk
            sock.sendall(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
        answer = b""
        while b"\r\n\r\n" not in answer:
            data = sock.recv(4096)
            if not data:
                break
            answer += data
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
    assert list(receiver.queue_dir.rglob("*.*")) == []


def test_one_log_line_per_request_without_comment_text_or_ip(receiver, tmp_path):
    with httpx.Client(timeout=10) as client:
        ok = client.post(receiver.endpoint, data=good_form(name=XSS_NAME, message="secret words"), headers=HEADERS)
        bad = client.post(receiver.endpoint, data=good_form(name=None, message="more secret words"), headers=HEADERS)
    receiver.stop()
    lines = [line for line in (tmp_path / "receiver.log").read_text().splitlines() if "comment_receiver.access" in line]
    posts = [line for line in lines if " POST /comments " in line]
    assert len(posts) == 2
    assert posts[0].split("comment_receiver.access: ")[1].startswith("POST /comments 202 ")
    assert posts[0].endswith(f"id={ok.json()['id']}")
    assert " 422 " in posts[1] and "id=" not in posts[1]
    log = (tmp_path / "receiver.log").read_text()
    for secret in ("secret words", "xss-name", "Jane", "127.0.0.1:"):
        assert secret not in log.replace("http://127.0.0.1:8000", ""), secret
    assert bad.status_code == 422


def _peak_memory_mib(pid: int) -> float:
    status = open(f"/proc/{pid}/status").read()
    return int(re.search(r"VmHWM:\s+(\d+) kB", status).group(1)) / 1024


def _inbox_receiver(tmp_path) -> ReceiverProcess:
    """A receiver with one moderator behind a (pretend) local nginx: it trusts X-Forwarded-For."""
    moderators = tmp_path / "moderation" / "moderators"
    add_moderator(moderators)
    return ReceiverProcess(
        queue_dir=tmp_path / "queue", site_index=make_index(tmp_path / "site"), origins=[SITE_ORIGIN],
        env={"RECEIVER_MODERATORS": str(moderators), "RECEIVER_INBOX_DIR": str(tmp_path / "moderation"),
             "RECEIVER_FORWARDED_ALLOW_IPS": "127.0.0.1", "RECEIVER_LOGIN_RATE_LIMIT": "1000/minute"},
    )


def test_wrong_logins_for_the_moderators_name_from_elsewhere_never_lock_the_moderator_out(tmp_path):
    """The names are public (commit authors): 12 wrong passwords for alice from 12
    addresses, then alice from her own address logs in; the failures are audited
    with the name only when it is an account, never the password."""
    process = _inbox_receiver(tmp_path)
    process.env["RECEIVER_LOGIN_RATE_LIMIT"] = "5/minute"
    with process, httpx.Client(base_url=process.base_url) as client:
        def attempt(name, password, address):
            token = csrf_of(client.get("/moderate/login").text)
            return client.post("/moderate/login", data={"csrf": token, "name": name, "password": password},
                               headers={"X-Forwarded-For": address}).status_code

        assert [attempt(MODERATOR, "wrong guess here", f"203.0.113.{i}") for i in range(1, 13)] == [401] * 12
        assert attempt("hunter2 typed as a name", "x", "203.0.113.99") == 401
        assert [attempt(MODERATOR, "wrong guess here", "203.0.113.1") for _ in range(5)] == [401] * 4 + [429]
        assert attempt(MODERATOR, PASSWORD, "198.51.100.7") == 303
    audit = (tmp_path / "moderation" / "audit.jsonl").read_text(encoding="utf-8")
    lines = [json.loads(line) for line in audit.splitlines()]
    failed = [(e["moderator"], e["action"]) for e in lines if e["action"] == "login-failed"]
    assert [who for who, _ in failed] == [MODERATOR] * 12 + ["(unknown name)"] + [MODERATOR] * 4
    assert "hunter2" not in audit and PASSWORD not in audit and "wrong guess" not in audit
    assert (lines[-1]["moderator"], lines[-1]["action"]) == (MODERATOR, "login")


def test_a_login_flood_from_many_addresses_is_answered_429_and_leaves_visitors_fast(tmp_path):
    """40 logins at once under made-up names, each from another address as nginx
    forwards them: at most MAX_CONCURRENT_CHECKS Argon2 checks (64 MiB each) run,
    the rest are told to wait, and a visitor's post is not held up behind them."""
    process = _inbox_receiver(tmp_path)
    with process:
        login = process.base_url + "/moderate/login"
        with httpx.Client() as client:
            token = csrf_of(client.get(login).text)
            cookies = dict(client.cookies)
        baseline = _peak_memory_mib(process.process.pid)

        async def flood():
            async with httpx.AsyncClient(timeout=60, cookies=cookies) as client:
                async def attempt(i):
                    return await client.post(login, data={"csrf": token, "name": f"nobody{i}", "password": "wrong guess here"},
                                             headers={"X-Forwarded-For": f"203.0.113.{i + 1}"})

                async def visitor():
                    await asyncio.sleep(0.2)
                    started = time.monotonic()
                    response = await client.post(process.endpoint, data=good_form(), headers=HEADERS)
                    return response, time.monotonic() - started

                *answers, (posted, seconds) = await asyncio.gather(*(attempt(i) for i in range(40)), visitor())
                return answers, posted, seconds

        answers, posted, seconds = run_in_own_loop(flood())
        statuses = sorted(a.status_code for a in answers)
        assert set(statuses) == {401, 429}, statuses
        busy = [a for a in answers if a.status_code == 429]
        assert len(busy) >= 30, statuses
        assert all(a.headers["Retry-After"] == "5" and "Wait a few seconds" in a.text for a in busy)
        assert posted.status_code == 202 and seconds < 1.0, (posted.status_code, seconds)
        grown = _peak_memory_mib(process.process.pid) - baseline
        assert grown < 3 * 64, f"peak memory grew by {grown:.0f} MiB"


def test_a_login_body_sent_a_byte_at_a_time_is_cut_off_at_the_body_deadline(tmp_path):
    """The deadline visitors' posts have holds on /moderate/login too: 408, connection closed."""
    process = _inbox_receiver(tmp_path)
    process.env["RECEIVER_BODY_TIMEOUT"] = "2"
    with process, socket.create_connection(("127.0.0.1", process.port), timeout=15) as sock:
        sock.sendall(b"POST /moderate/login HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                     b"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 200\r\n\r\nc")
        started = time.monotonic()
        answer = b""
        while chunk := sock.recv(65536):  # the body stalls after one byte
            answer += chunk
        assert answer.startswith(b"HTTP/1.1 408"), answer[:200]
        assert b"took too long to arrive" in answer
        assert 1.5 < time.monotonic() - started < 10
