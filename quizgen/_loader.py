"""Reading facts files (YAML) into checked models, with every problem located by line."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import TypeAdapter, ValidationError

from ._errors import FactFileError, InputError
from ._facts import FACT_KINDS, Article, CastFact, Citation, Fact, ShowFacts
from ._locate import Loc, ProblemList, loc_text, user_message
from ._normalize import fold


@dataclass(frozen=True, slots=True)
class ArticleText:
    """An article's text with its whitespace made single spaces, and where its paragraphs and lines ended.

    An article is plain text with a blank line between paragraphs (a heading is a paragraph of its
    own); a paragraph may be one line, wrapped over several, or a list of lines.
    """

    text: str
    paragraph_ends: frozenset[int]  # positions in ``text`` of the spaces that were blank lines
    line_ends: frozenset[int]  # and of those that were line breaks inside a paragraph

    @classmethod
    def read(cls, path: Path) -> ArticleText:
        """The article in the file at ``path``; a :class:`FactFileError` when it is empty, binary or not UTF-8."""
        paragraphs = []
        for paragraph in _BLANK_LINE.split(read_text(path, FactFileError)):
            lines = [" ".join(line.split()) for line in paragraph.split("\n")]
            lines = [line for line in lines if line]
            if lines:
                paragraphs.append(lines)
        paragraph_ends, line_ends, at = set(), set(), -1
        for lines in paragraphs:
            for line in lines:
                at += len(line) + 1  # the space that follows the line
                line_ends.add(at)
            line_ends.discard(at)  # a paragraph's last line ends the paragraph
            paragraph_ends.add(at)
        paragraph_ends.discard(at)  # and the last paragraph ends the text
        return cls(" ".join(" ".join(lines) for lines in paragraphs), frozenset(paragraph_ends), frozenset(line_ends))

    def quote_problem(self, sentence: str, name: str) -> str | None:
        """None when the article (file ``name``) holds ``sentence`` whole; otherwise what is wrong and the fix.

        Whitespace may differ (a quote may wrap where the article does not). Whole means that it
        starts where a sentence or paragraph starts and ends where one ends, or that it is one whole
        line inside a paragraph (a status line in a list): a part of a sentence can say what the
        article does not ("It was not cancelled" is in "It was not cancelled until 2022.").
        """
        quote = " ".join(sentence.split())
        text = self.text
        first = at = text.find(quote)
        while at >= 0:
            end = at + len(quote)
            if (self._starts_at(at) and self._ends_at(end)) or (at - 1 in self.line_ends and end in self.line_ends):
                return None
            at = text.find(quote, at + 1)
        if first >= 0:
            whole = _shortened(text[self._sentence_start(first):self._sentence_end(first + len(quote))])
            return f"sentence is only part of a sentence in {name}: quote the whole sentence, '{whole}'"
        return f"sentence not found in {name}: quote it exactly; {self._where_it_differs(quote)}"

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
        Gillespie"), a word with a dot inside ("the U.S. Army") or a title ("Mr. Reid"). A number
        with a decimal point ("a 6.2.") is no abbreviation.
        """
        text = self.text
        before = text[max(0, space - _LONGEST_WORD):space].rstrip(_CLOSERS)
        following = text[space + 1:space + 3].lstrip(_OPENERS)[:1]
        if not before or before[-1] not in _STOPS or following.islower():
            return False
        if before[-1] != ".":
            return True
        word = before[:-1].rsplit(" ", 1)[-1].lstrip(_OPENERS)
        abbreviated = "." in word and not word[-1:].isdigit()
        return not ((len(word) == 1 and word.isupper()) or abbreviated or word in _ABBREVIATIONS)

    def _sentence_start(self, at: int) -> int:
        """Where the sentence that holds position ``at`` starts."""
        start = self.text.rfind(" ", 0, at + 1) + 1
        while not self._starts_at(start):
            start = self.text.rfind(" ", 0, start - 1) + 1
        return start

    def _sentence_end(self, end: int) -> int:
        """Where the sentence that holds the text just before ``end`` ends."""
        text = self.text
        end = text.find(" ", end)
        while end >= 0 and not self._ends_at(end):
            end = text.find(" ", end + 1)
        return len(text) if end < 0 else end

    def _where_it_differs(self, quote: str) -> str:
        """Where a quote the article does not hold stops matching it, in words."""
        text = self.text
        if quote.lower() in text.lower():
            return "the article has it in other letter case"
        words = quote.split(" ")
        # the most leading words of the quote the article has, followed by more: a start found means
        # every shorter start is found too, so halving the range finds it in a few searches
        low, high = 0, len(words) - 1
        while low < high:
            middle = (low + high + 1) // 2
            if " ".join(words[:middle]) + " " in text:
                low = middle
            else:
                high = middle - 1
        if low == 0:
            return f"the article does not have its first word '{_shortened(words[0])}'"
        start = " ".join(words[:low])
        after = text.find(start + " ") + len(start) + 1
        theirs = text[after:after + _LONGEST_WORD * 2].split(" ", 1)[0]
        matched = low + (theirs == words[low])  # the article's last word has no space after it, so was missed
        shown = _shortened(" ".join(words[max(0, matched - _CONTEXT_WORDS):matched]))
        told = f"it matches the article up to '{'…' if matched > _CONTEXT_WORDS else ''}{shown}'"
        if matched > low:
            return f"{told}, where the article ends"
        return f"{told}, then the article has '{_shortened(theirs)}' where the quote has '{_shortened(words[low])}'"


