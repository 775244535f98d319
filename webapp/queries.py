"""Reading and writing packs, questions and leaderboards; routes and the API call these, never SQL.

Every function takes an optional ``session=``; without it, the current request's session is used.
Results are plain, JSON-able data (dataclasses with ``as_dict``) or quizgen objects.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from sqlalchemy import and_, bindparam, delete, func, literal, or_, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col, select

from quizgen import DIFFICULTIES

from . import models
from .db import get_session
from .exceptions import PackExists
from .game import DEFAULT_SETTINGS, Settings
from .packs import Pack, Question, pack_meta_json, question_from_json, question_json



def _session(session: Session | None) -> Session:
    return session if session is not None else get_session()


# --- packs and questions ---------------------------------------------------------------------------

@dataclass(frozen=True)
class PackSummary:
    """What the home page and the API say about a pack."""

    id: str
    title: str
    question_count: int
    difficulties: dict[str, int] = field(default_factory=dict)  # e.g. {"easy": 4, "medium": 3, "hard": 1}
    best_score: int | None = None
    shows: list[dict] = field(default_factory=list)
    added_by: str = "import"  # "import" (the command line), "admin" or "visitor"
    imported_ms: int = 0
    on_overall_board: bool = True
    hidden: bool = False

    def as_dict(self) -> dict:
        """The summary as plain JSON-able data."""
        return asdict(self)


def save_pack(pack: Pack, *, now_ms: int, session: Session | None = None) -> bool:
    """Store ``pack`` (replacing its questions if it exists); return whether it is new. Commits."""
    session = _session(session)
    row = session.get(models.Pack, pack.id)
    created = row is None
    if created:
        row = models.Pack(id=pack.id, title=pack.title, imported_ms=now_ms)
    else:
        session.execute(delete(models.Question).where(col(models.Question.pack_id) == pack.id))
    _fill(session, row, pack, now_ms)
    session.commit()
    return created


def add_new_pack(pack: Pack, *, now_ms: int, added_by: str = "visitor", session: Session | None = None) -> None:
    """Store ``pack`` as a new pack; :class:`PackExists` when its id is taken, even by an upload that
    committed a moment ago (the pack row's primary key decides). Commits."""
    session = _session(session)
    try:
        _fill(session, models.Pack(id=pack.id, title=pack.title, imported_ms=now_ms, added_by=added_by,
                                   on_overall_board=added_by != "visitor"), pack, now_ms)
        session.commit()
    except IntegrityError:
        session.rollback()
        raise PackExists(f"a pack with id {pack.id!r} already exists") from None


def _fill(session: Session, row: models.Pack, pack: Pack, now_ms: int) -> None:
    row.title = pack.title
    row.question_count = len(pack.questions)
    row.meta = pack_meta_json(pack)
    row.imported_ms = now_ms
    session.add(row)
    session.flush()
    session.add_all(
        models.Question(pack_id=pack.id, qid=q.id, position=i, difficulty=q.difficulty, kind=q.kind,
                        category=q.category, show=q.show, data=question_json(q))
        for i, q in enumerate(pack.questions))
    session.flush()


def _best_score(board):
    """The best all-time score of ``board`` (a value or a column expression): one seek on ix_leaderboard_rank."""
    E = models.LeaderboardEntry
    return (select(E.score).where(E.board == board, E.period == models.ALL_TIME)
            .order_by(col(E.score).desc()).limit(1).scalar_subquery())


def list_packs(*, include_hidden: bool = False, session: Session | None = None) -> list[PackSummary]:
    """Every pack (the hidden ones only when asked), by title, with its difficulty mix and best all-time score."""
    session = _session(session)
    # One index seek per pack for its best score, never a scan of every board's scores.
    stmt = select(models.Pack, _best_score(literal("pack:") + models.Pack.id + literal("|" + DEFAULT_SETTINGS.key())))
    if not include_hidden:
        stmt = stmt.where(col(models.Pack.hidden).is_(False))
    packs = session.exec(stmt.order_by(models.Pack.title, models.Pack.id)).all()
    mix: dict[str, dict[str, int]] = {}
    for pack_id, difficulty, n in session.exec(
            select(models.Question.pack_id, models.Question.difficulty, func.count())
            .group_by(models.Question.pack_id, models.Question.difficulty)):
        mix.setdefault(pack_id, {})[difficulty] = n
    return [_summary(p, mix.get(p.id, {}), best) for p, best in packs]


def get_pack(pack_id: str, *, session: Session | None = None) -> PackSummary | None:
    """One pack's summary, or None."""
    session = _session(session)
    row = session.get(models.Pack, pack_id)
    if row is None:
        return None
    mix = dict(session.exec(
        select(models.Question.difficulty, func.count()).where(models.Question.pack_id == pack_id)
        .group_by(models.Question.difficulty)).all())
    best = session.exec(select(_best_score(pack_board(pack_id, DEFAULT_SETTINGS)))).one()
    return _summary(row, mix, best)


_PACK_TITLE = select(models.Pack.__table__.c.title).where(models.Pack.__table__.c.id == bindparam("pack_id"),
                                                         models.Pack.__table__.c.hidden.is_(False))


def pack_title(pack_id: str, *, session: Session | None = None) -> str | None:
    """A pack's title, or None if there is no such pack or it is hidden (one primary-key read, for pages that need no more)."""
    return _session(session).connection().execute(_PACK_TITLE, {"pack_id": pack_id}).scalar()


def _summary(row: models.Pack, mix: dict[str, int], best: int | None) -> PackSummary:
    ordered = {d: mix[d] for d in DIFFICULTIES if d in mix} | {d: n for d, n in sorted(mix.items())
                                                                if d not in DIFFICULTIES}
    shows = json.loads(row.meta or "{}").get("shows", [])
    return PackSummary(id=row.id, title=row.title, question_count=row.question_count, difficulties=ordered,
                       best_score=best, shows=shows, added_by=row.added_by, imported_ms=row.imported_ms,
                       on_overall_board=row.on_overall_board, hidden=row.hidden)


def pack_questions(pack_id: str, difficulty: str | None = None, *,
                   session: Session | None = None) -> list[Question]:
    """A pack's questions in pack order, optionally only those of one difficulty."""
    return find_questions(pack_id=pack_id, difficulty=difficulty, session=session)


def question_rows(pack_id: str, difficulty: str | None = None, *,
                  session: Session | None = None) -> list[tuple[str, str]]:
    """(question id, canonical JSON) of a pack's questions in pack order, optionally of one difficulty."""
    Q = models.Question
    stmt = select(Q.qid, Q.data).where(Q.pack_id == pack_id)
    if difficulty is not None:
        stmt = stmt.where(Q.difficulty == difficulty)
    return [tuple(row) for row in _session(session).exec(stmt.order_by(Q.pack_id, Q.position))]


def find_questions(*, pack_id: str | None = None, difficulty: str | None = None, kind: str | None = None,
                   category: str | None = None, limit: int | None = None,
                   session: Session | None = None) -> list[Question]:
    """Questions matching every filter given, in pack order."""
    stmt = select(models.Question.data)
    for column, value in ((models.Question.pack_id, pack_id), (models.Question.difficulty, difficulty),
                          (models.Question.kind, kind), (models.Question.category, category)):
        if value is not None:
            stmt = stmt.where(column == value)
    stmt = stmt.order_by(models.Question.pack_id, models.Question.position).limit(limit)
    return [question_from_json(data) for data in _session(session).exec(stmt)]


def question_categories(*, session: Session | None = None) -> dict[str, int]:
    """Each quiz category with its number of questions."""
    rows = _session(session).exec(select(models.Question.category, func.count())
                                  .group_by(models.Question.category).order_by(models.Question.category))
    return dict(rows.all())


# --- leaderboards -------------------------------------------------------------------------------------

def pack_board(pack_id: str, settings: Settings) -> str:
    """The leaderboard name of a pack's games of these settings."""
    return f"pack:{pack_id}|{settings.key()}"


def overall_board(settings: Settings) -> str:
    """The leaderboard name of every pack's games of these settings."""
    return f"{models.OVERALL_BOARD}|{settings.key()}"


@dataclass(frozen=True)
class Standing:
    """One line of a leaderboard."""

    rank: int
    nickname: str
    score: int
    time_ms: int
    created_ms: int
    game_id: str

    def as_dict(self, *, with_game: bool = False) -> dict:
        """The line as JSON-able data (the game id only on request: it is a player's secret)."""
        d = {"rank": self.rank, "nickname": self.nickname, "score": self.score, "time_ms": self.time_ms,
             "created_ms": self.created_ms}
        if with_game:
            d["game_id"] = self.game_id
        return d


# The leaderboard pages' statements, built once: a board is read far more often than written, and
# building a WHERE clause cost more than running it. Executed on the session's connection (Core).
_ENTRIES = models.LeaderboardEntry.__table__
_TOP_SCORES = (select(_ENTRIES.c.nickname, _ENTRIES.c.score, _ENTRIES.c.time_ms, _ENTRIES.c.created_ms,
                      _ENTRIES.c.game_id)
               .where(_ENTRIES.c.board == bindparam("board"), _ENTRIES.c.period == bindparam("period"))
               .order_by(_ENTRIES.c.score.desc(), _ENTRIES.c.time_ms.asc(), _ENTRIES.c.id.asc())
               .limit(bindparam("limit")))
_COUNTS = models.LeaderboardCount.__table__
_BOARD_SIZE = select(_COUNTS.c.entries).where(_COUNTS.c.board == bindparam("board"),
                                              _COUNTS.c.period == bindparam("period"))
# A board page's top N and the board's size in one statement (the size repeated on each row).
_TOP_SCORES_AND_SIZE = _TOP_SCORES.add_columns(_BOARD_SIZE.scalar_subquery())


def top_scores(board: str, period: str, limit: int = 10, *, session: Session | None = None) -> list[Standing]:
    """The best ``limit`` entries of a board for one period key (e.g. ``all``, ``w2026-W47``)."""
    rows = _session(session).connection().execute(_TOP_SCORES, {"board": board, "period": period, "limit": limit})
    return [_standing(i, row) for i, row in enumerate(rows, start=1)]


def top_scores_and_size(board: str, period: str, limit: int = 10, *,
                        session: Session | None = None) -> tuple[list[Standing], int]:
    """:func:`top_scores` and :func:`board_size` together, in one round trip (for the board pages)."""
    rows = _session(session).connection().execute(_TOP_SCORES_AND_SIZE,
                                                  {"board": board, "period": period, "limit": limit}).all()
    size = rows[0][-1] if rows else 0  # no entry, no count: both are written together (add_leaderboard_entries)
    return [_standing(i, row) for i, row in enumerate(rows, start=1)], size or 0


def _entries_ahead(session: Session, board: str, period: str, score: int, time_ms: int, entry_id: int | None) -> int:
    """How many entries of a board rank before a score: higher, or as high and faster, or (posted) earlier."""
    E = models.LeaderboardEntry
    # a score not posted yet (no id) comes after every entry it ties with
    earlier = col(E.id) < entry_id if entry_id is not None else literal(True)
    return session.exec(select(func.count()).select_from(E).where(
        E.board == board, E.period == period,
        or_(E.score > score, and_(E.score == score, E.time_ms < time_ms),
            and_(E.score == score, E.time_ms == time_ms, earlier)))).one()


def rank_if_posted(board: str, period: str, score: int, time_ms: int, *,
                   session: Session | None = None) -> tuple[int, int]:
    """Where a score not yet posted would stand on a board for one period: (rank, entries then)."""
    session = _session(session)
    ahead = _entries_ahead(session, board, period, score, time_ms, None)
    return ahead + 1, board_size(board, period, session=session) + 1


def game_standing(board: str, period: str, game_id: str, *, session: Session | None = None) -> Standing | None:
    """Where a game's posted score stands on a board for one period, or None if not posted there."""
    session = _session(session)
    E = models.LeaderboardEntry
    entry = session.exec(select(E).where(E.board == board, E.period == period, E.game_id == game_id)).first()
    if entry is None:
        return None
    return _standing(_entries_ahead(session, board, period, entry.score, entry.time_ms, entry.id) + 1, entry)


def board_size(board: str, period: str, *, session: Session | None = None) -> int:
    """How many entries a board has for one period (read from ``leaderboard_count``, never counted)."""
    return _session(session).connection().execute(_BOARD_SIZE, {"board": board, "period": period}).scalar() or 0


_UPSERTS = {"sqlite": sqlite.insert, "postgresql": postgresql.insert}


def add_leaderboard_entries(entries: Sequence[models.LeaderboardEntry], *, session: Session | None = None) -> None:
    """Store leaderboard entries and count them in ``leaderboard_count``, in the session's transaction (no commit).

    The only writer of both tables: each (board, period) count is an upsert, so concurrent posts
    each add their own one (on PostgreSQL the second waits for the first's row lock).
    """
    session = _session(session)
    session.add_all(entries)
    counts: dict[tuple[str, str], int] = {}
    for e in entries:
        counts[(e.board, e.period)] = counts.get((e.board, e.period), 0) + 1
    if not counts:
        return
    table = models.LeaderboardCount.__table__
    upsert = _UPSERTS[session.get_bind().dialect.name](table)
    upsert = upsert.on_conflict_do_update(index_elements=[table.c.board, table.c.period],
                                          set_={"entries": table.c.entries + upsert.excluded.entries})
    session.flush()
    for (board, period), n in sorted(counts.items()):  # one order for every writer: no deadlocks
        session.execute(upsert.values(board=board, period=period, entries=n))


def _standing(rank: int, e: Any) -> Standing:
    """A :class:`Standing` from an entry or a row with the entry's columns by name."""
    return Standing(rank=rank, nickname=e.nickname, score=e.score, time_ms=e.time_ms, created_ms=e.created_ms,
                    game_id=e.game_id)


# --- what the admin removes ----------------------------------------------------------------------------

def set_pack_flags(pack_id: str, *, session: Session | None = None, **flags: bool) -> None:
    """Set what the admin decides of a pack: ``hidden``, ``on_overall_board``. Commits."""
    session = _session(session)
    session.execute(update(models.Pack).where(col(models.Pack.id) == pack_id).values(**flags))
    session.commit()


def remove_posted_game(game_id: str, *, session: Session | None = None) -> bool:
    """Take a game's posted score off every board and period, keeping the counts true; whether it was on any.

    The game keeps its nickname, so its player cannot post it again. Commits.
    """
    session = _session(session)
    removed = _remove_entries(session, [game_id])
    session.commit()
    return removed > 0


def delete_pack(pack_id: str, *, session: Session | None = None) -> None:
    """Delete a pack, its questions, its games and their leaderboard entries. Commits."""
    session = _session(session)
    G = models.Game
    game_ids = list(session.exec(select(G.id).where(G.pack_id == pack_id)).all())
    _remove_entries(session, game_ids)
    session.execute(delete(models.Pack).where(col(models.Pack.id) == pack_id))  # questions and games cascade
    session.commit()


def _remove_entries(session: Session, game_ids: Sequence[str]) -> int:
    if not game_ids:
        return 0
    E, C = models.LeaderboardEntry, models.LeaderboardCount
    counts = session.exec(select(E.board, E.period, func.count()).where(col(E.game_id).in_(game_ids))
                          .group_by(E.board, E.period)).all()
    session.execute(delete(E).where(col(E.game_id).in_(game_ids)))
    for board, period, n in sorted(counts):  # one order for every writer, as add_leaderboard_entries does
        session.execute(update(C).where(C.board == board, C.period == period).values(entries=C.entries - n))
    return sum(n for _, _, n in counts)
