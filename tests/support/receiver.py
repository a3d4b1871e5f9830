"""Helpers for the receiver's tests: an app on a fixture site index, good forms,
the command line's environment, and `make serve` as a process."""

from __future__ import annotations

import os
import sys
import warnings
from pathlib import Path

from comment_receiver.app import create_app
from comment_receiver.settings import load_settings
from comment_receiver.site_index import write_index
from site_tools.server_process import ServerProcess

ROOT = Path(__file__).resolve().parents[2]
HERE = ROOT / "tests" / "fixtures" / "receiver"
SITE_ORIGIN = "http://127.0.0.1:8000"
#: Headers of a post from the site's pages, and of one from the optional script.
ORIGIN = {"Origin": SITE_ORIGIN}
AS_JSON = {**ORIGIN, "Accept": "application/json"}
XSS_NAME = '<script>alert("xss-name")</script><img src=x onerror=alert(1)>'

# Two published comments on the guide, so replies have something to answer.
PAGES = {
    "restless-legs-syndrome": {
        "url": "restless-legs-syndrome/",
        "title": "Restless legs syndrome",
        "comments": "open",
        "comment_ids": ["20260504T182200Z-0a1b2c3d", "20260505T090000Z-11223344"],
    },
    "iron-deficiency": {"url": "causes/iron-deficiency/", "title": "Iron deficiency", "comments": "open", "comment_ids": []},
    "pregnancy": {"url": "causes/pregnancy/", "title": "Pregnancy", "comments": "closed", "comment_ids": []},
    "404": {"url": "404.html", "title": "Not found", "comments": "hidden", "comment_ids": []},
}
PARENT_ID = "20260504T182200Z-0a1b2c3d"


def make_index(directory: Path, pages: dict | None = None) -> Path:
    return write_index(Path(directory) / "comments-index.json", PAGES if pages is None else pages)


def make_app(tmp_path: Path, **overrides):
    """A receiver app over a fresh queue and the fixture index; returns (app, settings)."""
    index = overrides.pop("site_index", None) or make_index(tmp_path / "site")
    values = dict(
        queue_dir=tmp_path / "queue",
        content_dir=tmp_path / "content" / "comments",
        site_index=index,
        allowed_origins=[SITE_ORIGIN],
        rate_limit="1000/minute",
    )
    values.update(overrides)
    settings = load_settings({}, **values)
    return create_app(settings), settings


def client_for(app, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # Starlette's note about httpx vs httpx2
        from starlette.testclient import TestClient

        return TestClient(app, base_url="http://127.0.0.1:8001", follow_redirects=False, **kwargs)


def good_form(**changes) -> dict[str, str]:
    form = {
        "fields[name]": "Jane Doe",
        "fields[message]": "My legs feel *much* better since I walk in the evening.",
        "fields[website]": "",
        "fields[consent]": "yes",
        "fields[url_confirm]": "",
        "options[slug]": "restless-legs-syndrome",
        "options[parent]": "",
    }
    for key, value in changes.items():
        name = key if "[" in key else (f"options[{key}]" if key in ("slug", "parent") else f"fields[{key}]")
        if value is None:
            form.pop(name, None)
        else:
            form[name] = value
    return form


def files_under(directory: Path) -> list[Path]:
    """Every file (hidden ones too) below ``directory``."""
    if not Path(directory).exists():
        return []
    return sorted(p for p in Path(directory).rglob("*") if p.is_file())


def cli_env(**extra) -> dict[str, str]:
    env = dict(os.environ)
    for key in list(env):
        if key.startswith(("COMMENTS_", "RECEIVER_")):
            del env[key]
    env.update({k: str(v) for k, v in extra.items()})
    return env


PYTHON = sys.executable


class Serve(ServerProcess):
    """`python -m site_tools.serve` (what `make serve` runs) on free ports, stopped on exit."""

    def __init__(self, output, queue_dir, *extra):
        command = [PYTHON, "-m", "site_tools.serve", "--host", "127.0.0.1", "--port", "0",
                   "--receiver-port", "0", "--output", str(output), *extra]
        super().__init__(command, env=cli_env(COMMENTS_QUEUE=queue_dir, RECEIVER_RATE_LIMIT="100/minute"), cwd=ROOT)
        self.site = self.receiver = self.inbox = None

    def parse_line(self, line: str) -> None:
        if line.startswith("Site:"):
            self.site = line.split()[1].rstrip("/")
        elif line.startswith("Comment receiver:"):
            self.receiver = line.split()[2]
        elif line.startswith("Moderation inbox:"):
            self.inbox = line.split()[2]

    def ready(self) -> bool:
        return bool(self.site and self.receiver and self.inbox)

    def health_urls(self) -> list[str]:
        return [self.site + "/", self.receiver.rsplit("/", 1)[0] + "/healthz"]
