"""End to end in headless Chromium, through what `make serve` runs
(python -m site_tools.serve): a visitor fills the comment form with the
keyboard and sends it with no JavaScript; the receiver queues exactly what was
typed; an author approves it with the CLI; a rebuild publishes it, threaded
under its parent for a reply; XSS payloads sent through the form come out
neutralised."""

from __future__ import annotations

import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from comment_core.comment_file import Comment, read_comment
from tests.support.browser import type_comment
from tests.support.moderation_cli import run_moderation
from tests.support.receiver import ROOT, Serve
from tests.support.sitebuild import build_site

pytestmark = [pytest.mark.browser, pytest.mark.slow]

GUIDE = "restless-legs-syndrome-guide"  # the guide's slug; it is served at /
XSS_FIXTURES = ROOT / "tests" / "fixtures" / "comments" / "xss" / "comments" / "xss-guide"
JS_FILE = ROOT / "plugins" / "truffles_comments" / "static" / "comment_form.js"
JS_HOOK = ROOT / "tests" / "fixtures" / "receiver" / "js_hook"
XSS_PICKS = ["x01-script-tag", "x05-img-onerror", "x12-md-js-link", "x24-html-onclick", "x28-math-mxss",
             "x37-author-script", "x38-author-img"]


class Site:
    """A copy of the project's content, built with the form pointing at the
    receiver of a running `site_tools.serve`, rebuilt like `make html`."""

    def __init__(self, tmp_path: Path, **build_overrides):
        self.build_overrides = build_overrides
        self.content = tmp_path / "content"
        shutil.copytree(ROOT / "content", self.content, ignore=shutil.ignore_patterns("comments"))
        self.output = tmp_path / "output"
        self.output.mkdir()
        self.queue = tmp_path / "queue"
        self.serve = Serve(self.output, self.queue)

    def __enter__(self):
        self.serve.__enter__()
        self.build()
        return self

    def __exit__(self, *exc):
        self.serve.__exit__(*exc)

    def build(self, *, allow_fetch: bool = True):
        from comment_core.csp import policy, response_headers
        from pelicanconf import CSP_DIRECTIVES

        endpoint = self.serve.receiver
        parts = urlsplit(endpoint)
        receiver_origin = f"{parts.scheme}://{parts.netloc}"
        # what publishconf does when COMMENTS_ENDPOINT is set
        directives = {**CSP_DIRECTIVES, "form-action": f"'self' {receiver_origin}"}
        if allow_fetch:
            directives["connect-src"] = f"'self' {receiver_origin}"
        partial = self.output.with_name("output.partial")
        shutil.rmtree(partial, ignore_errors=True)
        result = build_site(partial, content=self.content, COMMENTS_ENDPOINT=endpoint,
                            CSP_META=policy(directives),
                            RESPONSE_HEADERS=response_headers(directives), **self.build_overrides)
        assert result.ok, "\n".join(result.problems)
        shutil.rmtree(self.output)
        partial.rename(self.output)  # swap like `make html`; the server keeps serving

    def queued(self, slug: str = GUIDE) -> list[Path]:
        return sorted((self.queue / slug).glob("*.md")) if (self.queue / slug).is_dir() else []

    def approve(self, *comment_ids: str) -> str:
        """`make approve` (python -m comment_receiver approve), in-process."""
        result = run_moderation(self.queue, self.content / "comments", "approve", *comment_ids)
        assert result.returncode == 0, result.stderr
        return result.stdout


@pytest.fixture
def site(tmp_path):
    with Site(tmp_path) as running:
        yield running


@pytest.fixture
def browser_page(chromium):
    context = chromium.new_context(java_script_enabled=False)  # the form must work without it
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.dialogs = []
    page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
    yield page
    context.close()



