"""The compiled hot modules (``quizgen/_speedups.py``, ``setup.py``): the same packs as the plain source,
the source run when asked (``QUIZGEN_PURE_PYTHON``) or when it changed after it was compiled, and plain
Python when nothing was compiled. Compiled or not is all or none: ``_distractors`` and ``_generate``
use ``_templates``' compiled ``Plan`` type, so one module run from source takes the others with it.

Every run under test is a fresh ``sys.executable`` process: which modules run compiled is decided once,
when ``quizgen`` is first imported. The stale-source and nothing-compiled cases run on copies of the
package in ``tmp_path``; the package's own files are never touched.

Where this checkout has no compiled modules (installed without a C compiler), the tests that need them
are skipped, except under CI (``$CI`` set), where the install has a compiler and their absence fails.
"""

from __future__ import annotations

import importlib.machinery
import json
import os
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from facts_builders import REPO, TPT_FACTS

import quizgen
from quizgen import _speedups
from quizgen._speedups import HOT

PACKAGE = Path(quizgen.__file__).resolve().parent
BENCHMARKS = REPO / "benchmarks"
SLACK = 2.0  # seconds a .py may be newer than its compiled file and still count as compiled from it
TIMEOUT = 120

# What a fresh process that imports quizgen runs; with a facts file and a target, it also writes that
# facts file's seed-0 pack through the command line's own code.
PROBE = r"""
import json, os, sys, warnings
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    import quizgen
from quizgen import _speedups

def finders():
    return sum(isinstance(f, _speedups._FromSource) for f in sys.meta_path)

report = {
    "package": quizgen.__file__,
    "compiled": list(_speedups.compiled_modules()),
    "files": {n: getattr(sys.modules.get("quizgen." + n), "__file__", None) for n in _speedups.HOT},
    "finders": finders(),
    "warnings": [str(w.message) for w in caught],
}
if len(sys.argv) > 1:
    from quizgen.cli import main
    main(["generate", sys.argv[1], "--seed", "0", "-o", sys.argv[2]], standalone_mode=False)
os.environ["QUIZGEN_PURE_PYTHON"] = "1"
_speedups.choose()
report["finders_after_choosing_pure"] = finders()
print(json.dumps(report))
"""

# About 3000 synthetic questions per run (the benchmark's Faker-made shows), written as packs; prints their hashes
SYNTHETIC = r"""
import hashlib, io, json, sys
sys.path.insert(0, sys.argv[1])
from bench_generate import SyntheticShows
import quizgen
from quizgen import _speedups

packs = {}
for seed, difficulty, count in ((5, "mixed", None), (11, "hard", None), (2, "mixed", 700)):
    buf = io.BytesIO()
    n = quizgen.write_pack_stream(
        buf, pack_id="synthetic", title="Synthetic", shows=(), seed=seed,
        generator={"count": count, "difficulty": difficulty, "kinds": None},
        questions=quizgen.generate_questions(SyntheticShows(3000, seed), seed=seed, difficulty=difficulty,
                                             count=count))
    packs[f"seed={seed} difficulty={difficulty} count={count}"] = [n, hashlib.sha256(buf.getvalue()).hexdigest()]
print(json.dumps({
    "compiled": list(_speedups.compiled_modules()),
    "files": {n: sys.modules["quizgen." + n].__file__ for n in _speedups.HOT},
    "packs": packs,
}))
"""


# --------------------------------------------------------------------------- helpers


def compiled_file(package: Path, name: str) -> Path | None:
    for suffix in importlib.machinery.EXTENSION_SUFFIXES:
        if (package / f"{name}{suffix}").exists():
            return package / f"{name}{suffix}"
    return None


def compiled_files(package: Path = PACKAGE) -> dict[str, Path]:
    return {name: path for name in HOT if (path := compiled_file(package, name)) is not None}


def is_stale(package: Path, name: str) -> bool:
    return (package / f"{name}.py").stat().st_mtime > compiled_file(package, name).stat().st_mtime + SLACK


def running_compiled(package: Path = PACKAGE) -> tuple[str, ...]:
    """The hot modules a fresh process should run compiled from this package: all of them, when every one is
    compiled and none changed since; otherwise none (they share compiled types: all or none)."""
    present = compiled_files(package)
    if len(present) == len(HOT) and not any(is_stale(package, name) for name in present):
        return HOT
    return ()


