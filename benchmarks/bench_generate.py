"""Generator benchmark: questions per second, peak memory and the serialisation floor.

    python benchmarks/bench_generate.py [--sizes 10000,100000,1000000] [--seed 1]

For each size it builds a synthetic corpus with Faker (shows of 25 cast pairs plus
dates and scores, as many shows as the size needs), then, each in a fresh process:
  * stream: generate every question and write the pack to a file (the real path);
  * floor: the same questions, already built, only serialised by the same JSON writer.
Times are CPU seconds of the one process (one core), the best of three fresh runs
(one at 1M), so that other load on the machine disturbs them least. It prints a
Markdown table; docs/performance.md records the numbers.
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


def _child(mode: str, size: int, seed: int) -> dict:
    from quizgen import generate_questions, question_dict, write_pack_stream
    from quizgen._generate import show_refs
    from quizgen._pack import _encode

    shows = SyntheticShows(size, seed)
    if mode == "memory":  # facts validated and held beforehand: the generator alone
        shows, mode = list(shows), "stream"
    out = {"size": size}
    with tempfile.TemporaryDirectory() as tmp:
        target = os.path.join(tmp, "pack.json")
        if mode == "stream":
            start = time.process_time()
            with open(target, "w", encoding="utf-8") as fh:
                n = write_pack_stream(fh, pack_id="bench", title="bench", shows=show_refs(shows), seed=seed,
                                      generator={}, questions=generate_questions(shows, seed=seed, count=None))
            out["seconds"] = time.process_time() - start
            out["questions"] = n
            out["bytes"] = os.path.getsize(target)
        else:  # floor: serialise the same questions, built beforehand, chunk by chunk
            seconds, n, chunk = 0.0, 0, []
            questions = generate_questions(shows, seed=seed, count=None)
            with open(target, "w", encoding="utf-8") as fh:
                while True:
                    chunk = [q for _, q in zip(range(50_000), questions)]
                    if not chunk:
                        break
                    start = time.process_time()
                    for q in chunk:
                        fh.write(_encode(question_dict(q)))
                        fh.write(",\n")
                    seconds += time.process_time() - start
                    n += len(chunk)
            out["seconds"], out["questions"] = seconds, n
    out["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return out


def run(mode: str, size: int, seed: int) -> dict:
    """The fastest of a few fresh-process runs (fewer for big sizes): the least disturbed by other load."""
    runs = []
    for _ in range(3 if size <= 100_000 else 1):
        proc = subprocess.run([sys.executable, __file__, "--child", mode, "--sizes", str(size), "--seed", str(seed)],
                              capture_output=True, text=True, check=True)
        runs.append(json.loads(proc.stdout))
    best = min(runs, key=lambda r: r["seconds"])
    best["peak_mb"] = max(r["peak_mb"] for r in runs)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--child", choices=("stream", "floor", "memory"))
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    if args.child:
        print(json.dumps(_child(args.child, sizes[0], args.seed)))
        return
    print("| questions | CPU seconds | questions/s | µs/question | vs 10k | peak RSS MB | floor s | total / floor "
          "| generator alone, q/s |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    base = None
    for size in sizes:
        stream, floor = run("stream", size, args.seed), run("floor", size, args.seed)
        # the generator alone needs the facts held in memory, so it is measured only up to 100k
        alone = run("memory", size, args.seed) if size <= 100_000 else None
        per_q = stream["seconds"] / stream["questions"] * 1e6
        base = base or per_q
        alone_text = f"{alone['questions'] / alone['seconds']:,.0f}" if alone else "–"
        print(f"| {stream['questions']:,} | {stream['seconds']:.2f} | {stream['questions'] / stream['seconds']:,.0f} | "
              f"{per_q:.1f} | {per_q / base:.2f}× | {stream['peak_mb']:.0f} | {floor['seconds']:.2f} | "
              f"{stream['seconds'] / floor['seconds']:.1f}× | {alone_text} |", flush=True)


if __name__ == "__main__":
    main()
