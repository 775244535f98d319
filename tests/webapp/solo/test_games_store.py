"""Games as stored (webapp.solo.store): the once-only writes hold even when requests race."""

from __future__ import annotations

import threading

import pytest
from flask import has_app_context
from sqlalchemy import update
from sqlmodel import Session, col, select

from webapp import models, rules
from webapp.db import get_engine, get_session, make_engine
from webapp.exceptions import AlreadyAnswered, GameRuleError, NotFound
from webapp.packs import question_from_json
from webapp.solo import store as games


def _shown_game(pack_id: str, *, timed: bool = False, session=None) -> tuple[str, int]:
    """A new 5-question game of player "p" with its first question shown: (game id, the right choice)."""
    game = games.start_game(pack_id, length=5, difficulty="mixed", timed=timed, player="p", session=session)
    games.show_question(game, 0, session=session)
    rnd = (session or get_session()).get(models.GameRound, (game.id, 0))
    return game.id, rules.right_choice(question_from_json(rnd.question_data), rnd.option_order)


def _stored(game_id: str) -> tuple[models.Game, list[models.GameRound]]:
    if has_app_context():
        get_session().close()  # its connection back to the pool: SQLite's pool holds one connection
    with Session(get_engine()) as check:
        game = check.get(models.Game, game_id)
        rounds = check.exec(select(models.GameRound).where(models.GameRound.game_id == game_id)
                            .order_by(models.GameRound.position)).all()
        check.expunge_all()
        return game, rounds


def test_two_racing_answers_score_once(app, pack):
    with app.test_request_context():
        game_id, right = _shown_game(pack.id)
        # Both requests have read the game and its unanswered round before either writes:
        # the second loses on the guarded UPDATE (its row count), not on what it read.
        first, second = games.load_turn(game_id, "p", 0), games.load_turn(game_id, "p", 0)
        assert first.answered_ms is None and second.answered_ms is None
        assert games.answer_turn(first, right).points == 1000
        with pytest.raises(AlreadyAnswered):
            games.answer_turn(second, right % 4 + 1)
        game, rounds = _stored(game_id)
        assert (game.score, game.answered, rounds[0].choice) == (1000, 1, right)


def test_the_turn_is_read_whole_whoever_the_player_is(app, pack):
    with app.test_request_context():
        game = games.start_game(pack.id, length=5, difficulty="mixed", timed=True, player="a player, with spaces")
        unseen = games.find_turn(game.id, 0)
        assert (unseen.player, unseen.length, unseen.answered, unseen.timed) == ("a player, with spaces", 5, 0, True)
        assert (unseen.shown_ms, unseen.answered_ms) == (None, None)
        assert len(unseen.option_order) == 4 and question_from_json(unseen.question_data)
        games.show_question(game, 0)
        shown = games.find_turn(game.id, 0)
        assert shown.shown_ms is not None and shown.answered_ms is None
        games.answer_turn(shown, 1)
        answered = games.find_turn(game.id, 0)
        assert answered.answered == 1 and answered.answered_ms >= answered.shown_ms
        beyond = games.find_turn(game.id, 7)
        assert beyond.length == 5 and beyond.question_data is None and beyond.option_order is None
        assert games.find_turn("no-such-game", 0) is None and games.find_turn(game.id, 10**30) is None


