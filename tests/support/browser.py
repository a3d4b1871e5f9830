"""How the browser tests launch Debian's Chromium (never a downloaded browser), and
the keyboard-only steps they share: filling the comment form, logging in to the inbox."""

from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-component-update"]


def active_id(page) -> str:
    return page.evaluate("document.activeElement && document.activeElement.id")


def type_comment(page, form_id: str, name: str, lines: list[str], website: str):
    """Fill a form with the keyboard only: type, Tab, Space, Enter."""
    page.locator(f"#{form_id}-name").focus()
    page.keyboard.type(name)
    page.keyboard.press("Tab")
    assert active_id(page) == f"{form_id}-message"
    for number, line in enumerate(lines):
        if number:
            page.keyboard.press("Enter")
        page.keyboard.type(line)
    page.keyboard.press("Tab")
    assert active_id(page) == f"{form_id}-website"
    page.keyboard.type(website)
    page.keyboard.press("Tab")
    assert active_id(page) == f"{form_id}-consent"
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.type") == "submit"  # the property: minified pages drop the default attribute
    with page.expect_navigation():
        page.keyboard.press("Enter")


def tab_to(page, predicate_js: str, limit: int = 40):
    """Press Tab until the focused element matches; return its outline (focus must be visible)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"(el => {predicate_js})(document.activeElement)"):
            return page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    raise AssertionError(f"Tab never reached {predicate_js}")


def keyboard_login(page, base: str, moderator: str, password: str):
    page.goto(base + "/moderate/")
    assert page.url == base + "/moderate/login"
    assert tab_to(page, "el.id === 'login-name'") != "none"
    page.keyboard.type(moderator)
    page.keyboard.press("Tab")
    page.keyboard.type(password)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url == base + "/moderate/"


def axe_violations(page) -> list[str]:
    """axe-core's findings on the loaded page, one readable line each."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} -> " + "; ".join(n["target"][0] for n in v["nodes"][:3])
        for v in results.response["violations"]
    ]
