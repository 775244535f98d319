"""The rules of a solo game, as plain functions: no request, no database, no wall clock.

Scoring (also shown on the help page):

* a right answer is worth ``POINTS_CORRECT`` (1000) points; a wrong one, none;
* with the timer on, a right answer also earns a speed bonus of up to ``SPEED_BONUS_MAX`` (500)
  points, shrinking linearly from the full bonus at once to nothing when the time is up;
* with the timer on, an answer the server receives after the question's time limit (plus
  ``LATE_GRACE_MS`` for the network) scores 0, right or not;
* the game's time is the sum of the time taken on each answer; on a leaderboard, a higher
  score ranks first, then the shorter time, then the earlier entry.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import TypeVar

import quizgen
from webapp.exceptions import AlreadyAnswered, GameRuleError
from webapp.packs import Question

POINTS_CORRECT = 1000
SPEED_BONUS_MAX = 500
LATE_GRACE_MS = 1500
GAME_LENGTHS = (5, 10, 20)
DIFFICULTY_CHOICES = quizgen.DIFFICULTY_CHOICES  # mixed, easy, medium, hard
MIXED = quizgen.MIXED
NO_ANSWER = 0  # the "choice" of a player whose time ran out
OPTION_COUNT = 4
PERIODS = ("all", "week", "day")  # the one name of each, on the pages and in the API

T = TypeVar("T")


@dataclass(frozen=True)
class Settings:
    """What makes games comparable on a leaderboard: how many questions, how hard, and the timer.

    Only games of the same settings are ranked together (a 10-question untimed game and a 5-question
    timed one are different contests).
    """

    length: int
    difficulty: str
    timed: bool

    def key(self) -> str:
        """The settings as a board names them: ``10-mixed-timed``."""
        return f"{self.length}-{self.difficulty}-{'timed' if self.timed else 'untimed'}"

    def label(self) -> str:
        """The settings in words: ``10 questions, mixed, timed``."""
        return f"{self.length} questions, {self.difficulty}, {'timed' if self.timed else 'untimed'}"

    def as_dict(self) -> dict:
        return {"length": self.length, "difficulty": self.difficulty, "timed": self.timed}

    @classmethod
    def parse(cls, key: str) -> Settings | None:
        """The settings a :meth:`key` names, or None when it names none a game can have."""
        length, _, rest = key.partition("-")
        difficulty, _, timer = rest.partition("-")
        # any length up to the longest: a game shorter than asked for ranks with games of its own length
        if not length.isdigit() or not 1 <= int(length) <= max(GAME_LENGTHS) or difficulty not in DIFFICULTY_CHOICES \
                or timer not in ("timed", "untimed") or length != str(int(length)):
            return None
        return cls(int(length), difficulty, timer == "timed")


DEFAULT_SETTINGS = Settings(10, MIXED, False)  # what the new-game form offers first


def _own_facts(question: Question) -> Iterable[str]:
    return question.facts


def pick_questions(questions: Sequence[T], length: int, rng: random.Random,
                   facts: Callable[[T], Iterable[str]] = _own_facts) -> list[T]:
    """Up to ``length`` questions in random order, no two resting on the same fact (``facts(q)`` names them).

    A question sharing a fact with one already picked would give its answer away, so it is
    skipped; when too few are left, fewer come back. Questions without facts never clash.
    """
    picked: list[T] = []
    used: set[str] = set()
    for question in rng.sample(list(questions), len(questions)):
        if len(picked) == length:
            break
        own = set(facts(question))
        if used.isdisjoint(own):
            picked.append(question)
            used |= own
    return picked


IN_PACK_ORDER = "".join(map(str, range(OPTION_COUNT)))


def option_order(question: Question, rng: random.Random) -> str:
    """The option order of one question of one game, e.g. ``"2031"``: shown option i is pack option order[i].

    Dates and numbers keep the pack's order, smallest first (a shuffled "4, 8, 20, 19" reads as a
    mistake); other options are shuffled.
    """
    if question.ordered:
        return IN_PACK_ORDER
    order = list(range(OPTION_COUNT))
    rng.shuffle(order)
    return "".join(map(str, order))


def shown_options(question: Question, order: str) -> list[str]:
    """The question's options in the order this game shows them."""
    return [question.options[int(i)] for i in order]


def right_choice(question: Question, order: str) -> int:
    """The shown position (1-4) of the right option."""
    return order.index(str(question.answer)) + 1


