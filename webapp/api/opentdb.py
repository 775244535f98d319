"""The Open Trivia DB protocol as plain functions: parameters, response codes, encodings, session tokens.

``/api.php`` answers ``{"response_code": n, "results": [...]}`` where n is

    0  SUCCESS            the results are there
    1  NO_RESULTS         not enough questions for the query (another category, true/false, ...)
    2  INVALID_PARAMETER  a parameter is not one the API knows (amount=five, category=7, ...)
    3  TOKEN_NOT_FOUND    the session token does not exist (or expired after six idle hours)
    4  TOKEN_EMPTY        the token has already been served every question the query can give
    5  RATE_LIMIT         too many requests from this address: wait (HTTP 429, with Retry-After)

Every quizgen question is about television, so all of them are in OpenTDB category 14
("Entertainment: Television"); any other valid category (9-32) has no questions. Nothing here
touches a request or the database: ``webapp.api`` parses with these functions and
``webapp.api.store`` stores the tokens.
"""

from __future__ import annotations

import base64
import re
import secrets
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from enum import IntEnum
from html import unescape
from random import Random
from urllib.parse import quote_plus, unquote, unquote_plus

from quizgen import DIFFICULTIES, OPENTDB_CATEGORY, opentdb_result
from webapp import rules
from webapp.exceptions import WebappError
from webapp.packs import Question

TELEVISION = 14  # OpenTDB's id for "Entertainment: Television", the category of every quizgen question
CATEGORY_IDS = range(9, 33)  # the category ids OpenTDB knows
MAX_AMOUNT = 50
TYPES = ("multiple", "boolean")
ENCODINGS = ("default", "urlLegacy", "url3986", "base64")
TOKEN_IDLE_MS = 6 * 60 * 60 * 1000  # a token nobody used for six hours is deleted, as on opentdb.com
ANY = "any"  # what OpenTDB's own URL builder sends for "no filter"

_NUMBER = re.compile(r"[0-9]{1,4}")
_TOKEN = re.compile(r"[0-9a-f]{64}")


class ResponseCode(IntEnum):
    """The ``response_code`` of every OpenTDB answer."""

    SUCCESS = 0
    NO_RESULTS = 1
    INVALID_PARAMETER = 2
    TOKEN_NOT_FOUND = 3
    TOKEN_EMPTY = 4
    RATE_LIMIT = 5


class OpenTDBError(WebappError):
    """A request OpenTDB answers with a non-zero response code (still HTTP 200, like the original)."""

    status = 200

    def __init__(self, code: ResponseCode, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True, slots=True)
class QuestionQuery:
    """What an ``/api.php`` request asks for, checked."""

    amount: int
    category: int | None = None
    difficulty: str | None = None
    type: str | None = None
    encode: str = "default"
    token: str | None = None

    def can_match(self) -> bool:
        """Whether quizgen could hold questions for this query (only multiple choice, only television)."""
        return self.category in (None, TELEVISION) and self.type in (None, "multiple")


def _given(args: Mapping[str, str], name: str) -> str | None:
    value = args.get(name)
    return None if value is None or value == "" or value == ANY else value


def _invalid(name: str, value: str, expected: str) -> OpenTDBError:
    return OpenTDBError(ResponseCode.INVALID_PARAMETER, f"{name}={value!r} is not valid: {expected}")


def parse_question_query(args: Mapping[str, str]) -> QuestionQuery:
    """Check ``/api.php`` parameters; raise :class:`OpenTDBError` (code 2) naming the first bad one."""
    raw_amount = args.get("amount")
    if raw_amount is None or not _NUMBER.fullmatch(raw_amount) or not 1 <= int(raw_amount) <= MAX_AMOUNT:
        raise _invalid("amount", raw_amount or "", f"a whole number from 1 to {MAX_AMOUNT}")
    category = _given(args, "category")
    if category is not None and (not _NUMBER.fullmatch(category) or int(category) not in CATEGORY_IDS):
        raise _invalid("category", category, f"a category id from {CATEGORY_IDS[0]} to {CATEGORY_IDS[-1]}")
    difficulty = _given(args, "difficulty")
    if difficulty is not None and difficulty not in DIFFICULTIES:
        raise _invalid("difficulty", difficulty, ", ".join(DIFFICULTIES))
    qtype = _given(args, "type")
    if qtype is not None and qtype not in TYPES:
        raise _invalid("type", qtype, ", ".join(TYPES))
    encode = _given(args, "encode") or "default"
    if encode not in ENCODINGS:
        raise _invalid("encode", encode, ", ".join(ENCODINGS))
    return QuestionQuery(amount=int(raw_amount), category=None if category is None else int(category),
                         difficulty=difficulty, type=qtype, encode=encode, token=_given(args, "token"))


