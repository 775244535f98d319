"""One place that turns errors into HTTP answers: HTML for browsers, JSON for API clients."""

from __future__ import annotations

from flask import current_app, jsonify, render_template, request
from sqlalchemy.exc import DataError
from werkzeug.exceptions import HTTPException, InternalServerError
from werkzeug.http import HTTP_STATUS_CODES

from quizgen import QuizgenError
from webapp.errors import bp
from webapp.exceptions import WebappError
from webapp.extensions import seconds_to_wait

FRIENDLY = {
    400: "The request could not be understood. Please go back and try again.",
    403: "You may not do that.",
    404: "We could not find that page.",
    405: "That page cannot be used this way.",
    409: "That move is not allowed now.",
    413: "That is too much data for us.",
    422: "We could not use what you sent.",
    429: "Too many requests: please wait a little and try again.",
    500: "Something went wrong on our side.",
}


def wants_json() -> bool:
    """Whether the client prefers JSON to HTML (API paths and Accept: application/json)."""
    if request.path.startswith("/api") or request.is_json:
        return True
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return best == "application/json" and request.accept_mimetypes[best] > request.accept_mimetypes["text/html"]


def error_response(status: int, message: str | None = None):
    """An error page or JSON body for ``status``."""
    message = message or FRIENDLY.get(status, "Something went wrong.")
    title = HTTP_STATUS_CODES.get(status, "Error")
    if wants_json():
        response = jsonify(error={"status": status, "title": title, "message": message})
        response.status_code = status
        return response
    return render_template("errors/error.html", status=status, title=title, message=message), status


@bp.app_errorhandler(HTTPException)
def handle_http_exception(exc: HTTPException):
    """Werkzeug's HTTP errors (404, 405, 413, CSRF 400, rate-limit 429, ...)."""
    if exc.code is None or exc.code < 400:  # a RequestRedirect and friends: let Flask answer
        return exc
    if exc.code >= 500:
        return _server_error(exc)
    message = FRIENDLY.get(exc.code)
    if exc.code == 429:
        wait = seconds_to_wait()
        message = f"Too many requests: please wait {wait} second{'' if wait == 1 else 's'} and try again."
    if exc.code == 400 and "CSRF" in (exc.description or ""):
        message = "Your form expired or came from elsewhere. Please reload the page and try again."
    response = current_app.make_response(error_response(exc.code, message))
    for name, value in exc.get_headers():  # Allow (405), Retry-After (429), ...
        if name.lower() != "content-type":
            response.headers[name] = value
    return response


@bp.app_errorhandler(WebappError)
def handle_webapp_error(exc: WebappError):
    """Our own errors carry their status and a message a player can read."""
    if exc.status >= 500:
        return _server_error(exc)
    return error_response(exc.status, exc.message)


@bp.app_errorhandler(QuizgenError)
def handle_quizgen_error(exc: QuizgenError):
    """The library refusing input a client sent (a pack, a facts file): the client's error, with its message."""
    return error_response(422, str(exc))


@bp.app_errorhandler(DataError)
def handle_data_error(exc: DataError):
    """Input the database cannot even hold (e.g. a NUL character on PostgreSQL) is the client's error."""
    current_app.logger.info("refused data on %s %s: %s", request.method, request.path, exc.orig)
    return error_response(400)


@bp.app_errorhandler(Exception)
def handle_unexpected(exc: Exception):
    """Anything else is our bug: log it, answer 500 without details."""
    return _server_error(exc)


def _server_error(exc: Exception):
    current_app.logger.error("unhandled error on %s %s", request.method, request.path, exc_info=exc)
    return error_response(InternalServerError.code)
