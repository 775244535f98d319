"""The question pack: what the generator writes, the game plays and the exporters convert.

A pack is JSON, ``"format": 1``, written canonically (one question per line), so
that export -> import -> export gives the same bytes. Its JSON Schema
(``questions/schema/pack.schema.json``) is generated from these classes.
"""

from __future__ import annotations

import io
import json
import os
import re
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import IO, Annotated, Literal

import orjson
from pydantic import Field, TypeAdapter, ValidationError

from ._errors import PackError
from ._loader import MAX_DEPTH, read_text
from ._locate import ProblemList, loc_text, user_message
from ._normalize import ID_PATTERN, option_key

PACK_FORMAT = 1
Difficulty = Literal["easy", "medium", "hard"]
DIFFICULTIES: tuple[Difficulty, ...] = ("easy", "medium", "hard")
TIME_LIMITS = (5, 10, 20, 30, 60, 90, 120, 240)
# the (kind, template) of questions whose options are dates or numbers: the generator writes them
# smallest first, and a game should show them so
ORDERED_TEMPLATES = frozenset({("date", "when"), ("score", "value"), ("count", "episodes"), ("count", "seasons"),
                               ("chart_run", "days")})


@dataclass(frozen=True, slots=True)
class Source:
    """What a question's answer rests on: an article (file name and title) and the sentence quoted from it.

    ``mark`` is where the answer stands in ``sentence`` (start and end), when it is there word
    for word; ``date`` is set instead of ``sentence`` when the fact is the article's own date.
    """

    article: Annotated[str, Field(min_length=1)]
    sentence: Annotated[str, Field(min_length=1)] | None = None
    title: str | None = None
    mark: tuple[int, int] | None = None
    date: str | None = None

    def name(self) -> str:
        """The article as a reader knows it: its title, else its file name."""
        return self.title or self.article

    def excerpt(self) -> tuple[str, str, str]:
        """The quote as shown: (before, marked, after).

        A sentence of more than :data:`EXCERPT_WORDS` words is cut, with an ellipsis, to the clause
        that holds the mark (between commas or semicolons, a date's own comma kept), and to a few
        words on each side of it there: a long sentence often states several facts ("A as B, C as
        D, ..."), and the rest would answer other questions of the same game.
        """
        if self.sentence is None:
            return "", "", ""
        sentence = self.sentence
        if len(sentence.split()) <= EXCERPT_WORDS:
            start, end = self.mark or (0, 0)
            return sentence[:start], sentence[start:end], sentence[end:]
        if self.mark is None:
            return " ".join(sentence.split()[:EXCERPT_WORDS]) + " …", "", ""
        start, end = self.mark
        before, after = _CLAUSE_BREAK.split(sentence[:start])[-1], _CLAUSE_BREAK.split(sentence[end:])[0]
        before_words, after_words = before.split(" "), after.split(" ")
        if len(before_words) > CONTEXT_WORDS + 1:
            before = " ".join(before_words[-CONTEXT_WORDS - 1:])
        if len(after_words) > CONTEXT_WORDS + 1:
            after = " ".join(after_words[:CONTEXT_WORDS + 1])
        head = "" if sentence[:start].endswith(before) and len(before) == start else "… "
        tail = "" if len(after) == len(sentence) - end else " …"
        return head + before.lstrip(), sentence[start:end], after.rstrip(",;") + tail

    def quote(self) -> str:
        """The excerpt as one line of text, or the article's date when the fact is its date line."""
        if self.sentence is None:
            return f"dated {self.date}" if self.date else ""
        return "“" + "".join(self.excerpt()) + "”"


EXCERPT_WORDS = 12  # a sentence longer than this is cut around the answer
CONTEXT_WORDS = 6  # words kept on each side of the answer, within its clause
# where a clause ends: a comma or semicolon, unless it is a date's ("August 6, 2019")
_CLAUSE_BREAK = re.compile(r"[,;](?! \d{4}\b)\s*")


