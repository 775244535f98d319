"""Solo games as stored in the database: start, show, answer, finish, post the score.

Routes call these; the rules themselves live in :mod:`webapp.rules`. Every write that must happen
once (an answer, a posted score) is a conditional UPDATE whose row count says who won.
"""

from __future__ import annotations

import functools
import json
import random
import secrets
import time
from dataclasses import dataclass
from typing import NamedTuple

from flask import Flask, current_app, g
from sqlalchemy import and_, bindparam, delete, insert, select as core_select, update
from sqlmodel import Session, col, select

from webapp import models, rules
from webapp.boards.store import add_leaderboard_entries, overall_board, pack_board
from webapp.catalog.store import question_rows
from webapp.db import get_session
from webapp.exceptions import AlreadyAnswered, GameNotFinished, GameRuleError, NotFound, PackNotFound, ShorterGame
from webapp.packs import Question, Source, question_from_json

_GAME, _ROUND = models.Game.__table__, models.GameRound.__table__
_INSERT_ROUNDS = insert(_ROUND)
# Answering, the request a game sends most: one SELECT, then two guarded UPDATEs in one transaction.
_READ_TURN = (
    core_select(_GAME.c.player, _GAME.c.length, _GAME.c.answered, _GAME.c.timed, _ROUND.c.shown_ms,
                _ROUND.c.answered_ms, _ROUND.c.question_data, _ROUND.c.option_order)
    .select_from(_GAME.outerjoin(_ROUND, and_(_ROUND.c.game_id == _GAME.c.id,
                                              _ROUND.c.position == bindparam("at_position"))))
    .where(_GAME.c.id == bindparam("of_game")))
_WRITE_ROUND = (
    update(_ROUND)
    .where(_ROUND.c.game_id == bindparam("of_game"), _ROUND.c.position == bindparam("at_position"),
           _ROUND.c.answered_ms.is_(None))
    .values(answered_ms=bindparam("now"), choice=bindparam("chosen"), correct=bindparam("is_correct"),
            late=bindparam("is_late"), points=bindparam("won_points")))
_WRITE_GAME = (
    update(_GAME)
    .where(_GAME.c.id == bindparam("of_game"), _GAME.c.answered == bindparam("at_position"))
    .values(answered=_GAME.c.answered + 1, score=_GAME.c.score + bindparam("won_points"),
            time_ms=_GAME.c.time_ms + bindparam("elapsed"), finished_ms=bindparam("finished")))
# A question number in a URL can be any size; the databases' integers are 64-bit.
_SQL_INTEGER_MIN, _SQL_INTEGER_MAX = -(2**63), 2**63 - 1

# Every game draws its rounds from a pack's few dozen questions, so the same stored JSON comes back
# answer after answer: parse each once per process (Questions are frozen, safe to share).
_stored_question = functools.lru_cache(maxsize=2048)(question_from_json)


def now_ms(app: Flask | None = None) -> int:
    """The current time in epoch ms, from the app's injectable clock (tests set ``CLOCK``); default: the current app."""
    clock = (app or current_app).config.get("CLOCK")
    return int(clock()) if clock is not None else time.time_ns() // 1_000_000


def stamp_arrival() -> None:
    """Note when this request reached the app (the first of its hooks): answers are judged by it."""
    g.arrived_ms = now_ms()


def arrived_ms() -> int:
    """When this request reached the app (now, outside a request that was stamped)."""
    return g.get("arrived_ms") or now_ms()


def server_started_ms() -> int:
    """When this server process started (a question shown before that is timed from then)."""
    return current_app.extensions["quizgen_started_ms"]


def new_player_token() -> str:
    """An unguessable token naming a player (kept in their session)."""
    return secrets.token_urlsafe(16)


def start_game(pack_id: str, *, length: int, difficulty: str, timed: bool, player: str,
               accept_shorter: bool = True, session: Session | None = None) -> models.Game:
    """Draw the questions and option orders of a new game and store it.

    When the pack gives fewer questions than ``length`` and ``accept_shorter`` is False, nothing is
    stored and :class:`ShorterGame` says how many it can give.
    """
    session = session or get_session()
    if length not in rules.GAME_LENGTHS or difficulty not in rules.DIFFICULTY_CHOICES:
        raise GameRuleError("Choose a length of 5, 10 or 20 and a difficulty.")
    pack = session.get(models.Pack, pack_id)
    if pack is None:
        raise PackNotFound()
    # Drawn as stored (id, canonical JSON): the JSON is the round's snapshot as it is, parsed
    # (once per process) only to read the facts no two questions of a game may share.
    pool = question_rows(pack_id, None if difficulty == rules.MIXED else difficulty, session=session)
    if not pool:
        raise GameRuleError(f"This pack has no {difficulty} questions: choose another difficulty.")
    seed = secrets.randbits(62)
    rng = random.Random(seed)
    picked = rules.pick_questions(pool, length, rng, facts=lambda row: _stored_question(row[1]).facts)
    if len(picked) < length and not accept_shorter:
        raise ShorterGame(available=len(picked), asked=length)
    game = models.Game(id=secrets.token_urlsafe(18), player=player, pack_id=pack_id, difficulty=difficulty,
                       length=len(picked), timed=timed, seed=seed, created_ms=now_ms(),
                       answers_public=pack.answers_public)
    session.add(game)
    session.flush()
    session.connection().execute(_INSERT_ROUNDS, [
        {"game_id": game.id, "position": i, "question_id": qid, "question_data": data,
         "option_order": rules.option_order(_stored_question(data), rng), "late": False, "points": 0}
        for i, (qid, data) in enumerate(picked)])
    session.commit()
    purge_now_and_then(session)
    return game


