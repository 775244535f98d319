"""Playing a game through the browser's eyes: the solo blueprint."""

from __future__ import annotations

import re
from dataclasses import replace
from html import unescape
from pathlib import Path

import pytest
from flask import request
from markupsafe import escape
from sqlmodel import select

from quizgen import Source, load_pack
from webapp import rules

SHIPPED_PACK = Path(__file__).resolve().parents[3] / "questions" / "packs" / "tiny-pretty-things.json"
BUTTON = re.compile(r'<button class="option opt-\d" type="submit" name="choice" value="(\d)">(.*?)</button>', re.S)
SHAPES = "▲◆●■"


def option_buttons(html: str) -> list[tuple[str, str]]:
    return BUTTON.findall(html)


def test_full_game_untimed(client, pack, player, clock):
    game_id = player.start(length=5)
    for number in range(1, 6):
        page = player.question_page(game_id, number).get_data(as_text=True)
        clock.advance(2)  # read, then answer
        assert f"Question {number} of 5" in page
        right = player.right_choice(game_id, number)
        choice = right if number != 3 else right % 4 + 1  # one wrong answer
        response = player.answer(game_id, number, choice)
        assert response.status_code == 303
        assert response.headers["Location"].endswith(f"/games/{game_id}/questions/{number}")
        feedback = client.get(response.headers["Location"]).get_data(as_text=True)
        assert ("Right!" in feedback) == (number != 3)
        assert 'aria-live="assertive"' in feedback
        assert "Source:" in feedback and "article_" in feedback
        # Going on is a link (a GET form would add an empty "?" to the URL).
        onward = f"/games/{game_id}/questions/{number + 1}" if number < 5 else f"/games/{game_id}/results"
        assert f'<a class="button primary" href="{onward}" autofocus>' in feedback
        assert 'method="get"' not in feedback
    results = client.get(f"/games/{game_id}/results")
    assert results.status_code == 200
    html = results.get_data(as_text=True)
    assert "4\u202f000 points" in html
    assert "4 of 5 right" in html
    assert 'name="nickname"' in html
    game = player.game(game_id)
    assert (game.score, game.answered) == (4000, 5)
    assert game.finished_ms is not None


def test_question_page_never_says_which_option_is_right(client, pack, player):
    game_id = player.start(length=5)
    for number in range(1, 6):
        html = player.question_page(game_id, number).get_data(as_text=True)
        buttons = option_buttons(html)
        assert [v for v, _ in buttons] == ["1", "2", "3", "4"]
        texts = [re.search(r'<span class="text">(.*?)</span>', b).group(1) for _, b in buttons]
        (right_text,) = [t for t in texts if t.startswith("Right ")]
        i = int(right_text.split()[1])
        # Nothing but the four texts distinguishes the options, and no explanation or source leaks.
        # (each option has its own number, colour and shape: the n-th option the n-th, whatever it says)
        assert len({re.sub(r"(Right|Wrong) [\d-]+", "X", b).replace(f">{v}<", ">N<").replace(SHAPES[int(v) - 1], "S")
                    for v, b in buttons}) == 1
        assert [SHAPES.index(re.search(r'class="shape" aria-hidden="true">(.)<', b).group(1)) + 1
                for _, b in buttons] == [1, 2, 3, 4]
        assert f"Explanation {i}" not in html and f"article_{i}" not in html and f"Sentence {i}" not in html
        assert "is-right" not in html and "right answer" not in html.lower()
        player.answer(game_id, number, 1)


def test_options_are_shuffled_per_game(client, save, make_pack, player):
    save(make_pack(n=24, answer=0))  # in the pack file the right option is always the first
    positions = set()
    for _ in range(4):
        game_id = player.start(length=5)
        positions.update(player.right_choice(game_id, n) for n in range(1, 6))
    assert len(positions) > 1


