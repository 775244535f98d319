"""A quiz night as a room plays it: Debian's Chromium, driven by Playwright, against the real server.

One host (a laptop), one projector and three players (phones), each in a browser context of its own,
play a two-round night with two teams and a joker to the podium:

* the host plans the night on ``/host/new`` and gets the controls; the projector's browser gets the host
  key through the controls' "another device" link (as a second laptop in the room would);
* three players join with the code on the projector, each picking a team; one of them plays the team's
  joker on round 2 before it starts; the host gives another player twice the time in the roster;
* every question is answered (some right, some wrong), one player reloads mid-question after answering
  and comes back as the same player with the same score and their answer kept; reveal, leaderboard and
  next for each question, both rounds, to the podium;
* what the podium and the phones show agrees with the database, the joker doubled round 2 for its team,
  and the player with more time was scored against their own window.

Each screen, as it loads: no request to any host but the server (a room's LAN has no internet), at most
100 KB of document, scripts and styles (their sizes go to ``night-page-weights.json``), targets of at
least 24 px. Screenshots of each screen go to ``test-output/screenshots/night-*.png``, and axe-core finds
nothing on any of them. The projector is checked for size (read from the back of the room) and options
with a colour and a shape each; a second projector with a fake clock checks that the countdown is said to
screen readers at its thresholds only; ``prefers-reduced-motion`` stops the animations; the phones are
never sent which option is right while a question is open.

The test reads the server's SQLite file only to learn which option is right and to check the scores.
"""

from __future__ import annotations

import json
import re
import sqlite3
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pytest

from tests.webapp import test_browser
from tests.webapp.test_browser import ADMIN_PASSWORD, PHONE, SCREENSHOTS, TIMEOUT_MS, PageProblems, assert_fits_width

pytestmark = pytest.mark.browser

# The fixtures of the game's browser tests: Debian's Chromium, and a ``quizgen serve`` of this module's own.
chromium_path = test_browser.chromium_path
quizgen_server = test_browser.quizgen_server
browser = test_browser.browser

LAPTOP = {"viewport": {"width": 1366, "height": 768}}
PROJECTOR = {"viewport": {"width": 1920, "height": 1080}}
PAGE_BUDGET = 100_000  # bytes of document, scripts and styles a screen may load (100 KB)
SECONDS = 30
TEAMS = ("Sharks", "Jets")
ROUNDS = (("Cast", "Cast"), ("Anything goes", ""))  # (title, category), two questions each
PER_ROUND = 2
ANNOUNCEMENTS = {"30 seconds left", "10 seconds left", "5 seconds left", "Time is up"}


# --- what the database says -------------------------------------------------------------------------------

def _query(server, sql: str, *params) -> list[tuple]:
    with sqlite3.connect(f"file:{server.db_path}?mode=ro", uri=True, timeout=5) as conn:
        return conn.execute(sql, params).fetchall()


def right_choice(server, night_id: str, position: int) -> int:
    """The shown position (1-4) of the right option of the night's question at ``position`` (0-based)."""
    from webapp.packs import question_from_json
    from webapp.rules import right_choice as right

    rows = _query(server, "SELECT question_data, option_order FROM night_question WHERE night_id = ? AND position = ?",
                  night_id, position)
    assert rows, f"night {night_id} has no question at {position}"
    return right(question_from_json(rows[0][0]), rows[0][1])


def right_text(server, night_id: str, position: int) -> str:
    from webapp.packs import question_from_json

    rows = _query(server, "SELECT question_data FROM night_question WHERE night_id = ? AND position = ?",
                  night_id, position)
    return question_from_json(rows[0][0]).correct


# --- the screens ----------------------------------------------------------------------------------------------