@dataclass(frozen=True)
class UnfinishedGame:
    """A game its player left before the end: what a "continue" link shows."""

    id: str
    pack_id: str
    pack_title: str
    answered: int
    length: int


def unfinished_games(player: str | None, *, pack_id: str | None = None, limit: int = 3,
                     session: Session | None = None) -> list[UnfinishedGame]:
    """The player's latest unfinished games (of one pack, if given), newest first."""
    if not player:
        return []
    session = session or get_session()
    G, P = models.Game, models.Pack
    query = (select(G.id, G.pack_id, P.title, G.answered, G.length).join(P, col(P.id) == G.pack_id)
             .where(G.player == player, col(G.finished_ms).is_(None)))
    if pack_id is not None:
        query = query.where(G.pack_id == pack_id)
    return [UnfinishedGame(*row) for row in session.exec(query.order_by(col(G.created_ms).desc()).limit(limit))]


def find_game(game_id: str, *, session: Session | None = None) -> models.Game | None:
    """The game ``game_id``, whoever plays it, or None (for what a browser remembers it posted)."""
    session = session or get_session()
    return session.get(models.Game, game_id) if isinstance(game_id, str) and len(game_id) <= 40 else None


def load_game(game_id: str, player: str | None, *, session: Session | None = None) -> models.Game:
    """The game ``game_id`` if it belongs to ``player``; otherwise :class:`NotFound` (never say which)."""
    session = session or get_session()
    game = session.get(models.Game, game_id) if isinstance(game_id, str) and len(game_id) <= 40 else None
    if game is None or not player or not secrets.compare_digest(game.player.encode(), player.encode()):
        raise NotFound("There is no such game in this browser. Start a new one from the home page.")
    return game


class Turn(NamedTuple):
    """A game and its round at ``position``, as answering needs them (``shown_ms`` etc. None if no such round)."""

    game_id: str
    position: int
    player: str
    length: int
    answered: int
    timed: bool
    shown_ms: int | None
    answered_ms: int | None
    question_data: str | None
    option_order: str | None


def find_turn(game_id: str, position: int, *, session: Session | None = None) -> Turn | None:
    """The game ``game_id`` with its round at ``position``, in one SELECT, whoever owns it; None if there is none.

    The caller checks who is asking (:func:`load_turn`, or the answer token: webapp.solo.answer_token).
    """
    if not (isinstance(game_id, str) and len(game_id) <= 40 and _SQL_INTEGER_MIN <= position <= _SQL_INTEGER_MAX):
        return None
    row = (session or get_session()).connection().execute(_READ_TURN, {"of_game": game_id, "at_position": position}).first()
    return Turn(game_id, position, *row) if row is not None else None


def load_turn(game_id: str, player: str | None, position: int, *, session: Session | None = None) -> Turn:
    """The game ``game_id`` if it is ``player``'s, with its round at ``position``, in one SELECT (for answering)."""
    turn = find_turn(game_id, position, session=session)
    if turn is None or not player or not secrets.compare_digest(turn.player.encode(), player.encode()):
        raise NotFound("There is no such game in this browser. Start a new one from the home page.")
    return turn


