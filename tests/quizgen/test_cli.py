"""The command line: exit codes 0/1/2, file:line: messages, every output format, and files written whole or
not at all."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import openpyxl
import pytest
from facts_builders import DATA, REPO, TPT_FACTS

from quizgen import GenerationError, generate_questions, loads_pack

NEW_SHOW = DATA / "lantern-row.yaml"
QUIZGEN = Path(sys.executable).with_name("quizgen")


@pytest.fixture(scope="module")
def tpt_pack_text():
    from click.testing import CliRunner

    from quizgen.cli import main

    return CliRunner().invoke(main, ["generate", str(TPT_FACTS)]).stdout


# --------------------------------------------------------------------------- validate


def test_validate_a_good_file_prints_its_conflicts_and_exits_0(cli):
    result = cli("validate", TPT_FACTS)
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert len(lines) == 2
    assert all(line.startswith(f"{TPT_FACTS}:") and ": conflict: " in line and line.endswith("(not asked)")
               for line in lines)
    assert "'Brennan Clost' in" in lines[0] and "'Brennan Close' in" in lines[0]
    assert "'53' in" in lines[1] and "'52' in" in lines[1]
    assert result.stderr == "1 file(s) checked, 0 invalid\n"


def test_validate_a_folder_checks_facts_and_packs(cli):
    result = cli("validate", REPO / "questions")
    assert result.exit_code == 0
    assert result.stderr == "1 file(s) checked, 0 invalid\n"
    packs = cli("validate", REPO / "questions" / "packs")
    assert (packs.exit_code, packs.stdout, packs.stderr) == (0, "", "1 file(s) checked, 0 invalid\n")


def test_validate_prints_every_problem_as_file_line_message_and_exits_1(cli, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("format: 1\nshow:\n  id: Bad Id\n  title: 12\nfacts:\n  - kind: cast\n", encoding="utf-8")
    result = cli("validate", TPT_FACTS, bad)
    assert result.exit_code == 1
    problems = [line for line in result.stdout.splitlines() if line.startswith(str(bad))]
    assert problems == [
        f"{bad}:3: show.id: String should match pattern '^[a-z0-9][a-z0-9-]{{0,79}}$'",
        f"{bad}:4: show.title: Input should be a valid string",
        f"{bad}:6: facts[0].sources: this field is required",
        f"{bad}:6: facts[0].actor: this field is required",
    ]
    assert result.stderr == "2 file(s) checked, 1 invalid\n"


@pytest.mark.parametrize("args", [["validate"], ["validate", "no/such/file.yaml"], ["generate"],
                                  ["generate", "no-such.yaml"], ["stats"], ["frobnicate"]])
def test_usage_errors_exit_2(cli, args):
    result = cli(*args)
    assert result.exit_code == 2
    assert "Usage:" in result.stderr


def test_the_installed_command_uses_the_same_exit_codes(tmp_path):
    def run(*args):
        done = subprocess.run([str(QUIZGEN), *map(str, args)], capture_output=True, text=True, timeout=60)
        assert "Traceback" not in done.stdout + done.stderr
        return done.returncode

    assert run("validate", TPT_FACTS) == 0
    assert run("validate", REPO / "tests" / "quizgen" / "bad_inputs" / "empty.yaml") == 1
    assert run("validate", tmp_path / "missing.yaml") == 2


# --------------------------------------------------------------------------- generate


def test_generate_writes_a_pack_to_standard_output(cli, tpt_pack_text):
    pack = loads_pack(tpt_pack_text)
    assert pack.id == "tiny-pretty-things" and pack.seed == 0
    assert len(pack.questions) == len(list(generate_questions([_tpt()], seed=0)))


def _tpt():
    from quizgen import load_facts

    return load_facts(TPT_FACTS).facts


def test_generate_o_writes_the_same_bytes_as_standard_output(cli, tmp_path, tpt_pack_text):
    out = tmp_path / "sub" / "pack.json"
    result = cli("generate", TPT_FACTS, "-o", out)
    assert (result.exit_code, result.stdout) == (0, "")
    assert out.read_text(encoding="utf-8") == tpt_pack_text
    assert sorted(p.name for p in out.parent.iterdir()) == ["pack.json"]


def read_export(fmt: str, data: bytes) -> list[tuple[str, list[str], int]]:
    """(stem, options, answer index) for each question in an exported file."""
    if fmt == "json":
        return [(q.stem, list(q.options), q.answer) for q in loads_pack(data.decode()).questions]
    if fmt == "opentdb":
        import html

        doc = json.loads(data)
        assert doc["response_code"] == 0
        out = []
        for r in doc["results"]:
            assert r["type"] == "multiple" and len(r["incorrect_answers"]) == 3
            out.append((html.unescape(r["question"]), [html.unescape(r["correct_answer"])], 0))
        return out
    if fmt == "gift":
        blocks = data.decode().strip().split("\n\n")
        out = []
        for block in blocks:
            lines = block.splitlines()
            assert lines[0].startswith("// ") and lines[1].startswith("::")
            options, feedback = lines[2:-2], lines[-2]
            assert sum(o.startswith("=") for o in options) == 1 and len(options) == 4
            assert feedback.startswith("####") and " Source\\: " in feedback
            stem = lines[1].split(":: [plain] ", 1)[1].removesuffix(" {")
            out.append((stem.replace("\\", ""), options, next(i for i, o in enumerate(options) if o[0] == "=")))
        return out
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
        assert rows[0][:5] == ["id", "show", "category", "difficulty", "question"]
        return [(r[4], r[5:9], int(r[9]) - 1) for r in rows[1:]]
    if fmt == "kahoot":
        sheet = openpyxl.load_workbook(io.BytesIO(data)).active
        rows = [r for r in sheet.iter_rows(min_row=9, values_only=True) if r[1]]
        return [(r[1], list(r[2:6]), r[7] - 1) for r in rows]
    raise AssertionError(fmt)


FORMATS = ["json", "opentdb", "gift", "csv", "kahoot"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_to_a_file_and_to_standard_output(cli, tmp_path, fmt, tpt_pack_text):
    out = tmp_path / f"quiz.{fmt}"
    to_file = cli("generate", TPT_FACTS, "--seed", "0", "--format", fmt, "-o", out)
    to_stdout = cli("generate", TPT_FACTS, "--seed", "0", "--format", fmt)
    assert to_file.exit_code == to_stdout.exit_code == 0
    assert out.read_bytes() == to_stdout.stdout_bytes
    questions = loads_pack(tpt_pack_text).questions
    exported = read_export(fmt, out.read_bytes())
    assert [stem for stem, _, _ in exported] == [q.stem for q in questions]
    if fmt in ("json", "csv", "kahoot"):
        assert [(options, answer) for _, options, answer in exported] == \
            [(list(q.options), q.answer) for q in questions]


def test_count(cli):
    pack = loads_pack(cli("generate", TPT_FACTS, "--count", "7").stdout)
    assert len(pack.questions) == 7
    assert pack.generator["count"] == 7
    assert cli("generate", TPT_FACTS, "--count", "0").exit_code == 2


@pytest.mark.parametrize("difficulty", ["easy", "medium", "hard"])
def test_difficulty_yields_only_that_difficulty(cli, difficulty):
    pack = loads_pack(cli("generate", TPT_FACTS, "--difficulty", difficulty).stdout)
    assert pack.questions and {q.difficulty for q in pack.questions} == {difficulty}


def test_an_unknown_difficulty_is_a_usage_error(cli):
    result = cli("generate", TPT_FACTS, "--difficulty", "brutal")
    assert result.exit_code == 2 and "'brutal' is not one of" in result.stderr


def test_kinds(cli):
    pack = loads_pack(cli("generate", TPT_FACTS, "--kinds", "date, score").stdout)
    assert {q.kind for q in pack.questions} == {"date", "score"}
    assert pack.generator["kinds"] == ["date", "score"]
    bad = cli("generate", TPT_FACTS, "--kinds", "cast,gossip")
    assert bad.exit_code == 2 and "unknown kind gossip" in bad.stderr


def test_seed_gives_the_same_bytes_and_another_seed_other_bytes(cli):
    first = cli("generate", TPT_FACTS, "--seed", "42").stdout
    assert cli("generate", TPT_FACTS, "--seed", "42").stdout == first
    assert cli("generate", TPT_FACTS, "--seed", "43").stdout != first
    assert loads_pack(first).seed == 42


def test_several_facts_files_make_one_pack(cli):
    pack = loads_pack(cli("generate", TPT_FACTS, NEW_SHOW, "--id", "two-shows", "--title", "Two Shows").stdout)
    assert (pack.id, pack.title) == ("two-shows", "Two Shows")
    assert [s.id for s in pack.shows] == ["tiny-pretty-things", "lantern-row"]
    assert {q.show for q in pack.questions} == {"tiny-pretty-things", "lantern-row"}


def test_the_same_show_twice_is_refused(cli, tmp_path):
    copy = tmp_path / "copy.yaml"
    copy.write_text(TPT_FACTS.read_text(encoding="utf-8"), encoding="utf-8")
    result = cli("generate", TPT_FACTS, copy, "-o", tmp_path / "out.json")
    assert result.exit_code == 1
    assert result.stderr == f"{copy}:1: show.id: show 'tiny-pretty-things' is also defined in {TPT_FACTS}\n"
    assert not (tmp_path / "out.json").exists()


# --------------------------------------------------------------------------- written whole or not at all


def test_a_failed_run_leaves_no_file(cli, tmp_path):
    out = tmp_path / "pack.json"
    result = cli("generate", REPO / "tests" / "quizgen" / "bad_inputs" / "date-february-30.yaml", "-o", out)
    assert result.exit_code == 1
    assert list(tmp_path.iterdir()) == []


def test_a_failed_run_keeps_the_old_file(cli, tmp_path):
    out = tmp_path / "pack.json"
    out.write_bytes(b"the old pack")
    result = cli("generate", REPO / "tests" / "quizgen" / "bad_inputs" / "duplicate-fact.yaml", "-o", out)
    assert result.exit_code == 1
    assert out.read_bytes() == b"the old pack"
    assert [p.name for p in tmp_path.iterdir()] == ["pack.json"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_failure_in_the_middle_of_writing_keeps_the_old_file(cli, tmp_path, monkeypatch, fmt):
    real = generate_questions

    def fails_after_two(*args, **kwargs):
        def stream():
            for n, q in enumerate(real(*args, **kwargs)):
                if n == 2:
                    raise GenerationError("the facts ran out half way")
                yield q
        return stream()

    monkeypatch.setattr("quizgen.cli.generate_questions", fails_after_two)
    out = tmp_path / "quiz.out"
    out.write_bytes(b"the old quiz")
    result = cli("generate", TPT_FACTS, "--format", fmt, "-o", out)
    assert result.exit_code == 1
    assert result.stderr == "the facts ran out half way\n"
    assert out.read_bytes() == b"the old quiz"
    assert [p.name for p in tmp_path.iterdir()] == ["quiz.out"]


# --------------------------------------------------------------------------- stats, build, schema


def test_stats(cli, tpt_pack_text):
    result = cli("stats", TPT_FACTS)
    assert result.exit_code == 0
    out = result.stdout.splitlines()
    assert out[0] == "shows: 1"
    assert out[1] == "facts per kind:"
    facts = {line.split()[0]: int(line.split()[1]) for line in out[2:out.index(
        "questions per kind (easy / medium / hard / total):")]}
    assert facts == {"cast": 12, "date": 4, "score": 2, "person": 3, "work": 2, "place": 3, "count": 2,
                     "chart_run": 1, "status": 3}
    questions = loads_pack(tpt_pack_text).questions  # the same seed (0) as stats
    made = Counter((q.kind, q.difficulty) for q in questions)
    start = out.index("questions per kind (easy / medium / hard / total):") + 1
    rows = {line.split()[0]: [int(n) for n in line.split()[1:]] for line in out[start:start + 9]}
    assert rows == {kind: [made[(kind, d)] for d in ("easy", "medium", "hard")]
                    + [sum(made[(kind, d)] for d in ("easy", "medium", "hard"))]
                    for kind in facts}
    assert out[start + 9].split() == ["all", str(len(questions))]
    assert "conflicts: 2 (never asked)" in out
    assert sum(": conflict: " in line for line in out) == 2


def test_stats_counts_what_was_left_out(cli, tmp_path):
    facts = tmp_path / "lonely.yaml"
    facts.write_text("""\
