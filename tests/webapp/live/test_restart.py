"""A night survives its server: ``quizgen serve`` killed with SIGKILL mid-question, started again, and the
night goes on from that question with every acknowledged answer and every point kept.

Real processes and real WebSocket clients (python-socketio's client), on a fresh SQLite file.
"""

from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from webapp import create_app, db, models
from webapp.live import rules, store
from webapp.packs import question_from_json
from webapp.rules import right_choice

REPO = Path(__file__).resolve().parents[3]
NS = "/night"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """``python -m webapp serve`` on a port, restartable."""

    def __init__(self, tmp_path: Path) -> None:
        self.port = _free_port()
        self.db_url = f"sqlite:///{tmp_path / 'night.db'}"
        self.env = {**os.environ, "QUIZGEN_DATABASE_URL": self.db_url, "QUIZGEN_SECRET_KEY": secrets.token_hex(32),
                    "QUIZGEN_ENV": "development", "PYTHONUNBUFFERED": "1"}
        self.log = tmp_path / "server.log"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "webapp", "serve", "--port", str(self.port), "--questions", str(REPO / "questions")],
                env=self.env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"the server exited: {self.log.read_text()[-3000:]}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return
            except OSError:
                time.sleep(0.1)
        raise AssertionError("the server did not start in 60 s")

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()


@pytest.fixture
def server(tmp_path):
    running = Server(tmp_path)
    running.start()
    yield running
    running.stop()


class Client:
    """A python-socketio client that reconnects by itself, with the auth of the moment."""

    def __init__(self, url: str, auth: dict) -> None:
        import socketio

        self.auth = dict(auth)
        self.events: list[tuple[str, object]] = []
        self.sio = socketio.Client(reconnection=True, reconnection_delay=0.2, reconnection_delay_max=0.5)
        self.sio.on("*", lambda event, data=None: self.events.append((event, data)), namespace=NS)
        self.sio.connect(url, namespaces=[NS], auth=lambda: self.auth, transports=["websocket"], wait_timeout=10)

    def call(self, event: str, data: dict) -> dict:
        return self.sio.call(event, data, namespace=NS, timeout=10)

    def wait_for(self, event: str, timeout: float = 15) -> object:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for name, data in self.events:
                if name == event:
                    return data
            time.sleep(0.05)
        raise AssertionError(f"no {event!r} event in {timeout} s; got {[n for n, _ in self.events]}")

    def wait_connected(self, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while NS not in self.sio.namespaces:
            assert time.monotonic() < deadline, "did not reconnect"
            time.sleep(0.05)

    def close(self) -> None:
        self.sio.disconnect()


def test_a_night_survives_sigkill_mid_question(server):
    app = create_app({"DATABASE_URL": server.db_url, "SECRET_KEY": "x"}, instance_path=str(server.log.parent))
    plan = rules.Plan(title="Restart", pack_ids=("tiny-pretty-things",), rounds=(rules.RoundPlan("Any", 2),),
                      seconds=60, tiebreak=False)
    with app.app_context():
        night, key = store.create_night(db.get_session(), plan, now=int(time.time() * 1000))
        code, night_id = night.code, night.id
    url = f"http://127.0.0.1:{server.port}"
    host = Client(url, {"night": night_id, "host": key})
    players = []
    for name in ("Ana", "Bob", "Cy"):
        client = Client(url, {"night": code})
        reply = client.call("join", {"nickname": name})
        assert reply["ok"], reply
        client.auth = {"night": code, "player": reply["token"]}  # what the page keeps in localStorage
        players.append((client, reply["state"]["me"]["id"]))
    try:
        assert host.call("control", {"action": "next"}) == {"ok": True}
        with app.app_context():
            q = db.get_session().get(models.NightQuestion, (night_id, 0))
            right = right_choice(question_from_json(q.question_data), q.option_order)
        ana, bob, cy = players
        for client, _ in players:
            client.wait_for("question")
        acked = {}
        for client, player_id in (ana, bob):
            reply = client.call("answer", {"position": 0, "choice": right})
            assert reply["ok"] and not reply["repeat"]
            acked[player_id] = reply["choice"]

        server.kill()  # mid-question, two answers acknowledged, one to come
        time.sleep(3)  # the server is down for a while: not the players' time
        for client, _ in players:
            client.events.clear()
        server.start()

        for client, player_id in players:  # everyone is back as themselves, without typing anything
            state = client.wait_for("state", timeout=30)
            client.wait_connected()
            assert state["me"]["id"] == player_id
            assert state["question"]["position"] == 0
            assert state["mine"] == ({"choice": acked[player_id], "guess": None} if player_id in acked else None)
        assert ana[0].call("answer", {"position": 0, "choice": 1})["repeat"] is True  # never scored twice
        late = cy[0].call("answer", {"position": 0, "choice": right})
        assert late["ok"] and not late["repeat"]

        host.wait_for("state", timeout=30)
        host.wait_connected()
        for client, _ in players:
            client.wait_for("result", timeout=15)  # everyone answered: the restarted server closed the question
        with app.app_context():
            session = db.get_session()
            answers = {a.player_id: a for a in store.room_answers(session, night_id, 0)}
            scores = {p.id: p.score for p in store.players(session, night_id)}
            night = store.night_by_id(session, night_id)
        assert set(answers) == {player_id for _, player_id in players}
        assert all(a.correct for a in answers.values())
        assert night.phase == "reveal"
        assert scores == {pid: a.points for pid, a in answers.items()} and min(scores.values()) >= 500
        # Cy answered more than 3 s of wall time after the question opened, but the outage is not charged
        assert answers[cy[1]].elapsed_ms < answers[bob[1]].elapsed_ms + 2_500
        assert host.call("control", {"action": "next"}) == {"ok": True}  # and the night goes on
    finally:
        for client, _ in players:
            client.close()
        host.close()