def test_answers_racing_in_threads_score_once(app, pack):
    with app.test_request_context():
        game_id, right = _shown_game(pack.id)
        turn = games.load_turn(game_id, "p", 0)
    start = threading.Barrier(6)
    outcomes = []

    def answer(choice: int) -> None:
        with app.app_context():  # its own request's state, as each server thread has
            start.wait()
            try:
                outcomes.append(games.answer_turn(turn, choice).points)
            except AlreadyAnswered:
                outcomes.append("refused")

    threads = [threading.Thread(target=answer, args=(right if i == 0 else right % 4 + 1,)) for i in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(map(str, outcomes)).count("refused") == 5, outcomes
    with app.app_context():
        game, rounds = _stored(game_id)
    won = next(o for o in outcomes if o != "refused")
    assert (game.answered, game.score, rounds[0].points) == (1, won, won)


def test_a_late_answer_scores_zero_and_counts_its_time(app, save, make_pack, clock):
    save(make_pack(time_limit=10))
    with app.test_request_context():
        game_id, right = _shown_game("tiny-pretty-things", timed=True)
        clock.advance(10 + rules.LATE_GRACE_MS / 1000 + 0.001)
        verdict = games.answer_turn(games.load_turn(game_id, "p", 0), right)
        assert (verdict.correct, verdict.late, verdict.points) == (True, True, 0)
        game, rounds = _stored(game_id)
        assert (game.score, game.answered, game.time_ms) == (0, 1, 11_501)
        assert (rounds[0].late, rounds[0].points, rounds[0].correct) == (True, 0, True)


def test_answers_out_of_order_or_unseen_are_refused_and_write_nothing(app, pack):
    with app.test_request_context():
        game_id, right = _shown_game(pack.id)
        with pytest.raises(GameRuleError, match="in order"):
            games.answer_turn(games.load_turn(game_id, "p", 1), 1)
        games.answer_turn(games.load_turn(game_id, "p", 0), right)
        with pytest.raises(GameRuleError, match="not been shown"):
            games.answer_turn(games.load_turn(game_id, "p", 1), 1)
        with pytest.raises(NotFound):
            games.answer_turn(games.load_turn(game_id, "p", 5), 1)
        with pytest.raises(NotFound):
            games.load_turn(game_id, "someone else", 1)
        game, rounds = _stored(game_id)
        assert game.answered == 1 and [r.answered_ms is not None for r in rounds] == [True] + [False] * 4


def test_the_answer_and_the_totals_are_written_together_or_not_at_all(app, pack):
    with app.test_request_context():
        game_id, right = _shown_game(pack.id)
        turn = games.load_turn(game_id, "p", 0)
        # The game moved on behind this request's back: the round's guard alone would let it write.
        get_session().close()
        with Session(get_engine()) as other:
            other.execute(update(models.Game).where(models.Game.id == game_id).values(answered=1))
            other.commit()
        with pytest.raises(AlreadyAnswered):
            games.answer_turn(turn, right)
        game, rounds = _stored(game_id)
        assert (game.score, rounds[0].answered_ms, rounds[0].choice) == (0, None, None)


def test_posting_twice_in_a_race_writes_one_set_of_entries(app, pack, clock):
    with app.test_request_context():
        engine = get_engine()
        with Session(engine) as setup:
            game = games.start_game(pack.id, length=5, difficulty="mixed", timed=False, player="p", session=setup)
            for position in range(5):
                games.show_question(game, position, session=setup)
                clock.advance(2)
                games.answer_question(game, position, 1, session=setup)
            game_id = game.id
        other_process = make_engine(app.config["DATABASE_URL"])  # SQLite: one connection a process
        with Session(engine) as first, Session(other_process) as second:
            g1, g2 = first.get(models.Game, game_id), second.get(models.Game, game_id)
            games.post_score(g1, "Ada", session=first)
            with pytest.raises(GameRuleError):
                games.post_score(g2, "Bob", session=second)
        other_process.dispose()
        with Session(engine) as check:
            entries = check.exec(select(models.LeaderboardEntry)).all()
            assert {e.nickname for e in entries} == {"Ada"} and len(entries) == 6


def test_a_game_belongs_to_its_player_only(app, pack):
    with app.test_request_context():
        game = games.start_game(pack.id, length=5, difficulty="mixed", timed=False, player="owner")
        assert games.load_game(game.id, "owner").id == game.id
        for player in ("thief", "", None):
            with pytest.raises(NotFound):
                games.load_game(game.id, player)
        with pytest.raises(NotFound):
            games.load_game("x" * 500, "owner")


def test_game_ids_are_unguessable(app, pack):
    with app.test_request_context():
        ids = {games.start_game(pack.id, length=5, difficulty="mixed", timed=False, player="p").id
               for _ in range(5)}
    assert len(ids) == 5 and all(len(i) >= 22 for i in ids)


def test_a_game_never_holds_two_questions_sharing_a_fact(app, save, make_cast_pairs_pack):
    save(make_cast_pairs_pack(pairs=10))
    with app.test_request_context():
        for _ in range(25):
            game = games.start_game("cast-pairs", length=10, difficulty="mixed", timed=False, player="p")
            _, rounds = _stored(game.id)
            facts = [question_from_json(r.question_data).facts for r in rounds]
            assert game.length == len(rounds) == len(set(facts)) == 10


def test_a_game_is_shorter_when_the_facts_run_out(app, save, make_cast_pairs_pack):
    save(make_cast_pairs_pack(pairs=4))  # 8 questions, 4 facts
    with app.test_request_context():
        game = games.start_game("cast-pairs", length=5, difficulty="mixed", timed=False, player="p")
        _, rounds = _stored(game.id)
        assert game.length == len(rounds) == 4
        assert len({question_from_json(r.question_data).facts for r in rounds}) == 4


def test_a_started_game_keeps_its_questions_when_the_pack_is_reimported(app, pack, save, make_pack):
    with app.test_request_context():
        game = games.start_game(pack.id, length=5, difficulty="mixed", timed=False, player="p")
        before = games.show_question(game, 0)
    save(make_pack(n=3))  # the pack changes under the game
    with app.test_request_context():
        game = games.load_game(game.id, "p")
        assert games.show_question(game, 0) == before
        games.answer_question(game, 0, 1)


def test_abandoned_games_are_purged_finished_ones_kept(app, pack, clock):
    with app.test_request_context():
        old = games.start_game(pack.id, length=5, difficulty="mixed", timed=False, player="p")
        done = games.start_game(pack.id, length=5, difficulty="mixed", timed=False, player="p")
        for position in range(5):
            games.show_question(done, position)
            games.answer_question(done, position, 1)
        recent = games.start_game(pack.id, length=5, difficulty="mixed", timed=False, player="p")
        old_id, kept_ids = old.id, (done.id, recent.id)
        session = get_session()
        session.execute(update(models.Game).where(col(models.Game.id).in_([old_id, done.id]))
                        .values(created_ms=clock() - 8 * 24 * 3600 * 1000))
        session.commit()
        assert games.purge_abandoned_games(clock()) == 1
        for kept in kept_ids:
            assert games.load_game(kept, "p")
        with pytest.raises(NotFound):
            games.load_game(old_id, "p")
        assert session.exec(select(models.GameRound).where(models.GameRound.game_id == old_id)).all() == []


def test_starting_games_purges_abandoned_ones_about_once_an_hour(app, pack, clock):
    # under any server (gunicorn too), not only when `quizgen serve` starts
    def start() -> str:
        return games.start_game(pack.id, length=5, difficulty="mixed", timed=False, player="p").id

    def age(game_id: str) -> None:  # as if it had been started eight days ago
        session = get_session()
        session.execute(update(models.Game).where(models.Game.id == game_id)
                        .values(created_ms=clock() - 8 * 24 * 3600 * 1000))
        session.commit()

    with app.test_request_context():
        old = start()
        clock.advance(8 * 24 * 3600)
        start()  # more than an hour since this process last purged: the week-old unfinished game goes
        with pytest.raises(NotFound):
            games.load_game(old, "p")
        aged = start()
        age(aged)
        clock.advance(30 * 60)
        start()  # purged half an hour ago: not again yet
        assert games.load_game(aged, "p")
        clock.advance(31 * 60)
        start()
        with pytest.raises(NotFound):
            games.load_game(aged, "p")