def test_second_answer_is_refused_and_never_scores(client, pack, player):
    game_id = player.start(length=5)
    player.question_page(game_id, 1)
    right = player.right_choice(game_id, 1)
    assert player.answer(game_id, 1, right).status_code == 303
    again = player.answer(game_id, 1, right)
    assert again.status_code == 303
    page = client.get(again.headers["Location"]).get_data(as_text=True)
    assert "already answered" in page
    game = player.game(game_id)
    assert (game.score, game.answered) == (1000, 1)
    # Nor can a wrong first answer be replaced by a right one.
    player.question_page(game_id, 2)
    player.answer(game_id, 2, player.right_choice(game_id, 2) % 4 + 1)
    player.answer(game_id, 2, player.right_choice(game_id, 2))
    assert player.game(game_id).score == 1000


def test_reload_and_back_neither_lose_nor_repeat(client, pack, player, clock):
    game_id = player.start(length=5, timed=True)
    first = player.question_page(game_id, 1).get_data(as_text=True)
    clock.advance(5)
    again = player.question_page(game_id, 1).get_data(as_text=True)
    assert option_buttons(first) == option_buttons(again)  # same options, same order
    assert 'data-remaining-ms="15000"' in again  # the clock did not restart on reload
    player.answer(game_id, 1, player.right_choice(game_id, 1))
    # Going back to question 1 shows its feedback; skipping ahead lands on the current question.
    assert "Right!" in player.question_page(game_id, 1).get_data(as_text=True)
    ahead = player.question_page(game_id, 4)
    assert ahead.status_code == 303 and ahead.headers["Location"].endswith("/questions/2")
    resume = client.get(f"/games/{game_id}")
    assert resume.headers["Location"].endswith("/questions/2")
    results = client.get(f"/games/{game_id}/results")
    assert results.status_code == 303 and results.headers["Location"].endswith("/questions/2")


def test_answering_ahead_of_the_current_question_is_refused(client, pack, player):
    game_id = player.start(length=5)
    player.question_page(game_id, 1)
    response = player.answer(game_id, 3, 1)
    assert response.status_code == 303 and response.headers["Location"].endswith("/questions/1")
    assert player.game(game_id).answered == 0


def test_late_answer_scores_zero(client, save, make_pack, player, clock):
    save(make_pack(time_limit=10))
    game_id = player.start(length=5, timed=True)
    player.question_page(game_id, 1)
    clock.advance(10 + rules.LATE_GRACE_MS / 1000 + 0.001)
    player.answer(game_id, 1, player.right_choice(game_id, 1))
    feedback = player.question_page(game_id, 1).get_data(as_text=True)
    assert "Time's up. 0 points." in feedback
    assert player.game(game_id).score == 0


def test_no_answer_when_the_time_ran_out_says_times_up_as_a_late_answer_does(client, save, make_pack, player, clock):
    # the play page's countdown sends "no answer" itself when the time is up
    save(make_pack(time_limit=10))
    game_id = player.start(length=5, timed=True)
    player.question_page(game_id, 1)
    clock.advance(10)
    player.answer(game_id, 1, 0)
    feedback = player.question_page(game_id, 1).get_data(as_text=True)
    assert "Time's up. 0 points." in feedback and "Skipped" not in feedback
    player.question_page(game_id, 2)
    clock.advance(3)
    player.answer(game_id, 2, 0)  # skipped with time left: not a time-out
    feedback = player.question_page(game_id, 2).get_data(as_text=True)
    assert "Skipped. 0 points." in feedback and "Time's up" not in feedback


def test_timed_answer_within_the_grace_counts_and_speed_pays(client, save, make_pack, player, clock):
    save(make_pack(time_limit=10))
    game_id = player.start(length=5, timed=True)
    player.question_page(game_id, 1)
    player.answer(game_id, 1, player.right_choice(game_id, 1))  # at once: full bonus
    player.question_page(game_id, 2)
    clock.advance(5)
    player.answer(game_id, 2, player.right_choice(game_id, 2))  # half the time: half the bonus
    player.question_page(game_id, 3)
    clock.advance(10.5)  # past the limit but inside the network grace
    player.answer(game_id, 3, player.right_choice(game_id, 3))
    game = player.game(game_id)
    assert game.score == 1500 + 1250 + 1000
    assert game.time_ms == 15_500