def test_post_with_the_keyboard_approve_and_see_it_published(site, browser_page):
    page = browser_page
    page.goto(site.serve.site + "/")
    assert page.locator("#comment-form").is_visible()
    assert page.locator("#comment-form .tc-hp").is_hidden()  # the honeypot is not there for people

    type_comment(page, "comment-form", "Jane Keyboard",
                 ["Walking in the evening helps me.", "", "Does *stretching* help you?"], "https://example.org/jane")

    # the receiver's thank-you page, linking back
    assert page.locator("h1").inner_text() == "Thank you, your comment is awaiting moderation"
    back = page.get_by_role("link", name="Back to")
    assert back.get_attribute("href") == site.serve.site + "/"

    # exactly what was typed is waiting in the queue
    [pending] = site.queued()
    comment = read_comment(pending)
    assert comment.author == "Jane Keyboard"
    assert comment.body == "Walking in the evening helps me.\n\nDoes *stretching* help you?"
    assert comment.website == "https://example.org/jane" and comment.replyto is None

    # not published before approval
    site.build()
    back.click()
    page.wait_for_load_state()
    assert page.locator(f"#comment-{comment.id}").count() == 0

    assert f"Approved {comment.id}" in site.approve(comment.id)
    site.build()
    page.reload()
    published = page.locator(f"#comment-{comment.id}")
    assert published.is_visible()
    assert published.locator(".tc-author").inner_text() == "Jane Keyboard"
    assert published.locator(".tc-author a").get_attribute("href") == "https://example.org/jane"
    assert published.locator(".tc-body em").inner_text() == "stretching"
    assert "1 comment" in page.locator("#comments-heading").inner_text()


def publish_a_parent(site, chromium) -> Comment:
    """A first comment, sent without JavaScript, approved and published."""
    context = chromium.new_context(java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(20_000)
    try:
        page.goto(site.serve.site + "/")
        type_comment(page, "comment-form", "Parent Poster", ["The first comment."], "")
    finally:
        context.close()
    [parent_file] = site.queued()
    parent = read_comment(parent_file)
    site.approve(parent.id)
    site.build()
    return parent


def see_the_reply_threaded(site, page, parent, reply_file, body):
    reply = read_comment(reply_file)
    assert reply.replyto == parent.id and reply.body == body
    site.approve(reply.id)
    site.build()
    page.goto(site.serve.site + "/")
    nested = page.locator(f"li:has(> #comment-{parent.id}) > ol.tc-replies #comment-{reply.id}")
    assert nested.is_visible()
    assert nested.locator(".tc-author").inner_text() == "Replying Person"


def test_a_reply_sent_from_the_reply_page_is_threaded_under_its_parent(site, browser_page, chromium):
    page = browser_page
    parent = publish_a_parent(site, chromium)

    page.goto(site.serve.site + "/")
    assert page.locator("form").count() == 1  # one form per page, not one per comment
    link = page.locator(f"#comment-{parent.id} .tc-reply a")
    assert link.inner_text().startswith("Reply")  # "to Parent Poster" is visually hidden, read aloud
    assert link.locator(".tc-visually-hidden").text_content() == " to Parent Poster"
    link.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")  # follow the link with the keyboard
    assert page.url == f"{site.serve.site}/reply/{parent.id}/"
    reply_form = f"reply-to-{parent.id}"
    assert "The first comment." in page.locator("figure.tc-quote blockquote").inner_text()
    assert "You are replying to" in page.locator(f"#{reply_form} .tc-form__context").inner_text()
    type_comment(page, reply_form, "Replying Person", ["I agree with you."], "")
    assert page.locator("h1").inner_text() == "Thank you, your comment is awaiting moderation"
    back = page.get_by_role("link", name="Back to")
    assert back.get_attribute("href") == f"{site.serve.site}/#comment-{parent.id}"  # back to the comment answered

    [reply_file] = [p for p in site.queued() if p.stem != parent.id]
    see_the_reply_threaded(site, page, parent, reply_file, "I agree with you.")


def _without_optional_script(route):
    """Serve an empty script in place of comment_form.js (no failed request, no console error)."""
    route.fulfill(status=200, content_type="application/javascript", body="")


def test_xss_payloads_posted_through_the_form_are_neutralised_on_the_rebuilt_page(site, chromium):
    payloads = [read_comment(XSS_FIXTURES / f"{name}.md") for name in XSS_PICKS]
    context = chromium.new_context()  # scripts on: prove none of ours or theirs runs
    page = context.new_page()
    page.set_default_timeout(20_000)
    dialogs, errors, offsite = [], [], []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))

    def guard(route):
        if route.request.url.startswith("http://127.0.0.1"):
            route.continue_()
        else:
            offsite.append(route.request.url)
            route.abort()

    page.route("**/*", guard)
    # Exercise the plain form post and the receiver's own pages: the optional
    # script (tested below) would answer in the page instead.
    page.route("**/comment_form.*.js", _without_optional_script)
    try:
        for payload in payloads:
            page.goto(site.serve.site + "/")
            page.locator("#comment-form-name").fill(payload.author)
            page.locator("#comment-form-message").fill(payload.body)
            page.locator("#comment-form-consent").check()
            with page.expect_navigation():
                page.locator("#comment-form button[type=submit]").click()
            assert "awaiting moderation" in page.locator("h1").inner_text()
        pending = site.queued()
        assert len(pending) == len(payloads)
        stored = sorted((read_comment(p).author, read_comment(p).body) for p in pending)
        # stored exactly as sent: neutralising is the build's job
        assert stored == sorted((p.author, p.body) for p in payloads)
        site.approve(*(path.stem for path in pending))
        site.build()
        errors.clear()
        page.goto(site.serve.site + "/")
        page.wait_for_load_state("load")
        comments = page.locator(".tc-comments article.tc-comment")
        assert comments.count() == len(payloads)
        bad = page.evaluate(
            """() => {
                const found = [];
                for (const el of document.querySelectorAll('.tc-comments .tc-body *, .tc-comments .tc-author *')) {
                    const tag = el.tagName.toLowerCase();
                    const banned = ['script','img','svg','iframe','style','math','object','embed','form','input',
                                    'meta','link','base','video','source','details'];
                    if (banned.includes(tag)) found.push(tag);
                    for (const attr of el.attributes) {
                        if (attr.name.startsWith('on') || attr.name === 'style' || attr.name === 'srcdoc') found.push(tag + '@' + attr.name);
                        const address = ['href','src','action','formaction'].includes(attr.name);
                        if (address && /^\\s*(javascript|data|vbscript):/i.test(attr.value)) found.push(tag + '@' + attr.value);
                    }
                }
                return found;
            }"""
        )
        assert bad == []
        authors = page.locator(".tc-comments .tc-author").all_inner_texts()
        for payload in payloads:  # a malicious name is shown as text
            assert payload.author in authors
        assert dialogs == [] and offsite == [] and errors == []
    finally:
        context.close()


