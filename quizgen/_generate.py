"""Facts in, questions out: the generator's main loop, streaming and deterministic.

``generate_questions`` walks every show's question plans (``_templates``), picks three wrong
options for each (``_distractors``), orders the options (dates and numbers in order, others at a
seeded random place) and yields :class:`Question` objects one at a time, so a million questions
never sit in memory together. One ``random.Random(seed)`` drives every choice.
"""

from __future__ import annotations

import random
from collections import Counter, deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from ._distractors import Corpus, difficulty_of, pick_distractors
from ._errors import GenerationError
from ._facts import FACT_KINDS, ShowFacts
from ._pack import DIFFICULTIES, Question, ShowRef
from ._templates import LeftOut, Plan, plans_for_show, time_limit_for

MIXED = "mixed"  # each question of its own difficulty
DIFFICULTY_CHOICES = (MIXED, *DIFFICULTIES)
LONGEST_SHARE = 0.25  # how often the right answer is the longest option: chance, with four options
WINDOW = 64  # other shows in view on each side of the current one (see Corpus)


@dataclass(slots=True)
class GenerationReport:
    """What a run made, and every fact or question it left out with the reason.

    ``made`` is complete when the run ends (after its last question, at its ``count``, or when
    its reader stops); ``left_out`` fills as the run goes.
    """

    made: Counter = field(default_factory=Counter)   # (kind, difficulty) -> questions
    left_out: list[LeftOut] = field(default_factory=list)

    def total(self) -> int:
        return sum(self.made.values())

    def reasons(self) -> Counter:
        """How many were left out for each reason."""
        return Counter(item.reason for item in self.left_out)


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


def build_question(plan: Plan, corpus: Corpus, rng: random.Random, target: str,
                   answer_longest: bool, stretch: bool = False) -> Question | None:
    """The question a plan makes with three wrong options, or None when three honest ones cannot be found."""
    picked = pick_distractors(plan, corpus, rng, target, answer_longest, stretch)
    if picked is None:
        return None
    answer = plan.answer
    if plan.numbers is not None:  # dates and numbers in order
        ordered = sorted([answer, *picked.wrong], key=lambda c: c.number)
        options = tuple(c.text for c in ordered)
        right = ordered.index(answer)
    else:
        right = rng.randrange(4)
        wrong = [c.text for c in picked.wrong]
        options = (*wrong[:right], answer.text, *wrong[right:])
    return Question(
        id=plan.id, show=plan.show, kind=plan.kind, template=plan.template, stem=plan.stem, options=options,
        answer=right, explanation=plan.explanation, sources=plan.sources, difficulty=difficulty_of(picked.closeness),
        category=plan.category, tags=(plan.show, plan.kind, plan.template), time_limit=time_limit_for(plan.stem, options),
        as_of=plan.as_of, facts=plan.facts)


def is_answer_longest(question: Question) -> bool:
    """Whether the right answer is longer than every wrong option (a cue players learn)."""
    lengths = [len(option) for option in question.options]
    return lengths.pop(question.answer) > max(lengths)


def generate_questions(shows: Iterable[ShowFacts], *, seed: int = 0, count: int | None = None,
                       difficulty: str = "mixed", kinds: Iterable[str] | None = None,
                       report: GenerationReport | None = None) -> Iterator[Question]:
    """Yield questions from the shows' facts; ``count`` picks a seeded sample, otherwise all, in file order.

    ``shows`` is read once, in order, and may be a generator: without ``count`` only a window of
    shows around the current one is held (their values are the "other shows" options), so a
    million questions stream in flat memory. Bad options raise :class:`GenerationError` at once.
    """
    chosen_kinds = _check_options(difficulty, kinds)
    if count is not None and count < 1:
        raise GenerationError(f"count must be at least 1, not {count}")
    return _generate(shows, seed, count, difficulty, chosen_kinds,
                     report if report is not None else GenerationReport())


def _windowed_plans(shows: Iterable[ShowFacts], corpus: Corpus, kinds: frozenset[str] | None,
                    left_out: list[LeftOut]) -> Iterator[list[Plan]]:
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
        yield plans_for_show(show, index, kinds, left_out, corpus.contexts[index])
        for new_index, new_show in upcoming:  # one more show comes into view ahead ...
            corpus.add(new_index, new_show)
            ahead.append((new_index, new_show))
            break
        if index - WINDOW in corpus.pools:  # ... and one falls out of view behind
            corpus.drop(index - WINDOW)


def _generate(shows: Iterable[ShowFacts], seed: int, count: int | None, difficulty: str,
              kinds: frozenset[str] | None, report: GenerationReport) -> Iterator[Question]:
    rng = random.Random(seed)
    if count is None:
        corpus = Corpus()
        show_plans: Iterable[list[Plan]] = _windowed_plans(shows, corpus, kinds, report.left_out)
    else:  # a sample is drawn from every plan, so every show stays in view
        shows = list(shows)
        corpus = Corpus(shows)
        plans = [p for i, s in enumerate(shows) for p in plans_for_show(s, i, kinds, report.left_out, corpus.contexts[i])]
        rng.shuffle(plans)
        show_plans = [plans]
    made = uneven = longest = 0  # questions made; those whose options differ in length; those with the answer longest
    shared_stems: set[str] = set()  # stems that do not name their show ("Who wrote the novel X?"), asked once a run
    for plans in show_plans:
        queue = deque(plans)
        deferred: set[str] = set()  # plans put back once, to keep the longest-answer share near chance
        while queue:
            plan = queue.popleft()
            if not plan.names_show and plan.stem in shared_stems:
                report.left_out.append(LeftOut(plan.show, plan.show_index, plan.fact_index, plan.fact,
                                               plan.template, "another show's question has the same stem"))
                continue
            target = rng.choice(DIFFICULTIES) if difficulty == "mixed" else difficulty
            # ask for the longest-answer shape about one time in four: more often the further the run
            # is behind that share (the pools cannot always give the shape asked for), less when ahead
            behind = LONGEST_SHARE * (uneven + 1) - longest
            answer_longest = rng.random() < LONGEST_SHARE + behind / 2
            question = build_question(plan, corpus, rng, target, answer_longest, stretch=abs(behind) >= 1)
            if question is None:
                report.left_out.append(LeftOut(plan.show, plan.show_index, plan.fact_index, plan.fact,
                                               plan.template, "fewer than three honest wrong options"))
                continue
            if difficulty != "mixed" and question.difficulty != difficulty:
                report.left_out.append(LeftOut(plan.show, plan.show_index, plan.fact_index, plan.fact,
                                               plan.template, f"its wrong options make it {question.difficulty}, "
                                                              f"not {difficulty}"))
                continue
            is_longest = is_answer_longest(question)
            lengths_differ = len({len(option) for option in question.options}) > 1  # else none is the longest
            if lengths_differ and is_longest != answer_longest and abs(behind) >= 1 and plan.id not in deferred:
                # a question that came in the shape the run has too much of is made again once, after the
                # rest of its show (or, in a sample, after the rest of the sample, where it may not be needed)
                deferred.add(plan.id)
                queue.append(plan)
                continue
            if not plan.names_show:
                shared_stems.add(plan.stem)
            report.made[(plan.kind, question.difficulty)] += 1
            longest += is_longest
            uneven += lengths_differ
            made += 1
            yield question
            if count is not None and made >= count:
                return


def show_refs(shows: Iterable[ShowFacts]) -> tuple[ShowRef, ...]:
    """The pack's record of which shows fed it."""
    return tuple(ShowRef(s.show.id, s.show.title, s.show.network, s.show.year) for s in shows)