@dataclass(frozen=True, slots=True)
class Question:
    """One multiple-choice question with exactly one right option.

    ``explanation`` is one sentence naming the answer; ``sources`` prove it, the one that states
    the answer first. ``facts`` names every fact the question rests on or gives away: two
    questions that share one do not belong in the same game.
    """

    id: Annotated[str, Field(pattern=r"^[0-9a-f]{16}$")]
    show: Annotated[str, Field(min_length=1)]
    kind: Annotated[str, Field(min_length=1)]
    template: Annotated[str, Field(min_length=1)]
    stem: Annotated[str, Field(min_length=1)]
    options: Annotated[tuple[str, ...], Field(min_length=4, max_length=4)]
    answer: Annotated[int, Field(ge=0, le=3, strict=True)]
    explanation: Annotated[str, Field(min_length=1)]
    sources: Annotated[tuple[Source, ...], Field(min_length=1)]
    difficulty: Difficulty
    category: Annotated[str, Field(min_length=1)]
    tags: tuple[str, ...]
    time_limit: Annotated[int, Field(ge=5, le=240, strict=True)]
    as_of: str | None = None
    facts: tuple[str, ...] = ()

    @property
    def correct(self) -> str:
        """The text of the right option."""
        return self.options[self.answer]

    @property
    def ordered(self) -> bool:
        """Whether the options are dates or numbers, smallest first (a game keeps that order)."""
        return (self.kind, self.template) in ORDERED_TEMPLATES

    @property
    def wrong(self) -> tuple[str, ...]:
        return tuple(o for i, o in enumerate(self.options) if i != self.answer)

    def explained(self) -> str:
        """The explanation with its first source, as one line for formats that have only text."""
        first = self.sources[0]
        return f"{self.explanation} Source: {first.name()}, {first.quote()}"


@dataclass(frozen=True, slots=True)
class ShowRef:
    """A show whose facts fed the pack."""

    id: str
    title: str
    network: str | None = None
    year: int | None = None


@dataclass(frozen=True, slots=True)
class Pack:
    """A titled, versioned list of questions and how they were made."""

    id: Annotated[str, Field(pattern=f"^{ID_PATTERN}$")]
    title: Annotated[str, Field(min_length=1)]
    questions: tuple[Question, ...]
    shows: tuple[ShowRef, ...] = ()
    seed: int = 0
    format: Literal[1] = PACK_FORMAT
    generator: dict[str, str | int | list[str] | None] = field(default_factory=dict)


_PACK_ADAPTER = TypeAdapter(Pack)
_QUESTION_ADAPTER = TypeAdapter(Question)


def pack_json_schema() -> dict:
    """The JSON Schema of a pack file."""
    schema = _PACK_ADAPTER.json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://quizgen.invalid/schema/pack.schema.json"
    return schema


def source_dict(s: Source) -> dict:
    """A source as the pack file holds it (only the fields that are set beyond the article)."""
    out: dict = {"article": s.article, "sentence": s.sentence}
    if s.title is not None:
        out["title"] = s.title
    if s.mark is not None:
        out["mark"] = list(s.mark)
    if s.date is not None:
        out["date"] = s.date
    return out


def question_dict(q: Question) -> dict:
    """A question as the plain dict the pack file holds (key order fixed)."""
    return {
        "id": q.id, "show": q.show, "kind": q.kind, "template": q.template, "stem": q.stem,
        "options": list(q.options), "answer": q.answer, "explanation": q.explanation,
        "sources": [source_dict(s) for s in q.sources],
        "difficulty": q.difficulty, "category": q.category, "tags": list(q.tags),
        "time_limit": q.time_limit, "as_of": q.as_of, "facts": list(q.facts),
    }


