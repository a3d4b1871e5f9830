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

from comment_core import urls
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

from .validation import SLUG_PATTERN

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
            result = _dt.datetime.fromtimestamp(number, _dt.UTC)
        except (OverflowError, OSError, ValueError):
            raise ValueError(f"{value!r} is not a representable date") from None
    elif isinstance(value, _dt.datetime):
        result = value if value.utcoffset() is not None else value.replace(tzinfo=_dt.UTC)
    elif isinstance(value, _dt.date):
        result = _dt.datetime(value.year, value.month, value.day, tzinfo=_dt.UTC)
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
    groups = _page_groups(source, slug, plan)
    if groups is None:
        return plan
    if not any(groups.values()) and not plan.problems:
        plan.problems.append(f"{source}: no Staticman files (*.yml, *.yaml, *.json) found")
    for page_slug, paths in groups.items():
        _plan_page(page_slug, paths, Path(destination) / page_slug, plan)
    return plan


def _staticman_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if (p.is_file() or p.is_symlink()) and p.suffix in SUFFIXES)


def _page_groups(source: Path, slug: str | None, plan: ImportPlan) -> dict[str, list[Path]] | None:
    """page slug -> its files: the loose files for ``--slug``, else one sub-folder per page."""
    loose = _staticman_files(source)
    if slug is not None:
        if not SLUG_PATTERN.fullmatch(slug):
            plan.problems.append(f"--slug {slug!r} is not a page slug (letters, digits, '-' and '_')")
            return None
        return {slug: loose}
    if loose:
        plan.problems.append(
            f"{source}: has comment files directly inside it; pass --slug SLUG to say which page they "
            "belong to, or give the folder that holds one sub-folder per page"
        )
    groups: dict[str, list[Path]] = {}
    for folder in sorted(p for p in source.iterdir() if p.is_dir() and not p.name.startswith(".")):
        if folder.is_symlink():
            plan.problems.append(f"{folder}: is a link to a folder; links are not followed - copy the folder itself")
        elif not SLUG_PATTERN.fullmatch(folder.name):
            plan.problems.append(f"{folder}: folder name is not a page slug (letters, digits, '-' and '_')")
        else:
            groups[folder.name] = _staticman_files(folder)
    return groups


def _readable(paths: list[Path], plan: ImportPlan) -> list[tuple[Path, dict]]:
    """(path, fields) of each file that is a mapping of scalar fields."""
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
    return raw


@dataclass
class _Page:
    """What the comments of one page are checked against."""

    slug: str
    published_dir: Path
    #: The comment id of each file (its _id, else its file name), or None
    #: when _id is not text (reported with that file's other problems).
    file_ids: dict[Path, str | None]
    files_by_id: dict[str, list[Path]]

    @property
    def ids(self) -> set[str]:
        return {cid for cid in self.file_ids.values() if cid is not None}


def _page_of(page_slug: str, published_dir: Path, raw: list[tuple[Path, dict]]) -> _Page:
    file_ids: dict[Path, str | None] = {}
    for path, data in raw:
        try:
            file_ids[path] = _text(data.get("_id")).strip() or path.stem
        except ValueError:
            file_ids[path] = None
    files_by_id: dict[str, list[Path]] = {}
    for path, cid in file_ids.items():
        if cid is not None:
            files_by_id.setdefault(cid, []).append(path)
    return _Page(page_slug, published_dir, file_ids, files_by_id)


def _plan_page(page_slug: str, paths: list[Path], published_dir: Path, plan: ImportPlan) -> None:
    raw = _readable(paths, plan)
    page = _page_of(page_slug, published_dir, raw)
    page_comments: dict[str, Comment] = {}
    for path, data in raw:
        comment = _comment_of(path, data, page, plan)
        if comment is not None:
            page_comments[comment.id] = comment
            _place(comment, path, published_dir, plan)
    plan.problems.extend(_reply_cycles(page_comments))


