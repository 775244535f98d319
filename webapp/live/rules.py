"""The rules of a quiz night, as plain functions: no request, no socket, no database, no wall clock.

Scoring (also on the help page):

* **speed** (the default): a right answer after ``t`` of a player's ``T`` seconds earns
  ``round(1000 × (1 − (t / T) / 2))``, so 500 to 1000; from the second right answer in a row it also
  earns a streak bonus of +100 for each right answer before it in the row, at most +500; a wrong answer
  or none resets the streak;
* **classic** (pub style): 1 point a right answer; the timer only closes the question;
* a player given more time (×1.5, ×2) is measured against their own window, so the extension costs them
  nothing; with no limit, against ten times the question's time (WCAG 2.2.1's "at least ten times");
* the round a team (or a player, without teams) plays its joker on counts double;
* a team's score is the mean of its members' scores.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass

SPEED, CLASSIC = "speed", "classic"
SCORING_MODES = (SPEED, CLASSIC)
SPEED_POINTS = 1000
STREAK_STEP, STREAK_CAP = 100, 500
CLASSIC_POINTS = 1
TIME_FACTORS = (100, 150, 200, 0)  # percent of the question's time; 0 = no limit
NO_LIMIT_SCORING_FACTOR = 10  # a player without a limit is scored against ten times the question's time
NETWORK_GRACE_MS = 500  # an answer sent at the buzzer still has to cross the room's Wi-Fi
BOARD_AFTER_QUESTION, BOARD_AFTER_ROUND = "question", "round"
SECONDS_CHOICES = (10, 15, 20, 30, 45, 60, 90)
MAX_ROUNDS, MAX_QUESTIONS_PER_ROUND, MAX_TEAMS = 8, 20, 8
MAX_PLAYERS = 2000  # a night refuses joins beyond this: refusing cleanly beats failing everyone
TOP = 10  # players on the projector's leaderboard


@dataclass(frozen=True)
class RoundPlan:
    """One round: its title, which questions it draws (a category, a show, or any), and how many."""

    title: str
    count: int
    category: str = ""  # "" = any
    show: str = ""  # "" = any


@dataclass(frozen=True)
class Plan:
    """Everything a host chose for a night; saved with it, so the night can run again."""

    title: str
    pack_ids: tuple[str, ...]
    rounds: tuple[RoundPlan, ...]
    seconds: int = 20
    scoring: str = SPEED
    teams: tuple[str, ...] = ()
    joker: bool = False
    tiebreak: bool = True
    board_after: str = BOARD_AFTER_QUESTION
    stem_on_phones: bool = True

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, sort_keys=True, separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str) -> Plan:
        data = json.loads(text)
        data["pack_ids"] = tuple(data["pack_ids"])
        data["teams"] = tuple(data["teams"])
        data["rounds"] = tuple(RoundPlan(**r) for r in data["rounds"])
        return cls(**data)

    @property
    def question_count(self) -> int:
        return sum(r.count for r in self.rounds)


# --- time ----------------------------------------------------------------------------------------

def window_ms(seconds: int, extra_ms: int, time_factor: int) -> int | None:
    """How long a player has to answer: the question's time plus any added, times their allowance; None = no limit."""
    if time_factor == 0:
        return None
    return (seconds * 1000 + extra_ms) * time_factor // 100


def scoring_window_ms(seconds: int, extra_ms: int, time_factor: int) -> int:
    """The window a player's speed points are measured against (ten times the time for "no limit")."""
    own = window_ms(seconds, extra_ms, time_factor)
    return own if own is not None else (seconds * 1000 + extra_ms) * NO_LIMIT_SCORING_FACTOR


def is_late(elapsed_ms: int, own_window_ms: int | None) -> bool:
    """Whether an answer ``elapsed_ms`` after the question opened missed the player's window (and the grace)."""
    return own_window_ms is not None and elapsed_ms > own_window_ms + NETWORK_GRACE_MS


def shift_for_outage(opened_ms: int, last_seen_ms: int, back_ms: int) -> int:
    """When a question counts as opened once the server is back: the time it was down is not the players'."""
    return opened_ms + max(0, back_ms - max(last_seen_ms, opened_ms))


def time_is_up(elapsed_ms: int, seconds: int, extra_ms: int, factors: Iterable[int]) -> bool:
    """Whether every player still playing is out of time (a player with no limit never is)."""
    windows = [window_ms(seconds, extra_ms, f) for f in factors] or [window_ms(seconds, extra_ms, 100)]
    return all(w is not None and elapsed_ms > w + NETWORK_GRACE_MS for w in windows)


# --- points --------------------------------------------------------------------------------------

def speed_points(elapsed_ms: int, window: int) -> int:
    """``round(1000 × (1 − (t / T) / 2))`` for an answer ``t`` into a window of ``T`` (both ms)."""
    share = min(1.0, max(0, elapsed_ms) / window) if window > 0 else 1.0
    return round(SPEED_POINTS * (1 - share / 2))


def streak_bonus(streak_before: int) -> int:
    """The bonus for a right answer that follows ``streak_before`` right answers in a row."""
    return min(STREAK_CAP, STREAK_STEP * max(0, streak_before))


def answer_points(*, scoring: str, correct: bool, elapsed_ms: int, window: int, streak_before: int,
                  doubled: bool) -> int:
    """The points one answer earns under ``scoring`` (see the module docstring)."""
    if not correct:
        return 0
    points = CLASSIC_POINTS if scoring == CLASSIC else speed_points(elapsed_ms, window) + streak_bonus(streak_before)
    return points * 2 if doubled else points