def question_from_dict(d: dict) -> Question:
    """The question a :func:`question_dict` describes (trusted data: no validation)."""
    return Question(
        id=d["id"], show=d["show"], kind=d["kind"], template=d["template"], stem=d["stem"],
        options=tuple(d["options"]), answer=int(d["answer"]), explanation=d["explanation"],
        sources=tuple(Source(article=s["article"], sentence=s.get("sentence"), title=s.get("title"),
                             mark=tuple(s["mark"]) if s.get("mark") else None, date=s.get("date"))
                      for s in d["sources"]),
        difficulty=d["difficulty"], category=d["category"], tags=tuple(d.get("tags") or ()),
        time_limit=int(d["time_limit"]), as_of=d.get("as_of"), facts=tuple(d.get("facts") or ()),
    )


def show_dict(show: ShowRef) -> dict:
    """A show reference as the pack file holds it."""
    return {"id": show.id, "title": show.title, "network": show.network, "year": show.year}


def _encode(obj: object) -> bytes:
    """Canonical JSON: compact, UTF-8, keys in the order given."""
    try:
        return orjson.dumps(obj)
    except orjson.JSONEncodeError:  # an integer past 64 bits (a huge seed): the stdlib writes the same text
        return json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode()


def _header(pack_id: str, title: str, shows: Iterable[ShowRef], seed: int, generator: dict) -> dict:
    return {
        "format": PACK_FORMAT, "id": pack_id, "title": title, "seed": seed, "generator": generator,
        "shows": [show_dict(s) for s in shows],
    }


def write_pack_stream(out: IO[str] | IO[bytes], *, pack_id: str, title: str, shows: Iterable[ShowRef], seed: int,
                      generator: dict, questions: Iterable[Question]) -> int:
    """Write a pack canonically, one question per line, without holding the questions; return the count.

    ``out`` may be a text or a binary stream (binary saves decoding and re-encoding every line).
    """
    text, write = isinstance(out, io.TextIOBase), out.write
    head = _encode(_header(pack_id, title, shows, seed, generator))[:-1] + b',"questions":['
    write(head.decode() if text else head)
    n = 0
    for q in questions:
        line = (b"\n" if n == 0 else b",\n") + _encode(question_dict(q))
        write(line.decode() if text else line)
        n += 1
    write("\n]}\n" if text else b"\n]}\n")
    return n


def dumps_pack(pack: Pack) -> str:
    """The canonical text of a pack."""
    buf = io.BytesIO()
    write_pack_stream(buf, pack_id=pack.id, title=pack.title, shows=pack.shows, seed=pack.seed,
                      generator=pack.generator, questions=pack.questions)
    return buf.getvalue().decode()


