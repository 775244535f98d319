"""The JSON API: packs, leaderboards, its OpenAPI description, and an Open Trivia DB-compatible endpoint.

    GET /api/packs                        every pack: id, title, question counts, difficulty mix, links
    GET /api/packs/<id>                   the pack file itself (quizgen's canonical JSON); a play-only
                                          pack's for the admin alone (403 for anyone else)
    GET /api/leaderboards/<id|all>        a leaderboard (?period=all|week|day, ?limit=1-100)
    GET /api/openapi.json                 the OpenAPI 3 description of all of these
    GET /api.php, /api_token.php,         Open Trivia DB's API (questions, session tokens,
        /api_category.php, /api_count.php categories, counts): same parameters, codes and shapes

Errors of the ``/api/`` routes are JSON (the errors blueprint); the OpenTDB routes always answer
HTTP 200 with a ``response_code``, as the original does.
"""

from __future__ import annotations

import random

from flask import Response, current_app, jsonify, request, url_for
from flask_limiter import RateLimitExceeded

from quizgen import dumps_pack
from webapp import rules
from webapp.admin.views import visible_pack_file
from webapp.api import bp, opentdb as otdb
from webapp.api.spec import openapi_document
from webapp.api.store import create_token, difficulty_counts, reset_token, serve_questions
from webapp.boards.store import overall_board, pack_board
from webapp.boards.views import leaderboard_data
from webapp.catalog.files import DOWNLOAD_FORMATS
from webapp.catalog.store import PackSummary, list_packs, pack_title
from webapp.errors.handlers import handle_http_exception
from webapp.exceptions import PackNotFound, WebappError
from webapp.extensions import limiter, seconds_to_wait
from webapp.models import OVERALL_BOARD
from webapp.solo.store import now_ms

MAX_LIMIT = 100
JSON_TYPE = "application/json"


class InvalidParameter(WebappError):
    """A query parameter the API does not accept (HTTP 400, JSON)."""

    status = 400
    public_message = "A parameter of the request is not valid."


# Every route here reads the database or builds a pack: one limit for each client address, and a
# tighter one on making tokens (each is a stored row)
limiter.shared_limit(lambda: current_app.config["API_RATE_LIMIT"], scope="api")(bp)
_OPENTDB_PATHS = ("/api.php", "/api_token.php", "/api_category.php", "/api_count.php")


@bp.after_request
def allow_any_origin(response: Response) -> Response:
    """Public, read-only data: browser apps on other sites may read it (as on opentdb.com).

    ``*`` never covers a request sent with cookies, so another site cannot read the admin's copy of a pack.
    """
    response.headers.setdefault("Access-Control-Allow-Origin", "*")
    return response


# --- packs and leaderboards -------------------------------------------------------------------------

def _pack_links(summary: PackSummary) -> dict:
    links = {"page": url_for("catalog.pack", pack_id=summary.id),
             "leaderboard": url_for("api.leaderboard", board=summary.id)}
    if summary.answers_public:  # a play-only pack's file is the admin's only
        links["self"] = url_for("api.pack", pack_id=summary.id)
        links["downloads"] = {fmt: url_for("catalog.download", pack_id=summary.id, fmt=fmt) for fmt in DOWNLOAD_FORMATS}
    return links


def _pack_entry(summary: PackSummary) -> dict:
    return summary.as_dict() | {"links": _pack_links(summary)}


def _known_pack_id(pack_id: str) -> str:
    if pack_title(pack_id) is None:
        raise PackNotFound()
    return pack_id


@bp.get("/api/packs")
def packs():
    """Every pack with its question count and difficulty mix."""
    return jsonify(packs=[_pack_entry(s) for s in list_packs()])


@bp.get("/api/packs/<pack_id:pack_id>")
def pack(pack_id: str):
    """The stored pack as its canonical pack file (byte for byte what ``quizgen.dumps_pack`` writes), if public."""
    pack, public = visible_pack_file(pack_id)
    response = Response(dumps_pack(pack), mimetype=JSON_TYPE)
    if not public:  # the admin's copy of a play-only pack: no shared cache may keep it
        response.headers["Cache-Control"] = "private, no-store"
    return response


def _query_int(name: str, default: int, low: int, high: int) -> int:
    raw = request.args.get(name)
    if raw is None:
        return default
    if not raw.isascii() or not raw.isdigit() or not low <= int(raw) <= high:
        raise InvalidParameter(f"{name} must be a whole number from {low} to {high}.")
    return int(raw)


