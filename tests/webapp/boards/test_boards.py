"""Leaderboards (the boards blueprint and the leaderboard queries)."""

from __future__ import annotations

import html
import re

import pytest

from webapp import models
from webapp.boards.store import add_leaderboard_entries, game_standing, overall_board, pack_board, top_scores
from webapp.db import get_session
from webapp.rules import Settings

DAY = 24 * 3600
FIVE = Settings(5, "mixed", False)  # the settings of the games `finish` plays
ALL_FIVE, TPT_FIVE = overall_board(FIVE), pack_board("tiny-pretty-things", FIVE)


@pytest.fixture
def finish(player, clock):
    """Play a 5-question game with ``right`` right answers, ``seconds`` per answer; return its id."""

    def _finish(right: int, seconds: float = 1.0, pack_id: str = "tiny-pretty-things") -> str:
        game_id = player.start(pack_id, length=5)
        for number in range(1, 6):
            player.question_page(game_id, number)
            clock.advance(seconds)
            choice = player.right_choice(game_id, number)
            player.answer(game_id, number, choice if number <= right else choice % 4 + 1)
        return game_id
    return _finish


@pytest.fixture
def post(client):
    def _post(game_id: str, nickname: str):
        response = client.post(f"/games/{game_id}/results", data={"nickname": nickname})
        assert response.status_code == 303, response.get_data(as_text=True)
        return response
    return _post


def board_rows(html: str) -> list[tuple[str, str]]:
    """(rank, nickname) of each row of the leaderboard table."""
    return re.findall(r"<tr(?: class=\"is-mine\")?><td>(\d+)</td><td>(.*?)</td>", html)


def add_entries(app, board: str, period: str, rows: list[tuple[str, int, int]]) -> None:
    """Store (nickname, score, time_ms) rows directly (and count them), in this order (ids increase)."""
    with app.app_context():
        session = get_session()
        for i, (nickname, score, time_ms) in enumerate(rows):
            add_leaderboard_entries([models.LeaderboardEntry(board=board, period=period, score=score, time_ms=time_ms,
                                                             nickname=nickname, game_id=f"g{i}-{nickname}",
                                                             created_ms=i)])
            session.commit()  # one by one: the insertion order is the entry order


def test_posting_a_score_writes_every_board_and_period_once(app, pack, finish, post, player, clock):
    game_id = finish(right=3)
    response = post(game_id, "Ada")
    assert response.headers["Location"].endswith("/leaderboards/tiny-pretty-things?settings=5-mixed-untimed")
    with app.app_context():
        entries = get_session().exec(models.LeaderboardEntry.__table__.select()).all()
    assert sorted((e.board, e.period) for e in entries) == sorted(
        (b, p) for b in ("all|5-mixed-untimed", "pack:tiny-pretty-things|5-mixed-untimed")
        for p in ("all", "w2025-W47", "d2025-11-22"))
    assert {(e.score, e.nickname, e.game_id) for e in entries} == {(3000, "Ada", game_id)}
    # Once only: a second post is refused and writes nothing.
    again = player.client.post(f"/games/{game_id}/results", data={"nickname": "Bob"})
    assert again.status_code == 303
    with app.app_context():
        assert len(get_session().exec(models.LeaderboardEntry.__table__.select()).all()) == 6
    assert player.game(game_id).nickname == "Ada"


def test_unfinished_game_cannot_be_posted(app, pack, player):
    game_id = player.start(length=5)
    response = player.client.post(f"/games/{game_id}/results", data={"nickname": "Ada"})
    assert response.status_code == 303 and response.headers["Location"].endswith("/questions/1")
    assert player.game(game_id).nickname is None


def test_order_is_score_then_time_then_entry(app, pack):
    add_entries(app, "all", "all", [
        ("slow-high", 5000, 9000), ("fast-low", 4000, 1000), ("tie-first", 5000, 3000),
        ("tie-second", 5000, 3000), ("fastest-high", 5000, 2000),
    ])
    with app.test_request_context():
        top = top_scores("all", "all")
        assert [(s.rank, s.nickname) for s in top] == [
            (1, "fastest-high"), (2, "tie-first"), (3, "tie-second"), (4, "slow-high"), (5, "fast-low")]
        assert game_standing("all", "all", "g3-tie-second").rank == 3
        assert game_standing("all", "all", "g1-fast-low").rank == 5
        assert game_standing("all", "all", "nope") is None


