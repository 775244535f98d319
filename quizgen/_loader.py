"""Reading facts files (YAML) into checked models, with every problem located by line."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml
from pydantic import ValidationError

from ._errors import FactFileError, InputError
from ._facts import FACT_KINDS, CastFact, ShowFacts
from ._locate import Loc, loc_text, user_message
from ._normalize import fold


@dataclass(frozen=True, slots=True)
class ArticleText:
    """An article's text with its whitespace made single spaces, and where its paragraphs ended.

    An article is plain text with a blank line between paragraphs (a heading is a paragraph of its
    own); a paragraph may be one line or wrapped over several.
    """

    text: str
    paragraph_ends: frozenset[int]  # positions in ``text`` of the spaces that were blank lines

    @classmethod
    def read(cls, path: Path) -> ArticleText:
        """The article in the file at ``path``; a :class:`FactFileError` when it is empty, binary or not UTF-8."""
        paragraphs = [" ".join(p.split()) for p in _BLANK_LINE.split(read_text(path, FactFileError))]
        paragraphs = [p for p in paragraphs if p]
        ends, at = set(), -1
        for paragraph in paragraphs[:-1]:
            at += len(paragraph) + 1
            ends.add(at)
        return cls(" ".join(paragraphs), frozenset(ends))

    def quote_problem(self, sentence: str, name: str) -> str | None:
        """None when the article (file ``name``) holds ``sentence`` whole; otherwise what is wrong and the fix.

        Whitespace may differ (a quote may wrap where the article does not). Whole means that it
        starts where a sentence or paragraph starts and ends where one ends: a part of a sentence
        can say what the article does not ("It was not cancelled" is in "It was not cancelled
        until 2022.").
        """
        quote = " ".join(sentence.split())
        text, found = self.text, False
        at = text.find(quote)
        while at >= 0:
            found = True
            if self._starts_at(at) and self._ends_at(at + len(quote)):
                return None
            at = text.find(quote, at + 1)
        if found:
            return f"sentence is only part of a sentence in {name}: quote the whole sentence"
        return f"sentence not found in {name}: quote it exactly"

    def _starts_at(self, at: int) -> bool:
        """Whether a sentence starts at ``at``."""
        return at == 0 or at - 1 in self.paragraph_ends or (self.text[at - 1] == " " and self._splits(at - 1))

    def _ends_at(self, end: int) -> bool:
        """Whether a sentence ends at ``end`` (or after closing quotes or brackets there)."""
        text = self.text
        while end < len(text) and text[end] in _CLOSERS:
            end += 1
        return end == len(text) or end in self.paragraph_ends or (text[end] == " " and self._splits(end))

    def _splits(self, space: int) -> bool:
        """Whether the space at ``space`` separates two sentences of a paragraph.

        It does when what comes before it ends with a stop (then any closers), what follows does
        not start in lower case, and the stop is not an abbreviation's: an initial ("Damon J.
        Gillespie"), a word with a dot inside ("the U.S. Army") or a title ("Mr. Reid").
        """
        text = self.text
        before = text[max(0, space - _LONGEST_WORD):space].rstrip(_CLOSERS)
        following = text[space + 1:space + 3].lstrip(_OPENERS)[:1]
        if not before or before[-1] not in _STOPS or following.islower():
            return False
        if before[-1] != ".":
            return True
        word = before[:-1].rsplit(" ", 1)[-1].lstrip(_OPENERS)
        return not ((len(word) == 1 and word.isupper()) or "." in word or word in _ABBREVIATIONS)


_BLANK_LINE = re.compile(r"\n[ \t\r\f\v]*\n")  # between two paragraphs (more blank lines make empty ones)
_STOPS = ".!?…"
_CLOSERS = "\"”’')]"  # closing quotes and brackets, which may follow a sentence's stop
_OPENERS = "\"“‘'(["  # and opening ones, which may come before a sentence's first word
_ABBREVIATIONS = {"Mr", "Mrs", "Ms", "Dr", "St", "Jr", "Sr", "Prof", "Mt", "vs"}
_LONGEST_WORD = 40  # characters looked at before a stop for the word it ends


@dataclass(frozen=True, slots=True)
class Conflict:
    """Sources that disagree about one field of one fact (reported, never asked)."""

    path: str
    line: int
    fact: str
    field: str
    versions: tuple[tuple[str, tuple[str, ...]], ...]  # (value, articles)

    def __str__(self) -> str:
        told = "; ".join(f"{value!r} in {', '.join(dict.fromkeys(arts))}" for value, arts in self.versions)
        return f"{self.path}:{self.line}: conflict: {self.fact} {self.field}: {told} (not asked)"


@dataclass(frozen=True, slots=True)
class LoadedFacts:
    """A facts file as read: the model, where each part of it stands, its conflicts."""

    path: str
    facts: ShowFacts
    lines: dict[Loc, int]
    conflicts: tuple[Conflict, ...]

    def line_of(self, loc: Loc) -> int:
        return _line_for(self.lines, loc)


def read_text(path: str | Path, error: type[InputError]) -> str:
    """A user's file as text, refusing empty, binary and non-UTF-8 files with one clear line."""
    name = str(path)
    try:
        data = Path(path).read_bytes()
    except IsADirectoryError:
        raise error("is a directory, expected a file", path=name) from None
    except FileNotFoundError:
        raise error("no such file", path=name) from None
    except OSError as exc:
        raise error(f"cannot read: {exc.strerror}", path=name) from None
    if not data.strip():
        raise error("the file is empty", path=name, line=1)
    if b"\0" in data[:8192]:
        raise error("binary file: expected UTF-8 text", path=name, line=1)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise error(f"not UTF-8 text (bad byte 0x{data[exc.start]:02x})", path=name, line=line) from None


def _yaml_to_python(node: yaml.Node, loc: Loc, lines: dict[Loc, int], path: str) -> object:
    lines[loc] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        out: dict[object, object] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise FactFileError("a mapping key must be plain text", path=path, line=key_node.start_mark.line + 1)
            key = key_node.value
            if key in out:
                raise FactFileError(f"key {key!r} appears twice in the same mapping", path=path,
                                    line=key_node.start_mark.line + 1)
            out[key] = _yaml_to_python(value_node, (*loc, key), lines, path)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_yaml_to_python(item, (*loc, i), lines, path) for i, item in enumerate(node.value)]
    if node.tag == "tag:yaml.org,2002:timestamp":  # dates stay text: we parse them at their precision
        return node.value
    return yaml.SafeLoader(" ").construct_object(node, deep=True)


