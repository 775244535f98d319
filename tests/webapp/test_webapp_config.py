"""Configuration (webapp.config): read from the environment in one place, safe defaults, refusals."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from webapp import create_app
from webapp.config import load_config
from webapp.exceptions import ConfigurationError, WebappError

STRONG_KEY = "3f9c2a7e51b84d06a1c9e7f2b5d08a4c6e1f3b9d7a2c5e8f"


def test_laptop_defaults(tmp_path):
    config = load_config(tmp_path, environ={})
    assert config["QUIZGEN_ENV"] == "development"
    assert config["DATABASE_URL"] == f"sqlite:///{tmp_path / 'quizgen.db'}"
    assert config["SESSION_COOKIE_SECURE"] is False
    assert config["RATELIMIT_STORAGE_URI"] == "memory://"


def test_development_secret_key_is_made_once_and_kept(tmp_path):
    first = load_config(tmp_path / "instance", environ={})["SECRET_KEY"]
    assert len(first) >= 32
    key_file = tmp_path / "instance" / "secret_key"
    assert key_file.read_text().strip() == first
    assert oct(key_file.stat().st_mode & 0o777) == "0o600"
    assert load_config(tmp_path / "instance", environ={"QUIZGEN_ENV": "development"})["SECRET_KEY"] == first


def test_production_without_a_secret_key_is_refused(tmp_path):
    with pytest.raises(ConfigurationError, match="QUIZGEN_SECRET_KEY is not set") as info:
        load_config(tmp_path, environ={"QUIZGEN_ENV": "production"})
    assert isinstance(info.value, WebappError)
    assert "secrets.token_hex" in str(info.value)
    assert not (tmp_path / "secret_key").exists()


@pytest.mark.parametrize("key", ["x", "k" * 40, "0123456789" * 3, "abcabcabcabcabcabcabcabcabcabcabcabc"])
def test_production_with_a_weak_secret_key_is_refused(tmp_path, key):
    with pytest.raises(ConfigurationError, match="QUIZGEN_SECRET_KEY is too weak") as info:
        load_config(tmp_path, environ={"QUIZGEN_ENV": "production", "QUIZGEN_SECRET_KEY": key})
    assert "secrets.token_hex" in str(info.value)


def test_a_weak_key_is_fine_in_development(tmp_path):
    assert load_config(tmp_path, environ={"QUIZGEN_SECRET_KEY": "dev"})["SECRET_KEY"] == "dev"


def test_environment_settings_are_used(tmp_path):
    config = load_config(tmp_path, environ={
        "QUIZGEN_ENV": "production", "QUIZGEN_SECRET_KEY": STRONG_KEY,
        "QUIZGEN_DATABASE_URL": "postgresql+psycopg://postgres@127.0.0.1:5432/test",
        "QUIZGEN_RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379"})
    assert config["SECRET_KEY"] == STRONG_KEY
    assert config["DATABASE_URL"].startswith("postgresql+psycopg://")
    assert config["SESSION_COOKIE_SECURE"] is True
    assert config["RATELIMIT_STORAGE_URI"] == "redis://127.0.0.1:6379"


def test_overrides_win_over_the_environment(tmp_path):
    config = load_config(tmp_path, environ={"QUIZGEN_DATABASE_URL": "sqlite:///a.db"},
                         overrides={"DATABASE_URL": "sqlite:///b.db", "SECRET_KEY": "s"})
    assert config["DATABASE_URL"] == "sqlite:///b.db"


def test_create_app_reads_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("QUIZGEN_ENV", "production")
    monkeypatch.delenv("QUIZGEN_SECRET_KEY", raising=False)
    with pytest.raises(ConfigurationError):
        create_app(instance_path=str(tmp_path))
    monkeypatch.setenv("QUIZGEN_SECRET_KEY", STRONG_KEY)
    monkeypatch.setenv("QUIZGEN_DATABASE_URL", f"sqlite:///{tmp_path / 'env.db'}")
    app = create_app(instance_path=str(tmp_path))
    assert app.config["DATABASE_URL"] == f"sqlite:///{tmp_path / 'env.db'}"


def test_importing_webapp_creates_no_app_and_touches_nothing(tmp_path):
    code = ("import webapp, webapp.models, webapp.catalog.store, webapp.solo.store, webapp.cli, flask; "
            "print(flask.current_app.__class__.__name__ if flask.has_app_context() else 'none')")
    root = str(Path(__file__).resolve().parents[2])
    env = {**os.environ, "QUIZGEN_ENV": "production", "PYTHONPATH": root}  # an app would refuse: no key
    env.pop("QUIZGEN_SECRET_KEY", None)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=tmp_path,
                         check=True)
    assert out.stdout.strip() == "none"


def test_each_rate_limit_can_be_set_from_the_environment(tmp_path):
    config = load_config(tmp_path, environ={"QUIZGEN_API_RATE_LIMIT": "120 per minute"})
    assert config["API_RATE_LIMIT"] == "120 per minute"
    assert config["UPLOAD_RATE_LIMIT"] == load_config(tmp_path, environ={})["UPLOAD_RATE_LIMIT"]
