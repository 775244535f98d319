"""Where a question is born: one template per fact kind and direction, in plain English.

Each template turns one fact into a :class:`Plan`: the stem, the right answer, the
explanation with its source, and what a distractor must be (its value type, the
values that would also be true, the curated wrong answers). The distractors
themselves are picked later, in ``_distractors.py``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from hashlib import blake2b

from ._facts import (CastFact, ChartRunFact, CountFact, DateFact, PartialDate, PersonFact, PlaceFact,
                     ScoreFact, Show, ShowFacts, StatusFact, WorkFact)
from ._normalize import fact_key, field_values, fold, option_key, padded_words
from ._pack import TIME_LIMITS, Source

CATEGORY = {"cast": "Cast", "date": "Dates", "score": "Reviews", "person": "People", "work": "Books",
            "place": "Places", "count": "Numbers", "chart_run": "Charts", "status": "Renewals"}

STATUS_LABELS = {"renewal_pending": "No decision yet", "renewed": "Renewed", "cancelled": "Cancelled",
                 "ended": "Ended as planned"}


@dataclass(init=False)
class Plan:
    """Everything about a question except its distractors."""

    # No ``__init__``: ``plans_for_show``, the one maker of plans, fills one field by field (compiled,
    # ``_templates.pxd`` makes Plan an extension type and each field a C store, cheaper than a call
    # with 19 arguments). Slots by hand, not ``slots=True`` (which Cython's dataclass refuses): the
    # slots are only the plain source's.

    __slots__ = ("id", "show", "show_index", "kind", "template", "stem", "stem_probe", "answer", "answer_key",
                 "vtype", "number", "exclude", "curated", "explanation", "sources", "category", "tags", "as_of",
                 "stem_folded")

    id: str
    show: str
    show_index: int
    kind: str
    template: str
    stem: str
    stem_probe: str           # a quick pre-test for has_words(key): `probe(key) in stem_probe` (see probe)
    answer: str
    answer_key: str
    vtype: str                # the value type distractors are drawn from ("actor", "date:day", ...)
    number: float | None      # the answer as a number (dates: in units of their precision)
    exclude: frozenset[str]   # keys of other values that are also true for the stem
    curated: tuple[tuple[str, str, None, str], ...]  # the fact's own extra wrong answers, as candidates
    explanation: str
    sources: tuple[Source, ...]
    category: str
    tags: tuple[str, ...]
    as_of: str | None
    stem_folded: str | None   # padded_words(stem), made on first need (most plans never need it)

    def has_words(self, key: str) -> bool:
        """Whether an option key appears in the stem as whole words ("the answer is in the question")."""
        folded = self.stem_folded
        if folded is None:
            folded = self.stem_folded = padded_words(self.stem)
        return f" {key} " in folded


def stem_probe(stem: str) -> str:
    """Text in which every whole word of the folded stem is a substring (see :func:`probe`).

    An ASCII stem lower-cased is such a text (folding only turns its other characters into
    spaces), and costs a tenth of folding it; any other stem is folded.
    """
    return stem.lower() if stem.isascii() else padded_words(stem)


def probe(key: str) -> str:
    """The first word of an option key: if it is not in the stem's probe, the key is not in the stem."""
    space = key.find(" ")
    return key if space < 0 else key[:space]


def question_id(show: str, kind: str, key: str, template: str) -> str:
    """A stable id: the same fact and template give the same id in every run."""
    digest = _copy(_ID_HASH)  # cheaper than a new blake2b: its parameters are parsed once
    _update(digest, f"{show}|{kind}|{key}|{template}".encode())
    return _hexdigest(digest)


_ID_HASH = blake2b(digest_size=8)
# the methods themselves, called with the hash as their first argument: no method look-up per id
_copy, _update, _hexdigest = blake2b.copy, blake2b.update, blake2b.hexdigest


def format_date(d: PartialDate) -> str:
    """A date in words at its own precision: 'December 14, 2020', 'November 2021', '2019'."""
    if d.precision == "year":
        return str(d.year)
    if d.precision == "month":
        return f"{MONTHS[d.month]} {d.year}"
    return f"{MONTHS[d.month]} {d.day}, {d.year}"


