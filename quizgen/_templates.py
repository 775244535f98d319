"""Where a question is born: one template per fact kind and direction, in plain English.

Each template turns one fact into a :class:`Draft` (stem, answer, a sentence stating the answer,
and what its wrong options must be); :func:`plans_for_show` turns a show's drafts into
:class:`Plan`\\ s, one per distinct stem, with sources that prove the answer and the facts each
question rests on or gives away. Wrong options are picked later, in ``_distractors.py``.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from hashlib import blake2b
from typing import NamedTuple

from ._facts import (MEDIA, CastFact, ChartRunFact, CountFact, DateFact, PartialDate, PersonFact, PlaceFact,
                     ScoreFact, ShowFacts, StatusFact, WorkFact)
from ._normalize import fold, option_key
from ._pack import TIME_LIMITS, Source
from ._reference import gender_of

CATEGORY = {"cast": "Cast", "date": "Dates", "score": "Reviews", "person": "People", "work": "Source works",
            "place": "Places", "count": "Numbers", "chart_run": "Charts", "status": "Renewals"}

STATUS_LABELS = {"renewal_pending": "No decision yet", "renewed": "Renewed", "cancelled": "Cancelled",
                 "ended": "Ended as planned"}

MONTHS = ("", "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")  # English names, not the locale's: a pack must not depend on the machine


class Candidate(NamedTuple):
    """An option: its text, the key two options are compared by, its number (dates, counts, scores) and gender."""

    text: str
    key: str
    number: float | None = None
    gender: str | None = None


def candidate(text: str, number: float | None = None, gender: str | None = None) -> Candidate:
    return Candidate(text, option_key(text), number, gender)


def stated_genders(show_facts: ShowFacts) -> dict[str, str]:
    """The gender the facts file gives each person or character, by option key (the first one given counts)."""
    genders: dict[str, str] = {}
    for fact in show_facts.facts:
        if fact.kind == "cast" and fact.gender:
            for name in (fact.actor, fact.character):
                if name:
                    genders.setdefault(option_key(name), fact.gender)
        elif fact.kind == "person" and fact.gender:
            genders.setdefault(option_key(fact.name), fact.gender)
    return genders


@dataclass(frozen=True, slots=True)
class Numbers:
    """How the options of a date, count or score question are written, and how far apart they must be."""

    unit: str                       # "date:day", "date:month", "date:year", "count" or "score"
    low: float | None = None        # the smallest value an option may take (a timeline, a scale)
    high: float | None = None
    gap: float = 1.0                # options at least this far from each other and from `keep_away`
    keep_away: tuple[float, ...] = ()  # values true at another date (a score that drifted)
    scale: float = 100.0
    decimals: int = 0
    percent: bool = False

    def text(self, value: float) -> str:
        """A value written as the answer is."""
        if self.unit == "date:day":
            d = date.fromordinal(int(value))
            return f"{MONTHS[d.month]} {d.day}, {d.year}"
        if self.unit == "date:month":
            year, month0 = divmod(int(value), 12)
            return f"{MONTHS[month0 + 1]} {year}"
        if self.unit == "date:year":
            return str(int(value))
        if self.unit == "score":
            shown = f"{value:.{self.decimals}f}"
            return f"{shown}%" if self.percent else f"{shown}/{self.scale:g}"
        return str(int(value))


class Draft(NamedTuple):
    """A question as a template words it, before its show's other questions are known."""

    template: str
    stem: str
    answer: str
    vtype: str                       # which values its wrong options are drawn from ("actor", "city", ...)
    statement: str                   # one short sentence naming the answer
    which: str | None = None         # the "Which of these ..." stem, for a fact that shares its stem
    number: float | None = None
    numbers: Numbers | None = None
    gender: str | None = None
    exclude: frozenset[str] = frozenset()  # keys of other values also true for the stem, or other spellings
    curated: tuple[str, ...] = ()
    as_of: str | None = None
    marks: tuple[str, ...] = ()      # texts that, found in a cited sentence, show the answer
    when: PartialDate | None = None  # a date answer, found in a cited sentence however it is written


