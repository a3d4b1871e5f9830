"""The receiver: a Starlette application run by uvicorn.

Routes
------
``POST /comments``          a comment form (Staticman field names); answers
                            ``303`` to the thank-you page (browsers) or ``202``
                            ``{"status": "pending", "id": ...}`` (``Accept:
                            application/json``), or a 4xx naming every problem.
``OPTIONS /comments``       CORS preflight (Starlette's CORSMiddleware), for the optional script only.
``GET /comments/thanks``    "Thank you, your comment is awaiting moderation",
                            linking back to the page (``?page=<slug>``) or,
                            after a reply, to the comment answered
                            (``&comment=<id>``).
``GET /healthz``            ``{"status": "ok"}`` when the queue is writable and
                            the site index readable, else 503 (for probes).
``/moderate/``              the moderators' inbox (:mod:`comment_receiver.inbox`).

Checks, in this order, each answered without writing anything: ``Origin``
(403), rate limit per client IP (429 + ``Retry-After``), content type (415), body
size (413, before the body is read when ``Content-Length`` says so), form
syntax (400), honeypot (400), page (400/404/403), fields (422). Then the comment
is written atomically into ``<queue>/<slug>/<id>.md`` with the format module,
and only then is success answered.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as _dt
import logging
import math
import os
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import unquote_to_bytes, urlsplit

from limits import parse_many
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.formparsers import FormParser, MultiPartException, MultiPartParser
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import ClientDisconnect, Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from comment_core import csp
from comment_core.comment_file import (
    ID_PATTERN,
    MAX_COMMENT_BYTES,
    CommentFileError,
    new_comment_id,
    remove_stale_temp_files,
    write_comment_atomic,
)

from . import inbox, pages
from .publish import start_publish_worker
from .settings import Settings, SettingsError, normalize_origin
from .site_index import SiteIndex, SiteIndexError
from .validation import SLUG_PATTERN, FieldError, Rejected, Submission, validate

logger = logging.getLogger("comment_receiver")
access_logger = logging.getLogger("comment_receiver.access")

ENDPOINT = "/comments"
THANKS = "/comments/thanks"
HEALTH = "/healthz"
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
MAX_FORM_FIELDS = 50
WRITE_ATTEMPTS = 5


class Receiver:
    """Everything one running receiver holds: settings, index, rate limiter."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self.index = SiteIndex(settings.site_index, ttl=settings.site_index_ttl)
        self.allowed_origins = frozenset(settings.allowed_origins)
        self.limits = parse_many(settings.rate_limit)
        self.limiter = MovingWindowRateLimiter(storage_from_string(settings.rate_limit_storage))
        self._memory_storage = settings.rate_limit_storage.startswith("memory://")
        #: Called with (comment id, client address) once a comment is stored;
        #: they must be quick and must not raise (the inbox's flags and notices).
        self.arrival_listeners: list[Callable[[str, str], None]] = []

    # --- rate limiting ------------------------------------------------------
    async def check_rate(self, client: str) -> None:
        for item in self.limits:
            if self._memory_storage:  # microseconds, in memory: no thread needed
                allowed = self.limiter.hit(item, "comment", client)
            else:
                allowed = await run_in_threadpool(self.limiter.hit, item, "comment", client)
            if not allowed:
                stats = self.limiter.get_window_stats(item, "comment", client)
                retry = max(1, math.ceil(stats.reset_time - time.time()))
                raise Rejected(
                    429,
                    "Too many comments sent from your connection",
                    [FieldError(None, f"Too many comments were sent from your connection. Please wait {retry} "
                                      f"second{'s' if retry != 1 else ''} and send it again.")],
                    headers={"Retry-After": str(retry)},
                )

    # --- origin ---------------------------------------------------------------
    def origin_of(self, request: Request) -> str | None:
        """The request's Origin header, or the origin of its Referer when absent."""
        origin = request.headers.get("origin")
        if origin is None:
            referer = request.headers.get("referer")
            if referer:
                parts = urlsplit(referer)
                if parts.scheme and parts.netloc:
                    origin = f"{parts.scheme}://{parts.netloc}"
        if origin is None or origin.strip() == "null":
            return None
        try:
            return normalize_origin(origin)
        except SettingsError:
            return None

    def allowed(self, request: Request) -> str | None:
        origin = self.origin_of(request)
        return origin if origin in self.allowed_origins else None

    # --- pages ------------------------------------------------------------------
    async def page_link(self, slug: str | None) -> tuple[str | None, str | None]:
        """(absolute URL, title) of a page in the index, for links back."""
        if slug:
            try:
                page = (await run_in_threadpool(self.index.pages)).get(slug)
            except SiteIndexError:
                page = None
            if page is not None:
                return page.absolute_url(self.settings.site_url), page.title or None
        return None, None


