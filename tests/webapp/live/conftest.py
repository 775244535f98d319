"""Quiz night fixtures: a stored pack with categories, a planned night, and Socket.IO test clients.

``night_of(plan_kwargs)`` plans a night straight through the store (the form has its own tests);
``host(night)``, ``projector(night)`` and ``player(night, "Ana")`` connect Flask-SocketIO test clients
as the host's controls, the projector and a player who has joined.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import pytest

from tests.webapp.conftest import build_pack, make_question
from webapp import db, models
from webapp.extensions import socketio
from webapp.live import rules, store
from webapp.live.events import NAMESPACE
from webapp.packs import question_from_json
from webapp.rules import right_choice

CATEGORIES = ("Cast", "Production", "Reception")


def night_pack(pack_id: str = "tiny-pretty-things", per_category: int = 8):
    """A pack with ``per_category`` questions in each of :data:`CATEGORIES`, plus two with numeric answers."""
    questions = []
    for i in range(per_category * len(CATEGORIES)):
        questions.append(replace(make_question(i), category=CATEGORIES[i % len(CATEGORIES)], facts=(f"fact-{i}",)))
    for k, value in enumerate(("10", "52%")):
        i = 500 + k
        q = make_question(i, answer=1)
        options = ("8", value, "12", "14") if k == 0 else ("40%", value, "60%", "70%")
        questions.append(replace(q, category="Numbers", options=options, kind="count", template="episodes",
                                 facts=(f"number-{k}",)))
    return replace(build_pack(pack_id, n=0), questions=tuple(questions))


@dataclass
class PlannedNight:
    id: str
    code: str
    key: str


@pytest.fixture
def night_of(app, save, clock):
    """``night_of(**plan)`` → a planned night (its pack stored first), in its lobby."""
    save(night_pack())

    def _plan(**kwargs) -> PlannedNight:
        settings = {"title": "Test night", "pack_ids": ("tiny-pretty-things",),
                    "rounds": (rules.RoundPlan("Cast", 2, category="Cast"),
                               rules.RoundPlan("Production", 2, category="Production"))}
        settings.update(kwargs)
        with app.app_context():
            night, key = store.create_night(db.get_session(), rules.Plan(**settings), now=clock(), seed=7)
            return PlannedNight(night.id, night.code, key)
    return _plan


class SocketClient:
    """A Flask-SocketIO test client on the night namespace, with shortcuts."""

    def __init__(self, app, auth, flask_client=None):
        self.client = socketio.test_client(app, namespace=NAMESPACE, auth=auth, flask_test_client=flask_client)

    @property
    def connected(self) -> bool:
        return self.client.is_connected(NAMESPACE)

    def emit(self, event, *args):
        return self.client.emit(event, *args, namespace=NAMESPACE, callback=True)

    def received(self) -> list[tuple[str, object]]:
        return [(m["name"], m["args"][0] if m["args"] else None) for m in self.client.get_received(NAMESPACE)]

    def events(self, name: str) -> list[object]:
        return [args for event, args in self.received() if event == name]

    def disconnect(self):
        self.client.disconnect(namespace=NAMESPACE)


@pytest.fixture
def host(app):
    def _host(night: PlannedNight, screen: str = "host") -> SocketClient:
        return SocketClient(app, {"night": night.id, "host": night.key, "screen": screen})
    return _host


@pytest.fixture
def projector(host):
    return lambda night: host(night, "projector")


@dataclass(eq=False)  # hashable: tests key answers by player
class JoinedPlayer:
    socket: SocketClient
    token: str
    id: int
    nickname: str


@pytest.fixture
def player(app):
    def _player(night: PlannedNight, nickname: str, team: str | None = None) -> JoinedPlayer:
        client = SocketClient(app, {"night": night.code})
        reply = client.emit("join", {"nickname": nickname, "team": team})
        assert reply["ok"], reply
        client.received()  # the connection's first state
        return JoinedPlayer(client, reply["token"], reply["state"]["me"]["id"], nickname)
    return _player


@pytest.fixture
def truth(app):
    """What the database says: ``truth.right(night, position)`` (the shown option that is right), ``truth.night(n)``."""
    class Truth:
        def right(self, night: PlannedNight, position: int) -> int:
            with app.app_context():
                q = db.get_session().get(models.NightQuestion, (night.id, position))
                return right_choice(question_from_json(q.question_data), q.option_order)

        def question(self, night: PlannedNight, position: int):
            with app.app_context():
                return question_from_json(db.get_session().get(models.NightQuestion, (night.id, position)).question_data)

        def question_round(self, night: PlannedNight, position: int) -> int:
            with app.app_context():
                return db.get_session().get(models.NightQuestion, (night.id, position)).round

        def night(self, night: PlannedNight) -> models.Night:
            with app.app_context():
                return db.get_session().get(models.Night, night.id)

        def answers(self, night: PlannedNight) -> list[models.NightAnswer]:
            with app.app_context():
                from sqlmodel import select
                return list(db.get_session().exec(select(models.NightAnswer).where(
                    models.NightAnswer.night_id == night.id)))

        def player(self, player_id: int) -> models.NightPlayer:
            with app.app_context():
                return db.get_session().get(models.NightPlayer, player_id)
    return Truth()


@pytest.fixture
def tick(app, clock):
    """Run one pass of the night ticker now (the server's clock is the test's fake one)."""
    from webapp.live.broadcast import tick as run_tick

    def _tick():
        with app.app_context():
            run_tick(now=clock())
    return _tick
