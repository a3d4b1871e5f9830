"""`make serve` (python -m site_tools.serve): the built site and the receiver
start together, work together, and stop together."""

from __future__ import annotations

import shutil
import signal
import socket
import subprocess

import httpx
import pytest

from tests.support.receiver import PYTHON, ROOT, Serve, cli_env, good_form, make_index


def port_is_closed(url: str) -> bool:
    host_port = url.split("//", 1)[1].split("/", 1)[0]
    host, port = host_port.rsplit(":", 1)
    try:
        socket.create_connection((host, int(port)), timeout=2).close()
    except OSError:
        return True
    return False


@pytest.fixture
def built(tmp_path):
    output = tmp_path / "output"
    output.mkdir()
    (output / "index.html").write_text("<!DOCTYPE html><title>Home</title><p>first build</p>", encoding="utf-8")
    (output / "restless-legs-syndrome").mkdir()
    (output / "restless-legs-syndrome" / "index.html").write_text("<!DOCTYPE html><title>Guide</title>", encoding="utf-8")
    make_index(output)
    return output


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_site_and_receiver_run_together_and_stop_together(built, tmp_path, sig):
    queue_dir = tmp_path / "queue"
    with Serve(built, queue_dir) as serve:
        page = httpx.get(serve.site + "/restless-legs-syndrome/")
        assert page.status_code == 200 and "Guide" in page.text
        # a comment posted from the served site's origin is accepted into the queue
        posted = httpx.post(serve.receiver, data=good_form(), headers={"Origin": serve.site})
        assert posted.status_code == 303
        thanks = httpx.get(serve.receiver.rsplit("/", 1)[0] + posted.headers["location"])
        assert f'href="{serve.site}/restless-legs-syndrome/"' in thanks.text
        assert len(list(queue_dir.rglob("*.md"))) == 1
        assert serve.stop(sig) == 0
        assert port_is_closed(serve.site) and port_is_closed(serve.receiver)


def test_a_rebuild_swapping_the_output_folder_is_served_without_restart(built, tmp_path):
    with Serve(built, tmp_path / "queue") as serve:
        assert "first build" in httpx.get(serve.site + "/").text
        fresh = tmp_path / "output.partial"
        shutil.copytree(built, fresh)
        (fresh / "index.html").write_text("<!DOCTYPE html><title>Home</title><p>second build</p>", encoding="utf-8")
        shutil.rmtree(built)
        fresh.rename(built)  # what `make html` does
        assert "second build" in httpx.get(serve.site + "/").text


def test_a_busy_port_fails_at_once_and_starts_nothing(built, tmp_path):
    with socket.create_server(("127.0.0.1", 0)) as busy:
        port = busy.getsockname()[1]
        result = subprocess.run(
            [PYTHON, "-m", "site_tools.serve", "--port", "0", "--receiver-port", str(port), "--output", str(built)],
            env=cli_env(COMMENTS_QUEUE=tmp_path / "queue"), cwd=ROOT, capture_output=True, text=True, timeout=30,
        )
    assert result.returncode != 0
    assert f"cannot serve the comment receiver on 127.0.0.1:{port}" in result.stderr
    assert "RECEIVER_PORT=" in result.stderr


def test_a_missing_build_is_a_clear_error(tmp_path):
    result = subprocess.run(
        [PYTHON, "-m", "site_tools.serve", "--output", str(tmp_path / "nothing")],
        env=cli_env(), cwd=ROOT, capture_output=True, text=True, timeout=30,
    )
    assert result.returncode == 2 and "make html" in result.stderr
