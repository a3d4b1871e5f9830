"""The moderation command line: list, show, approve, reject, import-staticman,
and clear errors. The commands run in-process through the entry point's own
``main`` (tests/support/moderation_cli.py); the first test runs them as authors
do, as a real `python -m comment_receiver` process."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
import yaml

from comment_core.comment_file import read_comment
from tests.support.moderation_cli import SLUG, queue_comment, run_moderation, run_moderation_process
from tests.support.receiver import HERE, ROOT

UTC = dt.UTC


def run(dirs, *args, cwd=None):
    return run_moderation(*dirs, *args, cwd=cwd)


def test_python_m_comment_receiver_runs_the_same_commands_as_a_process(dirs):
    """Smoke test of the entry point itself: list, approve and an unknown id, as a subprocess."""
    queue, content = dirs
    empty = run_moderation_process(queue, content, "list")
    assert empty.returncode == 0 and "No comments are waiting for moderation" in empty.stdout
    source = queue_comment(queue, "20261124T181502Z-3f9a1c2b")
    approved = run_moderation_process(queue, content, "approve", source.stem)
    assert approved.returncode == 0, approved.stderr
    assert (content / SLUG / source.name).is_file() and not source.exists()
    unknown = run_moderation_process(queue, content, "show", "20990101T000000Z-deadbeef")
    assert unknown.returncode == 2 and "error:" in unknown.stderr and "Traceback" not in unknown.stderr
    usage = run_moderation_process(queue, content)
    assert usage.returncode == 2 and "usage:" in usage.stderr


def test_an_in_process_command_leaves_the_environment_folder_and_streams_as_they_were(dirs, tmp_path):
    import os
    import sys

    before = (dict(os.environ), os.getcwd(), sys.stdin, sys.stdout, sys.stderr)
    result = run(dirs, "list", cwd=tmp_path)
    assert result.returncode == 0 and "No comments are waiting" in result.stdout
    failed = run(dirs, "approve", "no such id")
    assert failed.returncode == 2
    assert (dict(os.environ), os.getcwd(), sys.stdin, sys.stdout, sys.stderr) == before


def test_list_says_when_the_queue_is_empty(dirs):
    result = run(dirs, "list")
    assert result.returncode == 0
    assert "No comments are waiting for moderation" in result.stdout


def test_list_shows_each_waiting_comment(dirs):
    queue, _ = dirs
    queue_comment(queue, "20261124T181502Z-3f9a1c2b", author="Jane Doe")
    queue_comment(queue, "20261124T181600Z-4a5b6c7d", slug="iron-deficiency", author="Sam", body="Iron helped.")
    result = run(dirs, "list")
    assert result.returncode == 0, result.stderr
    assert "2 comments are waiting for moderation" in result.stdout
    for text in ("20261124T181502Z-3f9a1c2b", "page: restless-legs-syndrome", "Jane Doe",
                 "20261124T181600Z-4a5b6c7d", "page: iron-deficiency", "Iron helped."):
        assert text in result.stdout
    assert "approve ID" in result.stdout


def test_list_reports_a_broken_file_and_leftover_temporary_files(dirs):
    queue, _ = dirs
    (queue / SLUG).mkdir()
    (queue / SLUG / "20261124T000000Z-badbad00.md").write_text("no metadata here\n", encoding="utf-8")
    (queue / SLUG / ".20261124T000000Z-12345678.abc.tmp").write_text("Author: half", encoding="utf-8")
    result = run(dirs, "list")
    assert result.returncode == 0
    assert "20261124T000000Z-badbad00" in result.stdout and "cannot be read" in result.stdout
    assert "unfinished temporary file" in result.stdout and ".20261124T000000Z-12345678.abc.tmp" in result.stdout


def test_show_prints_the_comment_and_neutralises_terminal_escapes(dirs):
    queue, _ = dirs
    # Written by hand: the receiver itself never stores control characters.
    path = queue / SLUG / "20261124T181502Z-3f9a1c2b.md"
    path.parent.mkdir()
    path.write_text("Author: Jane Doe\nDate: 2026-11-24 18:15\n\nHi \x1b]0;pwned\x07 there\n\nSecond paragraph.\n", encoding="utf-8")
    result = run(dirs, "show", "20261124T181502Z-3f9a1c2b")
    assert result.returncode == 0, result.stderr
    assert str(path) in result.stdout and "Second paragraph." in result.stdout and "Author: Jane Doe" in result.stdout
    assert "\x1b" not in result.stdout and "\\u{001B}" in result.stdout
    assert "U+001B" in result.stdout  # and the file's problem is named


def test_approve_moves_the_file_into_content_comments_and_says_so(dirs):
    queue, content = dirs
    source = queue_comment(queue, "20261124T181502Z-3f9a1c2b")
    original = source.read_bytes()
    result = run(dirs, "approve", "20261124T181502Z-3f9a1c2b")
    assert result.returncode == 0, result.stderr
    target = content / SLUG / "20261124T181502Z-3f9a1c2b.md"
    assert target.read_bytes() == original
    assert not source.exists()
    assert "Approved 20261124T181502Z-3f9a1c2b" in result.stdout and str(target) in result.stdout
    assert "make html" in result.stdout
    assert [p for p in queue.rglob("*") if p.is_file()] == []


def test_approve_and_reject_accept_slug_slash_id_and_several_ids(dirs):
    queue, content = dirs
    queue_comment(queue, "20261124T000001Z-00000001")
    queue_comment(queue, "20261124T000002Z-00000002")
    queue_comment(queue, "20261124T000003Z-00000003")
    result = run(dirs, "approve", f"{SLUG}/20261124T000001Z-00000001", "20261124T000002Z-00000002.md")
    assert result.returncode == 0, result.stderr
    assert len(list((content / SLUG).glob("*.md"))) == 2
    assert run(dirs, "reject", f"{SLUG}/20261124T000003Z-00000003").returncode == 0
    assert [p for p in queue.rglob("*") if p.is_file()] == []


def test_reject_deletes_the_file_and_says_so(dirs):
    queue, content = dirs
    source = queue_comment(queue, "20261124T181502Z-3f9a1c2b")
    result = run(dirs, "reject", "20261124T181502Z-3f9a1c2b")
    assert result.returncode == 0, result.stderr
    assert not source.exists() and not content.exists()
    assert "Rejected 20261124T181502Z-3f9a1c2b" in result.stdout and "deleted" in result.stdout


@pytest.mark.parametrize("command", ["show", "approve", "reject"])
@pytest.mark.parametrize("ident", ["20990101T000000Z-deadbeef", "../../etc/passwd", "no such id"])
def test_an_unknown_id_is_a_clear_error_with_exit_status_2(dirs, command, ident):
    queue, content = dirs
    kept = queue_comment(queue, "20261124T181502Z-3f9a1c2b")
    result = run(dirs, command, ident)
    assert result.returncode == 2
    assert "error:" in result.stderr and ("no comment" in result.stderr or "not a comment id" in result.stderr)
    assert "Run `make comments` to see the queue." in result.stderr
    assert kept.exists() and not content.exists()


def test_one_unknown_id_among_several_changes_nothing(dirs):
    queue, content = dirs
    kept = queue_comment(queue, "20261124T181502Z-3f9a1c2b")
    result = run(dirs, "approve", "20261124T181502Z-3f9a1c2b", "20990101T000000Z-deadbeef")
    assert result.returncode == 2 and kept.exists() and not content.exists()


def test_a_reply_cannot_be_approved_before_its_parent(dirs):
    queue, content = dirs
    parent = queue_comment(queue, "20261124T000001Z-00000001")
    reply = queue_comment(queue, "20261124T000002Z-00000002", replyto="20261124T000001Z-00000001")
    result = run(dirs, "approve", "20261124T000002Z-00000002")
    assert result.returncode == 1
    assert "`make approve ID=20261124T000001Z-00000001` first" in result.stderr
    assert reply.exists() and not content.exists()
    assert run(dirs, "approve", parent.stem, reply.stem).returncode == 0
    assert read_comment(content / SLUG / f"{reply.stem}.md").replyto == parent.stem


def test_an_interrupted_approve_is_finished_by_running_it_again(dirs):
    queue, content = dirs
    source = queue_comment(queue, "20261124T181502Z-3f9a1c2b")
    (content / SLUG).mkdir(parents=True)
    shutil.copy2(source, content / SLUG / source.name)  # crashed after writing, before removing
    result = run(dirs, "approve", source.stem)
    assert result.returncode == 0, result.stderr
    assert "already in" in result.stdout and not source.exists()


def test_approve_never_overwrites_a_different_published_comment(dirs):
    queue, content = dirs
    source = queue_comment(queue, "20261124T181502Z-3f9a1c2b", body="The queued one.")
    published = queue_comment(content, "20261124T181502Z-3f9a1c2b", body="The published one.")
    result = run(dirs, "approve", source.stem)
    assert result.returncode == 1 and "already exists with different content" in result.stderr
    assert read_comment(published).body == "The published one." and source.exists()


def test_a_broken_queued_file_is_not_approved_but_can_be_rejected(dirs):
    queue, content = dirs
    (queue / SLUG).mkdir()
    broken = queue / SLUG / "20261124T000000Z-badbad00.md"
    broken.write_text("Author: X\n\n", encoding="utf-8")
    result = run(dirs, "approve", broken.stem)
    assert result.returncode == 1 and "not a valid comment file" in result.stderr and "Date" in result.stderr
    assert broken.exists() and not content.exists()
    assert run(dirs, "reject", broken.stem).returncode == 0 and not broken.exists()


def test_make_comments_command_lists_the_queue(dirs):
    """`make comments` runs exactly `python -m comment_receiver list`."""
    makefile = (ROOT / "Makefile").read_text()
    assert "-m comment_receiver list" in makefile
    queue, _ = dirs
    queue_comment(queue, "20261124T181502Z-3f9a1c2b")
    assert "1 comment is waiting" in run(dirs, "list").stdout


# --- import-staticman ----------------------------------------------------------------


def test_import_staticman_converts_yaml_files_into_comment_files(dirs):
    _, content = dirs
    result = run(dirs, "import-staticman", str(HERE / "staticman"))
    assert result.returncode == 0, result.stderr
    assert "4 comment(s) imported" in result.stdout
    first = read_comment(content / SLUG / "5f1c2a30-0776-11e7-9f0b-a93a0782e542.md")
    assert first.author == "Jane Doe" and first.website == "https://example.org/jane"
    assert first.body == "Walking in the evening helps me.\n\nDoes anyone else find *stretching* useful?"
    assert first.date == dt.datetime.fromtimestamp(1714846920, UTC)
    reply = read_comment(content / SLUG / "6a2b3c40-0777-11e7-9f0b-a93a0782e542.md")
    assert reply.replyto == first.id and reply.website == "http://sam.example"
    assert reply.date == dt.datetime(2024, 5, 5, 9, 0, tzinfo=UTC)
    assert "0bc83cb5" not in (content / SLUG / f"{reply.id}.md").read_text()  # no e-mail (hash) is kept
    odd = read_comment(content / SLUG / "7b3c4d50-0778-11e7-9f0b-a93a0782e542.md")
    assert odd.replyto is None and odd.website is None  # unknown parent; javascript: website dropped
    assert odd.author == "<script>alert('staticman')</script>"  # stored as text; the build escapes it
    assert odd.date == dt.datetime.fromtimestamp(1714993200, UTC)  # milliseconds understood
    assert odd.body == "Ask your doctor to check your iron levels.\nIt made a difference for me."
    alex = read_comment(content / "iron-deficiency" / "8c4d5e60-0779-11e7-9f0b-a93a0782e542.md")
    assert alex.date == dt.datetime(2024, 5, 6, 10, 30, tzinfo=UTC)
    assert "imported as a new thread" in result.stderr and "without a website" in result.stderr


def test_import_staticman_twice_skips_what_is_already_there(dirs):
    run(dirs, "import-staticman", str(HERE / "staticman"))
    again = run(dirs, "import-staticman", str(HERE / "staticman"))
    assert again.returncode == 0, again.stderr
    assert "Skipped 4 comment(s) already imported" in again.stdout and "0 comment(s) imported" in again.stdout


def test_import_staticman_with_a_problem_imports_nothing_and_lists_every_problem(dirs):
    _, content = dirs
    result = run(dirs, "import-staticman", str(HERE / "staticman-broken"))
    assert result.returncode == 1
    assert "nothing was imported" in result.stderr
    assert "a1.yml: 'name' is missing" in result.stderr
    assert "a2.yml: 'date'" in result.stderr
    assert "a3.yml: cannot be read" in result.stderr
    assert not content.exists()


def test_import_staticman_flat_folder_needs_slug_and_can_go_to_the_queue(dirs, tmp_path):
    queue, content = dirs
    flat = tmp_path / "flat"
    shutil.copytree(HERE / "staticman" / "iron-deficiency", flat)
    refused = run(dirs, "import-staticman", str(flat))
    assert refused.returncode == 1 and "--slug" in refused.stderr
    result = run(dirs, "import-staticman", str(flat), "--slug", "iron-deficiency", "--to-queue")
    assert result.returncode == 0, result.stderr
    assert (queue / "iron-deficiency" / "8c4d5e60-0779-11e7-9f0b-a93a0782e542.md").is_file()
    assert not content.exists()
    assert "1 comment is waiting" in run(dirs, "list").stdout


def test_staticman_yml_matches_the_form_and_the_importer():
    config = yaml.safe_load((ROOT / "deploy" / "staticman.yml").read_text())["comments"]
    assert set(config["allowedFields"]) == {"name", "message", "website", "consent"}
    assert "url_confirm" not in config["allowedFields"], "the honeypot must stay unlisted so Staticman refuses it filled"
    assert set(config["requiredFields"]) == {"name", "message", "consent"}
    assert config["format"] == "yml" and config["moderation"] is True
    assert config["filename"] == "{@id}"
    assert config["path"] == "staticman/comments/{options.slug}"
    assert not config["path"].startswith("content"), "Staticman files must never be read by Pelican"
    assert config["generatedFields"]["date"]["options"]["format"] in ("timestamp-seconds", "timestamp", "iso8601")


def test_a_file_as_staticman_writes_it_from_our_form_imports(dirs, tmp_path):
    """What Staticman (js-yaml safeDump) writes for a post from our form."""
    folder = tmp_path / "staticman" / "comments" / SLUG
    folder.mkdir(parents=True)
    (folder / "0b0c7e10-cc1d-11f0-8de9-0242ac120002.yml").write_text(
        "_id: 0b0c7e10-cc1d-11f0-8de9-0242ac120002\n"
        "_parent: 5f1c2a30-0776-11e7-9f0b-a93a0782e542\n"
        "name: Jane Doe\n"
        "message: |-\n  First line.\n\n  Second *line*.\n"
        "website: ''\n"
        "consent: 'yes'\n"
        "url_confirm: ''\n"
        "date: 1764008100\n",
        encoding="utf-8",
    )
    _, content = dirs
    queue_comment(content, "5f1c2a30-0776-11e7-9f0b-a93a0782e542")  # the parent is already published
    result = run(dirs, "import-staticman", str(tmp_path / "staticman" / "comments"))
    assert result.returncode == 0, result.stderr
    comment = read_comment(content / SLUG / "0b0c7e10-cc1d-11f0-8de9-0242ac120002.md")
    assert comment.replyto == "5f1c2a30-0776-11e7-9f0b-a93a0782e542"
    assert comment.body == "First line.\n\nSecond *line*." and comment.website is None


def _staticman_file(folder: Path, name: str, **fields):
    data = {"name": "Jane Doe", "message": "Hello.", "date": 1764008100, **fields}
    folder.mkdir(parents=True, exist_ok=True)
    text = json.dumps(data) if name.endswith(".json") else yaml.safe_dump(data)
    (folder / name).write_text(text, encoding="utf-8")


@pytest.mark.parametrize("bad_id", [["a", "b"], {"x": 1}], ids=["list", "mapping"])
def test_import_staticman_an_id_that_is_not_text_is_a_clear_error_for_that_file(dirs, tmp_path, bad_id):
    from comment_receiver.staticman import plan_import

    folder = tmp_path / "staticman" / SLUG
    _staticman_file(folder, "one.yml", _id=bad_id)
    _staticman_file(folder, "two.yml", _id="good-id")
    plan = plan_import(tmp_path / "staticman", dirs[1])
    assert len(plan.problems) == 1 and "one.yml: _id is a" in plan.problems[0] and "not text" in plan.problems[0]
    result = run(dirs, "import-staticman", str(tmp_path / "staticman"))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "one.yml: _id is a" in result.stderr and "nothing was imported" in result.stderr
    assert not dirs[1].exists()


def test_import_staticman_two_files_with_the_same_id_import_nothing(dirs, tmp_path):
    from comment_receiver.staticman import plan_import

    folder = tmp_path / "staticman" / SLUG
    _staticman_file(folder, "a.yml", _id="same-id")
    _staticman_file(folder, "b.yml", _id="same-id", message="Another comment.")
    _staticman_file(folder, "same-id.json")  # no _id: its file name is its id
    plan = plan_import(tmp_path / "staticman", dirs[1])
    assert sorted(Path(p.split(":", 1)[0]).name for p in plan.problems) == ["a.yml", "b.yml", "same-id.json"]
    assert all("'same-id'" in p and "also the id of" in p for p in plan.problems)
    result = run(dirs, "import-staticman", str(tmp_path / "staticman"))
    assert result.returncode == 1 and "nothing was imported" in result.stderr
    assert not dirs[1].exists()


def test_import_staticman_a_parent_loop_is_refused_before_anything_is_written(dirs, tmp_path):
    from comment_receiver.staticman import plan_import

    folder = tmp_path / "staticman" / SLUG
    _staticman_file(folder, "a.yml", _id="a", _parent="b")
    _staticman_file(folder, "b.yml", _id="b", _parent="a")
    _staticman_file(folder, "c.yml", _id="c", _parent="a")  # answers a comment on the loop
    _staticman_file(folder, "d.yml", _id="d")
    plan = plan_import(tmp_path / "staticman", dirs[1])
    assert sorted(Path(p.split(":", 1)[0]).name for p in plan.problems) == ["a.yml", "b.yml"]
    assert all("_parent makes a loop (a -> b -> a)" in p for p in plan.problems)
    result = run(dirs, "import-staticman", str(tmp_path / "staticman"))
    assert result.returncode == 1 and "_parent makes a loop" in result.stderr
    assert not dirs[1].exists()


def test_import_staticman_a_reply_to_a_published_comment_is_no_loop(dirs, tmp_path):
    from comment_receiver.staticman import plan_import

    _, content = dirs
    queue_comment(content, "published-1")
    folder = tmp_path / "staticman" / SLUG
    _staticman_file(folder, "a.yml", _id="a", _parent="published-1")
    _staticman_file(folder, "b.yml", _id="b", _parent="a")
    plan = plan_import(tmp_path / "staticman", content)
    assert plan.problems == []
    assert {(c.id, c.replyto) for c in plan.comments} == {("a", "published-1"), ("b", "a")}
