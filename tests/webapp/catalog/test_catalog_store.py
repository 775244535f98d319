"""The catalog's store (webapp.catalog.store): packs and questions as the pages and the API read them."""

from __future__ import annotations

import json

from webapp.catalog.store import find_questions, get_pack, list_packs, pack_questions, question_categories, save_pack


def test_questions_come_back_exactly_as_imported(app, make_pack, clock):
    pack = make_pack(n=9)
    with app.app_context():
        assert save_pack(pack, now_ms=clock()) is True
        assert tuple(pack_questions(pack.id)) == pack.questions
        assert [q.id for q in pack_questions(pack.id, "medium")] == [q.id for q in pack.questions
                                                                     if q.difficulty == "medium"]
        assert pack_questions("nope") == []


def test_reimport_replaces_questions_and_keeps_one_pack(app, make_pack, clock):
    with app.app_context():
        save_pack(make_pack(n=9), now_ms=clock())
        assert save_pack(make_pack(n=4, title="Renamed"), now_ms=clock()) is False
        (summary,) = list_packs()
        assert (summary.title, summary.question_count) == ("Renamed", 4)
        assert len(pack_questions(summary.id)) == 4


def test_summaries_are_json_able(app, make_pack, clock):
    with app.app_context():
        save_pack(make_pack(n=5), now_ms=clock())
        summary = get_pack("tiny-pretty-things")
        data = json.loads(json.dumps(summary.as_dict()))
        assert data == {"id": "tiny-pretty-things", "title": "Tiny Pretty Things", "question_count": 5,
                        "difficulties": {"easy": 2, "medium": 2, "hard": 1}, "best_score": None, "answers_public": False,
                        "shows": [{"id": "tiny-pretty-things", "title": "Tiny Pretty Things", "network": "Netflix",
                                   "year": 2020}], "added_by": "import", "imported_ms": clock(), "on_overall_board": True, "hidden": False}
        assert get_pack("nope") is None


def test_find_questions_filters(app, make_pack, clock):
    with app.app_context():
        save_pack(make_pack("one", n=6), now_ms=clock())
        save_pack(make_pack("two", n=3, difficulty="hard"), now_ms=clock())
        assert len(find_questions(difficulty="hard")) == 2 + 3
        assert len(find_questions(pack_id="two", difficulty="hard", limit=2)) == 2
        assert find_questions(kind="nope") == []
        assert question_categories() == {"Entertainment: Television": 9}
