"""Quiz night pages: hosting (new night, controls, projector, results) and joining (the player's phone).

The pages are shells that live.js fills from the night's Socket.IO events (webapp/live/events.py). The
host's key lives in this browser's session from the moment it creates the night; another device gets
it through the controls' "Controls on another device" link.
"""

from __future__ import annotations

import csv
import io
import ipaddress
import json
import socket

import segno
from flask import abort, current_app, flash, redirect, render_template, request, session, url_for
from werkzeug.wrappers import Response
from wtforms.fields.choices import SelectChoice

from webapp.admin.views import ConfirmForm, is_admin
from webapp.catalog.store import list_packs
from webapp.db import get_session
from webapp.exceptions import NotFound
from webapp.live import bp, results as night_results, rules, store
from webapp.live.forms import NightForm
from webapp.live.rules import Plan
from webapp.live.store import NightError
from webapp.solo.store import now_ms

HOSTING_KEY = "hosting"  # in the session: {night id: host key} of the nights this browser hosts
HOSTED_KEPT = 20  # the newest ones; an older night's key must come back through its "Controls on another device" link


def may_host() -> bool:
    """Whether this browser may host a quiz night: anyone's when the instance allows it, else the admin's."""
    return current_app.config["OPEN_HOSTING"] or is_admin()


@bp.app_context_processor
def hosting_context() -> dict:
    return {"may_host": may_host()}


def _hosted() -> dict[str, str]:
    hosted = session.get(HOSTING_KEY)
    return hosted if isinstance(hosted, dict) else {}


def _remember(night_id: str, key: str) -> None:
    hosted = {k: v for k, v in _hosted().items() if k != night_id}
    hosted[night_id] = key
    session[HOSTING_KEY] = dict(list(hosted.items())[-HOSTED_KEPT:])
    session.permanent = True


def _hosted_night(night_id: str):
    """The night and its host key, for this browser's host; 404 for anyone else (the night stays secret)."""
    key = _hosted().get(night_id)
    night = store.night_by_id(get_session(), night_id)
    if night is None or key is None or not store.is_host(night, key):
        raise NotFound("There is no quiz night here that this browser hosts.")
    return night, key


def _refuse_hosting():
    flash("Sign in as the admin to host a quiz night.", "error")
    return redirect(url_for("admin.login", next=request.path), code=303)


@bp.get("/host")
def nights():
    """The nights this browser hosts (every night, for the admin), and a way to start one."""
    if not may_host():
        return _refuse_hosting()
    ids = None if is_admin() else list(_hosted())
    return render_template("live/nights.html", nights=store.list_nights(get_session(), ids), hosted=_hosted(),
                           form=ConfirmForm())


def _night_form() -> NightForm:
    form = NightForm()
    packs = list_packs()  # a hidden pack is drawn for nobody, not even a night
    form.packs.choices = [SelectChoice(p.id, f"{p.title} ({p.question_count} questions)") for p in packs]
    if not form.packs.data and len(packs) == 1:
        form.packs.data = [packs[0].id]
    categories = sorted(store.categories(get_session(), [p.id for p in packs]))
    shows = sorted(store.shows(get_session(), [p.id for p in packs]))
    for row in form.rounds:
        row.category.choices = [SelectChoice("", "Anything")] + [SelectChoice(c) for c in categories]
        row.show.choices = [SelectChoice("", "Any show")] + [SelectChoice(s) for s in shows]
    if request.method == "GET" and not any(r.title.data for r in form.rounds):
        for row, (title, category) in zip(form.rounds, [("Cast", "Cast"), ("Production", ""), ("Reception", "")]):
            row.title.data, row.category.data = title, category if category in categories else ""
    return form


@bp.route("/host/new", methods=["GET", "POST"])
def new_night():
    """Plan a night: packs, rounds, time, scoring, teams, joker, tie-breaker."""
    if not may_host():
        return _refuse_hosting()
    form = _night_form()
    if form.validate_on_submit():
        allowed = {p.id for p in list_packs()}
        if not set(form.packs.data) <= allowed:
            form.packs.errors = ["Choose packs from the list."]
        else:
            try:
                night, key = store.create_night(get_session(), form.plan(), now=now_ms())
            except NightError as exc:
                form.rounds.errors = [exc.message]
            else:
                _remember(night.id, key)
                return redirect(url_for("live.controls", night_id=night.id), code=303)
    return render_template("live/new.html", form=form), 400 if request.method == "POST" else 200


@bp.post("/host/<night_id>/again")
def run_again(night_id: str):
    """The same plan and questions again: a new code, no players."""
    night, _key = _hosted_night(night_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    again, key = store.run_again(get_session(), night, now=now_ms())
    _remember(again.id, key)
    return redirect(url_for("live.controls", night_id=again.id), code=303)


def join_url(code: str) -> str:
    """The address phones open to join: QUIZGEN_PUBLIC_URL, or this server as the host's browser reached it
    (with this machine's LAN address instead of a loopback one, which a phone cannot reach)."""
    return f"{_room_base()}{url_for('live.play', code=code)}"


def _room_base() -> str:
    """This server as another device in the room reaches it (see :func:`join_url`)."""
    base = current_app.config["PUBLIC_URL"]
    if base is None:
        host = request.host
        name, _, port = host.rpartition(":") if host.count(":") == 1 else (host, "", "")
        if _is_loopback(name or host):
            lan = lan_address()
            host = f"{lan}:{port}" if lan and port else (lan or host)
        base = f"{request.scheme}://{host}"
    return base


def _is_loopback(name: str) -> bool:
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name.strip("[]")).is_loopback
    except ValueError:
        return False


