"""The API's own SQL: Open Trivia DB session tokens and the questions they draw.

Like the other areas' ``store`` modules, every function takes an optional ``session=`` (default: the request's)
and no route writes SQL. The protocol rules (codes, expiry, drawing) are in :mod:`webapp.api.opentdb`.
"""

from __future__ import annotations

from random import Random

from sqlalchemy import and_, delete, func, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from webapp import models
from webapp.api import opentdb as otdb
from webapp.db import get_session
from webapp.packs import Question, question_from_json

SERVE_ATTEMPTS = 3  # a draw lost to a concurrent request with the same token is drawn again


# The questions the API may give away with their answers: of packs neither hidden nor play-only, not
# also in a play-only pack (a question's id is its content: the same question in two packs), and not
# drawn for a quiz night that has not ended (its answers would be one request away from the room).
_PLAY_ONLY_PACKS = select(models.Pack.id).where(col(models.Pack.answers_public).is_(False))
_IN_PLAY = (select(models.NightQuestion.question_id)
            .join(models.Night, col(models.Night.id) == models.NightQuestion.night_id)
            .where(col(models.Night.phase) != "ended"))
_SERVED = and_(
    col(models.Question.pack_id).in_(select(models.Pack.id).where(col(models.Pack.hidden).is_(False),
                                                                  col(models.Pack.answers_public).is_(True))),
    col(models.Question.qid).not_in(select(models.Question.qid).where(col(models.Question.pack_id).in_(_PLAY_ONLY_PACKS))),
    col(models.Question.qid).not_in(_IN_PLAY))


def difficulty_counts(*, session: Session | None = None) -> dict[str, int]:
    """How many distinct questions (by their own id) the public packs together hold, per difficulty."""
    Q = models.Question
    rows = (session or get_session()).exec(select(Q.difficulty, func.count(func.distinct(Q.qid))).where(_SERVED)
                                  .group_by(Q.difficulty))
    return dict(rows.all())


# --- OpenTDB session tokens ----------------------------------------------------------------------------

def create_token(now_ms: int, *, session: Session | None = None) -> str:
    """A new session token, stored; expired tokens are deleted on the way. Commits."""
    session = session or get_session()
    purge_expired_tokens(now_ms, session=session)
    token = otdb.new_token()
    session.add(models.TriviaToken(token=token, created_ms=now_ms, used_ms=now_ms))
    session.commit()
    return token


def purge_expired_tokens(now_ms: int, *, session: Session | None = None) -> int:
    """Delete the tokens idle for longer than OpenTDB keeps them (with what they have seen); return how many."""
    session = session or get_session()
    T, S = models.TriviaToken, models.TriviaTokenSeen
    cutoff = now_ms - otdb.TOKEN_IDLE_MS
    expired = select(T.token).where(col(T.used_ms) < cutoff)
    session.execute(delete(S).where(col(S.token).in_(expired)))
    gone = session.execute(delete(T).where(col(T.used_ms) < cutoff)).rowcount
    session.commit()
    return gone


def live_token(token: str | None, now_ms: int, *, session: Session | None = None) -> models.TriviaToken | None:
    """The token row if it exists and has not expired (an expired one is deleted), else None."""
    if not otdb.is_token(token):
        return None
    session = session or get_session()
    row = session.get(models.TriviaToken, token)
    if row is not None and otdb.token_expired(row.used_ms, now_ms):
        purge_expired_tokens(now_ms, session=session)
        return None
    return row


def reset_token(token: str | None, now_ms: int, *, session: Session | None = None) -> bool:
    """Forget every question a live token has seen; False when there is no such token. Commits."""
    session = session or get_session()
    row = live_token(token, now_ms, session=session)
    if row is None:
        return False
    session.execute(delete(models.TriviaTokenSeen).where(col(models.TriviaTokenSeen.token) == row.token))
    _touch(row.token, now_ms, session)
    session.commit()
    return True


def _touch(token: str, now_ms: int, session: Session) -> None:
    T = models.TriviaToken
    session.execute(update(T).where(col(T.token) == token).values(used_ms=now_ms))


def _pool(difficulty: str | None, session: Session) -> dict[str, Question]:
    """Every question a query may draw, by its own id (the first pack's copy when several packs hold it)."""
    Q = models.Question
    stmt = select(Q.qid, Q.data).where(_SERVED)
    if difficulty is not None:
        stmt = stmt.where(Q.difficulty == difficulty)
    data: dict[str, str] = {}
    for qid, text in session.exec(stmt.order_by(Q.qid, Q.pack_id, Q.position)):
        data.setdefault(qid, text)
    return {qid: question_from_json(text) for qid, text in data.items()}


def _seen(token: str, session: Session) -> set[str]:
    S = models.TriviaTokenSeen
    return set(session.exec(select(S.question_id).where(S.token == token)).all())


def serve_questions(query: otdb.QuestionQuery, now_ms: int, rng: Random, *,
                    session: Session | None = None) -> tuple[otdb.ResponseCode, list[Question]]:
    """Draw the questions an ``/api.php`` query asks for, recording them against its token; or say why not."""
    session = session or get_session()
    token = None
    if query.token is not None:
        row = live_token(query.token, now_ms, session=session)
        if row is None:
            return otdb.ResponseCode.TOKEN_NOT_FOUND, []
        token = row.token
    if not query.can_match():
        if token:
            _touch(token, now_ms, session)
            session.commit()
        return otdb.ResponseCode.NO_RESULTS, []
    pool = _pool(query.difficulty, session)
    facts = {qid: q.facts for qid, q in pool.items()}
    for _ in range(SERVE_ATTEMPTS):
        code, qids = otdb.draw(facts, _seen(token, session) if token else set(), query.amount, rng)
        if token is None:
            return code, [pool[qid] for qid in qids]
        _touch(token, now_ms, session)
        session.add_all(models.TriviaTokenSeen(token=token, question_id=qid) for qid in qids)
        try:
            session.commit()
        except IntegrityError:  # the same token served one of them concurrently, or was deleted
            session.rollback()
            if live_token(token, now_ms, session=session) is None:
                return otdb.ResponseCode.TOKEN_NOT_FOUND, []
            continue
        return code, [pool[qid] for qid in qids]
    return otdb.ResponseCode.TOKEN_EMPTY, []