def question_response(code: ResponseCode, results: Sequence[dict] = (), message: str | None = None) -> dict:
    """The body of an ``/api.php`` answer; a refusal says why in ``response_message``, as ``/api_token.php`` does."""
    body = {"response_code": int(code), "results": list(results)}
    if message:
        body["response_message"] = message
    return body


# --- encodings ------------------------------------------------------------------------------------------

def _url_legacy(text: str) -> str:
    # PHP's urlencode: spaces as "+", and "~" escaped too (Python leaves it alone).
    return quote_plus(text, safe="").replace("~", "%7E")


def encode_result(question: Question, encode: str = "default") -> dict:
    """One question as an OpenTDB ``results`` entry, every string encoded as ``encode`` asks."""
    if encode != "urlLegacy":
        return opentdb_result(question, encode)
    plain = opentdb_result(question, "url3986")
    return {key: ([_url_legacy(unquote(v)) for v in value] if isinstance(value, list) else _url_legacy(unquote(value)))
            for key, value in plain.items()}


def decode_text(text: str, encode: str = "default") -> str:
    """The plain text of one string encoded by :func:`encode_result` (what a client does)."""
    if encode == "base64":
        return base64.b64decode(text).decode("utf-8")
    if encode == "url3986":
        return unquote(text)
    if encode == "urlLegacy":
        return unquote_plus(text)
    return unescape(text)


# --- categories and counts ---------------------------------------------------------------------------------

def categories() -> dict:
    """The body of ``/api_category.php``: the one category quizgen's questions are in."""
    return {"trivia_categories": [{"id": TELEVISION, "name": OPENTDB_CATEGORY}]}


def category_count(category: int, per_difficulty: Mapping[str, int]) -> dict:
    """The body of ``/api_count.php`` for a category, from the question count of each difficulty."""
    counts = {d: (per_difficulty.get(d, 0) if category == TELEVISION else 0) for d in DIFFICULTIES}
    return {"category_id": category, "category_question_count": {
        "total_question_count": sum(counts.values()),
        **{f"total_{d}_question_count": n for d, n in counts.items()}}}


def parse_category(value: str | None) -> int:
    """The category id of ``/api_count.php``; :class:`OpenTDBError` (code 2) when it is not one."""
    if value is None or not _NUMBER.fullmatch(value) or int(value) not in CATEGORY_IDS:
        raise _invalid("category", value or "", f"a category id from {CATEGORY_IDS[0]} to {CATEGORY_IDS[-1]}")
    return int(value)


# --- session tokens --------------------------------------------------------------------------------------

TOKEN_COMMANDS = ("request", "reset")


def new_token() -> str:
    """A fresh, unguessable session token (64 hex digits, like OpenTDB's)."""
    return secrets.token_hex(32)


def is_token(text: str | None) -> bool:
    """Whether ``text`` has the shape of a token (anything else cannot exist)."""
    return text is not None and _TOKEN.fullmatch(text) is not None


def token_expired(used_ms: int, now_ms: int) -> bool:
    """Whether a token last used at ``used_ms`` has been idle too long at ``now_ms``."""
    return now_ms - used_ms > TOKEN_IDLE_MS


def parse_token_command(args: Mapping[str, str]) -> tuple[str, str | None]:
    """The command of ``/api_token.php`` and its token; :class:`OpenTDBError` (code 2) when unusable."""
    command = args.get("command")
    if command not in TOKEN_COMMANDS:
        raise _invalid("command", command or "", "request, or reset with a token")
    token = args.get("token") or None
    if command == "reset" and token is None:
        raise OpenTDBError(ResponseCode.INVALID_PARAMETER, "command=reset needs the token to reset")
    return command, token


def token_response(code: ResponseCode, token: str | None = None, message: str | None = None) -> dict:
    """The body of an ``/api_token.php`` answer."""
    body: dict = {"response_code": int(code)}
    if message:
        body["response_message"] = message
    if token is not None:
        body["token"] = token
    return body


TOKEN_GENERATED = "Token Generated Successfully!"


def draw(pool: Mapping[str, Collection[str]], seen: Collection[str], amount: int,
         rng: Random) -> tuple[ResponseCode, list[str]]:
    """Pick ``amount`` question ids at random from ``pool`` (id -> its facts), none ``seen``, no two sharing a fact.

    Or say why not: a pool that cannot give that many answers NO_RESULTS (too few questions, or too
    many resting on the same facts); one the token has almost used up answers TOKEN_EMPTY (OpenTDB
    never tops a request up with questions the token has seen).
    """
    fresh = [qid for qid in pool if qid not in seen]
    picked = rules.pick_questions(fresh, amount, rng, facts=pool.__getitem__)
    if len(picked) == amount:
        return ResponseCode.SUCCESS, picked
    if len(fresh) < len(pool) and len(rules.pick_questions(list(pool), amount, rng, facts=pool.__getitem__)) == amount:
        return ResponseCode.TOKEN_EMPTY, []  # without the token's history the pool would do
    return ResponseCode.NO_RESULTS, []