def test_untimed_game_has_no_deadline(client, pack, player, clock):
    game_id = player.start(length=5, timed=False)
    html = player.question_page(game_id, 1).get_data(as_text=True)
    assert "data-remaining-ms" not in html
    clock.advance(3600)
    player.answer(game_id, 1, player.right_choice(game_id, 1))
    assert player.game(game_id).score == 1000


def test_skip_scores_nothing(client, pack, player):
    game_id = player.start(length=5)
    player.question_page(game_id, 1)
    player.answer(game_id, 1, 0)
    assert "Skipped. 0 points." in player.question_page(game_id, 1).get_data(as_text=True)
    assert player.game(game_id).score == 0


def test_answer_to_a_question_never_shown_is_refused(client, pack, player):
    game_id = player.start(length=5)
    response = player.answer(game_id, 1, 1)
    assert response.status_code == 409
    assert player.game(game_id).answered == 0


@pytest.mark.parametrize("choice", ["5", "-1", "x", "", "1.5", "9" * 40])
def test_bad_choices_are_400(client, pack, player, choice):
    game_id = player.start(length=5)
    player.question_page(game_id, 1)
    assert player.answer(game_id, 1, choice).status_code == 400
    assert player.game(game_id).answered == 0


def test_game_of_another_session_is_not_found(app, pack, player):
    game_id = player.start(length=5)
    stranger = app.test_client()
    assert stranger.get(f"/games/{game_id}/questions/1").status_code == 404
    assert stranger.post(f"/games/{game_id}/questions/1", data={"choice": "1"}).status_code == 400  # no answer token
    assert stranger.get(f"/games/{game_id}/results").status_code == 404


def test_unknown_games_and_questions_are_404(client, pack, player):
    assert client.get("/games/nope/questions/1").status_code == 404
    game_id = player.start(length=5)
    assert player.question_page(game_id, 6).status_code == 404
    assert player.question_page(game_id, 0).status_code == 404
    assert client.post("/packs/nope/games", data={"length": "5", "difficulty": "mixed"}).status_code == 404


def test_difficulty_filters_questions(client, pack, player):
    game_id = player.start(length=20, difficulty="hard")
    game = player.game(game_id)
    assert game.length == 8  # only 8 of the 24 questions are hard: all of them, once each
    for number in range(1, 9):
        html = player.question_page(game_id, number).get_data(as_text=True)
        i = int(re.search(r"Question number (\d+)", html).group(1))
        assert i % 3 == 2
        player.answer(game_id, number, 1)


def test_difficulty_without_questions_explains(client, save, make_pack, player):
    save(make_pack(difficulty="easy"))
    response = client.post("/packs/tiny-pretty-things/games", data={"length": "5", "difficulty": "hard"})
    assert response.status_code == 303
    assert "no hard questions" in client.get(response.headers["Location"]).get_data(as_text=True)


@pytest.mark.parametrize("data", [{"length": "7", "difficulty": "mixed"}, {"length": "5", "difficulty": "extreme"},
                                  {}])
def test_bad_new_game_form_is_400(client, pack, data):
    response = client.post("/packs/tiny-pretty-things/games", data=data)
    assert response.status_code == 400
    assert "Choose" in response.get_data(as_text=True) or "required" in response.get_data(as_text=True)


def test_results_show_a_review_of_every_question(client, pack, player):
    game_id = player.start(length=5)
    player.play_through(game_id, right=False)
    html = client.get(f"/games/{game_id}/results").get_data(as_text=True)
    assert html.count('class="review-item"') == 5
    assert html.count("Right answer:") == 5 and "you chose" in html
    assert "0 of 5 right" in html
    # folded: each question is one line (its verdict, question and answer) until the player opens it
    items = re.findall(r'<li class="review-item">\s*<details>\s*<summary>(.*?)</summary>', html, re.S)
    assert len(items) == 5 and all("Wrong:" in item and "(you: " in item for item in items)
    assert "<details open" not in html


