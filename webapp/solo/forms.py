"""The game's forms, as Flask-WTF forms carrying its CSRF token (the answer form's token: webapp.solo.answer_token)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, StringField
from wtforms.validators import AnyOf, InputRequired, ValidationError

from webapp import rules
from webapp.boards.nicknames import MAX_LENGTH, NicknameError, clean_nickname


class NewGameForm(FlaskForm):
    """How long, how hard, and whether the clock runs."""

    # Radio buttons drawn by the template (pack.html) from these choices.
    length = IntegerField("Questions", default=10, validators=[
        InputRequired(), AnyOf(rules.GAME_LENGTHS, message="Choose 5, 10 or 20 questions.")])
    difficulty = StringField("Difficulty", default=rules.MIXED, validators=[
        InputRequired(), AnyOf(rules.DIFFICULTY_CHOICES, message="Choose a difficulty.")])
    timed = BooleanField("Timer (each question has its own time limit; fast right answers earn a bonus)")
    accept_shorter = BooleanField("Start even if the pack gives fewer questions than asked")


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
