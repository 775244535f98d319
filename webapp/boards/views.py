"""Leaderboards: per pack and overall, for all time, this week and today."""

from __future__ import annotations

from urllib.parse import urlencode

from flask import abort, redirect, render_template, request, session

from webapp import rules
from webapp.admin.views import visible_pack
from webapp.boards import bp
from webapp.boards.store import game_standing, overall_board, pack_board, top_scores_and_size
from webapp.exceptions import PackNotFound
from webapp.solo.store import find_game, now_ms, settings_of

PERIOD_LABELS = {"all": "All time", "week": "This week", "day": "Today"}


def leaderboard_data(board: str, period: str, *, game_id: str | None = None, limit: int = 10) -> dict:
    """A board's top ``limit`` for a period name (all, week, day) and, if given, a game's own standing."""
    key = rules.period_keys(now_ms())[period]
    mine = game_standing(board, key, game_id) if game_id else None
    top, size = top_scores_and_size(board, key, limit)
    return {"board": board, "period": period, "period_key": key, "size": size, "top": top, "mine": mine}


def _period() -> str:
    period = request.args.get("period", "all")
    if period not in rules.PERIODS:
        abort(404)
    return period


def _settings() -> rules.Settings:
    """The settings asked for (``?settings=10-mixed-timed``, or the three fields of the page's form);
    when none are, those of the game this browser last posted, else the new-game form's first ones."""
    args = request.args
    if "settings" in args:
        key = args["settings"]
    elif {"length", "difficulty"} <= args.keys():
        key = f"{args['length']}-{args['difficulty']}-{'timed' if args.get('timed') == 'y' else 'untimed'}"
    else:
        own = _own_game()
        posted = find_game(own) if own else None
        return settings_of(posted) if posted is not None else rules.DEFAULT_SETTINGS
    settings = rules.Settings.parse(key)
    if settings is None:
        abort(404)
    return settings


@bp.before_request
def old_period_name():
    """``?period=today`` (the name these pages used before the API's ``day``) still leads to the day's board."""
    if request.args.get("period") == "today":
        query = urlencode({**request.args.to_dict(), "period": "day"})
        return redirect(f"{request.script_root}{request.path}?{query}", code=301)
    return None


def _own_game() -> str | None:
    game_id = session.get("last_posted")
    return game_id if isinstance(game_id, str) else None


@bp.get("/")
def overall():
    """The overall leaderboard (every pack) of games of one setting."""
    settings = _settings()
    data = leaderboard_data(overall_board(settings), _period(), game_id=_own_game())
    return render_template("boards/board.html", pack=None, labels=PERIOD_LABELS, settings=settings, rules=rules,
                           **data)


@bp.get("/<pack_id:pack_id>")
def pack(pack_id: str):
    """One pack's leaderboard."""
    summary = visible_pack(pack_id)
    if summary is None:
        raise PackNotFound()
    settings = _settings()
    data = leaderboard_data(pack_board(pack_id, settings), _period(), game_id=_own_game())
    return render_template("boards/board.html", pack={"id": pack_id, "title": summary.title}, labels=PERIOD_LABELS,
                           settings=settings, rules=rules, **data)