def skip_or_fail(reason: str) -> None:
    """On a laptop, skip; under CI (which installs with a C compiler) this is a build regression: fail."""
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI is set: the install compiles the hot modules, so this is a build regression)",
                    pytrace=False)
    pytest.skip(reason)


def require_compiled(what: str) -> dict[str, Path]:
    """The compiled files next to the package's .py files; a skip (a failure under CI) when there are none."""
    present = compiled_files()
    if not present:
        skip_or_fail(f"no compiled hot modules next to {PACKAGE}/*.py (installed without a C compiler?): "
                     f"{what} not tested")
    return present


def require_running_compiled(what: str) -> dict[str, Path]:
    """As require_compiled, and every hot module compiled and unchanged since, so that a process runs them."""
    present = require_compiled(what)
    missing = [name for name in HOT if name not in present]
    stale = [name for name in present if is_stale(PACKAGE, name)]
    if missing or stale:
        skip_or_fail(f"a process here runs quizgen's source, not its compiled modules (not compiled: {missing}; "
                     f"source changed after compiling: {stale}; `pip install -e .` compiles them): {what} not tested")
    return present


def speedup_warnings(report: dict) -> list[str]:
    return [w for w in report["warnings"] if "compil" in w]


def environment(pure: str | None = None, pythonpath: Path | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "QUIZGEN_PURE_PYTHON"}
    if pure is not None:
        env["QUIZGEN_PURE_PYTHON"] = pure
    if pythonpath is not None:
        env["PYTHONPATH"] = str(pythonpath)
    return env


def run_all(runs: list[tuple[list[str], dict]]) -> list[subprocess.CompletedProcess]:
    """``python ARGS`` for each run, a few at a time; each must exit 0."""
    def one(run):
        args, kwargs = run
        kwargs = {"cwd": REPO, "env": environment(), **kwargs}
        done = subprocess.run([sys.executable, *map(str, args)], capture_output=True, timeout=TIMEOUT, **kwargs)
        assert done.returncode == 0, (f"python {' '.join(map(str, args))} exited {done.returncode}:\n"
                                      f"{done.stderr.decode(errors='replace')[-3000:]}")
        return done

    with ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 2)) as pool:
        return list(pool.map(one, runs))


def probe(**kwargs) -> dict:
    return json.loads(run_all([(["-c", PROBE, *kwargs.pop("args", ())], kwargs)])[0].stdout)


def copy_package(tmp_path: Path, pattern: str = "*") -> Path:
    """A copy of the quizgen package (the files matching ``pattern``, times kept) in tmp_path/quizgen."""
    target = tmp_path.resolve() / "quizgen"
    target.mkdir()
    for path in PACKAGE.glob(pattern):
        if path.is_file():
            shutil.copy2(path, target / path.name)
    return target


def first_difference(a: bytes, b: bytes) -> str:
    for n, (x, y) in enumerate(zip(a.splitlines(), b.splitlines()), start=1):
        if x != y:
            return f"line {n}:\n  pure:     {x[:300]!r}\n  compiled: {y[:300]!r}"
    return f"pure has {len(a.splitlines())} lines, compiled {len(b.splitlines())}"


# --------------------------------------------------------------------------- 1. the same output, pure and compiled

CLI_CASES = [(0, "json", ()), (7, "json", ("--difficulty", "hard", "--count", "25")), (0, "gift", ()), (7, "csv", ())]


@pytest.fixture(scope="module")
def cli_outputs() -> dict:
    """``python -m quizgen.cli generate questions/tiny-pretty-things.yaml`` for each case, pure and not."""
    runs, keys = [], []
    for mode, pure in (("pure", "1"), ("default", None)):
        for seed, fmt, extra in CLI_CASES:
            args = ["-m", "quizgen.cli", "generate", "questions/tiny-pretty-things.yaml", "--seed", seed,
                    "--format", fmt, *extra]
            runs.append((args, {"env": environment(pure)}))
            keys.append((mode, seed, fmt))
    return {key: done.stdout for key, done in zip(keys, run_all(runs))}


