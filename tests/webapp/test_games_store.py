"""Games as stored (webapp.games): the once-only writes hold even when two requests race."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from webapp import game as rules
from webapp import games, models
from webapp.db import get_engine, get_session
from webapp.exceptions import AlreadyAnswered, GameRuleError, NotFound
from webapp.packs import question_from_json


def test_two_racing_answers_score_once(app, pack):
    with app.test_request_context():
        engine = get_engine()
        with Session(engine) as setup:
            game = games.start_game(pack.id, length=5, difficulty="mixed", timed=False, player="p", session=setup)
            games.show_question(game, 0, session=setup)
            rnd = setup.get(models.GameRound, (game.id, 0))
            right = rules.right_choice(question_from_json(rnd.question_data), rnd.option_order)
            game_id = game.id
        # Both requests have read the game and its unanswered round before either writes.
        with Session(engine) as first, Session(engine) as second:
            g1, g2 = first.get(models.Game, game_id), second.get(models.Game, game_id)
            first.get(models.GameRound, (game_id, 0)), second.get(models.GameRound, (game_id, 0))
            games.answer_question(g1, 0, right, session=first)
            with pytest.raises(AlreadyAnswered):
                games.answer_question(g2, 0, right, session=second)
        with Session(engine) as check:
            stored = check.get(models.Game, game_id)
            assert (stored.score, stored.answered) == (1000, 1)


def test_posting_twice_in_a_race_writes_one_set_of_entries(app, pack):
    with app.test_request_context():
        engine = get_engine()
        with Session(engine) as setup:
            game = games.start_game(pack.id, length=5, difficulty="mixed", timed=False, player="p", session=setup)
            for position in range(5):
                games.show_question(game, position, session=setup)
                games.answer_question(game, position, 1, session=setup)
            game_id = game.id
        with Session(engine) as first, Session(engine) as second:
            g1, g2 = first.get(models.Game, game_id), second.get(models.Game, game_id)
            games.post_score(g1, "Ada", session=first)
            with pytest.raises(GameRuleError):
                games.post_score(g2, "Bob", session=second)
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
        clock.advance(8 * 24 * 3600)
        recent = games.start_game(pack.id, length=5, difficulty="mixed", timed=False, player="p")
        old_id, kept_ids = old.id, (done.id, recent.id)
        assert games.purge_abandoned_games(clock()) == 1
        for kept in kept_ids:
            assert games.load_game(kept, "p")
        with pytest.raises(NotFound):
            games.load_game(old_id, "p")
        session = get_session()
        assert session.exec(select(models.GameRound).where(models.GameRound.game_id == old_id)).all() == []
