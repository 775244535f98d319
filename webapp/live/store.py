"""Quiz nights as stored in the database: plan, join, open, answer, close, standings, results.

The socket events and pages call these; the rules are in :mod:`webapp.live.rules`. Every step that
must happen once, whichever server process gets there first (opening a question, closing it, an
answer), is a guarded write whose row count says who won. Each function takes the session it works in
and commits what it changed before it returns, so that what it reports is already stored.
"""

from __future__ import annotations

import functools
import hashlib
import json
import random
import secrets
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import String, and_, bindparam, cast, func, literal, select as select_core, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from webapp import models
from webapp.boards.nicknames import NicknameError, clean_nickname
from webapp.exceptions import GameRuleError
from webapp.live import rules
from webapp.live.rules import Plan
from webapp.packs import Question, question_from_json, question_json
from webapp.rules import OPTION_COUNT, option_order, pick_questions, right_choice, shown_options

CODE_ALPHABET = "BCDFGHJKLMNPQRSTVWXZ"  # no vowels (no words), no look-alikes of digits
CODE_LENGTH = 6  # 20^6 = 64 million codes; joins are also refused once a night is locked or over
LOBBY, QUESTION, REVEAL, STANDINGS, FINAL, ENDED = "lobby", "question", "reveal", "standings", "final", "ended"
_N, _Q, _P, _A = (models.Night.__table__, models.NightQuestion.__table__, models.NightPlayer.__table__,
                  models.NightAnswer.__table__)


class NightError(GameRuleError):
    """A move a quiz night does not allow now; its message is shown to whoever made it."""


def digest(secret: str) -> str:
    """What the database keeps of a host's or player's secret."""
    return hashlib.sha256(secret.encode()).hexdigest()


# --- planning --------------------------------------------------------------------------------------

def candidate_questions(session: Session, pack_ids: Iterable[str]) -> list[Question]:
    """The questions of the given packs (hidden packs left out), in pack order."""
    P, Q = models.Pack, models.Question
    stmt = (select(Q.data).join(P, col(P.id) == Q.pack_id)
            .where(col(Q.pack_id).in_(list(pack_ids)), col(P.hidden).is_(False))
            .order_by(Q.pack_id, Q.position))
    return [question_from_json(data) for data in session.exec(stmt)]


def draw_questions(plan: Plan, questions: list[Question], rng: random.Random) -> list[tuple[int, Question]]:
    """(round, question) for every question of the night, no two resting on the same fact; then, when the plan
    has a tie-breaker and a question with a numeric answer is left, that one in a round of its own."""
    used: set[str] = set()
    drawn: list[tuple[int, Question]] = []
    for number, round_plan in enumerate(plan.rounds):
        pool = [q for q in questions
                if (not round_plan.category or q.category == round_plan.category)
                and (not round_plan.show or q.show == round_plan.show)
                and used.isdisjoint(q.facts) and q not in [d for _, d in drawn]]
        picked = pick_questions(pool, round_plan.count, rng)
        if len(picked) < round_plan.count:
            what = " and ".join(filter(None, (round_plan.category, round_plan.show))) or "these packs"
            what = f"from {what}"
            raise NightError(f"Round {number + 1} ({round_plan.title}) asks for {round_plan.count} questions, but "
                             f"only {len(picked)} {what} can be asked without two giving each other away.")
        for q in picked:
            used |= set(q.facts)
            drawn.append((number, q))
    if plan.tiebreak:
        numeric = [q for q in questions if rules.parse_number(q.correct) is not None
                   and used.isdisjoint(q.facts) and q not in [d for _, d in drawn]]
        if numeric:
            drawn.append((len(plan.rounds), rng.choice(numeric)))
    return drawn


def create_night(session: Session, plan: Plan, *, now: int, seed: int | None = None,
                 run_of: str | None = None) -> tuple[models.Night, str]:
    """A new night in its lobby with its questions drawn; returns it and the host's secret (shown once)."""
    rng = random.Random(seed if seed is not None else secrets.randbits(64))
    drawn = draw_questions(plan, candidate_questions(session, plan.pack_ids), rng)
    return _store_night(session, plan, drawn, rng, now=now, run_of=run_of)


def run_again(session: Session, night: models.Night, *, now: int) -> tuple[models.Night, str]:
    """A new night with the same plan and questions as ``night`` (new code, new players, options reshuffled)."""
    plan = Plan.from_json(night.plan)
    rows = session.exec(select(models.NightQuestion).where(models.NightQuestion.night_id == night.id)
                        .order_by(models.NightQuestion.position)).all()
    drawn = [(row.round, question_from_json(row.question_data)) for row in rows]
    return _store_night(session, plan, drawn, random.Random(secrets.randbits(64)), now=now, run_of=night.id)