def _shortened(text: str) -> str:
    """Text to show in a message: a long one keeps its first and last words around an ellipsis."""
    words = [word if len(word) <= _LONGEST_WORD else word[:_LONGEST_WORD] + "…" for word in text.split(" ")]
    if len(words) > 2 * _CONTEXT_WORDS + 2:
        words = [*words[:_CONTEXT_WORDS], "…", *words[-_CONTEXT_WORDS:]]
    return " ".join(words)


_BLANK_LINE = re.compile(r"\n[ \t\r\f\v]*\n")  # between two paragraphs (more blank lines make empty ones)
_STOPS = ".!?…"
_CLOSERS = "\"”’')]"  # closing quotes and brackets, which may follow a sentence's stop
_OPENERS = "\"“‘'(["  # and opening ones, which may come before a sentence's first word
_ABBREVIATIONS = {"Mr", "Mrs", "Ms", "Dr", "St", "Jr", "Sr", "Prof", "Mt", "vs"}
_LONGEST_WORD = 40  # characters looked at before a stop for the word it ends
_CONTEXT_WORDS = 6  # words of an article shown on each side of where a quote goes wrong


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


MAX_DEPTH = 50  # levels of lists and mappings; a facts file needs 7
_EXPANSION = 10  # how many times its own size a file may grow by its aliases (without any, it stays under 2)
_LEAST_EXPANSION = 100_000  # so that a small file may still repeat a long sentence many times


class _YamlReader:
    """A composed YAML document as plain Python, with the line of every mapping key and list item.

    An alias repeats its anchor's whole node, so aliases of aliases multiply ("a billion laughs"):
    what the document expands to is counted (nodes and scalar characters) and bounded, and so is
    its depth, which aliases can also add to.
    """

    def __init__(self, path: str, size: int) -> None:
        self.path = path
        self.lines: dict[Loc, int] = {}
        self.budget = max(_LEAST_EXPANSION, _EXPANSION * size)
        self.left = self.budget
        self.scalars = yaml.SafeLoader("")  # constructs scalars (numbers, booleans, null) as safe_load would

    def value(self, node: yaml.Node, loc: Loc) -> object:
        line = node.start_mark.line + 1
        self.lines[loc] = line
        self.left -= 1 + (len(node.value) if isinstance(node, yaml.ScalarNode) else 0)
        if self.left < 0:
            raise FactFileError(f"aliases expand to more than {self.budget:,} values and characters: an alias "
                                "repeats all its anchor holds, so aliases of aliases multiply; use fewer of them",
                                path=self.path, line=line)
        if isinstance(node, yaml.CollectionNode) and len(loc) >= MAX_DEPTH:
            raise _too_deep(self.path, line)
        if isinstance(node, yaml.MappingNode):
            out: dict[object, object] = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode):
                    raise FactFileError("a mapping key must be plain text", path=self.path,
                                        line=key_node.start_mark.line + 1)
                key = key_node.value
                if key in out:
                    raise FactFileError(f"key {key!r} appears twice in the same mapping", path=self.path,
                                        line=key_node.start_mark.line + 1)
                out[key] = self.value(value_node, (*loc, key))
            return out
        if isinstance(node, yaml.SequenceNode):
            return [self.value(item, (*loc, i)) for i, item in enumerate(node.value)]
        if node.tag == "tag:yaml.org,2002:timestamp":  # dates stay text: we parse them at their precision
            return node.value
        try:
            return self.scalars.construct_object(node)
        except yaml.constructor.ConstructorError as exc:
            raise FactFileError(f"YAML error: {exc.problem}", path=self.path, line=line) from None


