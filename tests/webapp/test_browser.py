"""The game as a person plays it: Debian's Chromium, driven by Playwright, against the real server.

A ``quizgen serve`` subprocess (gevent, a fresh SQLite database, the packs of ``questions/``) runs
for this module; every test opens its own browser context (its own cookies, so its own player).

* a full 5-question game of Tiny Pretty Things on a phone (390×844, touch: taps) and on a desktop
  (1366×768: clicks): options, right/wrong feedback with the explanation, results, a nickname posted,
  the name on the pack's leaderboard;
* the same game with the keyboard alone (Tab, the arrow keys inside a radio group, keys 1-4, Enter,
  typing the nickname): no mouse, no touch.

The tests peek at the server's database only to learn which option is right, so they can answer some
questions right and some wrong on purpose and check what the page says about each.

Screenshots of each main page go to ``test-output/screenshots/`` (gitignored).

Chromium is ``/usr/bin/chromium`` (``$QUIZGEN_CHROMIUM`` to use another). Without it the tests are
skipped, except under CI (``$CI`` set), where they fail: CI installs it.
"""

from __future__ import annotations

import os
import re
import secrets
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from werkzeug.security import generate_password_hash

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[2]
ADMIN_PASSWORD = "a browser admin password"
SCREENSHOTS = REPO / "test-output" / "screenshots"
CHROMIUM = os.environ.get("QUIZGEN_CHROMIUM", "/usr/bin/chromium")
# The closed network here makes Chromium misbehave without the background-networking switches.
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
PACK_ID = "tiny-pretty-things"
PACK_TITLE = "Tiny Pretty Things"
GAME_LENGTH = 5
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 3, "is_mobile": True,
         "has_touch": True,
         "user_agent": "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 "
                       "(KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1"}
DESKTOP = {"viewport": {"width": 1366, "height": 768}}
TIMEOUT_MS = 10_000


def _unavailable(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI is set: the browser tests must run there)", pytrace=False)
    pytest.skip(reason)


# --- the server -----------------------------------------------------------------------------------------

@dataclass
class Server:
    """A running ``quizgen serve`` and the SQLite file behind it."""

    url: str
    db_path: Path
    process: subprocess.Popen
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")[-4000:]

    def right_choice(self, game_id: str, number: int) -> int:
        """The shown position (1-4) of the right option of question ``number`` (1-based) of a game."""
        from webapp import rules
        from webapp.packs import question_from_json

        with sqlite3.connect(f"file:{self.db_path}?mode=ro", uri=True, timeout=5) as conn:
            row = conn.execute("SELECT question_data, option_order FROM game_round WHERE game_id = ? AND position = ?",
                               (game_id, number - 1)).fetchone()
        assert row is not None, f"game {game_id} has no question {number}"
        return rules.right_choice(question_from_json(row[0]), row[1])


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_until_up(url: str, process: subprocess.Popen, log_path: Path, timeout_s: float = 45) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"quizgen serve exited with {process.returncode}:\n"
                               + log_path.read_text(errors="replace")[-4000:])
        try:
            with urllib.request.urlopen(url + "/", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, OSError):
            pass
        time.sleep(0.2)
    raise RuntimeError(f"quizgen serve did not answer at {url} within {timeout_s:.0f} s:\n"
                       + log_path.read_text(errors="replace")[-4000:])


@pytest.fixture(scope="module")
def chromium_path() -> str:
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        _unavailable(f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        _unavailable("the playwright package is not installed (pip install -e '.[test]')")
    return CHROMIUM


@pytest.fixture(scope="module")
def quizgen_server(tmp_path_factory, chromium_path):
    """``quizgen serve`` on a free port of 127.0.0.1, with a fresh SQLite database; stopped afterwards."""
    folder = tmp_path_factory.mktemp("browser-server")
    db_path = folder / "db.sqlite"
    port = _free_port()
    env = dict(os.environ)
    env.update({
        "QUIZGEN_DATABASE_URL": f"sqlite:///{db_path}",
        "QUIZGEN_ENV": "development",  # plain http: the session cookie must not be Secure-only
        "QUIZGEN_SECRET_KEY": secrets.token_hex(32),  # so nothing is written to the repo's instance/
        "QUIZGEN_ADMIN_PASSWORD_HASH": generate_password_hash(ADMIN_PASSWORD),
        "PYTHONUNBUFFERED": "1",
    })
    env.pop("QUIZGEN_RATELIMIT_STORAGE_URI", None)
    log_path = folder / "server.log"
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "webapp", "serve", "--host", "127.0.0.1", "--port", str(port),
             "--questions", str(REPO / "questions")],
            cwd=str(REPO), env=env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(url, process, log_path)
        yield Server(url=url, db_path=db_path, process=process, log_path=log_path)
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