def _store_night(session, plan, drawn, rng, *, now, run_of):
    host_key = secrets.token_urlsafe(24)
    night = models.Night(id=secrets.token_urlsafe(12), code=_free_code(session), title=plan.title,
                         host_key_hash=digest(host_key), plan=plan.to_json(), created_ms=now, seen_ms=now,
                         run_of=run_of)
    session.add(night)
    session.flush()
    for position, (round_number, question) in enumerate(drawn):
        tiebreak = round_number == len(plan.rounds)
        session.add(models.NightQuestion(
            night_id=night.id, position=position, round=round_number, question_id=question.id,
            question_data=question_json(question), option_order=option_order(question, rng),
            seconds=max(plan.seconds, 30) if tiebreak else plan.seconds, tiebreak=tiebreak))
    session.commit()
    session.refresh(night)
    return night, host_key


def _free_code(session: Session) -> str:
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if session.exec(select(models.Night.id).where(models.Night.code == code)).first() is None:
            return code


def normalise_code(text: str) -> str:
    """A typed game code as stored: capitals, no spaces or dashes."""
    return "".join(ch for ch in str(text).upper() if ch.isalnum())[:CODE_LENGTH * 2]


# --- finding -----------------------------------------------------------------------------------------

def night_by_code(session: Session, code: str) -> models.Night | None:
    return session.exec(select(models.Night).where(models.Night.code == normalise_code(code))).first()


def night_by_id(session: Session, night_id: str) -> models.Night | None:
    return session.get(models.Night, night_id) if isinstance(night_id, str) and len(night_id) <= 40 else None


def is_host(night: models.Night, host_key: object) -> bool:
    return isinstance(host_key, str) and 0 < len(host_key) <= 100 and secrets.compare_digest(
        night.host_key_hash, digest(host_key))


def player_by_token(session: Session, night_id: str, token: object) -> models.NightPlayer | None:
    """The player holding ``token`` in this night (None for anyone else's token, or a removed player)."""
    if not isinstance(token, str) or not 0 < len(token) <= 100:
        return None
    player = session.exec(select(models.NightPlayer).where(models.NightPlayer.token_hash == digest(token))).first()
    return player if player is not None and player.night_id == night_id and not player.removed else None


def question_at(session: Session, night_id: str, position: int) -> models.NightQuestion | None:
    return session.get(models.NightQuestion, (night_id, position))


def night_questions(session: Session, night_id: str) -> list[models.NightQuestion]:
    return list(session.exec(select(models.NightQuestion).where(models.NightQuestion.night_id == night_id)
                             .order_by(models.NightQuestion.position)))


def players(session: Session, night_id: str) -> list[models.NightPlayer]:
    """The players still in a night, in the order they joined."""
    return list(session.exec(select(models.NightPlayer).where(
        models.NightPlayer.night_id == night_id, col(models.NightPlayer.removed).is_(False)).order_by(models.NightPlayer.id)))


def player_rows(session: Session, night_id: str) -> list:
    """The players still in a night as light rows (id, score, streak, tiebreak_off): for the whole room at once."""
    return session.execute(select_core(_P.c.id, _P.c.score, _P.c.streak, _P.c.tiebreak_off)
                           .where(_P.c.night_id == night_id, _P.c.removed.is_(False)).order_by(_P.c.id)).all()


def list_nights(session: Session, ids: Iterable[str] | None = None, limit: int = 50) -> list[models.Night]:
    """Nights, newest first (only ``ids`` when given: the ones this browser hosts)."""
    stmt = select(models.Night).order_by(col(models.Night.created_ms).desc()).limit(limit)
    if ids is not None:
        stmt = stmt.where(col(models.Night.id).in_(list(ids)))
    return list(session.exec(stmt))


# --- joining -------------------------------------------------------------------------------------------

def join(session: Session, night: models.Night, nickname: object, team: object, *, now: int) -> tuple[
        models.NightPlayer, str]:
    """Add a player to ``night``; returns them and their secret token. :class:`NightError` says why not."""
    plan = Plan.from_json(night.plan)
    if night.phase == ENDED or night.phase == FINAL:
        raise NightError("This quiz night is over.")
    if night.locked:
        raise NightError("The host has closed this quiz night to new players.")
    try:
        name = clean_nickname(nickname if isinstance(nickname, str) else "")
    except NicknameError as exc:
        raise NightError(str(exc)) from None
    if plan.teams and team not in plan.teams:
        raise NightError("Choose one of the teams.")
    count, _ = room_size(session, night.id)
    if count >= rules.MAX_PLAYERS:
        raise NightError("This quiz night is full.")
    if _taken(session, night.id, name):
        raise NightError(f"Someone in this quiz night is already called {name!r} (or something that looks "
                         "the same): choose another nickname.")
    token = secrets.token_urlsafe(18)
    player = models.NightPlayer(night_id=night.id, nickname=name, name_key=rules.name_key(name),
                                token_hash=digest(token), team=team if plan.teams else None, joined_ms=now)
    session.add(player)
    try:
        session.commit()
    except IntegrityError:  # the unique (night, name) index: someone took this name a moment ago
        session.rollback()
        raise NightError(f"Someone in this quiz night is already called {name!r} (or something that looks "
                         "the same): choose another nickname.") from None
    session.refresh(player)
    return player, token