def _too_deep(path: str, line: int | None) -> FactFileError:
    return FactFileError(f"lists and mappings nested more than {MAX_DEPTH} levels deep: a facts file needs 7",
                         path=path, line=line)


def _first_too_deep(text: str, path: str) -> FactFileError:
    """Where the document first nests deeper than :data:`MAX_DEPTH`, found from the parser's flat events."""
    depth = 0
    try:
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    return _too_deep(path, event.start_mark.line + 1)
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.YAMLError:
        pass
    return _too_deep(path, None)


def parse_yaml(text: str, path: str) -> tuple[object, dict[Loc, int]]:
    """YAML text to plain Python, with the line of every mapping key and list item."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except RecursionError:
        # PyYAML composes a level of nesting per call, so a deep document overflows the stack before
        # our own depth limit is reached; its parser is flat, and says where the nesting goes too deep
        raise _first_too_deep(text, path) from None
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
    reader = _YamlReader(path, len(text))
    return reader.value(node, ()), reader.lines


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


def add_validation_problems(found: ProblemList, errors: list[dict[str, Any]], data: object, lines: dict[Loc, int],
                            within: Loc = ()) -> None:
    """Each pydantic error as a located, one-line problem; ``within`` is where the validated part stands in ``data``."""
    failed = {tuple(err["loc"]) for err in errors}
    for err in errors:
        loc = _strip_union_tags((*within, *err["loc"]), data)
        if err["type"] == "too_short" and any(f[:len(err["loc"])] == tuple(err["loc"]) and len(f) > len(err["loc"])
                                              for f in failed):
            continue  # a list whose items all failed is not also "too short": its items say why
        message = user_message(err)
        if err["type"] == "union_tag_invalid":
            message = f"unknown kind {err['input'].get('kind')!r}; kinds are: " + ", ".join(FACT_KINDS)
        elif err["type"] == "union_tag_not_found":
            message = "a fact needs `kind`; kinds are: " + ", ".join(FACT_KINDS)
        line_loc = loc
        if err["type"] == "value_error" and len(loc) == 2 and loc[0] == "facts":
            # a fact's own check fails the whole fact; its message says which part is wrong
            line_loc = (*loc, next((part for prefix, part in _PART_NAMED if message.startswith(prefix)), ""))
        found.add(message, _line_for(lines, line_loc), loc_text(loc) or None)


_PART_NAMED = (("disputed", "disputed"), ("wrong answer", "wrong_answers"), ("wrong_answers", "wrong_answers"),
               ("value", "value"))
_FACT = TypeAdapter(Fact)
_ARTICLES = TypeAdapter(tuple[Article, ...])
_DATED = {"date": "date", "score": "as_of", "status": "as_of"}  # the field an article's date line can prove, by kind


def _is_file_name(name: str) -> bool:
    """Whether ``name`` is a file's name alone: no folder, no way up, no root or drive, so it stays in sources/."""
    return name not in (".", "..") and not any(c in name for c in "/\\:\0")


