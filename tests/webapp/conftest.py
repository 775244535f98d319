"""Fixtures for the web game's tests: ``app``, ``client``, ``runner`` (pytest-flask), a fake clock, packs.

Every test that uses ``app`` runs twice: on SQLite and on PostgreSQL. Each run gets a fresh
database at the newest migration: a copy of a migrated SQLite file, or an emptied PostgreSQL
schema private to this pytest process.

PostgreSQL: ``--database-url`` or ``$QUIZGEN_TEST_DATABASE_URL`` (default
``postgresql+psycopg://postgres@127.0.0.1:5432/test``). When it is unreachable its runs are
skipped, except under CI (``$CI`` set), where they fail.

``@pytest.mark.app_config(KEY=value, ...)`` overrides settings for one test (e.g. turn CSRF on).
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
from dataclasses import dataclass, field, replace

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlmodel import SQLModel

from quizgen import Pack, Question, ShowRef, Source
from webapp import create_app, db

DEFAULT_PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
START_MS = 1_763_769_600_000  # 2025-11-22 00:00:00 UTC, a Saturday


def pytest_addoption(parser):
    parser.addoption("--database-url", default=None,
                     help="server database the webapp tests also run against (default: "
                          "$QUIZGEN_TEST_DATABASE_URL or " + DEFAULT_PG_URL + ")")


def pytest_configure(config):
    config.addinivalue_line("markers", "app_config(**settings): override app settings for this test")
    config.addinivalue_line("markers", "public_answers: the save and pack fixtures store packs anyone may "
                                       "download (their games are not ranked); without it, packs are play-only")


# --- databases ------------------------------------------------------------------------------------

@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory):
    """A migrated SQLite database file, copied for each test."""
    path = tmp_path_factory.mktemp("template") / "quizgen.db"
    app = create_app({"DATABASE_URL": f"sqlite:///{path}", "SECRET_KEY": "t"}, instance_path=str(path.parent))
    db.upgrade_database(app)
    db.get_engine(app).dispose()  # the last connection to close checkpoints the WAL into the file
    return path


@dataclass
class PostgresServer:
    """The test PostgreSQL server: its URL and an autocommit admin connection."""

    url: object  # sqlalchemy URL
    admin: object  # psycopg connection

    def new_schema(self) -> tuple[str, str]:
        """A new empty schema and a URL whose search_path is that schema."""
        schema = f"quizgen_test_{os.getpid()}_{secrets.token_hex(4)}"
        self.admin.execute(f'CREATE SCHEMA "{schema}"')
        url = self.url.update_query_dict({"options": f"-csearch_path={schema} -csynchronous_commit=off"})
        return schema, url.render_as_string(hide_password=False)

    def drop_schema(self, schema: str) -> None:
        self.admin.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


@pytest.fixture(scope="session")
def postgres_server(request):
    """The PostgreSQL server, or a skip (a failure under CI) saying why it cannot be used."""
    import psycopg

    url = request.config.getoption("--database-url") or os.environ.get("QUIZGEN_TEST_DATABASE_URL") or DEFAULT_PG_URL
    base = make_url(url)
    conninfo = base.set(drivername="postgresql").render_as_string(hide_password=False)
    try:
        admin = psycopg.connect(conninfo, connect_timeout=3, autocommit=True)
    except psycopg.OperationalError as exc:
        reason = f"PostgreSQL is unreachable at {base.render_as_string(hide_password=True)}: {exc}".strip()
        if os.environ.get("CI"):
            pytest.fail(f"{reason} (CI is set, so the PostgreSQL runs must not be skipped)", pytrace=False)
        pytest.skip(f"{reason}; set QUIZGEN_TEST_DATABASE_URL to run these tests")
    yield PostgresServer(base, admin)
    admin.close()


@pytest.fixture(scope="session")
def postgres_url(postgres_server, tmp_path_factory):
    """A schema of this pytest run, migrated to the newest revision, emptied before each test."""
    schema, url = postgres_server.new_schema()
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "t"}, instance_path=str(tmp_path_factory.mktemp("pg")))
    db.upgrade_database(app)
    db.get_engine(app).dispose()
    yield url
    postgres_server.drop_schema(schema)


def _empty_postgres(url: str) -> None:
    engine = db.make_engine(url)
    with engine.begin() as conn:
        for table in reversed(SQLModel.metadata.sorted_tables):
            conn.execute(text(f'DELETE FROM "{table.name}"'))
    engine.dispose()


BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


@pytest.fixture(params=BACKENDS)
def empty_database_url(request, tmp_path):
    """A database with no tables at all (for migration tests)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.db'}"
        return
    server = request.getfixturevalue("postgres_server")
    schema, url = server.new_schema()
    yield url
    server.drop_schema(schema)


