"""quizgen's web game: solo play of question packs, with leaderboards.

``create_app()`` builds the Flask application; nothing is created at import time.
"""

from __future__ import annotations

import os
import time
from collections.abc import Mapping
from typing import Any

from flask import Flask

from .exceptions import WebappError

__all__ = ["WebappError", "create_app"]


def create_app(config: Mapping[str, Any] | None = None, *, instance_path: str | None = None) -> Flask:
    """The Flask application, configured from the environment; ``config`` overrides settings (tests)."""
    from . import admin, answer_token, api, games, boards, converters, db, errors, main, play, security, transfer
    from .config import load_config
    from . import extensions
    from .templating import init_templating

    app = Flask(__name__, instance_path=instance_path)
    # "/leaderboards" is served as "/leaderboards/" is, not redirected: Werkzeug's redirect names the
    # request's Host, which a client may have made up
    app.url_map.strict_slashes = False
    app.config.from_mapping(load_config(app.instance_path, overrides=config))
    if app.instance_path in app.config["DATABASE_URL"]:  # the laptop default: a SQLite file in the instance folder
        os.makedirs(app.instance_path, exist_ok=True)

    clock = app.config["CLOCK"]
    app.extensions["quizgen_started_ms"] = int(clock()) if clock is not None else time.time_ns() // 1_000_000
    app.before_request(games.stamp_arrival)  # first: before any other hook, and any wait they may meet
    db.init_app(app)
    extensions.init_app(app)
    security.init_app(app)
    answer_token.init_app(app)
    init_templating(app)
    converters.init_app(app)

    app.register_blueprint(errors.bp)
    app.register_blueprint(main.bp)
    app.register_blueprint(play.bp)
    app.register_blueprint(boards.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(transfer.bp)
    app.register_blueprint(admin.bp)
    return app
