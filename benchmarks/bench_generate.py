"""Generator benchmark: questions per second, peak memory and the serialisation floor.

    python benchmarks/bench_generate.py [--sizes 10000,100000,1000000] [--seed 1] [--pure]

For each size it builds a synthetic corpus with Faker (shows of 25 cast pairs plus
dates and scores, as many shows as the size needs), then, each in a fresh process:
  * stream: generate every question and write the pack to a file (the real path). The
    shows are made one at a time as the generator reads them; the CPU time spent making
    and validating them (loading facts, not generating) is counted apart and left out
    of "CPU seconds", and put back in "end to end";
  * floor: the same questions, already built, only written by the same pack writer
    (``write_pack_stream``); the standard library's JSON encoder is timed too, for comparison;
  * memory (up to 100k): the facts made and held beforehand, the generator alone.
Times are CPU seconds of the one process (one core), the best of three fresh runs at
every size, taken in turns (stream, floor, memory, stream, ...), so that other load on the
machine disturbs them least and a ratio compares like with like. It prints a
Markdown table, then a line saying whether quizgen's hot modules ran compiled;
``--pure`` runs them from their Python source (``QUIZGEN_PURE_PYTHON=1``), as on a
machine that had no C compiler at install. docs/performance.md records the numbers.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time

CAST_PER_SHOW = 25
QUESTIONS_PER_SHOW = 2 * CAST_PER_SHOW + 4  # both cast directions, 3 dates, 1 score
TURNS = 3  # fresh runs of each mode at each size; the best counts


_SOURCES = ({"article": "synthetic.txt", "sentence": "A synthetic sentence that is long enough."},)


class SyntheticShows:
    """About n_questions' worth of Faker-made shows, made one at a time as they are read.

    The generator reads its shows once and holds only a window of them, as a real run
    reading facts files one by one would.
    """

    def __init__(self, n_questions: int, seed: int) -> None:
        from faker import Faker

        fake = Faker("en_US")
        fake.seed_instance(seed)
        self.seed = seed
        self.count = -(-n_questions // QUESTIONS_PER_SHOW)
        self.firsts = [fake.first_name() for _ in range(400)]
        self.lasts = [fake.last_name() for _ in range(400)]
        self.cities = [fake.city() for _ in range(300)]
        self.titles = [fake.catch_phrase().title() for _ in range(500)]

    def __len__(self) -> int:
        return self.count

    def __iter__(self):
        for i in range(self.count):
            yield self.show(i)

    def show(self, i: int):
        from quizgen import ShowFacts

        rng = random.Random(self.seed * 1_000_003 + i)
        rand, firsts, lasts = rng.random, self.firsts, self.lasts
        name = lambda: f"{firsts[int(rand() * 400)]} {lasts[int(rand() * 400)]}"  # noqa: E731
        src = _SOURCES
        year = rng.randint(1990, 2024)
        cast = {}
        for _ in range(CAST_PER_SHOW):  # distinct actors and characters, as a real facts file would have
            cast.setdefault(name(), name())
        facts = [{"kind": "cast", "actor": a, "character": c, "sources": src} for a, c in cast.items()]
        facts += [
            {"kind": "date", "role": "premiere", "date": f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
             "sources": src},
            {"kind": "date", "role": "production_start", "date": f"{year - 1}-{rng.randint(1, 12):02d}",
             "sources": src},
            {"kind": "date", "role": "cancellation", "date": f"{year + rng.randint(1, 4)}", "sources": src},
            {"kind": "score", "source": "Rotten Tomatoes", "metric": "critics", "value": rng.randint(5, 99),
             "scale": 100, "as_of": f"{year + 1}-06-01", "sources": src},
            {"kind": "place", "role": "setting_city", "name": rng.choice(self.cities), "sources": src},
        ]
        return ShowFacts.model_validate({"format": 1, "show": {"id": f"show-{i}", "title": rng.choice(self.titles)},
                                         "facts": facts})


class _TimedShows:
    """The synthetic shows, counting the CPU time spent making and validating them.

    That time is the facts' loading, not the generator's: the stream run subtracts it.
    """

    def __init__(self, shows: SyntheticShows) -> None:
        self.shows, self.seconds = shows, 0.0

    def __iter__(self):
        clock = time.process_time
        for i in range(len(self.shows)):
            start = clock()
            show = self.shows.show(i)
            self.seconds += clock() - start
            yield show


def _child(mode: str, size: int, seed: int) -> dict:
    from quizgen import generate_questions, question_dict, write_pack_stream
    from quizgen._speedups import compiled_modules

    shows = SyntheticShows(size, seed)
    out = {"size": size, "compiled": list(compiled_modules())}
    with tempfile.TemporaryDirectory() as tmp:
        target = os.path.join(tmp, "pack.json")
        if mode in ("stream", "memory"):
            timed = _TimedShows(shows)
            source = list(timed) if mode == "memory" else timed  # memory: facts validated and held beforehand
            start = time.process_time()
            with open(target, "wb") as fh:
                n = write_pack_stream(fh, pack_id="bench", title="bench", shows=(), seed=seed,
                                      generator={}, questions=generate_questions(source, seed=seed, count=None))
            elapsed = time.process_time() - start
            # stream: the facts were made inside the timed run; memory: before it
            loading_inside = timed.seconds if mode == "stream" else 0.0
            out["seconds"] = elapsed - loading_inside
            out["end_to_end"] = out["seconds"] + timed.seconds
            out["questions"] = n
            out["bytes"] = os.path.getsize(target)
        else:  # floor: serialise the same questions, built beforehand, chunk by chunk, with the same writer
            stdlib = json.JSONEncoder(ensure_ascii=False, check_circular=False, separators=(",", ":")).encode
            seconds = std_seconds = 0.0
            n = 0
            questions = generate_questions(shows, seed=seed, count=None)
            with open(target, "wb") as fh, open(os.devnull, "wb") as null:
                while True:
                    chunk = [q for _, q in zip(range(50_000), questions)]
                    if not chunk:
                        break
                    start = time.process_time()
                    write_pack_stream(fh, pack_id="bench", title="bench", shows=(), seed=seed, generator={},
                                      questions=chunk)
                    seconds += time.process_time() - start
                    start = time.process_time()  # the standard library's encoder, for comparison
                    for q in chunk:
                        null.write((stdlib(question_dict(q)) + ",\n").encode())
                    std_seconds += time.process_time() - start
                    n += len(chunk)
            out["seconds"], out["stdlib_seconds"], out["questions"] = seconds, std_seconds, n
    out["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return out


def child_env(pure: bool) -> dict[str, str]:
    """The environment of a measuring child: quizgen's hot modules compiled, or their source with ``pure``."""
    env = dict(os.environ)
    env.pop("QUIZGEN_PURE_PYTHON", None)
    if pure:
        env["QUIZGEN_PURE_PYTHON"] = "1"
    return env


