"""Checking a submitted comment form: pure functions, no I/O.

Field names follow Staticman's convention (comment_core/form.py). Every message is our own sentence; none repeats what was sent.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from comment_core import urls
from comment_core.comment_file import (
    ID_PATTERN,
    SLUG_PATTERN,
    Comment,
    CommentFileError,
    clean_metadata_value,
    format_comment,
)
from comment_core.form import (
    CONSENT,
    CONSENT_VALUE,
    HONEYPOT,
    KNOWN_FIELDS,
    MAX_MESSAGE,
    MAX_NAME,
    MAX_WEBSITE,
    MESSAGE,
    NAME,
    PARENT,
    RESERVED_NAMES,
    SLUG,
    WEBSITE,
)
from comment_core.render import BodyRefused, render_body
from comment_core.text import clean_body, clean_name, has_letter, impersonates

# Page slugs the receiver accepts (safe as a folder name and in a URL):
# SLUG_PATTERN, defined with the comment file format and re-exported here.


@dataclass(frozen=True)
class FieldError:
    field: str | None
    message: str

    def as_json(self) -> dict:
        return {"field": self.field, "message": self.message}


class Rejected(Exception):
    """The request cannot be accepted; ``status`` and ``errors`` say why."""

    def __init__(self, status: int, title: str, errors: Sequence[FieldError] = (), headers: Mapping[str, str] | None = None):
        self.status = status
        self.title = title
        self.errors = list(errors) or [FieldError(None, title)]
        self.headers = dict(headers or {})
        self.slug: str | None = None  # the page to link back to, once known to be real
        super().__init__(title)


@dataclass(frozen=True)
class Submission:
    slug: str
    author: str
    body: str
    website: str | None = None
    replyto: str | None = None
    extra: dict = field(default_factory=dict, compare=False)

    def to_comment(self, comment_id: str, date: _dt.datetime) -> Comment:
        return Comment(
            id=comment_id,
            slug=self.slug,
            author=self.author,
            date=date,
            body=self.body,
            replyto=self.replyto,
            website=self.website,
        )


def _single(form: Mapping[str, Sequence[str]], name: str) -> str:
    values = form.get(name, [])
    if len(values) > 1:
        raise Rejected(400, "The form sent a field more than once", [FieldError(name, f"The field {name} was sent more than once.")])
    return values[0] if values else ""


def _name_errors(author: str) -> list[FieldError]:
    if not author:
        return [FieldError(NAME, "Please enter your name (a first name or a nickname is fine).")]
    if len(author) > MAX_NAME:
        return [FieldError(NAME, f"Your name is {len(author)} characters long; please keep it to {MAX_NAME} characters.")]
    if not has_letter(author):
        return [FieldError(NAME, "Your name needs at least one letter; symbols or invisible characters alone cannot be shown as a name.")]
    taken = impersonates(author, RESERVED_NAMES)
    if taken:
        return [FieldError(NAME, f"Please sign with your own name: \"{taken}\" is used by the site itself.")]
    return []


def _body_errors(body: str) -> list[FieldError]:
    if not body:
        return [FieldError(MESSAGE, "Please write your comment.")]
    if len(body) > MAX_MESSAGE:
        return [FieldError(MESSAGE, f"Your comment is {len(body):,} characters long; please shorten it to {MAX_MESSAGE:,} characters.")]
    try:
        render_body(body)  # the build renders it the same way; refuse now what it would refuse
    except BodyRefused as refused:
        return [FieldError(MESSAGE, str(refused))]
    return []


def validate(form: Mapping[str, Sequence[str]], find_page: Callable[[str], object | None]) -> Submission:  # noqa: C901 - one branch per form field, all errors reported at once
    """Check a submitted form. ``form`` maps field names to every value sent;
    ``find_page(slug)`` returns the site index entry of a page or None.

    Returns a :class:`Submission` or raises :class:`Rejected`.
    """
    values = {name: _single(form, name) for name in KNOWN_FIELDS}

    if values[HONEYPOT].strip():
        raise Rejected(
            400,
            "This looks like an automated submission",
            [FieldError(None, "A field that people never see was filled in, so the comment was not accepted. "
                              "If you are a person, please reload the page and write your comment again.")],
        )

    slug = values[SLUG].strip()
    if not slug or not SLUG_PATTERN.fullmatch(slug):
        raise Rejected(
            400,
            "The form did not say which page the comment is for",
            [FieldError(SLUG, "The form did not say which page the comment is for. Reload the page and try again.")],
        )
    page = find_page(slug)
    if page is None:
        raise Rejected(
            404,
            "The page this comment is for does not exist",
            [FieldError(SLUG, "The page this comment is for does not exist on the site (any more).")],
        )
    mode = getattr(page, "comments", "open")
    if mode != "open":
        title = "Comments are closed on this page" if mode == "closed" else "This page does not take comments"
        rejected = Rejected(403, title, [FieldError(SLUG, title + ".")])
        rejected.slug = slug
        raise rejected

    errors: list[FieldError] = []
    author = clean_name(values[NAME])
    errors.extend(_name_errors(author))

    body = clean_body(values[MESSAGE])
    errors.extend(_body_errors(body))

    website = clean_metadata_value(values[WEBSITE]) or None
    if website is not None:
        if len(website) > MAX_WEBSITE:
            errors.append(FieldError(WEBSITE, f"The website address is too long; at most {MAX_WEBSITE} characters, please."))
        elif urls.web_url(website) is None:
            errors.append(
                FieldError(
                    WEBSITE,
                    "The website must be a full address starting with http:// or https://, "
                    "such as https://example.org, or be left empty.",
                )
            )

    if values[CONSENT].strip() != CONSENT_VALUE:
        errors.append(
            FieldError(
                CONSENT,
                "Please tick the box to agree that your name, comment and website (if given) are "
                "stored and, once a moderator approves it, published on this page.",
            )
        )

    replyto = values[PARENT].strip() or None
    if replyto is not None and (not ID_PATTERN.fullmatch(replyto) or replyto not in getattr(page, "comment_ids", ())):
        errors.append(
            FieldError(
                PARENT,
                "The comment you are replying to is not on this page (it may have been removed). "
                "Reload the page and reply again, or write a new comment.",
            )
        )

    submission = Submission(slug=slug, author=author, body=body, website=website, replyto=replyto)
    if not errors:
        # The one definition of the file format decides what can be stored
        # (e.g. its byte limit, which emoji-heavy text can reach first).
        probe = submission.to_comment("probe", _dt.datetime(2000, 1, 1, tzinfo=_dt.UTC))
        try:
            format_comment(probe)
        except CommentFileError:
            errors.append(FieldError(MESSAGE, "Your comment is too long to be stored; please shorten it."))
    if errors:
        rejected = Rejected(422, "Please correct the form", errors)
        rejected.slug = slug
        raise rejected
    return submission