def test_top_ten_and_own_rank_beyond_it(app, client, pack, finish, post):
    add_entries(app, TPT_FIVE, "all",
                [(f"p{i:02d}", 5000 - i * 10, 1000) for i in range(15)])
    game_id = finish(right=1)  # 1000 points: last of 16
    post(game_id, "Me")
    html = client.get("/leaderboards/tiny-pretty-things").get_data(as_text=True)
    rows = board_rows(html)
    assert [r for r, _ in rows] == [str(i) for i in range(1, 11)]
    assert rows[0] == ("1", "p00") and rows[-1] == ("10", "p09")
    assert "Me" not in [n for _, n in rows]
    assert re.search(r"Your rank: <strong>16</strong> of 16", html)


def test_own_row_is_marked_when_in_the_top_ten(client, pack, finish, post):
    post(finish(right=5), "Me")
    html = client.get("/leaderboards/?period=day").get_data(as_text=True)
    assert '<tr class="is-mine"><td>1</td><td>Me</td>' in html
    assert re.search(r"Your rank: <strong>1</strong> of 1", html)


def test_periods_day_week_all_time(client, pack, finish, post, clock):
    post(finish(right=2), "Saturday")  # 2025-11-22, ISO week 47
    clock.advance(DAY)
    post(finish(right=3), "Sunday")  # same week, next day
    clock.advance(DAY)
    post(finish(right=1), "Monday")  # ISO week 48
    names = {period: [n for _, n in board_rows(client.get(f"/leaderboards/tiny-pretty-things?period={period}")
                                               .get_data(as_text=True))]
             for period in ("all", "week", "day")}
    assert names == {"all": ["Sunday", "Saturday", "Monday"], "week": ["Monday"], "day": ["Monday"]}
    clock.advance(-DAY)  # back on Sunday: its week holds Saturday and Sunday
    sunday_week = client.get("/leaderboards/?period=week").get_data(as_text=True)
    assert [n for _, n in board_rows(sunday_week)] == ["Sunday", "Saturday"]


def test_overall_board_mixes_packs_pack_board_does_not(client, save, make_pack, finish, post):
    save(make_pack("one", title="One"), make_pack("two", title="Two"))
    post(finish(right=2, pack_id="one"), "FromOne")
    post(finish(right=4, pack_id="two"), "FromTwo")
    overall = board_rows(client.get("/leaderboards/").get_data(as_text=True))
    assert [n for _, n in overall] == ["FromTwo", "FromOne"]
    assert [n for _, n in board_rows(client.get("/leaderboards/one").get_data(as_text=True))] == ["FromOne"]
    home = client.get("/").get_data(as_text=True)
    assert "Best score (10 questions, mixed, untimed): none yet" in home  # the home page shows the first board
    assert [n for _, n in board_rows(client.get("/leaderboards/?settings=10-mixed-untimed").get_data(as_text=True))] == []


def test_period_tabs_mark_the_current_one(client, pack):
    html = client.get("/leaderboards/tiny-pretty-things?period=week").get_data(as_text=True)
    assert '<a href="?period=week&amp;settings=10-mixed-untimed" aria-current="page">This week</a>' in html
    assert "No scores yet" in html


@pytest.mark.parametrize("url", ["/leaderboards/?period=year", "/leaderboards/nope", "/leaderboards/?period="])
def test_unknown_boards_and_periods_are_404(client, pack, url):
    assert client.get(url).status_code == 404


def test_top_ten_query_uses_the_rank_index(app, pack):
    """The top 10 is read off the composite index, in order, without sorting."""
    from sqlalchemy import text

    with app.app_context():
        session = get_session()
        dialect = session.get_bind().dialect.name
        sql = ("SELECT id FROM leaderboard_entry WHERE board = 'all|10-mixed-untimed' AND period = 'all' "
               "ORDER BY score DESC, time_ms ASC, id ASC LIMIT 10")
        if dialect == "sqlite":
            plan = " ".join(str(row[-1]) for row in session.execute(text("EXPLAIN QUERY PLAN " + sql)))
            assert "ix_leaderboard_rank" in plan and "TEMP B-TREE" not in plan
        else:
            session.execute(text("SET LOCAL enable_seqscan = off"))
            plan = " ".join(row[0] for row in session.execute(text("EXPLAIN " + sql)))
            assert "ix_leaderboard_rank" in plan and "Sort" not in plan


