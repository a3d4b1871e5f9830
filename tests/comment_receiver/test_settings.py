"""All receiver settings come from one function, with documented defaults, and a
bad value is an error naming the environment variable."""

from __future__ import annotations

import pytest

from comment_receiver.settings import REPO_ROOT, SettingsError, load_settings


def test_defaults_are_the_local_development_setup():
    s = load_settings({})
    assert s.queue_dir == REPO_ROOT / "comments-queue"
    assert s.content_dir == REPO_ROOT / "content" / "comments"
    assert s.site_index == REPO_ROOT / "output" / "comments-index.json"
    assert s.allowed_origins == ("http://127.0.0.1:8000", "http://localhost:8000")
    assert s.site_url == "http://127.0.0.1:8000"
    assert (s.rate_limit, s.rate_limit_storage, s.max_body_bytes) == ("5/minute", "memory://", 65536)
    assert (s.host, s.port, s.forwarded_allow_ips, s.log_level) == ("127.0.0.1", 8001, "", "info")


def test_environment_variables_set_everything(tmp_path):
    s = load_settings({
        "COMMENTS_QUEUE": str(tmp_path / "q"),
        "COMMENTS_CONTENT": str(tmp_path / "c"),
        "RECEIVER_SITE_INDEX": str(tmp_path / "site" / "comments-index.json"),
        "RECEIVER_ALLOWED_ORIGINS": "https://Example.org:443/, https://www.example.org",
        "RECEIVER_SITE_URL": "https://example.org/guide/",
        "RECEIVER_RATE_LIMIT": "10/hour;3/minute",
        "RECEIVER_MAX_BODY": "32768",
        "RECEIVER_HOST": "0.0.0.0",
        "RECEIVER_PORT": "9000",
        "RECEIVER_FORWARDED_ALLOW_IPS": "127.0.0.1",
        "RECEIVER_LOG_LEVEL": "WARNING",
    })
    assert s.queue_dir == tmp_path / "q"
    assert s.allowed_origins == ("https://example.org", "https://www.example.org")
    assert s.site_url == "https://example.org/guide"
    assert (s.rate_limit, s.max_body_bytes, s.host, s.port) == ("10/hour;3/minute", 32768, "0.0.0.0", 9000)
    assert (s.forwarded_allow_ips, s.log_level) == ("127.0.0.1", "warning")


def test_the_site_index_may_be_the_published_file_address():
    s = load_settings({"RECEIVER_SITE_INDEX": "https://rls.example.org/comments-index.json",
                       "RECEIVER_SITE_INDEX_TTL": "120"})
    assert s.site_index == "https://rls.example.org/comments-index.json" and s.site_index_ttl == 120


def test_overrides_win_over_the_environment(tmp_path):
    s = load_settings({"COMMENTS_QUEUE": "/elsewhere"}, queue_dir=tmp_path, port=None)
    assert s.queue_dir == tmp_path and s.port == 8001


def test_publishing_defaults_to_files_with_state_beside_the_queue(tmp_path):
    s = load_settings({"COMMENTS_QUEUE": str(tmp_path / "q")})
    assert (s.publish, s.git_remote, s.git_branch) == ("files", "origin", "")
    assert s.publish_state_dir == tmp_path / "q-publish"
    assert (s.publish_retry, s.publish_retry_max) == (5, 600)
    g = load_settings({"RECEIVER_PUBLISH": "Git", "RECEIVER_GIT_BRANCH": "gh-pages", "RECEIVER_PUBLISH_STATE": str(tmp_path / "s")})
    assert (g.publish, g.git_branch, g.publish_state_dir) == ("git", "gh-pages", tmp_path / "s")


@pytest.mark.parametrize(
    "variable,value,phrase",
    [
        ("RECEIVER_ALLOWED_ORIGINS", "example.org", "is not an origin"),
        ("RECEIVER_ALLOWED_ORIGINS", "https://example.org/path", "without a path"),
        ("RECEIVER_SITE_URL", "/relative", "absolute http(s) address"),
        ("RECEIVER_RATE_LIMIT", "lots", "is not a rate"),
        ("RECEIVER_RATE_LIMIT_STORAGE", "redis", "storage URI"),
        ("RECEIVER_MAX_BODY", "big", "whole number"),
        ("RECEIVER_MAX_BODY", "10", "from 1024"),
        ("RECEIVER_PORT", "70000", "from 0 to 65535"),
        ("RECEIVER_LOG_LEVEL", "loud", "one of debug"),
        ("RECEIVER_PUBLISH", "ftp", "one of files, git"),
        ("RECEIVER_GIT_REMOTE", "--upload-pack=evil", "not a git remote or branch name"),
        ("RECEIVER_GIT_BRANCH", "-f", "not a git remote or branch name"),
        ("RECEIVER_PUBLISH_RETRY", "0", "from 1"),
        ("RECEIVER_PUBLISH_RETRY_MAX", "1", "from 5"),
    ],
)
def test_a_bad_value_names_the_variable(variable, value, phrase):
    with pytest.raises(SettingsError) as raised:
        load_settings({variable: value})
    assert str(raised.value).startswith(variable + ":") and phrase in str(raised.value)


def test_the_cli_reports_a_bad_setting_and_exits_2(tmp_path):
    import subprocess

    from tests.support.receiver import PYTHON, ROOT, cli_env

    result = subprocess.run(
        [PYTHON, "-m", "comment_receiver", "serve"], env=cli_env(RECEIVER_RATE_LIMIT="lots"),
        capture_output=True, text=True, timeout=60, cwd=ROOT,
    )
    assert result.returncode == 2 and "RECEIVER_RATE_LIMIT" in result.stderr


def test_the_readme_table_is_the_settings_table():
    from comment_receiver.settings import markdown_table

    readme = (REPO_ROOT / "comment_receiver" / "README.md").read_text(encoding="utf-8")
    assert markdown_table() in readme, "paste the output of `python -m comment_receiver.settings` into the README"


def test_the_deployed_env_file_names_only_real_settings_and_loads_in_a_shell(tmp_path):
    """Every line of deploy/receiver/truffles-comments.env (commented ones too) is a
    setting of the table; `set -a; . file` in sh, as the README loads it, reads
    the same values with no error, and they pass load_settings."""
    import re
    import subprocess

    from comment_receiver.settings import TABLE

    env_file = REPO_ROOT / "deploy" / "receiver" / "truffles-comments.env"
    assigned = re.findall(r"^#?([A-Z_]+)=(.*)$", env_file.read_text(encoding="utf-8"), re.M)
    known = {s.env for s in TABLE.values()}
    assert {name for name, _ in assigned} <= known
    shell = subprocess.run(["sh", "-c", f'set -a; . "{env_file}"; env -0'], capture_output=True, text=True, env={})
    assert shell.returncode == 0 and shell.stderr == "", shell.stderr
    loaded = dict(line.split("=", 1) for line in shell.stdout.split("\0") if "=" in line)
    for name, value in assigned:
        if name in loaded:
            assert loaded[name] == value.strip('"'), name
    s = load_settings({k: v for k, v in loaded.items() if k in known})
    assert s.rate_limit == "5/minute;30/day" and s.publish == "git"
