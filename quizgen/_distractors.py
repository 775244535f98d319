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
from collections import defaultdict
from collections.abc import Iterable
from datetime import date

from ._facts import (CastFact, ChartRunFact, DateFact, PersonFact, PlaceFact, ShowFacts, StatusFact, WorkFact)
from ._normalize import option_key
from ._templates import STATUS_LABELS, Plan, date_units, format_score

Candidate = tuple[str, str, float | None]  # (text, key, number)

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
    for f in show.facts:
        if f.disputed:
            continue  # a disputed value is never offered, not even as a wrong answer
        if isinstance(f, CastFact):
            out["actor"].append((f.actor, None))
            out["character"].append((f.character, None))
        elif isinstance(f, PersonFact):
            out["person"].append((f.name, None))
        elif isinstance(f, WorkFact):
            out["title"].append((f.title, None))
        elif isinstance(f, PlaceFact):
            out["school" if f.role == "school" else "city"].append((f.name, None))
        elif isinstance(f, DateFact):
            out[f"date:{f.date.precision}"].append((None, float(date_units(f.date))))
        elif isinstance(f, ChartRunFact):
            out["series"] += [(t, None) for t in (f.preceded_by, f.succeeded_by) if t]
        elif isinstance(f, StatusFact) and f.how_known:
            out["how_known"].append((f.how_known, None))
    out["series"].append((show.show.title, None))
    return out


def number_text(vtype: str, value: float) -> str:
    """How a date (in units) or number is shown as an option."""
    if vtype == "date:day":
        d = date.fromordinal(int(value))
        return f"{d.strftime('%B')} {d.day}, {d.year}"
    if vtype == "date:month":
        year, month0 = divmod(int(value), 12)
        return f"{date(2000, month0 + 1, 1).strftime('%B')} {year}"
    if vtype == "date:year":
        return str(int(value))
    if vtype in _SCALE:
        return format_score(round(value, 1), _SCALE[vtype])
    return str(int(value))


class Corpus:
    """The value pools of the shows in view, and seeded Faker pools, for drawing distractors.

    Shows are added and dropped as the generator moves along a run (``add``/``drop``),
    so "other shows" are the ones near the current show in the run: a run of a million
    questions holds the pools of a window of shows, never the whole corpus.
    """

    def __init__(self, seed: int, shows: Iterable[ShowFacts] = ()) -> None:
        self.seed = seed
        self.same: dict[int, dict[str, list[Candidate]]] = {}
        self.holders: dict[str, list[int]] = defaultdict(list)  # vtype -> shows in view that have such values
        self._faker_pools: dict[str, list[Candidate]] = {}
        for index, show in enumerate(shows):
            self.add(index, show)

    def add(self, index: int, show: ShowFacts) -> None:
        """Bring a show's values into view."""
        pools: dict[str, list[Candidate]] = {}
        for vtype, values in _values(show).items():
            seen: dict[str, Candidate] = {}
            for text, number in values:
                shown = text if text is not None else number_text(vtype, number)
                key = option_key(shown)
                seen.setdefault(key, (shown, key, number))
            pools[vtype] = list(seen.values())
            self.holders[vtype].append(index)
        self.same[index] = pools

    def drop(self, index: int) -> None:
        """Take a show's values out of view."""
        for vtype in self.same.pop(index):
            self.holders[vtype].remove(index)

    def faker_pool(self, vtype: str) -> list[Candidate]:
        """Plausible made-up values of a type, the same for the same seed."""
        pool = self._faker_pools.get(vtype)
        if pool is None:
            pool = self._faker_pools[vtype] = self._make_faker_pool(vtype)
        return pool

    def _make_faker_pool(self, vtype: str) -> list[Candidate]:
        if vtype not in ("actor", "character", "person", "city", "school"):
            return []  # no honest made-up titles or stories: such questions draw only on real values
        from faker import Faker  # imported on first need: most runs never reach this tier

        fake = Faker("en_US")
        fake.seed_instance(self.seed)
        rng = random.Random(self.seed)
        makers = {
            "city": fake.city,
            "school": lambda: f"{fake.last_name()} {rng.choice(('Academy', 'School', 'Conservatory'))} of "
                              f"{rng.choice(('Ballet', 'Dance', 'Performing Arts'))}",
        }
        firsts = [fake.first_name() for _ in range(60)]
        lasts = [fake.last_name() for _ in range(60)]
        make = makers.get(vtype, lambda: f"{rng.choice(firsts)} {rng.choice(lasts)}")
        out: dict[str, Candidate] = {}
        for _ in range(400):
            text = make()
            out.setdefault(option_key(text), (text, option_key(text), None))
        return list(out.values())


def _draw_text(plan: Plan, corpus: Corpus, rng: random.Random, tier: str, used: set[str],
               min_len: int = 0) -> Candidate | None:
    rand = rng.random
    if tier == "same":
        pool = corpus.same[plan.show_index].get(plan.vtype, ())
        curated = plan.curated
        n_cur, n = len(curated), len(curated) + len(pool)
        if not n:
            return None
        for attempt in range(4 + n):  # a few random picks usually succeed; then every candidate once, in order
            i = int(rand() * n) if attempt < 4 else attempt - 4
            cand = pool[i - n_cur] if i >= n_cur else curated[i]
            if _acceptable(plan, cand, used, min_len):
                return cand
        return None
    if tier == "other":
        return _from_other_shows(plan, corpus, rand, used, min_len)
    return _scan(plan, corpus.faker_pool(plan.vtype), rand, used, min_len)