class _FactChecker:
    """The checks a valid fact needs beyond its own fields: repeats, recasts, and what its citations point at."""

    def __init__(self, articles: tuple[Article, ...] | None, article_dir: Path | None, lines: dict[Loc, int],
                 found: ProblemList) -> None:
        self.listed = None if articles is None else {a.file: a for a in articles}  # None: `articles` is invalid
        self.article_dir = article_dir
        self.lines = lines
        self.found = found
        self.seen: dict[tuple[str, str], int] = {}
        self.characters: dict[str, tuple[int, CastFact]] = {}
        self.texts: dict[str, ArticleText | InputError | None] = {}
        self.unreadable: set[str] = set()  # the articles whose problem is already told

    def problem(self, message: str, loc: Loc, field: str | None = None) -> None:
        self.found.add(message, _line_for(self.lines, loc), field)

    def check(self, i: int, fact: Fact) -> None:
        """Check fact ``i`` against the facts before it and the articles it cites."""
        loc = ("facts", i)
        key = (fact.kind, fact.key())
        if key in self.seen:
            self.problem(f"the same {fact.kind} fact ({fact.key()}) is already given at line {self.seen[key]}", loc)
        self.seen.setdefault(key, _line_for(self.lines, loc))
        if isinstance(fact, CastFact) and fact.character is not None:
            character = fold(fact.character)
            if character in self.characters:
                first_line, first = self.characters[character]
                if fold(first.actor) != fold(fact.actor) and not (fact.recast and first.recast):
                    self.problem(f"{fact.character!r} is played by {first.actor!r} at line {first_line} and by "
                                 f"{fact.actor!r} here: record a spelling under `disputed`, or set `recast: true` "
                                 "on both for a recast", loc, "character")
            else:
                self.characters[character] = (_line_for(self.lines, loc), fact)
        dated = _DATED.get(fact.kind)
        own = (f"the fact's {dated}", _value_text(getattr(fact, dated))) if dated else None
        for j, citation in enumerate(fact.sources):
            self.check_citation(citation, (*loc, "sources", j), fact.kind, own)
        for d, dispute in enumerate(fact.disputed):
            disputes_date = dated is not None and (dispute.field or fact.answer_field) == dated
            date = (f"the disputed {dated}", str(dispute.value)) if disputes_date else own
            for j, citation in enumerate(dispute.sources):
                self.check_citation(citation, (*loc, "disputed", d, "sources", j), fact.kind, date)

    def check_citation(self, citation: Citation, loc: Loc, kind: str, date: tuple[str, str] | None) -> None:
        """Check that a citation names a listed article in sources/, and quotes it whole or proves ``date``.

        ``date`` is what the citation's fact (or dispute) dates, as (what it is, its value), if anything.
        """
        name = citation.article
        if not _is_file_name(name):
            if self.listed is None or name not in self.listed:  # a listed one is refused under `articles`
                self.problem(f"cites {name!r}, a path: articles are read only from the sources/ folder beside the "
                             "facts file; give the article's file name alone", (*loc, "article"), "article")
            return
        if self.listed and name not in self.listed:
            self.problem(f"cites {name!r}, which is not listed under `articles`", loc, "article")
            return
        if citation.dateline:
            self.check_dateline(name, loc, kind, date)
        if self.article_dir is None:
            return
        if name not in self.texts:
            self.texts[name] = _read_article(self.article_dir / name)
        article = self.texts[name]
        if article is None:
            self.problem(f"article {name!r} is not in {self.article_dir}: add the article's text there",
                         (*loc, "article"), "article")
        elif isinstance(article, InputError):
            if name not in self.unreadable:  # once, however often it is cited
                self.unreadable.add(name)
                self.found.add_error(article)
        elif citation.sentence is not None and (wrong := article.quote_problem(citation.sentence, name)) is not None:
            self.problem(wrong, (*loc, "sentence"), "sentence")

    def check_dateline(self, name: str, loc: Loc, kind: str, date: tuple[str, str] | None) -> None:
        """Check that an article's own date (its ``as_of``) is the date the fact gives."""
        if self.listed is None:
            return  # `articles` is invalid, and said so
        at, article = (*loc, "dateline"), self.listed.get(name)
        if date is None:
            self.problem(f"a {kind} fact has no date for an article's date line to prove: cite a sentence instead",
                         at, "dateline")
        elif article is None:
            self.problem(f"list {name!r} under `articles` with its `as_of`: a date line proves the article's date",
                         at, "dateline")
        elif article.as_of is None:
            self.problem(f"{name!r} has no `as_of` under `articles`: give the article's date there, or cite a "
                         "sentence instead", at, "dateline")
        elif article.as_of.iso() != date[1]:
            self.problem(f"{name!r} is dated {article.as_of.iso()} (its `as_of` under `articles`), not {date[1]} as "
                         f"{date[0]}: make them the same, or cite a sentence instead", at, "dateline")


