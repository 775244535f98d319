"""The bad-input corpus: every broken file is refused with one located line, no traceback and nothing written.

The files are in ``bad_inputs/``; ``bad_inputs/expected.txt`` says, for each, the exit code, the line
the first message names and a fragment of that message.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from facts_builders import BAD_INPUTS


def expected_rows() -> list[tuple[str, int, int, str]]:
    rows = []
    for raw in (BAD_INPUTS / "expected.txt").read_text(encoding="utf-8").splitlines():
        if raw.strip() and not raw.startswith("#"):
            name, exit_code, line, fragment = raw.split(maxsplit=3)
            rows.append((name, int(exit_code), int(line), fragment))
    return rows


ROWS = expected_rows()
FACTS_ROWS = [row for row in ROWS if row[0].endswith(".yaml")]


def test_every_file_has_a_row_and_every_row_a_file():
    on_disk = sorted(p.name for p in BAD_INPUTS.iterdir() if p.is_file() and p.name != "expected.txt")
    assert sorted(row[0] for row in ROWS) == on_disk
    assert len(ROWS) >= 30
    assert {name.rsplit(".", 1)[1] for name, *_ in ROWS} == {"yaml", "json"}


@pytest.mark.parametrize("name, exit_code, line, fragment", ROWS, ids=[row[0] for row in ROWS])
def test_validate_refuses_it_on_its_line(cli, name, exit_code, line, fragment):
    path = BAD_INPUTS / name
    result = cli("validate", path)
    assert result.exit_code == exit_code
    first = result.stdout.splitlines()[0]
    assert first.startswith(f"{path}:{line}: "), first
    assert fragment in first, first
    assert result.stderr == "1 file(s) checked, 1 invalid\n"


@pytest.mark.parametrize("name, exit_code, line, fragment", FACTS_ROWS, ids=[row[0] for row in FACTS_ROWS])
def test_generate_refuses_it_and_writes_nothing(cli, tmp_path, name, exit_code, line, fragment):
    path, out = BAD_INPUTS / name, tmp_path / "out.json"
    result = cli("generate", path, "-o", out)
    assert result.exit_code == exit_code
    [first] = result.stderr.splitlines()
    assert first.startswith(f"{path}:{line}: "), first
    assert fragment in first, first
    assert result.stdout == ""
    assert list(tmp_path.iterdir()) == []


def test_generate_refuses_a_pack_as_a_usage_error(cli, tmp_path):
    result = cli("generate", BAD_INPUTS / "pack-empty.json", "-o", tmp_path / "out.json")
    assert result.exit_code == 2
    assert "generate reads facts files (.yaml), not packs" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_the_installed_command_reports_the_whole_folder_without_a_traceback():
    quizgen = Path(sys.executable).with_name("quizgen")
    done = subprocess.run([str(quizgen), "validate", str(BAD_INPUTS)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert "Traceback" not in done.stdout + done.stderr
    assert done.stderr == f"{len(ROWS)} file(s) checked, {len(ROWS)} invalid\n"
    for name, _, line, fragment in ROWS:
        assert any(row.startswith(f"{BAD_INPUTS / name}:{line}: ") and fragment in row
                   for row in done.stdout.splitlines()), name