def answer_turn(turn: Turn, choice: int, *, arrived_ms: int | None = None,
                session: Session | None = None) -> rules.Verdict:
    """Record the player's one answer to the turn's question and score it (server time); commits.

    The answer is judged at ``arrived_ms``, when its request reached the app (default: now), not when
    a busy server got round to it. :class:`AlreadyAnswered` if the question was answered already,
    also by a request that won a race.
    """
    if not 0 <= turn.position < turn.length or turn.question_data is None:
        raise NotFound("This game has no such question.")
    rules.check_answerable(turn.position, turn.answered, choice, round_answered=turn.answered_ms is not None,
                           shown=turn.shown_ms is not None)
    now = arrived_ms if arrived_ms is not None else now_ms()
    verdict = rules.judge_answer(_stored_question(turn.question_data), turn.option_order, choice,
                                 shown_ms=rules.clock_start(turn.shown_ms, server_started_ms()), now_ms=now,
                                 timed=turn.timed)
    answer = {"of_game": turn.game_id, "at_position": turn.position, "now": now, "chosen": choice,
              "is_correct": verdict.correct, "is_late": verdict.late, "won_points": verdict.points,
              "elapsed": verdict.elapsed_ms, "finished": now if turn.position + 1 == turn.length else None}
    # The round is this request's only if it was still unanswered, and then the game moves on by exactly
    # this answer (it is still at this position), or nothing is written.
    session = session or get_session()
    connection = session.connection()
    if (connection.execute(_WRITE_ROUND, answer).rowcount != 1
            or connection.execute(_WRITE_GAME, answer).rowcount != 1):
        session.rollback()
        raise AlreadyAnswered()
    session.commit()
    return verdict


def _round(game: models.Game, position: int, session: Session) -> models.GameRound:
    if not 0 <= position < game.length:
        raise NotFound("This game has no such question.")
    found = session.get(models.GameRound, (game.id, position))
    if found is None:  # pragma: no cover - rounds are written with their game
        raise NotFound("This game has no such question.")
    return found


@dataclass(frozen=True)
class QuestionView:
    """What the question page may show: no hint of which option is right."""

    number: int  # 1-based
    total: int
    stem: str
    show: str
    options: list[str]
    timed: bool
    time_limit: int
    remaining_ms: int | None
    score: int


@dataclass(frozen=True)
class AnswerView:
    """A question after it was answered: what was chosen, what was right, and why."""

    number: int
    total: int
    stem: str
    options: list[str]
    chosen: int  # 1-4, or 0 for no answer
    right: int  # 1-4
    correct: bool
    late: bool
    time_up: bool  # late, or no answer before the time ran out: "Time's up", however the page sent it
    points: int
    elapsed_ms: int
    explanation: str
    sources: tuple[Source, ...]

    @property
    def right_text(self) -> str:
        return self.options[self.right - 1]

    @property
    def chosen_text(self) -> str | None:
        return self.options[self.chosen - 1] if self.chosen else None


def show_question(game: models.Game, position: int, *, session: Session | None = None) -> QuestionView:
    """The unanswered question at ``position``; its clock starts the first time it is shown."""
    session = session or get_session()
    rnd = _round(game, position, session)
    if rnd.answered_ms is not None:
        raise AlreadyAnswered()
    if position != game.answered:
        raise GameRuleError("Answer the questions in order.")
    now = now_ms()
    if rnd.shown_ms is None:
        session.execute(update(models.GameRound)
                     .where(col(models.GameRound.game_id) == game.id, col(models.GameRound.position) == position,
                            col(models.GameRound.shown_ms).is_(None))
                     .values(shown_ms=now))
        session.commit()
        session.refresh(rnd)
    question = question_from_json(rnd.question_data)
    return QuestionView(
        number=position + 1, total=game.length, stem=question.stem, show=_show_title(game.pack_id, question.show,
                                                                                  session),
        options=rules.shown_options(question, rnd.option_order), timed=game.timed,
        time_limit=question.time_limit,
        remaining_ms=(rules.remaining_ms(rules.clock_start(rnd.shown_ms, server_started_ms()), now, question.time_limit)
                      if game.timed else None),
        score=game.score)


def _show_title(pack_id: str, show_id: str, session: Session) -> str:
    pack = session.get(models.Pack, pack_id)
    shows = json.loads(pack.meta).get("shows", []) if pack else []
    return next((s.get("title") for s in shows if s.get("id") == show_id and s.get("title")), show_id)


def answer_question(game: models.Game, position: int, choice: int, *,
                    session: Session | None = None) -> rules.Verdict:
    """:func:`answer_turn` for a game loaded with the ORM (scripts, tests); ``game`` then shows its new totals."""
    session = session or get_session()
    verdict = answer_turn(load_turn(game.id, game.player, position, session=session), choice, session=session)
    if game in session:
        session.expire(game)  # it reads its new totals on next use
    return verdict


def answered_question(game: models.Game, position: int, *, session: Session | None = None) -> AnswerView:
    """The feedback of a question already answered (for reloads and the way back)."""
    session = session or get_session()
    rnd = _round(game, position, session)
    if rnd.answered_ms is None:
        raise GameRuleError("This question has not been answered yet.")
    return _answer_view(game, rnd, question_from_json(rnd.question_data))


