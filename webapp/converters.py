"""URL converters: ids that cannot be ours never reach a view (or the database) and are plain 404s."""

from __future__ import annotations

from flask import Flask
from werkzeug.routing import BaseConverter

from quizgen import ID_PATTERN


class PackIdConverter(BaseConverter):
    """A pack id: the slug quizgen's pack format allows."""

    regex = ID_PATTERN


class GameIdConverter(BaseConverter):
    """A game id: URL-safe base64 as ``secrets.token_urlsafe`` makes it."""

    regex = r"[A-Za-z0-9_-]{1,40}"


def init_app(app: Flask) -> None:
    """Register ``<pack_id:...>`` and ``<game_id:...>``; call before registering blueprints."""
    app.url_map.converters["pack_id"] = PackIdConverter
    app.url_map.converters["game_id"] = GameIdConverter
