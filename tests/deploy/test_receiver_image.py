"""The receiver's container image holds every package the receiver imports.

No container engine runs here, so the image is checked the way it is built:
each project package that comment_receiver (service, CLI, inbox) imports,
directly or through another project package, must be copied by a COPY line
of deploy/receiver/Containerfile, and every third-party package it imports
must be pinned in requirements-receiver.txt, which the image
installs. Then the image's CMD is run outside a container the way the image
would run it: its ENV, its folders, only its requirements, as its user (uid
10001), in git mode, through a post, a login and an approval.
"""

from __future__ import annotations

import ast
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import httpx
import pytest

from comment_receiver.inbox.accounts import Accounts
from tests.support.inbox import MODERATOR, PASSWORD, csrf_of, log_in
from tests.support.publishing import SITE_PAGES, SLUG, approvals_of, clone, make_origin
from tests.support.receiver import SITE_ORIGIN, good_form, write_index
from tests.support.servers import free_port, wait_for
from tests.support.sitebuild import ROOT

CONTAINERFILE = ROOT / "deploy" / "receiver" / "Containerfile"
IMAGE_UID = 10001
PROJECT = {"comment_core", "comment_receiver", "site_tools", "strict_build", "site_assets", "medical_pages",
           "truffles_comments", "pelicanconf", "publishconf"}


def imported_top_levels(package: str) -> set[str]:
    names = set()
    for source in (ROOT / package).rglob("*.py"):
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module.split(".")[0])
    return names


def project_closure(start: str) -> set[str]:
    seen, todo = set(), [start]
    while todo:
        package = todo.pop()
        if package in seen:
            continue
        seen.add(package)
        todo += [name for name in imported_top_levels(package) & PROJECT if (ROOT / name).is_dir()]
    return seen


def copied_packages() -> set[str]:
    copies = re.findall(r"^COPY\s+(\S+)\s+/app/(\S+)\s*$", CONTAINERFILE.read_text(encoding="utf-8"), re.M)
    return {source.rstrip("/") for source, target in copies if source.rstrip("/") == target.rstrip("/")}


def test_every_project_package_the_receiver_imports_is_copied_whole():
    needed = project_closure("comment_receiver")
    assert needed >= {"comment_receiver", "comment_core"}
    assert needed - copied_packages() == set()


def test_no_plugin_or_tool_is_needed_by_the_receiver():
    assert project_closure("comment_receiver") <= {"comment_receiver", "comment_core"}


def test_every_third_party_import_is_pinned_in_the_requirements_the_image_installs():
    import sys

    pinned = {line.split("==")[0].strip().lower().replace("_", "-")
              for line in (ROOT / "requirements-receiver.txt").read_text(encoding="utf-8").splitlines()
              if "==" in line and not line.startswith("#")}
    # Import names that differ from their distribution's name.
    distribution = {"yaml": "pyyaml", "multipart": "python-multipart", "argon2": "argon2-cffi",
                    "confusable_homoglyphs": "confusable-homoglyphs", "dateutil": "python-dateutil"}
    third_party = set()
    for package in project_closure("comment_receiver"):
        third_party |= imported_top_levels(package) - PROJECT - set(sys.stdlib_module_names) - {"__future__"}
    missing = {name for name in third_party if distribution.get(name, name).lower().replace("_", "-") not in pinned}
    assert missing == set()


# --- the image as it runs --------------------------------------------------------------

def instructions(keyword: str) -> list[str]:
    """The arguments of every ``keyword`` instruction, continuation lines joined."""
    text = re.sub(r"\\\n\s*", " ", CONTAINERFILE.read_text(encoding="utf-8"))
    return [line.split(None, 1)[1] for line in text.splitlines() if line.startswith(keyword + " ")]


def image_env() -> dict[str, str]:
    env = {}
    for line in instructions("ENV"):
        env.update(pair.split("=", 1) for pair in shlex.split(line))
    return env


def test_the_image_runs_as_its_own_user_with_an_exec_form_healthcheck_and_volumes():
    assert instructions("USER") == ["receiver"]
    assert "--uid 10001" in " ".join(instructions("RUN"))
    assert json.loads(instructions("CMD")[-1]) == ["python", "-m", "comment_receiver", "serve"]
    healthcheck = instructions("HEALTHCHECK")[0]
    assert json.loads(healthcheck.split(" CMD ", 1)[1])[0] == "python"  # exec form (hadolint DL3025)
    volumes = json.loads(instructions("VOLUME")[0])
    env = image_env()
    for setting in ("COMMENTS_QUEUE", "RECEIVER_PUBLISH_STATE", "RECEIVER_INBOX_DIR", "RECEIVER_MODERATORS", "COMMENTS_CONTENT"):
        assert any(env[setting].startswith(volume + "/") for volume in volumes), setting
    assert "git" in " ".join(instructions("RUN")) and "requirements-receiver.txt" in " ".join(instructions("COPY"))


@pytest.fixture
def image_root():
    """A folder other users may enter (pytest's own are private to root), standing in for /."""
    if os.geteuid() != 0 or shutil.which("setpriv") is None:
        pytest.skip("running the image's CMD as uid 10001 needs root and setpriv (util-linux)")
    root = Path(tempfile.mkdtemp(prefix="receiver-image-", dir="/tmp"))
    root.chmod(0o755)
    try:
        yield root
    finally:
        shutil.rmtree(root, ignore_errors=True)