@pytest.mark.parametrize(("seed", "fmt"), [(seed, fmt) for seed, fmt, _ in CLI_CASES])
def test_the_command_line_writes_the_same_bytes_pure_and_compiled(cli_outputs, seed, fmt):
    require_running_compiled("pure/compiled parity")
    pure, compiled = cli_outputs["pure", seed, fmt], cli_outputs["default", seed, fmt]
    assert len(pure.splitlines()) > 10
    if pure != compiled:
        pytest.fail(f"--seed {seed} --format {fmt}: the compiled modules write a different pack at "
                    f"{first_difference(pure, compiled)}")


def test_thousands_of_synthetic_questions_are_the_same_pure_and_compiled():
    require_running_compiled("pure/compiled parity")
    pure, compiled = (json.loads(done.stdout) for done in run_all([
        (["-c", SYNTHETIC, BENCHMARKS], {"env": environment("1")}),
        (["-c", SYNTHETIC, BENCHMARKS], {"env": environment()}),
    ]))
    assert pure["compiled"] == []
    assert pure["files"] == {name: str(PACKAGE / f"{name}.py") for name in HOT}
    assert compiled["compiled"] == list(HOT)
    assert all(n > 600 for n, _ in pure["packs"].values()), pure["packs"]
    assert pure["packs"] == compiled["packs"]


# --------------------------------------------------------------------------- 2. which modules run compiled


def test_this_process_runs_what_choose_picked():
    if _speedups.pure_python_requested():
        assert _speedups.compiled_modules() == ()
        assert all(sys.modules[f"quizgen.{name}"].__file__.endswith(".py") for name in HOT)
    else:
        assert _speedups.compiled_modules() == running_compiled()


@pytest.mark.parametrize("pure", [None, "", "0"], ids=["unset", "empty", "0"])
def test_a_normal_process_runs_the_hot_modules_compiled(pure):
    present = require_compiled("running compiled")
    report = probe(env=environment(pure))
    if running_compiled() == HOT:
        assert report["compiled"] == list(HOT)
        assert report["files"] == {name: str(present[name]) for name in HOT}
        assert report["finders"] == 0
        assert speedup_warnings(report) == []
        assert report["finders_after_choosing_pure"] == 1
    else:  # a build that left some out, or source changed since: all from source, and a warning says why
        assert report["compiled"] == []
        assert report["files"] == {name: str(PACKAGE / f"{name}.py") for name in HOT}
        assert report["finders"] == 1
        assert len(speedup_warnings(report)) == 1, report["warnings"]
        require_running_compiled("running compiled")  # skips, or fails under CI


@pytest.mark.parametrize("pure", ["1", "yes"])
def test_asking_for_pure_python_runs_every_hot_module_from_its_source(pure):
    require_compiled("QUIZGEN_PURE_PYTHON")
    report = probe(env=environment(pure))
    assert report["compiled"] == []
    assert report["files"] == {name: str(PACKAGE / f"{name}.py") for name in HOT}
    assert report["finders"] == 1
    assert speedup_warnings(report) == []  # pure by request: a changed source is not news


# --------------------------------------------------------------------------- 3. source changed after compiling


def set_mtime(path: Path, mtime: float) -> None:
    os.utime(path, (path.stat().st_atime, mtime))


@pytest.mark.parametrize("stale", HOT)
def test_a_module_changed_after_compiling_sends_all_to_source_with_a_warning(tmp_path, cli_outputs, stale):
    require_running_compiled("stale detection")
    package = copy_package(tmp_path)
    set_mtime(package / f"{stale}.py", compiled_file(package, stale).stat().st_mtime + 10)
    pack = tmp_path / "pack.json"

    report = probe(args=[TPT_FACTS, pack], env=environment(pythonpath=tmp_path), cwd=tmp_path)

    assert Path(report["package"]).parent == package
    assert report["files"][stale] == str(package / f"{stale}.py")
    # all or none: _distractors and _generate use _templates' compiled Plan, so the others follow
    assert report["compiled"] == []
    assert report["files"] == {name: str(package / f"{name}.py") for name in HOT}
    warned = speedup_warnings(report)
    assert len(warned) == 1 and f"{package / stale}.py" in warned[0], report["warnings"]
    assert not any(f"{package / name}.py" in warned[0] for name in HOT if name != stale), warned[0]
    assert pack.read_bytes() == cli_outputs["default", 0, "json"]


