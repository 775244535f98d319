"""The facts a show file holds: typed, sourced, and checked when loaded.

A facts file is one show: a ``show`` header, the ``articles`` its facts rest on,
and a list of ``facts``, each with a ``kind`` (cast, date, score, person, work,
place, count, chart_run, status) and the ``sources`` it rests on. Where articles
disagree, the fact keeps every version under ``disputed``; such a fact is never
asked. The JSON Schema in ``questions/schema/facts.schema.json`` is generated from
these models (``quizgen schema``).
"""

from __future__ import annotations

import calendar
import re
from datetime import date
from typing import Annotated, ClassVar, Literal, Union

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, WithJsonSchema, field_validator, model_validator

from ._normalize import ID_PATTERN, fact_key, option_key

FORMAT_VERSION = 1

Text = Annotated[str, Field(min_length=1, max_length=500)]
Slug = Annotated[str, Field(pattern=f"^{ID_PATTERN}$")]

_DATE_RE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
MIN_YEAR, MAX_YEAR = 1900, 2100
Precision = Literal["day", "month", "year"]


class PartialDate(BaseModel):
    """A calendar date known to a day, a month or only a year."""

    model_config = ConfigDict(frozen=True)
    year: int
    month: int = 1
    day: int = 1
    precision: Precision = "day"

    @classmethod
    def parse(cls, text: str) -> "PartialDate":
        """Read ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; refuse dates that do not exist."""
        match = _DATE_RE.match(text.strip())
        if not match:
            raise ValueError(f"{text!r} is not a date: write YYYY-MM-DD, YYYY-MM or YYYY")
        year, month, day = (int(g) if g else None for g in match.groups())
        _check_date(text, year, month, day)
        precision = "day" if day else "month" if month else "year"
        return cls(year=year, month=month or 1, day=day or 1, precision=precision)

    @model_validator(mode="after")
    def _exists(self) -> "PartialDate":
        # also guards dates given as mappings, which skip ``parse``
        _check_date(self.iso(), self.year, self.month, self.day)
        return self

    def iso(self) -> str:
        """The date written at its own precision (``2021-11``)."""
        if self.precision == "year":
            return f"{self.year:04d}"
        if self.precision == "month":
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"

    def as_date(self) -> date:
        return date(self.year, self.month, self.day)

    def __str__(self) -> str:  # as datetime.date prints: ISO, here at the date's own precision
        return self.iso()


def _check_date(text: str, year: int, month: int | None, day: int | None) -> None:
    # Outside these years a date is a typo, and distractors near it would leave the calendar.
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValueError(f"{text!r}: the year {year} is out of range: write a year from {MIN_YEAR} to {MAX_YEAR}")
    if month is not None and not 1 <= month <= 12:
        raise ValueError(f"{text!r} does not exist: month {month} is not 1-12")
    if day is not None:
        last = calendar.monthrange(year, month)[1]
        if not 1 <= day <= last:
            raise ValueError(f"{text!r} does not exist: {calendar.month_name[month]} {year} has {last} days")


