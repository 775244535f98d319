"""The catalog's SQL: packs and their questions, stored, listed, hidden and deleted.

Every function takes an optional ``session=``; without it, the current request's session is used.
Results are plain, JSON-able data (dataclasses with ``as_dict``) or quizgen objects.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field

from sqlalchemy import bindparam, delete, func, literal, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from quizgen import DIFFICULTIES, ShowRef
from webapp import models
from webapp.boards.store import best_score, pack_board, remove_entries
from webapp.converters import PackIdConverter
from webapp.db import get_session
from webapp.exceptions import PackExists
from webapp.packs import Pack, Question, pack_meta_json, question_from_json, question_json
from webapp.rules import DEFAULT_SETTINGS


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
    answers_public: bool = False  # False: play-only (see webapp.models.Pack)

    def as_dict(self) -> dict:
        """The summary as plain JSON-able data."""
        return asdict(self)


def save_pack(pack: Pack, *, now_ms: int, answers_public: bool | None = None, session: Session | None = None) -> bool:
    """Store ``pack`` (replacing its questions if it exists); return whether it is new. Commits.

    ``answers_public``: None keeps a stored pack's choice (a new pack is play-only).
    """
    session = session or get_session()
    row = session.get(models.Pack, pack.id)
    created = row is None
    if created:
        row = models.Pack(id=pack.id, title=pack.title, imported_ms=now_ms)
    else:
        session.execute(delete(models.Question).where(col(models.Question.pack_id) == pack.id))
    if answers_public is not None:
        row.answers_public = answers_public
    _fill(session, row, pack, now_ms)
    session.commit()
    return created


def add_new_pack(pack: Pack, *, now_ms: int, added_by: str = "visitor", session: Session | None = None) -> None:
    """Store ``pack`` as a new pack; :class:`PackExists` when its id is taken, even by an upload that
    committed a moment ago (the pack row's primary key decides). Commits."""
    session = session or get_session()
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


def list_packs(*, include_hidden: bool = False, session: Session | None = None) -> list[PackSummary]:
    """Every pack (the hidden ones only when asked), by title, with its difficulty mix and best all-time score."""
    session = session or get_session()
    # One index seek per pack for its best score, never a scan of every board's scores.
    stmt = select(models.Pack, best_score(literal("pack:") + models.Pack.id + literal("|" + DEFAULT_SETTINGS.key())))
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
    session = session or get_session()
    row = session.get(models.Pack, pack_id)
    if row is None:
        return None
    mix = dict(session.exec(
        select(models.Question.difficulty, func.count()).where(models.Question.pack_id == pack_id)
        .group_by(models.Question.difficulty)).all())
    best = session.exec(select(best_score(pack_board(pack_id, DEFAULT_SETTINGS)))).one()
    return _summary(row, mix, best)


_PACK_TITLE = select(models.Pack.__table__.c.title).where(models.Pack.__table__.c.id == bindparam("pack_id"),
                                                         models.Pack.__table__.c.hidden.is_(False))


def pack_title(pack_id: str, *, session: Session | None = None) -> str | None:
    """A pack's title, or None if there is no such pack or it is hidden (one primary-key read, for pages that need no more)."""
    return (session or get_session()).connection().execute(_PACK_TITLE, {"pack_id": pack_id}).scalar()


def _summary(row: models.Pack, mix: dict[str, int], best: int | None) -> PackSummary:
    ordered = {d: mix[d] for d in DIFFICULTIES if d in mix} | {d: n for d, n in sorted(mix.items())
                                                                if d not in DIFFICULTIES}
    shows = json.loads(row.meta or "{}").get("shows", [])
    return PackSummary(id=row.id, title=row.title, question_count=row.question_count, difficulties=ordered,
                       best_score=best, shows=shows, added_by=row.added_by, imported_ms=row.imported_ms,
                       on_overall_board=row.on_overall_board, hidden=row.hidden,
                       answers_public=row.answers_public)


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
    return [tuple(row) for row in (session or get_session()).exec(stmt.order_by(Q.pack_id, Q.position))]


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
    return [question_from_json(data) for data in (session or get_session()).exec(stmt)]


def question_categories(*, session: Session | None = None) -> dict[str, int]:
    """Each quiz category with its number of questions."""
    rows = (session or get_session()).exec(select(models.Question.category, func.count())
                                  .group_by(models.Question.category).order_by(models.Question.category))
    return dict(rows.all())


def set_pack_flags(pack_id: str, *, session: Session | None = None, **flags: bool) -> None:
    """Set what the admin decides of a pack: ``hidden``, ``on_overall_board``, ``answers_public``. Commits."""
    session = session or get_session()
    session.execute(update(models.Pack).where(col(models.Pack.id) == pack_id).values(**flags))
    session.commit()


def delete_pack(pack_id: str, *, session: Session | None = None) -> None:
    """Delete a pack, its questions, its games and their leaderboard entries. Commits."""
    session = session or get_session()
    G = models.Game
    game_ids = list(session.exec(select(G.id).where(G.pack_id == pack_id)).all())
    remove_entries(session, game_ids)
    session.execute(delete(models.Pack).where(col(models.Pack.id) == pack_id))  # questions and games cascade
    session.commit()


def is_pack_id(text: str) -> bool:
    """Whether ``text`` has the shape of a pack id (anything else cannot be stored; no need to ask)."""
    return re.fullmatch(PackIdConverter.regex, text) is not None


def stored_pack(pack_id: str, *, include_hidden: bool = False, session: Session | None = None) -> Pack | None:
    """A stored pack as the quizgen :class:`Pack` it was imported from (``dumps_pack`` gives its file back)."""
    if not is_pack_id(pack_id):
        return None
    session = session or get_session()
    row = session.get(models.Pack, pack_id)
    if row is None or (row.hidden and not include_hidden):
        return None
    meta = json.loads(row.meta or "{}")
    shows = tuple(ShowRef(id=s["id"], title=s["title"], network=s.get("network"), year=s.get("year"))
                  for s in meta.get("shows", []))
    return Pack(id=row.id, title=row.title, questions=tuple(pack_questions(pack_id, session=session)), shows=shows,
                seed=meta.get("seed", 0), generator=meta.get("generator", {}))
