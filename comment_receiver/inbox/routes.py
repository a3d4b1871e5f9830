"""The inbox's pages under /moderate/: login, logout, the list, approve/reject.

Every route answers a login redirect (GET) or 401 (POST) without a session,
and every POST needs the session's CSRF token (else 403, nothing changed).
"""

from __future__ import annotations

import asyncio

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from comment_core.site_index import SiteIndexError

from . import views
from .accounts import ChecksBusy, check_slot
from .auth import CSRF_FIELD, csrf_ok, csrf_token
from .service import Inbox

LOGIN_FAILED = "The name or password is not right."
MAX_FIELDS = 1000


def _inbox(request: Request) -> Inbox:
    return request.app.state.inbox


def _html(body: str, status: int = 200, headers: dict | None = None) -> HTMLResponse:
    return HTMLResponse(body, status_code=status, headers={**views.HEADERS, **(headers or {})})


def _see(path: str) -> Response:
    return RedirectResponse(path, status_code=303, headers=views.HEADERS)


def _client(request: Request) -> str:
    return request.client.host if request.client else "unknown"


async def _form(request: Request) -> dict[str, list[str]]:
    try:
        # The same deadline as a visitor's post: a login body sent a byte at a
        # time must not hold a connection (issue 20: 30 of them for 45 s).
        async with asyncio.timeout(_inbox(request).settings.body_timeout):
            form = await request.form(max_files=0, max_fields=MAX_FIELDS, max_part_size=4096)
    except TimeoutError:
        raise HTTPException(408, "The form took too long to arrive") from None
    try:
        result: dict[str, list[str]] = {}
        for key, value in form.multi_items():
            if isinstance(value, str):
                result.setdefault(key, []).append(value)
        return result
    finally:
        await form.close()


def _one(form: dict[str, list[str]], key: str) -> str:
    values = form.get(key) or [""]
    return values[0]


def _forbidden() -> Response:
    return _html(views.message_page("The form has expired",
                                    "Nothing was changed: the form was not sent from this inbox or is too old. "
                                    "Load the page again and repeat what you did.",
                                    "/moderate/", "Back to the inbox"), 403)


async def login_form(request: Request) -> Response:
    inbox = _inbox(request)
    if inbox.sessions.moderator(request):
        return _see("/moderate/")
    note = "You were logged out." if request.query_params.get("out") == "1" else None
    return _html(views.login_page(csrf_token(request), status_note=note))


async def login(request: Request) -> Response:
    inbox = _inbox(request)
    form = await _form(request)
    if not csrf_ok(request, _one(form, CSRF_FIELD)):
        return _forbidden()
    name, password = _one(form, "name").strip(), _one(form, "password")
    wait = inbox.limiter.retry_after(_client(request))
    if wait is not None:
        text = f"Too many login attempts. Wait {wait} second{'s' if wait != 1 else ''} and try again."
        return _html(views.login_page(csrf_token(request), name, text), 429, {"Retry-After": str(wait)})
    try:
        with check_slot():
            verified = await run_in_threadpool(inbox.accounts.verify, name, password)
    except ChecksBusy:
        text = "Many logins are being checked right now. Wait a few seconds and try again."
        return _html(views.login_page(csrf_token(request), name, text), 429, {"Retry-After": "5"})
    if not verified:
        # A typed name is kept only if it is an account: a password typed into
        # the name field must never reach the log.
        known = name if name in inbox.accounts.all() else "(unknown name)"
        await run_in_threadpool(inbox.audit.write, known, "login-failed")
        return _html(views.login_page(csrf_token(request), name, LOGIN_FAILED), 401)
    inbox.sessions.start(request, name)
    await run_in_threadpool(inbox.audit.write, name, "login")
    return _see("/moderate/")


async def logout(request: Request) -> Response:
    inbox = _inbox(request)
    moderator = inbox.sessions.moderator(request)
    if moderator is None:
        return _see("/moderate/login")
    form = await _form(request)
    if not csrf_ok(request, _one(form, CSRF_FIELD)):
        return _forbidden()
    inbox.sessions.end(request)
    await run_in_threadpool(inbox.audit.write, moderator, "logout")
    return _see("/moderate/login?out=1")


def _unauthorized() -> Response:
    return _html(views.message_page("Please log in", "Your session has ended or you are not logged in; nothing was changed."),
                 401)


async def show_inbox(request: Request) -> Response:
    inbox = _inbox(request)
    moderator = inbox.sessions.moderator(request)
    if moderator is None:
        return _see("/moderate/login")
    results = inbox.sessions.take_results(request)
    try:
        pages = await run_in_threadpool(inbox.index.pages)
    except SiteIndexError:
        pages = {}  # titles and permalinks are missing, the queue is still shown
    view = await run_in_threadpool(inbox.view, pages)
    body = views.inbox_page(moderator, csrf_token(request), *view, results=results)
    return _html(body)


async def act(request: Request) -> Response:
    inbox = _inbox(request)
    moderator = inbox.sessions.moderator(request)
    if moderator is None:
        return _unauthorized()
    form = await _form(request)
    if not csrf_ok(request, _one(form, CSRF_FIELD)):
        return _forbidden()
    if form.get("approve") or form.get("reject"):
        action = "approve" if form.get("approve") else "reject"
        refs = form[action][:1]
    else:
        action, refs = _one(form, "bulk"), form.get("id", [])
    if action not in ("approve", "reject"):
        results = [(False, "Nothing was done: choose Approve or Reject.")]
    elif not refs:
        results = [(False, f"Nothing was done: tick the comments to {action} first.")]
    else:
        results = await inbox.act(moderator, action, refs)
    inbox.sessions.keep_results(request, results)
    return _see("/moderate/")


async def not_found(request: Request, exc: Exception) -> Response:
    if getattr(exc, "status_code", 404) == 408:
        return _html(views.message_page(exc.detail, "Nothing was changed. Check your connection and send it again.",
                                        "/moderate/", "Go to the inbox"), 408, {"Connection": "close"})
    return _html(views.message_page("Page not found", "There is no such page in the moderation inbox.",
                                    "/moderate/", "Go to the inbox"), 404)


ROUTES = [
    Route("/", show_inbox, methods=["GET"]),
    Route("/login", login_form, methods=["GET"]),
    Route("/login", login, methods=["POST"]),
    Route("/logout", logout, methods=["POST"]),
    Route("/act", act, methods=["POST"]),
]
