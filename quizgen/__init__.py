"""quizgen: fair multiple-choice trivia packs from sourced facts about TV shows.

Facts files (YAML, one per show) are loaded and checked (``load_facts``,
``check_file``); ``generate_questions`` streams questions from them and
``build_pack`` gathers a whole pack; packs are written with ``dumps_pack`` /
``write_pack_stream`` and converted with ``export_questions``. Errors all derive
from ``QuizgenError``. This package never imports a web framework or an ORM.
"""

from ._api import (FACTS_SUFFIXES, CheckResult, build_pack, check_file, file_kind, load_shows, pack_from_shows,
                   write_schemas)
from ._errors import ExportError, FactFileError, GenerationError, InputError, PackError, QuizgenError
from ._export import EXPORT_FORMATS, Skipped, export_questions, opentdb_result, OPENTDB_CATEGORY
from ._facts import FACT_KINDS, ShowFacts
from ._generate import DIFFICULTY_CHOICES, MIXED, GenerationReport, generate_questions
from ._loader import Conflict, LoadedFacts, load_facts
from ._templates import LeftOut
from ._normalize import ID_PATTERN
from ._pack import (DIFFICULTIES, Pack, Question, ShowRef, Source, atomic_writer, check_pack_text, dumps_pack,
                    load_pack, loads_pack, question_dict, question_from_dict, show_dict, write_pack_stream)

__version__ = "0.1.0"

__all__ = [
    "CheckResult", "Conflict", "FACTS_SUFFIXES", "OPENTDB_CATEGORY", "DIFFICULTIES", "DIFFICULTY_CHOICES", "EXPORT_FORMATS", "ExportError", "ID_PATTERN", "MIXED",
    "FACT_KINDS", "FactFileError", "GenerationError", "GenerationReport", "InputError", "LeftOut", "LoadedFacts", "Pack",
    "PackError", "Question", "QuizgenError", "ShowFacts", "ShowRef", "Skipped", "Source", "atomic_writer",
    "build_pack", "check_file", "check_pack_text", "dumps_pack", "export_questions", "file_kind",
    "generate_questions", "load_facts", "load_pack", "load_shows", "loads_pack", "opentdb_result", "pack_from_shows", "question_dict", "question_from_dict",
    "show_dict", "write_pack_stream", "write_schemas",
]