@dataclass(slots=True)
class Plan:
    """Everything about a question except its wrong options (not frozen: a run makes one per question,
    and a frozen class's ``__init__`` pays a call for every field)."""

    id: str
    show: str
    show_index: int
    fact_index: int
    fact: str                  # the fact's key
    kind: str
    template: str
    stem: str
    answer: Candidate
    vtype: str
    explanation: str
    sources: tuple[Source, ...]
    category: str
    numbers: Numbers | None = None
    exclude: frozenset[str] = frozenset()
    curated: tuple[Candidate, ...] = ()
    as_of: str | None = None
    facts: tuple[str, ...] = ()
    names_show: bool = True   # the stem names its show, so no other show's question has the same stem
    stem_words: str = field(default="", compare=False)  # the folded stem padded with spaces, for whole-word tests


@dataclass(frozen=True, slots=True)
class LeftOut:
    """A fact (or one of its questions) that gave no question, and why."""

    show: str
    show_index: int
    fact_index: int
    fact: str
    template: str | None
    reason: str


def question_id(show: str, kind: str, key: str, template: str) -> str:
    """A stable id: the same fact and template give the same id in every run."""
    return blake2b(f"{show}|{kind}|{key}|{template}".encode(), digest_size=8).hexdigest()


def format_date(d: PartialDate) -> str:
    """A date in words at its own precision: 'December 14, 2020', 'November 2021', '2019'."""
    if d.precision == "year":
        return str(d.year)
    if d.precision == "month":
        return f"{MONTHS[d.month]} {d.year}"
    return f"{MONTHS[d.month]} {d.day}, {d.year}"


def date_units(d: PartialDate) -> int:
    """The date as a whole number of its own precision's units (days, months or years)."""
    if d.precision == "year":
        return d.year
    if d.precision == "month":
        return d.year * 12 + d.month - 1
    return d.as_date().toordinal()


def _units_of(day: date, precision: str) -> int:
    """A day as a whole number of ``precision``'s units, as :func:`date_units` counts them."""
    if precision == "year":
        return day.year
    if precision == "month":
        return day.year * 12 + day.month - 1
    return day.toordinal()


def time_limit_for(stem: str, options: tuple[str, ...]) -> int:
    """Seconds to read the question and options at 12 characters a second plus 8, rounded up to a Kahoot limit."""
    needed = 8 + (len(stem) + sum(map(len, options))) / 12
    for limit in TIME_LIMITS:
        if limit >= needed:
            return limit
    return TIME_LIMITS[-1]


def plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


# ------------------------------------------------------------------------------------------ templates


class ShowContext:
    """What templates and wrong options need to know about the whole show: each person's and
    character's gender, who else plays a role, its timeline. Made once a show.

    (Facts are told apart by their ``kind``: ``isinstance`` on pydantic models runs its
    metaclass's check in Python, which a corpus of a million facts feels.)
    """

    def __init__(self, show_facts: ShowFacts) -> None:
        self.show = show_facts.show
        stated = stated_genders(show_facts)
        # a name's gender: as the facts file gives it for the same name anywhere in the show, else by its first name
        self.gender: dict[str, str | None] = {}
        for fact in show_facts.facts:
            for name in ((fact.actor, fact.character) if fact.kind == "cast" else
                         (fact.name,) if fact.kind == "person" else ()):
                if name and name not in self.gender:
                    self.gender[name] = stated.get(option_key(name)) or gender_of(name)
        self.title = self.show.title
        self.actors_of: dict[str, set[str]] = defaultdict(set)      # character key -> actor keys (with spellings)
        self.characters_of: dict[str, set[str]] = defaultdict(set)  # actor key -> character keys
        self.people: dict[tuple[str, str | None], list[PersonFact]] = defaultdict(list)
        self.media: dict[str, str] = {}
        self.places: dict[tuple[str, int | None], set[str]] = defaultdict(set)
        self.dates: dict[tuple[str, int | None], date] = {}  # (role, season) -> the earliest known day
        self.scores: dict[tuple[str, str], list[float]] = defaultdict(list)
        for fact in show_facts.facts:
            if fact.kind == "cast" and fact.character:
                actors = {option_key(a) for a in (fact.actor, *fact.actor_aliases)}
                characters = {option_key(c) for c in (fact.character, *fact.character_aliases)}
                for c in characters:
                    self.actors_of[c] |= actors
                for a in actors:
                    self.characters_of[a] |= characters
            elif fact.kind == "person":
                self.people[(fact.role, fact.work and fold(fact.work))].append(fact)
            elif fact.kind == "work":
                self.media[fold(fact.title)] = MEDIA[fact.medium]
            elif fact.kind == "place":
                self.places[(fact.role, fact.season)].add(option_key(fact.name))
            elif fact.kind == "date" and not fact.disputed:
                day = fact.date.as_date()
                self.dates[(fact.role, fact.season)] = min(day, self.dates.get((fact.role, fact.season), day))
            elif fact.kind == "score":
                self.scores[(option_key(fact.source), fact.metric)].append(fact.value)