@pytest.fixture(params=BACKENDS)
def database_url(request, tmp_path):
    """A fresh, migrated database for one test."""
    if request.param == "sqlite":
        template = request.getfixturevalue("sqlite_template")
        path = tmp_path / "quizgen.db"
        shutil.copyfile(template, path)
        return f"sqlite:///{path}"
    url = request.getfixturevalue("postgres_url")
    _empty_postgres(url)
    return url


# --- the app ------------------------------------------------------------------------------------------

class FakeClock:
    """A clock the tests move by hand: ``clock.advance(seconds)``; the app reads it as epoch ms."""

    def __init__(self, start_ms: int = START_MS) -> None:
        self.now_ms = start_ms

    def __call__(self) -> int:
        return self.now_ms

    def advance(self, seconds: float) -> None:
        self.now_ms += round(seconds * 1000)


@pytest.fixture
def clock():
    return FakeClock()


@pytest.fixture
def app(request, database_url, clock, tmp_path):
    settings = {
        "TESTING": True,
        "SECRET_KEY": "test secret",
        "DATABASE_URL": database_url,
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False,
        "CLOCK": clock,
        "LIVE_WORKERS": False,  # the night tests tick by hand, on the fake clock; answers are stored inline
    }
    marker = request.node.get_closest_marker("app_config")
    if marker:
        settings.update(marker.kwargs)
    app = create_app(settings, instance_path=str(tmp_path / "instance"))
    yield app
    db.get_engine(app).dispose()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


# --- packs --------------------------------------------------------------------------------------------

DIFFICULTY_CYCLE = ("easy", "medium", "hard")


def make_question(i: int, *, difficulty: str | None = None, time_limit: int = 20, answer: int | None = None) -> Question:
    """A question whose right option is ``Right <i>`` (at index ``answer``, default i % 4)."""
    answer = i % 4 if answer is None else answer
    options = [f"Wrong {i}-{k}" for k in range(3)]
    options.insert(answer, f"Right {i}")
    return Question(
        id=f"{i:016x}", show="Tiny Pretty Things", kind="cast", template="cast.actor_of",
        stem=f"Question number {i}: who played character {i}?", options=tuple(options), answer=answer,
        explanation=f"Explanation {i}: Right {i} played character {i}.",
        sources=(Source(article=f"article_{i}.txt", sentence=f"Sentence {i} says Right {i} played it."),),
        difficulty=difficulty or DIFFICULTY_CYCLE[i % 3], category="Entertainment: Television",
        tags=("cast",), time_limit=time_limit)


def build_pack(pack_id: str = "tiny-pretty-things", n: int = 24, title: str = "Tiny Pretty Things",
              **question_kwargs) -> Pack:
    """A pack of ``n`` questions cycling through the three difficulties."""
    return Pack(id=pack_id, title=title, questions=tuple(make_question(i, **question_kwargs) for i in range(n)),
                shows=(ShowRef(id="tiny-pretty-things", title="Tiny Pretty Things", network="Netflix", year=2020),),
                seed=0, generator={"name": "tests"})


def build_cast_pairs_pack(pack_id: str = "cast-pairs", pairs: int = 10, **question_kwargs) -> Pack:
    """A pack where every cast fact is asked both ways: "who plays character k?" and "which character does
    the actor of k play?" (questions 2k and 2k+1) rest on the fact ``tiny-pretty-things/cast/character-k``.

    Its sources use every field: a titled sentence with the answer marked, then the article's date line.
    """
    questions = []
    for i in range(2 * pairs):
        q = make_question(i, **question_kwargs)
        k = i // 2
        stem = f"Who plays character {k}?" if i % 2 == 0 else f"Which character does the actor of {k} play?"
        stated = Source(article=f"article_{i}.txt", title=f"Article {i}", sentence=f"Right {i} plays character {k}.",
                        mark=(0, len(f"Right {i}")))
        dated = Source(article="tiny-pretty-things.txt", title="Tiny Pretty Things", date="2020-12-14")
        questions.append(replace(q, stem=stem, explanation=f"Right {i} plays character {k}.", sources=(stated, dated),
                                 facts=(f"tiny-pretty-things/cast/character-{k}",)))
    return replace(build_pack(pack_id, n=0), questions=tuple(questions))


