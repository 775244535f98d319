"""The answer request's SQL, run on the driver's own connection (sqlite3 or psycopg), not through SQLAlchemy.

Answering is the request a game sends most. On SQLite the process answers on one connection, one
thread at a time: with a pooled connection per request each commit emptied the other connections'
page cache, and the answer request fell to 0.26-0.27x hello-world (docs/performance-web.md). One
SELECT reads the game and its round; one transaction writes the answer through guarded UPDATEs
(``... WHERE answered_ms IS NULL``, ``... WHERE answered = <position>``) whose row counts say whether
this request won a race. The rules stay in :mod:`webapp.game`; every other query uses SQLAlchemy.
"""
from __future__ import annotations

import threading
from contextlib import nullcontext
from typing import Any, NamedTuple

from flask import Flask, current_app, g
from sqlalchemy import Engine

from .db import get_engine
from .game import Verdict

_READ_TURN = (
    "SELECT CAST(g.length AS TEXT) || ' ' || CAST(g.answered AS TEXT) || ' ' || CASE WHEN g.timed THEN '1' ELSE '0' END"
    " || ' ' || COALESCE(CAST(r.shown_ms AS TEXT), '') || ' ' || COALESCE(CAST(r.answered_ms AS TEXT), '')"
    " || ' ' || COALESCE(r.option_order, '') || ' ' || g.player, r.question_data "
    "FROM game g LEFT JOIN game_round r ON r.game_id = g.id AND r.position = ? "
    "WHERE g.id = ?")
_WRITE_ROUND = (
    "UPDATE game_round SET answered_ms = ?, choice = ?, correct = ?, late = ?, points = ? "
    "WHERE game_id = ? AND position = ? AND answered_ms IS NULL")
_WRITE_GAME = (
    "UPDATE game SET answered = answered + 1, score = score + ?, time_ms = time_ms + ?, finished_ms = ? "
    "WHERE id = ? AND answered = ?")

_EXTENSION_KEY = "quizgen_fastpath"
_REQUEST_CONNECTION = "quizgen_fastpath_connection"


class Turn(NamedTuple):
    """A game and its round at ``position``, as answering needs them (``shown_ms`` etc. None if no such round)."""

    game_id: str
    player: str
    position: int
    length: int
    answered: int
    timed: bool
    shown_ms: int | None
    answered_ms: int | None
    question_data: str | None
    option_order: str | None


class _Lanes:
    """Where an app's fast path gets its connection: SQLite's one shared connection, or the request's own.

    Use as ``with lanes.lock: lanes.connection()...``: the lock is a real one only for the shared connection.
    """

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        sqlite = engine.dialect.name == "sqlite"
        # An in-memory SQLite database is private to each connection: there, use the pool's like PostgreSQL.
        self.shared = sqlite and engine.url.database not in (None, "", ":memory:")
        self.lock = threading.Lock() if self.shared else nullcontext()
        self.read_turn, self.write_round, self.write_game = (
            (_READ_TURN, _WRITE_ROUND, _WRITE_GAME) if sqlite
            else tuple(s.replace("?", "%s") for s in (_READ_TURN, _WRITE_ROUND, _WRITE_GAME)))
        self._connection = None  # made on first use: after gunicorn forks its workers, never before
        self.sqlite = sqlite

    def write(self, connection: Any, sql: str, parameters: tuple) -> int:
        """Run one UPDATE; the number of rows it changed."""
        if self.sqlite:  # executemany: one GIL release fewer than execute (see the module docstring)
            return connection.executemany(sql, (parameters,)).rowcount
        return connection.execute(sql, parameters).rowcount

    def connection(self) -> Any:
        """The DBAPI connection to use now (hold :attr:`lock` while using it)."""
        if not self.shared:
            if _REQUEST_CONNECTION not in g:
                setattr(g, _REQUEST_CONNECTION, self.engine.raw_connection())
            return getattr(g, _REQUEST_CONNECTION).driver_connection
        if self._connection is None:
            pooled = self.engine.raw_connection()  # made with the engine's pragmas (WAL, busy timeout ...)
            pooled.detach()  # out of the pool: the app keeps it (and sqlite3 closes it when it is collected)
            self._connection = pooled.dbapi_connection
        return self._connection


def init_app(app: Flask) -> None:
    """Give ``app`` its fast-path connections; call after :func:`webapp.db.init_app`."""
    lanes = app.extensions[_EXTENSION_KEY] = _Lanes(get_engine(app))
    if not lanes.shared:  # a pooled connection per request, given back when the request ends
        app.teardown_appcontext(_release_request_connection)


def _lanes() -> _Lanes:
    return current_app.extensions[_EXTENSION_KEY]


def _release_request_connection(_exc: BaseException | None) -> None:
    pooled = g.pop(_REQUEST_CONNECTION, None)
    if pooled is not None:
        pooled.close()  # back to the pool, which rolls back anything left uncommitted


def read_turn(game_id: str, position: int) -> Turn | None:
    """The game ``game_id`` with its round at ``position``, in one SELECT; None if there is no such game."""
    lanes = _lanes()
    with lanes.lock:
        row = lanes.connection().execute(lanes.read_turn, (position, game_id)).fetchone()
    if row is None:
        return None
    fields, question_data = row
    length, answered, timed, shown_ms, answered_ms, option_order, player = fields.split(" ", 6)
    return Turn(game_id, player, position, int(length), int(answered), timed == "1",
                int(shown_ms) if shown_ms else None, int(answered_ms) if answered_ms else None, question_data,
                option_order or None)


def record_answer(turn: Turn, choice: int, verdict: Verdict, *, now_ms: int) -> bool:
    """Store the answer and the game's new totals in one transaction; False (nothing written) if already answered."""
    lanes = _lanes()
    finished = now_ms if turn.position + 1 == turn.length else None
    with lanes.lock:
        connection = lanes.connection()
        try:
            won = lanes.write(connection, lanes.write_round, (now_ms, choice, verdict.correct, verdict.late,
                                                              verdict.points, turn.game_id, turn.position)) == 1
            if won:  # the round was ours: the game moves on by exactly this answer, or nothing does
                won = lanes.write(connection, lanes.write_game, (verdict.points, verdict.elapsed_ms, finished,
                                                                 turn.game_id, turn.position)) == 1
            if won:
                connection.commit()
            else:
                connection.rollback()
        except BaseException:
            connection.rollback()
            raise
    return won