def test_a_declarations_file_changed_after_compiling_sends_all_to_source_with_a_warning(tmp_path, cli_outputs):
    # _templates.pxd lays out the compiled Plan that _distractors and _generate were compiled against
    require_running_compiled("stale declarations")
    package = copy_package(tmp_path)
    newest = max(compiled_file(package, name).stat().st_mtime for name in HOT)
    set_mtime(package / "_templates.pxd", newest + 10)
    pack = tmp_path / "pack.json"

    report = probe(args=[TPT_FACTS, pack], env=environment(pythonpath=tmp_path), cwd=tmp_path)

    assert report["compiled"] == []
    assert report["files"] == {name: str(package / f"{name}.py") for name in HOT}
    warned = speedup_warnings(report)
    assert len(warned) == 1 and str(package / "_templates.pxd") in warned[0], report["warnings"]
    assert pack.read_bytes() == cli_outputs["default", 0, "json"]


def test_sources_written_moments_after_compiling_still_run_compiled(tmp_path):
    require_running_compiled("stale detection")
    package = copy_package(tmp_path)
    for name in HOT:  # a wheel install writes the .py and the compiled file moments apart
        set_mtime(package / f"{name}.py", compiled_file(package, name).stat().st_mtime + 1)

    report = probe(env=environment(pythonpath=tmp_path), cwd=tmp_path)

    assert report["compiled"] == list(HOT)
    assert all(Path(report["files"][name]).parent == package for name in HOT)
    assert report["finders"] == 0
    assert speedup_warnings(report) == []


def test_a_module_left_uncompiled_sends_all_to_source_with_a_warning(tmp_path, cli_outputs):
    present = require_running_compiled("a partial build")
    package = copy_package(tmp_path)
    (package / present["_pack"].name).unlink()  # its optional extension failed to build
    pack = tmp_path / "pack.json"

    report = probe(args=[TPT_FACTS, pack], env=environment(pythonpath=tmp_path), cwd=tmp_path)

    assert report["compiled"] == []
    assert report["files"] == {name: str(package / f"{name}.py") for name in HOT}
    warned = speedup_warnings(report)
    assert len(warned) == 1 and "_pack" in warned[0], report["warnings"]
    assert pack.read_bytes() == cli_outputs["default", 0, "json"]


# --------------------------------------------------------------------------- 4. nothing compiled


def test_with_nothing_compiled_no_finder_is_installed_and_the_pack_is_the_same(tmp_path, cli_outputs):
    package = copy_package(tmp_path, "*.py")
    assert compiled_files(package) == {}
    pack = tmp_path / "pack.json"

    report = probe(args=[TPT_FACTS, pack], env=environment(pythonpath=tmp_path), cwd=tmp_path)

    assert Path(report["package"]).parent == package
    assert report["compiled"] == []
    assert report["files"] == {name: str(package / f"{name}.py") for name in HOT}
    assert report["finders"] == 0
    assert report["finders_after_choosing_pure"] == 0  # nothing to pass over, even when asked to
    assert speedup_warnings(report) == []
    assert pack.read_bytes() == cli_outputs["default", 0, "json"]


# --------------------------------------------------------------------------- 5. every generator test, pure


def test_the_generator_tests_pass_on_the_plain_source_too():
    # This suite runs the compiled modules; the same tests must hold for the source that a machine without a
    # C compiler runs (the property tests above all). They run once more here, in a pure-Python process.
    if _speedups.compiled_modules() == ():
        pytest.skip("this process already runs quizgen's plain source: the suite itself is the pure run")
    done = subprocess.run([sys.executable, "-m", "pytest", "tests/quizgen", "-q", "-x", "-p", "no:cacheprovider",
                           "--ignore", "tests/quizgen/test_speedups.py"],
                          cwd=REPO, env=environment("1"), capture_output=True, timeout=600)
    assert done.returncode == 0, done.stdout.decode(errors="replace")[-4000:]
    assert b" passed" in done.stdout