def _cast(f: CastFact, ctx: ShowContext) -> Iterator[Draft]:
    if not f.character:
        return  # a cast member whose character is not known gives no question (but is a wrong option elsewhere)
    t, wrong = ctx.title, f.wrong_answers
    gender = ctx.gender[f.actor]
    statement = f"{f.actor} plays {f.character} in {t}."
    actors = ctx.actors_of[option_key(f.character)]
    characters = ctx.characters_of[option_key(f.actor)]
    yield Draft("who-plays", f"Who plays {f.character} in {t}?", f.actor, "actor", statement,
                which=f"Which of these actors plays {f.character} in {t}?", gender=gender,
                exclude=frozenset(actors), curated=wrong.get("actor", ()), marks=(f.actor, *f.actor_aliases))
    yield Draft("plays-whom", f"Which character does {f.actor} play in {t}?", f.character, "character", statement,
                which=f"Which of these characters does {f.actor} play in {t}?", gender=ctx.gender[f.character],
                exclude=frozenset(characters), curated=wrong.get("character", ()),
                marks=(f.character, *f.character_aliases, f.character.split()[0]))


_DATE_EVENTS: dict[str, tuple[str, str]] = {
    # role: (question clause, statement clause): {t} title, {n} " on Network", {s} "season N of "
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
# Where an event stands against the premiere: options for one that comes before it (making the
# show) are all before it, and options for one that comes after it (its end) are all after it.
_BEFORE_PREMIERE = {"production_start", "production_end", "filming_start", "filming_end", "announcement"}
_AFTER_PREMIERE = {"cancellation", "renewal", "finale"}
_STARTS = {"production_end": "production_start", "filming_end": "filming_start"}
_ENDS = {start: end for end, start in _STARTS.items()}


def _date(f: DateFact, ctx: ShowContext) -> Iterator[Draft]:
    ask, tell = _DATE_EVENTS[f.role]
    season = f"season {f.season} of " if f.season else ""
    parts = {"t": ctx.title, "n": f" on {ctx.show.network}" if ctx.show.network else "", "s": season,
             "S": season.capitalize(), "for_s": f" for season {f.season}" if f.season else ""}
    precision = f.date.precision
    shown = format_date(f.date)
    low, high = _timeline(f, ctx)
    answer = date_units(f.date)
    low = _units_of(low, precision) + 1 if low and _units_of(low, precision) < answer else None
    high = _units_of(high, precision) - 1 if high and _units_of(high, precision) > answer else None
    numbers = Numbers(f"date:{precision}", low=low, high=high)
    yield Draft("when", f"{_DATE_ASK[precision]} {ask.format(**parts)}?", shown, numbers.unit,
                f"{tell.format(**parts)} {_DATE_TELL[precision]} {shown}.", number=float(date_units(f.date)),
                numbers=numbers, curated=f.wrong_answers.get("date", ()), when=f.date)


def _timeline(f: DateFact, ctx: ShowContext) -> tuple[date | None, date | None]:
    """The days an event of the show must come after and before: its premiere, its start, its making."""
    def known(role: str, season: int | None) -> date | None:  # that season's, else the show's (its earliest)
        if season is not None:
            return ctx.dates.get((role, season)) or ctx.dates.get((role, None))
        return ctx.dates.get((role, None)) or min((day for (r, _), day in ctx.dates.items() if r == role), default=None)

    first_premiere = known("premiere", None)
    after = before = None
    if f.role in _BEFORE_PREMIERE:
        before = known("premiere", f.season)
    elif f.role == "finale":
        after = known("premiere", f.season)
    elif f.role == "renewal" and f.season:  # renewed for season N: after N-1 aired, before N airs
        after = ctx.dates.get(("premiere", f.season - 1)) or first_premiere
        before = ctx.dates.get(("premiere", f.season))
    elif f.role in _AFTER_PREMIERE:
        after = first_premiere
    if f.role in _STARTS:
        after = known(_STARTS[f.role], f.season)
    end = known(_ENDS[f.role], f.season) if f.role in _ENDS else None
    # a start comes before its end, where the two differ at the start's precision
    if end and _units_of(end, f.date.precision) > date_units(f.date):
        before = min(end, before) if before else end
    if f.role == "premiere":  # a season airs after it is made, and after the season before it
        made = [day for role in ("production_start", "production_end", "filming_start", "filming_end")
                if (day := known(role, f.season))]
        if f.season and f.season > 1 and (earlier := ctx.dates.get(("premiere", f.season - 1))):
            made.append(earlier)
        after = max(made, default=None)
        before = ctx.dates.get(("premiere", (f.season or 1) + 1))
    return after, before


def _score(f: ScoreFact, ctx: ShowContext) -> Iterator[Draft]:
    when = format_date(f.as_of)
    decimals = 0 if f.value == int(f.value) and f.scale >= 20 else max(1, len(f"{f.value:g}".partition(".")[2]))
    others = tuple(v for v in ctx.scores[(option_key(f.source), f.metric)] if v != f.value)
    # far enough apart that a score read on another day (they drift) cannot make two options right
    step = 10 ** -decimals
    gap = math.ceil(round(f.scale * 0.03 / step, 6)) * step  # 3 % of the scale, up to the answer's decimals
    numbers = Numbers("score", low=0.0, high=f.scale, gap=gap, keep_away=others, scale=f.scale,
                      decimals=decimals, percent=f.is_percent())
    shown = numbers.text(f.value)
    label = f.label()
    yield Draft("value", f"As of {when}, what was the {label} of {ctx.title}?", shown, "score",
                f"As of {when}, the {label} of {ctx.title} was {shown}.", number=f.value, numbers=numbers,
                as_of=f.as_of.iso(), marks=(shown, f"{f.value:g}"))


_PERSON_ASK = {"creator": "Who created {t}?", "showrunner": "Who was the showrunner of {t}?",
               "director": "Who directed {t}?", "composer": "Who composed the music for {t}?"}
_PERSON_WHICH = {"creator": "Which of these people created {t}?",
                 "showrunner": "Which of these people was a showrunner of {t}?",
                 "director": "Which of these people directed {t}?",
                 "composer": "Which of these people composed music for {t}?"}
_PERSON_TELL = {"creator": "{name} created {t}.", "showrunner": "{name} was the showrunner of {t}.",
                "director": "{name} directed {t}.", "composer": "{name} composed the music for {t}."}


def _person(f: PersonFact, ctx: ShowContext) -> Iterator[Draft]:
    same_role = ctx.people[(f.role, f.work and fold(f.work))]
    exclude = frozenset(option_key(n) for p in same_role for n in (p.name, *p.aliases))
    gender = ctx.gender[f.name]
    marks = (f.name, *f.aliases, f.name.split()[-1])
    if f.role == "author":
        medium = ctx.media.get(fold(f.work), "book")
        others = [p.name for p in same_role if option_key(p.name) != option_key(f.name)]
        with_others = f" with {' and '.join(others)}" if others else ""
        verb = "co-wrote" if others else "wrote"
        yield Draft("author", f"Who {verb} the {medium} {f.work}{with_others}?", f.name, "person",
                    f"{f.name} {verb} the {medium} {f.work}{with_others}.", gender=gender, exclude=exclude,
                    curated=f.wrong_answers.get("name", ()), marks=marks)
        return
    parts = {"t": ctx.title, "name": f.name}
    yield Draft(f.role, _PERSON_ASK[f.role].format(**parts), f.name, "person", _PERSON_TELL[f.role].format(**parts),
                which=_PERSON_WHICH[f.role].format(**parts), gender=gender, exclude=exclude,
                curated=f.wrong_answers.get("name", ()), marks=marks)


_WORK_PHRASE = {"sequel": "sequel to", "prequel": "prequel to", "spin_off": "spin-off of"}


def _work(f: WorkFact, ctx: ShowContext) -> Iterator[Draft]:
    wrong = f.wrong_answers.get("title", ())
    medium = MEDIA[f.medium]
    if f.relation in ("source", "source_novel"):
        yield Draft("source", f"{ctx.title} is based on which {medium}?", f.title, "title",
                    f"{ctx.title} is based on the {medium} {f.title}.",
                    which=f"{ctx.title} is based on which of these works?", curated=wrong, marks=(f.title,))
        return
    phrase = _WORK_PHRASE[f.relation]
    base = f"{phrase} the {ctx.media.get(fold(f.of), medium)} {f.of}" if f.of else f"{phrase} {ctx.title}"
    yield Draft(f.relation, f"What is the title of the {base}?", f.title, "title", f"The {base} is {f.title}.",
                which=f"Which of these is a {base}?", curated=wrong, marks=(f.title,))


def _place(f: PlaceFact, ctx: ShowContext) -> Iterator[Draft]:
    t, wrong = ctx.title, f.wrong_answers.get("name", ())
    season = f"season {f.season} of " if f.season else ""
    exclude = frozenset(ctx.places[(f.role, f.season)])
    if f.role == "setting_city":
        yield Draft("setting", f"In which city is {t} set?", f.name, "city", f"{t} is set in {f.name}.",
                    which=f"In which of these cities is {t} set?", exclude=exclude, curated=wrong,
                    marks=(f.name,))
    elif f.role == "filming_location":
        where = f"{f.name}, {f.region}" if f.region else f.name
        yield Draft("filmed", f"In which city was {season}{t} filmed?", f.name, "city",
                    f"{season.capitalize()}{t} was filmed in {where}.",
                    which=f"In which of these cities was {season}{t} filmed?", exclude=exclude, curated=wrong,
                    marks=(f.name,))
    else:
        what = f.description or "school"
        yield Draft("school", f"What is the name of the {what} in {t}?", f.name, "school",
                    f"The {what} in {t} is the {f.name}.", exclude=exclude, curated=wrong, marks=(f.name,))


def _count(f: CountFact, ctx: ShowContext) -> Iterator[Draft]:
    season = f"season {f.season} of " if f.season else ""
    numbers = Numbers("count", low=1)
    if f.what == "episodes":
        stem = f"How many episodes does {season}{ctx.title} have?"
        statement = f"{season.capitalize()}{ctx.title} has {plural(f.value, 'episode', 'episodes')}."
    else:
        stem = f"How many seasons does {ctx.title} have?"
        statement = f"{ctx.title} has {plural(f.value, 'season', 'seasons')}."
    yield Draft(f.what, stem, str(f.value), "count", statement, number=float(f.value), numbers=numbers,
                marks=_number_marks(f.value))


def _chart(f: ChartRunFact, ctx: ShowContext) -> Iterator[Draft]:
    t = ctx.title
    at = "number one" if f.position == 1 else f"number {f.position}"
    yield Draft("days", f"For how many days was {t} {at} on the {f.chart}?", str(f.days), "count",
                f"{t} spent {plural(f.days, 'day', 'days')} at {at} on the {f.chart}.", number=float(f.days),
                numbers=Numbers("count", low=1), marks=_number_marks(f.days))
    if f.preceded_by:
        yield Draft("replaced", f"Which series did {t} replace at {at} on the {f.chart}?", f.preceded_by, "series",
                    f"{t} replaced {f.preceded_by} at {at} on the {f.chart}.",
                    curated=f.wrong_answers.get("preceded_by", ()), marks=_title_marks(f.preceded_by))
    if f.succeeded_by:
        yield Draft("replaced-by", f"Which series took the {at} spot on the {f.chart} from {t}?", f.succeeded_by,
                    "series", f"{f.succeeded_by} took the {at} spot on the {f.chart} from {t}.",
                    curated=f.wrong_answers.get("succeeded_by", ()), marks=_title_marks(f.succeeded_by))


def _status(f: StatusFact, ctx: ShowContext) -> Iterator[Draft]:
    t, when = ctx.title, format_date(f.as_of)
    label = STATUS_LABELS[f.status]
    yield Draft("status", f"As of {when}, what was the renewal status of {t}?", label, "status",
                _STATUS_TELL[f.status].format(when=when, t=t), as_of=f.as_of.iso(),
                marks=_STATUS_MARKS[f.status])
    if f.how_known and f.status == "cancelled":
        # the answer's own longer words show where an article tells how the news came out
        words = sorted({w.strip(".,;:!?") for w in f.how_known.split() if len(w) > 4}, key=lambda w: (-len(w), w))
        yield Draft("how-known", f"How did the news that {t} had been cancelled become public?", f.how_known,
                    "how_known", f"{f.how_known.rstrip('.')}: that is how the news that {t} had been cancelled "
                                 f"became public.",
                    as_of=f.as_of.iso(), curated=f.wrong_answers.get("how_known", ()),
                    marks=(f.how_known.rstrip("."), *words))


_STATUS_TELL = {"renewal_pending": "As of {when}, there was no decision yet on the renewal of {t}.",
                "renewed": "As of {when}, {t} had been renewed.", "cancelled": "As of {when}, {t} had been cancelled.",
                "ended": "As of {when}, {t} had ended as planned."}
_STATUS_MARKS = {"renewal_pending": ("Pending", "pending", "not yet", "no word"), "renewed": ("renewed",),
                 "cancelled": ("cancelled", "canceled"), "ended": ("ended", "final season")}

TEMPLATE_NAMES = {
    "cast": ("who-plays", "plays-whom"), "date": ("when",), "score": ("value",),
    "person": ("creator", "showrunner", "director", "composer", "author"),
    "work": ("source", "sequel", "prequel", "spin_off"), "place": ("setting", "filmed", "school"),
    "count": ("episodes", "seasons"), "chart_run": ("days", "replaced", "replaced-by"), "status": ("status", "how-known"),
}
TEMPLATES = {"cast": _cast, "date": _date, "score": _score, "person": _person, "work": _work, "place": _place,
             "count": _count, "chart_run": _chart, "status": _status}


# ------------------------------------------------------------------------------- finding the proof

_NUMBER_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
                 "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty")


