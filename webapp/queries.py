"""Reading and writing packs, questions and leaderboards; routes and the API call these, never SQL.

Every function takes an optional ``session=``; without it, the current request's session is used.
Results are plain, JSON-able data (dataclasses with ``as_dict``) or quizgen objects.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field

from sqlalchemy import and_, delete, func, or_
from sqlmodel import Session, col, select

from . import models
from .db import get_session
from .packs import Pack, Question, pack_meta_json, question_from_json, question_json

DIFFICULTY_ORDER = ("easy", "medium", "hard")


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
    session.commit()
    return created


def list_packs(*, session: Session | None = None) -> list[PackSummary]:
    """Every pack, by title, with its difficulty mix and best all-time score."""
    session = _session(session)
    packs = session.exec(select(models.Pack).order_by(models.Pack.title, models.Pack.id)).all()
    mix: dict[str, dict[str, int]] = {}
    for pack_id, difficulty, n in session.exec(
            select(models.Question.pack_id, models.Question.difficulty, func.count())
            .group_by(models.Question.pack_id, models.Question.difficulty)):
        mix.setdefault(pack_id, {})[difficulty] = n
    best = dict(session.exec(
        select(models.LeaderboardEntry.board, func.max(models.LeaderboardEntry.score))
        .where(models.LeaderboardEntry.period == models.ALL_TIME)
        .group_by(models.LeaderboardEntry.board)).all())
    return [_summary(p, mix.get(p.id, {}), best.get(pack_board(p.id))) for p in packs]


def get_pack(pack_id: str, *, session: Session | None = None) -> PackSummary | None:
    """One pack's summary, or None."""
    session = _session(session)
    row = session.get(models.Pack, pack_id)
    if row is None:
        return None
    mix = dict(session.exec(
        select(models.Question.difficulty, func.count()).where(models.Question.pack_id == pack_id)
        .group_by(models.Question.difficulty)).all())
    best = session.exec(select(func.max(models.LeaderboardEntry.score)).where(
        models.LeaderboardEntry.board == pack_board(pack_id),
        models.LeaderboardEntry.period == models.ALL_TIME)).one()
    return _summary(row, mix, best)


def _summary(row: models.Pack, mix: dict[str, int], best: int | None) -> PackSummary:
    ordered = {d: mix[d] for d in DIFFICULTY_ORDER if d in mix} | {d: n for d, n in sorted(mix.items())
                                                                    if d not in DIFFICULTY_ORDER}
    shows = json.loads(row.meta or "{}").get("shows", [])
    return PackSummary(id=row.id, title=row.title, question_count=row.question_count, difficulties=ordered,
                       best_score=best, shows=shows)


def pack_questions(pack_id: str, difficulty: str | None = None, *,
                   session: Session | None = None) -> list[Question]:
    """A pack's questions in pack order, optionally only those of one difficulty."""
    return find_questions(pack_id=pack_id, difficulty=difficulty, session=session)


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

def pack_board(pack_id: str) -> str:
    """The leaderboard name of a pack."""
    return f"pack:{pack_id}"


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
        d = asdict(self)
        if not with_game:
            d.pop("game_id")
        return d


_RANK_ORDER = (col(models.LeaderboardEntry.score).desc(), col(models.LeaderboardEntry.time_ms).asc(),
               col(models.LeaderboardEntry.id).asc())


def top_scores(board: str, period: str, limit: int = 10, *, session: Session | None = None) -> list[Standing]:
    """The best ``limit`` entries of a board for one period key (e.g. ``all``, ``w2026-W47``)."""
    E = models.LeaderboardEntry
    rows = _session(session).exec(select(E).where(E.board == board, E.period == period)
                                  .order_by(*_RANK_ORDER).limit(limit)).all()
    return [_standing(i, e) for i, e in enumerate(rows, start=1)]


def game_standing(board: str, period: str, game_id: str, *, session: Session | None = None) -> Standing | None:
    """Where a game's posted score stands on a board for one period, or None if not posted there."""
    session = _session(session)
    E = models.LeaderboardEntry
    entry = session.exec(select(E).where(E.board == board, E.period == period, E.game_id == game_id)).first()
    if entry is None:
        return None
    better = session.exec(select(func.count()).select_from(E).where(
        E.board == board, E.period == period,
        or_(E.score > entry.score,
            and_(E.score == entry.score, E.time_ms < entry.time_ms),
            and_(E.score == entry.score, E.time_ms == entry.time_ms, col(E.id) < entry.id)))).one()
    return _standing(better + 1, entry)


def board_size(board: str, period: str, *, session: Session | None = None) -> int:
    """How many entries a board has for one period."""
    E = models.LeaderboardEntry
    return _session(session).exec(select(func.count()).select_from(E)
                                  .where(E.board == board, E.period == period)).one()


def _standing(rank: int, e: models.LeaderboardEntry) -> Standing:
    return Standing(rank=rank, nickname=e.nickname, score=e.score, time_ms=e.time_ms, created_ms=e.created_ms,
                    game_id=e.game_id)
