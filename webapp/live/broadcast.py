"""What each screen of a night is sent, and when; and the ticker that keeps every night's clock.

Per answer, nothing goes to the room: the sender gets its acknowledgement, and the projector and the
host's controls get the count of answers from the ticker, a few times a second at most. The room hears
of each question once as it opens, once as it closes (the reveal), and each player gets their own
result then; so the messages of a question grow with the players, not with their square.
"""

from __future__ import annotations

import threading

from flask import Flask
from sqlmodel import Session, select

from webapp import models
from webapp.db import get_session
from webapp.extensions import socketio
from webapp.live import rules, store
from webapp.live.rules import Plan
from webapp.live.store import FINAL, LOBBY, QUESTION, REVEAL, STANDINGS, NightError
from webapp.rules import right_choice
from webapp.solo.store import now_ms

NAMESPACE = "/night"
TICK_S = 0.25  # how often the ticker closes due questions and sends answer counts
SEEN_EVERY_MS = 1000  # how often it notes that this server still looks after its nights
STALE_CHECK_EVERY_MS = 60_000  # how often it ends the nights their hosts walked away from

# What this process last told the screens, so the ticker sends only changes. Only a cache: a process
# that starts empty sends everything once.
_last_count: dict[str, tuple[int, int]] = {}
_roster_dirty: set[str] = set()


def send(event: str, data: dict, room: str) -> None:
    socketio.emit(event, data, to=room, namespace=NAMESPACE)


# --- payloads ------------------------------------------------------------------------------------------

def night_summary(session: Session, night: models.Night) -> dict:
    plan = Plan.from_json(night.plan)
    current = store.question_at(session, night.id, night.position) if night.position >= 0 else None
    return {
        "id": night.id, "code": night.code, "title": night.title, "phase": night.phase,
        "position": night.position, "total": plan.question_count,
        "round": current.round if current is not None else -1,
        "rounds": [r.title for r in plan.rounds], "teams": list(plan.teams), "joker": plan.joker,
        "scoring": plan.scoring, "locked": night.locked, "paused": night.paused_ms is not None,
        "board_after": plan.board_after, "stem_on_phones": plan.stem_on_phones,
    }


def question_payload(night: models.Night, question: models.NightQuestion, *, screen: bool, now: int) -> dict:
    """The open question as a screen (``screen``) or a phone sees it: never which option is right."""
    plan = Plan.from_json(night.plan)
    data, options = store.shown(question)
    payload = {
        "position": question.position, "number": question.position + 1, "total": plan.question_count,
        "round": question.round, "round_title": _round_title(plan, question), "tiebreak": question.tiebreak,
        "options": [] if question.tiebreak else options, "seconds": question.seconds,
        "extra_ms": question.extra_ms, "elapsed_ms": max(0, (night.paused_ms or now) - (question.opened_ms or now)),
        "paused": night.paused_ms is not None,
    }
    if screen or plan.stem_on_phones or question.tiebreak:
        payload["stem"] = data.stem
    return payload


def _round_title(plan: Plan, question: models.NightQuestion) -> str:
    return "Tie-breaker" if question.tiebreak else plan.rounds[question.round].title


def answer_for_host(question: models.NightQuestion) -> dict:
    data, options = store.shown(question)
    right = 0 if question.tiebreak else right_choice(data, question.option_order)
    return {"position": question.position, "right": right, "text": data.correct}


def reveal_payload(session: Session, night: models.Night, question: models.NightQuestion) -> dict:
    """The closed question: the right option, how the room answered, the explanation and its source."""
    data, options = store.shown(question)
    answers = store.room_answers(session, night.id, question.position)
    source = data.sources[0]
    return {
        "position": question.position, "tiebreak": question.tiebreak, "skipped": question.skipped,
        "stem": data.stem, "options": [] if question.tiebreak else options,
        "right": 0 if question.tiebreak else right_choice(data, question.option_order), "text": data.correct,
        "explanation": data.explanation, "source": source_line(source),
        "counts": rules.distribution(a.choice for a in answers), "answered": len(answers),
        "players": store.room_size(session, night.id)[0],
    }


