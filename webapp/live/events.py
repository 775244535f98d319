"""A quiz night's Socket.IO events, on the ``/night`` namespace: thin handlers over :mod:`webapp.live.store`.

Who a connection is comes from the ``auth`` it connects with, checked once: ``{"night": code}`` may
only ``join``; ``{"night": code, "player": token}`` is that player; ``{"night": id, "host": key,
"screen": "host" | "projector"}`` is the host's controls or the projector. Every event answers through
its acknowledgement: ``{"ok": true, ...}`` or ``{"ok": false, "error": "..."}``; anything that goes wrong
inside a handler becomes an ``error`` event to its sender, never a dropped connection.

The ``answer`` event, a room's thousand answers in a second, is registered on python-socketio's server
itself (:func:`init_app`) rather than through Flask-SocketIO's decorator: it needs no Flask request,
and pushing one for every answer took a fifth of the server's CPU with 1,000 players answering
(``benchmarks/bench_night.py``). Who a connection is, both kinds of handler read from
:data:`_connections`: it is the connection's own, so it lives in the process that holds the connection.

Rooms: ``n:<night>`` everyone of a night; ``s:<night>`` its screens (projector and controls);
``h:<night>`` the controls (the only ones told the answer while a question runs); ``pl:<night>`` its
players; ``p:<player>`` one player.
"""

from __future__ import annotations

import functools

from flask import Flask, current_app, request
from flask_socketio import ConnectionRefusedError, emit, join_room

from webapp.db import get_session
from webapp.extensions import socketio
from webapp.live import broadcast, desk, store
from webapp.live.store import AnswerRequest, NightError
from webapp.solo.store import now_ms

NAMESPACE = "/night"


# connection id → who it is (night, role and, for a player, their id); set on connecting or joining
_connections: dict[str, dict] = {}


def _identity(sid: str | None = None) -> dict:
    return _connections.get(sid or request.sid, {})


def _remember(identity: dict) -> None:
    _connections[request.sid] = identity


@socketio.on("disconnect", namespace=NAMESPACE)
def disconnect(*_reason):
    _connections.pop(request.sid, None)


def _fail(message: str) -> dict:
    return {"ok": False, "error": message}


def _malformed(message: str) -> dict:
    """A payload no page of ours sends: an ``error`` event to the sender as well as the refusal."""
    emit("error", {"error": message})
    return _fail(message)


def _is_int(value: object) -> bool:
    return type(value) is int


def _answer_shape_ok(data: object) -> bool:
    return (isinstance(data, dict) and _is_int(data.get("position"))
            and (data.get("choice") is None or _is_int(data.get("choice")))
            and (data.get("guess") is None or type(data.get("guess")) in (str, int, float)))


@socketio.on("connect", namespace=NAMESPACE)
def connect(auth=None):
    """Admit a connection to one night as its host screen, a player, or someone about to join."""
    if not isinstance(auth, dict) or not isinstance(auth.get("night"), str):
        raise ConnectionRefusedError("Connect with the night's code.")
    # first, before this handler holds a database connection: starting the ticker uses one (SQLite: the only one)
    broadcast.ensure_ticker(current_app)
    db = get_session()
    night = store.night_by_id(db, auth["night"]) if "host" in auth else store.night_by_code(db, auth["night"])
    if night is None:
        raise ConnectionRefusedError("There is no quiz night with that code.")
    if "host" in auth:
        if not store.is_host(night, auth.get("host")):
            raise ConnectionRefusedError("That is not this night's host key.")
        role = "projector" if auth.get("screen") == "projector" else "host"
        join_room(f"n:{night.id}")
        join_room(f"s:{night.id}")
        if role == "host":
            join_room(f"h:{night.id}")
        _remember({"night": night.id, "role": role})
    elif "player" in auth:
        player = store.player_by_token(db, night.id, auth.get("player"))
        if player is None:
            raise ConnectionRefusedError("This browser is not a player of this night any more: join again.")
        _enter_as_player(night.id, player.id)
    else:
        _remember({"night": night.id, "role": "visitor"})
    emit("state", broadcast.state_for(db, night, **_who()))


def _enter_as_player(night_id: str, player_id: int) -> None:
    join_room(f"n:{night_id}")
    join_room(f"pl:{night_id}")
    join_room(f"p:{player_id}")
    _remember({"night": night_id, "role": "player", "player": player_id})