def _comment_of(path: Path, data: dict, page: _Page, plan: ImportPlan) -> Comment | None:
    """The comment one file describes, or None after reporting its problems."""
    comment_id, problems = _comment_id(path, data, page)
    author, author_problems = _author(data)
    body = _body(data)
    problems += author_problems + ([] if body else ["'message' is missing or empty"])
    try:
        date = _date(data.get("date"))
    except ValueError as exc:
        date = None
        problems.append(f"'date' {exc} (expected unix seconds or an ISO 8601 date)")
    website = _website(path, data, plan)
    replyto = _replyto(path, data, comment_id, page, plan)
    if problems:
        plan.problems.extend(f"{path}: {p}" for p in problems)
        return None
    comment = Comment(comment_id, page.slug, author, date, body, replyto, website, path)
    try:
        format_comment(comment)
    except CommentFileError as exc:
        plan.problems.extend(f"{path}: {p}" for p in exc.problems)
        return None
    return comment


def _comment_id(path: Path, data: dict, page: _Page) -> tuple[str, list[str]]:
    comment_id = page.file_ids[path]
    if comment_id is None:
        return path.stem, [
            f"_id is a {type(data.get('_id')).__name__}, not text; give the comment id as one "
            "word (letters, digits, '-' and '_')"
        ]
    if not ID_PATTERN.fullmatch(comment_id):
        return comment_id, ["_id is not usable as a comment id (letters, digits, '-' and '_', at most 80)"]
    if len(page.files_by_id[comment_id]) > 1:
        others = ", ".join(p.name for p in page.files_by_id[comment_id] if p != path)
        return comment_id, [
            f"comment id {comment_id!r} (its _id, or file name without one) is also the id of {others}; "
            "each comment of a page needs its own id - remove the duplicate or change one _id"
        ]
    return comment_id, []


def _author(data: dict) -> tuple[str, list[str]]:
    try:
        author = clean_name(_text(data.get("name")))
    except ValueError:
        author = ""
    if not author:
        return author, ["'name' is missing or empty"]
    if len(author) > MAX_METADATA_CHARS:
        return author, [f"'name' is longer than {MAX_METADATA_CHARS} characters"]
    return author, [f"'name' {p}" for p in name_problems(author)]


def _body(data: dict) -> str:
    try:
        return clean_body(_text(data.get("message")))
    except ValueError:
        return ""


def _website(path: Path, data: dict, plan: ImportPlan) -> str | None:
    for key in ("website", "url"):
        value = data.get(key)
        if isinstance(value, str) and value.strip():
            candidate = clean_metadata_value(value)
            if urls.web_url(candidate) and len(candidate) <= MAX_METADATA_CHARS:
                return candidate
            plan.warnings.append(f"{path}: '{key}' is not an http(s) address; imported without a website")
            return None
    return None


def _replyto(path: Path, data: dict, comment_id: str, page: _Page, plan: ImportPlan) -> str | None:
    parent = data.get("_parent")
    if parent in (None, ""):
        return None
    parent = _text(parent).strip()  # scalars only (checked above)
    if parent != comment_id and ID_PATTERN.fullmatch(parent) and (
        parent in page.ids or (page.published_dir / f"{parent}{COMMENT_SUFFIX}").is_file()
    ):
        return parent
    plan.warnings.append(f"{path}: _parent does not name another comment of page {page.slug!r}; imported as a new thread")
    return None


def _place(comment: Comment, path: Path, published_dir: Path, plan: ImportPlan) -> None:
    """Plan to write the comment, or note that it is already published (or that
    a different comment already has its file name)."""
    existing = published_dir / f"{comment.id}{COMMENT_SUFFIX}"
    if not existing.exists():
        plan.comments.append(comment)
        return
    try:
        same = read_comment(existing) == comment
    except CommentFileError:
        same = False
    if same:
        plan.already_there.append(comment)
    else:
        plan.problems.append(f"{path}: {existing} already exists with different content")


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