def source_line(source) -> dict:
    """The source as the reveal shows it: the article's name and the quote cut to the clause that holds the
    answer (a whole sentence such as "A as B, C as D, ..." would answer the night's other questions)."""
    quote = "".join(source.excerpt())
    return {"article": source.name(), "quote": quote or None, "date": source.date}


def player_payload(player: models.NightPlayer, joker: int | None) -> dict:
    return {"id": player.id, "nickname": player.nickname, "team": player.team, "score": player.score,
            "streak": player.streak, "time_factor": player.time_factor, "joker_round": joker}


def roster(session: Session, night: models.Night) -> list[dict]:
    return [{"id": p.id, "nickname": p.nickname, "team": p.team, "time_factor": p.time_factor}
            for p in store.players(session, night.id)]


def results_for_players(session: Session, night: models.Night, question: models.NightQuestion) -> dict[int, dict]:
    """Each player's own result of a closed question: their answer, points, score, streak and rank."""
    active = store.player_rows(session, night.id)
    answers = {a.player_id: a for a in store.room_answers(session, night.id, question.position)}
    ranks = rules.rank([(str(p.id), p.score) for p in active])
    return {p.id: _result(question, p, answers.get(p.id), ranks[str(p.id)], len(active)) for p in active}


def result_for(session: Session, night: models.Night, question: models.NightQuestion,
               player: models.NightPlayer) -> dict:
    """One player's own result of a closed question (a reconnection: without reading the whole room)."""
    rank, players = store.player_rank(session, night, player)
    return _result(question, player, session.get(models.NightAnswer, (night.id, question.position, player.id)),
                   rank, players)


def _result(question, player, own, rank: int, players: int) -> dict:
    return {"position": question.position, "choice": own.choice if own else None,
            "guess": own.guess if own else None, "correct": bool(own and own.correct),
            "points": 0 if question.skipped or own is None else own.points, "score": player.score,
            "streak": player.streak, "rank": rank, "players": players, "skipped": question.skipped,
            "off": player.tiebreak_off if question.tiebreak else None}


def podium(session: Session, night: models.Night) -> dict:
    board = store.leaderboard(session, night, top=None)
    return {"players": board["players"][:rules.TOP], "teams": board["teams"],
            "tiebreak_ready": store.needs_tiebreak(session, night)}


def state_for(session: Session, night: models.Night, *, role: str | None, player_id: int | None = None) -> dict:
    """Everything a screen needs to draw the night as it is now: sent on every (re)connection."""
    now = now_ms()
    state: dict = {"role": role, "night": night_summary(session, night), "players": store.room_size(session, night.id)[0]}
    question = store.question_at(session, night.id, night.position) if night.position >= 0 else None
    screen = role in ("host", "projector")
    me = session.get(models.NightPlayer, player_id) if player_id is not None else None
    if me is not None:
        plan = Plan.from_json(night.plan)
        state["me"] = player_payload(me, store.joker_round(session, night.id, store.side_of(plan, me)))
        state["me"]["rank"], _ = store.player_rank(session, night, me)
    if screen:
        state["roster"] = roster(session, night)
    if question is not None and night.phase == QUESTION:
        state["question"] = question_payload(night, question, screen=screen, now=now)
        if role == "host":
            state["answer"] = answer_for_host(question)
        if screen:  # the ticker sends the count only when it changes: a screen that (re)connects needs it now
            state["count"] = {"position": question.position, "players": state["players"],
                              "answered": store.answered_count(session, night.id, question.position)}
        if me is not None:
            mine = session.get(models.NightAnswer, (night.id, question.position, me.id))
            state["mine"] = None if mine is None else {"choice": mine.choice, "guess": mine.guess}
    elif question is not None and night.phase in (REVEAL, STANDINGS):
        state["reveal"] = reveal_payload(session, night, question)
        if me is not None:
            state["result"] = result_for(session, night, question, me)
    if night.phase in (STANDINGS, REVEAL) and question is not None:
        state["standings"] = store.leaderboard(session, night)
    if night.phase in (FINAL, store.ENDED):
        state["podium"] = podium(session, night)
    if role == "host":
        state["next"] = store.next_step(session, night)
    return state


