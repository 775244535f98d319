"""The host's form for a new quiz night (Flask-WTF, with its CSRF token)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    FieldList,
    Form,
    FormField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from webapp.live import rules

ROUND_ROWS = 4  # rows the form offers; a row without a title is left out


class RoundForm(Form):
    title = StringField("Round title", validators=[Optional(), Length(max=60)])
    category = SelectField("Questions about", choices=[SelectChoice("", "Anything")], validate_choice=False)
    show = SelectField("From the show", choices=[SelectChoice("", "Any show")], validate_choice=False)
    count = IntegerField("Questions", default=5, validators=[
        Optional(), NumberRange(1, rules.MAX_QUESTIONS_PER_ROUND,
                                message=f"A round has 1 to {rules.MAX_QUESTIONS_PER_ROUND} questions.")])


class NightForm(FlaskForm):
    """Rounds, timing, scoring, teams and extras of a new night."""

    title = StringField("Name of the night", default="Quiz night", validators=[InputRequired(), Length(1, 80)])
    packs = SelectMultipleField("Packs", validators=[InputRequired(message="Choose at least one pack.")])
    rounds = FieldList(FormField(RoundForm), min_entries=ROUND_ROWS, max_entries=rules.MAX_ROUNDS)
    seconds = SelectField("Seconds per question", coerce=int, default=20,
                          choices=[SelectChoice(s, f"{s} s") for s in rules.SECONDS_CHOICES])
    scoring = RadioField("Scoring", default=rules.SPEED, choices=[
        SelectChoice(rules.SPEED, "Speed: 500–1000 points a right answer, more for faster, plus a streak bonus"),
        SelectChoice(rules.CLASSIC, "Classic (pub style): 1 point a right answer; the timer only closes the question")])
    board_after = RadioField("Leaderboard", default=rules.BOARD_AFTER_QUESTION, choices=[
        SelectChoice(rules.BOARD_AFTER_QUESTION, "After every question"),
        SelectChoice(rules.BOARD_AFTER_ROUND, "Only between rounds")])
    stem_on_phones = BooleanField("Show the question on phones too (off: phones show only the options)",
                                  default=True)
    teams = TextAreaField("Teams (one name a line; leave empty to play alone)", validators=[Length(max=400)],
                          render_kw={"rows": 3})
    joker = BooleanField("Jokers: each team (or player) doubles one round of its choice, chosen before it starts")
    tiebreak = BooleanField("Tie-breaker: a closest-number question when the top places tie", default=True)

    def validate_teams(self, field: TextAreaField) -> None:
        names = self.team_names()
        if len(names) > rules.MAX_TEAMS:
            raise ValidationError(f"At most {rules.MAX_TEAMS} teams.")
        if any(len(n) > 30 for n in names):
            raise ValidationError("A team's name has at most 30 characters.")
        if len({rules.name_key(n) for n in names}) != len(names):
            raise ValidationError("Two teams have the same name.")
        if len(names) == 1:
            raise ValidationError("Give at least two teams, or none.")

    def validate_rounds(self, field: FieldList) -> None:
        if not self.round_plans():
            raise ValidationError("Give at least one round a title.")

    def team_names(self) -> list[str]:
        return [" ".join(line.split()) for line in (self.teams.data or "").splitlines() if line.strip()]

    def round_plans(self) -> list[rules.RoundPlan]:
        return [rules.RoundPlan(title=" ".join(r.title.data.split()), count=r.count.data or 5,
                                category=r.category.data or "", show=r.show.data or "")
                for r in self.rounds if r.title.data and r.title.data.strip()]

    def plan(self) -> rules.Plan:
        return rules.Plan(title=" ".join(self.title.data.split()), pack_ids=tuple(self.packs.data),
                          rounds=tuple(self.round_plans()), seconds=self.seconds.data, scoring=self.scoring.data,
                          teams=tuple(self.team_names()), joker=self.joker.data, tiebreak=self.tiebreak.data,
                          board_after=self.board_after.data, stem_on_phones=self.stem_on_phones.data)