def _taken(session: Session, night_id: str, name: str) -> bool:
    return session.exec(select(models.NightPlayer.id).where(models.NightPlayer.night_id == night_id,
                                                          models.NightPlayer.name_key == rules.name_key(name))
                        ).first() is not None


def rename(session: Session, night: models.Night, player_id: object, nickname: object) -> models.NightPlayer:
    player = _own_player(session, night, player_id)
    try:
        name = clean_nickname(nickname if isinstance(nickname, str) else "")
    except NicknameError as exc:
        raise NightError(str(exc)) from None
    if rules.name_key(name) != player.name_key and _taken(session, night.id, name):
        raise NightError(f"Someone is already called {name!r} (or something that looks the same).")
    player.nickname, player.name_key = name, rules.name_key(name)
    session.add(player)
    session.commit()
    return player


def remove(session: Session, night: models.Night, player_id: object) -> models.NightPlayer:
    player = _own_player(session, night, player_id)
    player.removed = True
    session.add(player)
    session.commit()
    return player


def set_time_factor(session: Session, night: models.Night, player_id: object, factor: object) -> models.NightPlayer:
    if factor not in rules.TIME_FACTORS or isinstance(factor, bool):
        raise NightError("More time is 100, 150 or 200 percent, or 0 for no limit.")
    player = _own_player(session, night, player_id)
    player.time_factor = factor
    session.add(player)
    session.commit()
    return player


def _own_player(session: Session, night: models.Night, player_id: object) -> models.NightPlayer:
    player = session.get(models.NightPlayer, player_id) if type(player_id) is int else None
    if player is None or player.night_id != night.id or player.removed:
        raise NightError("There is no such player in this quiz night.")
    return player


def set_locked(session: Session, night: models.Night, locked: bool) -> None:
    night.locked = bool(locked)
    session.add(night)
    session.commit()


# --- jokers --------------------------------------------------------------------------------------------

def side_of(plan: Plan, player: models.NightPlayer) -> str:
    """Who plays a joker: the player's team, or the player alone in a night without teams."""
    return f"team:{player.team}" if plan.teams and player.team else f"player:{player.id}"


def play_joker(session: Session, night: models.Night, player: models.NightPlayer, round_number: object) -> int:
    """Double ``round_number`` for the player's side; only once, and only for a round not yet started."""
    plan = Plan.from_json(night.plan)
    if not plan.joker:
        raise NightError("This quiz night has no jokers.")
    if type(round_number) is not int or not 0 <= round_number < len(plan.rounds):
        raise NightError("Choose one of the rounds.")
    if round_number <= current_round(session, night):
        raise NightError("That round has started: a joker is played before its round.")
    values = {"night_id": night.id, "side": side_of(plan, player), "round": round_number}
    session.execute(_insert_of(session)(models.NightJoker.__table__).values(**values).on_conflict_do_nothing())
    session.commit()
    chosen = joker_round(session, night.id, values["side"])
    if chosen != round_number:
        raise NightError(f"Your {'team' if plan.teams else 'joker'} already doubles round {chosen + 1}.")
    return chosen


def joker_round(session: Session, night_id: str, side: str) -> int | None:
    return session.exec(select(models.NightJoker.round).where(models.NightJoker.night_id == night_id,
                                                            models.NightJoker.side == side)).first()


def current_round(session: Session, night: models.Night) -> int:
    """The round of the question on screen (-1 before the first); between rounds, the one just played."""
    if night.position < 0:
        return -1
    question = question_at(session, night.id, night.position)
    return question.round if question is not None else -1


# --- the host's moves ------------------------------------------------------------------------------------

def open_next(session: Session, night: models.Night, *, now: int) -> models.NightQuestion:
    """Open the next question (not the tie-breaker: see :func:`open_tiebreak`)."""
    if night.phase not in (LOBBY, REVEAL, STANDINGS):
        raise NightError("Close this question first.")
    nxt = question_at(session, night.id, night.position + 1)
    if nxt is None or nxt.tiebreak:
        raise NightError("That was the last question: show the podium.")
    return _open(session, night, nxt, now=now)


def open_tiebreak(session: Session, night: models.Night, *, now: int) -> models.NightQuestion:
    if night.phase != FINAL:
        raise NightError("The tie-breaker comes after the last question.")
    question = session.exec(select(models.NightQuestion).where(models.NightQuestion.night_id == night.id,
                                                               col(models.NightQuestion.tiebreak).is_(True))).first()
    if question is None or question.opened_ms is not None:
        raise NightError("This quiz night has no tie-breaker left.")
    return _open(session, night, question, now=now)


def _open(session, night, question, *, now):
    won = session.execute(update(_N).where(_N.c.id == night.id, _N.c.phase == night.phase,
                                           _N.c.position == night.position)
                          .values(phase=QUESTION, position=question.position, paused_ms=None, seen_ms=now,
                                  started_ms=func.coalesce(_N.c.started_ms, now))).rowcount
    if not won:
        session.rollback()
        raise NightError("Someone else moved the night on first.")
    question.opened_ms = now
    session.add(question)
    session.commit()
    session.refresh(night)
    return question


