"""Two receivers behind one address: rate limits shared through a real Redis,
each with its own queue and its own clone, both publishing to one origin."""

from __future__ import annotations

import shutil
import subprocess
import time

import httpx
import pytest

from site_tools.receiver_process import ReceiverProcess
from tests.support.publishing import (
    SITE_PAGES,
    SLUG,
    approvals_of,
    clone,
    file_on_origin,
    git_env,
    make_origin,
    subjects,
)
from tests.support.receiver import PYTHON, ROOT, SITE_ORIGIN, files_under, good_form, make_index
from tests.support.servers import free_port

REDIS = shutil.which("redis-server")
pytestmark = pytest.mark.skipif(REDIS is None, reason="redis-server is not installed (apt-get install redis-server; .ci/run does)")


@pytest.fixture
def redis_url(tmp_path):
    import redis

    port = free_port()
    process = subprocess.Popen(
        [REDIS, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
         "--dir", str(tmp_path)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    client = redis.Redis(host="127.0.0.1", port=port)
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                client.ping()
                break
            except redis.ConnectionError:
                assert process.poll() is None and time.monotonic() < deadline, "redis-server did not start"
                time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        client.close()
        process.terminate()
        process.wait(timeout=10)


def post(endpoint: str, message: str) -> httpx.Response:
    return httpx.post(endpoint, data=good_form(slug=SLUG, message=message),
                      headers={"Origin": SITE_ORIGIN, "Accept": "application/json"}, timeout=10)


def test_the_limit_holds_across_two_receivers_and_every_approval_lands_once(tmp_path, redis_url):
    origin = make_origin(tmp_path)
    index = make_index(tmp_path / "index", SITE_PAGES)
    checkouts = [clone(origin, tmp_path / f"checkout-{n}") for n in (1, 2)]
    queues = [tmp_path / f"queue-{n}" for n in (1, 2)]
    shared = {"RECEIVER_RATE_LIMIT_STORAGE": redis_url}
    with ReceiverProcess(queue_dir=queues[0], site_index=index, rate_limit="3/minute", env=shared) as one, \
            ReceiverProcess(queue_dir=queues[1], site_index=index, rate_limit="3/minute", env=shared) as two:
        answers = [post((one, two)[n % 2].endpoint, f"Comment {n} through one address.") for n in range(6)]
    assert [a.status_code for a in answers] == [202, 202, 202, 429, 429, 429], [a.text for a in answers]
    accepted = [a.json()["id"] for a in answers[:3]]
    assert sorted(p.stem for q in queues for p in files_under(q)) == sorted(accepted)

    # Both moderators approve everything in their receiver's queue at the same moment.
    runs = []
    for checkout, queue in zip(checkouts, queues, strict=True):
        ids = [p.stem for p in files_under(queue)]
        runs.append(subprocess.Popen([PYTHON, "-m", "comment_receiver", "approve", *ids], cwd=ROOT,
                                     env=git_env(checkout, queue), stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, text=True))
    outputs = [run.communicate(timeout=180) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs
    for comment_id in accepted:
        assert len(approvals_of(origin, comment_id)) == 1
        assert "through one address" in file_on_origin(origin, comment_id)
    assert len(subjects(origin)) == 1 + len(accepted)
