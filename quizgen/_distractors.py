"""Where distractors come from, and how hard they make a question.

Wrong options are drawn in tiers: first from the same show and the same value
type (its other cast members, its other dates, the fact's curated wrong answers),
then from the other shows in the same run, and only then from seeded Faker
values of the same type (or, for dates and numbers, values generated near the
answer at the answer's precision). A candidate is refused when it is the answer,
is also true for the stem, is already an option, or appears in the stem — all
judged after normalisation (case, accents, punctuation, a leading "The").

Difficulty follows Alsubait et al.: the closer the distractors, the harder the
question. Each distractor scores a closeness (same show 1.0, other show 0.5,
Faker 0.0; dates and numbers by distance: near 1.0, mid 0.6, far 0.1); the mean
gives hard (>= 0.9), medium (>= 0.5) or easy. See docs/difficulty.md.
"""

from __future__ import annotations

import random
import threading
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from functools import lru_cache

from ._facts import ShowFacts
from ._normalize import field_values, option_key
from ._templates import MONTHS, STATUS_LABELS, Plan, candidate, date_units, format_score

Candidate = tuple[str, str, float | None, str]  # (text, key, number, probe): see _templates.candidate

# The tiers each target difficulty draws from, slot by slot.
TEXT_PATTERNS = {"hard": ("same", "same", "same"), "medium": ("same", "same", "other"),
                 "easy": ("other", "faker", "faker")}
NUMBER_PATTERNS = {"hard": ("same", "near", "near"), "medium": ("same", "other", "mid"),
                   "easy": ("other", "far", "far")}
_TEXT_FALLBACK = {"same": ("same", "other", "faker"), "other": ("other", "faker", "same"),
                  "faker": ("faker", "other", "same")}
_NUMBER_FALLBACK = {"same": ("same", "near", "mid"), "other": ("other", "mid", "far", "near"),
                    "near": ("near", "mid", "far"), "mid": ("mid", "far", "near"), "far": ("far", "mid", "near")}
_TIER_CLOSENESS = {"same": 1.0, "other": 0.5, "faker": 0.0}

# Distance buckets (in the value's units) for dates and numbers: near, mid, far upper bounds.
_BUCKETS = {"date:day": (31, 180, 730), "date:month": (3, 12, 36), "date:year": (2, 5, 15),
            "score:100": (5, 12, 30), "score:10": (0.5, 1.2, 3.0), "score:5": (0.3, 0.8, 2.0)}
_STEP = {"score:10": 0.1, "score:5": 0.1}
_SCALE = {"score:100": 100, "score:10": 10, "score:5": 5}

EXTRA_STATUS = "Moved to another network"
_STATUS_POOL = tuple(STATUS_LABELS.values()) + (EXTRA_STATUS,)
_OVERLAPPING_STATUS = {option_key(STATUS_LABELS["cancelled"]): option_key(STATUS_LABELS["ended"]),
                       option_key(STATUS_LABELS["ended"]): option_key(STATUS_LABELS["cancelled"])}


def difficulty_of(closeness: float) -> str:
    """The difficulty label for the mean closeness of a question's distractors."""
    return "hard" if closeness >= 0.9 else "medium" if closeness >= 0.5 else "easy"


def _values(show: ShowFacts) -> dict[str, list[tuple[str, float | None]]]:
    out: dict[str, list[tuple[str, float | None]]] = defaultdict(list)
    for fact in show.facts:
        v = field_values(fact)
        if v["disputed"]:
            continue  # a disputed value is never offered, not even as a wrong answer
        kind = v["kind"]  # not isinstance: pydantic's metaclass makes that a Python-level call
        if kind == "cast":
            out["actor"].append((v["actor"], None))
            out["character"].append((v["character"], None))
        elif kind == "person":
            out["person"].append((v["name"], None))
        elif kind == "work":
            out["title"].append((v["title"], None))
        elif kind == "place":
            out["school" if v["role"] == "school" else "city"].append((v["name"], None))
        elif kind == "date":
            out[f"date:{v['date'].precision}"].append((None, float(date_units(v["date"]))))
        elif kind == "chart_run":
            out["series"] += [(t, None) for t in (v["preceded_by"], v["succeeded_by"]) if t]
        elif kind == "status" and v["how_known"]:
            out["how_known"].append((v["how_known"], None))
    out["series"].append((show.show.title, None))
    return out