# English month names, 1-12: not the C library's (calendar.month_name asks strftime on every use,
# and follows the locale, which a byte-identical pack must not)
MONTHS = ("", "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")


def date_units(d: PartialDate) -> int:
    """The date as a whole number of its own precision's units (days, months or years)."""
    if d.precision == "year":
        return d.year
    if d.precision == "month":
        return d.year * 12 + d.month - 1
    return d.as_date().toordinal()


def format_score(value: float, scale: int) -> str:
    """A score as people write it: '53%' or '7.4/10'."""
    return f"{value:g}%" if scale == 100 else f"{value:.1f}/{scale}"


def time_limit_for(stem: str, options: tuple[str, ...]) -> int:
    """Seconds to read the question and options at a relaxed pace, rounded up to a Kahoot-allowed limit."""
    a, b, c, d = options
    chars = len(stem) + len(a) + len(b) + len(c) + len(d)
    i = 0
    while i < _LAST_LIMIT and _LIMIT_CHARS[i] < chars:  # a short walk: most questions stop at the third
        i += 1
    return TIME_LIMITS[i]


# The first limit L with L >= 8 + chars / 12 is the first with 12 * (L - 8) >= chars: whole numbers
# compare faster than a float with whole numbers, and give the same limit (the longest allowed when
# none is long enough).
_LIMIT_CHARS = tuple(12 * (limit - 8) for limit in TIME_LIMITS)
_LAST_LIMIT = len(TIME_LIMITS) - 1


def _cite(citations) -> tuple[Source, ...]:
    """A fact's citations (pydantic models) as the pack's Sources."""
    sources = []
    for citation in citations:
        values = field_values(citation)
        sources.append(_source(values["article"], values["sentence"]))
    return tuple(sources)


@lru_cache(maxsize=1 << 12)
def _source(article: str, sentence: str) -> Source:
    # one Source per sentence cited: a sentence usually backs several facts
    return Source(article, sentence)


def _citation(sources: tuple[Source, ...]) -> str:
    """What an explanation ends with: its first source, article and sentence."""
    first = sources[0]
    return f" Source: {first.article}, “{first.sentence}”"


def _season(season: int | None) -> str:
    return f"season {season} of " if season else ""


class _ShowContext:
    """Per-show lookups templates need: who else plays a character, the co-authors of a work."""

    def __init__(self, show_facts: ShowFacts) -> None:
        self.show: Show = show_facts.show
        self.title: str = self.show.title
        # who plays a character, and whom an actor plays, kept only where there is more than one
        # answer: the usual one-to-one pair needs no set (its exclude is empty)
        actor_of: dict[str, str] = {}
        character_of: dict[str, str] = {}
        actors_of: dict[str, set[str]] = {}
        characters_of: dict[str, set[str]] = {}
        self.people: dict[tuple[str, str | None], list[str]] = defaultdict(list)
        self.media: dict[str, str] = {}
        self.by_role: dict[tuple[str, str], set[str]] = defaultdict(set)
        for fact in show_facts.facts:
            v = field_values(fact)
            kind = v["kind"]  # not isinstance: pydantic's metaclass makes that a Python-level call
            if kind == "cast":
                character, actor = option_key(v["character"]), option_key(v["actor"])
                _pair(actor_of, actors_of, character, actor)
                _pair(character_of, characters_of, actor, character)
            elif kind == "person":
                self.people[(v["role"], v["work"] and fold(v["work"]))].append(v["name"])
            elif kind == "work":
                self.media[fold(v["title"])] = v["medium"]
            elif kind == "place":
                self.by_role[("place", v["role"])].add(option_key(v["name"]))
        # frozen once here, not once per question
        self.actors_of = {k: frozenset(v) for k, v in actors_of.items()}  # character key -> actor keys, when 2+
        self.characters_of = {k: frozenset(v) for k, v in characters_of.items()}  # actor key -> character keys


def _pair(first: dict[str, str], many: dict[str, set[str]], key: str, value: str) -> None:
    """Record that ``key`` has ``value``: in ``first`` the first value, in ``many`` all of them once there are two."""
    seen = first.setdefault(key, value)
    if seen != value:
        many.setdefault(key, {seen}).add(value)


