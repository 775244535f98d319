"""Solo games as stored in the database: start, show, answer, finish, post the score.

Routes call these; the rules themselves live in :mod:`webapp.game`. Every write that must happen
once (an answer, a posted score) is a conditional UPDATE whose row count says who won.
"""

from __future__ import annotations

import json
import random
import secrets
import time
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import delete, update
from sqlmodel import Session, col, select

from . import game as rules
from . import models
from .db import get_session
from .exceptions import AlreadyAnswered, GameNotFinished, GameRuleError, NotFound
from .packs import Question, Source, question_from_json, question_json
from .queries import get_pack, pack_board, pack_questions


def now_ms() -> int:
    """The current time in epoch ms, from the app's injectable clock (tests set ``CLOCK``)."""
    clock = current_app.config.get("CLOCK")
    return int(clock()) if clock is not None else time.time_ns() // 1_000_000


def new_player_token() -> str:
    """An unguessable token naming a player (kept in their session)."""
    return secrets.token_urlsafe(16)


def start_game(pack_id: str, *, length: int, difficulty: str, timed: bool, player: str,
               session: Session | None = None) -> models.Game:
    """Draw the questions and option orders of a new game and store it."""
    session = session or get_session()
    if length not in rules.GAME_LENGTHS or difficulty not in rules.DIFFICULTY_CHOICES:
        raise GameRuleError("Choose a length of 5, 10 or 20 and a difficulty.")
    if get_pack(pack_id, session=session) is None:
        raise NotFound("There is no such pack.")
    pool = pack_questions(pack_id, None if difficulty == rules.MIXED else difficulty, session=session)
    if not pool:
        raise GameRuleError(f"This pack has no {difficulty} questions: choose another difficulty.")
    seed = secrets.randbits(62)
    rng = random.Random(seed)
    picked = rules.pick_questions(pool, length, rng)
    game = models.Game(id=secrets.token_urlsafe(18), player=player, pack_id=pack_id, difficulty=difficulty,
                       length=len(picked), timed=timed, seed=seed, created_ms=now_ms())
    session.add(game)
    session.flush()
    session.add_all(models.GameRound(game_id=game.id, position=i, question_id=q.id, question_data=question_json(q),
                                     option_order=rules.shuffled_order(rng))
                    for i, q in enumerate(picked))
    session.commit()
    return game


def load_game(game_id: str, player: str | None, *, session: Session | None = None) -> models.Game:
    """The game ``game_id`` if it belongs to ``player``; otherwise :class:`NotFound` (never say which)."""
    session = session or get_session()
    game = session.get(models.Game, game_id) if isinstance(game_id, str) and len(game_id) <= 40 else None
    if game is None or not player or not secrets.compare_digest(game.player.encode(), player.encode()):
        raise NotFound("There is no such game in this browser. Start a new one from the home page.")
    return game


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
        remaining_ms=rules.remaining_ms(rnd.shown_ms, now, question.time_limit) if game.timed else None,
        score=game.score)


def _show_title(pack_id: str, show_id: str, session: Session) -> str:
    pack = session.get(models.Pack, pack_id)
    shows = json.loads(pack.meta).get("shows", []) if pack else []
    return next((s.get("title") for s in shows if s.get("id") == show_id and s.get("title")), show_id)


