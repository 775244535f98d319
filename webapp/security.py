"""Security headers on every response, and the reverse proxies the app believes.

The headers are added by a WSGI middleware, where the response leaves the app, so that every
response has them (pages, error pages, static files); a header the response sets itself wins.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",  # no inline script, no other host
    "style-src 'self'",
    "img-src 'self' data:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])

# Sent over HTTPS outside development: browsers then never try the site over plain HTTP for a year.
STRICT_TRANSPORT_SECURITY = ("Strict-Transport-Security", "max-age=31536000")

SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}

_HEADERS = tuple((name.lower(), (name, value)) for name, value in SECURITY_HEADERS.items())


class SecurityHeaders:
    """WSGI middleware: add each of :data:`SECURITY_HEADERS` that a response does not set itself."""

    def __init__(self, wsgi_app: Callable[..., Iterable[bytes]], *, hsts: bool = False) -> None:
        self.wsgi_app = wsgi_app
        self.hsts = hsts

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        extra = [STRICT_TRANSPORT_SECURITY] if self.hsts and environ.get("wsgi.url_scheme") == "https" else []

        def start_with_headers(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            present = {name.lower() for name, _ in headers}
            return start_response(status, headers + [pair for lower, pair in _HEADERS if lower not in present]
                                  + extra, exc_info)

        return self.wsgi_app(environ, start_with_headers)


def init_app(app: Flask) -> None:
    """Add the security headers to every response of ``app``; believe the proxies it is told stand in front.

    ProxyFix goes outermost, so that the scheme and address it restores are what everything else sees.
    """
    production = app.config["QUIZGEN_ENV"] != "development"
    app.wsgi_app = SecurityHeaders(app.wsgi_app, hsts=production)  # type: ignore[method-assign]
    proxies = app.config["TRUSTED_PROXIES"]
    if proxies:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)  # type: ignore[method-assign]