def _parse_date(value: object) -> object:
    if isinstance(value, str):
        return PartialDate.parse(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return PartialDate.parse(str(value))
    return value


DateField = Annotated[PartialDate, BeforeValidator(_parse_date),
                      WithJsonSchema({"type": "string", "pattern": _DATE_RE.pattern})]


Gender = Literal["female", "male", "nonbinary"]


class Citation(BaseModel):
    """Where a fact comes from: an article's file name and the whole sentence it rests on, or its date line."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    article: Text
    sentence: Annotated[str, Field(min_length=10, max_length=2000)] | None = None
    dateline: bool = Field(False, description="the fact is the article's own date (its `as_of` under `articles`)")

    @field_validator("sentence")
    @classmethod
    def _not_blank(cls, sentence: str | None) -> str | None:
        if sentence is not None and not sentence.strip():
            raise ValueError("the sentence is blank: quote the sentence the fact rests on")
        return sentence

    @model_validator(mode="after")
    def _sentence_or_dateline(self) -> "Citation":
        if (self.sentence is None) == (not self.dateline):
            raise ValueError("give either `sentence` (a whole sentence of the article) or `dateline: true`")
        return self


class Dispute(BaseModel):
    """Another version of one field of a fact, given by other sources."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    field: str | None = Field(None, description="which field is disputed; the kind's answer field when omitted")
    value: str | int | float
    sources: Annotated[tuple[Citation, ...], Field(min_length=1)]
    note: str | None = None


class _Fact(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    id: Slug | None = Field(None, description="stable id; derived from the fact's key fields when omitted")
    sources: Annotated[tuple[Citation, ...], Field(min_length=1)]
    disputed: tuple[Dispute, ...] = ()
    wrong_answers: dict[str, tuple[Text, ...]] = Field(
        default_factory=dict, description="curated extra wrong answers, by the field they stand in for")
    note: str | None = None

    answer_field: ClassVar[str] = ""
    key_fields: ClassVar[tuple[str, ...]] = ()  # the fields whose values make the fact's key (each kind names its own)

    @field_validator("disputed", "sources", mode="before")
    @classmethod
    def _listify(cls, value: object) -> object:
        return tuple(value) if isinstance(value, list) else value

    @model_validator(mode="after")
    def _check_disputes_and_wrong_answers(self) -> "_Fact":
        if not self.disputed and not self.wrong_answers:
            return self  # the common case, kept cheap: big corpora load millions of facts
        fields = set(type(self).model_fields) - _BOOKKEEPING
        for dispute in self.disputed:
            name = dispute.field or self.answer_field
            if name not in fields:
                raise ValueError(f"disputed field {name!r} is not a field of a {self.kind} fact")
            if _same_value(getattr(self, name), dispute.value):
                raise ValueError(f"disputed {name} {dispute.value!r} is the fact's own value: nothing is disputed")
            other = self.model_dump(exclude={"disputed", "wrong_answers"}) | {name: dispute.value}
            try:
                type(self).model_validate(other)
            except ValueError as exc:
                first = exc.errors()[0]["msg"].removeprefix("Value error, ") if hasattr(exc, "errors") else exc
                raise ValueError(f"disputed {name} {dispute.value!r} is not a valid value: {first}") from None
        for name, wrong in self.wrong_answers.items():
            if name not in fields:
                raise ValueError(f"wrong_answers names {name!r}, which is not an answer field of a {self.kind} fact")
            for text in wrong:
                if _same_value(getattr(self, name), text):
                    raise ValueError(f"wrong answer {text!r} for {name} is the fact's own (right) value")
                if any(_same_value(d.value, text) for d in self.disputed if (d.field or self.answer_field) == name):
                    raise ValueError(f"wrong answer {text!r} for {name} is a disputed value, so it may be right")
        return self

    def key(self) -> str:
        """The fact's stable identity within its show: its ``id``, or its ``key_fields``' values slugified."""
        return fact_key(self)

    def disputed_fields(self) -> frozenset[str]:
        return frozenset(d.field or self.answer_field for d in self.disputed)


_BOOKKEEPING = frozenset({"id", "kind", "sources", "disputed", "wrong_answers", "note"})


def _same_value(value: object, other: object) -> bool:
    if isinstance(value, PartialDate):
        return value.iso() == str(other)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        try:
            return float(other) == float(value)
        except (TypeError, ValueError):
            return False
    return isinstance(other, str) and isinstance(value, str) and option_key(other) == option_key(value)


Names = Annotated[tuple[Text, ...], Field(description="other spellings of the same name; never offered as options")]


class CastFact(_Fact):
    """An actor and the character they play (the character may be unknown)."""

    kind: Literal["cast"]
    actor: Text
    character: Text | None = None
    gender: Gender | None = Field(None, description="of the actor and the character; inferred from first names when omitted")
    actor_aliases: Names = ()
    character_aliases: Names = ()
    recast: bool = Field(False, description="the character is knowingly played by several actors")
    answer_field: ClassVar[str] = "actor"
    key_fields: ClassVar[tuple[str, ...]] = ("character", "actor")


DateRole = Literal["premiere", "production_start", "production_end", "filming_start", "filming_end",
                   "cancellation", "renewal", "finale", "announcement"]


class DateFact(_Fact):
    """A dated event in the show's life, at its own precision."""

    kind: Literal["date"]
    role: DateRole
    date: DateField
    season: int | None = Field(None, ge=1, strict=True)
    answer_field: ClassVar[str] = "date"
    key_fields: ClassVar[tuple[str, ...]] = ("role", "season")


class ScoreFact(_Fact):
    """A review score or rating from one named source, on its own scale, as of a date."""

    kind: Literal["score"]
    source: Text
    metric: Literal["critics", "audience", "rating", "score"] = "rating"
    name: Text | None = Field(None, description="what the source calls it, e.g. 'IMDb rating', 'Metascore'")
    value: Annotated[float, Field(ge=0, strict=True)]
    scale: Annotated[float, Field(gt=0, le=1000, strict=True)]
    as_of: DateField
    answer_field: ClassVar[str] = "value"
    key_fields: ClassVar[tuple[str, ...]] = ("source", "metric", "as_of")

    @model_validator(mode="after")
    def _within_scale(self) -> "ScoreFact":
        if self.value > self.scale:
            raise ValueError(f"value {self.value:g} is above its scale of {self.scale:g}")
        return self

    def label(self) -> str:
        """How the score is called in a question: its `name`, what its source calls it, or the source and metric."""
        if self.name:
            return self.name
        known = _SCORE_NAMES.get((self.source.casefold(), self.metric)) or _SCORE_NAMES.get((self.source.casefold(), None))
        if known:
            return known
        return f"{self.source} {self.metric} score" if self.metric in ("critics", "audience") else f"{self.source} {self.metric}"

    def is_percent(self) -> bool:
        """Critics' and audiences' shares out of 100 are written as percentages (Rotten Tomatoes)."""
        return self.scale == 100 and self.metric in ("critics", "audience")


# What a few well-known sources call their scores (IMDb's is its users' rating, whatever the file calls it).
_SCORE_NAMES = {("imdb", None): "IMDb rating", ("metacritic", "critics"): "Metascore",
                ("metacritic", "audience"): "Metacritic user score"}


class PersonFact(_Fact):
    """Someone behind the show: its creator, or an author of its source."""

    kind: Literal["person"]
    role: Literal["creator", "showrunner", "author", "director", "composer"]
    name: Text
    gender: Gender | None = Field(None, description="inferred from the first name when omitted")
    aliases: Names = ()
    work: Text | None = Field(None, description="for an author: the work they wrote")
    answer_field: ClassVar[str] = "name"
    key_fields: ClassVar[tuple[str, ...]] = ("role", "name", "work")

    @model_validator(mode="after")
    def _author_has_work(self) -> "PersonFact":
        if self.role == "author" and not self.work:
            raise ValueError("an author needs `work`: the title of what they wrote")
        return self


MEDIA = {"novel": "novel", "short_story": "short story", "novella": "novella", "book": "book",
         "memoir": "memoir", "comic": "comic", "graphic_novel": "graphic novel", "manga": "manga", "film": "film",
         "play": "play", "musical": "musical", "podcast": "podcast", "game": "video game", "series": "series",
         "poem": "poem", "article": "article"}
Medium = Literal["novel", "short_story", "novella", "book", "memoir", "comic", "graphic_novel", "manga", "film", "play",
                 "musical", "podcast", "game", "series", "poem", "article"]


class WorkFact(_Fact):
    """A work (of any medium) the show comes from or leads to."""

    kind: Literal["work"]
    relation: Literal["source", "source_novel", "sequel", "prequel", "spin_off"] = Field(
        description="`source`: the work the show is based on (`source_novel` is the same, kept for older files)")
    title: Text
    medium: Medium = "novel"
    of: Text | None = Field(None, description="for a sequel or prequel: the work it follows or precedes")
    answer_field: ClassVar[str] = "title"
    key_fields: ClassVar[tuple[str, ...]] = ("relation", "title")

    @model_validator(mode="after")
    def _sequel_names_its_work(self) -> "WorkFact":
        if self.relation in ("sequel", "prequel") and not self.of:
            raise ValueError(f"a {self.relation} needs `of`: the title of the work it belongs to")
        return self


class PlaceFact(_Fact):
    """Where the show is set, where it was made, or a place inside its story."""

    kind: Literal["place"]
    role: Literal["setting_city", "school", "filming_location"]
    name: Text
    region: Text | None = None
    description: Text | None = Field(None, description="how a question names the place, e.g. 'elite ballet school'")
    season: int | None = Field(None, ge=1, strict=True)
    answer_field: ClassVar[str] = "name"
    key_fields: ClassVar[tuple[str, ...]] = ("role", "name", "season")


class CountFact(_Fact):
    """A number about the show: episodes, seasons."""

    kind: Literal["count"]
    what: Literal["episodes", "seasons"]
    value: Annotated[int, Field(ge=0, le=100000, strict=True)]
    season: int | None = Field(None, ge=1, strict=True)
    answer_field: ClassVar[str] = "value"
    key_fields: ClassVar[tuple[str, ...]] = ("what", "season")


class ChartRunFact(_Fact):
    """A run at the top of a chart: how long, and whom it followed and preceded."""

    kind: Literal["chart_run"]
    chart: Text
    position: Annotated[int, Field(ge=1, le=100, strict=True)] = 1
    days: Annotated[int, Field(ge=1, le=3650, strict=True)]
    preceded_by: Text | None = Field(None, description="the title at that position just before")
    succeeded_by: Text | None = Field(None, description="the title that took the position next")
    answer_field: ClassVar[str] = "days"
    key_fields: ClassVar[tuple[str, ...]] = ("chart", "position")


class StatusFact(_Fact):
    """The show's renewal status as of a date, and how it became known."""

    kind: Literal["status"]
    status: Literal["renewal_pending", "renewed", "cancelled", "ended"]
    as_of: DateField
    how_known: Text | None = Field(None, description="how the status became public")
    answer_field: ClassVar[str] = "status"
    key_fields: ClassVar[tuple[str, ...]] = ("status", "as_of")


Fact = Annotated[Union[CastFact, DateFact, ScoreFact, PersonFact, WorkFact, PlaceFact, CountFact,
                       ChartRunFact, StatusFact], Field(discriminator="kind")]

FACT_KINDS = ("cast", "date", "score", "person", "work", "place", "count", "chart_run", "status")


class Show(BaseModel):
    """The show a facts file is about."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    id: Slug
    title: Text
    network: Text | None = None
    year: Annotated[int, Field(ge=1920, le=2100, strict=True)] | None = None


class Article(BaseModel):
    """An article the facts cite, by file name."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    file: Text
    title: Text | None = None
    as_of: DateField | None = None


class ShowFacts(BaseModel):
    """One facts file: a show, its articles and its facts."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    format: Literal[1]
    show: Show
    articles: tuple[Article, ...] = ()
    facts: Annotated[tuple[Fact, ...], Field(min_length=1)]
