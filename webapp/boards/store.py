"""The leaderboards' SQL: the boards' names, their top scores and ranks, posting and removing entries.

Every function takes an optional ``session=``; without it, the current request's session is used.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, bindparam, delete, func, literal, or_, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col, select

from webapp import models
from webapp.db import get_session
from webapp.rules import Settings


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
    rows = (session or get_session()).connection().execute(_TOP_SCORES, {"board": board, "period": period, "limit": limit})
    return [_standing(i, row) for i, row in enumerate(rows, start=1)]


def top_scores_and_size(board: str, period: str, limit: int = 10, *,
                        session: Session | None = None) -> tuple[list[Standing], int]:
    """:func:`top_scores` and :func:`board_size` together, in one round trip (for the board pages)."""
    rows = (session or get_session()).connection().execute(_TOP_SCORES_AND_SIZE,
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
    session = session or get_session()
    ahead = _entries_ahead(session, board, period, score, time_ms, None)
    return ahead + 1, board_size(board, period, session=session) + 1


def game_standing(board: str, period: str, game_id: str, *, session: Session | None = None) -> Standing | None:
    """Where a game's posted score stands on a board for one period, or None if not posted there."""
    session = session or get_session()
    E = models.LeaderboardEntry
    entry = session.exec(select(E).where(E.board == board, E.period == period, E.game_id == game_id)).first()
    if entry is None:
        return None
    return _standing(_entries_ahead(session, board, period, entry.score, entry.time_ms, entry.id) + 1, entry)


def board_size(board: str, period: str, *, session: Session | None = None) -> int:
    """How many entries a board has for one period (read from ``leaderboard_count``, never counted)."""
    return (session or get_session()).connection().execute(_BOARD_SIZE, {"board": board, "period": period}).scalar() or 0


_UPSERTS = {"sqlite": sqlite.insert, "postgresql": postgresql.insert}


def add_leaderboard_entries(entries: Sequence[models.LeaderboardEntry], *, session: Session | None = None) -> None:
    """Store leaderboard entries and count them in ``leaderboard_count``, in the session's transaction (no commit).

    The only writer of both tables: each (board, period) count is an upsert, so concurrent posts
    each add their own one (on PostgreSQL the second waits for the first's row lock).
    """
    session = session or get_session()
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


def best_score(board):
    """The best all-time score of ``board`` (a value or a column expression): one seek on ix_leaderboard_rank."""
    E = models.LeaderboardEntry
    return (select(E.score).where(E.board == board, E.period == models.ALL_TIME)
            .order_by(col(E.score).desc()).limit(1).scalar_subquery())


def remove_posted_game(game_id: str, *, session: Session | None = None) -> bool:
    """Take a game's posted score off every board and period, keeping the counts true; whether it was on any.

    The game keeps its nickname, so its player cannot post it again. Commits.
    """
    session = session or get_session()
    removed = remove_entries(session, [game_id])
    session.commit()
    return removed > 0


def remove_entries(session: Session, game_ids: Sequence[str]) -> int:
    """Delete the entries of these games from every board and period, keeping the counts true; how many."""
    if not game_ids:
        return 0
    E, C = models.LeaderboardEntry, models.LeaderboardCount
    counts = session.exec(select(E.board, E.period, func.count()).where(col(E.game_id).in_(game_ids))
                          .group_by(E.board, E.period)).all()
    session.execute(delete(E).where(col(E.game_id).in_(game_ids)))
    for board, period, n in sorted(counts):  # one order for every writer, as add_leaderboard_entries does
        session.execute(update(C).where(C.board == board, C.period == period).values(entries=C.entries - n))
    return sum(n for _, _, n in counts)