def number_text(vtype: str, value: float) -> str:
    """How a date (in units) or number is shown as an option."""
    if vtype == "date:day":
        d = date.fromordinal(int(value))
        return f"{MONTHS[d.month]} {d.day}, {d.year}"
    if vtype == "date:month":
        year, month0 = divmod(int(value), 12)
        return f"{MONTHS[month0 + 1]} {year}"
    if vtype == "date:year":
        return str(int(value))
    if vtype in _SCALE:
        return format_score(round(value, 1), _SCALE[vtype])
    return str(int(value))


class Pool:
    """Candidates of one value type, longest first, so that those of at least n characters are a prefix.

    The longest-option rule often asks for a wrong answer at least as long as the answer: the
    candidates that qualify are then ``cands[:reach(n)]``, drawn from directly rather than found
    by trial and error.
    """

    __slots__ = ("cands", "neg_lens")

    def __init__(self, cands: tuple[Candidate, ...], neg_lens: tuple[int, ...]) -> None:
        self.cands = cands
        self.neg_lens = neg_lens  # minus each candidate's length: ascending, for bisect

    def reach(self, min_len: int) -> int:
        """How many candidates are at least ``min_len`` characters long (they come first)."""
        return bisect_right(self.neg_lens, -min_len) if min_len else len(self.cands)


def make_pool(cands: Iterable[Candidate]) -> Pool:
    """A pool of these candidates (their keys distinct), longest first, ties by key: the same order every run."""
    ordered = sorted([(-len(c[0]), c[1], c) for c in cands])  # keys are unique in a pool: c is never compared
    return Pool(tuple([c for _, _, c in ordered]), tuple([n for n, _, _ in ordered]))


_EMPTY_POOL = Pool((), ())


class Corpus:
    """The value pools of the shows in view, and seeded Faker pools, for drawing distractors.

    Shows are added and dropped as the generator moves along a run (``add``/``drop``),
    so "other shows" are the ones near the current show in the run: a run of a million
    questions holds the pools of a window of shows, never the whole corpus.
    """

    def __init__(self, seed: int, shows: Iterable[ShowFacts] = ()) -> None:
        self.seed = seed
        self.same: dict[int, dict[str, Pool]] = {}
        self.holders: dict[str, list[int]] = defaultdict(list)  # vtype -> shows in view that have such values
        self._faker_pools: dict[str, Pool] = {}
        for index, show in enumerate(shows):
            self.add(index, show)

    def add(self, index: int, show: ShowFacts) -> None:
        """Bring a show's values into view."""
        pools: dict[str, Pool] = {}
        for vtype, values in _values(show).items():
            seen: dict[str, Candidate] = {}
            for text, number in values:
                cand = candidate(text if text is not None else number_text(vtype, number), number)
                seen.setdefault(cand[1], cand)
            pools[vtype] = make_pool(seen.values())
            self.holders[vtype].append(index)
        self.same[index] = pools

    def drop(self, index: int) -> None:
        """Take a show's values out of view."""
        for vtype in self.same.pop(index):
            self.holders[vtype].remove(index)

    def faker_pool(self, vtype: str) -> Pool:
        """Plausible made-up values of a type, the same for the same seed."""
        made_up = _MADE_UP.get(vtype)
        if made_up is None:
            return _EMPTY_POOL  # no honest made-up titles or stories: such questions draw only on real values
        pool = self._faker_pools.get(made_up)
        if pool is None:
            pool = self._faker_pools[made_up] = self._make_faker_pool(made_up)
        return pool

    def _make_faker_pool(self, made_up: str) -> Pool:
        with _FAKER_LOCK:  # the one Faker is shared: a pool is drawn from one seeding, whatever other threads do
            return self._draw_faker_pool(made_up, _faker())

    def _draw_faker_pool(self, made_up: str, fake) -> Pool:
        fake.seed_instance(self.seed)  # seeded afresh for each kind: as if a new Faker were made each time
        rng = random.Random(self.seed)
        makers = {
            "city": fake.city,
            "school": lambda: f"{fake.last_name()} {rng.choice(('Academy', 'School', 'Conservatory'))} of "
                              f"{rng.choice(('Ballet', 'Dance', 'Performing Arts'))}",
        }
        firsts = [fake.first_name() for _ in range(60)]
        lasts = [fake.last_name() for _ in range(60)]
        make = makers.get(made_up, lambda: f"{rng.choice(firsts)} {rng.choice(lasts)}")
        out: dict[str, Candidate] = {}
        for _ in range(400):
            cand = candidate(make())
            out.setdefault(cand[1], cand)
        return make_pool(out.values())


