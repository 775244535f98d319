"""The library's command line: validate, generate, stats, build, schema.

The installed ``quizgen`` command is this group with the game's commands (serve, import, db) added
by the web package (``webapp.cli``); the library itself never loads the web layer.

Exit codes: 0 success, 1 invalid data (each problem printed as ``file:line: message``),
2 a usage error. A user's mistake never prints a traceback, and output files are
written whole or not at all.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import click

from ._api import (check_file, file_kind, generator_settings, load_facts_files, load_shows, pack_from_shows,
                   pack_identity, write_schemas)
from ._errors import QuizgenError
from ._export import EXPORT_FORMATS, export_questions
from ._facts import FACT_KINDS
from ._generate import DIFFICULTY_CHOICES, GenerationReport, generate_questions, show_refs
from ._pack import DIFFICULTIES, atomic_writer, dumps_pack, write_pack_stream

QUESTIONS_DIR = Path("questions")
OUTPUT_FORMATS = ("json", *EXPORT_FORMATS)


class Failed(click.ClickException):
    """A user's mistake: one line on stderr, exit 1."""

    exit_code = 1

    def show(self, file=None) -> None:
        click.echo(self.format_message(), err=True)


def _expand(paths: tuple[str, ...]) -> list[Path]:
    out: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            out += sorted(p for p in path.iterdir() if p.suffix.lower() in (".yaml", ".yml", ".json") and p.is_file())
        else:
            out.append(path)
    return out


def _kinds(value: str | None) -> list[str] | None:
    if not value:
        return None
    kinds = [k.strip() for k in value.split(",") if k.strip()]
    unknown = [k for k in kinds if k not in FACT_KINDS]
    if unknown:
        raise click.BadParameter(f"unknown kind {', '.join(unknown)}; kinds are {', '.join(FACT_KINDS)}")
    return kinds


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="quizgen")
def main() -> None:
    """Fair multiple-choice trivia packs from sourced facts about TV shows."""


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
def validate(paths: tuple[str, ...]) -> None:
    """Check facts files (.yaml) and packs (.json); print each problem as file:line: message."""
    bad = 0
    files = _expand(paths)
    for path in files:
        result = check_file(path)
        for problem in result.problems:
            click.echo(str(problem))
        for conflict in result.conflicts:
            click.echo(str(conflict))
        bad += bool(result.problems)
    click.echo(f"{len(files)} file(s) checked, {bad} invalid", err=True)
    sys.exit(1 if bad else 0)


def _facts_only(paths: list[Path]) -> list[Path]:
    packs = [p for p in paths if file_kind(p) != "facts"]
    if packs:
        raise click.UsageError(f"{packs[0]}: generate reads facts files (.yaml), not packs")
    if not paths:
        raise click.UsageError("no facts files given")
    return paths


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
@click.option("--seed", type=int, default=0, show_default=True, help="Same facts and seed give the same pack.")
@click.option("--count", type=click.IntRange(min=1), default=None, help="How many questions (default: all).")
@click.option("--difficulty", type=click.Choice(DIFFICULTY_CHOICES), default="mixed", show_default=True)
@click.option("--kinds", default=None, help=f"Comma-separated fact kinds: {', '.join(FACT_KINDS)}.")
@click.option("--format", "fmt", type=click.Choice(OUTPUT_FORMATS), default="json", show_default=True)
@click.option("--id", "pack_id", default=None, help="The pack's id (default: made from the shows).")
@click.option("--title", default=None, help="The pack's title (default: the shows' titles).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), default=None,
              help="Write here (atomically) instead of standard output.")
def generate(paths, seed, count, difficulty, kinds, fmt, pack_id, title, output) -> None:
    """Generate one pack from one or more facts files."""
    kinds_list = _kinds(kinds)
    files = _facts_only(_expand(paths))
    report = GenerationReport()
    try:
        shows = load_shows(files)
        questions = generate_questions(shows, seed=seed, count=count, difficulty=difficulty, kinds=kinds_list,
                                       report=report)
    except QuizgenError as exc:
        raise Failed(str(exc)) from None
    if sys.stderr.isatty():
        questions = _with_progress(questions, count)
    binary = fmt != "json" and EXPORT_FORMATS[fmt].binary
    if output is None and binary and sys.stdout.isatty():
        raise click.UsageError(f"{fmt} is a binary format: give -o FILE")

    def write(fh) -> None:
        if fmt == "json":
            pid, ptitle = pack_identity(shows, pack_id, title)
            write_pack_stream(fh, pack_id=pid, title=ptitle, shows=show_refs(shows), seed=seed,
                              generator=generator_settings(count, difficulty, kinds_list), questions=questions)
        else:
            for skipped in export_questions(questions, fmt, fh) or ():
                click.echo(f"left out {skipped.question_id}: {skipped.reason}", err=True)

    as_bytes = binary or fmt == "json"  # the pack writer makes bytes: a text stream would decode them again
    try:
        if output is None:
            write(sys.stdout.buffer if as_bytes else sys.stdout)
        else:
            with atomic_writer(output, binary=as_bytes) as fh:
                write(fh)
    except QuizgenError as exc:
        raise Failed(str(exc)) from None
    except (FileExistsError, NotADirectoryError):
        raise Failed(f"{output}: cannot write: a file stands where its folder should be") from None
    except OSError as exc:
        raise Failed(f"{output or '<stdout>'}: cannot write: {exc.strerror}") from None
    if count is not None and report.total() < count:
        click.echo(f"made {report.total()} of the {count} questions asked for: {_shortfall(report)}; "
                   f"`quizgen stats` lists each fact that gave no question", err=True)