# --- the optional script -------------------------------------------------------------


def _loads_comment_form_js(output: Path) -> bool:
    return "comment_form" in (output / "index.html").read_text(encoding="utf-8")


@pytest.fixture
def js_site(tmp_path):
    """The site with comment_form.js loaded: by the plugin itself once it does,
    until then through a stand-in of its scripts.html hook."""
    with Site(tmp_path) as running:
        if not _loads_comment_form_js(running.output):
            running.build_overrides = {"ASSET_JS": [str(JS_FILE)], "THEME_TEMPLATES_OVERRIDES": [str(JS_HOOK)]}
            running.build()
        assert _loads_comment_form_js(running.output)
        yield running


@pytest.fixture
def js_page(chromium):
    context = chromium.new_context()
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.errors = []
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    page.on("console", lambda m: m.type == "error" and page.errors.append(m.text))
    yield page
    context.close()


def test_with_the_script_errors_show_at_their_field_and_thanks_inline(js_site, js_page):
    page = js_page
    page.goto(js_site.serve.site + "/")
    page.locator("#comment-form-name").fill("Script User")
    page.locator("#comment-form-message").fill("Sent in the background.")
    page.locator("#comment-form-website").fill("https://user:secret@example.org/")  # valid for the browser, not for us
    page.locator("#comment-form-consent").check()
    page.locator("#comment-form button[type=submit]").click()
    error = page.locator("#comment-form-website-error")
    error.wait_for(state="visible")
    assert "http:// or https://" in error.inner_text()
    website = page.locator("#comment-form-website")
    assert website.get_attribute("aria-invalid") == "true"
    assert "comment-form-website-error" in website.get_attribute("aria-describedby")
    assert page.evaluate("document.activeElement.id") == "comment-form-website"
    assert "Your comment was not sent" in page.locator("#comment-form-status").inner_text()
    assert page.url == js_site.serve.site + "/" and js_site.queued() == []

    website.fill("")
    page.locator("#comment-form button[type=submit]").click()
    done = page.locator(".tc-form__done")
    done.wait_for(state="visible")
    assert "Thank you, your comment is awaiting moderation" in done.inner_text()
    assert page.evaluate("document.activeElement.className") == "tc-form__done"
    assert page.locator("#comment-form").is_hidden()
    assert page.url == js_site.serve.site + "/"
    [pending] = js_site.queued()
    assert read_comment(pending).body == "Sent in the background." and read_comment(pending).website is None
    # (Chromium logs the 422 answer as "Failed to load resource"; that is the
    # refusal above, not a fault. No script error may occur.)
    assert [e for e in page.errors if "status of 422" not in e] == []


