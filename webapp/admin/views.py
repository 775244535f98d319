"""The instance's owner: signing in with the admin password, removing packs and leaderboard entries.

One admin, one password (hashed with Werkzeug; set with ``quizgen admin password`` or
``QUIZGEN_ADMIN_PASSWORD_HASH``); being signed in is the time of the sign-in, in Flask's signed session
cookie, good for :data:`SIGNED_IN_FOR_MS`.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_wtf import FlaskForm
from werkzeug.security import check_password_hash
from wtforms import PasswordField
from wtforms.validators import InputRequired

from webapp.admin import bp
from webapp.boards.store import remove_posted_game
from webapp.catalog.store import PackSummary, delete_pack, get_pack, set_pack_flags, stored_pack
from webapp.db import get_session
from webapp.exceptions import AnswersKept, PackInPlay, PackNotFound
from webapp.extensions import limiter
from webapp.live.store import packs_in_running_nights
from webapp.packs import Pack
from webapp.solo.store import now_ms

ADMIN_KEY = "admin"  # in the session: when the admin signed in (epoch ms)
SIGNED_IN_FOR_MS = 12 * 3600 * 1000  # then the password is asked again (the session cookie itself lasts a year)


class LoginForm(FlaskForm):
    password = PasswordField("Admin password", validators=[InputRequired("Type the admin password.")])


class ConfirmForm(FlaskForm):
    """A button that changes something: only its CSRF token."""


def is_admin() -> bool:
    """Whether this browser signed in as the admin in the last :data:`SIGNED_IN_FOR_MS`."""
    signed_in = session.get(ADMIN_KEY)
    return type(signed_in) is int and 0 <= now_ms() - signed_in < SIGNED_IN_FOR_MS


def visible_pack(pack_id: str) -> PackSummary | None:
    """A pack this browser may see: any to the admin, else one that is not hidden."""
    summary = get_pack(pack_id)
    return summary if summary is not None and (not summary.hidden or is_admin()) else None


def may_download(summary: PackSummary) -> bool:
    """Whether this browser may have a pack's file (its answers): the admin always; anyone when it is public
    and no quiz night that has not ended draws from it."""
    return is_admin() or (summary.answers_public and summary.id not in packs_in_running_nights(get_session()))


def visible_pack_file(pack_id: str) -> tuple[Pack, bool]:
    """A pack's file for this browser, and whether anyone may have it (False: the admin alone).

    :class:`PackNotFound` if this browser may not see the pack, :class:`AnswersKept` if the pack is
    play-only and this is not the admin. The request's database connection is given back before the
    caller turns the pack into a file (SQLite has one a process).
    """
    summary = visible_pack(pack_id)
    if summary is None:
        raise PackNotFound()
    if not may_download(summary):
        raise AnswersKept() if not summary.answers_public else PackInPlay()
    pack = stored_pack(pack_id, include_hidden=True)
    get_session().close()
    if pack is None:  # deleted a moment ago
        raise PackNotFound()
    return pack, summary.answers_public


def may_upload() -> bool:
    """Whether this browser may upload packs (anyone, when the instance allows it; else the admin)."""
    return current_app.config["PUBLIC_UPLOADS"] or is_admin()


def admin_required(view: Callable[..., Any]) -> Callable[..., Any]:
    """Send a browser that is not signed in to the sign-in page, and back here afterwards."""
    @functools.wraps(view)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        if not is_admin():
            flash("Sign in as the admin to do that.", "error")
            return redirect(url_for("admin.login", next=request.path), code=303)
        return view(*args, **kwargs)
    return guarded


@bp.app_context_processor
def admin_context() -> dict[str, Any]:
    """What every page shows or hides for the admin."""
    return {"is_admin": is_admin(), "may_upload": may_upload(), "may_download": may_download}


def _safe_next(target: str | None) -> str:
    # only a path of this site: never another host
    # ("/\\host" too: browsers read a backslash as a slash)
    return target if target and target.startswith("/") and target[1:2] not in ("/", "\\") else url_for("catalog.index")


@bp.route("/admin/login", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["ADMIN_LOGIN_RATE_LIMIT"], methods=["POST"])
def login():
    """Sign in with the admin password."""
    form = LoginForm()
    configured = current_app.config["ADMIN_PASSWORD_HASH"]
    if form.validate_on_submit():
        if configured and check_password_hash(configured, form.password.data):
            session[ADMIN_KEY] = now_ms()  # in the signed cookie, beside the player's own token
            flash("Signed in as the admin.", "success")
            return redirect(_safe_next(request.args.get("next")), code=303)
        form.password.errors.append("That is not the admin password.")
    status = 400 if form.errors else 200
    return render_template("admin/login.html", form=form, configured=bool(configured)), status


@bp.post("/admin/logout")
def logout():
    """Sign out."""
    form = ConfirmForm()
    if form.validate_on_submit():
        session.pop(ADMIN_KEY, None)
        flash("Signed out.", "success")
    return redirect(url_for("catalog.index"), code=303)


def _confirmed_pack(pack_id: str) -> PackSummary | None:
    """The pack an admin's button acts on: when the button's form is valid (its CSRF token) and the pack exists."""
    return get_pack(pack_id) if ConfirmForm().validate_on_submit() else None


@bp.post("/packs/<pack_id:pack_id>/delete")
@admin_required
def delete(pack_id: str):
    """Delete a pack with its games and their leaderboard entries."""
    if summary := _confirmed_pack(pack_id):
        delete_pack(pack_id)
        flash(f"Deleted the pack “{summary.title}”, its games and their scores.", "success")
    return redirect(url_for("catalog.index"), code=303)


@bp.post("/packs/<pack_id:pack_id>/hide")
@admin_required
def hide(pack_id: str):
    """Hide a pack from everyone else (listing, playing, downloads, the API), or show it again."""
    if summary := _confirmed_pack(pack_id):
        set_pack_flags(pack_id, hidden=not summary.hidden)
        flash(f"“{summary.title}” is {'shown to everyone again' if summary.hidden else 'hidden from everyone but you'}.",
              "success")
    return redirect(url_for("catalog.pack", pack_id=pack_id), code=303)


@bp.post("/packs/<pack_id:pack_id>/approve")
@admin_required
def approve(pack_id: str):
    """Let a visitor's pack rank on the overall leaderboard (scores posted from now on)."""
    if summary := _confirmed_pack(pack_id):
        set_pack_flags(pack_id, on_overall_board=True)
        flash(f"Scores of “{summary.title}” now go on the overall leaderboard too.", "success")
    return redirect(url_for("catalog.pack", pack_id=pack_id), code=303)


@bp.post("/packs/<pack_id:pack_id>/answers")
@admin_required
def publish_answers(pack_id: str):
    """Make a pack's answers public (anyone downloads it; its games are no longer ranked), or play-only again."""
    if summary := _confirmed_pack(pack_id):
        set_pack_flags(pack_id, answers_public=not summary.answers_public)
        flash(f"“{summary.title}” is play-only again: games started from now on are ranked, and only you download "
              "it (whoever downloaded it meanwhile still has its answers)."
              if summary.answers_public else
              f"Anyone may now download “{summary.title}”: its games, also those already started, are played but "
              "not ranked.", "success")
    return redirect(url_for("catalog.pack", pack_id=pack_id), code=303)


@bp.post("/leaderboards/entries/<game_id:game_id>/remove")
@admin_required
def remove_entry(game_id: str):
    """Take a posted score off every leaderboard (an offensive nickname, a cheat)."""
    form = ConfirmForm()
    if form.validate_on_submit():
        removed = remove_posted_game(game_id)
        flash("Removed that score from the leaderboards." if removed else "That score was not on the leaderboards.",
              "success" if removed else "error")
    return redirect(_safe_next(request.form.get("next")), code=303)