def lan_address() -> str | None:
    """This machine's address on its local network (no packet is sent: a UDP socket only picks a route)."""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(("192.168.255.255", 9))
            address = probe.getsockname()[0]
    except OSError:
        return None
    return None if ipaddress.ip_address(address).is_loopback else address


def qr_svg(url: str, title: str = "QR code of the join address") -> str:
    """An address (the join address) as an inline SVG QR code, made here (segno), with no outside service.
    Sized by its viewBox (no width or height), so the page's CSS scales it."""
    return segno.make(url, error="m").svg_inline(scale=8, border=2, dark="#000", light="#fff", omitsize=True,
                                                 title=title)


@bp.get("/host/<night_id>")
def controls(night_id: str):
    """The host's controls (a laptop or a phone)."""
    night, key = _hosted_night(night_id)
    # For a phone or a second laptop: the room's address of this server, as the join address has.
    remote = _room_base() + url_for("live.remote", night_id=night.id, key=key)
    return render_template("live/host.html", night=night, key=key, plan=Plan.from_json(night.plan),
                           join=join_url(night.code), remote=remote,
                           remote_qr=qr_svg(remote, "QR code of the controls' link"), form=ConfirmForm())


@bp.get("/host/<night_id>/screen")
def projector(night_id: str):
    """The projector: big and bold, for the back of the room."""
    night, key = _hosted_night(night_id)
    join = join_url(night.code)
    return render_template("live/screen.html", night=night, key=key, join=join, qr=qr_svg(join),
                           plan=Plan.from_json(night.plan))


@bp.get("/host/<night_id>/remote")
def remote(night_id: str):
    """The controls' link for another device: it carries the host key once, into that browser's session."""
    key = request.args.get("key", "")
    night = store.night_by_id(get_session(), night_id)
    if night is None or not store.is_host(night, key):
        raise NotFound("There is no quiz night here that this browser hosts.")
    _remember(night.id, key)
    return redirect(url_for("live.controls", night_id=night.id), code=303)


@bp.get("/host/<night_id>/results")
def results(night_id: str):
    """After the night: final standings, and how the room did on each question."""
    night = _results_night(night_id)
    return render_template("live/results.html", night=night, report=night_results.report(get_session(), night),
                           form=ConfirmForm(), hosted=night_id in _hosted())


def _results_night(night_id: str):
    if is_admin():
        night = store.night_by_id(get_session(), night_id)
        if night is None:
            raise NotFound("There is no such quiz night.")
        return night
    return _hosted_night(night_id)[0]


@bp.get("/host/<night_id>/results.json")
def results_json(night_id: str):
    night = _results_night(night_id)
    body = json.dumps(night_results.report(get_session(), night), ensure_ascii=False, indent=2)
    return Response(body, mimetype="application/json", headers={
        "Content-Disposition": f'attachment; filename="quiz-night-{night.code}.json"'})


@bp.get("/host/<night_id>/results.csv")
def results_csv(night_id: str):
    """Two tables in one file: the standings, then the questions."""
    night = _results_night(night_id)
    report = night_results.report(get_session(), night)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["rank", "player", "team", "score", "right answers"])
    for row in report["standings"]:
        writer.writerow([row["rank"], row["nickname"], row["team"] or "", row["score"], row["right"]])
    writer.writerow([])
    writer.writerow(["question", "round", "question text", "answer", "difficulty", "share right", "mean time (s)"])
    for q in report["questions"]:
        writer.writerow([q["number"], q["round"], q["stem"], q["answer"], q["difficulty"],
                         "" if q["share_right"] is None else f"{q['share_right']:.2f}",
                         "" if q["mean_seconds"] is None else f"{q['mean_seconds']:.1f}"])
    return Response(out.getvalue(), mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="quiz-night-{night.code}.csv"'})


@bp.get("/host/difficulty")
def difficulty():
    """Each question's measured share of right answers beside its generated difficulty, over every night."""
    if not may_host():
        return _refuse_hosting()
    return render_template("live/difficulty.html", check=night_results.difficulty_check(get_session()))


@bp.get("/join")
def join_form():
    """Where a player types the code on the projector."""
    code = request.args.get("code")
    if code:
        return redirect(url_for("live.play", code=store.normalise_code(code)), code=303)
    return render_template("live/join.html")


@bp.get("/join/<code>")
def play(code: str):
    """The player's phone: pick a nickname, then answer (or come back as the same player after a reload)."""
    night = store.night_by_code(get_session(), code)
    if night is None:
        return render_template("live/join.html", unknown=code[:20]), 404
    plan = Plan.from_json(night.plan)
    return render_template("live/player.html", night=night, plan=plan, rules=rules)
