"""The OpenAPI 3 description of the JSON API (``/api/openapi.json``), written by hand next to the routes.

``tests/webapp/test_fuzz_api.py`` generates requests from it and checks every answer against it,
so a route and its description cannot drift apart unnoticed.
"""

from __future__ import annotations

import quizgen
from webapp.api import opentdb as otdb


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict, description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


_ERROR = _json(_ref("Error"), "An error (JSON, whatever the Accept header)")

_SCHEMAS: dict[str, dict] = {
    "Error": {
        "type": "object", "required": ["error"],
        "properties": {"error": {
            "type": "object", "required": ["status", "title", "message"],
            "properties": {"status": {"type": "integer"}, "title": {"type": "string"},
                           "message": {"type": "string"}}}},
    },
    "ShowRef": {
        "type": "object", "required": ["id", "title"],
        "properties": {"id": {"type": "string"}, "title": {"type": "string"},
                       "network": {"type": "string", "nullable": True},
                       "year": {"type": "integer", "nullable": True}},
    },
    "PackSummary": {
        "type": "object", "required": ["id", "title", "question_count", "difficulties", "links"],
        "properties": {
            "id": {"type": "string"},
            "title": {"type": "string"},
            "question_count": {"type": "integer", "minimum": 0},
            "difficulties": {"type": "object", "description": "questions per difficulty",
                             "additionalProperties": {"type": "integer", "minimum": 0}},
            "best_score": {"type": "integer", "nullable": True},
            "shows": {"type": "array", "items": _ref("ShowRef")},
            "added_by": {"type": "string", "enum": ["import", "admin", "visitor"],
                         "description": "the command line, the signed-in admin, or a visitor's upload"},
            "imported_ms": {"type": "integer", "description": "when it was added (epoch ms)"},
            "hidden": {"type": "boolean", "description": "hidden by the admin (never listed here for anyone else)"},
            "answers_public": {"type": "boolean",
                               "description": "true: anyone may download the pack (its games are not ranked); "
                                              "false: play-only, its file is the admin's only"},
            "on_overall_board": {"type": "boolean",
                                 "description": "whether its games rank overall (a visitor's pack: once approved)"},
            "links": {
                "type": "object", "required": ["page", "leaderboard"],
                "description": "self (the pack file) and downloads only when the pack's answers are public",
                "properties": {"self": {"type": "string"}, "page": {"type": "string"},
                               "leaderboard": {"type": "string"},
                               "downloads": {"type": "object", "additionalProperties": {"type": "string"}}}},
        },
    },
    "PackList": {
        "type": "object", "required": ["packs"],
        "properties": {"packs": {"type": "array", "items": _ref("PackSummary")}},
    },
    "Question": {
        "type": "object",
        "required": ["id", "show", "kind", "template", "stem", "options", "answer", "explanation", "sources",
                     "difficulty", "category", "tags", "time_limit"],
        "properties": {
            "id": {"type": "string", "pattern": "^[0-9a-f]{16}$"},
            "show": {"type": "string"}, "kind": {"type": "string"}, "template": {"type": "string"},
            "stem": {"type": "string"},
            "options": {"type": "array", "items": {"type": "string"}, "minItems": 4, "maxItems": 4},
            "answer": {"type": "integer", "minimum": 0, "maximum": 3},
            "explanation": {"type": "string", "description": "one sentence naming the answer"},
            "sources": {"type": "array", "minItems": 1, "items": _ref("Source"),
                        "description": "what the answer rests on, the one stating it first"},
            "difficulty": {"type": "string", "enum": list(otdb.DIFFICULTIES)},
            "category": {"type": "string"},
            "tags": {"type": "array", "items": {"type": "string"}},
            "time_limit": {"type": "integer", "minimum": 5, "maximum": 240},
            "as_of": {"type": "string", "nullable": True},
            "facts": {"type": "array", "items": {"type": "string"},
                      "description": "every fact the question rests on or gives away (`show/kind/key`): "
                                     "two questions sharing one are never in the same game"},
        },
    },
    "Source": {
        "type": "object", "required": ["article", "sentence"],
        "description": "An article and the sentence quoted from it; or, with `sentence` null, the article's "
                       "own date line (`date`).",
        "properties": {
            "article": {"type": "string", "description": "the article's file name"},
            "sentence": {"type": "string", "nullable": True},
            "title": {"type": "string", "description": "the article's title"},
            "mark": {"type": "array", "items": {"type": "integer", "minimum": 0}, "minItems": 2, "maxItems": 2,
                     "description": "where the answer stands in `sentence`: start and end offsets"},
            "date": {"type": "string", "description": "the article's date, when the fact is its date line"},
        },
    },
    "PackFile": {
        "type": "object", "description": "A quizgen pack file (format 1), as `quizgen.dumps_pack` writes it.",
        "required": ["format", "id", "title", "seed", "generator", "shows", "questions"],
        "properties": {
            "format": {"type": "integer", "enum": [1]},
            "id": {"type": "string"}, "title": {"type": "string"}, "seed": {"type": "integer"},
            "generator": {"type": "object"},
            "shows": {"type": "array", "items": _ref("ShowRef")},
            "questions": {"type": "array", "items": _ref("Question")},
        },
    },
    "Settings": {
        "type": "object", "required": ["length", "difficulty", "timed"],
        "description": "the settings of the games a board ranks: only games of the same settings are ranked together",
        "properties": {"length": {"type": "integer", "minimum": 1},
                       "difficulty": {"type": "string", "enum": list(quizgen.DIFFICULTY_CHOICES)},
                       "timed": {"type": "boolean"}},
    },
    "Standing": {
        "type": "object", "required": ["rank", "nickname", "score", "time_ms", "created_ms", "settings"],
        "properties": {"rank": {"type": "integer", "minimum": 1}, "nickname": {"type": "string"},
                       "score": {"type": "integer"}, "time_ms": {"type": "integer"},
                       "created_ms": {"type": "integer"}, "settings": _ref("Settings")},
    },
    "Leaderboard": {
        "type": "object", "required": ["board", "period", "period_key", "settings", "size", "entries"],
        "properties": {
            "board": {"type": "string", "description": "`all`, or the pack id"},
            "settings": _ref("Settings"),
            "period": {"type": "string", "enum": ["all", "week", "day"]},
            "period_key": {"type": "string", "description": "`all`, an ISO week (`w2026-W47`) or a UTC day"},
            "size": {"type": "integer", "minimum": 0, "description": "entries on the board for the period"},
            "entries": {"type": "array", "items": _ref("Standing")},
        },
    },
    "OpenTDBResult": {
        "type": "object", "description": "Every string is encoded as `encode` asks.",
        "required": ["category", "type", "difficulty", "question", "correct_answer", "incorrect_answers"],
        "properties": {"category": {"type": "string"}, "type": {"type": "string"},
                       "difficulty": {"type": "string"}, "question": {"type": "string"},
                       "correct_answer": {"type": "string"},
                       "incorrect_answers": {"type": "array", "items": {"type": "string"}}},
    },
    "OpenTDBQuestions": {
        "type": "object", "required": ["response_code", "results"],
        "properties": {
            "response_code": {"type": "integer", "enum": [int(c) for c in otdb.ResponseCode],
                              "description": "0 success, 1 no results, 2 invalid parameter, 3 token not "
                                             "found, 4 token empty"},
            "results": {"type": "array", "items": _ref("OpenTDBResult")},
            "response_message": {"type": "string", "description": "why a request was refused (code 2)"},
        },
    },
    "OpenTDBToken": {
        "type": "object", "required": ["response_code"],
        "properties": {"response_code": {"type": "integer", "enum": [0, 2, 3]},
                       "response_message": {"type": "string"}, "token": {"type": "string"}},
    },
    "OpenTDBCategories": {
        "type": "object", "required": ["trivia_categories"],
        "properties": {"trivia_categories": {"type": "array", "items": {
            "type": "object", "required": ["id", "name"],
            "properties": {"id": {"type": "integer"}, "name": {"type": "string"}}}}},
    },
    "OpenTDBCount": {
        "type": "object",
        "description": "The counts of a category, or (`response_code` 2) why the category is not valid.",
        "properties": {
            "category_id": {"type": "integer"},
            "category_question_count": {"type": "object", "additionalProperties": {"type": "integer"}},
            "response_code": {"type": "integer"}, "response_message": {"type": "string"},
        },
    },
}


