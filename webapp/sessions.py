"""Flask's signed-cookie session, re-signed only when it changed or once a day, not on every request.

A player's session is permanent (it names the player for a month), and Flask re-signs and resends a
permanent session's cookie on every response (``SESSION_REFRESH_EACH_REQUEST``) to slide its
expiry. That was a signature, a JSON dump and a ``Set-Cookie`` on each answer, for nothing. Here the
cookie is written when the session changed, or when it was signed more than
:data:`REFRESH_AFTER` ago: the month still counts from the last day of play.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from flask import Flask, Request
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface, SessionMixin
from itsdangerous import BadSignature, URLSafeTimedSerializer

REFRESH_AFTER = timedelta(days=1)


class PlayerSession(SecureCookieSession):
    """A cookie session that remembers when its cookie was signed (None: new, or never signed)."""

    signed_at: datetime | None = None


class LazyRefreshSessionInterface(SecureCookieSessionInterface):
    """Signed-cookie sessions whose cookie is rewritten only when it changed or is a day old."""

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
        value = request.cookies.get(self.get_cookie_name(app))
        if not value:
            return self.session_class()
        try:
            data, signed_at = serializer.loads(value, max_age=int(app.permanent_session_lifetime.total_seconds()),
                                               return_timestamp=True)
        except BadSignature:
            return self.session_class()
        session = self.session_class(data)
        session.signed_at = signed_at
        return session

    def should_set_cookie(self, app: Flask, session: SessionMixin) -> bool:
        if session.modified:
            return True
        if not (session.permanent and app.config["SESSION_REFRESH_EACH_REQUEST"]):
            return False
        signed_at = getattr(session, "signed_at", None)
        return signed_at is None or datetime.now(timezone.utc) - signed_at >= REFRESH_AFTER


def init_app(app: Flask) -> None:
    """Use :class:`LazyRefreshSessionInterface` for ``app``'s sessions."""
    app.session_interface = LazyRefreshSessionInterface()
