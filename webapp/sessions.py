"""Flask's signed-cookie session, read when first used and re-signed only when it changed or once a day.

The answer request never needs the session (webapp.answer_token), so its cookie is verified and
decoded on first use, not when a request starts; and a player's permanent session is signed again
when it changed, or after :data:`REFRESH_AFTER`, not on every response.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from typing import Any

from flask import Flask, Request, Response
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface, SessionMixin
from itsdangerous import BadSignature, URLSafeTimedSerializer

REFRESH_AFTER = timedelta(days=1)


class PlayerSession(SecureCookieSession):
    """A cookie session that remembers when its cookie was signed (None: new, or never signed)."""

    signed_at: datetime | None = None


class CookieSession(PlayerSession):
    """A :class:`PlayerSession` whose cookie is verified and decoded on first use, not when the request starts."""

    def __init__(self, read: Callable[[], tuple[dict[str, Any], datetime] | None]) -> None:
        super().__init__()
        self._read: Callable[[], tuple[dict[str, Any], datetime] | None] | None = read

    @property
    def unread(self) -> bool:
        """True while nothing has used the session (its cookie is not even verified yet)."""
        return self._read is not None

    def _read_cookie(self) -> None:
        read, self._read = self._read, None
        found = read() if read is not None else None
        if found is not None:
            data, self.signed_at = found
            dict.update(self, data)  # the stored data, not a change: ``modified`` stays False


def _reading_first(name: str):
    method = getattr(PlayerSession, name)

    def reading_first(self: CookieSession, *args: Any, **kwargs: Any) -> Any:
        if self._read is not None:
            self._read_cookie()
        return method(self, *args, **kwargs)

    reading_first.__name__ = reading_first.__qualname__ = name
    return reading_first


# Every method of dict (and of werkzeug's CallbackDict and Flask's session on top) that reads or writes data.
_READING_METHODS = (
    "__getitem__", "__setitem__", "__delitem__", "__contains__", "__iter__", "__reversed__", "__len__",
    "__eq__", "__ne__", "__repr__", "__or__", "__ror__", "__ior__",
    "get", "setdefault", "pop", "popitem", "keys", "values", "items", "update", "clear", "copy",
)
for _name in _READING_METHODS:
    setattr(CookieSession, _name, _reading_first(_name))


class LazyRefreshSessionInterface(SecureCookieSessionInterface):
    """Signed-cookie sessions read on first use, whose cookie is rewritten only when it changed or is a day old."""

    session_class = PlayerSession

    def __init__(self) -> None:
        self._serializers: dict[tuple, URLSafeTimedSerializer | None] = {}

    def get_signing_serializer(self, app: Flask) -> URLSafeTimedSerializer | None:
        # Built once per key set rather than twice per request (open and save).
        keys = (app.secret_key, tuple(app.config.get("SECRET_KEY_FALLBACKS") or ()))
        if keys not in self._serializers:
            self._serializers[keys] = super().get_signing_serializer(app)
        return self._serializers[keys]

    def open_session(self, app: Flask, request: Request) -> PlayerSession | None:
        serializer = self.get_signing_serializer(app)
        if serializer is None:
            return None
        name = self.get_cookie_name(app)

        def read() -> tuple[dict[str, Any], datetime] | None:
            value = request.cookies.get(name)  # even the Cookie header is parsed only now
            if not value:
                return None
            try:
                return serializer.loads(value, max_age=int(app.permanent_session_lifetime.total_seconds()),
                                        return_timestamp=True)
            except BadSignature:  # forged, damaged or expired: an empty session, as if there were no cookie
                return None

        return CookieSession(read)

    def should_set_cookie(self, app: Flask, session: SessionMixin) -> bool:
        if session.modified:
            return True
        if not (session.permanent and app.config["SESSION_REFRESH_EACH_REQUEST"]):
            return False
        signed_at = getattr(session, "signed_at", None)
        return signed_at is None or datetime.now(timezone.utc) - signed_at >= REFRESH_AFTER

    def save_session(self, app: Flask, session: SessionMixin, response: Response) -> None:
        if isinstance(session, CookieSession) and session.unread:  # unused: nothing changed, nothing to refresh
            if session.accessed:
                response.vary.add("Cookie")
            return
        super().save_session(app, session, response)


def init_app(app: Flask) -> None:
    """Use :class:`LazyRefreshSessionInterface` for ``app``'s sessions."""
    app.session_interface = LazyRefreshSessionInterface()