@contextmanager
def atomic_writer(path: str | Path, *, binary: bool = False) -> Iterator[IO]:
    """A file that appears at ``path`` whole, or not at all (temp file + rename)."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    try:
        with os.fdopen(fd, "wb" if binary else "w", **({} if binary else {"encoding": "utf-8", "newline": "\n"})) as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _question_lines(text: str) -> list[int]:
    """The line on which each element of the top-level ``questions`` array starts."""
    decoder = json.JSONDecoder()
    start = text.find('"questions"')
    pos = text.find("[", start) if start >= 0 else -1
    if pos < 0:
        return []
    lines, n = [], len(text)
    line, counted = 1, 0  # newlines are counted once each, from where the last count stopped
    pos += 1
    while pos < n:
        while pos < n and text[pos] in " \t\r\n,":
            pos += 1
        if pos >= n or text[pos] == "]":
            break
        line += text.count("\n", counted, pos)
        counted = pos
        lines.append(line)
        try:
            _, pos = decoder.raw_decode(text, pos)
        except (json.JSONDecodeError, RecursionError):
            break
    return lines


def check_pack_data(data: object, text: str, path: str) -> tuple[Pack | None, list[PackError]]:
    """Validate parsed pack JSON; every problem comes back located by line (the first few, and a count).

    Questions are checked one by one, and checking stops after :data:`MAX_PROBLEMS` problems:
    a pack may hold millions of broken questions.
    """
    if not isinstance(data, dict):
        return None, [PackError("expected a JSON object with `format` and `questions`", path=path, line=1)]
    if data.get("format") != PACK_FORMAT:
        return None, [PackError(f"unsupported pack format {data.get('format')!r}: this quizgen reads format "
                                f"{PACK_FORMAT}", path=path, line=1, field="format")]
    found = ProblemList(path, PackError)
    qlines: list[int] = []

    def line_of(loc: tuple) -> int:
        if len(loc) >= 2 and loc[0] == "questions" and isinstance(loc[1], int):
            if not qlines:  # found only when a question has a problem: a good pack needs no lines
                qlines.extend(_question_lines(text))
            if loc[1] < len(qlines):
                return qlines[loc[1]]
        return 1

    def add(exc: ValidationError, within: tuple = ()) -> None:
        for err in exc.errors(include_url=False):
            loc = (*within, *err["loc"])
            found.add(user_message(err), line_of(loc), loc_text(loc) or None)

    items = data.get("questions")
    if not isinstance(items, list):  # no questions to check one by one: the whole pack says what is wrong
        try:
            return _PACK_ADAPTER.validate_python(data), []
        except ValidationError as exc:
            add(exc)
            return None, found.result()
    try:
        head = _PACK_ADAPTER.validate_python({**data, "questions": []})
    except ValidationError as exc:
        add(exc)
    questions: list[Question] = []
    seen: dict[str, int] = {}
    for i, item in enumerate(items):
        if found.full:
            left = len(items) - i
            return None, found.result(f"{left:,} more question{'s' if left > 1 else ''}", line_of(("questions", i)))
        try:
            q = _QUESTION_ADAPTER.validate_python(item)
        except ValidationError as exc:
            add(exc, ("questions", i))
            continue
        if q.id in seen:
            found.add(f"question id {q.id} is already used by questions[{seen[q.id]}]", line_of(("questions", i)),
                      f"questions[{i}].id")
        seen.setdefault(q.id, i)
        keys = [option_key(o) for o in q.options]
        if len(set(keys)) != len(keys):
            found.add("two options are the same answer (after ignoring case, accents and punctuation)",
                      line_of(("questions", i)), f"questions[{i}].options")
        questions.append(q)
    if found:
        return None, found.result()
    return replace(head, questions=tuple(questions)), []


def loads_pack(text: str, path: str = "<pack>") -> Pack:
    """Parse and check pack text; raise the first problem as a :class:`PackError`."""
    pack, problems = check_pack_text(text, path)
    if problems:
        raise problems[0]
    assert pack is not None
    return pack


def check_pack_text(text: str, path: str) -> tuple[Pack | None, list[PackError]]:
    """Parse pack text and return the pack (when valid) with every problem found."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        return None, [PackError(f"JSON syntax error: {exc.msg}", path=path, line=exc.lineno)]
    except RecursionError:  # the json module reads a level of nesting per call, and says not where it gave up
        return None, [PackError(f"arrays and objects nested more than {MAX_DEPTH} levels deep: a pack needs 6",
                                path=path, line=_line_too_deep(text))]
    return check_pack_data(data, text, path)


def _line_too_deep(text: str) -> int | None:
    """The line where JSON text first nests deeper than :data:`MAX_DEPTH` (brackets inside strings skipped)."""
    depth = 0
    for token in _JSON_BRACKET.finditer(text):
        if token.group() in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return text.count("\n", 0, token.start()) + 1
        elif token.group() in "]}":
            depth -= 1
    return None


_JSON_BRACKET = re.compile(r'"(?:[^"\\]+|\\.)*"|[][{}]')  # a string (skipped whole) or a bracket


def load_pack(path: str | Path) -> Pack:
    """Read and check a pack file."""
    return loads_pack(read_text(path, PackError), str(path))
