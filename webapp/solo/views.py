"""Playing a game: start it, one question at a time, feedback, results, posting the score.

Every POST redirects (303) to a GET, so reloading or going back never answers twice.
"""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_wtf.csrf import CSRFError

from webapp import rules
from webapp.admin.views import is_admin, visible_pack
from webapp.boards.store import game_standing, overall_board, pack_board, rank_if_posted
from webapp.catalog.store import get_pack
from webapp.db import get_session
from webapp.exceptions import AlreadyAnswered, GameRuleError, PackNotFound, ShorterGame
from webapp.extensions import csrf, limiter
from webapp.live.store import packs_in_running_nights
from webapp.solo import answer_token, bp, store as games
from webapp.solo.forms import NewGameForm, NicknameForm

_MOST_QUESTIONS = max(rules.GAME_LENGTHS)

PLAYER_KEY = "player"
LAST_POSTED_KEY = "last_posted"


def current_player(create: bool = False) -> str | None:
    """This browser's player token (made on first need when ``create``), or None."""
    token = session.get(PLAYER_KEY)
    if not isinstance(token, str) and create:
        token = session[PLAYER_KEY] = games.new_player_token()
        session.permanent = True
    return token if isinstance(token, str) else None


def _see(game_id: str, number: int):
    return redirect(url_for("solo.question", game_id=game_id, number=number), code=303)


@bp.post("/packs/<pack_id:pack_id>/games")
@limiter.limit(lambda: current_app.config["NEW_GAME_RATE_LIMIT"])
def start(pack_id: str):
    """Start a game of a pack with the chosen length, difficulty and timer."""
    summary = visible_pack(pack_id)
    if summary is None:
        raise PackNotFound()
    form = NewGameForm()
    if not form.validate_on_submit():
        return render_template("catalog/pack.html", pack=summary, form=form, rules=rules), 400
    if not is_admin() and pack_id in packs_in_running_nights(get_session()):
        # its feedback would give a quiz night's answers away, one a question
        flash("A quiz night is being played with this pack: play it alone once the night is over.", "error")
        return redirect(url_for("catalog.pack", pack_id=pack_id), code=303)
    try:
        game = games.start_game(pack_id, length=form.length.data, difficulty=form.difficulty.data,
                                timed=form.timed.data, player=current_player(create=True),
                                accept_shorter=form.accept_shorter.data)
    except ShorterGame as short:  # said before the game starts: the player chooses
        return render_template("catalog/pack.html", pack=summary, form=form, rules=rules, short=short)
    except GameRuleError as exc:
        flash(exc.message, "error")
        return redirect(url_for("catalog.pack", pack_id=pack_id), code=303)
    return _see(game.id, 1)


@bp.get("/games/<game_id:game_id>")
def resume(game_id: str):
    """Where this game stands now: the next question, or the results."""
    game = games.load_game(game_id, current_player())
    if game.finished_ms is not None:
        return redirect(url_for("solo.results", game_id=game.id), code=303)
    return _see(game.id, game.answered + 1)


@bp.get("/games/<game_id:game_id>/questions/<int:number>")
def question(game_id: str, number: int):
    """The question (if unanswered and current) or its feedback (if answered)."""
    game = games.load_game(game_id, current_player())
    if not 1 <= number <= game.length:
        abort(404)
    position = number - 1
    if position < game.answered:
        answer = games.answered_question(game, position)
        return render_template("solo/answer.html", game=game, answer=answer)
    if position > game.answered:
        return _see(game.id, game.answered + 1)
    view = games.show_question(game, position)
    return render_template("solo/question.html", game=game, q=view,
                           answer_token=answer_token.for_game(game.id, game.player))


@bp.post("/games/<game_id:game_id>/questions/<int:number>")
@csrf.exempt  # the form's answer token (webapp.solo.answer_token) is this game's CSRF token and proof of its owner
@limiter.exempt  # one answer a question: a game's start is what is limited
def answer(game_id: str, number: int):
    """Take the one answer to a question, then show its feedback."""
    if not 1 <= number <= _MOST_QUESTIONS:
        abort(404)
    choice = request.form.get("choice", type=int)
    turn = games.find_turn(game_id, number - 1)
    if turn is None or not answer_token.is_valid(request.form.get(answer_token.FIELD, ""), turn.game_id,
                                                  turn.player):
        raise CSRFError("The answer form's CSRF token is not this game's.")
    if not 1 <= number <= turn.length:
        abort(404)
    if choice is None or not 0 <= choice <= rules.OPTION_COUNT:
        abort(400)
    if turn.position > turn.answered:
        flash("Please answer the questions in order.", "error")
        return _see(turn.game_id, turn.answered + 1)
    try:
        games.answer_turn(turn, choice, arrived_ms=games.arrived_ms())
    except AlreadyAnswered:
        flash("You already answered this question: your first answer counts.", "error")
    return _see(turn.game_id, number)  # the feedback is at the URL the answer was posted to


@bp.get("/games/<game_id:game_id>/results")
def results(game_id: str):
    """The final score and time, a review of each question, and the leaderboard form."""
    game = games.load_game(game_id, current_player())
    if game.finished_ms is None:
        return _see(game.id, game.answered + 1)
    return _results_page(game, NicknameForm())


def _results_page(game, form, status: int = 200):
    standings = {}
    settings = games.settings_of(game)
    if game.nickname is None:  # where it would stand: said before the player decides to post
        standings = {"would_be": rank_if_posted(pack_board(game.pack_id, settings), "all", game.score, game.time_ms)}
    else:
        standings = {"pack": game_standing(pack_board(game.pack_id, settings), "all", game.id),
                     "overall": game_standing(overall_board(settings), "all", game.id)}
    answers = games.review(game)
    return render_template("solo/results.html", game=game, review=answers, form=form,
                           pack=get_pack(game.pack_id), standings=standings, settings=settings,
                           unranked=games.unranked_reason(game, answers) if game.nickname is None else None), status


@bp.post("/games/<game_id:game_id>/results")
@limiter.limit(lambda: current_app.config["SCORE_RATE_LIMIT"])
def post_score(game_id: str):
    """Put the score on the leaderboards under the nickname given."""
    game = games.load_game(game_id, current_player())
    if game.finished_ms is None:
        return _see(game.id, game.answered + 1)
    form = NicknameForm()
    if not form.validate_on_submit():
        return _results_page(game, form, 400)
    try:
        games.post_score(game, form.nickname.data)
    except GameRuleError as exc:
        flash(exc.message, "error")
        return redirect(url_for("solo.results", game_id=game.id), code=303)
    session[LAST_POSTED_KEY] = game.id
    flash(f"Your score is on the leaderboard as {game.nickname}.", "success")
    return redirect(url_for("boards.pack", pack_id=game.pack_id, settings=games.settings_of(game).key()), code=303)