format: 1
show: {id: lonely, title: Lonely}
facts:
  - kind: work
    relation: sequel
    title: Night Ferry
    of: The Tide Book
    sources: [{article: a.txt, sentence: "There is a sequel called Night Ferry."}]
""", encoding="utf-8")
    result = cli("stats", facts)
    assert result.exit_code == 0
    assert "left out: 1" in result.stdout.splitlines()
    assert f"  {facts}:4: sequel-night-ferry (sequel): fewer than three honest wrong options" in result.stdout


def test_stats_names_every_fact_that_gave_no_question_by_its_line(cli):
    result = cli("stats", TPT_FACTS)
    lines = result.stdout.splitlines()
    start = next(n for n, line in enumerate(lines) if line.startswith("left out: "))
    end = next(n for n, line in enumerate(lines) if line.startswith("conflicts: "))
    left = lines[start + 1:end]
    assert int(lines[start].split()[-1]) == len(left) > 0
    assert all(line.startswith(f"  {TPT_FACTS}:") for line in left)
    text = TPT_FACTS.read_text(encoding="utf-8").splitlines()
    for line in left:
        number = int(line.split(":")[1])
        assert text[number - 1].strip().startswith("- kind:"), line


def test_generate_says_when_it_makes_fewer_questions_than_asked(cli, tmp_path):
    result = cli("generate", TPT_FACTS, "--count", "500", "-o", tmp_path / "pack.json")
    assert result.exit_code == 0
    made = len(loads_pack((tmp_path / "pack.json").read_text(encoding="utf-8")).questions)
    assert made < 500
    assert f"made {made} of the 500 questions asked for" in result.stderr
    assert "its sources disagree" in result.stderr and "quizgen stats" in result.stderr
    enough = cli("generate", TPT_FACTS, "--count", "5", "-o", tmp_path / "five.json")
    assert enough.exit_code == 0 and "made" not in enough.stderr


def test_build_writes_a_pack_per_show_like_generate(cli, tmp_path, tpt_pack_text):
    folder = tmp_path / "questions"
    (folder / "sources").mkdir(parents=True)
    (folder / "tiny-pretty-things.yaml").write_text(TPT_FACTS.read_text(encoding="utf-8"), encoding="utf-8")
    for article in (REPO / "questions" / "sources").iterdir():
        (folder / "sources" / article.name).write_bytes(article.read_bytes())
    result = cli("build", "--questions", folder)
    assert result.exit_code == 0
    assert (folder / "packs" / "tiny-pretty-things.json").read_text(encoding="utf-8") == tpt_pack_text


def test_build_writes_nothing_when_a_file_is_invalid(cli, tmp_path):
    folder = tmp_path / "questions"
    folder.mkdir()
    (folder / "a.yaml").write_text(NEW_SHOW.read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "b.yaml").write_text("format: 1\n", encoding="utf-8")
    result = cli("build", "--questions", folder)
    assert result.exit_code == 1
    assert f"{folder / 'b.yaml'}:1: show: this field is required" in result.stderr
    assert not (folder / "packs").exists()


def test_build_in_a_folder_without_facts_fails(cli, tmp_path):
    result = cli("build", "--questions", tmp_path)
    assert result.exit_code == 1 and "no facts files" in result.stderr


def test_schema_writes_both_schemas(cli, tmp_path):
    result = cli("schema", tmp_path / "schema")
    assert result.exit_code == 0
    assert sorted(p.name for p in (tmp_path / "schema").iterdir()) == ["facts.schema.json", "pack.schema.json"]


# --------------------------------------------------------------------------- output errors and progress

def test_an_output_place_that_cannot_be_written_is_one_line_and_exit_1(cli, tmp_path):
    (tmp_path / "a-file").write_text("not a folder")
    target = tmp_path / "a-file" / "pack.json"  # its folder is a file: no one can write there, not even root
    result = cli("generate", TPT_FACTS, "-o", target)
    assert result.exit_code == 1
    assert result.output.strip() == f"{target}: cannot write: a file stands where its folder should be"
    assert len(result.output.strip().splitlines()) == 1
    assert (tmp_path / "a-file").read_text() == "not a folder"


def test_binary_formats_refuse_a_terminal_as_output():
    import os
    import pty

    leader, follower = pty.openpty()
    try:
        proc = subprocess.run([str(QUIZGEN), "generate", str(TPT_FACTS), "--format", "kahoot"],
                              stdout=follower, stderr=subprocess.PIPE, text=True, timeout=60)
    finally:
        os.close(follower)
        os.close(leader)
    assert proc.returncode == 2
    assert "binary format" in proc.stderr


def test_a_progress_bar_goes_to_stderr_only_when_it_is_a_terminal(tmp_path):
    import os
    import pty

    out = tmp_path / "pack.json"
    leader, follower = pty.openpty()
    try:
        proc = subprocess.run([str(QUIZGEN), "generate", str(TPT_FACTS), "--count", "20", "-o", str(out)],
                              stdout=subprocess.PIPE, stderr=follower, timeout=60)
        os.close(follower)
        follower = None
        shown = b""
        while True:
            try:
                chunk = os.read(leader, 4096)
            except OSError:
                break
            if not chunk:
                break
            shown += chunk
    finally:
        if follower is not None:
            os.close(follower)
        os.close(leader)
    assert proc.returncode == 0
    assert b"generating" in shown and b"100%" in shown
    assert len(loads_pack(out.read_text(encoding="utf-8")).questions) == 20
    piped = subprocess.run([str(QUIZGEN), "generate", str(TPT_FACTS), "--count", "20", "-o", str(out)],
                           capture_output=True, timeout=60)
    assert piped.returncode == 0 and piped.stderr == b""
