"""The receiver's container image holds every package the receiver imports.

No container engine runs here, so the image is checked the way it is built:
each project package that comment_receiver (service, CLI, inbox, Staticman
import) imports, directly or through another project package, must be copied
by a COPY line of deploy/receiver/Containerfile, and every third-party package
it imports must be pinned in requirements.txt, which the image installs.
"""

from __future__ import annotations

import ast
import re

from tests.support.sitebuild import ROOT

CONTAINERFILE = ROOT / "deploy" / "receiver" / "Containerfile"
PROJECT = {"comment_core", "comment_receiver", "site_tools", "strict_build", "site_assets", "medical_pages",
           "truffles_comments", "site_compression", "parallel_read", "pelicanconf", "publishconf"}


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
              for line in (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines()
              if "==" in line and not line.startswith("#")}
    # Import names that differ from their distribution's name.
    distribution = {"yaml": "pyyaml", "multipart": "python-multipart", "argon2": "argon2-cffi",
                    "confusable_homoglyphs": "confusable-homoglyphs", "dateutil": "python-dateutil"}
    third_party = set()
    for package in project_closure("comment_receiver"):
        third_party |= imported_top_levels(package) - PROJECT - set(sys.stdlib_module_names) - {"__future__"}
    missing = {name for name in third_party if distribution.get(name, name).lower().replace("_", "-") not in pinned}
    assert missing == set()