def answer_question(game: models.Game, position: int, choice: int, *,
                    session: Session | None = None) -> AnswerView:
    """Record the player's one answer to the question at ``position`` and score it (server time)."""
    session = session or get_session()
    rnd = _round(game, position, session)
    if rnd.answered_ms is not None:
        raise AlreadyAnswered()
    if position != game.answered:
        raise GameRuleError("Answer the questions in order.")
    if rnd.shown_ms is None:
        raise GameRuleError("This question has not been shown yet.")
    if not rules.valid_choice(choice):
        raise GameRuleError("Choose one of the four options.")
    question = question_from_json(rnd.question_data)
    now = now_ms()
    elapsed = max(0, now - rnd.shown_ms)
    correct = choice == rules.right_choice(question, rnd.option_order)
    late = rules.is_late(rnd.shown_ms, now, question.time_limit, game.timed)
    points = rules.score_answer(correct=correct, late=late, elapsed_ms=elapsed, time_limit_s=question.time_limit,
                                timed=game.timed)
    R, G = models.GameRound, models.Game
    won = session.execute(update(R).where(col(R.game_id) == game.id, col(R.position) == position,
                                       col(R.answered_ms).is_(None))
                       .values(answered_ms=now, choice=choice, correct=correct, late=late, points=points))
    if won.rowcount != 1:
        session.rollback()
        raise AlreadyAnswered()
    finished = position + 1 == game.length
    session.execute(update(G).where(col(G.id) == game.id, col(G.answered) == position)
                 .values(answered=G.answered + 1, score=G.score + points, time_ms=G.time_ms + elapsed,
                         finished_ms=now if finished else None))
    session.commit()
    session.refresh(game)
    session.refresh(rnd)
    return _answer_view(game, rnd, question)


def answered_question(game: models.Game, position: int, *, session: Session | None = None) -> AnswerView:
    """The feedback of a question already answered (for reloads and the way back)."""
    session = session or get_session()
    rnd = _round(game, position, session)
    if rnd.answered_ms is None:
        raise GameRuleError("This question has not been answered yet.")
    return _answer_view(game, rnd, question_from_json(rnd.question_data))


def _answer_view(game: models.Game, rnd: models.GameRound, question: Question) -> AnswerView:
    return AnswerView(
        number=rnd.position + 1, total=game.length, stem=question.stem,
        options=rules.shown_options(question, rnd.option_order), chosen=rnd.choice or 0,
        right=rules.right_choice(question, rnd.option_order), correct=bool(rnd.correct), late=rnd.late,
        points=rnd.points, elapsed_ms=max(0, (rnd.answered_ms or 0) - (rnd.shown_ms or 0)),
        explanation=question.explanation, sources=question.sources)


def review(game: models.Game, *, session: Session | None = None) -> list[AnswerView]:
    """Every answered question of a game, in order."""
    session = session or get_session()
    R = models.GameRound
    rounds = session.exec(select(R).where(R.game_id == game.id, col(R.answered_ms).is_not(None))
                          .order_by(R.position)).all()
    return [_answer_view(game, r, question_from_json(r.question_data)) for r in rounds]


def post_score(game: models.Game, nickname: str, *, session: Session | None = None) -> None:
    """Put a finished game on its pack's and the overall leaderboards, once, for all time, the week, the day."""
    session = session or get_session()
    if game.finished_ms is None:
        raise GameNotFinished()
    G = models.Game
    won = session.execute(update(G).where(col(G.id) == game.id, col(G.nickname).is_(None)).values(nickname=nickname))
    if won.rowcount != 1:
        session.rollback()
        raise GameRuleError("This score is on the leaderboard already.")
    now = now_ms()
    session.add_all(models.LeaderboardEntry(board=board, period=period, score=game.score, time_ms=game.time_ms,
                                            nickname=nickname, game_id=game.id, created_ms=now)
                    for board in (pack_board(game.pack_id), models.OVERALL_BOARD)
                    for period in rules.period_keys(now).values())
    session.commit()
    session.refresh(game)


ABANDONED_AFTER_MS = 7 * 24 * 3600 * 1000


def purge_abandoned_games(now: int, *, older_than_ms: int = ABANDONED_AFTER_MS,
                          session: Session | None = None) -> int:
    """Delete games left unfinished for longer than ``older_than_ms`` (their rounds go with them); return how many."""
    session = session or get_session()
    G = models.Game
    result = session.execute(delete(G).where(col(G.finished_ms).is_(None), col(G.created_ms) < now - older_than_ms))
    session.commit()
    return result.rowcount