def test_play_page_is_small(client, pack, player):
    game_id = player.start(length=5, timed=True)
    html = player.question_page(game_id, 1).data
    assets = re.findall(r'(?:href|src)="(/static/[^"]+)"', html.decode())
    total = len(html) + sum(len(client.get(a).data) for a in assets)
    assert {a.rsplit("/", 1)[1] for a in assets} == {"style.css", "play.js"}
    assert total <= 100 * 1024
    assert not re.search(r'(?:href|src)="(?:https?:)?//', html.decode())  # nothing from other hosts


# --- explanations and sources -------------------------------------------------------------------------

FAR_BEFORE = " ".join(f"before{i}" for i in range(30))
FAR_AFTER = " ".join(f"after{i}" for i in range(30))
LONG_SENTENCE = f"{FAR_BEFORE} Casimere Jollette plays Bette Whitlaw, {FAR_AFTER}."
STATED = Source(article="tiny-pretty-things.txt", title="Tiny Pretty Things <TV series> & more",
                sentence=LONG_SENTENCE, mark=(len(FAR_BEFORE) + 1, len(FAR_BEFORE) + 1 + len("Casimere Jollette")))
AGREEING = Source(article="netflix-cast.txt", sentence="Netflix cast Casimere Jollette as Bette.", mark=(13, 30))
DATE_LINE = Source(article="deadline.txt", title="Deadline: cast announced", date="2019-03-04")


def sourced_pack(make_pack, *sources):
    """A one-question pack whose answer rests on ``sources``."""
    pack = make_pack(n=1)
    question = replace(pack.questions[0], explanation="Casimere Jollette plays Bette Whitlaw.", sources=sources)
    return replace(pack, questions=(question,))


def excerpt_html(source) -> str:
    before, marked, after = (str(escape(part)) for part in source.excerpt())
    return f"“{before}<mark>{marked}</mark>{after}”"


def answered_page(client, player) -> tuple[str, str]:
    """Play the one-question game: the answer page and the results page."""
    game_id = player.start(length=5)
    assert player.game(game_id).length == 1
    player.play_through(game_id, length=1)
    answer = client.get(f"/games/{game_id}/questions/1").get_data(as_text=True)
    return answer, client.get(f"/games/{game_id}/results").get_data(as_text=True)


def test_the_explanation_then_its_first_source_as_a_marked_excerpt(client, save, make_pack, player):
    save(sourced_pack(make_pack, STATED))
    for page in answered_page(client, player):
        assert page.count("Casimere Jollette plays Bette Whitlaw.") == 1
        assert "Source: <cite>Tiny Pretty Things &lt;TV series&gt; &amp; more</cite>" in page
        assert "tiny-pretty-things.txt" not in page  # the article by its title
        assert page.count(excerpt_html(STATED)) == 1  # quoted once
        assert "<mark>Casimere Jollette</mark>" in page and "…" in page
        assert "before0 " not in page and "after29" not in page  # never the whole long sentence
        assert "more source" not in page


def test_further_sources_are_excerpts_behind_more_sources(client, save, make_pack, player):
    save(sourced_pack(make_pack, STATED, AGREEING, DATE_LINE))
    for page in answered_page(client, player):
        assert page.count("<summary>2 more sources</summary>") == 1
        first, more = page.split("<summary>2 more sources</summary>", 1)
        assert excerpt_html(STATED) in first and "netflix-cast.txt" not in first
        assert "Source: <cite>netflix-cast.txt</cite>: “Netflix cast <mark>Casimere Jollette</mark> as Bette.”" in more
        assert "Source: <cite>Deadline: cast announced</cite>, dated 2019-03-04" in more
        assert page.count("<mark>") == 2  # the date line has nothing to mark