# --- the browser ----------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def browser(chromium_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@dataclass
class PageProblems:
    """What a person would notice is broken: failed requests, error responses, script errors."""

    items: list[str] = field(default_factory=list)

    def watch(self, page) -> None:
        page.on("requestfailed", lambda r: self.items.append(f"request failed: {r.url} ({r.failure})"))
        page.on("response", lambda r: self.items.append(f"HTTP {r.status}: {r.url}") if r.status >= 400 else None)
        page.on("pageerror", lambda e: self.items.append(f"script error: {e}"))
        page.on("console", lambda m: self.items.append(f"console {m.type}: {m.text}")
                if m.type == "error" else None)


@pytest.fixture
def open_page(browser):
    """``open_page(**context_options)``: a fresh context (no cookies) and page; closed after the test."""
    contexts = []

    def _open(**options):
        context = browser.new_context(**options)
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        problems = PageProblems()
        problems.watch(page)
        return page, problems

    yield _open
    for context in contexts:
        context.close()


def shoot(page, name: str) -> None:
    """A screenshot of the page as it is now (test-output/), and axe-core's accessibility rules on it."""
    from axe_playwright_python.sync_playwright import Axe

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
    violations = Axe().run(page).response["violations"]
    assert violations == [], f"{name}: axe-core finds " + "; ".join(
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']]}" for v in violations)


# --- what a person sees ---------------------------------------------------------------------------------

def game_id_of(page) -> str:
    match = re.search(r"/games/([^/?]+)/questions/\d+$", page.url)
    assert match, f"not on a question page: {page.url}"
    return match.group(1)


def expect_question(page, number: int) -> None:
    from playwright.sync_api import expect

    expect(page).to_have_url(re.compile(rf"/games/[^/?]+/questions/{number}$"))  # no stray "?" either
    expect(page.locator("h1#stem")).to_be_visible()
    expect(page.locator(".progress-text")).to_contain_text(f"Question {number} of {GAME_LENGTH}")
    expect(page.locator(".options button.option")).to_have_count(4)
    expect(page.locator(".verdict")).to_have_count(0)


def expect_feedback(page, *, right: int, chosen: int) -> None:
    """The feedback page: the verdict, the right option marked (and the wrong choice), the explanation."""
    from playwright.sync_api import expect

    verdict = page.locator(".feedback .verdict")
    expect(verdict).to_be_visible()
    if chosen == right:
        expect(verdict).to_have_class(re.compile(r"\bverdict-right\b"))
        expect(verdict).to_contain_text("Right!")
    else:
        expect(verdict).to_have_class(re.compile(r"\bverdict-wrong\b"))
        expect(verdict).to_contain_text("Wrong")
    options = page.locator("ol.options-result > li")
    expect(options).to_have_count(4)
    expect(options.nth(right - 1)).to_have_class(re.compile(r"\bis-right\b"))
    expect(options.nth(right - 1)).to_contain_text("right answer")
    expect(options.nth(chosen - 1)).to_have_class(re.compile(r"\bis-chosen\b"))
    if chosen != right:
        expect(options.nth(chosen - 1)).to_contain_text("your answer")
    explanation = page.locator(".explanation")
    expect(explanation).to_be_visible()
    assert explanation.inner_text().strip(), "the explanation is empty"
    expect(explanation.locator(".source cite").first).to_be_visible()


def expect_results(page, *, right_answers: int) -> None:
    from playwright.sync_api import expect

    expect(page).to_have_url(re.compile(r"/games/[^/?]+/results$"))
    expect(page.get_by_role("heading", name="Your results")).to_be_visible()
    # Untimed: 1000 points a right answer, printed with a thin space ("3 000 points").
    points = f"{right_answers * 1000:,}".replace(",", r"\s?")
    expect(page.locator(".final-score")).to_have_text(re.compile(rf"^\s*{points} points\s*$"))
    expect(page.get_by_text(f"{right_answers} of {GAME_LENGTH} right")).to_be_visible()
    expect(page.locator("ol.review > li")).to_have_count(GAME_LENGTH)


def expect_on_leaderboard(page, nickname: str, *, right_answers: int) -> None:
    from playwright.sync_api import expect

    expect(page).to_have_url(re.compile(rf"/leaderboards/{PACK_ID}(\?.*)?$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(PACK_TITLE)
    expect(page.locator(".flash-success")).to_contain_text(nickname)
    row = page.locator("table.board tbody tr", has_text=nickname)
    expect(row).to_have_count(1)
    expect(row).to_have_class(re.compile(r"\bis-mine\b"))
    expect(row.locator("td").nth(2)).to_have_text(re.compile(f"{right_answers * 1000:,}".replace(",", r"\s?")))
    expect(page.locator(".own-rank")).to_contain_text(nickname)


def assert_fits_width(page, where: str) -> None:
    """Nothing sticks out sideways (a phone would scroll horizontally)."""
    scroll_width, width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert scroll_width <= width, f"{where}: the page is {scroll_width}px wide in a {width}px window"


def choice_for(number: int, right: int) -> int:
    """Questions 1, 3, 5 answered right, 2 and 4 wrong: both kinds of feedback are seen."""
    return right if number % 2 else right % 4 + 1


def right_count() -> int:
    return sum(1 for n in range(1, GAME_LENGTH + 1) if n % 2)


def read_like_a_person(page) -> None:
    """Take as long over the question as a quick reader (a game answered sooner is played, but not ranked)."""
    from webapp.rules import reading_ms

    page.wait_for_timeout(reading_ms(page.get_by_role("heading", level=1).inner_text()) + 200)


# --- the tests --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("device", ["phone", "desktop"])
def test_full_game_with_pointer(device, quizgen_server, open_page):
    """Home → pack → 5 questions (tap or click) → feedback each time → results → nickname → leaderboard."""
    from playwright.sync_api import expect

    phone = device == "phone"
    page, problems = open_page(**(PHONE if phone else DESKTOP))

    def press(locator) -> None:
        locator.tap() if phone else locator.click()

    page.goto(quizgen_server.url + "/")
    expect(page.get_by_role("heading", name="Choose a quiz")).to_be_visible()
    shoot(page, f"{device}-home")
    if phone:
        assert_fits_width(page, "home")
    press(page.get_by_role("link", name=f"Play {PACK_TITLE}"))

    expect(page).to_have_url(re.compile(rf"/packs/{PACK_ID}$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(PACK_TITLE)
    press(page.get_by_role("radio", name="5", exact=True))
    expect(page.get_by_role("radio", name="5", exact=True)).to_be_checked()
    expect(page.get_by_role("radio", name="Mixed")).to_be_checked()
    shoot(page, f"{device}-pack")
    press(page.get_by_role("button", name="Start the quiz"))

    for number in range(1, GAME_LENGTH + 1):
        expect_question(page, number)
        if number == 1:
            shoot(page, f"{device}-question")
            if phone:
                assert_fits_width(page, "question")
                expect(page.locator(".key-hint")).to_be_hidden()  # no keys 1-4 on a touch screen
            else:
                expect(page.locator(".key-hint")).to_be_visible()
        read_like_a_person(page)
        right = quizgen_server.right_choice(game_id_of(page), number)
        chosen = choice_for(number, right)
        press(page.locator(".options button.option").nth(chosen - 1))
        expect_feedback(page, right=right, chosen=chosen)
        if number <= 2:
            shoot(page, f"{device}-feedback-{'right' if chosen == right else 'wrong'}")
            if phone:
                assert_fits_width(page, "feedback")
        last = number == GAME_LENGTH
        press(page.get_by_role("link", name="See your results" if last else "Next question"))

    expect_results(page, right_answers=right_count())
    shoot(page, f"{device}-results")
    nickname = f"{device.capitalize()} {secrets.token_hex(3)}"
    page.get_by_label("Nickname").fill(nickname)
    press(page.get_by_role("button", name="Post my score"))

    expect_on_leaderboard(page, nickname, right_answers=right_count())
    shoot(page, f"{device}-leaderboard")
    if phone:
        assert_fits_width(page, "leaderboard")

    page.goto(quizgen_server.url + "/help")
    expect(page.get_by_role("heading", name="How to play")).to_be_visible()
    shoot(page, f"{device}-help")
    upload = page.get_by_role("navigation", name="Site").get_by_role("link", name=re.compile("upload", re.I))
    if upload.count():  # the pack upload page, where the site has one
        press(upload.first)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        expect(page.locator("input[type=file]").first).to_be_attached()
        shoot(page, f"{device}-upload")
        # A broken file with a long name: its problem lines wrap instead of widening the page.
        page.locator("input[type=file]").first.set_input_files(
            files=[{"name": "a-very-long-file-name-" * 6 + ".json", "mimeType": "application/json",
                    "buffer": b'{"format": 1, "id": "Not A Valid Id"}'}])
        with page.expect_response(lambda r: r.url.endswith("/upload") and r.request.method == "POST"):
            press(page.get_by_role("button", name="Upload and check"))
        expect(page.locator("pre.problems")).to_be_visible()
        problems.items[:] = [item for item in problems.items if "422" not in item]  # the refusal we asked for
        shoot(page, f"{device}-upload-problems")
        if phone:
            assert_fits_width(page, "upload problems")

    page.goto(quizgen_server.url + "/admin/login")
    expect(page.get_by_role("heading", name="Admin sign-in")).to_be_visible()
    shoot(page, f"{device}-admin-login")
    page.get_by_label("Admin password").fill(ADMIN_PASSWORD)
    press(page.get_by_role("button", name=re.compile("sign in", re.I)))
    expect(page.get_by_role("button", name="Sign out (admin)")).to_be_visible()
    page.goto(quizgen_server.url + "/packs/tiny-pretty-things")
    expect(page.get_by_role("button", name=re.compile("Let anyone download it"))).to_be_visible()
    expect(page.get_by_text("Only you can download this play-only pack.")).to_be_visible()
    shoot(page, f"{device}-admin-pack")
    press(page.get_by_role("button", name="Sign out (admin)"))
    expect(page.get_by_role("link", name="Admin")).to_be_visible()

    assert problems.items == [], "the pages had problems:\n" + "\n".join(problems.items)


def _focused(page) -> dict:
    return page.evaluate("""() => {
        const e = document.activeElement;
        return {tag: e.tagName.toLowerCase(), type: e.type || '', name: e.name || '', value: e.value || '',
                text: (e.innerText || e.textContent || '').trim(), label: e.getAttribute('aria-label') || '',
                visible: e.matches(':focus-visible')};
    }""")


def tab_to(page, wanted, what: str, *, limit: int = 40) -> dict:
    """Press Tab until the focused element is ``wanted`` (a predicate on :func:`_focused`)."""
    seen = []
    for _ in range(limit):
        focused = _focused(page)
        if focused["tag"] != "body" and wanted(focused):
            return focused
        page.keyboard.press("Tab")
        seen.append(f"{focused['tag']}:{focused['text'][:30] or focused['name']}")
    raise AssertionError(f"Tab never reached {what}; focus went through: {', '.join(seen)}")


def test_full_game_with_keyboard_only(quizgen_server, open_page):
    """No mouse: Tab to the pack, choose 5 questions, keys 1-4 (or Tab + Enter) to answer, Enter to go on."""
    from playwright.sync_api import expect

    page, problems = open_page(**DESKTOP)
    page.goto(quizgen_server.url + "/")
    expect(page.get_by_role("heading", name="Choose a quiz")).to_be_visible()

    play_link = tab_to(page, lambda f: f["tag"] == "a" and f["text"].startswith("Play") and PACK_TITLE in f["text"],
                       "the Play link of the pack")
    assert play_link["visible"], "the focused Play link shows no focus indicator (:focus-visible)"
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(rf"/packs/{PACK_ID}$"))
    tab_to(page, lambda f: f["tag"] == "input" and f["type"] == "radio" and f["name"] == "length",
           "the length radio group")
    # Inside a radio group the arrow keys choose (Tab leaves the group): 5 is the first choice.
    for _ in range(3):
        if _focused(page)["value"] == "5":
            break
        page.keyboard.press("ArrowUp")
    expect(page.get_by_role("radio", name="5", exact=True)).to_be_checked()
    tab_to(page, lambda f: f["tag"] == "button" and f["text"] == "Start the quiz", "Start the quiz")
    page.keyboard.press("Enter")

    for number in range(1, GAME_LENGTH + 1):
        expect_question(page, number)
        read_like_a_person(page)
        right = quizgen_server.right_choice(game_id_of(page), number)
        chosen = choice_for(number, right)
        if number in (2, 4):
            # Options are ordinary buttons: Tab reaches them and Enter answers.
            focused = tab_to(page, lambda f, c=chosen: f["tag"] == "button" and f["name"] == "choice"
                             and f["value"] == str(c), f"option {chosen}")
            assert focused["visible"], "the focused option shows no focus indicator (:focus-visible)"
            page.keyboard.press("Enter")
        else:
            page.keyboard.press(str(chosen))  # the keys 1-4 answer (play.js)
        expect_feedback(page, right=right, chosen=chosen)
        if number == 1:
            shoot(page, "keyboard-feedback")
        last = number == GAME_LENGTH
        label = "See your results" if last else "Next question"
        tab_to(page, lambda f, t=label: f["tag"] == "a" and f["text"] == t, label)
        page.keyboard.press("Enter")

    expect_results(page, right_answers=right_count())
    tab_to(page, lambda f: f["tag"] == "input" and f["name"] == "nickname", "the nickname field")
    nickname = f"Keys {secrets.token_hex(3)}"
    page.keyboard.type(nickname)
    shoot(page, "keyboard-results")
    page.keyboard.press("Enter")  # Enter in a form's text field submits it

    expect_on_leaderboard(page, nickname, right_answers=right_count())
    shoot(page, "keyboard-leaderboard")
    assert problems.items == [], "the pages had problems:\n" + "\n".join(problems.items)
