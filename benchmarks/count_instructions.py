"""Instructions a question costs, counted by valgrind's callgrind: a measure the machine's speed does not move.

    python benchmarks/count_instructions.py [--small 5000] [--large 15000] [--pure]

CPU seconds on this VM drift by a third within minutes and by 2x between days; the instructions
a question costs stay put for the same code, interpreter and inputs, so they are how a change to
the generator is judged, and how a run's questions/s is compared with another day's. For each
mode it runs a fresh interpreter under callgrind twice, on fewer and more shows of the synthetic
corpus of ``bench_generate.py``, and divides the difference in instructions by the difference in
questions, so that start-up and imports cancel out (both runs make and validate the same shows
beforehand, so loading facts cancels out too):

  * generate: every question made and dropped;
  * generate + write: every question made and written by ``write_pack_stream`` (to /dev/null);
  * write alone: the second minus the first, the serialisation floor in instructions.

``PYTHONHASHSEED=0`` keeps set and dict orders, and so the counts, the same from run to run.
Needs ``valgrind`` (Debian's package). Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from bench_generate import QUESTIONS_PER_SHOW, SyntheticShows, child_env, modules_line  # noqa: E402


def _child(mode: str, size: int, made: int) -> None:
    from collections import deque

    from quizgen import generate_questions, write_pack_stream
    from quizgen._speedups import compiled_modules

    # both runs make and validate the same shows (the larger run's), so that loading cancels out too
    shows = list(SyntheticShows(made, 1))[:-(-size // QUESTIONS_PER_SHOW)]
    questions = generate_questions(shows, seed=1, count=None)
    if mode == "generate":
        deque(questions, maxlen=0)
    else:
        with open(os.devnull, "wb") as fh:
            write_pack_stream(fh, pack_id="bench", title="bench", shows=(), seed=1, generator={}, questions=questions)
    print(json.dumps(list(compiled_modules())))


def _questions(size: int) -> int:
    """How many questions the synthetic corpus of ``size`` makes (the generator leaves a few out)."""
    from quizgen import generate_questions

    return sum(1 for _ in generate_questions(SyntheticShows(size, 1), seed=1, count=None))


def _instructions(mode: str, size: int, made: int, pure: bool) -> tuple[int, list[str]]:
    """The instructions one run under callgrind took, and which of quizgen's hot modules it ran compiled."""
    env = dict(child_env(pure), PYTHONHASHSEED="0")
    with tempfile.TemporaryDirectory() as tmp:
        proc = subprocess.run(["valgrind", "--tool=callgrind", f"--callgrind-out-file={tmp}/out",
                               sys.executable, __file__, "--child", mode, "--small", str(size), "--large", str(made)],
                              capture_output=True, text=True, env=env)
    if proc.returncode:
        raise SystemExit(f"count_instructions: the {mode} run of {size} failed:\n{proc.stderr[-2000:]}")
    found = re.search(r"Collected : (\d+)", proc.stderr)
    if not found:
        raise SystemExit(f"count_instructions: callgrind printed no count for the {mode} run of {size}")
    return int(found.group(1)), json.loads(proc.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", type=int, default=5_000, help="questions in the smaller run")
    parser.add_argument("--large", type=int, default=15_000, help="questions in the larger run")
    parser.add_argument("--pure", action="store_true", help="run quizgen's hot modules from their Python source")
    parser.add_argument("--child", choices=("generate", "write"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(args.child, args.small, args.large)
        return
    if shutil.which("valgrind") is None:
        raise SystemExit("count_instructions: valgrind is not installed (Debian: apt-get install valgrind)")
    if args.large <= args.small:
        raise SystemExit("count_instructions: --large must be more than --small")
    extra = _questions(args.large) - _questions(args.small)
    per_q, compiled = {}, set()
    for mode in ("generate", "write"):
        (large, ran_large), (small, ran_small) = (_instructions(mode, n, args.large, args.pure)
                                                  for n in (args.large, args.small))
        per_q[mode] = (large - small) / extra
        compiled |= {tuple(ran_large), tuple(ran_small)}
    if len(compiled) != 1:
        raise SystemExit(f"count_instructions: the runs did not all run the same modules compiled: {compiled}")
    print("| instructions per question | count |")
    print("|---|---:|")
    print(f"| generate | {per_q['generate']:,.0f} |")
    print(f"| write alone (the floor) | {per_q['write'] - per_q['generate']:,.0f} |")
    print(f"| generate + write | {per_q['write']:,.0f} |")
    print(f"\n{extra:,} questions between the runs; {modules_line(compiled.pop())}")


if __name__ == "__main__":
    main()