@dataclass
class Screen:
    """One browser context and its page, watched for problems and for requests to other hosts."""

    name: str
    page: object
    origin: str
    problems: PageProblems
    elsewhere: list[str] = field(default_factory=list)
    received: list[str] = field(default_factory=list)  # Socket.IO frames the page received

    def watch(self) -> None:
        self.problems.watch(self.page)

        def on_request(request) -> None:
            url = request.url
            if not url.startswith(("data:", "blob:")) and _origin(url) != self.origin:
                self.elsewhere.append(url)

        def on_websocket(ws) -> None:
            if _origin(ws.url.replace("ws://", "http://", 1)) != self.origin:
                self.elsewhere.append(ws.url)
            ws.on("framereceived", lambda payload: self.received.append(
                payload if isinstance(payload, str) else payload.decode(errors="replace")))

        self.page.on("request", on_request)
        self.page.on("websocket", on_websocket)

    def goto(self, path: str) -> None:
        self.page.goto(self.origin + path)

    def weight(self) -> dict[str, int]:
        """Bytes of the page as it is now and of each file it loads (scripts, styles, images), fetched again
        with the page's cookies, so that what the browser had cached counts too."""
        files = self.page.evaluate("""() => [...document.querySelectorAll(
                'script[src], link[rel~="stylesheet"][href], link[rel~="icon"][href], img[src], source[src]')]
            .map(e => e.src || e.href)
            .concat(performance.getEntriesByType('resource').map(e => e.name))
            .filter((url, i, all) => !url.startsWith('data:') && all.indexOf(url) === i)""")
        weights = {}
        for url in [self.page.url, *files]:
            assert _origin(url) == self.origin, f"{self.name} loads {url} from another host"
            response = self.page.request.get(url)
            assert response.ok, f"{url}: HTTP {response.status}"
            weights[url] = len(response.body())
        return weights

    def events(self, name: str) -> list[dict]:
        """The payloads of the Socket.IO events ``name`` the page received on /night."""
        out = []
        for frame in self.received:
            if frame.startswith("42/night,"):
                message = json.loads(frame[len("42/night,"):].lstrip("0123456789"))
                if message and message[0] == name:
                    out.append(message[1] if len(message) > 1 else None)
        return out


def shoot(page, name: str) -> None:
    """A screenshot once the page's animations have played (where motion is allowed), and axe-core on it."""
    page.evaluate("() => Promise.all(document.getAnimations().map(a => a.finished.catch(() => null)))")
    test_browser.shoot(page, name)


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


@pytest.fixture
def open_screen(browser, quizgen_server):
    """``open_screen(name, **context_options)``: a fresh context (its own cookies and storage) and page."""
    contexts = []

    def _open(name: str, **options) -> Screen:
        context = browser.new_context(**options)
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        screen = Screen(name, context.new_page(), quizgen_server.url, PageProblems())
        screen.watch()
        return screen

    yield _open
    for context in contexts:
        context.close()


def check_light_and_local(screen: Screen, what: str, weights: dict[str, int]) -> None:
    """Nothing from another host; at most :data:`PAGE_BUDGET` bytes in all."""
    assert screen.elsewhere == [], f"{what} asked another host: {screen.elsewhere}"
    total = sum(weights.values())
    assert total <= PAGE_BUDGET, f"{what} loads {total} bytes (> {PAGE_BUDGET}): {weights}"
    assert any(url.endswith("/live.js") for url in weights), f"{what} did not load live.js: {weights}"


def check_targets(screen: Screen, what: str) -> None:
    """Every visible control is at least 24 × 24 px (WCAG 2.5.8; links inside a sentence are exempt)."""
    small = screen.page.evaluate("""() => [...document.querySelectorAll(
            'button, input:not([type=hidden]), select, textarea, a.button, [role=button]')]
        .filter(e => e.offsetParent !== null)
        .map(e => [e.outerHTML.slice(0, 80), e.getBoundingClientRect()])
        .filter(([_, r]) => r.width < 24 || r.height < 24)
        .map(([h, r]) => `${h} (${Math.round(r.width)}×${Math.round(r.height)})`)""")
    assert small == [], f"{what}: targets smaller than 24 px: {small}"


def listen_to_announcements(screen: Screen) -> None:
    """Record what the page's countdown says to screen readers (its live region), to check it later."""
    screen.page.evaluate("""() => {
        window.__announced = window.__announced || [];
        const node = document.querySelector('[data-bind="announce"]');
        new MutationObserver(() => { if (node.textContent) window.__announced.push(node.textContent); })
            .observe(node, {childList: true, characterData: true, subtree: true});
    }""")


def announced(screen: Screen) -> list[str]:
    return screen.page.evaluate("() => window.__announced || []")


def visible_view(screen: Screen, view: str):
    from playwright.sync_api import expect

    locator = screen.page.locator(f'[data-view="{view}"]')
    expect(locator).to_be_visible()
    return locator


def js_number(value: float) -> str:
    """A number as live.js prints it (``toLocaleString`` in English: 1,234.5)."""
    return f"{value:,.3f}".rstrip("0").rstrip(".")