def test_when_the_policy_blocks_the_script_the_form_is_posted_normally(js_site, js_page):
    js_site.build(allow_fetch=False)  # connect-src 'self' only: fetch() to the receiver is refused
    page = js_page
    page.goto(js_site.serve.site + "/")
    page.locator("#comment-form-name").fill("Fallback User")
    page.locator("#comment-form-message").fill("Posted without fetch.")
    page.locator("#comment-form-consent").check()
    with page.expect_navigation():
        page.locator("#comment-form button[type=submit]").click()
    assert page.locator("h1").inner_text() == "Thank you, your comment is awaiting moderation"
    [pending] = js_site.queued()
    assert read_comment(pending).author == "Fallback User"


def test_with_the_script_reply_moves_the_form_and_sends_the_parent(js_site, js_page, chromium):
    parent = publish_a_parent(js_site, chromium)
    page = js_page
    page.goto(js_site.serve.site + "/")
    page.locator(f"#comment-{parent.id} .tc-reply a").click()
    form = page.locator(f"#comment-{parent.id} #comment-form")  # moved under the comment
    assert form.is_visible() and page.url == js_site.serve.site + "/"
    assert page.evaluate("document.activeElement.id") == "comment-form-name"
    page.keyboard.type("Replying Person")
    page.locator("#comment-form-message").fill("Sent from the moved form.")
    page.locator("#comment-form-consent").check()
    page.locator("#comment-form button[type=submit]").click()
    done = page.locator(f"#comment-{parent.id} .tc-form__done")
    done.wait_for(state="visible")
    assert "awaiting moderation" in done.inner_text()
    assert page.evaluate("document.activeElement.className") == "tc-form__done"
    # the form is back after the thread, empty and ready for a new comment
    assert page.evaluate("document.getElementById('comment-form').closest('article')") is None
    assert page.locator("#comment-form").is_visible()
    assert page.locator("#comment-form-heading").inner_text() == "Leave a comment"
    assert page.locator("#comment-form input[name='options[parent]']").count() == 0
    [reply_file] = [p for p in js_site.queued() if p.stem != parent.id]
    see_the_reply_threaded(js_site, page, parent, reply_file, "Sent from the moved form.")
    assert page.errors == []


# --- accessibility of the form and of the receiver's pages -------------------------------


def test_form_thank_you_and_error_pages_have_no_axe_violations_and_back_keeps_the_text(site, chromium):
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    for scheme in ("light", "dark"):
        context = chromium.new_context(color_scheme=scheme)  # axe needs script
        context.route("**/comment_form.*.js", _without_optional_script)  # test the receiver's pages
        page = context.new_page()
        page.set_default_timeout(20_000)
        try:
            page.goto(site.serve.site + "/")
            result = axe.run(page, context={"include": [["#comments"]]})
            assert result.violations_count == 0, result.generate_report()

            # a refusal: the receiver's error page, then Back to the form
            page.locator("#comment-form-name").fill("Typed Name")
            page.locator("#comment-form-message").fill("A long comment I do not want to lose.")
            page.locator("#comment-form-website").fill("https://user:secret@example.org/")
            page.locator("#comment-form-consent").check()
            with page.expect_navigation():
                page.locator("#comment-form button[type=submit]").click()
            assert page.locator("h1").inner_text() == "Your comment was not sent"
            assert "http:// or https://" in page.get_by_role("alert").inner_text()
            result = axe.run(page)
            assert result.violations_count == 0, result.generate_report()
            page.go_back()
            assert page.locator("#comment-form-message").input_value() == "A long comment I do not want to lose."

            # acceptance: the thank-you page
            page.locator("#comment-form-website").fill("")
            with page.expect_navigation():
                page.locator("#comment-form button[type=submit]").click()
            assert "awaiting moderation" in page.locator("h1").inner_text()
            result = axe.run(page)
            assert result.violations_count == 0, result.generate_report()
        finally:
            context.close()