def _query(name: str, schema: dict, description: str, *, required: bool = False) -> dict:
    return {"name": name, "in": "query", "required": required, "schema": schema, "description": description}


_ID_PATTERN = f"^{quizgen.ID_PATTERN}$"
_PACK_ID = {"name": "pack_id", "in": "path", "required": True, "schema": {"type": "string", "pattern": _ID_PATTERN},
            "description": "The pack's id"}

_PATHS: dict[str, dict] = {
    "/api/packs": {"get": {
        "operationId": "listPacks", "summary": "Every pack: id, title, question counts, difficulty mix",
        "tags": ["packs"],
        "responses": {"200": _json(_ref("PackList"), "The packs, by title")},
    }},
    "/api/packs/{pack_id}": {"get": {
        "operationId": "getPack", "summary": "A pack file, byte for byte as `quizgen.dumps_pack` writes it (403 for a play-only pack)",
        "tags": ["packs"], "parameters": [_PACK_ID],
        "responses": {"200": _json(_ref("PackFile"), "The pack"), "403": _ERROR, "404": _ERROR},
    }},
    "/api/leaderboards/{board}": {"get": {
        "operationId": "getLeaderboard", "summary": "The best scores of a pack, or of all packs (`all`)",
        "tags": ["leaderboards"],
        "parameters": [
            {"name": "board", "in": "path", "required": True, "schema": {"type": "string", "pattern": _ID_PATTERN},
             "description": "A pack id, or `all` for every pack"},
            _query("period", {"type": "string", "enum": ["all", "week", "day"], "default": "all"},
                   "All time, this ISO week, or today (UTC)"),
            _query("limit", {"type": "integer", "minimum": 1, "maximum": 100, "default": 10}, "How many entries"),
            _query("length", {"type": "integer", "minimum": 1, "maximum": 20, "default": 10}, "Games of this many questions"),
            _query("difficulty", {"type": "string", "enum": list(quizgen.DIFFICULTY_CHOICES), "default": "mixed"},
                   "Games of this difficulty"),
            _query("timed", {"type": "string", "enum": ["true", "false"], "default": "false"}, "Timed games, or untimed"),
        ],
        "responses": {"200": _json(_ref("Leaderboard"), "The board"), "400": _ERROR, "404": _ERROR},
    }},
    "/api/openapi.json": {"get": {
        "operationId": "getOpenAPI", "summary": "This description", "tags": ["meta"],
        "responses": {"200": _json({"type": "object"}, "The OpenAPI 3 document")},
    }},
    "/api.php": {"get": {
        "operationId": "opentdbQuestions", "tags": ["opentdb"],
        "summary": "Random questions in Open Trivia DB's format (all are in category 14, television)",
        "description": "Always HTTP 200: `response_code` says whether there are results. No two questions "
                       "of one answer rest on the same fact (one would give the other away). With a session "
                       "token, no question is served twice until the token is reset.",
        "parameters": [
            _query("amount", {"type": "integer", "minimum": 1, "maximum": otdb.MAX_AMOUNT},
                   "How many questions", required=True),
            _query("category", {"type": "integer", "minimum": otdb.CATEGORY_IDS[0],
                                "maximum": otdb.CATEGORY_IDS[-1]},
                   f"An OpenTDB category id; quizgen's questions are all in {otdb.TELEVISION}"),
            _query("difficulty", {"type": "string", "enum": list(otdb.DIFFICULTIES)}, "Only this difficulty"),
            _query("type", {"type": "string", "enum": list(otdb.TYPES)},
                   "Question type (quizgen has no true/false questions)"),
            _query("encode", {"type": "string", "enum": list(otdb.ENCODINGS)},
                   "How strings are encoded (default: HTML entities)"),
            _query("token", {"type": "string"}, "A session token from /api_token.php"),
        ],
        "responses": {"200": _json(_ref("OpenTDBQuestions"), "Questions, or the response code saying why not")},
    }},
    "/api_token.php": {"get": {
        "operationId": "opentdbToken", "tags": ["opentdb"],
        "summary": "Request a session token, or reset one",
        "description": "Tokens are deleted after six hours without use.",
        "parameters": [
            _query("command", {"type": "string", "enum": list(otdb.TOKEN_COMMANDS)}, "request or reset",
                   required=True),
            _query("token", {"type": "string"}, "The token to reset"),
        ],
        "responses": {"200": _json(_ref("OpenTDBToken"), "The token, or the response code saying why not")},
    }},
    "/api_category.php": {"get": {
        "operationId": "opentdbCategories", "tags": ["opentdb"], "summary": "The categories there are questions in",
        "responses": {"200": _json(_ref("OpenTDBCategories"), "The categories")},
    }},
    "/api_count.php": {"get": {
        "operationId": "opentdbCount", "tags": ["opentdb"], "summary": "How many questions a category holds",
        "parameters": [_query("category", {"type": "integer", "minimum": otdb.CATEGORY_IDS[0],
                                           "maximum": otdb.CATEGORY_IDS[-1]}, "An OpenTDB category id",
                              required=True)],
        "responses": {"200": _json(_ref("OpenTDBCount"), "The counts per difficulty")},
    }},
}


def openapi_document() -> dict:
    """The OpenAPI 3.0 document describing every API endpoint."""
    return {
        "openapi": "3.0.3",
        "info": {"title": "quizgen API", "version": "1",
                 "description": "Question packs made by quizgen from sourced facts about TV shows, their "
                                "leaderboards, and an Open Trivia DB-compatible question API."},
        "paths": _PATHS,
        "components": {"schemas": _SCHEMAS},
    }