def font_px(locator) -> tuple[float, int]:
    size, weight = locator.evaluate("e => [getComputedStyle(e).fontSize, getComputedStyle(e).fontWeight]")
    return float(size.removesuffix("px")), int(weight)


def check_game_show_question(projector: Screen) -> None:
    """Big and bold enough for the back of a room; each option a colour and a shape of its own."""
    page = projector.page
    stem_size, stem_weight = font_px(page.locator('[data-bind="stem"]'))
    assert stem_size >= 40 and stem_weight >= 700, f"the projector's question is {stem_size}px, weight {stem_weight}"
    options = page.locator('[data-bind="options"] > li')
    assert options.count() == 4
    colours, shapes = set(), set()
    for i in range(4):
        option = options.nth(i)
        size, weight = font_px(option)
        assert size >= 32 and weight >= 700, f"option {i + 1} is {size}px, weight {weight}"
        colours.add(option.evaluate("e => getComputedStyle(e).backgroundColor"))
        shapes.add(option.locator(".shape").inner_text().strip())
    assert len(colours) == 4, f"the options share colours: {colours}"
    assert shapes == {"▲", "◆", "●", "■"}, f"the options' shapes: {shapes}"
    clock_size, _ = font_px(page.locator('[data-bind="clock"]'))
    assert clock_size >= 64, f"the projector's clock is {clock_size}px"
    # The clock is a timer (not read out each second); a separate live region says the thresholds.
    assert page.locator('[role="timer"] [aria-live]:not([aria-live="off"])').count() == 0
    assert page.locator('[data-bind="announce"][aria-live]').count() == 1


def check_countdown_announcements(open_screen, remote: str, night_id: str) -> None:
    """A second projector whose clock the test moves on: the countdown is said at 10 and 5 seconds left, once
    each, and at no other second (its 30 s question is too short for the 30 s mark)."""
    from playwright.sync_api import expect

    screen = open_screen("projector with a fake clock", **PROJECTOR, reduced_motion="reduce")
    page = screen.page
    page.clock.install()
    page.goto(remote)
    screen.goto(f"/host/{night_id}/screen")
    visible_view(screen, "question")
    expect(page.locator('[data-bind="clock"]')).to_have_text(re.compile(r"^\d+$"))
    listen_to_announcements(screen)

    def left() -> int:
        return int(page.locator('[data-bind="clock"]').inner_text())

    for target, said in ((12, []), (8, ["10 seconds left"]), (7, ["10 seconds left"]),
                         (3, ["10 seconds left", "5 seconds left"])):
        page.clock.fast_forward(max(0, left() - target) * 1000)
        page.wait_for_timeout(300)  # a tick of the page's clock
        assert announced(screen) == said, (target, left(), announced(screen))
    assert 0 < left() <= 5, left()
    assert screen.problems.items == [] and screen.elsewhere == []
    page.context.close()


# --- the night ------------------------------------------------------------------------------------------------

def plan_the_night(host: Screen) -> tuple[str, str]:
    """Fill /host/new and create the night; returns (night id, code) from the controls."""
    from playwright.sync_api import expect

    page = host.page
    host.goto("/host/new")  # the host is the admin: signing in leads back here
    expect(page.get_by_role("heading", name="Admin sign-in")).to_be_visible()
    page.get_by_label("Admin password").fill(ADMIN_PASSWORD)
    page.get_by_role("button", name=re.compile("sign in", re.I)).click()
    expect(page.get_by_role("heading", name="Plan a quiz night")).to_be_visible()
    page.get_by_label("Name of the night").fill("Friday night quiz")
    pack = page.get_by_label(re.compile("Tiny Pretty Things"))
    pack.check()
    for row, (title, category) in enumerate(ROUNDS, start=1):
        page.get_by_label(f"Round {row} title", exact=True).fill(title)
        page.get_by_label(f"Round {row} questions about", exact=True).select_option(category)
        page.get_by_label(f"Round {row} questions", exact=True).fill(str(PER_ROUND))
    for row in range(len(ROUNDS) + 1, 5):  # the form's other rows, left out
        page.get_by_label(f"Round {row} title", exact=True).fill("")
    page.get_by_label("Seconds per question").select_option(str(SECONDS))
    page.get_by_label(re.compile(r"^Teams")).fill("\n".join(TEAMS))
    page.get_by_role("checkbox", name=re.compile(r"^Jokers:")).check()
    shoot(page, "night-host-new")
    page.get_by_role("button", name="Create the night").click()

    expect(page).to_have_url(re.compile(r"/host/[^/]+$"))
    page.wait_for_load_state("load")
    night_id = page.url.rsplit("/", 1)[1]
    expect(page.get_by_role("heading", name="Run the night")).to_be_visible()
    code = page.locator(".code-small").inner_text().strip()
    assert re.fullmatch(r"[A-Z]{6}", code), code
    # The address phones open: this machine's LAN address in place of 127.0.0.1, never another host.
    expect(page.locator("[data-bind=join-url], .url").first).to_contain_text(f"/join/{code}")
    return night_id, code


