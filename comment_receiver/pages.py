"""The receiver's own HTML pages: thank-you, errors. Plain, accessible, no script.

Every value put into a page is escaped, and no page ever contains text the
visitor sent: only our own messages and data from the site index.
"""

from __future__ import annotations

from html import escape

from comment_core import csp

STYLE = """
body{font:1.125rem/1.6 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#1b1f24;background:#fff}
main{max-width:40rem;margin:0 auto;padding:2rem 1rem}
h1{font-size:1.6rem;line-height:1.25}
a{color:#0b5cad}
a:focus-visible{outline:3px solid #0b5cad;outline-offset:2px}
.errors{border-left:4px solid #b00020;padding:.25rem 1rem;margin:1rem 0}
@media (prefers-color-scheme:dark){body{background:#121416;color:#e8eaed}a{color:#8ab4f8}
a:focus-visible{outline-color:#8ab4f8}.errors{border-color:#ff8a80}}
""".strip()

#: Nothing but the one inline style, allowed by its hash.
CONTENT_DIRECTIVES = {"default-src": "'none'", "style-src": csp.hash_source(STYLE), "base-uri": "'none'", "form-action": "'none'"}


def _document(title: str, body: str) -> str:
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="robots" content="noindex">\n'
        f"<title>{escape(title)}</title>\n<style>{STYLE}</style>\n</head>\n"
        f"<body>\n<main>\n{body}\n</main>\n</body>\n</html>\n"
    )


def thank_you(page_url: str | None, page_title: str | None) -> str:
    if page_url:
        label = f"Back to “{escape(page_title)}”" if page_title else "Back to the page"
        back = f'<p><a href="{escape(page_url)}">{label}</a></p>'
    else:
        back = ""
    return _document(
        "Thank you, your comment is awaiting moderation",
        "<h1>Thank you, your comment is awaiting moderation</h1>\n"
        "<p>A moderator reads every comment before it is published. Once approved, "
        "it will appear on the page the next time the site is updated.</p>\n" + back,
    )


def error_page(status: int, title: str, messages: list[str], page_url: str | None, page_title: str | None) -> str:
    items = "\n".join(f"<li>{escape(m)}</li>" for m in messages)
    if page_url:
        label = f"“{escape(page_title)}”" if page_title else "the page"
        back = (
            "<p>Use your browser’s Back button to return to the form: what you typed is "
            f'normally still there. Or <a href="{escape(page_url)}">go to {label}</a>.</p>'
        )
    else:
        back = "<p>Use your browser’s Back button to return to the form: what you typed is normally still there.</p>"
    return _document(
        f"{title} – your comment was not sent",
        f"<h1>Your comment was not sent</h1>\n"
        f'<div class="errors" role="alert">\n<p><strong>{escape(title)}</strong> (error {status})</p>\n'
        f"<ul>\n{items}\n</ul>\n</div>\n{back}",
    )


def status_page(title: str, text: str, link: str | None = None) -> str:
    back = f'<p><a href="{escape(link)}">Go to the site</a></p>' if link else ""
    return _document(title, f"<h1>{escape(title)}</h1>\n<p>{escape(text)}</p>\n{back}")
