"""The only place the web game reads its environment.

Settings (all optional on a laptop):

``QUIZGEN_ENV``
    ``development`` (the default) or anything else, e.g. ``production``.
``QUIZGEN_DATABASE_URL``
    An SQLAlchemy URL; default ``sqlite:///<instance folder>/quizgen.db``.
    PostgreSQL: ``postgresql+psycopg://user@host:5432/dbname``.
``QUIZGEN_SECRET_KEY``
    Signs the session cookie. Required outside development; in development one
    is generated once and kept in ``<instance folder>/secret_key``.
``QUIZGEN_RATELIMIT_STORAGE_URI``
    Where rate-limit counters live, e.g. ``redis://localhost:6379``; default in memory.
``QUIZGEN_ADMIN_PASSWORD_HASH``
    The admin's password, hashed (``quizgen admin password`` makes one and keeps it in the instance
    folder, which is read when this is not set). With no password, nobody can sign in as admin.
``QUIZGEN_PUBLIC_UPLOADS``
    ``1`` lets any visitor upload a pack; ``0`` only the admin. Default: ``1`` in development, ``0`` otherwise.
``QUIZGEN_<NAME>_RATE_LIMIT``
    Any of the limits below (``SCORE``, ``NEW_GAME``, ``UPLOAD``, ``DOWNLOAD``, ``API``, ``TOKEN``,
    ``ADMIN_LOGIN``), in Flask-Limiter's notation: ``QUIZGEN_API_RATE_LIMIT="120 per minute"``.
``QUIZGEN_OPEN_HOSTING``
    ``1`` lets anyone host a quiz night; ``0`` (the default) only the admin: a host sees every answer, so a
    player who could host a night of the same packs could look them up.
``QUIZGEN_PUBLIC_URL``
    The address players' phones reach this server at, for the join code's QR code, e.g.
    ``http://192.168.1.20:5000``; default: the address the host's browser used (a loopback one is
    replaced by this machine's address on the local network).
``QUIZGEN_ASYNC_MODE``
    How Socket.IO serves quiz nights: ``gevent`` (what ``quizgen serve`` uses: thousands of connections
    in one process) or ``threading`` (the default elsewhere: tests, ``flask run``, gunicorn's threads).
``QUIZGEN_MESSAGE_QUEUE``
    With more than one server process, where they pass each other the nights' messages, e.g.
    ``redis://localhost:6379/1``; default none (one process).
``QUIZGEN_TRUSTED_PROXIES``
    How many reverse proxies stand in front of the game (default 0): their ``X-Forwarded-For`` and
    ``X-Forwarded-Proto`` are believed, so that limits count players, not the proxy.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path
from typing import Any

from webapp.exceptions import ConfigurationError

DEVELOPMENT = "development"
SECRET_KEY_FILE = "secret_key"
# a production key must be long and varied enough that it cannot be guessed (secrets.token_hex(32) is 64)
SECRET_KEY_MIN_LENGTH = 32
SECRET_KEY_MIN_DISTINCT = 10
_MAKE_A_KEY = "Generate one with `python -c 'import secrets; print(secrets.token_hex(32))'` and export it."


def load_config(instance_path: str | Path, environ: Mapping[str, str] | None = None,
                overrides: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The application settings: environment first, then ``overrides`` (tests), then safety checks."""
    env = os.environ if environ is None else environ
    overrides = dict(overrides or {})
    instance = Path(instance_path)
    quizgen_env = overrides.get("QUIZGEN_ENV") or env.get("QUIZGEN_ENV") or DEVELOPMENT
    development = quizgen_env == DEVELOPMENT
    config: dict[str, Any] = {
        "QUIZGEN_ENV": quizgen_env,
        "DATABASE_URL": env.get("QUIZGEN_DATABASE_URL") or f"sqlite:///{instance / 'quizgen.db'}",
        "SECRET_KEY": env.get("QUIZGEN_SECRET_KEY") or None,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": not development,
        # A player's session holds their token and games: it lasts a year from when it last changed,
        # and is signed again only when it changes (not on every answer).
        "PERMANENT_SESSION_LIFETIME": timedelta(days=365),
        "SESSION_REFRESH_EACH_REQUEST": False,
        # Forms here are tiny; a pack upload is the biggest thing a client may send.
        "MAX_CONTENT_LENGTH": 4 * 1024 * 1024,
        # Werkzeug holds each 64 KiB read of a file part, plus the tail that may start a boundary, against
        # this limit too: it must be above that, or a file of many short lines is refused as too large.
        "MAX_FORM_MEMORY_SIZE": 1024 * 1024,
        "MAX_FORM_PARTS": 200,
        "WTF_CSRF_TIME_LIMIT": None,  # the token lives as long as the session: a quiz can take a while
        "RATELIMIT_ENABLED": True,  # explicit: Flask-Limiter would otherwise inherit the previous app's choice
        "RATELIMIT_STORAGE_URI": env.get("QUIZGEN_RATELIMIT_STORAGE_URI") or "memory://",
        "RATELIMIT_HEADERS_ENABLED": True,
        # Redis down: count in memory meanwhile and keep serving (a game never fails on its rate limits)
        "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
        "RATELIMIT_SWALLOW_ERRORS": True,
        "RATELIMIT_STORAGE_OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        "SCORE_RATE_LIMIT": "10 per minute;100 per day",
        "NEW_GAME_RATE_LIMIT": "30 per minute",
        "UPLOAD_RATE_LIMIT": "10 per minute;100 per day",  # each checks up to 4 MB as `quizgen validate` does
        "DOWNLOAD_RATE_LIMIT": "30 per minute",  # a whole pack, in any export format
        "API_RATE_LIMIT": "60 per minute",  # JSON API and the Open Trivia DB endpoints
        "TOKEN_RATE_LIMIT": "10 per minute;100 per day",  # Open Trivia DB session tokens, each a stored row
        "TRUSTED_PROXIES": _whole_number(env, "QUIZGEN_TRUSTED_PROXIES", 0),
        "ADMIN_PASSWORD_HASH": env.get("QUIZGEN_ADMIN_PASSWORD_HASH") or _read_admin_hash(instance),
        "PUBLIC_UPLOADS": _flag(env, "QUIZGEN_PUBLIC_UPLOADS", development),
        "ADMIN_LOGIN_RATE_LIMIT": "10 per minute;50 per day",
        "SQLITE_BUSY_TIMEOUT_MS": 5000,
        "OPEN_HOSTING": _flag(env, "QUIZGEN_OPEN_HOSTING", False),
        "PUBLIC_URL": (env.get("QUIZGEN_PUBLIC_URL") or "").rstrip("/") or None,
        "SOCKETIO_ASYNC_MODE": env.get("QUIZGEN_ASYNC_MODE") or "threading",
        "SOCKETIO_MESSAGE_QUEUE": env.get("QUIZGEN_MESSAGE_QUEUE") or None,
        "LIVE_WORKERS": True,  # each process runs its nights' ticker and answer desk (tests: off, they tick by hand)
        "CLOCK": None,  # a callable returning epoch milliseconds; None = the wall clock
    }
    for name in [k for k in config if k.endswith("_RATE_LIMIT")]:  # e.g. QUIZGEN_API_RATE_LIMIT="120 per minute"
        config[name] = env.get(f"QUIZGEN_{name}") or config[name]
    config.update(overrides)
    if config["SOCKETIO_ASYNC_MODE"] not in ("threading", "gevent"):
        raise ConfigurationError(f"QUIZGEN_ASYNC_MODE={config['SOCKETIO_ASYNC_MODE']!r} must be gevent or threading")
    key = config["SECRET_KEY"]
    if not key:
        if not development:
            raise ConfigurationError(
                "QUIZGEN_SECRET_KEY is not set: outside development (QUIZGEN_ENV="
                f"{quizgen_env!r}) the game refuses to start without one. {_MAKE_A_KEY}")
        config["SECRET_KEY"] = development_secret_key(instance)
    elif not development and (len(key) < SECRET_KEY_MIN_LENGTH or len(set(key)) < SECRET_KEY_MIN_DISTINCT):
        raise ConfigurationError(
            f"QUIZGEN_SECRET_KEY is too weak: outside development it must be at least {SECRET_KEY_MIN_LENGTH} "
            f"random characters (this one has {len(key)}, {len(set(key))} different). {_MAKE_A_KEY}")
    return config


ADMIN_PASSWORD_FILE = "admin_password"


def _read_admin_hash(instance: Path) -> str | None:
    try:
        return (instance / ADMIN_PASSWORD_FILE).read_text(encoding="ascii").strip() or None
    except FileNotFoundError:
        return None


def write_admin_hash(instance: str | Path, password_hash: str) -> Path:
    """Keep the admin's password hash in the instance folder (readable by this user only)."""
    path = Path(instance) / ADMIN_PASSWORD_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(password_hash + "\n")
    return path


def _flag(env: Mapping[str, str], name: str, default: bool) -> bool:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    if raw not in ("0", "1"):
        raise ConfigurationError(f"{name}={raw!r} must be 1 (on) or 0 (off)")
    return raw == "1"


def _whole_number(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    if not raw.isdigit():
        raise ConfigurationError(f"{name}={raw!r} is not a whole number of 0 or more")
    return int(raw)


def development_secret_key(instance: Path) -> str:
    """The laptop's secret key, made once and kept in the instance folder so sessions survive restarts."""
    path = instance / SECRET_KEY_FILE
    try:
        key = path.read_text(encoding="ascii").strip()
        if key:
            return key
    except FileNotFoundError:
        pass
    instance.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(key + "\n")
    return key