_NO_ONE_ELSE: frozenset[str] = frozenset()  # the exclude of a one-to-one cast pair


Draft = tuple[str, str, str, str, float | None, frozenset[str], tuple[str, ...], str, str | None]
# (template, stem, answer, vtype, number, exclude, curated, statement, as_of)


def _cast(f: CastFact, ctx: _ShowContext) -> tuple[Draft, Draft]:
    # a tuple, not a generator like the other templates: most questions are cast questions
    v = field_values(f)
    t, actor, character, wrong = ctx.title, v["actor"], v["character"], v["wrong_answers"]
    sentence = f"{actor} plays {character} in {t}."
    # other actors of the character and other characters of the actor: most shows have none at all
    actors = ctx.actors_of.get(option_key(character), _NO_ONE_ELSE) if ctx.actors_of else _NO_ONE_ELSE
    characters = ctx.characters_of.get(option_key(actor), _NO_ONE_ELSE) if ctx.characters_of else _NO_ONE_ELSE
    return (("who-plays", f"Who plays {character} in {t}?", actor, "actor", None, actors,
             wrong.get("actor", ()) if wrong else (), sentence, None),
            ("plays-whom", f"Which character does {actor} play in {t}?", character, "character", None, characters,
             wrong.get("character", ()) if wrong else (), sentence, None))


_DATE_EVENTS: dict[str, tuple[str, str]] = {
    # role: (question clause, statement clause) — {t} title, {n} " on Network", {s} "season N of "
    "premiere": ("did {s}{t} premiere{n}", "{S}{t} premiered{n}"),
    "production_start": ("did production of {s}{t} begin", "Production of {s}{t} began"),
    "production_end": ("did production of {s}{t} end", "Production of {s}{t} ended"),
    "filming_start": ("did filming of {s}{t} begin", "Filming of {s}{t} began"),
    "filming_end": ("did filming of {s}{t} end", "Filming of {s}{t} ended"),
    "cancellation": ("was {s}{t} cancelled", "{S}{t} was cancelled"),
    "renewal": ("was {t} renewed{for_s}", "{t} was renewed{for_s}"),
    "finale": ("did the final episode of {s}{t} air", "The final episode of {s}{t} aired"),
    "announcement": ("was {s}{t} first announced", "{S}{t} was first announced"),
}
_DATE_ASK = {"day": "On what date", "month": "In which month and year", "year": "In which year"}
_DATE_TELL = {"day": "on", "month": "in", "year": "in"}


def _date(f: DateFact, ctx: _ShowContext) -> Iterator[Draft]:
    ask, tell = _DATE_EVENTS[f.role]
    season = _season(f.season)
    parts = {"t": ctx.title, "n": f" on {ctx.show.network}" if ctx.show.network else "", "s": season,
             "S": season.capitalize(), "for_s": f" for season {f.season}" if f.season else ""}
    shown = format_date(f.date)
    stem = f"{_DATE_ASK[f.date.precision]} {ask.format(**parts)}?"
    statement = f"{tell.format(**parts)} {_DATE_TELL[f.date.precision]} {shown}."
    yield ("when", stem, shown, f"date:{f.date.precision}", float(date_units(f.date)), frozenset(),
           tuple(f.wrong_answers.get("date", ())), statement, None)


def _score(f: ScoreFact, ctx: _ShowContext) -> Iterator[Draft]:
    when = format_date(f.as_of)
    metric = "critics score" if f.metric == "critics" else "audience score"
    shown = format_score(f.value, f.scale)
    stem = f"As of {when}, what was the {f.source} {metric} of {ctx.title}?"
    statement = f"As of {when}, the {f.source} {metric} of {ctx.title} was {shown}."
    yield ("value", stem, shown, f"score:{f.scale}", f.value, frozenset(), (), statement, f.as_of.iso())


_PERSON_ASK = {"creator": "Who created {t}?", "showrunner": "Who was the showrunner of {t}?",
               "director": "Who directed {t}?", "composer": "Who composed the music for {t}?"}
_PERSON_TELL = {"creator": "{name} created {t}.", "showrunner": "{name} was the showrunner of {t}.",
                "director": "{name} directed {t}.", "composer": "{name} composed the music for {t}."}


