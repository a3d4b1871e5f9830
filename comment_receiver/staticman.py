"""Convert comments collected by Staticman into our comment files.

Staticman writes one data file per comment (``format: yml`` in staticman.yml;
``json`` is read too) with the submitted ``fields`` plus ``_id`` (its uuid),
``_parent`` (``options[parent]``) and the generated ``date``. It cannot write
our ``Key: value`` metadata format itself (its ``frontmatter`` format puts YAML
between ``---`` lines, which Pelican's Markdown reader does not read), so this
converter is the bridge:

====================  ==========================================================
Staticman field       our comment file
====================  ==========================================================
``name``              ``Author`` (line breaks and control characters removed)
``message``           the body (Markdown)
``date``              ``Date``: unix seconds, unix milliseconds, ISO 8601, or a
                      YAML timestamp; without an offset, UTC
``_id``               the comment id (file name); a uuid is a valid id
``_parent``           ``Replyto`` when it names another imported or published
                      comment of the same page; otherwise the comment is
                      imported as a new thread and a warning says so
``website``/``url``   ``Website`` when it is an http(s) address (else dropped,
                      with a warning)
``email`` and others  not imported (we store no e-mail addresses)
====================  ==========================================================

The page slug is the name of the folder holding the files
(``staticman.yml`` writes ``staticman/comments/{options.slug}/``), or ``--slug``.
Everything is checked first; if any file has a problem, nothing is written.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import json
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from comment_core.comment_file import (
    COMMENT_SUFFIX,
    ID_PATTERN,
    MAX_COMMENT_BYTES,
    MAX_METADATA_CHARS,
    Comment,
    CommentFileError,
    clean_metadata_value,
    date_range_problem,
    format_comment,
    parse_date,
    read_comment,
    write_comment_atomic,
)
from comment_core.replies import CheckResult, check_replies

from comment_core.text import clean_body, clean_name, name_problems

from .validation import SLUG_PATTERN, valid_website

SUFFIXES = (".yml", ".yaml", ".json")


@dataclass
class ImportPlan:
    comments: list[Comment] = field(default_factory=list)
    already_there: list[Comment] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


#: Largest Staticman file read: a comment plus room for Staticman's fields.
MAX_FILE_BYTES = 4 * MAX_COMMENT_BYTES


class _NoAliasLoader(yaml.SafeLoader):
    """YAML without anchors and aliases: Staticman never writes them, and a few
    hundred bytes of nested aliases expand to gigabytes."""

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            mark = self.peek_event().start_mark
            raise yaml.composer.ComposerError(None, None, "YAML aliases (*name) are not accepted", mark)
        return super().compose_node(parent, index)


class _Unreadable(Exception):
    """A file that cannot be read as Staticman data; the message says why."""


def _load(path: Path) -> object:
    if not path.is_file() or path.is_symlink():
        raise _Unreadable("is not a regular file (links and special files are not imported)")
    if path.stat().st_size > MAX_FILE_BYTES:
        raise _Unreadable(f"is larger than {MAX_FILE_BYTES:,} bytes, too large for one comment")
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".json":
        return json.loads(text)
    return yaml.load(text, Loader=_NoAliasLoader)  # noqa: S506 - a SafeLoader subclass


def _date(value: object) -> _dt.datetime:
    if isinstance(value, bool):
        raise ValueError("is not a date")
    if isinstance(value, (int, float)) or (isinstance(value, str) and value.strip().isdigit()):
        number = float(value)
        if number > 1e11:  # Staticman's "timestamp" format: milliseconds
            number /= 1000
        try:
            result = _dt.datetime.fromtimestamp(number, _dt.timezone.utc)
        except (OverflowError, OSError, ValueError):
            raise ValueError(f"{value!r} is not a representable date") from None
    elif isinstance(value, _dt.datetime):
        result = value if value.utcoffset() is not None else value.replace(tzinfo=_dt.timezone.utc)
    elif isinstance(value, _dt.date):
        result = _dt.datetime(value.year, value.month, value.day, tzinfo=_dt.timezone.utc)
    elif isinstance(value, str) and value.strip():
        result = parse_date(value.strip(), "UTC")
    else:
        raise ValueError("is missing")
    problem = date_range_problem(result)
    if problem:
        raise ValueError(problem.removeprefix("the Date "))
    return result.replace(microsecond=0)


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, (str, int)) and not isinstance(value, bool):
        return str(value)
    raise ValueError("is not text")


def _structured_fields(data: dict) -> list[str]:
    """A problem for each field holding a list or mapping: Staticman writes
    one scalar per field, so anything else is not its data."""
    return [
        f"{key} is a {type(value).__name__}, not text; Staticman writes one value per field"
        for key, value in data.items()
        if isinstance(value, (dict, list, tuple, set))
    ]


def plan_import(source: Path, destination: Path, slug: str | None = None) -> ImportPlan:
    """Read every Staticman file under ``source`` and decide what to write into
    ``destination/<slug>/``; writes nothing."""
    plan = ImportPlan()
    source = Path(source)
    if not source.is_dir():
        plan.problems.append(f"{source}: not a folder")
        return plan
    groups: dict[str, list[Path]] = {}
    loose = sorted(p for p in source.iterdir() if (p.is_file() or p.is_symlink()) and p.suffix in SUFFIXES)
    if slug is not None:
        if not SLUG_PATTERN.fullmatch(slug):
            plan.problems.append(f"--slug {slug!r} is not a page slug (letters, digits, '-' and '_')")
            return plan
        groups[slug] = loose
    else:
        if loose:
            plan.problems.append(
                f"{source}: has comment files directly inside it; pass --slug SLUG to say which page they "
                "belong to, or give the folder that holds one sub-folder per page"
            )
        for folder in sorted(p for p in source.iterdir() if p.is_dir() and not p.name.startswith(".")):
            if folder.is_symlink():
                plan.problems.append(f"{folder}: is a link to a folder; links are not followed - copy the folder itself")
                continue
            if not SLUG_PATTERN.fullmatch(folder.name):
                plan.problems.append(f"{folder}: folder name is not a page slug (letters, digits, '-' and '_')")
                continue
            groups[folder.name] = sorted(
                p for p in folder.iterdir() if (p.is_file() or p.is_symlink()) and p.suffix in SUFFIXES
            )
    if not any(groups.values()) and not plan.problems:
        plan.problems.append(f"{source}: no Staticman files (*.yml, *.yaml, *.json) found")

    for page_slug, paths in groups.items():
        raw: list[tuple[Path, dict]] = []
        for path in paths:
            try:
                data = _load(path)
            except _Unreadable as exc:
                plan.problems.append(f"{path}: {exc}")
                continue
            except (OSError, UnicodeDecodeError, yaml.YAMLError, json.JSONDecodeError, RecursionError) as exc:
                plan.problems.append(f"{path}: cannot be read as Staticman data ({type(exc).__name__})")
                continue
            if not isinstance(data, dict):
                plan.problems.append(f"{path}: expected a mapping of fields (name, message, date, _id...)")
                continue
            structured = _structured_fields(data)
            if structured:
                plan.problems.extend(f"{path}: {problem}" for problem in structured)
                continue
            raw.append((path, data))
        # The comment id of each file (its _id, else its file name), or None
        # when _id is not text (reported with that file's other problems).
        file_ids: dict[Path, str | None] = {}
        for path, data in raw:
            try:
                file_ids[path] = _text(data.get("_id")).strip() or path.stem
            except ValueError:
                file_ids[path] = None
        ids_here = {cid for cid in file_ids.values() if cid is not None}
        files_by_id: dict[str, list[Path]] = {}
        for path, cid in file_ids.items():
            if cid is not None:
                files_by_id.setdefault(cid, []).append(path)
        published_dir = destination / page_slug
        page_comments: dict[str, Comment] = {}
        for path, data in raw:
            problems: list[str] = []
            comment_id = file_ids[path]
            if comment_id is None:
                comment_id = path.stem
                problems.append(
                    f"_id is a {type(data.get('_id')).__name__}, not text; give the comment id as one "
                    "word (letters, digits, '-' and '_')"
                )
            elif not ID_PATTERN.fullmatch(comment_id):
                problems.append("_id is not usable as a comment id (letters, digits, '-' and '_', at most 80)")
            elif len(files_by_id[comment_id]) > 1:
                others = ", ".join(p.name for p in files_by_id[comment_id] if p != path)
                problems.append(
                    f"comment id {comment_id!r} (its _id, or file name without one) is also the id of {others}; "
                    "each comment of a page needs its own id - remove the duplicate or change one _id"
                )
            try:
                author = clean_name(_text(data.get("name")))
            except ValueError:
                author = ""
            if not author:
                problems.append("'name' is missing or empty")
            elif len(author) > MAX_METADATA_CHARS:
                problems.append(f"'name' is longer than {MAX_METADATA_CHARS} characters")
            else:
                problems.extend(f"'name' {p}" for p in name_problems(author))
            try:
                body = clean_body(_text(data.get("message")))
            except ValueError:
                body = ""
            if not body:
                problems.append("'message' is missing or empty")
            try:
                date = _date(data.get("date"))
            except ValueError as exc:
                date = None
                problems.append(f"'date' {exc} (expected unix seconds or an ISO 8601 date)")
            website = None
            for key in ("website", "url"):
                value = data.get(key)
                if isinstance(value, str) and value.strip():
                    candidate = clean_metadata_value(value)
                    if valid_website(candidate) and len(candidate) <= MAX_METADATA_CHARS:
                        website = candidate
                    else:
                        plan.warnings.append(f"{path}: '{key}' is not an http(s) address; imported without a website")
                    break
            replyto = None
            parent = data.get("_parent")
            if parent not in (None, ""):
                parent = _text(parent).strip()  # scalars only (checked above)
                if parent != comment_id and ID_PATTERN.fullmatch(parent) and (
                    parent in ids_here or (published_dir / f"{parent}{COMMENT_SUFFIX}").is_file()
                ):
                    replyto = parent
                else:
                    plan.warnings.append(
                        f"{path}: _parent does not name another comment of page {page_slug!r}; imported as a new thread"
                    )
            if problems:
                plan.problems.extend(f"{path}: {p}" for p in problems)
                continue
            comment = Comment(comment_id, page_slug, author, date, body, replyto, website, path)
            try:
                format_comment(comment)
            except CommentFileError as exc:
                plan.problems.extend(f"{path}: {p}" for p in exc.problems)
                continue
            page_comments[comment_id] = comment
            existing = published_dir / f"{comment_id}{COMMENT_SUFFIX}"
            if existing.exists():
                try:
                    same = read_comment(existing) == comment
                except CommentFileError:
                    same = False
                if same:
                    plan.already_there.append(comment)
                else:
                    plan.problems.append(f"{path}: {existing} already exists with different content")
                continue
            plan.comments.append(comment)
        plan.problems.extend(_reply_cycles(page_comments))
    return plan


def _reply_cycles(comments: dict[str, Comment]) -> list[str]:
    """The _parent loops among the importable comments of one page, found by
    the site build's own check (a loop would fail the next build). A parent
    outside this import (already published) cannot close a loop: it is left
    out of the check rather than reported as missing."""
    inside = {
        cid: c if c.replyto is None or c.replyto in comments else dataclasses.replace(c, replyto=None)
        for cid, c in comments.items()
    }
    result = CheckResult()
    check_replies(inside, result)
    return [f"{path}: {message.replace('Replyto', '_parent')}" for path, message in result.problems]


def run_import(plan: ImportPlan, destination: Path) -> list[Path]:
    """Write the planned comments (only call when ``plan.problems`` is empty)."""
    written = []
    for comment in plan.comments:
        written.append(write_comment_atomic(destination / comment.slug, comment))
    return written