def join(player: Screen, code: str, nickname: str, team: str, *, shot: str | None = None) -> None:
    from playwright.sync_api import expect

    page = player.page
    player.goto(f"/join/{code}")
    visible_view(player, "join")
    if shot:
        shoot(page, shot)
        check_targets(player, "the join form")
    page.get_by_label("Nickname").fill(nickname)
    page.get_by_label(team, exact=True).check()
    page.get_by_role("button", name="Join", exact=True).tap()
    visible_view(player, "lobby")
    expect(page.locator('[data-bind="me"]')).to_contain_text(f"{nickname} ({team})")


@dataclass
class Player:
    nickname: str
    team: str
    screen: Screen | None = None


def host_next(host: Screen, label: str) -> None:
    """The host's main button (its label says what comes next)."""
    from playwright.sync_api import expect

    button = host.page.locator('[data-action="next"]')
    expect(button).to_have_text(label)
    expect(button).to_be_enabled()
    button.click()


def answer(player: Player, choice: int) -> None:
    from playwright.sync_api import expect

    page = player.screen.page
    page.locator(f'[data-choice="{choice}"]').tap()
    expect(page.locator('[data-bind="receipt"]')).to_contain_text("Answer in")
    expect(page.locator(f'[data-choice="{choice}"]')).to_have_class(re.compile(r"\bchosen\b"))


def speed_points(elapsed_ms: int, window_ms: int) -> int:
    """The help page's rule, written out here: 1000 × (1 − (t / T) / 2) for an answer t into a window T."""
    return round(1000 * (1 - min(1.0, elapsed_ms / window_ms) / 2))


def expected_points(answers: list[dict], *, window_ms: dict[int, int], doubled: set[tuple[int, int]]) -> dict:
    """What each stored answer should have earned, from the time the server measured for it: speed points
    against the player's own window, +100 a right answer already in the row (at most +500), ×2 when
    (player, position) is in ``doubled``."""
    streak: dict[int, int] = {}
    out = {}
    for a in sorted(answers, key=lambda a: a["position"]):
        pid = a["player_id"]
        points = 0
        if a["correct"]:
            points = speed_points(a["elapsed_ms"], window_ms[pid]) + min(500, 100 * streak.get(pid, 0))
            points *= 2 if (pid, a["position"]) in doubled else 1
        streak[pid] = streak.get(pid, 0) + 1 if a["correct"] else 0
        out[(pid, a["position"])] = points
    return out