def image_python() -> str:
    """A Python 3.11 the image's user may run: the test's own may live in root's home."""
    candidates = [c for c in ("/usr/bin/python3.11", "/usr/local/bin/python3.11") if os.access(c, os.X_OK)]
    if not candidates:
        pytest.skip("needs a system-wide Python 3.11 (Debian's python3 and python3-venv)")
    return candidates[0]


def as_image_user(command: list[str]) -> list[str]:
    return ["setpriv", f"--reuid={IMAGE_UID}", f"--regid={IMAGE_UID}", "--clear-groups", *command]


def lay_out_image(root: Path) -> tuple[Path, dict[str, str]]:
    """/app with the COPY lines and a virtualenv of requirements-receiver.txt only; /data
    owned by the image's user; the image's ENV with its paths moved under ``root``."""
    app = root / "app"
    app.mkdir()
    for source, _ in re.findall(r"^COPY\s+(\S+)\s+/app/(\S+)\s*$", CONTAINERFILE.read_text(encoding="utf-8"), re.M):
        copy = shutil.copytree if (ROOT / source).is_dir() else shutil.copy
        copy(ROOT / source, app / source, **({"ignore": shutil.ignore_patterns("__pycache__")} if (ROOT / source).is_dir() else {}))
    venv = root / "venv"
    subprocess.run([image_python(), "-m", "venv", str(venv)], check=True)
    installed = subprocess.run([str(venv / "bin" / "pip"), "install", "-q", "--no-deps", "-r", str(app / "requirements-receiver.txt")],
                               capture_output=True, text=True)
    assert installed.returncode == 0, installed.stderr
    env = {name: value.replace("/data", str(root / "data")) for name, value in image_env().items()}
    env["PATH"] = f"{venv / 'bin'}:/usr/bin:/bin"
    for name in ("COMMENTS_QUEUE", "RECEIVER_PUBLISH_STATE", "RECEIVER_INBOX_DIR"):
        Path(env[name]).mkdir(parents=True, exist_ok=True)
    return app, env


def test_the_images_command_serves_logs_in_and_publishes_with_git_as_uid_10001(image_root):
    app, env = lay_out_image(image_root)
    origin = make_origin(image_root / "git")
    clone(origin, image_root / "data" / "site")
    Accounts(Path(env["RECEIVER_MODERATORS"])).set_password(MODERATOR, PASSWORD)
    index = write_index(image_root / "site" / "comments-index.json", SITE_PAGES)
    index.chmod(0o644)  # the site's published index: anyone may read it
    for folder in (image_root / "data", origin):
        subprocess.run(["chown", "-R", f"{IMAGE_UID}:{IMAGE_UID}", str(folder)], check=True)
    port = free_port()
    env.update(RECEIVER_HOST="127.0.0.1", RECEIVER_PORT=str(port), RECEIVER_PUBLISH="git", RECEIVER_SITE_INDEX=str(index),
               RECEIVER_ALLOWED_ORIGINS=SITE_ORIGIN, RECEIVER_SITE_URL=SITE_ORIGIN)
    server = subprocess.Popen(as_image_user(json.loads(instructions("CMD")[-1])), cwd=app, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        try:
            wait_for(lambda: server.poll() is not None or _answers(base + "/healthz"), message="the receiver's /healthz")
        except AssertionError:
            server.terminate()
            raise AssertionError(f"{_answers(base + '/healthz', text=True)}\n{server.communicate(timeout=10)[0]}") from None
        assert server.poll() is None, server.stdout.read()
        with httpx.Client(base_url=base) as client:
            posted = client.post("/comments", data=good_form(slug=SLUG), headers={"Origin": SITE_ORIGIN, "Accept": "application/json"})
            assert posted.status_code == 202, posted.text
            ref = f"{SLUG}/{posted.json()['id']}"
            assert log_in(client).status_code == 303
            token = csrf_of(client.get("/moderate/").text)
            assert client.post("/moderate/act", data={"approve": ref, "csrf": token}).status_code == 303
        assert len(approvals_of(origin, posted.json()["id"])) == 1
        owners = {p.stat().st_uid for p in (image_root / "data").rglob("*")}
        assert owners == {IMAGE_UID}  # everything the receiver wrote is its user's
    finally:
        server.terminate()
        server.wait(timeout=10)
    assert "Traceback" not in server.stdout.read()


def _answers(url: str, text: bool = False):
    try:
        answer = httpx.get(url, timeout=2)
    except httpx.HTTPError as error:
        return str(error) if text else False
    return answer.text if text else answer.status_code == 200


def test_the_unit_file_passes_systemd_analyze_verify(tmp_path):
    """The unit as shipped, its ExecStart interpreter moved to this machine's (verify
    checks that the program exists; the install folder is the operator's)."""
    if shutil.which("systemd-analyze") is None:
        pytest.skip("systemd-analyze is not installed here (no systemd in this container)")
    shipped = (ROOT / "deploy" / "receiver" / "truffles-comments.service").read_text(encoding="utf-8")
    assert "/srv/truffles-comments/site/.venv/bin/python" in shipped
    unit = tmp_path / "truffles-comments.service"
    unit.write_text(shipped.replace("/srv/truffles-comments/site/.venv/bin/python", os.path.realpath(sys.executable)))
    checked = subprocess.run(["systemd-analyze", "verify", str(unit)], capture_output=True, text=True)
    assert checked.returncode == 0 and checked.stderr == "", checked.stderr
