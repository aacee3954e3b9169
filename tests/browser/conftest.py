"""Browser journeys: Playwright driving Debian's Chromium against the live test server.

Screenshots are kept in ``artifacts/screenshots/`` (see README).

Every page a journey visits is checked with axe-core (``vendor/axe.min.js``, see its README)
against WCAG 2.1 A and AA, once per document, when it has loaded and before the journey acts on
it or leaves it: before the first action or assertion on a page (Playwright's locator handler
runs for every document not checked yet), before ``goto``, ``reload`` or ``go_back`` take the page
elsewhere, at each ``screenshot()`` (the page as shown, so after htmx swaps too; this runs axe
again) and on the last page when the test ends. Violations fail the test, listed by page."""

import functools
import os
import shutil
from pathlib import Path

import pytest

from ..conftest import require_service

SCREENSHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
CHECKED = "data-axe-checked"

# These run in the page. ``page.evaluate`` goes through the DevTools protocol, which the page's
# Content-Security-Policy does not govern, so the app's CSP stays as strict as in production.
RUN_AXE = """async (tags) => {
  const result = await axe.run(document, {
    runOnly: {type: "tag", values: tags},
    resultTypes: ["violations"],
  });
  return result.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    helpUrl: v.helpUrl,
    nodes: v.nodes.map((n) => ({target: n.target.join(" "), summary: n.failureSummary})),
  }));
}"""
# A checked document is marked on its root element (what the locator handler looks for) and its
# body watched, so that a screenshot after an htmx swap checks it again and one without does
# not. (Not the head, nor style attributes: Playwright changes them to take a screenshot.)
MARK_CHECKED = f"""() => {{
  const root = document.documentElement;
  if (!root.hasAttribute("{CHECKED}")) root.setAttribute("{CHECKED}", "");
  if (!window.__axeObserver) {{
    window.__axeObserver = new MutationObserver((records) => {{
      if (records.some((r) => r.attributeName !== "style")) window.__axeChanged = true;
    }});
    window.__axeObserver.observe(document.body, {{
      subtree: true, childList: true, attributes: true, characterData: true,
    }});
  }}
  window.__axeObserver.takeRecords();
  window.__axeChanged = false;
}}"""
NEEDS_CHECK = f"""() => (
  !document.documentElement.hasAttribute("{CHECKED}") || window.__axeChanged === true
)"""


@pytest.fixture(scope="session")
def browser():
    require_service(os.path.exists(CHROMIUM), "Chromium (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls made by the
    # test itself between browser steps are still synchronous.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            yield browser
            browser.close()
    finally:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


@pytest.fixture(scope="session")
def axe_source() -> str:
    return AXE.read_text(encoding="utf-8")


class Pages:
    """Opens pages, each in a fresh browser context (a user of its own), whose every visited
    page is checked with axe; ``page.problems`` collects a page's console errors."""

    def __init__(self, browser, live_server_url: str, axe_source: str):
        self.browser = browser
        self.url = live_server_url
        self.axe_source = axe_source
        self.contexts = []
        self.violations: dict[str, dict[str, dict]] = {}  # url -> rule id -> violation

    def __call__(self, **options):
        options = {
            "viewport": {"width": 1280, "height": 900},
            "base_url": self.url,
            "locale": "sv-SE",
            **options,
        }
        context = self.browser.new_context(**options)
        self.contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        problems = []
        page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda error: problems.append(str(error)))
        page.problems = problems
        page.pages = self
        # Runs before any action or assertion on a document that has not been checked yet.
        page.add_locator_handler(page.locator(f"html:not([{CHECKED}])"), lambda: axe_check(page))
        for name in ("goto", "reload", "go_back"):
            setattr(page, name, check_first(page, getattr(page, name)))
        return page

    def check_last_pages(self) -> None:
        """Check the pages the journey ends on; fail with every violation found."""
        for context in self.contexts:
            for page in context.pages:
                axe_check(page)
        if self.violations:
            pytest.fail(describe_violations(self.violations), pytrace=False)


@pytest.fixture
def new_page(browser, live_server, axe_source):
    """``new_page()`` opens another user's page (see ``Pages``)."""
    pages = Pages(browser, live_server.url, axe_source)
    yield pages
    for context in pages.contexts:
        context.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    # After the journey itself passed: the pages it ends on, then the verdict on them all.
    result = yield
    if "new_page" in item.funcargs:
        item.funcargs["new_page"].check_last_pages()
    return result


@pytest.fixture
def page(new_page):
    return new_page()


def check_first(page, navigate):
    @functools.wraps(navigate)
    def wrapper(*args, **kwargs):
        axe_check(page)
        return navigate(*args, **kwargs)

    return wrapper


def axe_check(page) -> None:
    """Run axe on the page as it is now, once it has loaded, unless it was checked already and
    has not changed since; record what it finds for the end of the test."""
    if not page.evaluate(NEEDS_CHECK):
        return
    page.wait_for_load_state("load")
    if page.url.startswith(page.pages.url):
        if not page.evaluate("() => typeof window.axe === 'object'"):
            page.evaluate(page.pages.axe_source)
        for violation in page.evaluate(RUN_AXE, WCAG_21_AA):
            found = page.pages.violations.setdefault(page.url, {})
            known = found.setdefault(violation["id"], {**violation, "nodes": []})
            known["nodes"] += [n for n in violation["nodes"] if n not in known["nodes"]]
    page.evaluate(MARK_CHECKED)


def describe_violations(violations: dict[str, dict[str, dict]]) -> str:
    lines = ["axe-core found WCAG 2.1 AA violations:"]
    for url, found in violations.items():
        lines.append(f"\n{url}")
        for violation in found.values():
            lines.append(
                f"  {violation['id']} ({violation['impact']}): {violation['help']}"
                f" <{violation['helpUrl']}>"
            )
            for node in violation["nodes"]:
                summary = " ".join(node["summary"].split())
                lines.append(f"    - {node['target']}: {summary}")
    return "\n".join(lines)


def screenshot(page, name: str) -> None:
    """Save a full-page screenshot and check the page with axe as it is shown."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
    axe_check(page)


def log_in(page, email: str, password: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("E-postadress").fill(email)
    page.get_by_label("Lösenord").fill(password)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url("**/")
