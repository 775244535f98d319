"""The package as a user installs it: a wheel in a fresh virtual environment, away from this checkout."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_an_installed_wheel_upgrades_its_database_and_serves_every_areas_pages(tmp_path):
    # Built from a copy: setuptools keeps a build/ folder in the tree it builds, whose stale files
    # (a template since moved, say) would go into the wheel.
    source = tmp_path / "source"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(
        ".git", ".venv", "build", "dist", "*.egg-info", "instance", "test-output", "__pycache__", ".hypothesis",
        ".pytest_cache", "out"))
    wheels = tmp_path / "wheels"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "--wheel-dir", str(wheels),
                    str(source)], check=True, cwd=tmp_path)
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
    # every area's templates and the static files are in the wheel
    facts = ROOT / "questions" / "tiny-pretty-things.yaml"
    imported = subprocess.run([str(fresh / "bin" / "quizgen"), "import", str(facts)], cwd=work, env=env,
                              capture_output=True, text=True)
    assert imported.returncode == 0, imported.stderr
    pages = ("/", "/packs/tiny-pretty-things", "/help", "/upload", "/leaderboards/", "/admin/login",
             "/static/style.css", "/no-such-page")
    code = ("import webapp; client = webapp.create_app().test_client(); "
            f"print(' '.join(str(client.get(url).status_code) for url in {pages!r}))")
    served = subprocess.run([str(python), "-c", code], cwd=work, env=env, capture_output=True, text=True)
    assert served.returncode == 0, served.stderr
    statuses = served.stdout.split()
    assert statuses == ["200"] * 7 + ["404"]
    installed = Path(where).parent
    shipped = {str(p.relative_to(ROOT / "webapp")) for p in (ROOT / "webapp").rglob("*")
               if p.suffix in (".html", ".css", ".js", ".mako") or p.parent.name == "versions" and p.suffix == ".py"}
    assert shipped <= {str(p.relative_to(installed)) for p in installed.rglob("*")}, "files missing from the wheel"