def pause(session: Session, night: models.Night, *, now: int) -> None:
    if night.phase != QUESTION or night.paused_ms is not None:
        raise NightError("Only a running question can be paused.")
    night.paused_ms = now
    session.add(night)
    session.commit()


def resume(session: Session, night: models.Night, *, now: int) -> None:
    """Carry on after a pause: the question's clock moves on by the pause, so nobody loses time to it."""
    if night.paused_ms is None:
        raise NightError("The night is not paused.")
    won = session.execute(update(_N).where(_N.c.id == night.id, _N.c.paused_ms == night.paused_ms)
                          .values(paused_ms=None)).rowcount
    if not won:  # resumed a moment ago (a second tap, another device)
        session.rollback()
        raise NightError("The night is not paused.")
    session.execute(update(_Q).where(_Q.c.night_id == night.id, _Q.c.position == night.position,
                                     _Q.c.opened_ms.is_not(None), _Q.c.closed_ms.is_(None))
                    .values(opened_ms=_Q.c.opened_ms + max(0, now - night.paused_ms)))
    session.commit()
    session.refresh(night)


def add_time(session: Session, night: models.Night, seconds: object) -> models.NightQuestion:
    if type(seconds) is not int or not 1 <= seconds <= 120:
        raise NightError("Add between 1 and 120 seconds.")
    question = question_at(session, night.id, night.position)
    if night.phase != QUESTION or question is None or question.closed_ms is not None:
        raise NightError("Time can only be added to a running question.")
    session.execute(update(_Q).where(_Q.c.night_id == night.id, _Q.c.position == night.position)
                    .values(extra_ms=_Q.c.extra_ms + seconds * 1000))
    session.commit()
    session.refresh(question)
    return question


def resume_after_outage(session: Session, *, now: int, quiet_ms: int = 3000) -> list[str]:
    """Nights whose open question no server looked after for ``quiet_ms``: their clocks move on by the gap.
    Returns their ids. Called by each server process as it starts looking after nights."""
    moved = []
    for night in session.exec(select(models.Night).where(models.Night.phase == QUESTION)).all():
        if night.paused_ms is not None or now - night.seen_ms <= quiet_ms:
            continue
        # only the process that moves seen_ms on from what it read shifts the clock (two may start together)
        won = session.execute(update(_N).where(_N.c.id == night.id, _N.c.seen_ms == night.seen_ms)
                              .values(seen_ms=now)).rowcount
        question = question_at(session, night.id, night.position)
        if won and question is not None and question.opened_ms is not None and question.closed_ms is None:
            question.opened_ms = rules.shift_for_outage(question.opened_ms, night.seen_ms, now)
            session.add(question)
            moved.append(night.id)
    session.commit()
    return moved


def mark_seen(session: Session, night_ids: list[str], *, now: int) -> None:
    if night_ids:
        session.execute(update(_N).where(_N.c.id.in_(night_ids)).values(seen_ms=now))
        session.commit()


# --- answers -----------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Receipt:
    """What a player is told when their answer is stored: their choice, never whether it was right."""

    position: int
    choice: int
    guess: float | None
    repeat: bool  # a second answer: this is the first one's receipt, and nothing was scored again


@dataclass(frozen=True)
class AnswerRequest:
    """One answer as it reached the server: whose, to which question, what, and when (epoch ms)."""

    night_id: str
    player_id: int
    position: object
    choice: object
    guess: object
    arrived_ms: int


_J = models.NightJoker.__table__
_PLAYER_JOKER, _TEAM_JOKER = _J.alias("player_joker"), _J.alias("team_joker")
# Answers, what a night receives most, are stored in batches (webapp.live.desk): per batch and question,
# one SELECT for the question's state, one for the answering players, one INSERT for all their answers.
# The question's row is read FOR SHARE (PostgreSQL): closing it (an UPDATE of that row) waits until these
# answers are committed, and answers wait for a close under way, so an answer is either counted by the close
# or refused as closed, never stored after it. SQLite has one writer, and a process one connection to it.
_READ_QUESTION_STATE = (
    select_core(_N.c.phase, _N.c.position, _N.c.paused_ms, _N.c.plan, _Q.c.opened_ms, _Q.c.extra_ms, _Q.c.closed_ms,
                _Q.c.seconds, _Q.c.round, _Q.c.tiebreak, _Q.c.option_order, _Q.c.question_data)
    .select_from(_Q.join(_N, _N.c.id == _Q.c.night_id))
    .where(_Q.c.night_id == bindparam("night"), _Q.c.position == bindparam("position"))
    .with_for_update(read=True, of=_Q))
