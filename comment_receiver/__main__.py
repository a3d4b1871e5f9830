"""Command line: moderate queued comments and run the receiver.

    python -m comment_receiver list                 comments waiting for moderation
    python -m comment_receiver show ID              one comment in full
    python -m comment_receiver approve ID [ID...]   publish (RECEIVER_PUBLISH: move the file, or commit and push)
    python -m comment_receiver publish              retry approvals not yet published (git mode)
    python -m comment_receiver reject ID [ID...]    delete from the queue
    python -m comment_receiver serve [--host H] [--port P] ...

Exit status: 0 done; 1 a command could not be carried out (nothing changed for
that comment); 2 bad usage or an unknown comment id.
"""

from __future__ import annotations

import argparse
import dataclasses
import logging
import os
import socket
import sys
from pathlib import Path

from .settings import Settings, SettingsError, describe, load_settings


def _settings(args) -> Settings:
    return load_settings(
        queue_dir=getattr(args, "queue_dir", None),
        content_dir=getattr(args, "content_dir", None),
        site_index=getattr(args, "site_index", None),
        allowed_origins=getattr(args, "allowed_origins", None),
        site_url=getattr(args, "site_url", None),
        rate_limit=getattr(args, "rate_limit", None),
        max_body_bytes=getattr(args, "max_body", None),
        host=getattr(args, "host", None),
        port=getattr(args, "port", None),
        forwarded_allow_ips=getattr(args, "forwarded_allow_ips", None),
        log_level=getattr(args, "log_level", None),
    )


