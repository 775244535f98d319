"""The few calls most users need: check a file, build a pack, write it."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ._errors import FactFileError, InputError, PackError
from ._facts import ShowFacts
from ._generate import GenerationReport, generate_questions, show_refs
from ._loader import Conflict, LoadedFacts, load_facts, load_facts_checked, read_text
from ._normalize import slugify
from ._pack import Pack, check_pack_text, pack_json_schema

FACTS_SUFFIXES = (".yaml", ".yml")


@dataclass(slots=True)
class CheckResult:
    """What checking one file found: its problems, its recorded conflicts, and what it holds when valid."""

    path: str
    kind: str                                  # "facts" or "pack"
    problems: list[InputError] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    facts: LoadedFacts | None = None
    pack: Pack | None = None


def file_kind(path: str | Path) -> str:
    """'facts' for a YAML facts file, 'pack' for a JSON pack (by suffix)."""
    return "facts" if str(path).lower().endswith(FACTS_SUFFIXES) else "pack"


def check_file(path: str | Path) -> CheckResult:
    """Check a facts file or a pack and report every problem, located by line."""
    name = str(path)
    if file_kind(path) == "facts":
        loaded, problems = load_facts_checked(path)
        return CheckResult(name, "facts", problems, list(loaded.conflicts) if loaded else [], facts=loaded)
    try:
        text = read_text(path, PackError)
    except InputError as exc:
        return CheckResult(name, "pack", [exc])
    pack, problems = check_pack_text(text, name)
    return CheckResult(name, "pack", list(problems), pack=pack)


def load_facts_files(paths: Iterable[str | Path]) -> list[LoadedFacts]:
    """Load facts files with their conflicts; two files for the same show are refused."""
    loaded: list[LoadedFacts] = []
    seen: dict[str, str] = {}
    for path in paths:
        one = load_facts(path)
        show_id = one.facts.show.id
        if show_id in seen:
            raise FactFileError(f"show {show_id!r} is also defined in {seen[show_id]}", path=str(path),
                                line=1, field="show.id")
        seen[show_id] = str(path)
        loaded.append(one)
    return loaded


def load_shows(paths: Iterable[str | Path]) -> list[ShowFacts]:
    """Load facts files; two files for the same show are refused."""
    return [one.facts for one in load_facts_files(paths)]


def pack_identity(shows: list[ShowFacts], pack_id: str | None, title: str | None) -> tuple[str, str]:
    """A pack's id and title: given, or made from its shows."""
    return (pack_id or slugify("-".join(s.show.id for s in shows))[:80],
            title or " + ".join(s.show.title for s in shows))


def generator_settings(count: int | None, difficulty: str, kinds: Iterable[str] | None) -> dict:
    """How a pack was made, as recorded in its header."""
    return {"count": count, "difficulty": difficulty, "kinds": sorted(kinds) if kinds else None}


def build_pack(facts_paths: Iterable[str | Path], *, seed: int = 0, count: int | None = None,
               difficulty: str = "mixed", kinds: Iterable[str] | None = None, pack_id: str | None = None,
               title: str | None = None, report: GenerationReport | None = None) -> Pack:
    """Load facts files and generate a whole pack in memory (for small runs and the web app)."""
    return pack_from_shows(load_shows(facts_paths), seed=seed, count=count, difficulty=difficulty, kinds=kinds,
                           pack_id=pack_id, title=title, report=report)


def pack_from_shows(shows: list[ShowFacts], *, seed: int = 0, count: int | None = None,
                    difficulty: str = "mixed", kinds: Iterable[str] | None = None, pack_id: str | None = None,
                    title: str | None = None, report: GenerationReport | None = None) -> Pack:
    """Generate a whole pack in memory from facts already loaded."""
    kinds = list(kinds) if kinds else None
    questions = tuple(generate_questions(shows, seed=seed, count=count, difficulty=difficulty, kinds=kinds,
                                         report=report))
    pid, ptitle = pack_identity(shows, pack_id, title)
    return Pack(id=pid, title=ptitle, questions=questions, shows=show_refs(shows), seed=seed,
                generator=generator_settings(count, difficulty, kinds))


def write_schemas(directory: str | Path) -> list[Path]:
    """Write the facts and pack JSON Schemas, generated from the models, into a folder."""
    facts_schema = ShowFacts.model_json_schema()
    facts_schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    facts_schema["$id"] = "https://quizgen.invalid/schema/facts.schema.json"
    out = []
    for name, schema in (("facts.schema.json", facts_schema), ("pack.schema.json", pack_json_schema())):
        target = Path(directory) / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8")
        out.append(target)
    return out