def _counts_and_truth(app) -> tuple[dict, dict]:
    from sqlalchemy import func, select

    with app.app_context():
        session = get_session()
        counts = {(c.board, c.period): c.entries for c in session.exec(select(models.LeaderboardCount)).scalars()}
        E = models.LeaderboardEntry
        truth = {(b, p): n for b, p, n in session.execute(select(E.board, E.period, func.count())
                                                          .group_by(E.board, E.period))}
    return counts, truth


def test_board_counts_stay_equal_to_the_entries(app, client, pack, save, make_pack, finish, post, clock):
    save(make_pack("one", title="One"))
    post(finish(right=2), "Saturday")
    post(finish(right=3, pack_id="one"), "OtherPack")
    clock.advance(DAY)
    post(finish(right=1), "Sunday")
    clock.advance(7 * DAY)
    post(finish(right=4), "NextWeek")
    counts, truth = _counts_and_truth(app)
    assert counts == truth and counts[(ALL_FIVE, "all")] == 4 and counts[("pack:one|5-mixed-untimed", "all")] == 1
    html = client.get("/leaderboards/tiny-pretty-things").get_data(as_text=True)
    assert "All time, 5 questions, mixed, untimed: top 3 of 3" in html
    assert client.get("/api/leaderboards/all?period=week&length=5").json["size"] == 1