_READ_ANSWERING_PLAYERS = (
    select_core(_P.c.id, _P.c.streak, _P.c.time_factor, _P.c.removed, _P.c.team,
                _A.c.choice.label("stored_choice"), _A.c.guess.label("stored_guess"),
                _PLAYER_JOKER.c.round.label("player_joker"), _TEAM_JOKER.c.round.label("team_joker"))
    .select_from(
        _P.outerjoin(_A, and_(_A.c.night_id == _P.c.night_id, _A.c.position == bindparam("position"),
                              _A.c.player_id == _P.c.id))
        .outerjoin(_PLAYER_JOKER, and_(_PLAYER_JOKER.c.night_id == _P.c.night_id,
                                       _PLAYER_JOKER.c.side == literal("player:") + cast(_P.c.id, String)))
        .outerjoin(_TEAM_JOKER, and_(_TEAM_JOKER.c.night_id == _P.c.night_id,
                                     _TEAM_JOKER.c.side == literal("team:") + _P.c.team)))
    .where(_P.c.night_id == bindparam("night"), _P.c.id.in_(bindparam("players", expanding=True))))
_INSERTS = {"sqlite": sqlite_insert, "postgresql": pg_insert}  # the two with ON CONFLICT
_INSERT_ANSWER = {name: insert(_A).on_conflict_do_nothing() for name, insert in _INSERTS.items()}


def _insert_of(session: Session):
    """The INSERT construct of the session's database (it has ON CONFLICT)."""
    return _INSERTS[session.get_bind().dialect.name]
# A night's plan and its questions are written once and read on every answer: parse each once per process.
_plan = functools.lru_cache(maxsize=256)(Plan.from_json)
_question = functools.lru_cache(maxsize=4096)(question_from_json)


def record_answers(session: Session, requests: list[AnswerRequest]) -> list[Receipt | NightError]:
    """Store answers, each judged by the server's clock when it arrived, in one transaction; for each, its
    :class:`Receipt` (a repeat gets the first answer's) or the :class:`NightError` saying why it was refused.
    Everything returned as stored is committed."""
    results: list[Receipt | NightError | None] = [None] * len(requests)
    by_question: dict[tuple[str, int], list[int]] = {}
    for i, request in enumerate(requests):
        if type(request.position) is not int or not 0 <= request.position < 10_000:
            results[i] = NightError("This question is closed.")
        else:
            by_question.setdefault((request.night_id, request.position), []).append(i)
    connection = session.connection()
    new_rows: list[dict] = []
    for (night_id, position), indexes in by_question.items():
        state = connection.execute(_READ_QUESTION_STATE, {"night": night_id, "position": position}).first()
        players = {row.id: row for row in connection.execute(_READ_ANSWERING_PLAYERS, {
            "night": night_id, "position": position, "players": sorted({requests[i].player_id for i in indexes})})}
        first_in_batch: dict[int, dict] = {}
        for i in indexes:
            player_id = requests[i].player_id
            if player_id in first_in_batch:  # the same player twice in one batch (two tabs): the first counts
                row = first_in_batch[player_id]
                results[i] = Receipt(position=position, choice=row["choice"], guess=row["guess"], repeat=True)
                continue
            outcome = _judge(requests[i], state, players.get(player_id))
            if isinstance(outcome, dict):
                first_in_batch[player_id] = outcome
                new_rows.append(outcome)
                results[i] = Receipt(position=position, choice=outcome["choice"], guess=outcome["guess"], repeat=False)
            else:
                results[i] = outcome
    if new_rows:
        stored = connection.execute(_INSERT_ANSWER[connection.dialect.name], new_rows).rowcount
        if stored != len(new_rows):  # another process stored some of these players' answers first
            for i, result in enumerate(results):
                if isinstance(result, Receipt) and not result.repeat:
                    first = _stored_answer(session, requests[i].night_id, result.position, requests[i].player_id)
                    row = next(r for r in new_rows if r["player_id"] == requests[i].player_id
                               and r["position"] == result.position)
                    if first is not None and (first.choice, first.guess) != (row["choice"], row["guess"]):
                        results[i] = first
    session.commit()
    return results  # type: ignore[return-value]


