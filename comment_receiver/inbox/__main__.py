"""Moderator accounts of the inbox, from the command line.

    python -m comment_receiver.inbox add NAME      add or replace (make moderator NAME=...)
    python -m comment_receiver.inbox list          the names (make moderators)
    python -m comment_receiver.inbox remove NAME   delete an account

``add`` asks for the password twice on a terminal; otherwise it reads one line
from standard input, so ``printf 'secret\\n' | make moderator NAME=alice`` works
in scripts. The file is ``RECEIVER_MODERATORS``.

Exit status: 0 done; 1 the command could not be carried out; 2 bad usage.
"""

from __future__ import annotations

import argparse
import getpass
import sys

from ..settings import SettingsError, load_settings
from .accounts import AccountError, Accounts, check_name, check_password


def read_password(stdin=None) -> str:
    stdin = stdin or sys.stdin
    if stdin.isatty():
        first = getpass.getpass("New password: ")
        check_password(first)
        if getpass.getpass("Repeat the password: ") != first:
            raise AccountError("the two passwords differ; nothing was changed")
        return first
    line = stdin.readline()
    if not line:
        raise AccountError("no password on standard input (give it as one line)")
    return check_password(line.rstrip("\r\n"))


def cmd_add(accounts: Accounts, args) -> int:
    name = check_name(args.name)
    replaced = accounts.set_password(name, read_password())
    print(f"{'replaced the password of' if replaced else 'added'} moderator {name} in {accounts.path}")
    return 0


def cmd_list(accounts: Accounts, args) -> int:
    names = sorted(accounts.all())
    if not names:
        print(f"no moderators in {accounts.path}; add one with: make moderator NAME=<name>")
    for name in names:
        print(name)
    return 0


def cmd_remove(accounts: Accounts, args) -> int:
    accounts.remove(args.name)
    print(f"removed moderator {args.name} from {accounts.path}; their open sessions end at their next click")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m comment_receiver.inbox",
                                     description="Manage the moderation inbox's accounts (RECEIVER_MODERATORS).")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    p = sub.add_parser("add", help="add a moderator or replace their password")
    p.add_argument("name")
    p.set_defaults(func=cmd_add)
    sub.add_parser("list", help="list the moderators").set_defaults(func=cmd_list)
    p = sub.add_parser("remove", help="delete a moderator")
    p.add_argument("name")
    p.set_defaults(func=cmd_remove)
    args = parser.parse_args(argv)
    try:
        accounts = Accounts(load_settings().moderators_file)
        return args.func(accounts, args)
    except SettingsError as exc:
        print(f"error: setting {exc}", file=sys.stderr)
        return 2
    except (AccountError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
