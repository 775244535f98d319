"""The seam between quizgen's packs and the web game's rows: reading pack files, (de)serialising questions."""

from __future__ import annotations

import json
from pathlib import Path

import quizgen
from quizgen import (
    FACTS_SUFFIXES,
    InputError,
    Pack,
    Question,
    QuizgenError,
    Source,
    load_pack,
    question_dict,
    question_from_dict,
    show_dict,
)

__all__ = ["FACTS_SUFFIXES", "InputError", "Pack", "Question", "QuizgenError", "Source", "load_pack", "pack_from_path",
           "pack_meta_json", "question_from_json", "question_json"]

def question_json(question: Question) -> str:
    """A question as the canonical JSON a pack file holds for it."""
    return json.dumps(question_dict(question), ensure_ascii=False, separators=(",", ":"))


def question_from_json(text: str) -> Question:
    """The :class:`Question` stored by :func:`question_json`."""
    return question_from_dict(json.loads(text))


def pack_meta_json(pack: Pack) -> str:
    """What a pack says about itself besides its questions, as JSON."""
    return json.dumps({
        "format": pack.format, "seed": pack.seed, "generator": pack.generator,
        "shows": [show_dict(s) for s in pack.shows],
    }, ensure_ascii=False, separators=(",", ":"))


def pack_from_path(path: str | Path) -> Pack:
    """The pack a file gives: a facts file (.yaml) through the generator, anything else read as a pack."""
    if quizgen.file_kind(path) == "facts":
        return quizgen.build_pack([path])
    return load_pack(path)