def _judge(request: AnswerRequest, state, player) -> dict | Receipt | NightError:
    """The row to store for one answer, the first answer's receipt for a repeat, or why it is refused."""
    position = request.position
    if player is None or player.removed:
        return NightError("You are no longer in this quiz night.")
    if player.stored_choice is not None:
        return Receipt(position=position, choice=player.stored_choice, guess=player.stored_guess, repeat=True)
    if state is None or state.phase != QUESTION or state.position != position or state.opened_ms is None \
            or state.closed_ms is not None:
        return NightError("This question is closed.")
    if state.paused_ms is not None:
        return NightError("The night is paused: answer when it carries on.")
    elapsed = max(0, request.arrived_ms - state.opened_ms)
    if rules.is_late(elapsed, rules.window_ms(state.seconds, state.extra_ms, player.time_factor)):
        return NightError("Too late: time was up for this question.")
    question, plan = _question(state.question_data), _plan(state.plan)
    choice, guess = request.choice, request.guess
    if state.tiebreak:
        number = rules.parse_number(guess) if isinstance(guess, str) else (
            float(guess) if type(guess) in (int, float) and abs(guess) < 1e12 else None)
        if number is None:
            return NightError("Type a number.")
        choice, correct, points = 0, number == rules.parse_number(question.correct), 0
    else:
        if type(choice) is not int or not 1 <= choice <= OPTION_COUNT:
            return NightError("Choose one of the four options.")
        number = None
        correct = choice == right_choice(question, state.option_order)
        joker = player.team_joker if plan.teams and player.team else player.player_joker
        points = rules.answer_points(
            scoring=plan.scoring, correct=correct, elapsed_ms=elapsed,
            window=rules.scoring_window_ms(state.seconds, 0, player.time_factor),
            streak_before=player.streak, doubled=joker == state.round)
    return {"night_id": request.night_id, "position": position, "player_id": request.player_id, "choice": choice,
            "guess": number, "received_ms": request.arrived_ms, "elapsed_ms": elapsed, "correct": correct,
            "points": points}


def _stored_answer(session, night_id, position, player_id) -> Receipt | None:
    row = session.get(models.NightAnswer, (night_id, position, player_id))
    return None if row is None else Receipt(position=position, choice=row.choice, guess=row.guess, repeat=True)


def answered_count(session: Session, night_id: str, position: int) -> int:
    """How many players still in the night have answered the question at ``position``."""
    A, P = models.NightAnswer, models.NightPlayer
    return session.exec(select(func.count()).select_from(A).join(P, col(P.id) == A.player_id)
                        .where(A.night_id == night_id, A.position == position, col(P.removed).is_(False))).one()


# --- closing -------------------------------------------------------------------------------------------------

def room_size(session: Session, night_id: str) -> tuple[int, set[int]]:
    """How many players are in the night, and the time allowances among them (no player is loaded)."""
    rows = session.exec(select(models.NightPlayer.time_factor, func.count())
                        .where(models.NightPlayer.night_id == night_id, col(models.NightPlayer.removed).is_(False))
                        .group_by(models.NightPlayer.time_factor)).all()
    return sum(n for _, n in rows), {factor for factor, _ in rows}


def due_to_close(session: Session, night: models.Night, *, now: int, answered: int | None = None) -> bool:
    """Whether the open question should close: everyone still playing answered, or all are out of time."""
    if night.phase != QUESTION or night.paused_ms is not None:
        return False
    question = question_at(session, night.id, night.position)
    if question is None or question.opened_ms is None or question.closed_ms is not None:
        return False
    count, _ = room_size(session, night.id)
    if answered is None:
        answered = answered_count(session, night.id, night.position)
    if count and answered >= count:
        return True
    return rules.time_is_up(now - question.opened_ms, question.seconds, question.extra_ms,
                            waiting_factors(session, night.id, night.position))


def waiting_factors(session: Session, night_id: str, position: int) -> set[int]:
    """The time allowances of the players still in the night who have not answered the question at ``position``."""
    answered = select_core(_A.c.player_id).where(_A.c.night_id == night_id, _A.c.position == position)
    return set(session.execute(select_core(_P.c.time_factor).distinct()
                               .where(_P.c.night_id == night_id, _P.c.removed.is_(False), _P.c.id.not_in(answered)))
               .scalars())


def close_question(session: Session, night: models.Night, *, now: int, skipped: bool = False) -> bool:
    """Close the open question and count its answers into scores and streaks (a skipped one counts for
    nobody). Returns False when it was already closed (by another process, or a moment ago)."""
    if night.phase != QUESTION:
        return False
    position = night.position
    won = session.execute(update(_Q).where(_Q.c.night_id == night.id, _Q.c.position == position,
                                           _Q.c.closed_ms.is_(None))
                          .values(closed_ms=now, skipped=skipped)).rowcount
    if not won:
        session.rollback()
        return False
    question = question_at(session, night.id, position)
    answers = {row.player_id: row for row in session.execute(
        select_core(_A.c.player_id, _A.c.points, _A.c.correct, _A.c.guess)
        .where(_A.c.night_id == night.id, _A.c.position == position))}
    active = session.execute(select_core(_P.c.id, _P.c.score, _P.c.right, _P.c.streak)
                             .where(_P.c.night_id == night.id, _P.c.removed.is_(False))).all()
    if question.tiebreak:
        answer = rules.parse_number(_question(question.question_data).correct)
        guesses = [{"player": p.id, "off": rules.guess_distance(answers[p.id].guess, answer)}
                   for p in active if p.id in answers and answers[p.id].guess is not None and not skipped]
        if guesses:
            session.execute(update(_P).where(_P.c.id == bindparam("player")).values(tiebreak_off=bindparam("off")),
                            guesses)
    elif not skipped:
        counted = []
        for p in active:
            own = answers.get(p.id)
            correct = own is not None and own.correct
            counted.append({"player": p.id, "new_score": p.score + (own.points if own is not None else 0),
                            "new_right": p.right + (1 if correct else 0),
                            "new_streak": rules.streak_after(p.streak, correct)})
        if counted:  # one statement for the room, however many players
            session.execute(update(_P).where(_P.c.id == bindparam("player")).values(
                score=bindparam("new_score"), right=bindparam("new_right"), streak=bindparam("new_streak")), counted)
        right = sum(1 for p in active if p.id in answers and answers[p.id].correct)
        session.execute(update(_Q).where(_Q.c.night_id == night.id, _Q.c.position == position)
                        .values(asked=len(active), answered_right=right))
        _count_stats(session, question, right=right, asked=len(active))
    session.execute(update(_N).where(_N.c.id == night.id).values(phase=REVEAL, paused_ms=None))
    session.commit()
    session.refresh(night)
    return True