def streak_after(streak_before: int, correct: bool) -> int:
    return streak_before + 1 if correct else 0


# --- the tie-breaker -------------------------------------------------------------------------------

_NUMBER = re.compile(r"^\s*([-+]?\d{1,3}(?:,\d{3})+|[-+]?\d+)(?:\.(\d+))?\s*(%|/\s*10|/\s*100)?\s*$")


def parse_number(text: str) -> float | None:
    """The number an option or a player's guess states ("2020", "7.5", "1,200", "87%"), or None."""
    if not isinstance(text, str) or len(text) > 40:
        return None
    match = _NUMBER.match(text)
    if not match:
        return None
    whole, fraction, _unit = match.groups()
    return float(whole.replace(",", "") + (f".{fraction}" if fraction else ""))


def guess_distance(guess: float, answer: float) -> float:
    return abs(guess - answer)


# --- standings -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Standing:
    """One place on a leaderboard: a player or a team."""

    name: str
    score: float
    rank: int
    movement: int = 0  # places gained since the previous leaderboard (negative: lost)
    key: str = ""


def rank(scores: Sequence[tuple[str, float]], *, tiebreak: Mapping[str, float] | None = None) -> dict[str, int]:
    """Competition ranks (1, 2, 2, 4) by score, highest first; ``tiebreak`` (distance, lower wins) splits ties."""
    tiebreak = tiebreak or {}

    def order(item: tuple[str, float]) -> tuple[float, float]:
        return (-item[1], tiebreak.get(item[0], float("inf")))

    ranks: dict[str, int] = {}
    previous = None
    for i, item in enumerate(sorted(scores, key=lambda it: (order(it), it[0]))):
        if order(item) != previous:
            place, previous = i + 1, order(item)
        ranks[item[0]] = place
    return ranks


def standings(now: Mapping[str, float], before: Mapping[str, float], names: Mapping[str, str], *,
              tiebreak: Mapping[str, float] | None = None, top: int | None = None) -> list[Standing]:
    """The leaderboard by ``now`` (key → score), each entry with its movement since ``before``."""
    ranks_now = rank(list(now.items()), tiebreak=tiebreak)
    ranks_before = rank(list(before.items()), tiebreak=tiebreak)
    rows = [Standing(name=names[key], score=score, rank=ranks_now[key], key=key,
                     movement=ranks_before.get(key, ranks_now[key]) - ranks_now[key])
            for key, score in now.items()]
    rows.sort(key=lambda s: (s.rank, s.name.casefold(), s.key))
    return rows[:top] if top is not None else rows


def team_scores(members: Iterable[tuple[str, float]]) -> dict[str, float]:
    """Each team's score: the mean of its members' scores (``members``: (team, score) pairs)."""
    totals: dict[str, list[float]] = {}
    for team, score in members:
        totals.setdefault(team, []).append(score)
    return {team: round(sum(s) / len(s), 1) for team, s in totals.items()}


# --- nicknames -------------------------------------------------------------------------------------

# Letters of other scripts that look like Latin ones, and digits that pass for letters: two nicknames
# that differ only by these read the same on a projector.
LOOK_ALIKES = str.maketrans({
    "а": "a", "в": "b", "е": "e", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p", "с": "c", "т": "t",
    "у": "y", "х": "x", "і": "l", "ј": "j", "ѕ": "s", "ԁ": "d", "һ": "h", "ԛ": "q", "ԝ": "w", "ӏ": "l",
    "α": "a", "β": "b", "ε": "e", "η": "n", "ι": "l", "κ": "k", "ν": "v", "ο": "o", "ρ": "p", "τ": "t",
    "υ": "u", "χ": "x", "ζ": "z", "μ": "u",
    "0": "o", "1": "l", "i": "l", "ı": "l", "|": "l", "5": "s", "$": "s", "@": "a",
})
_SEPARATORS = re.compile(r"[\s_\-.']+")


def name_key(nickname: str) -> str:
    """A nickname folded so that names one cannot tell apart on a screen collide: case, accents,
    full-width and styled letters, Cyrillic and Greek look-alikes, 0/O and 1/l/I, spaces and dashes."""
    text = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", nickname).casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.replace("rn", "m").translate(LOOK_ALIKES)
    return _SEPARATORS.sub("", text) or nickname.casefold()


# --- how the room answered -------------------------------------------------------------------------

def distribution(choices: Iterable[int], options: int = 4) -> list[int]:
    """How many chose each shown option (1..options), in order."""
    counts = [0] * options
    for choice in choices:
        if 1 <= choice <= options:
            counts[choice - 1] += 1
    return counts


def spearman(xs: Sequence[float], ys: Sequence[float]) -> float | None:
    """Spearman's rank correlation of two equally long series (ties get their mean rank); None below 3 pairs
    or when a series does not vary."""
    if len(xs) != len(ys) or len(xs) < 3:
        return None
    rx, ry = _mean_ranks(xs), _mean_ranks(ys)
    mx, my = sum(rx) / len(rx), sum(ry) / len(ry)
    sxy = sum((a - mx) * (b - my) for a, b in zip(rx, ry))
    sxx = sum((a - mx) ** 2 for a in rx)
    syy = sum((b - my) ** 2 for b in ry)
    if sxx == 0 or syy == 0:
        return None
    return sxy / (sxx * syy) ** 0.5


def _mean_ranks(values: Sequence[float]) -> list[float]:
    order = sorted(range(len(values)), key=lambda i: values[i])
    ranks = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        for k in range(i, j + 1):
            ranks[order[k]] = (i + j) / 2 + 1
        i = j + 1
    return ranks