def test_a_date_line_source_and_a_quote_without_a_mark(client, save, make_pack, player):
    unmarked = Source(article="a.txt", title="An article", sentence="Casimere Jollette & co play in it.")
    save(sourced_pack(make_pack, DATE_LINE, unmarked))
    for page in answered_page(client, player):
        assert page.count("<summary>1 more source</summary>") == 1
        first = page.split("<summary>1 more source</summary>", 1)[0]
        assert "Source: <cite>Deadline: cast announced</cite>, dated 2019-03-04" in first
        assert "“Casimere Jollette &amp; co play in it.”" in page and "<mark>" not in page


def test_a_shorter_game_is_offered_before_it_starts(app, client, save, make_cast_pairs_pack, player):
    save(make_cast_pairs_pack("tiny-pretty-things", pairs=3))
    asked = client.post("/packs/tiny-pretty-things/games", data={"length": "5", "difficulty": "mixed", "timed": "y"})
    assert asked.status_code == 200  # no game yet: the pack page says why, and offers the shorter one
    page = asked.get_data(as_text=True)
    assert "Only 3 questions, not 5" in page
    assert "without two of them giving each other away" in page
    confirm = re.search(r'<section class="notice".*?</section>', page, re.S).group(0)
    fields = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)">', confirm))
    assert fields == {"length": "5", "difficulty": "mixed", "timed": "y", "accept_shorter": "y"}
    with app.app_context():
        from webapp import models
        from webapp.db import get_session

        assert get_session().exec(select(models.Game)).all() == []
    started = client.post("/packs/tiny-pretty-things/games", data=fields)
    assert started.status_code == 303
    game_id = started.headers["Location"].split("/games/")[1].split("/")[0]
    assert player.game(game_id).length == 3 and player.game(game_id).timed
    player.play_through(game_id, length=3)
    assert "3 of 3 right" in client.get(f"/games/{game_id}/results").get_data(as_text=True)


def test_a_game_of_the_length_asked_for_says_nothing_about_its_length(client, save, make_cast_pairs_pack, player):
    save(make_cast_pairs_pack("tiny-pretty-things", pairs=6))
    game_id = player.start(length=5)
    assert "This game has" not in player.question_page(game_id, 1).get_data(as_text=True)


def test_the_shipped_pack_plays_with_marked_excerpts_and_no_shared_facts(app, client, save, player):
    pack = load_pack(SHIPPED_PACK)
    save(pack)
    by_stem = {q.stem: q for q in pack.questions}
    game_id = player.start(pack.id, length=20)
    length = player.game(game_id).length
    facts: list[str] = []
    for number in range(1, length + 1):
        page = player.question_page(game_id, number).get_data(as_text=True)
        question = by_stem[unescape(re.search(r'<h1[^>]*>(.*?)</h1>', page, re.S).group(1).strip())]
        facts += question.facts
        player.answer(game_id, number, player.right_choice(game_id, number))
        answer = client.get(f"/games/{game_id}/questions/{number}").get_data(as_text=True)
        first = question.sources[0]
        assert str(escape(question.explanation)) in answer
        assert f"Source: <cite>{escape(first.name())}</cite>" in answer
        if first.sentence is not None and "".join(first.excerpt()) != first.sentence:
            assert str(escape(first.sentence)) not in answer  # a long sentence is cut, never shown whole
    assert len(facts) == len(set(facts))


def test_dates_and_numbers_are_shown_in_the_packs_order(app, client, save, player):
    pack = load_pack(SHIPPED_PACK)
    save(pack)
    by_stem = {q.stem: q for q in pack.questions}
    seen_ordered = 0
    for _ in range(4):  # a few games: each draws 20 of the pack's questions
        game_id = player.start(pack.id, length=20)
        for number in range(1, player.game(game_id).length + 1):
            page = player.question_page(game_id, number).get_data(as_text=True)
            question = by_stem[unescape(re.search(r'<h1[^>]*>(.*?)</h1>', page, re.S).group(1).strip())]
            shown = [unescape(re.search(r'<span class="text">(.*?)</span>', b).group(1)) for _, b in option_buttons(page)]
            if question.ordered:
                seen_ordered += 1
                assert shown == list(question.options), question.stem
            player.answer(game_id, number, 1)
    assert seen_ordered >= 3