# --- the host's moves --------------------------------------------------------------------------------------

def apply_control(session: Session, night: models.Night, data: dict, *, now: int) -> None:
    """Carry out one host move and tell the screens; :class:`NightError` when it does not apply now."""
    action = data["action"]
    if action == "next":
        step = store.next_step(session, night)
        if step == QUESTION:
            opened(session, night, store.open_next(session, night, now=now))
        elif step == STANDINGS:
            _show_standings(session, night)
        elif step == FINAL:
            _show_podium(session, night, now=now)
        else:
            raise NightError("Close the question first.")
    elif action in ("close", "skip"):
        if not store.close_question(session, night, now=now, skipped=action == "skip"):
            raise NightError("No question is open.")
        closed(session, night)
    elif action == "pause":
        store.pause(session, night, now=now)
        clock_changed(session, night, now=now)
    elif action == "resume":
        store.resume(session, night, now=now)
        clock_changed(session, night, now=now)
    elif action == "add_time":
        store.add_time(session, night, data.get("seconds"))
        clock_changed(session, night, now=now)
    elif action == "standings":
        _show_standings(session, night)
    elif action == "finish":
        _show_podium(session, night, now=now)
    elif action == "tiebreak":
        opened(session, night, store.open_tiebreak(session, night, now=now))
    elif action == "end":
        store.end(session, night, now=now)
        send("ended", {"podium": podium(session, night)}, f"n:{night.id}")
    elif action in ("lock", "unlock"):
        store.set_locked(session, night, action == "lock")
        send("night", night_summary(session, night), f"n:{night.id}")
    elif action == "rename":
        player = store.rename(session, night, data.get("player"), data.get("nickname"))
        send("me", {"nickname": player.nickname}, f"p:{player.id}")
        roster_changed(night.id)
    elif action == "remove":
        player = store.remove(session, night, data.get("player"))
        send("removed", {"message": "The host removed you from this quiz night."}, f"p:{player.id}")
        socketio.close_room(f"p:{player.id}", namespace=NAMESPACE)
        roster_changed(night.id)
    elif action == "time":
        player = store.set_time_factor(session, night, data.get("player"), data.get("factor"))
        send("me", {"time_factor": player.time_factor}, f"p:{player.id}")
        roster_changed(night.id)
    else:
        raise NightError(f"Unknown action {action[:40]!r}.")
    session.refresh(night)
    send("next", {"next": store.next_step(session, night)}, f"h:{night.id}")


def _show_standings(session: Session, night: models.Night) -> None:
    store.show_standings(session, night)
    send("standings", store.leaderboard(session, night), f"n:{night.id}")


def _show_podium(session: Session, night: models.Night, *, now: int) -> None:
    store.finish(session, night, now=now)
    send("podium", podium(session, night), f"n:{night.id}")


def opened(session: Session, night: models.Night, question: models.NightQuestion) -> None:
    """Tell the room a question is open: phones without the answer, the controls with it."""
    now = now_ms()
    send("question", question_payload(night, question, screen=False, now=now), f"pl:{night.id}")
    send("question_screen", question_payload(night, question, screen=True, now=now), f"s:{night.id}")
    send("answer", answer_for_host(question), f"h:{night.id}")
    _last_count.pop(night.id, None)


def closed(session: Session, night: models.Night) -> None:
    """Tell the room the question closed (the reveal), and each player their own result."""
    question = store.question_at(session, night.id, night.position)
    send("reveal", reveal_payload(session, night, question), f"n:{night.id}")
    for player_id, result in results_for_players(session, night, question).items():
        send("result", result, f"p:{player_id}")
    send("next", {"next": store.next_step(session, night)}, f"h:{night.id}")
    if question.tiebreak:
        send("podium", podium(session, night), f"s:{night.id}")