def _number_marks(n: int) -> tuple[str, ...]:
    return (str(n), _NUMBER_WORDS[n]) if n < len(_NUMBER_WORDS) else (str(n),)


def _title_marks(title: str) -> tuple[str, ...]:
    without = re.sub(r"^(?:the|a|an)\s+", "", title, flags=re.I)
    return (title, without) if without != title else (title,)


_MONTH = "|".join(f"{m[:3]}(?:{m[3:]})?" for m in MONTHS[1:])  # "Dec" or "December"
_WRITTEN_DATE = re.compile(
    rf"(?<!\w)(?:(?P<m1>{_MONTH})\.? (?P<d1>\d{{1,2}})(?:st|nd|rd|th)?,? (?P<y1>\d{{4}})"
    rf"|(?P<d2>\d{{1,2}})(?:st|nd|rd|th)? (?:of )?(?P<m2>{_MONTH}),? (?P<y2>\d{{4}})"
    rf"|(?P<m3>{_MONTH}),? (?P<y3>\d{{4}})"
    rf"|(?P<y4>\d{{4}})-(?P<m4>\d{{2}})-(?P<d4>\d{{2}})"
    rf"|(?P<y5>\d{{4}}))(?!\w)", re.IGNORECASE)
_MONTH_NUMBER = {m[:3].lower(): n for n, m in enumerate(MONTHS) if m}