@pytest.fixture
def make_cast_pairs_pack():
    """``make_cast_pairs_pack(pack_id=..., pairs=..., difficulty=...)``: questions 2k and 2k+1 share one fact."""
    return build_cast_pairs_pack


@pytest.fixture
def make_pack():
    """``make_pack(pack_id=..., n=..., difficulty=..., time_limit=..., answer=...)``: a hand-built Pack."""
    return build_pack


@pytest.fixture
def make_admin(app):
    """``make_admin(client)``: sign that test client in as the admin, as the sign-in form does."""
    from webapp.admin.views import ADMIN_KEY

    def _make(client) -> None:
        with client.session_transaction() as session:
            session[ADMIN_KEY] = app.config["CLOCK"]()
    return _make


@pytest.fixture
def save(app, clock, request):
    """Store packs in the test database: ``save(make_pack(...))``; play-only unless the test is marked public_answers."""
    from webapp.catalog.store import save_pack

    public = request.node.get_closest_marker("public_answers") is not None

    def _save(*packs: Pack) -> None:
        with app.app_context():
            for p in packs:
                save_pack(p, now_ms=clock(), answers_public=public)
    return _save


@pytest.fixture
def pack(save):
    """The standard test pack, stored."""
    p = build_pack()
    save(p)
    return p


# --- playing through the client ------------------------------------------------------------------

ANSWER_TOKEN = re.compile(r'<input type="hidden" name="answer_token" value="([^"]+)">')

@dataclass
class Player:
    """Drives a game through the test client, and peeks at the database where a test needs the truth."""

    app: object
    client: object
    answer_tokens: dict[str, str] = field(default_factory=dict)
    clock: object = None

    def start(self, pack_id: str = "tiny-pretty-things", *, length: int = 5, difficulty: str = "mixed",
              timed: bool = False, accept_shorter: bool = True) -> str:
        """Start a game; by default agreeing beforehand to a shorter one, should the pack give fewer questions."""
        data = {"length": str(length), "difficulty": difficulty}
        if timed:
            data["timed"] = "y"
        if accept_shorter:
            data["accept_shorter"] = "y"
        response = self.client.post(f"/packs/{pack_id}/games", data=data)
        assert response.status_code == 303, response.data
        location = response.headers["Location"]
        assert location.endswith("/questions/1")
        return location.split("/games/")[1].split("/")[0]

    def question_page(self, game_id: str, number: int):
        """GET a question page; like a browser, keep the answer token its form carries."""
        response = self.client.get(f"/games/{game_id}/questions/{number}")
        found = ANSWER_TOKEN.search(response.get_data(as_text=True))
        if found:
            self.answer_tokens[game_id] = found.group(1)
        return response

    def answer(self, game_id: str, number: int, choice: int | str):
        """POST an answer with the game's answer token, as the question page gives it."""
        if game_id not in self.answer_tokens:  # as the page would have it, without showing (timing) the page
            from webapp.solo import answer_token

            game = self.game(game_id)
            with self.app.app_context():
                self.answer_tokens[game_id] = answer_token.for_game(game.id, game.player) if game else ""
        data = {"choice": str(choice), "answer_token": self.answer_tokens[game_id]}
        return self.client.post(f"/games/{game_id}/questions/{number}", data=data)

    def right_choice(self, game_id: str, number: int) -> int:
        from webapp import models, rules
        from webapp.packs import question_from_json

        with self.app.app_context():
            rnd = db.get_session().get(models.GameRound, (game_id, number - 1))
            return rules.right_choice(question_from_json(rnd.question_data), rnd.option_order)

    def game(self, game_id: str):
        from webapp import models

        with self.app.app_context():
            session = db.get_session()
            found = session.get(models.Game, game_id)
            if found is not None:
                session.expunge(found)
            return found

    def play_through(self, game_id: str, *, right: bool = True, length: int = 5, seconds: float = 2.0) -> None:
        """Answer every question, ``seconds`` after it appears (a person's pace: a game answered faster is not ranked)."""
        for number in range(1, length + 1):
            assert self.question_page(game_id, number).status_code == 200
            if self.clock is not None:
                self.clock.advance(seconds)
            choice = self.right_choice(game_id, number)
            if not right:
                choice = choice % 4 + 1
            assert self.answer(game_id, number, choice).status_code == 303


@pytest.fixture
def player(app, client, clock):
    return Player(app, client, clock=clock)

