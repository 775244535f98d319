"""Facts in, questions out: the generator's main loop, streaming and deterministic.

``generate_questions`` walks every show's question plans (``_templates``), draws
three distractors for each (``_distractors``), orders the options (dates and
numbers chronologically, names at a seeded random position) and yields
:class:`Question` objects one at a time, so a million questions never sit in
memory together. One ``random.Random(seed)`` drives every choice: the same
facts, options and seed give the same questions, byte for byte.
"""

from __future__ import annotations

import random
from collections import Counter, deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from ._distractors import Corpus, difficulty_of, pick_distractors
from ._errors import GenerationError
from ._facts import FACT_KINDS, ShowFacts
from ._pack import Question, ShowRef, new_question
from ._templates import Plan, plans_for_show, time_limit_for

DIFFICULTY_CHOICES = ("easy", "medium", "hard", "mixed")


@dataclass(slots=True)
class GenerationReport:
    """What a run made and what it left out, and why.

    ``left_out`` counts as the run goes; ``made`` is added when the run ends: after its last
    question, at its ``count``, or when its reader closes it (or drops it).
    """

    made: Counter = field(default_factory=Counter)        # (kind, difficulty) -> questions, once the run ends
    left_out: Counter = field(default_factory=Counter)    # reason -> plans


def _check_options(difficulty: str, kinds: Iterable[str] | None) -> frozenset[str] | None:
    if difficulty not in DIFFICULTY_CHOICES:
        raise GenerationError(f"unknown difficulty {difficulty!r}: choose one of {', '.join(DIFFICULTY_CHOICES)}")
    if kinds is None:
        return None
    chosen = frozenset(kinds)
    unknown = sorted(chosen - set(FACT_KINDS))
    if unknown:
        raise GenerationError(f"unknown fact kind {', '.join(unknown)}: kinds are {', '.join(FACT_KINDS)}")
    return chosen


def _build(plan: Plan, corpus: Corpus, rng: random.Random, rand, target: str) -> Question | None:
    answer_text = plan.answer
    for attempt in range(3):  # redraw if the answer came out as the give-away longest option
        picked = pick_distractors(plan, corpus, rng, rand, target, long_first=attempt > 0)
        if picked is None:
            return None
        (w1, w2, w3), closeness, longest = picked
        if len(answer_text) <= longest:
            break
    else:
        return None
    number = plan.number
    if number is not None:  # dates and numbers in order
        ranked = sorted([(number, answer_text), (w1[2], w1[0]), (w2[2], w2[0]), (w3[2], w3[0])])
        options = (ranked[0][1], ranked[1][1], ranked[2][1], ranked[3][1])
        answer = [n for n, _ in ranked].index(number)
    else:  # names at a seeded random position (spelled out: one tuple, no list to insert into)
        answer = int(rand() * 4)
        a, b, c = w1[0], w2[0], w3[0]
        if answer == 0:
            options = (answer_text, a, b, c)
        elif answer == 1:
            options = (a, answer_text, b, c)
        elif answer == 2:
            options = (a, b, answer_text, c)
        else:
            options = (a, b, c, answer_text)
    stem = plan.stem
    return new_question(plan.id, plan.show, plan.kind, plan.template, stem, options, answer, plan.explanation,
                        plan.sources, difficulty_of(closeness), plan.category, plan.tags, time_limit_for(stem, options),
                        plan.as_of)


WINDOW = 64  # other shows in view on each side of the current one (see Corpus)


def generate_questions(shows: Iterable[ShowFacts], *, seed: int = 0, count: int | None = None,
                       difficulty: str = "mixed", kinds: Iterable[str] | None = None,
                       report: GenerationReport | None = None) -> Iterator[Question]:
    """Yield questions from the shows' facts; ``count`` picks a seeded sample, otherwise all, in file order.

    ``shows`` is read once, in order, and may be a generator: without ``count`` only a
    window of shows around the current one is held (their values are the "other shows"
    distractors), so a million questions stream in flat memory. Bad options raise
    :class:`GenerationError` at once, before anything is yielded.
    """
    chosen_kinds = _check_options(difficulty, kinds)
    if count is not None and count < 1:
        raise GenerationError(f"count must be at least 1, not {count}")
    return _generate(shows, seed, count, difficulty, chosen_kinds,
                     report if report is not None else GenerationReport())


def _windowed_plans(shows: Iterable[ShowFacts], corpus: Corpus,
                    chosen_kinds: frozenset[str] | None) -> Iterator[list[Plan]]:
    """Each show's plans, with the WINDOW shows before and after it in the corpus's view."""
    ahead: deque[tuple[int, ShowFacts]] = deque()
    upcoming = enumerate(shows)
    for index, show in upcoming:
        corpus.add(index, show)
        ahead.append((index, show))
        if len(ahead) > WINDOW:
            break
    while ahead:
        index, show = ahead.popleft()
        yield plans_for_show(show, index, chosen_kinds)
        for new_index, new_show in upcoming:  # one more show comes into view ahead ...
            corpus.add(new_index, new_show)
            ahead.append((new_index, new_show))
            break
        if index - WINDOW in corpus.same:  # ... and one falls out of view behind
            corpus.drop(index - WINDOW)


def _generate(shows: Iterable[ShowFacts], seed: int, count: int | None, difficulty: str,
              chosen_kinds: frozenset[str] | None, report: GenerationReport) -> Iterator[Question]:
    rng = random.Random(seed)
    if count is None:
        corpus = Corpus(seed)
        show_plans: Iterable[list[Plan]] = _windowed_plans(shows, corpus, chosen_kinds)
    else:  # a sample is drawn from every plan, so every show stays in view
        shows = list(shows)
        corpus = Corpus(seed, shows)
        plans = [p for i, s in enumerate(shows) for p in plans_for_show(s, i, chosen_kinds)]
        rng.shuffle(plans)
        show_plans = [plans]
    targets = ("easy", "medium", "hard")
    mixed, rand = difficulty == "mixed", rng.random  # rand: fetched once; a bound method is made on each fetch
    # tallied in a plain dict and added to the report's Counter when the run ends, however it ends:
    # a Counter item costs four times a dict's to update (Counter defines __delitem__ in Python, so
    # every item assignment goes through a Python-level slot)
    tally: dict[tuple[str, str], int] = {}
    made = 0
    try:
        for plans in show_plans:
            for plan in plans:
                question = _build(plan, corpus, rng, rand, targets[int(rand() * 3)] if mixed else difficulty)
                if question is None:
                    report.left_out["too few distinct wrong answers"] += 1
                    continue
                if not mixed and question.difficulty != difficulty:
                    report.left_out[f"could not be made {difficulty}"] += 1
                    continue
                key = (plan.kind, question.difficulty)
                tally[key] = tally.get(key, 0) + 1
                yield question
                made += 1
                if count is not None and made >= count:
                    return
    finally:
        report.made.update(tally)


def show_refs(shows: Iterable[ShowFacts]) -> tuple[ShowRef, ...]:
    """The pack's record of which shows fed it."""
    return tuple(ShowRef(s.show.id, s.show.title, s.show.network, s.show.year) for s in shows)