def _date_mark(sentence: str, d: PartialDate) -> tuple[int, int] | None:
    """Where the sentence writes the date ``d`` at its precision ("December 14th, 2020", "14 December 2020")."""
    for found in _WRITTEN_DATE.finditer(sentence):
        g = found.groupdict()
        year = int(g["y1"] or g["y2"] or g["y3"] or g["y4"] or g["y5"])
        month_name = g["m1"] or g["m2"] or g["m3"]
        month = _MONTH_NUMBER[month_name[:3].lower()] if month_name else int(g["m4"]) if g["m4"] else None
        day_text = g["d1"] or g["d2"] or g["d4"]
        day = int(day_text) if day_text else None
        if year != d.year or (d.precision != "year" and month != d.month) or (d.precision == "day" and day != d.day):
            continue
        return found.span()
    return None


def find_mark(sentence: str, marks: tuple[str, ...], when: PartialDate | None = None) -> tuple[int, int, int] | None:
    """Where the answer stands in ``sentence`` as whole words: (which mark, start, end), or None.

    The date ``when`` is looked for first, however the sentence writes it (mark 0), then each of
    ``marks`` in turn, case ignored and a straight apostrophe matching a curly one.
    """
    if when is not None:
        span = _date_mark(sentence, when)
        if span:
            return 0, *span
    lowered = sentence.lower().replace("’", "'")
    if len(lowered) != len(sentence):  # a character whose lower case is longer: positions would drift
        lowered = sentence
    for rank, mark in enumerate(marks):
        needle = mark.lower().replace("’", "'")
        at = lowered.find(needle)
        while at >= 0:
            end = at + len(needle)
            if (at == 0 or not lowered[at - 1].isalnum()) and (end == len(lowered) or not lowered[end].isalnum()):
                return rank, at, end
            at = lowered.find(needle, at + 1)
    return None


