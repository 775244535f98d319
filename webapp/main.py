"""The home page (the packs), a pack's page (start a game) and the help page."""

from __future__ import annotations

from flask import Blueprint, render_template

from . import game as rules
from .exceptions import PackNotFound
from .admin import is_admin, visible_pack
from .forms import NewGameForm
from .games import unfinished_games
from .play import current_player
from .queries import list_packs

bp = Blueprint("main", __name__)


@bp.get("/")
def index():
    """Every pack with its size, difficulty mix and best score."""
    return render_template("main/index.html", packs=list_packs(include_hidden=is_admin()),
                           unfinished=unfinished_games(current_player()),
                           rules=rules)


@bp.get("/packs/<pack_id:pack_id>")
def pack(pack_id: str):
    """A pack and the form that starts a game of it."""
    summary = visible_pack(pack_id)
    if summary is None:
        raise PackNotFound()
    return render_template("main/pack.html", pack=summary, form=NewGameForm(), rules=rules,
                           unfinished=unfinished_games(current_player(), pack_id=pack_id))


@bp.get("/help")
def help_page():
    """How to play and how points are counted."""
    return render_template("main/help.html", rules=rules)