def _count_stats(session, question, *, right, asked):
    """Add a closed question's figures to its measured difficulty (an upsert: nights close at the same time)."""
    if asked == 0:
        return
    table = models.QuestionStat.__table__
    values = {"question_id": question.question_id, "asked": asked, "right": right,
              "difficulty": _question(question.question_data).difficulty}
    statement = _insert_of(session)(table).values(**values)
    session.execute(statement.on_conflict_do_update(index_elements=[table.c.question_id], set_={
        "asked": table.c.asked + statement.excluded.asked, "right": table.c.right + statement.excluded.right}))


def show_standings(session: Session, night: models.Night) -> None:
    if night.phase not in (REVEAL, STANDINGS):
        raise NightError("The leaderboard shows once the question is closed.")
    night.phase = STANDINGS
    session.add(night)
    session.commit()


def finish(session: Session, night: models.Night, *, now: int) -> None:
    """Show the podium (closing a question still open; nobody scores on it)."""
    if night.phase == ENDED:
        raise NightError("This quiz night is over.")
    _move_to(session, night, FINAL, now=now)


def end(session: Session, night: models.Night, *, now: int) -> None:
    """End the night (closing a question still open; nobody scores on it)."""
    _move_to(session, night, ENDED, now=now)
    night.ended_ms = now
    session.add(night)
    session.commit()


def _move_to(session: Session, night: models.Night, phase: str, *, now: int) -> None:
    if night.phase == QUESTION:
        close_question(session, night, now=now, skipped=True)
    night.phase = phase
    session.add(night)
    session.commit()


def next_step(session: Session, night: models.Night) -> str:
    """What "next" does now: "question", "standings" (a leaderboard first), "final", or "" (nothing)."""
    plan = Plan.from_json(night.plan)
    if night.phase == LOBBY:
        return QUESTION
    if night.phase not in (REVEAL, STANDINGS):
        return ""
    nxt = question_at(session, night.id, night.position + 1)
    last = nxt is None or nxt.tiebreak
    if night.phase == REVEAL:
        current = question_at(session, night.id, night.position)
        round_over = last or (current is not None and not current.tiebreak and nxt.round != current.round)
        if current is not None and current.tiebreak:
            return FINAL
        if plan.board_after == rules.BOARD_AFTER_QUESTION or round_over:
            return STANDINGS
    return FINAL if last else QUESTION


# --- what the screens show -----------------------------------------------------------------------------------

def player_scores(session: Session, night: models.Night, *, up_to: int | None = None) -> dict[str, float]:
    """Each active player's score (key ``p<id>``); with ``up_to``, as it was once the question at that position
    had closed (the points of the questions after it taken off)."""
    scores = {f"p{p.id}": p.score for p in players(session, night.id)}
    if up_to is not None:
        later = (select_core(_A.c.player_id, func.sum(_A.c.points))
                 .select_from(_A.join(_Q, and_(_Q.c.night_id == _A.c.night_id, _Q.c.position == _A.c.position)))
                 .where(_A.c.night_id == night.id, _A.c.position > up_to, _Q.c.closed_ms.is_not(None),
                        _Q.c.skipped.is_(False))
                 .group_by(_A.c.player_id))
        for player_id, points in session.execute(later):
            if f"p{player_id}" in scores:
                scores[f"p{player_id}"] -= points
    return scores


def previous_board(session: Session, night: models.Night) -> int | None:
    """The position of the question after which the last leaderboard before this one was shown (None: this is
    the first): the question before, or with boards between rounds only, the last question of an earlier round."""
    plan = Plan.from_json(night.plan)
    shown = session.execute(select_core(_Q.c.position, _Q.c.round).where(
        _Q.c.night_id == night.id, _Q.c.position < night.position, _Q.c.closed_ms.is_not(None),
        _Q.c.tiebreak.is_(False)).order_by(_Q.c.position)).all()
    current = question_at(session, night.id, night.position)
    if plan.board_after == rules.BOARD_AFTER_ROUND and current is not None:
        shown = [row for row in shown if row.round < current.round]
    return shown[-1].position if shown else None


