"""quizgen's web game: solo play of question packs, with leaderboards.

``create_app()`` builds the Flask application; nothing is created at import time. One package per
area, each a blueprint with its views, its SQL (``store.py``) and its templates: ``catalog`` (packs),
``solo`` (a game alone), ``live`` (quiz nights), ``boards``, ``api``, ``admin``, ``errors``. The rules every game shares are
plain functions in ``rules.py``.
"""

from __future__ import annotations

import os
import time
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from webapp.exceptions import WebappError

if TYPE_CHECKING:  # Flask is imported inside create_app: `quizgen serve` patches for gevent before it loads
    from flask import Flask

__all__ = ["WebappError", "create_app"]


def create_app(config: Mapping[str, Any] | None = None, *, instance_path: str | None = None) -> Flask:
    """The Flask application, configured from the environment; ``config`` overrides settings (tests)."""
    # Each area's routes join its blueprint when its view modules are imported.
    from flask import Flask

    import webapp.admin.views  # noqa: F401
    import webapp.api.views  # noqa: F401
    import webapp.boards.views  # noqa: F401
    import webapp.catalog.files  # noqa: F401
    import webapp.catalog.views  # noqa: F401
    import webapp.errors.handlers  # noqa: F401
    import webapp.live.events  # noqa: F401
    import webapp.live.views  # noqa: F401
    import webapp.solo.views  # noqa: F401
    from webapp import admin, api, boards, catalog, converters, db, errors, extensions, live, security, solo
    from webapp.config import load_config
    from webapp.live import broadcast, desk, events as live_events
    from webapp.solo import answer_token
    from webapp.solo.store import stamp_arrival
    from webapp.templating import init_templating

    app = Flask(__name__, instance_path=instance_path)
    # "/leaderboards" is served as "/leaderboards/" is, not redirected: Werkzeug's redirect names the
    # request's Host, which a client may have made up
    app.url_map.strict_slashes = False
    app.config.from_mapping(load_config(app.instance_path, overrides=config))
    if app.instance_path in app.config["DATABASE_URL"]:  # the laptop default: a SQLite file in the instance folder
        os.makedirs(app.instance_path, exist_ok=True)

    clock = app.config["CLOCK"]
    app.extensions["quizgen_started_ms"] = int(clock()) if clock is not None else time.time_ns() // 1_000_000
    app.before_request(stamp_arrival)  # first: before any other hook, and any wait they may meet
    db.init_app(app)
    extensions.init_app(app)
    security.init_app(app)
    answer_token.init_app(app)
    broadcast.init_app(app)
    desk.init_app(app)
    live_events.init_app(app)
    init_templating(app)
    converters.init_app(app)

    for area in (errors, catalog, solo, boards, api, admin, live):
        app.register_blueprint(area.bp)
    return app