def wants_json(request: Request) -> bool:
    """True when the client prefers JSON over HTML (``Accept: application/json``)."""
    best = {"application/json": 0.0, "text/html": 0.0}
    for item in request.headers.get("accept", "").split(","):
        media, _, params = item.strip().partition(";")
        media = media.strip().lower()
        if media not in best:
            continue
        q = 1.0
        for param in params.split(";"):
            key, _, value = param.strip().partition("=")
            if key.strip() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        best[media] = max(best[media], q)
    return best["application/json"] > best["text/html"]


def _client_key(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def _receiver(request: Request) -> Receiver:
    return request.app.state.receiver


async def rejection_response(request: Request, rejected: Rejected) -> Response:
    receiver = _receiver(request)
    headers = rejected.headers
    if wants_json(request):
        body = {
            "status": "error",
            "code": rejected.status,
            "title": rejected.title,
            "errors": [e.as_json() for e in rejected.errors],
        }
        return JSONResponse(body, status_code=rejected.status, headers=headers)
    url, title = await receiver.page_link(rejected.slug)
    if url is None:
        url, title = receiver.settings.site_url + "/", None
    html = pages.error_page(rejected.status, rejected.title, [e.message for e in rejected.errors], url, title)
    return HTMLResponse(html, status_code=rejected.status, headers=headers)


# --- request handling ---------------------------------------------------------


async def read_body(request: Request, limit: int, seconds: float) -> bytes:
    """The body, refusing (413) as soon as it is known to be over ``limit``,
    and (408) when it has not all arrived within ``seconds``."""
    too_large = Rejected(
        413,
        "The comment is too large",
        [FieldError(None, "What was sent is larger than a comment can be. Please shorten your comment.")],
    )
    declared = request.headers.get("content-length")
    if declared is not None:
        try:
            if int(declared) > limit:
                raise too_large
        except ValueError:
            raise Rejected(400, "The request could not be read") from None
    chunks: list[bytes] = []
    size = 0
    try:
        async with asyncio.timeout(seconds):  # a stalled sender must not hold the request
            async for chunk in request.stream():
                size += len(chunk)
                if size > limit:
                    raise too_large
                chunks.append(chunk)
    except TimeoutError:
        raise Rejected(
            408,
            "The comment took too long to arrive",
            [FieldError(None, "The comment took too long to arrive. Please check your connection and send it again.")],
        ) from None
    return b"".join(chunks)


def check_charset(headers: Headers, body: bytes, media_type: str) -> None:
    """Refuse (400) a form that is not UTF-8, rather than let the parser guess
    Latin-1 and store mojibake."""
    not_utf8 = Rejected(
        400,
        "The form was not sent as UTF-8 text",
        [FieldError(None, "The comment could not be read as UTF-8 text. Please send it with the form on the page.")],
    )
    charset = "utf-8"
    for param in headers.get("content-type", "").split(";")[1:]:
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset":
            charset = value.strip().strip('"').lower()
    if charset not in ("utf-8", "utf8"):
        raise not_utf8
    try:
        if media_type == "multipart/form-data":
            body.decode("utf-8")  # no files are accepted: every byte is text
            return
        if not body.isascii():  # a browser percent-encodes everything else
            raise not_utf8
        for pair in body.split(b"&"):
            unquote_to_bytes(pair.replace(b"+", b" ")).decode("utf-8")
    except UnicodeDecodeError:
        raise not_utf8 from None


async def parse_form(headers: Headers, body: bytes, media_type: str, limit: int) -> dict[str, list[str]]:
    check_charset(headers, body, media_type)

    async def stream():
        yield body
        yield b""

    unreadable = Rejected(400, "The form data could not be read")
    try:
        if media_type == "multipart/form-data":
            parser: Any = MultiPartParser(
                headers, stream(), max_files=0, max_fields=MAX_FORM_FIELDS, max_part_size=limit
            )
        else:
            parser = FormParser(headers, stream(), max_fields=MAX_FORM_FIELDS, max_part_size=limit)
        form = await parser.parse()
    except (MultiPartException, HTTPException, ValueError, UnicodeDecodeError):
        raise unreadable from None
    try:
        result: dict[str, list[str]] = {}
        for key, value in form.multi_items():
            if not isinstance(value, str):
                raise Rejected(400, "Files cannot be attached to a comment")
            result.setdefault(key, []).append(value)
        return result
    finally:
        await form.close()


async def post_comment(request: Request) -> Response:
    receiver = _receiver(request)
    settings = receiver.settings
    try:
        # Origin first: a foreign page making visitors' browsers post here must
        # not use up their rate limit (and costs us nothing: no body is read).
        if receiver.allowed(request) is None:
            raise Rejected(
                403,
                "Comments can only be sent from the site’s own pages",
                [FieldError(None, "This form can only be sent from a page of the site. Open the page and send your comment from there.")],
            )
        await receiver.check_rate(_client_key(request))
        media_type = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
        if media_type not in FORM_TYPES:
            raise Rejected(415, "The comment was not sent as a form",
                           [FieldError(None, "Comments must be sent with the comment form (as form data).")])
        body = await read_body(request, settings.max_body_bytes, settings.body_timeout)
        form = await parse_form(request.headers, body, media_type, settings.max_body_bytes)
        try:
            pages_now = await run_in_threadpool(receiver.index.pages)
        except SiteIndexError as exc:
            logger.error("site index unavailable: %s", exc)
            raise Rejected(
                503,
                "Comments cannot be received right now",
                [FieldError(None, "Comments cannot be received right now. Please try again later.")],
                headers={"Retry-After": "120"},
            ) from None
        submission = validate(form, pages_now.get)
        comment_id = await store(receiver, submission)
    except Rejected as rejected:
        return await rejection_response(request, rejected)
    except ClientDisconnect:
        return Response(status_code=400)
    request.state.comment_id = comment_id
    for listener in receiver.arrival_listeners:
        listener(comment_id, _client_key(request))
    if wants_json(request):
        return JSONResponse(
            {
                "status": "pending",
                "id": comment_id,
                "slug": submission.slug,
                "message": "Thank you, your comment is awaiting moderation.",
            },
            status_code=202,
        )
    location = request.scope.get("root_path", "") + THANKS + "?page=" + submission.slug
    if submission.replyto:  # a reply: "Back to" leads to the comment answered
        location += "&comment=" + submission.replyto
    return RedirectResponse(location, status_code=303)


async def store(receiver: Receiver, submission: Submission) -> str:
    """Write the comment into the queue; return its id only once it is durable."""
    directory = receiver.settings.queue_dir / submission.slug
    now = _dt.datetime.now(_dt.UTC).replace(microsecond=0)
    for _ in range(WRITE_ATTEMPTS):
        comment_id = new_comment_id(now)
        comment = submission.to_comment(comment_id, now)
        try:
            await run_in_threadpool(write_comment_atomic, directory, comment)
        except FileExistsError:
            continue  # 32 random bits collided: draw another id
        except (OSError, CommentFileError) as exc:
            logger.error("could not write a comment for page %s into %s: %s", submission.slug, directory, exc)
            break
        return comment_id
    rejected = Rejected(
        503,
        "Your comment could not be saved",
        [FieldError(None, "Your comment could not be saved because of a problem on our side. Please try again later.")],
        headers={"Retry-After": "120"},
    )
    rejected.slug = submission.slug  # the error page links back to the page
    raise rejected


async def thanks(request: Request) -> Response:
    receiver = _receiver(request)
    slug = request.query_params.get("page", "")
    url, title = await receiver.page_link(slug if SLUG_PATTERN.fullmatch(slug) else None)
    comment = request.query_params.get("comment", "")
    if url is None:
        url, title = receiver.settings.site_url + "/", None
    elif ID_PATTERN.fullmatch(comment):
        url += "#comment-" + comment
    return HTMLResponse(pages.thank_you(url, title))


#: Free space below which /healthz reports the queue as unable to take comments.
MIN_FREE_BYTES = 10 * MAX_COMMENT_BYTES


def _queue_write_problems(queue) -> list[str]:
    """Whether a comment could be written now, found without writing one (a
    probe runs every few seconds): os.access said the folder is writable (a
    read-only mount included); a full disk passes it, so ask statvfs."""
    try:
        stats = os.statvfs(queue)
    except OSError as exc:
        return [f"the moderation queue cannot be examined ({exc.strerror or exc})"]
    if stats.f_bavail * stats.f_frsize < MIN_FREE_BYTES:
        return ["the moderation queue's disk is full"]
    return []


async def health(request: Request) -> Response:
    receiver = _receiver(request)
    problems = []
    queue = receiver.settings.queue_dir
    if not (queue.is_dir() and os.access(queue, os.W_OK | os.X_OK)):
        problems.append("the moderation queue is not a writable folder")
    else:
        problems.extend(await run_in_threadpool(_queue_write_problems, queue))
    try:
        await run_in_threadpool(receiver.index.pages)
    except SiteIndexError:
        problems.append("the site index cannot be read")
    if problems:
        return JSONResponse({"status": "unavailable", "problems": problems}, status_code=503)
    return JSONResponse({"status": "ok"})


# --- errors outside the endpoint (404, 405, 500) ----------------------------------


_HTTP_TITLES = {
    404: ("Page not found", "There is nothing at this address of the comment service."),
    405: ("This address only receives comments", "Comments are sent here by the comment form on the site's pages."),
}


async def http_error(request: Request, exc: HTTPException) -> Response:
    title, text = _HTTP_TITLES.get(exc.status_code, ("Request not accepted", "The request could not be handled."))
    headers = dict(exc.headers or {})
    if wants_json(request):
        return JSONResponse(
            {"status": "error", "code": exc.status_code, "title": title, "errors": [{"field": None, "message": text}]},
            status_code=exc.status_code,
            headers=headers,
        )
    link = _receiver(request).settings.site_url + "/"
    return HTMLResponse(pages.status_page(title, text, link), status_code=exc.status_code, headers=headers)


async def server_error(request: Request, exc: Exception) -> Response:
    logger.exception("unexpected error on %s %s", request.method, request.url.path)
    text = "Something went wrong on our side and your comment was not saved. Please try again later."
    if wants_json(request):
        return JSONResponse(
            {"status": "error", "code": 500, "title": "Server error", "errors": [{"field": None, "message": text}]},
            status_code=500,
        )
    return HTMLResponse(pages.status_page("Something went wrong", text), status_code=500)


# --- middleware -------------------------------------------------------------------------


# The receiver's answers hold nothing a referrer should carry anywhere.
SECURITY_HEADERS = [
    (name.lower().encode("ascii"), value.encode("ascii"))
    for name, value in {
        **csp.response_headers(pages.CONTENT_DIRECTIVES, Referrer_Policy="no-referrer"),
        "Cache-Control": "no-store",
    }.items()
]


class AccessLogAndHeaders:
    """One log line per request (method, path, status, duration, comment id:
    never the comment, never the client's address) and the security headers
    every answer carries."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = [500]
        state = scope.setdefault("state", {})

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                status[0] = message["status"]
                present = {name.lower() for name, _ in message.get("headers", [])}
                extra = [(n, v) for n, v in SECURITY_HEADERS if n not in present]
                message = {**message, "headers": list(message.get("headers", [])) + extra}
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        finally:
            duration = (time.perf_counter() - started) * 1000
            comment_id = state.get("comment_id") if isinstance(state, dict) else None
            access_logger.info(
                "%s %s %d %.1fms%s",
                scope.get("method", "-"),
                scope.get("path", "-"),
                status[0],
                duration,
                f" id={comment_id}" if comment_id else "",
            )


# --- the application ----------------------------------------------------------------------


def create_app(settings: Settings | None = None) -> Starlette:
    """The receiver application for ``settings`` (see load_settings). Serve it
    with ``python -m comment_receiver serve`` (comment_receiver.server): a
    bare ``uvicorn --factory comment_receiver.app:create_app`` would trust
    uvicorn's own proxy defaults and have no header timeout, so that form is
    refused with a message rather than run unprotected."""
    if settings is None:
        raise RuntimeError(
            "start the comment receiver with `python -m comment_receiver serve` (or `make serve`); "
            "it applies RECEIVER_FORWARDED_ALLOW_IPS, the header and body timeouts and the "
            "connection limit, which a bare `uvicorn --factory` does not"
        )
    # Whatever server runs the app, uvicorn's access log (client addresses) stays off.
    logging.getLogger("uvicorn.access").disabled = True
    receiver = Receiver(settings)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette):
        settings.queue_dir.mkdir(parents=True, exist_ok=True)
        if not os.access(settings.queue_dir, os.W_OK | os.X_OK):
            raise RuntimeError(f"COMMENTS_QUEUE {settings.queue_dir} is not writable by this user")
        # Temporary files of writes cut short by a kill never held an accepted
        # comment; only old ones go, so a concurrent receiver's write survives.
        removed = await run_in_threadpool(remove_stale_temp_files, settings.queue_dir, settings.stale_temp_age)
        logger.info(
            "removed %d leftover temporary file(s) older than %ds from %s",
            removed, settings.stale_temp_age, settings.queue_dir,
        )
        try:
            count = len(await run_in_threadpool(receiver.index.pages))
            logger.info("site index %s: %d pages", settings.site_index, count)
        except SiteIndexError as exc:
            logger.warning("site index not usable yet (comments are refused until it is): %s", exc)
        logger.info(
            "receiving comments into %s; allowed origins: %s; rate limit %s per client",
            settings.queue_dir,
            " ".join(settings.allowed_origins),
            settings.rate_limit,
        )
        # In git mode, approvals not pushed yet are retried in the background;
        # app.state.publish_worker.wake() asks for a retry now.
        worker = app.state.publish_worker = start_publish_worker(settings)
        try:
            yield
        finally:
            if worker is not None:
                await run_in_threadpool(worker.stop)

    app = Starlette(
        routes=[
            Route(ENDPOINT, post_comment, methods=["POST"]),
            Route(THANKS, thanks, methods=["GET"], name="thanks"),
            Route(HEALTH, health, methods=["GET"]),
        ],
        middleware=[
            Middleware(AccessLogAndHeaders),
            # For the optional script only: it reads the JSON answers. No
            # credentials, so no inbox answer is ever readable from the site.
            # CORS does not refuse simple POSTs: post_comment's Origin check does.
            Middleware(CORSMiddleware, allow_origins=settings.allowed_origins, allow_methods=["POST"],
                       allow_headers=["Accept", "Content-Type"], max_age=600),
        ],
        exception_handlers={HTTPException: http_error, Exception: server_error},
        lifespan=lifespan,
    )
    app.state.receiver = receiver
    inbox.install(app, receiver)
    return app
