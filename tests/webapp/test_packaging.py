"""The package as a user installs it: a wheel in a fresh virtual environment, away from this checkout."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_an_installed_wheel_upgrades_its_database(tmp_path):
    wheels = tmp_path / "wheels"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "--wheel-dir", str(wheels), str(ROOT)],
                   check=True, cwd=tmp_path)
    (wheel,) = wheels.glob("quizgen-*.whl")
    fresh = tmp_path / "fresh"
    venv.create(fresh, with_pip=False)
    python = fresh / "bin" / "python"
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "--quiet", str(wheel)],
                   check=True, cwd=tmp_path)
    # the dependencies (Flask, Alembic, ...) from this test run's environment; quizgen itself from the wheel
    site = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          capture_output=True, text=True, check=True).stdout.strip()
    Path(site, "dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    work = tmp_path / "elsewhere"
    work.mkdir()
    env = {**os.environ, "QUIZGEN_DATABASE_URL": f"sqlite:///{work / 'game.db'}", "QUIZGEN_SECRET_KEY": "k"}
    env.pop("PYTHONPATH", None)
    where = subprocess.run([str(python), "-c", "import webapp; print(webapp.__file__)"], cwd=work, env=env,
                           capture_output=True, text=True, check=True).stdout.strip()
    assert where.startswith(str(fresh)), where
    result = subprocess.run([str(fresh / "bin" / "quizgen"), "db", "upgrade"], cwd=work, env=env,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"database sqlite:///{work / 'game.db'} is up to date"
    with sqlite3.connect(work / "game.db") as db:
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"pack", "question", "game", "game_round", "leaderboard_entry", "alembic_version"} <= tables