# the kind of made-up value each value type draws: actors, characters and people are all made-up names
_MADE_UP = {"actor": "name", "character": "name", "person": "name", "city": "city", "school": "school"}


_FAKER_LOCK = threading.Lock()


@lru_cache(maxsize=1)
def _faker():
    """One Faker for the process: making one loads every provider, which costs more than a 10,000-question run.

    Without weighting, Faker picks names uniformly from its lists instead of by how common they are
    in the census: still plausible names and cities, made 20 times faster (Faker's weighted pick
    sums its whole table on every call). For a run of one show, making these pools was most of the
    generator's time.
    """
    from faker import Faker  # imported on first need: most runs never reach this tier

    return Faker("en_US", use_weighting=False)


_TRIES = 4          # random picks before a bounded, ordered walk through what is left
_SCAN_LIMIT = 256   # a pool can be long: look at a bounded run of it
_OTHER_SHOWS = 16   # how many other shows to walk through before giving up


def _draw_same(plan: Plan, corpus: Corpus, rand, used: set[str], min_len: int) -> Candidate | None:
    """A value of the same type from the plan's own show, or one of the fact's curated wrong answers."""
    pool = corpus.same[plan.show_index].get(plan.vtype, _EMPTY_POOL)
    cands, n = pool.cands, pool.reach(min_len)
    curated = plan.curated
    if curated and min_len:
        curated = tuple([c for c in curated if len(c[0]) >= min_len])
    n_cur = len(curated)
    total = n_cur + n
    if not total:
        return None
    exclude, stem_probe = plan.exclude, plan.stem_probe
    for attempt in range(_TRIES + total):  # a show's own pool is short: every candidate once, if need be
        if attempt < _TRIES:
            r = rand()  # compiled, a C double (see _distractors.pxd): the index is C arithmetic
            i = int(r * total)
        else:
            i = attempt - _TRIES
        cand = cands[i - n_cur] if i >= n_cur else curated[i]
        key = cand[1]  # _acceptable without the length test, inlined: most questions spend their time here
        if not (key in used or key in exclude or (cand[3] in stem_probe and plan.has_words(key))):
            return cand
    return None


def _draw_faker(plan: Plan, corpus: Corpus, rand, used: set[str], min_len: int) -> Candidate | None:
    """A seeded made-up value of the type: random picks, then a bounded run from a random start."""
    pool = corpus.faker_pool(plan.vtype)
    cands, n = pool.cands, pool.reach(min_len)
    if not n:
        return None
    start = int(rand() * n)
    for attempt in range(_TRIES + min(n, _SCAN_LIMIT)):
        cand = cands[int(rand() * n) if attempt < _TRIES else (start + attempt - _TRIES) % n]
        if _acceptable(plan, cand, used, 0):
            return cand
    return None


def _draw_other(plan: Plan, corpus: Corpus, rand, used: set[str], min_len: int) -> Candidate | None:
    """A value of the same type from another show: random shows first, then a bounded walk over them.

    Pools are reached through the shows that hold them, so a run of a million questions
    keeps one copy of each value, not a second, flattened one.
    """
    vtype, own, same = plan.vtype, plan.show_index, corpus.same
    holders = corpus.holders.get(vtype, ())
    n = len(holders)
    if n == 0 or (n == 1 and holders[0] == own):
        return None
    for attempt in range(3 * _TRIES):
        j = holders[int(rand() * n)]
        if j != own:
            pool = same[j][vtype]
            reach = pool.reach(min_len)
            if reach:
                cand = pool.cands[int(rand() * reach)]
                if _acceptable(plan, cand, used, 0):
                    return cand
    start = int(rand() * n)
    for step in range(min(n, _OTHER_SHOWS)):
        j = holders[(start + step) % n]
        if j != own:
            pool = same[j][vtype]
            for cand in pool.cands[:min(pool.reach(min_len), _SCAN_LIMIT)]:
                if _acceptable(plan, cand, used, 0):
                    return cand
    return None


def _acceptable(plan: Plan, cand: Candidate, used: set[str], min_len: int) -> bool:
    """Not the answer or already an option, not also true, long enough, and not in the stem."""
    key = cand[1]
    return not (key in used or key in plan.exclude or len(cand[0]) < min_len
                or (cand[3] in plan.stem_probe and plan.has_words(key)))