def valid_choice(choice: int) -> bool:
    """Whether a player's choice is a shown option (1-4) or :data:`NO_ANSWER`."""
    return choice == NO_ANSWER or 1 <= choice <= OPTION_COUNT


def deadline_ms(shown_ms: int, time_limit_s: int) -> int:
    """The last moment (epoch ms) an answer to a timed question still counts."""
    return shown_ms + time_limit_s * 1000 + LATE_GRACE_MS


def is_late(shown_ms: int, answered_ms: int, time_limit_s: int, timed: bool) -> bool:
    """Whether an answer came after the deadline (never, without the timer)."""
    return timed and answered_ms > deadline_ms(shown_ms, time_limit_s)


def score_answer(*, correct: bool, late: bool, elapsed_ms: int, time_limit_s: int, timed: bool) -> int:
    """The points one answer earns (see the module docstring)."""
    if not correct or late:
        return 0
    if not timed:
        return POINTS_CORRECT
    limit_ms = time_limit_s * 1000
    left = max(0, limit_ms - max(0, elapsed_ms))
    return POINTS_CORRECT + round(SPEED_BONUS_MAX * left / limit_ms)


def check_answerable(position: int, answered: int, choice: int, *, round_answered: bool, shown: bool) -> None:
    """Refuse an answer the rules do not take: a second one, one out of order, one to an unseen question."""
    if round_answered or position < answered:
        raise AlreadyAnswered()
    if position != answered:
        raise GameRuleError("Answer the questions in order.")
    if not shown:
        raise GameRuleError("This question has not been shown yet.")
    if not valid_choice(choice):
        raise GameRuleError("Choose one of the four options.")


@dataclass(frozen=True)
class Verdict:
    """What one answer earned, judged on the server's clock."""

    correct: bool
    late: bool
    points: int
    elapsed_ms: int


def judge_answer(question: Question, order: str, choice: int, *, shown_ms: int, now_ms: int,
                 timed: bool) -> Verdict:
    """Score the answer ``choice`` (a shown position, or :data:`NO_ANSWER`) received at ``now_ms``."""
    elapsed = max(0, now_ms - shown_ms)
    correct = choice == right_choice(question, order)
    late = is_late(shown_ms, now_ms, question.time_limit, timed)
    return Verdict(correct=correct, late=late, elapsed_ms=elapsed,
                   points=score_answer(correct=correct, late=late, elapsed_ms=elapsed,
                                       time_limit_s=question.time_limit, timed=timed))


def clock_start(shown_ms: int, server_started_ms: int) -> int:
    """When a question's time counts from: when it was shown, or when the server started again if it
    was down (or restarted) since; a player is never charged for the server's downtime."""
    return max(shown_ms, server_started_ms)


def time_was_up(*, late: bool, choice: int, elapsed_ms: int, time_limit_s: int, timed: bool) -> bool:
    """Whether the time ran out on a question: the answer came late, or no answer came before the
    time limit (the play page sends "no answer" itself when its countdown ends)."""
    return late or (timed and choice == NO_ANSWER and elapsed_ms >= time_limit_s * 1000)


# The fastest a person reads a question: 15 words a second, and never under READ_MS_MIN. An answer
# sooner than that was not read; a game with such answers is played, but not ranked.
READ_WORDS_PER_S = 15
READ_MS_MIN = 400


def reading_ms(stem: str) -> int:
    """The least time a person needs to read the question ``stem``."""
    return max(READ_MS_MIN, round(1000 * len(stem.split()) / READ_WORDS_PER_S))


def read_too_fast(stem: str, choice: int, elapsed_ms: int) -> bool:
    """Whether an answer (not a skip) came sooner than a person can read its question."""
    return choice != NO_ANSWER and elapsed_ms < reading_ms(stem)


def remaining_ms(shown_ms: int, now_ms: int, time_limit_s: int) -> int:
    """Milliseconds left to answer a timed question (0 when time is up; the grace is not shown)."""
    return max(0, shown_ms + time_limit_s * 1000 - now_ms)


def period_keys(now_ms: int) -> dict[str, str]:
    """The leaderboard period keys a score posted at ``now_ms`` counts for (weeks and days in UTC)."""
    moment = datetime.fromtimestamp(now_ms / 1000, tz=timezone.utc)
    year, week, _ = moment.isocalendar()
    return {"all": "all", "week": f"w{year}-W{week:02d}", "day": f"d{moment.date().isoformat()}"}
