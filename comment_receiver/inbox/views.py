"""The inbox's HTML: plain forms that work without JavaScript.

Every value is escaped except a comment's preview, which is the output of the
site's own renderer and sanitizer (comment_core.render), exactly what the site
would publish.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape

from comment_core import csp

from .flags import Flag

STYLE = """
body{font:1.0625rem/1.55 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#1b1f24;background:#fff}
header,main{max-width:56rem;margin:0 auto;padding:1rem}
header{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:center;justify-content:space-between;border-bottom:1px solid #5f6368}
h1{font-size:1.5rem;margin:.25rem 0}h2{font-size:1.3rem;margin-top:2rem}h3{font-size:1.15rem}h4{font-size:1.05rem;margin:.25rem 0}
a{color:#0b5cad}
a:focus-visible,button:focus-visible,input:focus-visible{outline:3px solid #0b5cad;outline-offset:2px}
button{font:inherit;padding:.4rem .9rem;border:2px solid #1b1f24;border-radius:4px;background:#fff;color:#1b1f24;cursor:pointer}
button.approve{background:#0b5cad;border-color:#0b5cad;color:#fff}
input[type=text],input[type=password]{font:inherit;padding:.4rem;border:2px solid #5f6368;border-radius:4px;width:100%;max-width:20rem;box-sizing:border-box}
input[type=checkbox]{width:1.3rem;height:1.3rem;vertical-align:middle}
label{font-weight:600}
.field{margin:1rem 0}.field label{display:block}
.comment{border:1px solid #5f6368;border-radius:6px;padding:.75rem 1rem;margin:1rem 0}
.meta{margin:.25rem 0;color:#3c4043}.meta span{display:inline-block;margin-right:1rem;overflow-wrap:anywhere}
.preview{border-left:4px solid #5f6368;padding:.1rem .9rem;margin:.75rem 0;overflow-wrap:anywhere}
.flags{margin:.5rem 0;padding-left:1.25rem;color:#8a1c00}.noflags{color:#3c4043}
.actions,.bulk{display:flex;flex-wrap:wrap;gap:.5rem;margin:.5rem 0}
.bulk{border:1px solid #5f6368;border-radius:6px;padding:.5rem 1rem}
.notice{border-left:4px solid #0b5cad;padding:.25rem 1rem;margin:1rem 0}
.errors{border-left:4px solid #b00020;padding:.25rem 1rem;margin:1rem 0}
.field-error{color:#b00020;margin:.25rem 0}
.vh{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
@media (prefers-color-scheme:dark){body{background:#121416;color:#e8eaed}a{color:#8ab4f8}
button{background:#121416;color:#e8eaed;border-color:#e8eaed}button.approve{background:#8ab4f8;border-color:#8ab4f8;color:#121416}
input[type=text],input[type=password]{background:#121416;color:#e8eaed;border-color:#9aa0a6}
a:focus-visible,button:focus-visible,input:focus-visible{outline-color:#8ab4f8}
.meta,.noflags{color:#bdc1c6}.flags{color:#ffab91}.field-error{color:#ff8a80}.errors{border-color:#ff8a80}}
""".strip()

CONTENT_SECURITY_POLICY = csp.policy(
    {"default-src": "'none'", "style-src": csp.hash_source(STYLE), "base-uri": "'none'", "form-action": "'self'"},
    header=True,
)
HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "Cache-Control": "no-store",
    "X-Robots-Tag": "noindex, nofollow",
    "X-Frame-Options": "DENY",
}


def document(title: str, main: str, header: str = "") -> str:
    return (
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="robots" content="noindex, nofollow">\n'
        f"<title>{escape(title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n"
        f"{header}<main id=\"main\">\n{main}\n</main>\n</body>\n</html>\n"
    )


def hidden_csrf(token: str) -> str:
    return f'<input type="hidden" name="csrf" value="{escape(token)}">'


def login_page(csrf: str, name: str = "", error: str | None = None, status_note: str | None = None) -> str:
    """The login form; an error is announced and linked to the fields it concerns."""
    described = ' aria-describedby="login-error" aria-invalid="true"' if error else ""
    parts = ["<h1>Moderation inbox: log in</h1>"]
    if status_note:
        parts.append(f'<p class="notice" role="status">{escape(status_note)}</p>')
    if error:
        parts.append(f'<div class="errors" role="alert"><p id="login-error">{escape(error)} '
                     '<a href="#login-name">Check the name</a> and <a href="#login-password">the password</a>.</p></div>')
    parts.append(
        '<form method="post" action="/moderate/login">\n' + hidden_csrf(csrf) +
        f'\n<div class="field"><label for="login-name">Name</label>'
        f'<input type="text" id="login-name" name="name" value="{escape(name)}" autocomplete="username" '
        f'autocapitalize="none" spellcheck="false" required{described}></div>\n'
        f'<div class="field"><label for="login-password">Password</label>'
        f'<input type="password" id="login-password" name="password" autocomplete="current-password" required{described}></div>\n'
        '<button type="submit" class="approve">Log in</button>\n</form>'
    )
    return document("Log in – moderation inbox", "\n".join(parts))


def message_page(title: str, text: str, link: str = "/moderate/login", link_text: str = "Log in") -> str:
    return document(title, f"<h1>{escape(title)}</h1>\n<p>{escape(text)}</p>\n"
                           f'<p><a href="{escape(link)}">{escape(link_text)}</a></p>')


@dataclass
class Item:
    """One queued comment as the inbox shows it."""

    ref: str  # slug/id, what the forms send back
    comment_id: str
    author: str | None
    website: str | None
    date_iso: str
    date_text: str
    replyto: str | None
    preview: str | None  # sanitized HTML, or None for an unreadable file
    flags: list[Flag] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    last_failure: str | None = None


@dataclass
class PageGroup:
    slug: str
    title: str
    url: str | None
    items: list[Item]


@dataclass
class Done:
    """An approved comment: waiting for the site, or published with its permalink."""

    comment_id: str
    page_title: str
    when_text: str
    moderator: str
    permalink: str | None
    reason: str | None = None


def _header(moderator: str, csrf: str) -> str:
    return (
        '<header>\n<p><a href="#main">Skip to the inbox</a></p>\n'
        f"<p>Logged in as <strong>{escape(moderator)}</strong></p>\n"
        '<form method="post" action="/moderate/logout">' + hidden_csrf(csrf) +
        '<button type="submit">Log out</button></form>\n</header>\n'
    )


def _flags(item: Item) -> str:
    if not item.flags:
        return '<p class="noflags">No warning signs found.</p>'
    rows = "".join(f"<li>{escape(flag.text)}</li>" for flag in item.flags)
    return f'<p class="vh" id="flags-{item.comment_id}">Warning signs</p><ul class="flags" aria-labelledby="flags-{item.comment_id}">{rows}</ul>'


def _item(item: Item) -> str:
    cid = escape(item.comment_id)
    who = escape(item.author) if item.author else "an unreadable comment"
    meta = [f'<span>Sent <time datetime="{escape(item.date_iso)}">{escape(item.date_text)}</time></span>' if item.date_iso else ""]
    if item.website:
        meta.append(f"<span>Website: {escape(item.website)}</span>")
    if item.replyto:
        meta.append(f"<span>Replies to {escape(item.replyto)}</span>")
    meta.append(f"<span>Id: {cid}</span>")
    if item.preview is not None:
        body = f'<div class="preview" aria-label="Preview, as it will be published" role="group">{item.preview}</div>'
    else:
        problems = "".join(f"<li>{escape(p)}</li>" for p in item.problems)
        body = f'<div class="errors"><p>This file cannot be read, so it cannot be approved:</p><ul>{problems}</ul></div>'
    failure = (f'<p class="errors">The last approval failed: {escape(item.last_failure)}</p>'
               if item.last_failure else "")
    approve = (f'<button type="submit" class="approve" name="approve" value="{escape(item.ref)}">'
               f'Approve<span class="vh"> the comment by {who}</span></button>' if item.preview is not None else "")
    return (
        f'<article class="comment" aria-labelledby="h-{cid}">\n'
        f'<h4 id="h-{cid}"><input type="checkbox" name="id" value="{escape(item.ref)}" id="sel-{cid}"> '
        f'<label for="sel-{cid}"><span class="vh">Select the comment by </span>{who}</label></h4>\n'
        f'<p class="meta">{"".join(meta)}</p>\n{_flags(item)}\n{body}\n{failure}\n'
        f'<div class="actions">{approve}<button type="submit" name="reject" value="{escape(item.ref)}">'
        f'Reject<span class="vh"> the comment by {who}</span></button></div>\n</article>'
    )


def _group(group: PageGroup) -> str:
    title = escape(group.title or group.slug)
    link = f'<a href="{escape(group.url)}">{title}</a>' if group.url else title
    count = len(group.items)
    return (f'<section aria-labelledby="page-{escape(group.slug)}">\n'
            f'<h3 id="page-{escape(group.slug)}">{link} <small>({count} waiting)</small></h3>\n'
            + "\n".join(_item(i) for i in group.items) + "\n</section>")


def _bulk(where: str) -> str:
    return (f'<div class="bulk" role="group" aria-label="Selected comments ({where})">'
            '<button type="submit" class="approve" name="bulk" value="approve">Approve selected</button>'
            '<button type="submit" name="bulk" value="reject">Reject selected</button></div>')


def _pending(groups: list[PageGroup], csrf: str) -> str:
    total = sum(len(g.items) for g in groups)
    if not total:
        return '<h2 id="pending">Waiting for moderation (0)</h2>\n<p>Nothing is waiting. New comments appear here.</p>'
    return (
        f'<h2 id="pending">Waiting for moderation ({total})</h2>\n'
        "<p>Newest first, by page. Tick comments and use the buttons to act on several at once.</p>\n"
        '<form method="post" action="/moderate/act">\n' + hidden_csrf(csrf) + "\n" + _bulk("top") + "\n"
        + "\n".join(_group(g) for g in groups) + "\n" + _bulk("bottom") + "\n</form>"
    )


def _done_list(title: str, anchor: str, items: list[Done], empty: str) -> str:
    if not items:
        return f'<h2 id="{anchor}">{escape(title)}</h2>\n<p>{escape(empty)}</p>'
    rows = []
    for d in items:
        what = f'<a href="{escape(d.permalink)}">{escape(d.page_title)}, comment {escape(d.comment_id)}</a>' \
            if d.permalink else f"{escape(d.page_title)}, comment {escape(d.comment_id)}"
        reason = f" – {escape(d.reason)}" if d.reason else ""
        rows.append(f"<li>{what} (approved by {escape(d.moderator)}, {escape(d.when_text)}){reason}</li>")
    return f'<h2 id="{anchor}">{escape(title)}</h2>\n<ul>{"".join(rows)}</ul>'


def inbox_page(moderator: str, csrf: str, groups: list[PageGroup], waiting: list[Done], published: list[Done],
               results: list[tuple[bool, str]]) -> str:
    parts = ["<h1>Moderation inbox</h1>"]
    good = [text for ok, text in results if ok]
    bad = [text for ok, text in results if not ok]
    if bad:
        parts.append('<div class="errors" role="alert"><ul>' + "".join(f"<li>{escape(t)}</li>" for t in bad) + "</ul></div>")
    if good:
        parts.append('<div class="notice" role="status"><ul>' + "".join(f"<li>{escape(t)}</li>" for t in good) + "</ul></div>")
    parts.append(_pending(groups, csrf))
    parts.append(_done_list("Approved, waiting to be published", "waiting", waiting,
                            "Every approved comment is on the site."))
    parts.append(_done_list("Published recently", "published", published, "Nothing was published recently."))
    return document("Moderation inbox", "\n".join(parts), _header(moderator, csrf))