@bp.get("/api/leaderboards/<pack_id:board>")
def leaderboard(board: str):
    """The top scores of one pack (by id) or of all packs (``all``) for all time, this week or today."""
    period = request.args.get("period", "all")
    if period not in rules.PERIODS:
        raise InvalidParameter("period must be all, week or day.")
    limit = _query_int("limit", 10, 1, MAX_LIMIT)
    settings = _board_settings()
    name = overall_board(settings) if board == OVERALL_BOARD else pack_board(_known_pack_id(board), settings)
    data = leaderboard_data(name, period, limit=limit)
    return jsonify(board=board, period=period, period_key=data["period_key"], settings=settings.as_dict(),
                   size=data["size"], entries=[{**s.as_dict(), "settings": settings.as_dict()} for s in data["top"]])


def _board_settings() -> rules.Settings:
    """The settings of the games a board ranks: ``length``, ``difficulty``, ``timed`` (default: the form's first)."""
    default = rules.DEFAULT_SETTINGS
    length = _query_int("length", default.length, 1, max(rules.GAME_LENGTHS))
    difficulty = request.args.get("difficulty", default.difficulty)
    if difficulty not in rules.DIFFICULTY_CHOICES:
        raise InvalidParameter(f"difficulty must be one of {', '.join(rules.DIFFICULTY_CHOICES)}.")
    timed = request.args.get("timed", "false")
    if timed not in ("true", "false"):
        raise InvalidParameter("timed must be true or false.")
    return rules.Settings(length, difficulty, timed == "true")


@bp.get("/api/openapi.json")
def openapi():
    """The OpenAPI 3 description of this API."""
    return jsonify(openapi_document())


# --- Open Trivia DB ------------------------------------------------------------------------------------

@bp.errorhandler(otdb.OpenTDBError)
def opentdb_refusal(exc: otdb.OpenTDBError):
    """A refused OpenTDB request: its response code, in the shape of the endpoint asked."""
    if request.path == "/api_token.php":
        return jsonify(otdb.token_response(exc.code, message=exc.message))
    if request.path == "/api_count.php":
        return jsonify(response_code=int(exc.code), response_message=exc.message)
    return jsonify(otdb.question_response(exc.code, message=exc.message))


@bp.get("/api.php")
def opentdb_questions():
    """Random questions from the packs whose answers are public, in Open Trivia DB's format."""
    query = otdb.parse_question_query(request.args)
    code, questions = serve_questions(query, now_ms(), random.Random())
    return jsonify(otdb.question_response(code, [otdb.encode_result(q, query.encode) for q in questions]))


@bp.errorhandler(RateLimitExceeded)
def too_many_requests(exc: RateLimitExceeded):
    """A client over a limit: the Open Trivia DB endpoints answer in their own shape (code 5), the rest as any error."""
    if request.path not in _OPENTDB_PATHS:
        return handle_http_exception(exc)
    wait = seconds_to_wait()
    body = {"response_code": int(otdb.ResponseCode.RATE_LIMIT),
            "response_message": f"Too many requests from this address: wait {wait} seconds."}
    if request.path == "/api.php":
        body["results"] = []
    response = jsonify(body)
    response.status_code = 429
    response.headers["Retry-After"] = str(wait)
    return response


@bp.get("/api_token.php")
@limiter.limit(lambda: current_app.config["TOKEN_RATE_LIMIT"])
def opentdb_token():
    """Request a session token, or reset one (forget the questions it has been served)."""
    command, token = otdb.parse_token_command(request.args)
    if command == "request":
        return jsonify(otdb.token_response(otdb.ResponseCode.SUCCESS, create_token(now_ms()),
                                           otdb.TOKEN_GENERATED))
    if not reset_token(token, now_ms()):
        return jsonify(otdb.token_response(otdb.ResponseCode.TOKEN_NOT_FOUND, token, "Token does not exist."))
    return jsonify(otdb.token_response(otdb.ResponseCode.SUCCESS, token))


@bp.get("/api_category.php")
def opentdb_categories():
    """The categories questions can come from (one: Entertainment: Television)."""
    return jsonify(otdb.categories())


@bp.get("/api_count.php")
def opentdb_count():
    """How many questions a category holds, per difficulty."""
    category = otdb.parse_category(request.args.get("category"))
    return jsonify(otdb.category_count(category, difficulty_counts()))