def leaderboard(session: Session, night: models.Night, *, top: int | None = rules.TOP) -> dict:
    """The players' (and teams') standings, with each one's movement since the previous leaderboard."""
    plan = Plan.from_json(night.plan)
    active = players(session, night.id)
    names = {f"p{p.id}": p.nickname for p in active}
    now = player_scores(session, night)
    since = previous_board(session, night) if night.position >= 0 else None
    before = player_scores(session, night, up_to=since) if since is not None else now
    tiebreak = {f"p{p.id}": p.tiebreak_off for p in active if p.tiebreak_off is not None}
    rows = rules.standings(now, before, names, tiebreak=tiebreak, top=top)
    result = {"players": [_row(s) for s in rows], "teams": []}
    if plan.teams:
        members = [(p.team, p.score) for p in active if p.team]
        members_before = [(p.team, before[f"p{p.id}"]) for p in active if p.team]
        team_now, team_before = rules.team_scores(members), rules.team_scores(members_before)
        team_off = {}
        for p in active:
            if p.team and p.tiebreak_off is not None:
                team_off[p.team] = min(team_off.get(p.team, float("inf")), p.tiebreak_off)
        result["teams"] = [_row(s) for s in rules.standings(team_now, team_before, {t: t for t in team_now},
                                                            tiebreak=team_off)]
    return result


def _row(s: rules.Standing) -> dict:
    return {"name": s.name, "score": s.score, "rank": s.rank, "movement": s.movement}


def needs_tiebreak(session: Session, night: models.Night) -> bool:
    """Whether the top places tie and the night still has its tie-breaker question."""
    question = session.exec(select(models.NightQuestion).where(models.NightQuestion.night_id == night.id,
                                                               col(models.NightQuestion.tiebreak).is_(True))).first()
    if question is None or question.opened_ms is not None:
        return False
    board = leaderboard(session, night, top=None)
    rows = board["teams"] or board["players"]
    return sum(1 for r in rows if r["rank"] == 1) > 1


def player_rank(session: Session, night: models.Night, player: models.NightPlayer) -> tuple[int, int]:
    """(rank, players) of one player, ties sharing a rank."""
    ahead = session.exec(select(func.count()).select_from(models.NightPlayer).where(
        models.NightPlayer.night_id == night.id, col(models.NightPlayer.removed).is_(False),
        models.NightPlayer.score > player.score)).one()
    total = session.exec(select(func.count()).select_from(models.NightPlayer).where(
        models.NightPlayer.night_id == night.id, col(models.NightPlayer.removed).is_(False))).one()
    return ahead + 1, total


def room_answers(session: Session, night_id: str, position: int) -> list:
    """The answers to one question of a night, as light rows (player_id, choice, guess, correct, points, elapsed_ms)."""
    return session.execute(select_core(_A.c.player_id, _A.c.choice, _A.c.guess, _A.c.correct, _A.c.points,
                                       _A.c.elapsed_ms)
                           .where(_A.c.night_id == night_id, _A.c.position == position)).all()


def shown(question: models.NightQuestion) -> tuple[Question, list[str]]:
    """A night's question and its options in the order this night shows them."""
    data = _question(question.question_data)
    return data, shown_options(data, question.option_order)


def dumps(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def categories(session: Session, pack_ids: list[str]) -> set[str]:
    """The question categories of the given packs (what a round can be about)."""
    return set(session.exec(select(models.Question.category).where(col(models.Question.pack_id).in_(pack_ids))
                            .distinct()))


def shows(session: Session, pack_ids: list[str]) -> set[str]:
    """The shows the given packs ask about (a round can be one show's)."""
    return set(session.exec(select(models.Question.show).where(col(models.Question.pack_id).in_(pack_ids))
                            .distinct()))


STALE_AFTER_MS = 12 * 3600 * 1000  # a night nobody has moved on for this long is ended by the ticker


def packs_in_running_nights(session: Session) -> set[str]:
    """Packs a night that has not ended draws from: nobody but the admin downloads them meanwhile."""
    plans = session.exec(select(models.Night.plan).where(col(models.Night.phase) != ENDED))
    return {pack_id for plan in plans for pack_id in Plan.from_json(plan).pack_ids}


def end_stale_nights(session: Session, *, now: int) -> list[str]:
    """End the nights nobody has moved on for :data:`STALE_AFTER_MS` (a host who walked away); their ids.

    A night moves on when it is created, when a question opens, and while a question is open (the ticker
    notes it every second); a night planned in the morning for the evening is not stale at noon."""
    ended = []
    for night in session.exec(select(models.Night).where(col(models.Night.phase) != ENDED)).all():
        opened = session.execute(select_core(func.max(_Q.c.opened_ms)).where(_Q.c.night_id == night.id)).scalar()
        if now - max(night.created_ms, night.seen_ms, opened or 0) > STALE_AFTER_MS:
            won = session.execute(update(_N).where(_N.c.id == night.id, _N.c.phase == night.phase)
                                  .values(phase=ENDED, ended_ms=now, paused_ms=None)).rowcount
            if won:
                ended.append(night.id)
    session.commit()
    return ended
