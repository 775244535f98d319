"""The answer request's SQL, run on the driver's own connection (sqlite3 or psycopg), not through SQLAlchemy.

Why this module exists: ``POST /games/<id>/questions/<n>`` is the request a game sends most, and its
target is to cost at most twice a hello-world Flask request on the same server
(docs/performance-web.md). Through the ORM it cost about thirty (two ``session.get``, two ORM
UPDATEs, two ``refresh()``). The same three statements prebuilt in SQLAlchemy Core and run on a
Connection still cost about 0.15 ms more per answer than here (0.56-0.65 ms against 0.42-0.50 ms for
the whole request, in-process; behind gunicorn a ratio of 0.32-0.36 against 0.39-0.43): statement
cache lookups, parameter processing and result objects, several times what SQLite itself spends. So
this path, and only this one, talks to the DBAPI connection:

* one SELECT reads the game and its round at the answered position together (:func:`read_turn`);
* one transaction writes the answer (:func:`record_answer`): a guarded
  ``UPDATE game_round ... WHERE answered_ms IS NULL``, whose row count says whether this request won
  a race against another answer to the same question, and a guarded update of the game's totals
  (``WHERE answered = <position>``); if either finds nothing to update, nothing is written.

Python 3.11's sqlite3 lets go of the GIL around nearly every call into SQLite: each step of a
statement, its reset, its column count, the last row id after ``execute``, the implicit BEGIN, the
COMMIT, and the type of **every column of every row read** (counted with callgrind: 28 releases per
answer with the plain 8-column SELECT and ``execute``). Behind a threaded server each release lets
another thread in while this one holds the connection's lock. So the SELECT returns two columns, the
small fields packed into one space-separated text (the player token last, as it is the only free
text) and the question's JSON, and on SQLite the UPDATEs go through ``executemany``, which skips the
last-row-id call: 19 releases per answer.

On SQLite the process answers on one connection, one thread at a time. SQLite takes one writer at
a time anyway; with a pooled connection per request, each commit made the other connections drop
their page cache (about 20 page reads per answer), and threads colliding on the write lock slept in
SQLite's busy handler (1, 2, 5 ... ms: answers' p99 was 100 ms and more). On PostgreSQL each request
uses a pooled connection of its own, and row locks order the writers.

The rules (what may be answered, the score, the deadline) stay in :mod:`webapp.game`, the
orchestration in :mod:`webapp.games`. The SQL is written once with ``?`` placeholders and turned into
``%s`` for psycopg. Every other query of the game uses SQLAlchemy.
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