def modules_line(compiled) -> str:
    """The line under a table that says how quizgen's hot modules ran."""
    return f"quizgen's hot modules: {'compiled (' + ', '.join(compiled) + ')' if compiled else 'Python source'}"


def _child_run(mode: str, size: int, seed: int, pure: bool) -> dict:
    """One fresh process measuring ``mode`` at ``size``."""
    proc = subprocess.run([sys.executable, __file__, "--child", mode, "--sizes", str(size), "--seed", str(seed)],
                          capture_output=True, text=True, check=True, env=child_env(pure))
    return json.loads(proc.stdout)


def run(modes: tuple[str, ...], size: int, seed: int, pure: bool) -> dict[str, dict]:
    """Each mode's fastest of a few fresh-process runs: the least disturbed by other load.

    The modes take turns (stream, floor, stream, floor, ...), so that a ratio between them compares
    runs made under the same conditions: this machine's speed drifts by a third within minutes.
    Every size gets the same number of turns: the best of five short runs beats the best of two long
    ones by luck alone, which made "vs 10k" look worse at 1M than the code is.
    """
    runs: dict[str, list[dict]] = {mode: [] for mode in modes}
    for _ in range(TURNS):
        for mode in modes:
            runs[mode].append(_child_run(mode, size, seed, pure))
    best = {}
    for mode, results in runs.items():
        best[mode] = min(results, key=lambda r: r["seconds"])
        best[mode]["peak_mb"] = max(r["peak_mb"] for r in results)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--child", choices=("stream", "floor", "memory"))
    parser.add_argument("--pure", action="store_true", help="run quizgen's hot modules from their Python source")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    if args.child:
        print(json.dumps(_child(args.child, sizes[0], args.seed)))
        return
    print("| questions | CPU seconds | questions/s | µs/question | vs 10k | peak RSS MB | floor s | total / floor "
          "| total / stdlib-json floor | end to end, q/s | facts held in memory, q/s |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    base = None
    for size in sizes:
        # facts held in memory beforehand: only up to 100k (a million questions' facts would not fit the budget)
        best = run(("stream", "floor", "memory") if size <= 100_000 else ("stream", "floor"), size, args.seed,
                   args.pure)
        stream, floor, held = best["stream"], best["floor"], best.get("memory")
        compiled = stream["compiled"]
        n, seconds = stream["questions"], stream["seconds"]
        per_q = seconds / n * 1e6
        base = base or per_q
        held_text = f"{held['questions'] / held['seconds']:,.0f}" if held else "–"
        print(f"| {n:,} | {seconds:.2f} | {n / seconds:,.0f} | {per_q:.1f} | {per_q / base:.2f}× | "
              f"{stream['peak_mb']:.0f} | {floor['seconds']:.2f} | {seconds / floor['seconds']:.1f}× | "
              f"{seconds / floor['stdlib_seconds']:.1f}× | {n / stream['end_to_end']:,.0f} | {held_text} |", flush=True)
    print(f"\n{modules_line(compiled)}")


if __name__ == "__main__":
    main()
