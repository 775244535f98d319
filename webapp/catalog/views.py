"""The home page (the packs), a pack's page (start a game) and the help page."""

from __future__ import annotations

from flask import render_template

from webapp import rules
from webapp.admin.views import is_admin, visible_pack
from webapp.catalog import bp
from webapp.catalog.store import list_packs
from webapp.exceptions import PackNotFound
from webapp.solo.forms import NewGameForm
from webapp.solo.store import unfinished_games
from webapp.solo.views import current_player


@bp.get("/")
def index():
    """Every pack with its size, difficulty mix and best score."""
    return render_template("catalog/index.html", packs=list_packs(include_hidden=is_admin()),
                           unfinished=unfinished_games(current_player()),
                           rules=rules)


@bp.get("/packs/<pack_id:pack_id>")
def pack(pack_id: str):
    """A pack and the form that starts a game of it."""
    summary = visible_pack(pack_id)
    if summary is None:
        raise PackNotFound()
    return render_template("catalog/pack.html", pack=summary, form=NewGameForm(), rules=rules,
                           unfinished=unfinished_games(current_player(), pack_id=pack_id))


@bp.get("/help")
def help_page():
    """How to play and how points are counted."""
    return render_template("catalog/help.html", rules=rules)
