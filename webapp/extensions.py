"""Flask extensions, created unbound here and bound to an app by ``init_app`` in the factory."""

from __future__ import annotations

import time

from flask import Flask
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_socketio import SocketIO
from flask_wtf.csrf import CSRFProtect

csrf = CSRFProtect()
# The client's address; behind a reverse proxy, ProxyFix (QUIZGEN_TRUSTED_PROXIES) makes it the player's.
limiter = Limiter(key_func=get_remote_address)
socketio = SocketIO()  # quiz nights (webapp/live/)


def init_app(app: Flask) -> None:
    """Bind the extensions to ``app``; say so at start-up when rate limits are not shared between processes."""
    csrf.init_app(app)
    limiter.init_app(app)
    # Events here are a few hundred bytes; a client sending more than this is cut off by the transport.
    socketio.init_app(app, async_mode=app.config["SOCKETIO_ASYNC_MODE"],
                      message_queue=app.config["SOCKETIO_MESSAGE_QUEUE"], max_http_buffer_size=64 * 1024)
    shared = not app.config["RATELIMIT_STORAGE_URI"].startswith("memory:")
    if app.config["RATELIMIT_ENABLED"] and not shared and app.config["QUIZGEN_ENV"] != "development":
        app.logger.warning(
            "rate limits are counted in this process's memory: with more than one server process each counts "
            "its own; set QUIZGEN_RATELIMIT_STORAGE_URI=redis://... to share them")


def seconds_to_wait() -> int:
    """How long the client of the current request must wait before a limit that stopped it lets it through."""
    limit = limiter.current_limit  # whole seconds, as Flask-Limiter writes its Retry-After header
    return max(1, int(limit.reset_at - time.time())) if limit is not None else 60