def parse_yaml(text: str, path: str) -> tuple[object, dict[Loc, int]]:
    """YAML text to plain Python, with the line of every mapping key and list item."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = (exc.problem or exc.context or "invalid YAML").strip()
        if exc.context_mark and (exc.context or "").startswith("while scanning a quoted scalar"):
            mark = exc.context_mark  # where the unclosed quote opens, not the end of the file
            problem = f"{problem} {exc.context.strip()}"
        if exc.context and problem.startswith("but "):  # "but found another document" needs what was expected
            problem = f"{exc.context.strip()}, {problem}"
        raise FactFileError(f"YAML syntax error: {problem}", path=path,
                            line=(mark.line + 1) if mark else None) from None
    except yaml.YAMLError as exc:
        raise FactFileError(f"YAML error: {exc}", path=path) from None
    if node is None:
        raise FactFileError("the file is empty", path=path, line=1)
    lines: dict[Loc, int] = {}
    return _yaml_to_python(node, (), lines, path), lines


def _line_for(lines: dict[Loc, int], loc: Loc) -> int:
    """The line of the deepest part of ``loc`` found in the file (union tags are skipped)."""
    best = lines.get((), 1)
    found: Loc = ()
    for part in loc:
        candidate = (*found, part)
        if candidate in lines:
            found = candidate
            best = lines[candidate]
    return best


def _strip_union_tags(loc: Loc, data: object) -> Loc:
    """Drop the discriminator tags pydantic inserts in a location (``facts.3.cast.actor``)."""
    out: list[object] = []
    node = data
    after_item = False
    for part in loc:
        if after_item and isinstance(node, dict) and node.get("kind") == part:
            after_item = False  # the tag comes right after the item's index (a date fact's tag is also a field)
            continue
        after_item = isinstance(node, list) and isinstance(part, int)
        if isinstance(node, dict) and part in node:
            node = node[part]
            out.append(part)
        elif isinstance(node, list) and isinstance(part, int) and part < len(node):
            node = node[part]
            out.append(part)
        else:
            out.append(part)
            node = None
    return tuple(out)


def validation_problems(exc: ValidationError, data: object, lines: dict[Loc, int], path: str,
                        error: type[InputError]) -> list[InputError]:
    """Each pydantic error as a located, one-line user error."""
    problems = []
    errors = exc.errors(include_url=False)
    failed = {tuple(err["loc"]) for err in errors}
    for err in errors:
        loc = _strip_union_tags(tuple(err["loc"]), data)
        if err["type"] == "too_short" and any(f[:len(err["loc"])] == tuple(err["loc"]) and len(f) > len(err["loc"])
                                              for f in failed):
            continue  # a list whose items all failed is not also "too short": its items say why
        message = user_message(err)
        if err["type"] == "union_tag_invalid":
            message = f"unknown kind {err['input'].get('kind')!r}; kinds are: " + ", ".join(FACT_KINDS)
        line_loc = loc
        if err["type"] == "value_error" and len(loc) == 2 and loc[0] == "facts":
            # a fact's own check fails the whole fact; its message says which part is wrong
            line_loc = (*loc, next((part for prefix, part in _PART_NAMED if message.startswith(prefix)), ""))
        problems.append(error(message, path=path, line=_line_for(lines, line_loc), field=loc_text(loc) or None))
    return problems


_PART_NAMED = (("disputed", "disputed"), ("wrong answer", "wrong_answers"), ("wrong_answers", "wrong_answers"),
               ("value", "value"))


def _semantic_problems(facts: ShowFacts, lines: dict[Loc, int], path: str,
                       article_dir: Path | None) -> list[InputError]:
    problems: list[InputError] = []

    def problem(message: str, loc: Loc, field: str | None = None) -> None:
        problems.append(FactFileError(message, path=path, line=_line_for(lines, loc), field=field))

    declared = {a.file for a in facts.articles}
    seen: dict[tuple[str, str], int] = {}
    characters: dict[str, tuple[int, CastFact]] = {}
    articles: dict[str, ArticleText | InputError | None] = {}
    for i, fact in enumerate(facts.facts):
        loc = ("facts", i)
        key = (fact.kind, fact.key())
        if key in seen:
            problem(f"the same {fact.kind} fact ({fact.key()}) is already given at line {seen[key]}", loc)
        seen.setdefault(key, _line_for(lines, loc))
        if isinstance(fact, CastFact):
            character = fold(fact.character)
            if character in characters:
                first_line, first = characters[character]
                if fold(first.actor) != fold(fact.actor) and not (fact.recast and first.recast):
                    problem(f"{fact.character!r} is played by {first.actor!r} at line {first_line} and by "
                            f"{fact.actor!r} here: record a spelling under `disputed`, or set `recast: true` "
                            "on both for a recast", loc, "character")
            else:
                characters[character] = (_line_for(lines, loc), fact)
        citations = [(("sources", j), c) for j, c in enumerate(fact.sources)]
        citations += [(("disputed", d, "sources", j), c) for d, dispute in enumerate(fact.disputed)
                      for j, c in enumerate(dispute.sources)]
        for sub, citation in citations:
            cloc = (*loc, *sub)
            if declared and citation.article not in declared:
                problem(f"cites {citation.article!r}, which is not listed under `articles`", cloc, "article")
                continue
            if article_dir is None:
                continue
            if citation.article not in articles:
                articles[citation.article] = _read_article(article_dir / citation.article)
            article = articles[citation.article]
            if article is None:
                problem(f"article {citation.article!r} is not in {article_dir}: add the article's text there",
                        (*cloc, "article"), "article")
            elif isinstance(article, InputError):
                if article not in problems:  # once, however often it is cited
                    problems.append(article)
            elif (wrong := article.quote_problem(citation.sentence, citation.article)) is not None:
                problem(wrong, (*cloc, "sentence"), "sentence")
    return problems


def _read_article(file: Path) -> ArticleText | InputError | None:
    """The article's text; None when there is no such file; the problem when it cannot be read as text."""
    if not file.is_file():
        return None
    try:
        return ArticleText.read(file)
    except InputError as exc:
        return exc