def test_an_unfinished_game_is_offered_on_the_home_and_pack_pages(app, client, pack, player):
    assert "Carry on where you left off" not in client.get("/").get_data(as_text=True)
    game_id = player.start(length=5)
    for number in (1, 2):
        player.question_page(game_id, number)
        player.answer(game_id, number, 1)
    link = f'<a href="/games/{game_id}">Tiny Pretty Things: question 3 of 5</a>'
    assert link in client.get("/").get_data(as_text=True)
    assert link in client.get("/packs/tiny-pretty-things").get_data(as_text=True)
    resumed = client.get(f"/games/{game_id}")
    assert resumed.status_code == 303 and resumed.headers["Location"].endswith(f"/games/{game_id}/questions/3")
    assert "Carry on" not in app.test_client().get("/").get_data(as_text=True)  # another browser's player
    for number in (3, 4, 5):
        player.question_page(game_id, number)
        player.answer(game_id, number, 1)
    assert "Carry on where you left off" not in client.get("/").get_data(as_text=True)  # finished


def test_results_say_where_the_score_would_stand_before_it_is_posted(client, pack, player):
    first = player.start(length=5)
    player.play_through(first, right=True)
    page = client.get(f"/games/{first}/results").get_data(as_text=True)
    assert "You would be <strong>#1</strong> of 1 on this pack’s all-time board (5 questions, mixed, untimed)" in page
    assert "Every answer right!" in page
    client.post(f"/games/{first}/results", data={"nickname": "Ada"})
    second = player.start(length=5)
    player.play_through(second, right=False)
    page = client.get(f"/games/{second}/results").get_data(as_text=True)
    assert "You would be <strong>#2</strong> of 2" in page and "Every answer right!" not in page


def test_the_servers_downtime_is_not_charged_to_a_timed_question(app, client, save, make_pack, player, clock, tmp_path):
    from webapp import create_app

    save(make_pack(time_limit=10))
    game_id = player.start(length=5, timed=True)
    player.question_page(game_id, 1)
    clock.advance(20)  # the server is down for 20 s while the question is open ...
    keep = ("TESTING", "SECRET_KEY", "DATABASE_URL", "WTF_CSRF_ENABLED", "RATELIMIT_ENABLED", "CLOCK")
    restarted = create_app({k: app.config[k] for k in keep}, instance_path=str(tmp_path / "restarted"))
    browser = restarted.test_client()
    browser.set_cookie("session", client.get_cookie("session").value)  # ... and the same player comes back
    page = browser.get(f"/games/{game_id}/questions/1").get_data(as_text=True)
    assert 'data-remaining-ms="10000"' in page  # the whole time, from the restart
    clock.advance(4)
    right = player.right_choice(game_id, 1)
    token = re.search(r'name="answer_token" value="([^"]+)"', page).group(1)
    assert browser.post(f"/games/{game_id}/questions/1", data={"choice": str(right), "answer_token": token}).status_code == 303
    game = player.game(game_id)
    assert game.score == 1000 + 300  # right, not late; 6 of 10 s left: 60 % of the 500-point bonus
    from webapp.db import get_engine

    get_engine(restarted).dispose()


def test_an_answer_is_judged_when_it_reached_the_server_not_when_a_busy_server_got_to_it(app, client, save, make_pack,
                                                                                      player, clock):
    busy = []

    @app.before_request
    def a_busy_server():  # the server takes 5 s to get round to an answer, after the request arrived
        if busy and request.method == "POST":
            clock.advance(5)

    save(make_pack(time_limit=10))
    game_id = player.start(length=5, timed=True)
    player.question_page(game_id, 1)
    clock.advance(9)  # sent with a second to spare
    busy.append(True)
    assert player.answer(game_id, 1, player.right_choice(game_id, 1)).status_code == 303
    assert player.game(game_id).score == 1000 + 50  # right and in time: a tenth of the time left, 50 bonus