def _person(f: PersonFact, ctx: _ShowContext) -> Iterator[Draft]:
    same_role = ctx.people[(f.role, f.work and fold(f.work))]
    exclude = frozenset(option_key(n) for n in same_role)
    wrong = f.wrong_answers.get("name", ())
    if f.role == "author":
        medium = ctx.media.get(fold(f.work), "book")
        others = [n for n in same_role if option_key(n) != option_key(f.name)]
        if others:
            stem = f"Who co-wrote the {medium} {f.work} with {' and '.join(others)}?"
            statement = f"{f.name} co-wrote the {medium} {f.work} with {' and '.join(others)}."
        else:
            stem = f"Who wrote the {medium} {f.work}?"
            statement = f"{f.name} wrote the {medium} {f.work}."
        yield ("author", stem, f.name, "person", None, exclude, wrong, statement, None)
        return
    parts = {"t": ctx.title, "name": f.name}
    yield (f.role, _PERSON_ASK[f.role].format(**parts), f.name, "person", None, exclude, wrong,
           _PERSON_TELL[f.role].format(**parts), None)


_WORK_PHRASE = {"sequel": "sequel to", "prequel": "prequel to", "spin_off": "spin-off of"}


def _work(f: WorkFact, ctx: _ShowContext) -> Iterator[Draft]:
    wrong = f.wrong_answers.get("title", ())
    if f.relation == "source_novel":
        yield ("source", f"{ctx.title} is based on which {f.medium}?", f.title, "title", None, frozenset(), wrong,
               f"{ctx.title} is based on the {f.medium} {f.title}.", None)
        return
    phrase = _WORK_PHRASE[f.relation]
    if f.of:
        base = f"{phrase} the {ctx.media.get(fold(f.of), f.medium)} {f.of}"
    else:  # a spin-off with no `of` is the show's own
        base = f"{phrase} {ctx.title}"
    yield (f.relation, f"What is the title of the {base}?", f.title, "title", None, frozenset(), wrong,
           f"The {base} is {f.title}.", None)


def _place(f: PlaceFact, ctx: _ShowContext) -> Iterator[Draft]:
    t, wrong = ctx.title, f.wrong_answers.get("name", ())
    exclude = frozenset(ctx.by_role[("place", f.role)])
    if f.role == "setting_city":
        yield ("setting", f"In which city is {t} set?", f.name, "city", None, exclude, wrong,
               f"{t} is set in {f.name}.", None)
    elif f.role == "filming_location":
        where = f"{f.name}, {f.region}" if f.region else f.name
        yield ("filmed", f"In which city was {_season(f.season)}{t} filmed?", f.name, "city", None, exclude,
               wrong, f"{_season(f.season).capitalize()}{t} was filmed in {where}.", None)
    else:
        what = f.description or "school"
        yield ("school", f"What is the name of the {what} in {t}?", f.name, "school", None, exclude, wrong,
               f"The {what} in {t} is the {f.name}.", None)


_COUNT_ASK = {"episodes": "How many episodes does {s}{t} have?", "seasons": "How many seasons does {t} have?"}
_COUNT_TELL = {"episodes": "{S}{t} has {v} episodes.", "seasons": "{t} has {v} seasons."}


def _count(f: CountFact, ctx: _ShowContext) -> Iterator[Draft]:
    s = _season(f.season)
    parts = {"s": s, "S": s.capitalize(), "t": ctx.title, "v": f.value}
    yield (f.what, _COUNT_ASK[f.what].format(**parts), str(f.value), "count", float(f.value), frozenset(), (),
           _COUNT_TELL[f.what].format(**parts), None)


def _ordinal_position(position: int) -> str:
    return "number one" if position == 1 else f"number {position}"