def _shortfall(report: GenerationReport) -> str:
    """Why a run made fewer questions than asked, in one clause."""
    reasons = report.reasons()
    if not reasons:
        return "the facts give no more"
    told = ", ".join(f"{n} for {reason}" for reason, n in reasons.most_common())
    return f"the facts give no more ({len(report.left_out)} left out: {told})"


def _with_progress(questions, count):
    with click.progressbar(questions, length=count, label="generating", file=sys.stderr) as bar:
        yield from bar


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
@click.option("--seed", type=int, default=0, show_default=True)
def stats(paths, seed) -> None:
    """Facts per kind, questions per kind and difficulty, and conflicts."""
    files = _facts_only(_expand(paths))
    try:
        loaded = load_facts_files(files)
        shows = [one.facts for one in loaded]
        conflicts = [c for one in loaded for c in one.conflicts]
    except QuizgenError as exc:
        raise Failed(str(exc)) from None
    facts = Counter(f.kind for s in shows for f in s.facts)
    report = GenerationReport()
    for _ in generate_questions(shows, seed=seed, report=report):
        pass
    click.echo(f"shows: {len(shows)}")
    click.echo("facts per kind:")
    for kind in FACT_KINDS:
        if facts[kind]:
            click.echo(f"  {kind:<10} {facts[kind]:>6}")
    click.echo("questions per kind (easy / medium / hard / total):")
    for kind in FACT_KINDS:
        row = [report.made[(kind, d)] for d in DIFFICULTIES]
        if sum(row):
            click.echo(f"  {kind:<10} {row[0]:>6} {row[1]:>6} {row[2]:>6} {sum(row):>6}")
    click.echo(f"  {'all':<10} {sum(report.made.values()):>27}")
    click.echo(f"left out: {len(report.left_out)}")
    for item in report.left_out:
        one = loaded[item.show_index]
        what = f"{item.fact} ({item.template})" if item.template else item.fact
        click.echo(f"  {one.path}:{one.line_of(('facts', item.fact_index))}: {what}: {item.reason}")
    click.echo(f"conflicts: {len(conflicts)} (never asked)")
    for conflict in conflicts:
        click.echo(f"  {conflict}")


@main.command()
@click.option("--questions", "folder", type=click.Path(file_okay=False, exists=True), default=str(QUESTIONS_DIR),
              show_default=True)
@click.option("--seed", type=int, default=0, show_default=True)
def build(folder, seed) -> None:
    """Validate every facts file in the questions folder and write each show's pack to packs/."""
    folder = Path(folder)
    facts_files = sorted(folder.glob("*.yaml")) + sorted(folder.glob("*.yml"))
    if not facts_files:
        raise Failed(f"{folder}: no facts files (*.yaml)")
    results = [check_file(p) for p in facts_files]
    problems = [p for r in results for p in r.problems]
    for line in problems:
        click.echo(str(line), err=True)
    if problems:
        sys.exit(1)
    for path, result in zip(facts_files, results, strict=True):
        pack = pack_from_shows([result.facts.facts], seed=seed)
        target = folder / "packs" / f"{pack.id}.json"
        with atomic_writer(target) as fh:
            fh.write(dumps_pack(pack))
        click.echo(f"{target}: {len(pack.questions)} questions from {path}")


@main.command()
@click.argument("folder", type=click.Path(file_okay=False), default=str(QUESTIONS_DIR / "schema"))
def schema(folder) -> None:
    """Write the facts and pack JSON Schemas (generated from the models)."""
    for path in write_schemas(folder):
        click.echo(str(path))


if __name__ == "__main__":
    main()