def _proving_sources(fact, titles: dict[str, str], dates: dict[str, str], marks: tuple[str, ...],
                     when: PartialDate | None) -> tuple[Source, ...]:
    """The fact's citations as sources, each with the answer marked: those that state the answer come first,
    the answer as written before another spelling or a part of it."""
    stating: list[tuple[int, Source]] = []
    others: list[Source] = []
    for citation in fact.sources:
        title = titles.get(citation.article)
        if citation.dateline:
            stating.append((-1, Source(citation.article, None, title, None, dates.get(citation.article))))
            continue
        found = find_mark(citation.sentence, marks, when)
        if found:
            stating.append((found[0], Source(citation.article, citation.sentence, title, found[1:])))
        else:
            others.append(Source(citation.article, citation.sentence, title))
    if len(stating) > 1:
        stating.sort(key=lambda ranked: ranked[0])  # stable: file order among equals
    return tuple([source for _, source in stating] + others)


# ------------------------------------------------------------------------------------------ plans


_ABOUT_A_WORK = {"author", "sequel", "prequel"}  # their stems name a book or story, which two shows may share


def fact_ref(show: str, kind: str, key: str) -> str:
    """How a question names a fact it rests on: ``show/kind/key``."""
    return f"{show}/{kind}/{key}"


def plans_for_show(show_facts: ShowFacts, show_index: int, kinds: frozenset[str] | None = None,
                   left_out: list[LeftOut] | None = None, context: ShowContext | None = None) -> list[Plan]:
    """Every question a show's facts allow, one per distinct stem, in file order.

    Disputed facts, stems that hold their answer and stems that several facts answer (with no
    "Which of these" form) give no plan; each is added to ``left_out`` with its reason. ``context``
    is the show's :class:`ShowContext` where the caller has made it already.
    """
    ctx = context or ShowContext(show_facts)
    show_id = show_facts.show.id
    skipped = left_out if left_out is not None else []
    drafts: list[tuple[int, object, str, Draft, str]] = []
    story: list[str] = []  # the dates a renewal status question is about: it tells part of them
    for index, fact in enumerate(show_facts.facts):
        if kinds is not None and fact.kind not in kinds:
            continue
        key = fact.key()
        if fact.disputed:
            skipped.append(LeftOut(show_id, show_index, index, key, None, "its sources disagree (never asked)"))
            continue
        ref = fact_ref(show_id, fact.kind, key)
        made = [(index, fact, key, draft, ref) for draft in TEMPLATES[fact.kind](fact, ctx)]
        if not made:  # a cast member with no character: a wrong option for others, no question of its own
            skipped.append(LeftOut(show_id, show_index, index, key, None,
                                   "no character is given (the actor is only a wrong option elsewhere)"))
        drafts += made
        if fact.kind == "date" and fact.role in ("cancellation", "renewal"):
            story.append(ref)
    by_stem: dict[str, list[int]] = defaultdict(list)
    for n, (_, _, _, draft, _) in enumerate(drafts):
        by_stem[draft.stem].append(n)
    titles = {a.file: a.title for a in show_facts.articles if a.title}
    dates = {a.file: format_date(a.as_of) for a in show_facts.articles if a.as_of}
    plans: list[Plan] = []
    for n, (index, fact, key, draft, ref) in enumerate(drafts):
        same = by_stem[draft.stem]
        if len(same) > 1:
            if n != same[0] or draft.which is None:
                reason = ("several facts answer this question and it has no 'Which of these' form"
                          if draft.which is None else
                          f"asked together with facts[{drafts[same[0]][0]}], as one 'Which of these' question")
                skipped.append(LeftOut(show_id, show_index, index, key, draft.template, reason))
                continue
            # one question for all of them: "Which of these ...", every true value kept off the options
            answers = frozenset(option_key(drafts[m][3].answer) for m in same)
            draft = draft._replace(stem=draft.which, exclude=draft.exclude | answers)
        answer = candidate(draft.answer, draft.number, draft.gender)
        stem_words = f" {fold(draft.stem)} "
        if f" {answer.key} " in stem_words:
            skipped.append(LeftOut(show_id, show_index, index, key, draft.template,
                                   "the question would hold its own answer"))
            continue
        refs = (ref,) if len(same) == 1 else tuple(drafts[m][4] for m in same)
        if fact.kind == "status" and story:
            refs = (*refs, *story)
        plans.append(Plan(
            id=question_id(show_id, fact.kind, key, draft.template), show=show_id, show_index=show_index,
            fact_index=index, fact=key, kind=fact.kind, template=draft.template, stem=draft.stem, answer=answer,
            vtype=draft.vtype, explanation=draft.statement,
            sources=_proving_sources(fact, titles, dates, draft.marks or (draft.answer,), draft.when),
            category=CATEGORY[fact.kind], numbers=draft.numbers, exclude=draft.exclude - {answer.key},
            curated=tuple([candidate(c, gender=gender_of(c) if draft.gender else None) for c in draft.curated]),
            as_of=draft.as_of, facts=refs, names_show=draft.template not in _ABOUT_A_WORK and ctx.title in draft.stem,
            stem_words=stem_words))
    _add_give_aways(plans)
    return plans


def _add_give_aways(plans: list[Plan]) -> None:
    """Add to each plan's facts those whose answer its stem states.

    A question that names another's answer gives it away: "Which character does Casimere
    Jollette play?" names the answer of "Who plays Bette Whitlaw?"; "As of November 2021, what
    was its status?" names the month of its cancellation.
    """
    by_first_word: dict[str, list[tuple[str, tuple[str, ...]]]] = defaultdict(list)
    for plan in plans:
        if plan.numbers is not None and not plan.numbers.unit.startswith("date"):
            continue  # a bare count or score ("1") is in too many stems ("season 1") to give anything away
        by_first_word[plan.answer.key.partition(" ")[0]].append((plan.answer.key, plan.facts))
    for plan in plans:
        named = set(plan.facts)
        for word in plan.stem_words.split():
            for key, facts in by_first_word.get(word, ()):
                if facts != plan.facts and f" {key} " in plan.stem_words:
                    named.update(facts)
        if len(named) > len(plan.facts):
            plan.facts = tuple(sorted(named))