def _chart(f: ChartRunFact, ctx: _ShowContext) -> Iterator[Draft]:
    t, at = ctx.title, _ordinal_position(f.position)
    yield ("days", f"For how many days was {t} {at} on the {f.chart}?", str(f.days), "count", float(f.days),
           frozenset(), (), f"{t} spent {f.days} days at {at} on the {f.chart}.", None)
    if f.preceded_by:
        yield ("replaced", f"Which series did {t} replace at {at} on the {f.chart}?", f.preceded_by, "series",
               None, frozenset(), f.wrong_answers.get("preceded_by", ()),
               f"{t} replaced {f.preceded_by} at {at} on the {f.chart}.", None)
    if f.succeeded_by:
        yield ("replaced-by", f"Which series took the {at} spot on the {f.chart} from {t}?", f.succeeded_by,
               "series", None, frozenset(), f.wrong_answers.get("succeeded_by", ()),
               f"{f.succeeded_by} took the {at} spot on the {f.chart} from {t}.", None)


def _status(f: StatusFact, ctx: _ShowContext) -> Iterator[Draft]:
    t, when = ctx.title, format_date(f.as_of)
    label = STATUS_LABELS[f.status]
    yield ("status", f"As of {when}, what was the renewal status of {t}?", label, "status", None, frozenset(), (),
           f"As of {when}, the renewal status of {t} was: {label.lower()}.", f.as_of.iso())
    if f.how_known and f.status == "cancelled":
        yield ("how-known", f"How did the news that {t} had been cancelled become public?", f.how_known,
               "how_known", None, frozenset(), f.wrong_answers.get("how_known", ()),
               f"The cancellation of {t} became public this way: {f.how_known[0].lower()}{f.how_known[1:]}"
               f"{'' if f.how_known.endswith('.') else '.'}",
               f.as_of.iso())


TEMPLATES: dict[str, Callable[..., Iterable[Draft]]] = {
    "cast": _cast, "date": _date, "score": _score, "person": _person, "work": _work, "place": _place,
    "count": _count, "chart_run": _chart, "status": _status,
}
TEMPLATE_NAMES: dict[str, tuple[str, ...]] = {
    "cast": ("who-plays", "plays-whom"), "date": ("when",), "score": ("value",),
    "person": ("creator", "showrunner", "director", "composer", "author"),
    "work": ("source", "sequel", "prequel", "spin_off"), "place": ("setting", "filmed", "school"),
    "count": ("episodes", "seasons"), "chart_run": ("days", "replaced", "replaced-by"),
    "status": ("status", "how-known"),
}


def plans_for_show(show_facts: ShowFacts, show_index: int, kinds: frozenset[str] | None = None) -> list[Plan]:
    """Every question plan a show's facts allow, in file order; disputed facts and give-away stems are left out."""
    ctx = _ShowContext(show_facts)
    show_id = show_facts.show.id
    plans: list[Plan] = []
    for fact in show_facts.facts:
        v = field_values(fact)
        kind = v["kind"]
        if v["disputed"] or (kinds is not None and kind not in kinds):
            continue
        sources = _cite(v["sources"])
        cite = _citation(sources)
        key_text = fact_key(fact)  # fact.key(), called as the C function it is when compiled
        category = CATEGORY[kind]
        for template, stem, answer, vtype, number, exclude, curated, statement, as_of in TEMPLATES[kind](fact, ctx):
            key = option_key(answer)
            probe_text = stem_probe(stem)
            plan = Plan.__new__(Plan)  # no __init__: compiled, each field is a C store, cheaper than a 19-argument call
            plan.stem = stem
            plan.stem_probe = probe_text
            plan.stem_folded = None
            if probe(key) in probe_text and plan.has_words(key):  # the stem would give the answer away
                continue
            plan.id = question_id(show_id, kind, key_text, template)
            plan.show = show_id
            plan.show_index = show_index
            plan.kind = kind
            plan.template = template
            plan.answer = answer
            plan.answer_key = key
            plan.vtype = vtype
            plan.number = number
            plan.exclude = exclude - {key} if key in exclude else exclude
            plan.curated = tuple([candidate(c) for c in curated]) if curated else ()
            plan.explanation = statement + cite
            plan.sources = sources
            plan.category = category
            plan.tags = (show_id, kind, template)
            plan.as_of = as_of
            plans.append(plan)
    return plans


def candidate(text: str, number: float | None = None) -> tuple[str, str, float | None, str]:
    """An option as the distractor code handles it: (text, key, number, probe of the key)."""
    key = option_key(text)
    return (text, key, number, probe(key))