def test_quiz_night_two_rounds_teams_joker_to_the_podium(quizgen_server, open_screen):
    from playwright.sync_api import expect

    server = quizgen_server
    host = open_screen("host", **LAPTOP)
    night_id, code = plan_the_night(host)
    host_weight = host.weight()
    check_light_and_local(host, "the host's controls", host_weight)
    check_targets(host, "the host's controls")

    # The projector: a second device; the controls' link carries the host key into its browser.
    remote = host.page.locator("a.remote-link").get_attribute("href")
    assert remote and f"/host/{night_id}/remote?key=" in remote
    projector = open_screen("projector", **PROJECTOR, reduced_motion="reduce")
    remote = server.url + urlsplit(remote).path + "?" + urlsplit(remote).query  # this server, not the LAN address
    projector.page.goto(remote)
    expect(projector.page.get_by_role("heading", name="Run the night")).to_be_visible()
    projector.goto(f"/host/{night_id}/screen")
    visible_view(projector, "lobby")
    expect(projector.page.locator('.code [aria-hidden="true"]')).to_have_text(code)
    expect(projector.page.locator(".qr svg")).to_be_visible()
    projector_weight = projector.weight()
    check_light_and_local(projector, "the projector", projector_weight)
    listen_to_announcements(projector)

    # Three players, each on a phone of their own; Ana's phone lets animations run, the others do not.
    players = [Player("Ana", "Sharks"), Player("Ben", "Jets"), Player("Cleo", "Sharks")]
    for p in players:
        p.screen = open_screen(p.nickname, **PHONE, reduced_motion="no-preference" if p.nickname == "Ana" else "reduce")
        join(p.screen, code, p.nickname, p.team, shot="night-player-join" if p is players[0] else None)
    ana, ben, cleo = players
    player_weight = ana.screen.weight()
    check_light_and_local(ana.screen, "the player's phone", player_weight)
    check_targets(ana.screen, "the player's lobby")
    expect(projector.page.locator('[data-bind="lobby-count"]')).to_have_text("3 players in")
    expect(host.page.locator('[data-bind="lobby-count"]')).to_have_text("(3)")
    expect(projector.page.locator('[data-bind="roster"] li')).to_have_text(
        ["Ana · Sharks", "Ben · Jets", "Cleo · Sharks"])

    # prefers-reduced-motion: no animation where it is asked for, some where it is not.
    assert projector.page.locator('[data-view="lobby"]').evaluate("e => getComputedStyle(e).animationName") == "none"
    assert ana.screen.page.locator('[data-view="lobby"]').evaluate("e => getComputedStyle(e).animationName") != "none"

    # The host gives Ben twice the time before the first question; Ben's phone says so.
    roster = host.page.locator('[data-bind="roster-table"] tr')
    expect(roster).to_have_count(3)
    host.page.get_by_label("Time for Ben").select_option(label="× 2")
    expect(ben.screen.page.locator('[data-bind="me"]')).to_contain_text("2× time")

    # Ana plays the Sharks' joker on round 2; her teammate Cleo sees it too, and the screens are told.
    round2 = ROUNDS[1][0]
    ana.screen.page.get_by_role("button", name=f"Double round 2: {round2}").tap()
    expect(ana.screen.page.locator('[data-bind="joker-status"]')).to_contain_text(f"Round 2 ({round2}) counts double")
    expect(cleo.screen.page.locator('[data-bind="joker-status"]')).to_contain_text(f"Round 2 ({round2}) counts double")
    expect(ben.screen.page.get_by_role("button", name=f"Double round 2: {round2}")).to_be_enabled()
    expect(projector.page.locator('[data-bind="notice"]')).to_have_text(
        f"Joker for Sharks: round 2 ({round2}) counts double!")
    shoot(projector.page, "night-projector-lobby")
    shoot(ben.screen.page, "night-player-lobby")  # the Jets' joker is still to play
    check_targets(ben.screen, "the player's lobby with the joker's buttons")
    shoot(host.page, "night-host-lobby")

    # Who answers what: (question position) → {player: right?}; Ana's and Cleo's team doubles round 2.
    plan = {0: {"Ana": True, "Ben": True, "Cleo": True},
            1: {"Ana": False, "Ben": True, "Cleo": True},
            2: {"Cleo": True, "Ana": True, "Ben": False},
            3: {"Ben": True, "Ana": True, "Cleo": False}}
    total = len(ROUNDS) * PER_ROUND
    by_name = {p.nickname: p for p in players}
    for p in players:
        listen_to_announcements(p.screen)

    host_next(host, "Start the quiz")
    for position in range(total):
        number = position + 1
        right = right_choice(server, night_id, position)
        round_title = ROUNDS[position // PER_ROUND][0]

        visible_view(projector, "question")
        expect(projector.page.locator('[data-bind="progress"]')).to_have_text(f"Question {number} of {total}")
        expect(projector.page.locator('[data-bind="round"]')).to_have_text(
            f"Round {position // PER_ROUND + 1} · {round_title}")
        expect(projector.page.locator('[data-bind="options"] > li')).to_have_count(4)
        for p in players:
            visible_view(p.screen, "question")
            expect(p.screen.page.locator('[data-bind="round"]')).to_contain_text(f"{round_title} · question {number}")
            expect(p.screen.page.locator("[data-choice]")).to_have_count(4)
        # The host sees the answer; no phone is ever sent it while the question is open.
        expect(host.page.locator('[data-bind="answer"]')).to_contain_text(right_text(server, night_id, position))
        for p in players:
            assert p.screen.page.locator('[data-view="question"] :is(.right, .tick)').count() == 0
        # Ben's own clock runs twice as long.
        for p in (ana, ben):
            expect(p.screen.page.locator('[data-bind="clock"]')).to_have_text(re.compile(r"^\d+$"))
        ben_left = int(ben.screen.page.locator('[data-bind="clock"]').inner_text() or 0)
        ana_left = int(ana.screen.page.locator('[data-bind="clock"]').inner_text() or 0)
        assert ben_left > SECONDS >= ana_left > 0, (ben_left, ana_left)

        if position == 0:
            check_game_show_question(projector)
            shoot(projector.page, "night-projector-question")
            shoot(ana.screen.page, "night-player-question")
            check_targets(ana.screen, "the player's question")
            assert_fits_width(ana.screen.page, "the player's question")

        if number == total:
            check_countdown_announcements(open_screen, remote, night_id)

        for index, (name, correct) in enumerate(plan[position].items()):
            choice = right if correct else right % 4 + 1
            answer(by_name[name], choice)
            if index == 0:
                expect(projector.page.locator('[data-bind="count"]')).to_contain_text("1 of 3 answered")
                expect(host.page.locator('[data-bind="count"]')).to_contain_text("1 of 3 answered")
                if position == 0:
                    shoot(host.page, "night-host-question")
                    check_targets(host, "the host's controls mid-question")
                if position == 2:
                    # Cleo reloads after answering: the same player, the same score, her answer kept.
                    page = cleo.screen.page
                    before = page.locator('[data-bind="me"]').inner_text()
                    assert "Cleo (Sharks)" in before and " 0 points" not in before, before
                    page.reload()
                    visible_view(cleo.screen, "question")
                    expect(page.locator('[data-bind="me"]')).to_have_text(before)
                    expect(page.locator(f'[data-choice="{choice}"]')).to_have_class(re.compile(r"\bchosen\b"))
                    expect(page.locator("[data-choice]:enabled")).to_have_count(0)
                    expect(page.locator('[data-bind="receipt"]')).to_contain_text("Answer in")
                    expect(page.locator('[data-bind="joker-on"]')).to_be_visible()  # round 2: the Sharks' joker
                    shoot(page, "night-player-after-reload")
                    assert _query(server, "SELECT COUNT(*) FROM night_player WHERE night_id = ?", night_id) == [(3,)]
                    listen_to_announcements(cleo.screen)
                    expect(projector.page.locator('[data-bind="count"]')).to_contain_text("1 of 3 answered")

        # Everyone answered: the question closes by itself.
        visible_view(projector, "reveal")
        expect(projector.page.locator('[data-bind="reveal-options"] > li.right')).to_have_count(1)
        expect(projector.page.locator('[data-bind="reveal-options"] > li').nth(right - 1)).to_have_class(
            re.compile(r"\bright\b"))
        for p in players:
            visible_view(p.screen, "result")
            verdict = "Right!" if plan[position][p.nickname] else "Not this time."
            expect(p.screen.page.locator('[data-bind="verdict"]')).to_have_text(verdict)
        if position == 0:
            shoot(projector.page, "night-projector-reveal")
            shoot(ana.screen.page, "night-player-result")
            assert_fits_width(ana.screen.page, "the player's result")
        if position == 1:
            shoot(ana.screen.page, "night-player-result-wrong")

        host_next(host, "Show leaderboard")
        visible_view(projector, "standings")
        expect(projector.page.locator('[data-bind="board"] > li')).to_have_count(3)
        if position == 0:
            shoot(projector.page, "night-projector-leaderboard")
        host_next(host, "Podium" if number == total else "Next question")

    # The podium.
    visible_view(projector, "final")
    scores = {name: score for name, score in _query(
        server, "SELECT nickname, score FROM night_player WHERE night_id = ?", night_id)}
    podium = projector.page.locator('[data-bind="podium"] > li')
    expect(podium).to_have_count(3)
    shown = {}
    for i in range(3):
        item = podium.nth(i)
        shown[item.locator(".name").inner_text().strip()] = int(re.sub(r"\D", "", item.locator(".score").inner_text()))
    assert shown == scores, f"the podium shows {shown}, the database has {scores}"
    team_rows = projector.page.locator('[data-bind="podium-teams"] > li')
    expect(team_rows).to_have_count(2)
    for team in TEAMS:
        members = [scores[p.nickname] for p in players if p.team == team]
        mean = round(sum(members) / len(members), 1)
        row = projector.page.locator('[data-bind="podium-teams"] > li', has_text=team)
        expect(row.locator(".score")).to_have_text(js_number(mean))
    shoot(projector.page, "night-projector-podium")
    for p in players:
        visible_view(p.screen, "final")
        expect(p.screen.page.locator('[data-bind="final-score"]')).to_have_text(f"{scores[p.nickname]:,}")
    shoot(ana.screen.page, "night-player-final")
    shoot(host.page, "night-host-final")

    # The scores as the rules say: the joker doubled round 2 for the Sharks, Ben's window was his own.
    ids = {name: pid for pid, name in _query(server, "SELECT id, nickname FROM night_player WHERE night_id = ?",
                                             night_id)}
    name_of = {pid: name for name, pid in ids.items()}
    factors = dict(_query(server, "SELECT nickname, time_factor FROM night_player WHERE night_id = ?", night_id))
    assert factors == {"Ana": 100, "Ben": 200, "Cleo": 100}, factors
    assert _query(server, "SELECT side, round FROM night_joker WHERE night_id = ?", night_id) == [("team:Sharks", 1)]
    rounds = dict(_query(server, "SELECT position, round FROM night_question WHERE night_id = ?", night_id))
    answers = [dict(zip(("player_id", "position", "correct", "elapsed_ms", "points"), row)) for row in _query(
        server, "SELECT player_id, position, correct, elapsed_ms, points FROM night_answer WHERE night_id = ?",
        night_id)]
    assert sorted((name_of[a["player_id"]], a["position"], bool(a["correct"])) for a in answers) == sorted(
        (name, position, correct) for position, chosen in plan.items() for name, correct in chosen.items())
    team_of = {p.nickname: p.team for p in players}
    doubled = {(a["player_id"], a["position"]) for a in answers
               if rounds[a["position"]] == 1 and team_of[name_of[a["player_id"]]] == "Sharks"}
    window = {ids[name]: SECONDS * 1000 * factors[name] // 100 for name in ids}
    stored = {(a["player_id"], a["position"]): a["points"] for a in answers}
    assert stored == expected_points(answers, window_ms=window, doubled=doubled)
    assert {name: sum(p for (pid, _), p in stored.items() if pid == ids[name]) for name in ids} == scores
    # Round 2 counted double for the Sharks: Ana's two right answers there and Cleo's one, not Ben's.
    plain = expected_points(answers, window_ms=window, doubled=set())
    assert sorted(name_of[pid] for (pid, position) in doubled if stored[(pid, position)]) == ["Ana", "Ana", "Cleo"]
    assert all(stored[key] == 2 * plain[key] for key in doubled)
    # Ben's speed points were measured against his own 60 s, not the room's 30 s.
    bens = [a for a in answers if a["player_id"] == ids["Ben"] and a["correct"]]
    assert any(speed_points(a["elapsed_ms"], 2 * SECONDS * 1000) > speed_points(a["elapsed_ms"], SECONDS * 1000)
               for a in bens), bens

    # The countdown spoke only at its thresholds; the phones were never sent which option is right.
    for screen in [projector] + [p.screen for p in players]:
        assert set(announced(screen)) <= ANNOUNCEMENTS, (screen.name, announced(screen))
        for event in screen.events("question"):
            assert not {"right", "answer", "text", "correct"} & set(event), event
    assert len(ana.screen.events("question")) == total
    for p in players:
        assert p.screen.events("answer") == [] and p.screen.events("question_screen") == []

    weights = {"host": sum(host_weight.values()), "projector": sum(projector_weight.values()),
               "player": sum(player_weight.values())}
    print(f"page weights (bytes): {weights}")
    (SCREENSHOTS / "night-page-weights.json").write_text(json.dumps(
        {"total": weights, "files": {"host": host_weight, "projector": projector_weight, "player": player_weight}},
        indent=2))
    for screen in [host, projector] + [p.screen for p in players]:
        assert screen.elsewhere == [], f"{screen.name} asked another host: {screen.elsewhere}"
        assert screen.problems.items == [], f"{screen.name} had problems:\n" + "\n".join(screen.problems.items)
    assert "Traceback" not in server.log(), server.log()
