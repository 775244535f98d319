"""The game's forms: Flask-WTF forms carrying its CSRF token, and the answer form (webapp.answer_token)."""

from __future__ import annotations

import io
from collections.abc import Mapping
from typing import NamedTuple
from urllib.parse import parse_qsl

from flask import Request
from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, StringField
from wtforms.validators import AnyOf, InputRequired, ValidationError

from . import answer_token
from . import game as rules
from .nicknames import MAX_LENGTH, NicknameError, clean_nickname


class NewGameForm(FlaskForm):
    """How long, how hard, and whether the clock runs."""

    # Radio buttons drawn by the template (pack.html) from these choices.
    length = IntegerField("Questions", default=10, validators=[
        InputRequired(), AnyOf(rules.GAME_LENGTHS, message="Choose 5, 10 or 20 questions.")])
    difficulty = StringField("Difficulty", default=rules.MIXED, validators=[
        InputRequired(), AnyOf(rules.DIFFICULTY_CHOICES, message="Choose a difficulty.")])
    timed = BooleanField("Timer (each question has its own time limit; fast right answers earn a bonus)")
    accept_shorter = BooleanField("Start even if the pack gives fewer questions than asked")


_URLENCODED = "application/x-www-form-urlencoded"
_SMALL_BODY = 4096


class AnswerPost(NamedTuple):
    """What an answer POST sends: the ``choice`` if acceptable (0-4, else None), the ``answer_token`` (None: absent)."""

    choice: int | None
    token: str | None


def read_answer(request: Request) -> AnswerPost:
    """The answer form's two fields, from form fields or a JSON object, without building a WTForms form.

    ``choice`` is the shown option (1-4), or 0 when the time ran out; anything else is None. The
    ``answer_token`` (webapp.answer_token) is returned as sent, "" if it is not a string. This is the
    hot path (see webapp.fastpath): a WTForms form, and the session-bound CSRF token it carries,
    cost more than the database did.
    """
    if request.environ.get("CONTENT_TYPE", "").partition(";")[0].strip().lower() == _URLENCODED:  # the mimetype
        data: object = _urlencoded_fields(request)
    else:
        data = request.form if request.form or not request.is_json else request.get_json(silent=True)
    if not isinstance(data, Mapping):
        return AnswerPost(None, None)
    token = data.get(answer_token.FIELD)
    return AnswerPost(_choice(data.get("choice")), token if isinstance(token, str) or token is None else "")


def _urlencoded_fields(request: Request) -> dict[str, str]:
    # What ``request.form`` holds for a browser's form, for a third of the cost: werkzeug's form
    # parser builds a parser, streams and two MultiDicts around the same ``parse_qsl``.
    fields: dict[str, str] = {}
    for name, value in parse_qsl(_body(request).decode("utf-8", "replace"), keep_blank_values=True):
        fields.setdefault(name, value)  # a repeated field's first value, as ``request.form.get`` gives
    return fields


def _body(request: Request) -> bytes:
    # A small body of a declared length (an answer is about 100 bytes) is read from the server's input
    # as WSGI hands it over, without werkzeug's stream wrappers, and put back as a BytesIO in the
    # environ: ``request.form`` or ``get_data`` read the same bytes if something asks later. Anything
    # else (no or a bad Content-Length, a bigger body, a stream already opened) goes through
    # ``get_data``, which answers 413 past MAX_CONTENT_LENGTH.
    environ = request.environ
    length = environ.get("CONTENT_LENGTH", "")
    if not length.isdigit() or int(length) > _SMALL_BODY or "stream" in request.__dict__:
        return request.get_data(cache=True)
    body = environ["wsgi.input"].read(int(length))
    environ["wsgi.input"] = io.BytesIO(body)
    return body


def _choice(raw: object) -> int | None:
    if raw is None or raw == "":
        return None
    try:
        choice = int(raw)
    except (TypeError, ValueError):
        return None
    return choice if 0 <= choice <= rules.OPTION_COUNT else None


class NicknameForm(FlaskForm):
    """The name a score goes on the leaderboard under."""

    nickname = StringField("Nickname", validators=[InputRequired(message="Please type a nickname.")],
                           render_kw={"maxlength": MAX_LENGTH, "autocomplete": "nickname", "spellcheck": "false"},
                           description=f"1–{MAX_LENGTH} letters, digits, spaces or _ - . '")

    def validate_nickname(self, field: StringField) -> None:
        try:
            field.data = clean_nickname(field.data or "")
        except NicknameError as exc:
            raise ValidationError(str(exc)) from None