def _short(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def cmd_list(args) -> int:
    from .moderation import entries, leftover_temp_files, printable

    settings = _settings(args)
    found = entries(settings.queue_dir)
    if not found:
        print(f"No comments are waiting for moderation (queue: {settings.queue_dir}).")
    else:
        noun = "comment is" if len(found) == 1 else "comments are"
        print(f"{len(found)} {noun} waiting for moderation in {settings.queue_dir}:\n")
        for entry in found:
            c = entry.comment
            print(f"  {entry.id}   page: {entry.slug}")
            if c is None:
                print("    ! this file cannot be read:")
                for problem in entry.error.problems:
                    print(f"      - {printable(problem, keep_newlines=False)}")
                print()
                continue
            who = printable(c.author, keep_newlines=False)
            if c.website:
                who += f"  <{printable(c.website, keep_newlines=False)}>"
            print(f"    from:  {who}")
            print(f"    date:  {c.date.strftime('%Y-%m-%d %H:%M %Z').strip()}")
            if c.replyto:
                print(f"    reply to: {c.replyto}")
            print(f"    text:  {printable(_short(c.body, 72), keep_newlines=False)}")
            print()
        print("Read one:   make show ID=<id>")
        print("Publish:    make approve ID=<id>   (then make html, and commit content/comments/)")
        print("Delete:     make reject ID=<id>")
    if settings.publish == "git":
        _list_waiting(settings)
    leftovers = leftover_temp_files(settings.queue_dir)
    if leftovers:
        print(
            f"\nNote: {len(leftovers)} unfinished temporary file(s) from an interrupted write; they never held "
            "an accepted comment and can be deleted:"
        )
        for path in leftovers:
            print(f"  {path}")
    return 0


def _list_waiting(settings: Settings) -> None:
    from .moderation import printable
    from .publish import publication_status

    waiting, _ = publication_status(settings)
    if waiting:
        print(f"\n{len(waiting)} approved comment(s) not pushed yet (retried in the background; "
              "`python -m comment_receiver publish` retries now):")
    for item in waiting:
        reason = printable(item.last_error or "not tried yet", keep_newlines=False)
        print(f"  {item.id}   page: {item.slug}   approved by {printable(item.moderator, keep_newlines=False)}"
              f"   attempts: {item.attempts}   last failure: {reason}")


def cmd_show(args) -> int:
    from comment_core.comment_file import CommentFileError, link_problem, read_comment

    from .moderation import find, printable

    settings = _settings(args)
    path = find(settings.queue_dir, args.id)
    print(f"# {path}")
    try:
        comment = read_comment(path)
    except CommentFileError as exc:
        print("# this file cannot be read as a comment:")
        for problem in exc.problems:
            print(f"#  - {printable(problem, keep_newlines=False)}")
    else:
        print(f"# page: {comment.slug}   id: {comment.id}")
    if link_problem(path) is None and path.is_file():  # never the target of a link, never a pipe
        print(printable(path.read_text(encoding="utf-8", errors="replace")), end="")
    return 0


def _check_all_exist(queue_dir: Path, ids: list[str]) -> None:
    from .moderation import find

    for ident in ids:
        find(queue_dir, ident)  # raises UnknownComment before anything changes


def cmd_approve(args) -> int:
    from .moderation import ModerationError, approve

    settings = _settings(args)
    _check_all_exist(settings.queue_dir, args.ids)
    status = 0
    for ident in args.ids:
        try:
            done = approve(settings.queue_dir, settings.content_dir, ident, settings=settings)
        except ModerationError as exc:
            print(f"error: {exc}", file=sys.stderr)
            status = max(status, exc.exit_code)
            continue
        _report_approval(done, settings)
    if status == 0 and settings.publish == "files":
        print("Publish with `make html` (or `make publish`), and commit content/comments/ so CI publishes it too.")
    return status


def _report_approval(done, settings: Settings) -> None:
    from .moderation import printable

    c = done.comment
    who = printable(c.author, keep_newlines=False)
    if settings.publish == "git":
        if done.published:
            print(f"Approved {c.id} (page {c.slug}, by {who}): pushed in commit {done.published.commit[:12]} "
                  f"to {settings.git_remote}; the site's workflow deploys it.")
        else:
            print(f"Approved {c.id} (page {c.slug}, by {who}), NOT published yet: {done.waiting_reason}\n"
                  "It is kept and the running receiver retries in the background "
                  "(or run `python -m comment_receiver publish`).")
    elif done.already_there:
        print(f"Approved {c.id} (page {c.slug}, by {who}): it was already in {done.target} "
              "(an earlier approve was interrupted); removed it from the queue.")
    else:
        print(f"Approved {c.id} (page {c.slug}, by {who}): moved {done.source} -> {done.target}")


def cmd_publish(args) -> int:
    from .publish import GitPublisher

    settings = _settings(args)
    if settings.publish != "git":
        print("Nothing to do: RECEIVER_PUBLISH is files, approvals are published as they are made.")
        return 0
    outcomes = GitPublisher(settings).publish_waiting()
    for outcome in outcomes:
        if outcome.published:
            print(f"Published {outcome.published.id} (page {outcome.published.slug}) "
                  f"in commit {outcome.published.commit[:12]}")
        else:
            print(f"error: not published yet: {outcome.reason}", file=sys.stderr)
            return 1
    if not outcomes:
        print("No approved comments are waiting to be published.")
    return 0


def cmd_reject(args) -> int:
    from .moderation import printable, reject

    settings = _settings(args)
    _check_all_exist(settings.queue_dir, args.ids)
    for ident in args.ids:
        path, comment = reject(settings.queue_dir, ident)
        who = f", by {printable(comment.author, keep_newlines=False)}" if comment else ""
        print(f"Rejected {path.stem} (page {path.parent.name}{who}): deleted {path}")
    return 0


def cmd_serve(args) -> int:
    import uvicorn

    from .app import create_app
    from .server import uvicorn_config

    settings = _settings(args)
    logging.basicConfig(
        level=settings.log_level.upper(),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    for line in describe(settings):
        logging.getLogger("comment_receiver").debug("setting %s", line)
    family = socket.AF_INET6 if ":" in settings.host else socket.AF_INET
    try:
        sock = socket.create_server((settings.host, settings.port), family=family, reuse_port=False)
    except OSError as exc:
        print(
            f"error: cannot listen on {settings.host}:{settings.port} ({exc.strerror or exc}); "
            "is another receiver running? Choose another port with --port or RECEIVER_PORT.",
            file=sys.stderr,
        )
        return 1
    host, port = sock.getsockname()[:2]
    shown = f"[{host}]" if ":" in host else host
    if settings.port == 0 and not os.environ.get("RECEIVER_PUBLIC_URL"):
        # Port 0 asked for any free port: the default public address (the
        # inbox link in notices) names the one the system gave.
        settings = dataclasses.replace(settings, port=port, public_url=f"http://{shown}:{port}")
    print(f"comment_receiver listening on http://{shown}:{port}/comments", flush=True)
    print(f"moderation inbox at http://{shown}:{port}/moderate/ (accounts: make moderator NAME=<name>)", flush=True)
    config = uvicorn_config(create_app(settings), settings, timeout_graceful_shutdown=10, lifespan="on")
    server = uvicorn.Server(config)
    server.run(sockets=[sock])
    return 0 if server.started else 1


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m comment_receiver",
        description="Moderate visitors' comments and run the comment receiver. "
        "Settings come from environment variables (see comment_receiver/README.md); "
        "the options below override them.",
    )
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--queue", dest="queue_dir", metavar="DIR", help="moderation queue (COMMENTS_QUEUE)")
    common.add_argument("--content", dest="content_dir", metavar="DIR",
                        help="published comments folder (COMMENTS_CONTENT)")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("list", parents=[common], help="list the comments waiting for moderation")
    p.set_defaults(func=cmd_list)
    p = sub.add_parser("show", parents=[common], help="print one queued comment in full")
    p.add_argument("id", help="comment id (or SLUG/ID)")
    p.set_defaults(func=cmd_show)
    p = sub.add_parser("approve", parents=[common], help="publish: move into content/comments/<slug>/, or commit and push (RECEIVER_PUBLISH)")
    p.add_argument("ids", nargs="+", metavar="ID", help="comment id(s) (or SLUG/ID)")
    p.set_defaults(func=cmd_approve)
    p = sub.add_parser("publish", parents=[common], help="retry approvals not yet published (RECEIVER_PUBLISH=git)")
    p.set_defaults(func=cmd_publish)
    p = sub.add_parser("reject", parents=[common], help="delete from the queue")
    p.add_argument("ids", nargs="+", metavar="ID", help="comment id(s) (or SLUG/ID)")
    p.set_defaults(func=cmd_reject)

    p = sub.add_parser("serve", help="run the receiver (uvicorn)")
    p.add_argument("--host", help="address to listen on (RECEIVER_HOST, default 127.0.0.1)")
    p.add_argument("--port", type=int, help="port, 0 for any free one (RECEIVER_PORT, default 8001)")
    p.add_argument("--queue", dest="queue_dir", metavar="DIR", help="moderation queue (COMMENTS_QUEUE)")
    p.add_argument("--site-index", metavar="FILE", help="the built site's comments-index.json (RECEIVER_SITE_INDEX)")
    p.add_argument("--allowed-origin", dest="allowed_origins", action="append", metavar="ORIGIN",
                   help="origin allowed to post, repeatable (RECEIVER_ALLOWED_ORIGINS)")
    p.add_argument("--site-url", help="site base URL for links back (RECEIVER_SITE_URL)")
    p.add_argument("--rate-limit", help="posts per client IP, e.g. 5/minute (RECEIVER_RATE_LIMIT)")
    p.add_argument("--max-body", type=int, metavar="BYTES", help="largest request body (RECEIVER_MAX_BODY)")
    p.add_argument("--forwarded-allow-ips", metavar="IPS",
                   help="proxies trusted for X-Forwarded-For (RECEIVER_FORWARDED_ALLOW_IPS)")
    p.add_argument("--log-level", help="debug, info, warning or error (RECEIVER_LOG_LEVEL)")
    p.set_defaults(func=cmd_serve)
    return parser


def main(argv: list[str] | None = None) -> int:
    from .moderation import ModerationError

    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except SettingsError as exc:
        print(f"error: setting {exc}", file=sys.stderr)
        return 2
    except ModerationError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_code
    except BrokenPipeError:
        # The reader went away (`list | head`): not an error of ours. Point
        # stdout at /dev/null so the interpreter's final flush stays quiet.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    sys.exit(main())
