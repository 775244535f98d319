"""The game's forms (Flask-WTF: each carries its CSRF token)."""

from __future__ import annotations

from collections.abc import Mapping

from flask import Request
from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, StringField
from wtforms.validators import AnyOf, InputRequired, NumberRange, ValidationError

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


class AnswerForm(FlaskForm):
    """One answer: the shown option (1-4), or 0 when the time ran out."""

    choice = IntegerField("Answer", validators=[InputRequired(), NumberRange(min=0, max=rules.OPTION_COUNT)])


def answer_choice(request: Request) -> int | None:
    """The ``choice`` an answer POST sends if :class:`AnswerForm` would accept it (0-4), else None.

    The same check as ``AnswerForm().validate_on_submit()`` (form fields, or a JSON object), without
    building a WTForms form: the answer POST is the hot path (see webapp.fastpath), and there the
    form cost more than the database did. CSRFProtect has checked the token before the view runs.
    """
    data = request.form if request.form or not request.is_json else request.get_json(silent=True)
    raw = data.get("choice") if isinstance(data, Mapping) else None
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
