"""The moderation inbox at ``/moderate/``, served by the receiver itself.

:func:`install` adds it to a receiver application: the routes (a sub-application
with its own signed session cookie), the arrival listener that notes flags and
wakes the notice sender, and the notice sender's start and stop.
"""

from __future__ import annotations

import contextlib
import secrets

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.routing import Mount

from .auth import SESSION_COOKIE
from .routes import ROUTES, not_found
from .service import Inbox

PREFIX = "/moderate"


def inbox_app(inbox: Inbox) -> Starlette:
    session = Middleware(
        SessionMiddleware,
        # Sessions live in memory, so a per-process key loses nothing at a restart.
        secret_key=secrets.token_urlsafe(32),
        session_cookie=SESSION_COOKIE,
        max_age=inbox.settings.session_max_age,
        path=PREFIX,
        same_site="lax",  # a link from webmail keeps the session; actions need the CSRF token
        https_only=inbox.settings.public_url.startswith("https://"),
    )
    app = Starlette(routes=ROUTES, middleware=[session], exception_handlers={HTTPException: not_found})
    app.state.inbox = inbox
    return app


def install(app: Starlette, receiver) -> Inbox:
    """Serve the inbox from ``app`` and listen to ``receiver``'s new comments."""
    inbox = Inbox(receiver.settings, receiver.index)
    app.router.routes.append(Mount(PREFIX, app=inbox_app(inbox)))
    receiver.arrival_listeners.append(inbox.comment_arrived)
    previous = app.router.lifespan_context

    @contextlib.asynccontextmanager
    async def lifespan(application):
        async with previous(application) as state:
            if inbox.notifier is not None:
                inbox.notifier.start()
            try:
                yield state
            finally:
                if inbox.notifier is not None:
                    await run_in_threadpool(inbox.notifier.stop)

    app.router.lifespan_context = lifespan
    return inbox