def _answer_view(game: models.Game, rnd: models.GameRound, question: Question) -> AnswerView:
    elapsed = max(0, (rnd.answered_ms or 0) - (rnd.shown_ms or 0))
    chosen = rnd.choice or rules.NO_ANSWER
    return AnswerView(
        number=rnd.position + 1, total=game.length, stem=question.stem,
        options=rules.shown_options(question, rnd.option_order), chosen=chosen,
        right=rules.right_choice(question, rnd.option_order), correct=bool(rnd.correct), late=rnd.late,
        time_up=rules.time_was_up(late=rnd.late, choice=chosen, elapsed_ms=elapsed,
                                  time_limit_s=question.time_limit, timed=game.timed),
        points=rnd.points, elapsed_ms=elapsed, explanation=question.explanation, sources=question.sources)


def unranked_reason(game: models.Game, answers: list[AnswerView], *, session: Session | None = None) -> str | None:
    """Why a finished game (with its :func:`review`) may not go on a leaderboard, or None.

    Its pack's answers were public when it started or are now (anyone could have looked them up), or it
    was answered faster than a person reads.
    """
    pack = (session or get_session()).get(models.Pack, game.pack_id)
    if game.answers_public or (pack is not None and pack.answers_public):  # when it started, or since
        return ("This game is not ranked: this pack's answers are public (anyone may download them), so its "
                "games are played for fun.")
    fast = sum(rules.read_too_fast(answer.stem, answer.chosen, answer.elapsed_ms) for answer in answers)
    if not fast:
        return None
    return (f"This game is not ranked: {fast} of its answers came sooner than a person can read the question "
            f"(at least {rules.READ_WORDS_PER_S} words a second).")


def review(game: models.Game, *, session: Session | None = None) -> list[AnswerView]:
    """Every answered question of a game, in order."""
    session = session or get_session()
    R = models.GameRound
    rounds = session.exec(select(R).where(R.game_id == game.id, col(R.answered_ms).is_not(None))
                          .order_by(R.position)).all()
    return [_answer_view(game, r, question_from_json(r.question_data)) for r in rounds]


def _boards_of(game: models.Game, settings: rules.Settings, session: Session) -> list[str]:
    """The boards a game's score goes on: its pack's, and the overall one unless the pack waits for approval."""
    pack = session.get(models.Pack, game.pack_id)
    boards = [pack_board(game.pack_id, settings)]
    if pack is not None and pack.on_overall_board:
        boards.append(overall_board(settings))
    return boards


def settings_of(game: models.Game) -> rules.Settings:
    """The settings a game is ranked by (its length as played: a shorter game ranks with games as short)."""
    return rules.Settings(game.length, game.difficulty, game.timed)


def post_score(game: models.Game, nickname: str, *, session: Session | None = None) -> None:
    """Put a finished game on its pack's and the overall leaderboards, once, for all time, the week, the day."""
    session = session or get_session()
    if game.finished_ms is None:
        raise GameNotFinished()
    reason = unranked_reason(game, review(game, session=session), session=session)
    if reason is not None:
        raise GameRuleError(reason)
    G = models.Game
    won = session.execute(update(G).where(col(G.id) == game.id, col(G.nickname).is_(None)).values(nickname=nickname))
    if won.rowcount != 1:
        session.rollback()
        raise GameRuleError("This score is on the leaderboard already.")
    now = now_ms()
    settings = settings_of(game)
    add_leaderboard_entries([models.LeaderboardEntry(board=board, period=period, score=game.score,
                                                     time_ms=game.time_ms, nickname=nickname, game_id=game.id,
                                                     created_ms=now)
                             for board in _boards_of(game, settings, session)
                             for period in rules.period_keys(now).values()], session=session)
    session.commit()
    session.refresh(game)


ABANDONED_AFTER_MS = 7 * 24 * 3600 * 1000
PURGE_EVERY_MS = 3600 * 1000
_LAST_PURGE = "quizgen_last_purge_ms"  # in app.extensions: when this process last purged


def purge_now_and_then(session: Session | None = None) -> None:
    """Purge abandoned games if this process has not in the last hour (whatever server runs the app)."""
    now = now_ms()
    if now - current_app.extensions.get(_LAST_PURGE, 0) >= PURGE_EVERY_MS:
        current_app.extensions[_LAST_PURGE] = now
        purge_abandoned_games(now, session=session)


def purge_abandoned_games(now: int, *, older_than_ms: int = ABANDONED_AFTER_MS,
                          session: Session | None = None) -> int:
    """Delete games left unfinished for longer than ``older_than_ms`` (their rounds go with them); return how many."""
    session = session or get_session()
    G = models.Game
    result = session.execute(delete(G).where(col(G.finished_ms).is_(None), col(G.created_ms) < now - older_than_ms))
    session.commit()
    return result.rowcount