def _number_closeness(vtype: str, distance: float, answer: float) -> float:
    near, mid, _ = _buckets(vtype, answer)
    return 1.0 if distance <= near else 0.6 if distance <= mid else 0.1


def _buckets(vtype: str, answer: float) -> tuple[float, float, float]:
    if vtype in _BUCKETS:
        return _BUCKETS[vtype]
    return (max(2.0, 0.2 * answer), max(5.0, 0.5 * answer), max(10.0, 1.5 * answer))  # counts


def _draw_number(plan: Plan, rand, tier: str, used: set[str], min_len: int) -> Candidate | None:
    vtype, answer = plan.vtype, plan.number
    near, mid, far = _buckets(vtype, answer)
    low, high = (0, near) if tier == "near" else (near, mid) if tier == "mid" else (mid, far)
    step = _STEP.get(vtype, 1.0)
    for attempt in range(12):
        distance = max(step, round((low + (high - low) * rand()) / step) * step)
        value = answer + distance if rand() < 0.5 else answer - distance
        if vtype in _SCALE:
            if not 0 <= value <= _SCALE[vtype]:
                value = answer - (value - answer)
                if not 0 <= value <= _SCALE[vtype]:
                    continue
        elif vtype == "count" and value < 1:
            value = answer + distance
        elif vtype.startswith("date:") and value < 1:
            continue
        cand = candidate(number_text(vtype, value), value)
        if _acceptable(plan, cand, used, min_len):
            return cand
    return None


def _draw(tier: str, plan: Plan, corpus: Corpus, rand, used: set[str], min_len: int) -> Candidate | None:
    """A distractor from one tier, or None when the tier has none left that fits."""
    if tier == "same":
        return _draw_same(plan, corpus, rand, used, min_len)
    if tier == "other":
        return _draw_other(plan, corpus, rand, used, min_len)
    if tier == "faker":
        return _draw_faker(plan, corpus, rand, used, min_len)
    return _draw_number(plan, rand, tier, used, min_len)  # "near", "mid" or "far" from the answer


# Each target difficulty as three slots, each slot the tiers to try in order (its own, then the
# fallbacks), with the closeness a text distractor from that tier scores (a number's closeness
# depends on its distance, not its tier: None). Built once from the tables at the top, so a
# question does not look them up.
_TEXT_SLOTS = {target: tuple(tuple((tier, _TIER_CLOSENESS[tier]) for tier in _TEXT_FALLBACK[slot]) for slot in pattern)
               for target, pattern in TEXT_PATTERNS.items()}
_NUMBER_SLOTS = {target: tuple(tuple((tier, None) for tier in _NUMBER_FALLBACK[slot]) for slot in pattern)
                 for target, pattern in NUMBER_PATTERNS.items()}


def pick_distractors(plan: Plan, corpus: Corpus, rng: random.Random, rand, target: str,
                     long_first: bool = False) -> tuple[list[Candidate], float, int] | None:
    """Three wrong options for a plan, their mean closeness and the longest one's length; None when three cannot be found.

    The answer must never be the single longest option (a give-away): when the first two
    wrong options are both shorter than the answer, the third must be at least as long.
    With ``long_first`` the first one must be, a second chance for a hard case. ``rand`` is
    ``rng.random``, fetched once by the caller.
    """
    used = {plan.answer_key}
    if plan.vtype == "status":
        overlap = _OVERLAPPING_STATUS.get(plan.answer_key)
        picks = [candidate(t) for t in _STATUS_POOL if option_key(t) not in used and option_key(t) != overlap]
        if len(picks) < 3:
            return None
        rng.shuffle(picks)
        return picks[:3], 0.5, max([len(p[0]) for p in picks[:3]])
    answer_len = len(plan.answer)
    min_len = answer_len if long_first else 0
    longest = 0  # of the wrong options so far
    chosen: list[Candidate] = []
    closeness = 0.0
    number = plan.number
    for n, draws in enumerate((_TEXT_SLOTS if number is None else _NUMBER_SLOTS)[target]):
        if n == 2 and answer_len > longest:
            min_len = answer_len
        for tier, close in draws:
            cand = _draw(tier, plan, corpus, rand, used, min_len)
            if cand is not None:
                break
        else:
            return None
        used.add(cand[1])
        chosen.append(cand)
        closeness += close if close is not None else _number_closeness(plan.vtype, abs(cand[2] - number), number)
        longest = max(longest, len(cand[0]))
        min_len = 0
    return chosen, closeness / 3, longest
