"""Answers that reach a server process together are stored together: one transaction a batch.

An answer event hands its answer to the process's desk and waits for the receipt; the desk's writer (a
background task) takes every answer waiting, stores them with :func:`webapp.live.store.record_answers`,
and gives each waiting handler its own result. It never waits to fill a batch: while it writes one, the
next gathers, so a quiet room's answers are stored one at a time and a busy room's in batches. Each
answer is judged by when it reached the server, stamped by its handler, not by when it was written; and
it is acknowledged only once its batch is committed.
"""

from __future__ import annotations

import queue
import threading

from flask import Flask

from webapp.db import get_session
from webapp.extensions import socketio
from webapp.live import store
from webapp.live.store import AnswerRequest, NightError, Receipt

BATCH_MAX = 500  # answers a transaction; a room of a thousand answering in one second fills two or three
RECEIPT_WAIT_S = 10  # then the phone is told to send again (a repeat gets the stored answer's receipt)


class _Waiting:
    def __init__(self, request: AnswerRequest) -> None:
        self.request = request
        self.done = threading.Event()
        self.result: Receipt | NightError | None = None


class AnswerDesk:
    """This process's desk for one app; with ``LIVE_WORKERS`` off (the tests), each answer is stored at once,
    in its handler's own session, through the same :func:`~webapp.live.store.record_answers`."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.waiting: queue.Queue[_Waiting] = queue.Queue()
        self.started = False
        self._lock = threading.Lock()

    def submit(self, request: AnswerRequest) -> Receipt | NightError:
        """Store one answer with whatever else is waiting; its receipt, or why it was refused."""
        if not self.app.config["LIVE_WORKERS"]:
            with self.app.app_context():
                return store.record_answers(get_session(), [request])[0]
        self._start()
        waiting = _Waiting(request)
        self.waiting.put(waiting)
        if not waiting.done.wait(RECEIPT_WAIT_S):
            return NightError("The server is busy: your answer is not stored yet. Send it again.")
        return waiting.result

    def _start(self) -> None:
        if not self.started:
            with self._lock:
                if not self.started:
                    self.started = True
                    socketio.start_background_task(self._write_forever)

    def _write_forever(self) -> None:
        while True:
            batch = [self.waiting.get()]
            while len(batch) < BATCH_MAX:
                try:
                    batch.append(self.waiting.get_nowait())
                except queue.Empty:
                    break
            with self.app.app_context():
                try:
                    results = store.record_answers(get_session(), [w.request for w in batch])
                except Exception:  # the database failed: nothing of this batch is stored, every phone is told
                    self.app.logger.exception("storing %d answers failed", len(batch))
                    results = [NightError("Your answer could not be stored: send it again.")] * len(batch)
            for waiting, result in zip(batch, results):
                waiting.result = result
                waiting.done.set()


def init_app(app: Flask) -> None:
    app.extensions["quizgen_answer_desk"] = AnswerDesk(app)


def submit(app: Flask, request: AnswerRequest) -> Receipt | NightError:
    """Hand an answer to the desk of ``app`` in this process and wait for its receipt."""
    return app.extensions["quizgen_answer_desk"].submit(request)
