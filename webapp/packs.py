"""The seam between quizgen's packs and the web game's rows: reading pack files, (de)serialising questions."""

from __future__ import annotations

import json
from pathlib import Path

import quizgen
from quizgen import InputError, Pack, Question, QuizgenError, Source, load_pack, question_dict

__all__ = ["InputError", "Pack", "Question", "QuizgenError", "Source", "load_pack", "pack_from_path",
           "pack_meta_json", "question_from_json", "question_json"]

FACTS_SUFFIXES = (".yaml", ".yml")


def question_json(question: Question) -> str:
    """A question as the canonical JSON a pack file holds for it."""
    return json.dumps(question_dict(question), ensure_ascii=False, separators=(",", ":"))


def question_from_json(text: str) -> Question:
    """The :class:`Question` stored by :func:`question_json`."""
    d = json.loads(text)
    return Question(
        id=d["id"], show=d["show"], kind=d["kind"], template=d["template"], stem=d["stem"],
        options=tuple(d["options"]), answer=int(d["answer"]), explanation=d["explanation"],
        sources=tuple(Source(article=s["article"], sentence=s["sentence"]) for s in d["sources"]),
        difficulty=d["difficulty"], category=d["category"], tags=tuple(d.get("tags") or ()),
        time_limit=int(d["time_limit"]), as_of=d.get("as_of"),
    )


def pack_meta_json(pack: Pack) -> str:
    """What a pack says about itself besides its questions, as JSON."""
    return json.dumps({
        "format": pack.format, "seed": pack.seed, "generator": pack.generator,
        "shows": [{"id": s.id, "title": s.title, "network": s.network, "year": s.year} for s in pack.shows],
    }, ensure_ascii=False, separators=(",", ":"))


def pack_from_path(path: str | Path) -> Pack:
    """The pack a file gives: a facts file (.yaml) through the generator, anything else read as a pack."""
    if quizgen.file_kind(path) == "facts":
        return quizgen.build_pack([path])
    return load_pack(path)