def _read_article(file: Path) -> ArticleText | InputError | None:
    """The article's text; None when there is no such file; the problem when it cannot be read as text."""
    if not file.is_file():
        return None
    if not file.resolve().is_relative_to(file.parent.resolve()):  # a link out of sources/ is not read
        return FactFileError("is a link to a file outside the sources/ folder: put the article's text there",
                             path=str(file))
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


def _check_head(data: dict, lines: dict[Loc, int], found: ProblemList) -> tuple[Article, ...] | None:
    """Check all of a facts file but its facts; return its articles, or None when they are invalid."""
    try:
        ShowFacts.model_validate({key: value for key, value in data.items() if key != "facts"})
    except ValidationError as exc:
        errors = [err for err in exc.errors(include_url=False) if tuple(err["loc"]) != ("facts",)]  # one by one below
        add_validation_problems(found, errors, data, lines)
        if any(err["loc"][:1] == ("articles",) for err in errors):
            return None
    articles = _ARTICLES.validate_python(data.get("articles", ()))
    for k, article in enumerate(articles):
        if not _is_file_name(article.file):
            found.add(f"{article.file!r} is a path: articles are read only from the sources/ folder beside the "
                      "facts file; give the article's file name alone", _line_for(lines, ("articles", k, "file")),
                      f"articles[{k}].file")
    return articles


def load_facts_checked(path: str | Path) -> tuple[LoadedFacts | None, list[InputError]]:
    """Read a facts file, returning the model (when valid) and every problem found (the first few, and a count)."""
    name = str(path)
    try:
        text = read_text(path, FactFileError)
        data, lines = parse_yaml(text, name)
    except InputError as exc:
        return None, [exc]
    if not isinstance(data, dict):
        return None, [FactFileError("expected a mapping with `format`, `show`, `articles` and `facts`",
                                    path=name, line=1)]
    found = ProblemList(name, FactFileError)
    items = data.get("facts")
    if not isinstance(items, list) or not items:
        try:  # no facts to check one by one: the whole file is checked, and says why
            ShowFacts.model_validate(data)
        except ValidationError as exc:
            add_validation_problems(found, exc.errors(include_url=False), data, lines)
        return None, found.result()
    # Each fact is checked on its own, so a broken one does not hide the quotes of the others.
    articles = _check_head(data, lines, found)
    article_dir = Path(path).parent / "sources"
    checker = _FactChecker(articles, article_dir if article_dir.is_dir() else None, lines, found)
    facts = []
    for i, item in enumerate(items):
        try:
            fact = _FACT.validate_python(item)
        except ValidationError as exc:
            add_validation_problems(found, exc.errors(include_url=False), data, lines, ("facts", i))
            continue
        facts.append(fact)
        checker.check(i, fact)
    if found:
        return None, found.result()
    show = ShowFacts.model_validate({**data, "facts": facts})
    return LoadedFacts(name, show, lines, _conflicts(show, lines, name)), []


def load_facts(path: str | Path) -> LoadedFacts:
    """Read and check a facts file; raise the first problem as a :class:`FactFileError`."""
    loaded, problems = load_facts_checked(path)
    if problems:
        raise problems[0]
    assert loaded is not None
    return loaded