_SCAN_LIMIT = 256   # a pool can be long: look at a bounded run of it
_OTHER_SHOWS = 16   # how many other shows to search through before giving up


def _acceptable(plan: Plan, cand: Candidate, used: set[str], min_len: int) -> bool:
    key = cand[1]
    return (key not in used and key not in plan.exclude and len(cand[0]) >= min_len
            and f" {key} " not in plan.stem_folded)


def _scan(plan: Plan, pool, rand, used: set[str], min_len: int) -> Candidate | None:
    """A random acceptable candidate: a few random picks, then a bounded run from a random start."""
    n = len(pool)
    if not n:
        return None
    start = int(rand() * n)
    for attempt in range(8 + min(n, _SCAN_LIMIT)):
        cand = pool[int(rand() * n) if attempt < 8 else (start + attempt - 8) % n]
        if _acceptable(plan, cand, used, min_len):
            return cand
    return None


def _from_other_shows(plan: Plan, corpus: Corpus, rand, used: set[str], min_len: int) -> Candidate | None:
    """A value of the same type from another show: random shows first, then a bounded walk over them.

    Pools are reached through the shows that hold them, so a run of a million questions
    keeps one copy of each value, not a second, flattened one.
    """
    holders = corpus.holders.get(plan.vtype, ())
    n = len(holders)
    if n == 0 or (n == 1 and holders[0] == plan.show_index):
        return None
    vtype, own = plan.vtype, plan.show_index
    for _ in range(12):
        j = holders[int(rand() * n)]
        if j != own:
            pool = corpus.same[j][vtype]
            cand = pool[int(rand() * len(pool))]
            if _acceptable(plan, cand, used, min_len):
                return cand
    start = int(rand() * n)
    for step in range(min(n, _OTHER_SHOWS)):
        j = holders[(start + step) % n]
        if j != own:
            for cand in corpus.same[j][vtype][:_SCAN_LIMIT]:
                if _acceptable(plan, cand, used, min_len):
                    return cand
    return None


def _number_closeness(vtype: str, distance: float, answer: float) -> float:
    near, mid, _ = _buckets(vtype, answer)
    return 1.0 if distance <= near else 0.6 if distance <= mid else 0.1


def _buckets(vtype: str, answer: float) -> tuple[float, float, float]:
    if vtype in _BUCKETS:
        return _BUCKETS[vtype]
    return (max(2.0, 0.2 * answer), max(5.0, 0.5 * answer), max(10.0, 1.5 * answer))  # counts


def _draw_number(plan: Plan, corpus: Corpus, rng: random.Random, tier: str, used: set[str],
                 min_len: int = 0) -> Candidate | None:
    vtype, answer = plan.vtype, plan.number
    if tier in ("same", "other"):
        return _draw_text(plan, corpus, rng, tier, used, min_len)
    near, mid, far = _buckets(vtype, answer)
    low, high = {"near": (0, near), "mid": (near, mid), "far": (mid, far)}[tier]
    step = _STEP.get(vtype, 1.0)
    for _ in range(12):
        distance = max(step, round((low + (high - low) * rng.random()) / step) * step)
        value = answer + distance if rng.random() < 0.5 else answer - distance
        if vtype in _SCALE:
            if not 0 <= value <= _SCALE[vtype]:
                value = answer - (value - answer)
                if not 0 <= value <= _SCALE[vtype]:
                    continue
        elif vtype == "count" and value < 1:
            value = answer + distance
        elif vtype.startswith("date:") and value < 1:
            continue
        text = number_text(vtype, value)
        cand = (text, option_key(text), value)
        if _acceptable(plan, cand, used, min_len):
            return cand
    return None


def pick_distractors(plan: Plan, corpus: Corpus, rng: random.Random, target: str,
                     long_first: bool = False) -> tuple[list[Candidate], float] | None:
    """Three wrong options for a plan and their mean closeness, or None when three cannot be found.

    The answer must never be the single longest option (a give-away): when the first two
    wrong options are both shorter than the answer, the third must be at least as long.
    With ``long_first`` the first one must be, a second chance for a hard case.
    """
    used = {plan.answer_key}
    if plan.vtype == "status":
        overlap = _OVERLAPPING_STATUS.get(plan.answer_key)
        picks = [(t, option_key(t), None) for t in _STATUS_POOL if option_key(t) not in used and option_key(t) != overlap]
        if len(picks) < 3:
            return None
        rng.shuffle(picks)
        return picks[:3], 0.5
    numeric = plan.number is not None
    pattern = (NUMBER_PATTERNS if numeric else TEXT_PATTERNS)[target]
    fallback = _NUMBER_FALLBACK if numeric else _TEXT_FALLBACK
    draw = _draw_number if numeric else _draw_text
    chosen: list[Candidate] = []
    closeness = 0.0
    answer_len = len(plan.answer)
    for n, slot in enumerate(pattern):
        if (long_first and n == 0) or (n == 2 and answer_len > max(len(chosen[0][0]), len(chosen[1][0]))):
            min_len = answer_len
        else:
            min_len = 0
        for tier in fallback[slot]:
            cand = draw(plan, corpus, rng, tier, used, min_len)
            if cand is not None:
                break
        else:
            return None
        used.add(cand[1])
        chosen.append(cand)
        if numeric:
            closeness += _number_closeness(plan.vtype, abs(cand[2] - plan.number), plan.number)
        else:
            closeness += _TIER_CLOSENESS[tier]
    return chosen, closeness / 3