def clock_changed(session: Session, night: models.Night, *, now: int) -> None:
    question = store.question_at(session, night.id, night.position)
    session.refresh(night)
    send("clock", {"position": night.position, "paused": night.paused_ms is not None,
                   "extra_ms": question.extra_ms if question else 0,
                   "elapsed_ms": max(0, (night.paused_ms or now) - (question.opened_ms or now)) if question else 0},
         f"n:{night.id}")


def roster_changed(night_id: str) -> None:
    """Players came, went or changed: the ticker sends the screens the new list (at most a few times a second)."""
    _roster_dirty.add(night_id)


def joker_played(night: models.Night, player: models.NightPlayer, round_number: int) -> None:
    plan = Plan.from_json(night.plan)
    who = player.team if plan.teams and player.team else player.nickname
    send("joker", {"who": who, "round": round_number, "title": plan.rounds[round_number].title}, f"s:{night.id}")
    if plan.teams and player.team:
        for mate in store.players(get_session(), night.id):
            if mate.team == player.team:
                send("me", {"joker_round": round_number}, f"p:{mate.id}")


# --- the ticker -------------------------------------------------------------------------------------------

def tick(*, now: int) -> None:
    """One pass over the running nights: close the questions that are due, send answer counts and rosters."""
    session = get_session()
    running = session.exec(select(models.Night).where(models.Night.phase.in_([QUESTION, LOBBY]))).all()
    for night in running:
        if night.phase == QUESTION:
            answered = store.answered_count(session, night.id, night.position)
            if store.due_to_close(session, night, now=now, answered=answered):
                if store.close_question(session, night, now=now):
                    closed(session, night)
                continue
            count = (answered, store.room_size(session, night.id)[0])
            if _last_count.get(night.id) != count:
                _last_count[night.id] = count
                send("count", {"position": night.position, "answered": count[0], "players": count[1]},
                     f"s:{night.id}")
    for night_id in list(_roster_dirty):
        _roster_dirty.discard(night_id)
        night = store.night_by_id(session, night_id)
        if night is not None:
            send("roster", {"players": roster(session, night)}, f"s:{night_id}")


def run_ticker(app: Flask) -> None:
    """Keep every night's clock, in a background task of this server process, until it stops."""
    last_seen = last_stale_check = 0
    while True:
        with app.app_context():
            try:
                now = now_ms()
                tick(now=now)
                if now - last_seen >= SEEN_EVERY_MS:
                    session = get_session()
                    running = session.exec(select(models.Night.id).where(models.Night.phase == QUESTION)).all()
                    store.mark_seen(session, list(running), now=now)
                    last_seen = now
                if now - last_stale_check >= STALE_CHECK_EVERY_MS:
                    session = get_session()
                    for night_id in store.end_stale_nights(session, now=now):
                        night = store.night_by_id(session, night_id)
                        send("ended", {"podium": podium(session, night)}, f"n:{night_id}")
                    last_stale_check = now
            except Exception:  # a database hiccup must not stop the clocks of every night
                app.logger.exception("the night ticker failed; trying again")
        socketio.sleep(TICK_S)


class Ticker:
    """This process's ticker for one app, started by the first connection to a night (before it, there is
    no clock to keep); ``LIVE_WORKERS`` off (the tests) leaves it to them to call :func:`tick`."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.started = False
        self._lock = threading.Lock()

    def ensure_started(self) -> None:
        if self.started or not self.app.config["LIVE_WORKERS"]:
            return
        with self._lock:
            if not self.started:
                # before the first screen is sent the night's state: a clock the outage moved must be drawn moved
                with self.app.app_context():
                    session = get_session()
                    for night_id in store.resume_after_outage(session, now=now_ms(), quiet_ms=2 * SEEN_EVERY_MS):
                        night = store.night_by_id(session, night_id)
                        clock_changed(session, night, now=now_ms())
                self.started = True
                socketio.start_background_task(run_ticker, self.app)


def init_app(app: Flask) -> None:
    app.extensions["quizgen_ticker"] = Ticker(app)


def ensure_ticker(app: Flask) -> None:
    """Start the ticker of ``app`` in this process if it is not running yet."""
    app.extensions["quizgen_ticker"].ensure_started()