def _value_text(value: object) -> str:
    if hasattr(value, "iso"):
        return value.iso()
    return f"{value:g}" if isinstance(value, float) else str(value)


def _conflicts(facts: ShowFacts, lines: dict[Loc, int], path: str) -> tuple[Conflict, ...]:
    out = []
    for i, fact in enumerate(facts.facts):
        for d, dispute in enumerate(fact.disputed):
            field = dispute.field or fact.answer_field
            main = getattr(fact, field)
            versions = ((_value_text(main), tuple(c.article for c in fact.sources)),
                        (_value_text(dispute.value), tuple(c.article for c in dispute.sources)))
            out.append(Conflict(path, _line_for(lines, ("facts", i, "disputed", d)), f"{fact.kind} {fact.key()}",
                                field, versions))
    return tuple(out)


def load_facts_checked(path: str | Path) -> tuple[LoadedFacts | None, list[InputError]]:
    """Read a facts file, returning the model (when valid) and every problem found."""
    name = str(path)
    try:
        text = read_text(path, FactFileError)
        data, lines = parse_yaml(text, name)
    except InputError as exc:
        return None, [exc]
    if not isinstance(data, dict):
        return None, [FactFileError("expected a mapping with `format`, `show`, `articles` and `facts`",
                                    path=name, line=1)]
    try:
        facts = ShowFacts.model_validate(data)
    except ValidationError as exc:
        return None, validation_problems(exc, data, lines, name, FactFileError)
    article_dir = Path(path).parent / "sources"
    problems = _semantic_problems(facts, lines, name, article_dir if article_dir.is_dir() else None)
    if problems:
        return None, problems
    return LoadedFacts(name, facts, lines, _conflicts(facts, lines, name)), []


def load_facts(path: str | Path) -> LoadedFacts:
    """Read and check a facts file; raise the first problem as a :class:`FactFileError`."""
    loaded, problems = load_facts_checked(path)
    if problems:
        raise problems[0]
    assert loaded is not None
    return loaded