def test_board_counts_hold_when_scores_are_posted_at_once(app, pack, clock):
    """Several games posted from threads at the same moment: every (board, period) count still adds up."""
    import threading

    from webapp.solo import store as games

    with app.test_request_context():
        ids = []
        for _ in range(4):
            game = games.start_game(pack.id, length=5, difficulty="mixed", timed=False, player="p")
            for position in range(5):
                games.show_question(game, position)
                clock.advance(2)
                games.answer_question(game, position, 1)
            ids.append(game.id)
    start = threading.Barrier(len(ids))
    errors = []

    def post(game_id: str, nickname: str) -> None:
        start.wait()
        with app.app_context():  # the threads race for SQLite's one connection, as requests do
            session = get_session()
            game = session.get(models.Game, game_id)
            try:
                games.post_score(game, nickname, session=session)
            except Exception as exc:  # noqa: BLE001 - reported below
                errors.append(exc)

    threads = [threading.Thread(target=post, args=(game_id, f"P{i}")) for i, game_id in enumerate(ids)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    counts, truth = _counts_and_truth(app)
    assert counts == truth and counts[(ALL_FIVE, "all")] == 4


def test_the_day_is_called_day_on_the_pages_as_in_the_api(client, pack, finish, post):
    post(finish(right=5), "Me")
    page = client.get("/leaderboards/tiny-pretty-things").get_data(as_text=True)
    assert 'href="?period=day&amp;settings=5-mixed-untimed"' in page and "period=today" not in page
    assert client.get("/leaderboards/?period=day").status_code == 200
    assert client.get("/api/leaderboards/all?period=day&length=5").get_json()["size"] == 1
    old = client.get("/leaderboards/tiny-pretty-things?period=today")  # links made before keep working
    assert old.status_code == 301 and old.headers["Location"].endswith("/leaderboards/tiny-pretty-things?period=day")
    kept = client.get("/leaderboards/?period=today&settings=20-hard-timed")  # with the other settings kept
    assert kept.headers["Location"].endswith("/leaderboards/?period=today&settings=20-hard-timed".replace("today", "day"))
    assert client.get("/api/leaderboards/all?period=today").status_code == 400
    for odd in ("/leaderboards/?period=today&endpoint=x", "/leaderboards/tiny-pretty-things?period=today&pack_id=y"):
        moved = client.get(odd)  # any other parameter is kept as it was sent, never a 500
        assert moved.status_code == 301 and "period=day" in moved.headers["Location"], odd


def test_only_games_of_the_same_settings_are_ranked_together(client, pack, finish, post, player):
    post(finish(right=5), "FiveUntimed")  # 5 questions, all right: 5,000 points
    game_id = player.start(length=10, timed=True)
    player.play_through(game_id, right=False, length=10)
    post(game_id, "TenTimed")
    five = client.get("/leaderboards/tiny-pretty-things?settings=5-mixed-untimed").get_data(as_text=True)
    assert [n for _, n in board_rows(five)] == ["FiveUntimed"]
    assert "Only games of the same settings are ranked together: 5 questions, mixed, untimed here." in five
    ten = client.get("/leaderboards/?length=10&difficulty=mixed&timed=y").get_data(as_text=True)  # the page's form
    assert [n for _, n in board_rows(ten)] == ["TenTimed"]
    assert "All time, 10 questions, mixed, timed: top 1 of 1" in ten
    assert '<option value="10" selected>' in ten and 'name="timed" value="y" checked' in ten
    assert client.get("/leaderboards/?settings=7-mixed-untimed&period=all").status_code == 200  # a short game's board
    for bad in ("99-mixed-timed", "10-extreme-timed", "10-mixed-sometimes", "010-mixed-timed", "x"):
        assert client.get(f"/leaderboards/?settings={bad}").status_code == 404


def test_a_game_answered_faster_than_anyone_reads_is_played_but_not_ranked(app, client, pack, player):
    game_id = player.start(length=5)
    player.play_through(game_id, seconds=0.1)  # as a script does: 100 ms a question
    results = client.get(f"/games/{game_id}/results").get_data(as_text=True)
    assert "This game is not ranked: 5 of its answers came sooner than a person can read the question" in results
    assert 'name="nickname"' not in results and "5\u202f000 points" in results
    refused = client.post(f"/games/{game_id}/results", data={"nickname": "Bot"})
    assert refused.status_code == 303
    assert "not ranked" in client.get(refused.headers["Location"]).get_data(as_text=True)
    with app.app_context():
        assert get_session().exec(models.LeaderboardEntry.__table__.select()).all() == []
    board = client.get("/leaderboards/tiny-pretty-things?settings=5-mixed-untimed").get_data(as_text=True)
    assert "Not ranked: a game with an answer given sooner than a person can read its" in board and "Bot" not in board
    human = player.start(length=5)
    player.play_through(human, seconds=1.0)  # a quick reader of these short questions: ranked
    assert client.post(f"/games/{human}/results", data={"nickname": "Ada"}).status_code == 303
    assert [n for _, n in board_rows(client.get("/leaderboards/tiny-pretty-things?settings=5-mixed-untimed")
                                     .get_data(as_text=True))] == ["Ada"]


def test_games_of_a_pack_whose_answers_are_public_are_played_but_not_ranked(app, client, pack, player):
    from webapp.catalog.store import set_pack_flags

    board = client.get("/leaderboards/tiny-pretty-things?settings=5-mixed-untimed").get_data(as_text=True)
    assert "A ranked pack is play-only: nobody but the admin can download its answers" in board
    with app.app_context():
        set_pack_flags(pack.id, answers_public=True)
    game_id = player.start(length=5)
    player.play_through(game_id)
    results = client.get(f"/games/{game_id}/results").get_data(as_text=True)
    assert "not ranked: this pack's answers are public" in html.unescape(results)
    refused = client.post(f"/games/{game_id}/results", data={"nickname": "Ada"})
    assert refused.status_code == 303
    assert "answers are public" in client.get(refused.headers["Location"]).get_data(as_text=True)
    started_while_public = player.start(length=5)
    with app.app_context():
        assert get_session().exec(models.LeaderboardEntry.__table__.select()).all() == []
        set_pack_flags(pack.id, answers_public=False)  # play-only again: games started from now on rank
    player.play_through(started_while_public)
    refused = client.post(f"/games/{started_while_public}/results", data={"nickname": "Early"})
    assert "answers are public" in client.get(refused.headers["Location"]).get_data(as_text=True)
    ranked = player.start(length=5)
    player.play_through(ranked)
    assert client.post(f"/games/{ranked}/results", data={"nickname": "Ada"}).status_code == 303
    assert "Ada" in client.get("/leaderboards/tiny-pretty-things?settings=5-mixed-untimed").get_data(as_text=True)
