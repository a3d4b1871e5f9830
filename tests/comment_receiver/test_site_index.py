"""What the receiver knows about the site: comments-index.json, from a file
(re-read when the site is rebuilt) or from the published site's address."""

from __future__ import annotations

import functools
import http.server
import json
import threading

import pytest

from comment_receiver.site_index import SiteIndex, SiteIndexError, write_index
from tests.support.receiver import PAGES, PARENT_ID


def test_the_index_the_site_build_writes_is_what_the_receiver_reads(site_with_form):
    """Contract with the truffles_comments plugin: the real site built with a form, its index read."""
    pages = SiteIndex(site_with_form.output / "comments-index.json").pages()
    guide = pages["restless-legs-syndrome-guide"]
    assert guide.comments == "open" and guide.url == "/" and guide.title
    assert guide.absolute_url("http://127.0.0.1:8000") == "http://127.0.0.1:8000/"
    assert pages["iron-deficiency"].absolute_url("https://rls.example.org") == "https://rls.example.org/causes/iron-deficiency/"


def test_a_rebuilt_index_file_is_read_again(tmp_path):
    path = write_index(tmp_path / "comments-index.json", {"a": {"url": "/a/", "comments": "open"}})
    index = SiteIndex(path)
    assert set(index.pages()) == {"a"}
    write_index(path, PAGES)
    assert set(index.pages()) == set(PAGES)
    assert PARENT_ID in index.get("restless-legs-syndrome").comment_ids


def test_a_bare_mapping_is_read_too(tmp_path):
    path = tmp_path / "comments-index.json"
    path.write_text(json.dumps({"a": {"url": "/a/", "comments": "closed", "comment_ids": ["x1"]}}))
    assert SiteIndex(path).get("a").comments == "closed"


@pytest.mark.parametrize(
    "content,phrase",
    [
        ("not json", "not valid UTF-8 JSON"),
        ('{"version": 2, "pages": {}}', "version 2 is not supported"),
        ('{"version": 1, "pages": {"a": {"url": "/a/", "comments": "maybe"}}}', "'comments' must be one of"),
        ('{"version": 1, "pages": {"../x": {"url": "/a/", "comments": "open"}}}', "not a safe folder name"),
        ('{"version": 1, "pages": {"a": {"comments": "open"}}}', "'url' must be"),
        ('{"version": 1, "pages": {"a": {"url": "/a/", "comments": "open", "comment_ids": ["../x"]}}}', "comment ids"),
    ],
)
def test_a_malformed_index_is_refused_with_a_reason(tmp_path, content, phrase):
    path = tmp_path / "comments-index.json"
    path.write_text(content)
    with pytest.raises(SiteIndexError) as raised:
        SiteIndex(path).pages()
    assert phrase in str(raised.value)


def test_a_missing_index_says_how_to_get_one(tmp_path):
    with pytest.raises(SiteIndexError) as raised:
        SiteIndex(tmp_path / "nope.json").pages()
    assert "build the site" in str(raised.value)


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture
def web(tmp_path):
    root = tmp_path / "www"
    root.mkdir()
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(root)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield root, f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_a_remote_index_is_fetched_revalidated_and_kept_through_an_outage(web):
    root, base = web
    write_index(root / "comments-index.json", {"a": {"url": "/a/", "comments": "open"}})
    index = SiteIndex(base + "/comments-index.json", ttl=3600)
    assert set(index.pages()) == {"a"}
    assert index._validators  # Last-Modified remembered for a conditional fetch
    index._checked_at = float("-inf")  # time to look again: unchanged (304) keeps the copy
    assert set(index.pages()) == {"a"}
    write_index(root / "comments-index.json", PAGES)
    import os

    os.utime(root / "comments-index.json", (2_000_000_000, 2_000_000_000))
    index._checked_at = float("-inf")
    assert set(index.pages()) == set(PAGES)
    (root / "comments-index.json").unlink()  # the host answers 404 for a while
    index._checked_at = float("-inf")
    assert set(index.pages()) == set(PAGES), "the last good copy is used"


def test_a_remote_index_that_never_loaded_refuses(web):
    _, base = web
    with pytest.raises(SiteIndexError) as raised:
        SiteIndex(base + "/missing.json").pages()
    assert "HTTP 404" in str(raised.value)
