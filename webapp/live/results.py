"""After a night: its standings and per-question figures; and, over every night, how the generator's
difficulty labels compare with how real players did."""

from __future__ import annotations

from sqlmodel import Session, col, select

from webapp import models
from webapp.live import rules, store
from webapp.live.broadcast import source_line
from webapp.live.rules import Plan

DIFFICULTY_ORDER = {"easy": 1, "medium": 2, "hard": 3}


def report(session: Session, night: models.Night) -> dict:
    """The night's results: final standings (players, teams) and, per question, share right and mean time."""
    plan = Plan.from_json(night.plan)
    board = store.leaderboard(session, night, top=None)
    everyone = {p.nickname: p for p in store.players(session, night.id)}
    standings = [{"rank": row["rank"], "nickname": row["name"], "team": everyone[row["name"]].team,
                  "score": row["score"], "right": everyone[row["name"]].right} for row in board["players"]]
    questions = []
    for q in store.night_questions(session, night.id):
        if q.closed_ms is None:
            continue
        data, options = store.shown(q)
        answers = store.room_answers(session, night.id, q.position)
        questions.append({
            "number": q.position + 1, "round": "Tie-breaker" if q.tiebreak else plan.rounds[q.round].title,
            "stem": data.stem, "answer": data.correct, "difficulty": data.difficulty, "skipped": q.skipped,
            "answered": len(answers),  # the players in the night as it closed, as question_stat counts them
            "share_right": q.answered_right / q.asked if q.asked else None,
            "mean_seconds": (sum(a.elapsed_ms for a in answers) / len(answers) / 1000) if answers else None,
            "source": source_line(data.sources[0]),
        })
    return {"night": {"title": night.title, "code": night.code, "created_ms": night.created_ms,
                      "ended_ms": night.ended_ms, "scoring": plan.scoring},
            "standings": standings, "teams": board["teams"], "questions": questions}


def difficulty_check(session: Session) -> dict:
    """Every question played in a night: its label, how many had it, the share who got it right; and the
    rank correlation (Spearman) between label and share over them all (negative: harder labels, fewer right)."""
    stats = session.exec(select(models.QuestionStat).order_by(models.QuestionStat.question_id)).all()
    rows = []
    played = [s.question_id for s in stats]
    stems = dict(session.exec(select(models.Question.qid, models.Question.data)
                              .where(col(models.Question.qid).in_(played))).all()) if played else {}
    for s in stats:
        stem = store.question_from_json(stems[s.question_id]).stem if s.question_id in stems else s.question_id
        rows.append({"id": s.question_id, "stem": stem, "difficulty": s.difficulty, "asked": s.asked,
                     "right": s.right, "share_right": s.right / s.asked if s.asked else None})
    rated = [r for r in rows if r["share_right"] is not None and r["difficulty"] in DIFFICULTY_ORDER]
    correlation = rules.spearman([DIFFICULTY_ORDER[r["difficulty"]] for r in rated], [r["share_right"] for r in rated])
    rows.sort(key=lambda r: (DIFFICULTY_ORDER.get(r["difficulty"], 9), -(r["share_right"] or 0)))
    return {"questions": rows, "correlation": correlation, "rated": len(rated)}