def _who() -> dict:
    me = _identity()
    return {"role": me.get("role"), "player_id": me.get("player")}


def _night_and_role(*roles: str):
    me = _identity()
    if me.get("role") not in roles:
        raise NightError("Not allowed from this screen.")
    night = store.night_by_id(get_session(), me["night"])
    if night is None:
        raise NightError("This quiz night no longer exists.")
    return get_session(), night, me


@socketio.on("join", namespace=NAMESPACE)
def join(data=None):
    """A visitor picks a nickname (and a team): they become a player, with a token to come back with."""
    try:
        db, night, _me = _night_and_role("visitor")
        if not isinstance(data, dict):
            return _malformed("Joining takes a nickname (and a team).")
        player, token = store.join(db, night, data.get("nickname"), data.get("team"), now=now_ms())
    except NightError as exc:
        return _fail(exc.message)
    _enter_as_player(night.id, player.id)
    broadcast.roster_changed(night.id)
    return {"ok": True, "token": token, "state": broadcast.state_for(db, night, role="player", player_id=player.id)}


def answer(app: Flask, sid: str, data=None, *_more) -> dict:
    """A player's answer: stored (judged by when it reached the server) before it is acknowledged."""
    arrived = now_ms(app)
    try:
        me = _identity(sid)
        if me.get("role") != "player":
            return _fail("Only players answer.")
        if not _answer_shape_ok(data):
            message = "An answer names the question (a number) and the option (1 to 4) or a guess."
            socketio.emit("error", {"error": message}, to=sid, namespace=NAMESPACE)
            return _fail(message)
        receipt = desk.submit(app, AnswerRequest(me["night"], me["player"], data.get("position"),
                                                 data.get("choice"), data.get("guess"), arrived))
    except Exception:  # as on_error does for the other events: tell the sender, keep the connection
        app.logger.exception("night answer failed")
        socketio.emit("error", {"error": "That could not be done; try again."}, to=sid, namespace=NAMESPACE)
        return _fail("That could not be done; try again.")
    if isinstance(receipt, NightError):
        return _fail(receipt.message)
    return {"ok": True, "position": receipt.position, "choice": receipt.choice, "guess": receipt.guess,
            "repeat": receipt.repeat}


def init_app(app: Flask) -> None:
    """Register the ``answer`` event on the app's python-socketio server (see the module docstring)."""
    socketio.server.on("answer", functools.partial(answer, app), namespace=NAMESPACE)


@socketio.on("joker", namespace=NAMESPACE)
def joker(data=None):
    """A player plays their side's joker on a round that has not started."""
    try:
        db, night, me = _night_and_role("player")
        player = db.get(store.models.NightPlayer, me["player"])
        if player is None or player.removed:
            raise NightError("You are no longer in this quiz night.")
        chosen = store.play_joker(db, night, player, (data or {}).get("round") if isinstance(data, dict) else None)
    except NightError as exc:
        return _fail(exc.message)
    broadcast.joker_played(night, player, chosen)
    return {"ok": True, "round": chosen}


@socketio.on("control", namespace=NAMESPACE)
def control(data=None):
    """A host's move: ``{"action": "next" | "pause" | "resume" | "add_time" | "skip" | "close" |
    "standings" | "finish" | "tiebreak" | "end" | "lock" | "unlock" | "rename" | "remove" | "time", ...}``."""
    try:
        db, night, _me = _night_and_role("host")
        if not isinstance(data, dict) or not isinstance(data.get("action"), str):
            return _malformed("A control names its action.")
        broadcast.apply_control(db, night, data, now=now_ms())
    except NightError as exc:
        return _fail(exc.message)
    return {"ok": True}


@socketio.on("*", namespace=NAMESPACE)
def unknown(event, *_args):
    emit("error", {"error": f"Unknown event {str(event)[:40]!r}."})
    return _fail("Unknown event.")


@socketio.on_error(NAMESPACE)
def on_error(exc):
    """A handler failed on something a client sent: tell the sender, keep the connection."""
    current_app.logger.exception("night event %r failed", getattr(request, "event", {}).get("message"))
    get_session().rollback()
    emit("error", {"error": "That could not be done; try again."})
    return _fail("That could not be done; try again.")
