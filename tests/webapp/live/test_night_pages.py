"""The quiz night pages: planning a night, the host's screens, joining, results, and packs kept out of reach."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest

from webapp import db
from webapp.live import rules, store, views

PLAN_FORM = {
    "title": "Friday quiz", "packs": "tiny-pretty-things", "seconds": "20", "scoring": "speed",
    "board_after": "question", "stem_on_phones": "y", "tiebreak": "y",
    "rounds-0-title": "Cast", "rounds-0-category": "Cast", "rounds-0-count": "2",
    "rounds-1-title": "Production", "rounds-1-category": "Production", "rounds-1-count": "2",
    "rounds-2-title": "", "rounds-3-title": "",
}


@pytest.fixture
def stored_pack(save, client, make_admin):
    """The night pack, stored; and ``client`` signed in as the admin, who hosts (QUIZGEN_OPEN_HOSTING is off)."""
    from tests.webapp.live.conftest import night_pack

    save(night_pack())
    make_admin(client)


def _create(client, **changes) -> str:
    response = client.post("/host/new", data={**PLAN_FORM, **changes})
    assert response.status_code == 303, response.get_data(as_text=True)[-2000:]
    return response.headers["Location"].rsplit("/", 1)[1]


def test_the_new_night_form_offers_packs_categories_and_every_setting(client, stored_pack):
    page = client.get("/host/new").get_data(as_text=True)
    for text in ("Tiny Pretty Things", 'value="Cast"', 'value="Production"', "From the show", "Seconds per question", "Speed",
                 "Classic", "Teams", "Jokers", "Tie-breaker", "Only between rounds", "Show the question on phones"):
        assert text in page, text


def test_creating_a_night_opens_its_controls_with_the_code_and_the_join_address(client, app, stored_pack):
    night_id = _create(client)
    page = client.get(f"/host/{night_id}").get_data(as_text=True)
    with app.app_context():
        night = store.night_by_id(db.get_session(), night_id)
        plan = rules.Plan.from_json(night.plan)
    assert night.code in page and f"/join/{night.code}" in page
    assert [r.title for r in plan.rounds] == ["Cast", "Production"] and plan.tiebreak and not plan.teams
    assert 'data-role="host"' in page


def test_the_projector_shows_the_code_and_a_qr_code_made_here(client, app, stored_pack):
    night_id = _create(client)
    page = client.get(f"/host/{night_id}/screen").get_data(as_text=True)
    assert "<svg" in page and "QR code of the join address" in page
    assert not re.search(r'(src|href)="https?://', page)  # nothing from another host


@pytest.mark.parametrize("changes, message", [
    ({"rounds-0-title": "", "rounds-1-title": ""}, "Give at least one round a title."),
    ({"teams": "Solo"}, "Give at least two teams, or none."),
    ({"teams": "Sharks\nSHARKS"}, "Two teams have the same name."),
    ({"packs": "no-such-pack"}, "is not a valid choice"),
    ({"rounds-0-count": "99"}, "A round has 1 to 20 questions."),
    ({"rounds-0-count": "12"}, "Round 1 (Cast) asks for 12 questions, but only 8 from Cast"),
    ({"rounds-0-show": "Another Show"}, "Round 1 (Cast) asks for 2 questions, but only 0 from Cast and Another Show"),
])
def test_a_plan_that_cannot_work_is_refused_with_the_reason_and_nothing_is_stored(client, app, stored_pack, changes,
                                                                                   message):
    response = client.post("/host/new", data={**PLAN_FORM, **changes})
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    with app.app_context():
        assert store.list_nights(db.get_session()) == []


def test_by_default_only_the_admin_hosts(app, stored_pack):
    visitor = app.test_client()
    for response in (visitor.get("/host/new"), visitor.post("/host/new", data=PLAN_FORM), visitor.get("/host")):
        assert response.status_code == 303 and "/admin/login" in response.headers["Location"]
    with app.app_context():
        assert store.list_nights(db.get_session()) == []


@pytest.mark.app_config(OPEN_HOSTING=True)
def test_with_open_hosting_anyone_hosts(app, stored_pack):
    _create(app.test_client())


def test_another_browser_cannot_open_a_nights_host_screens(client, app, stored_pack):
    night_id = _create(client)
    stranger = app.test_client()
    for path in (f"/host/{night_id}", f"/host/{night_id}/screen", f"/host/{night_id}/results",
                 f"/host/{night_id}/results.csv", f"/host/{night_id}/remote?key=guess"):
        assert stranger.get(path).status_code == 404, path


def test_the_remote_link_carries_the_host_key_to_another_device(client, app, stored_pack):
    night_id = _create(client)
    page = client.get(f"/host/{night_id}").get_data(as_text=True)
    remote = re.search(r'href="(http://localhost/host/[^"]+/remote\?key=[^"]+)"', page) or \
        re.search(r"(/host/[^\"<\s]+/remote\?key=[A-Za-z0-9_\-]+)", page)
    assert remote
    phone = app.test_client()
    path = remote.group(1).replace("http://localhost", "")
    assert phone.get(path).status_code == 303
    assert phone.get(f"/host/{night_id}").status_code == 200


def test_joining_by_code(client, app, stored_pack):
    night_id = _create(client)
    with app.app_context():
        code = store.night_by_id(db.get_session(), night_id).code
    player = app.test_client()
    assert player.get(f"/join?code={code.lower()}").headers["Location"].endswith(f"/join/{code}")
    page = player.get(f"/join/{code}").get_data(as_text=True)
    assert 'data-role="player"' in page and "tiny-pretty-things" not in page  # players never see a pack id
    missing = player.get("/join/NOSUCH")
    assert missing.status_code == 404 and "no quiz night with the code" in missing.get_data(as_text=True)


@pytest.mark.app_config(PUBLIC_URL="http://192.168.1.20:5000")
def test_the_join_address_is_the_public_url_when_one_is_set(client, app, stored_pack):
    with app.test_request_context("/"):
        assert views.join_url("BCDFGH") == "http://192.168.1.20:5000/join/BCDFGH"


def test_a_loopback_join_address_is_replaced_by_the_lan_address(app, monkeypatch):
    monkeypatch.setattr(views, "lan_address", lambda: "10.1.2.3")
    with app.test_request_context("/", base_url="http://127.0.0.1:5000"):
        assert views.join_url("BCDFGH") == "http://10.1.2.3:5000/join/BCDFGH"
    with app.test_request_context("/", base_url="http://quiz.example.org"):
        assert views.join_url("BCDFGH") == "http://quiz.example.org/join/BCDFGH"


@pytest.mark.parametrize("page", ["controls", "projector", "player"])
def test_each_night_page_weighs_under_100_kb_with_its_scripts_and_styles(client, app, stored_pack, page):
    night_id = _create(client)
    with app.app_context():
        code = store.night_by_id(db.get_session(), night_id).code
    path = {"controls": f"/host/{night_id}", "projector": f"/host/{night_id}/screen", "player": f"/join/{code}"}[page]
    html = client.get(path).get_data()
    assets = re.findall(rb'(?:src|href)="(/static/[^"]+)"', html)
    total = len(html) + sum(len(client.get(a.decode()).get_data()) for a in assets)
    assert assets and total <= 100_000, total


# --- results -----------------------------------------------------------------------------------------------

@pytest.fixture
def played(client, app, stored_pack, clock, host, player, truth):
    """A two-question night played to the end by Ana (right, right) and Bob (wrong, no answer)."""
    from tests.webapp.live.conftest import PlannedNight

    night_id = _create(client, **{"rounds-0-count": "1", "rounds-1-count": "1", "tiebreak": ""})
    with app.app_context():
        night = store.night_by_id(db.get_session(), night_id)
    with client.session_transaction() as session:
        planned = PlannedNight(night.id, night.code, session[views.HOSTING_KEY][night_id])
    h = host(planned)
    ana, bob = player(planned, "Ana"), player(planned, "Bob")
    h.emit("control", {"action": "next"})
    clock.advance(2)
    ana.socket.emit("answer", {"position": 0, "choice": truth.right(planned, 0)})
    clock.advance(2)
    bob.socket.emit("answer", {"position": 0, "choice": truth.right(planned, 0) % 4 + 1})
    h.emit("control", {"action": "close"})
    h.emit("control", {"action": "next"})
    h.emit("control", {"action": "next"})
    clock.advance(6)
    ana.socket.emit("answer", {"position": 1, "choice": truth.right(planned, 1)})
    h.emit("control", {"action": "close"})
    h.emit("control", {"action": "end"})
    return planned


def test_the_results_page_has_standings_and_each_questions_share_right_and_mean_time(client, played, truth):
    page = client.get(f"/host/{played.id}/results").get_data(as_text=True)
    assert page.index("Ana") < page.index("Bob")
    assert "50 %" in page and "3.0 s" in page  # question 1: one of two right, answers at 2 s and 4 s
    assert truth.question(played, 0).stem in page


def test_results_download_as_csv_and_json(client, played, truth):
    report = json.loads(client.get(f"/host/{played.id}/results.json").get_data())
    assert [(r["nickname"], r["rank"]) for r in report["standings"]] == [("Ana", 1), ("Bob", 2)]
    assert [q["share_right"] for q in report["questions"]] == [0.5, 0.5]
    assert [q["mean_seconds"] for q in report["questions"]] == [3.0, 6.0]
    ana = next(a.player_id for a in truth.answers(played) if a.correct)
    assert report["standings"][0]["score"] == truth.player(ana).score > 0
    response = client.get(f"/host/{played.id}/results.csv")
    assert response.mimetype == "text/csv" and "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0] == ["rank", "player", "team", "score", "right answers"]
    assert rows[1][:2] == ["1", "Ana"] and rows[1][4] == "2"
    assert ["question", "round", "question text", "answer", "difficulty", "share right", "mean time (s)"] in rows


def test_measured_difficulty_is_kept_across_nights_with_its_rank_correlation(client, played, app):
    page = client.get("/host/difficulty").get_data(as_text=True)
    assert "50 %" in page
    from webapp.live.results import difficulty_check

    with app.app_context():
        check = difficulty_check(db.get_session())
    assert [(q["asked"], q["right"]) for q in check["questions"]] == [(2, 1), (2, 1)]
    assert check["rated"] == 2 and check["correlation"] is None  # fewer than three questions: none yet


# --- packs out of reach while a night runs ---------------------------------------------------------------

@pytest.mark.public_answers
def test_a_public_pack_cannot_be_downloaded_while_a_night_draws_from_it(client, app, stored_pack):
    night_id = _create(client)
    visitor = app.test_client()
    for path in ("/packs/tiny-pretty-things/download/json", "/api/packs/tiny-pretty-things"):
        response = visitor.get(path)
        assert response.status_code == 403 and b"quiz night" in response.data, path
    with app.app_context():
        session = db.get_session()
        store.end(session, store.night_by_id(session, night_id), now=0)
    assert visitor.get("/packs/tiny-pretty-things/download/json").status_code == 200


def test_the_admin_downloads_a_pack_even_while_a_night_draws_from_it(client, app, stored_pack, make_admin):
    _create(client)
    make_admin(client)
    assert client.get("/packs/tiny-pretty-things/download/json").status_code == 200


@pytest.mark.public_answers
def test_the_trivia_api_never_serves_a_question_drawn_for_a_running_night(client, app, stored_pack):
    night_id = _create(client)
    with app.app_context():
        drawn = {q.question_id for q in store.night_questions(db.get_session(), night_id)}
    eligible = 26 - len(drawn)  # the pack's questions, less those the night drew
    body = client.get(f"/api.php?amount={eligible}").get_json()
    assert client.get(f"/api.php?amount={eligible + 1}").get_json()["results"] == []  # not one more
    served = {r["question"] for r in body["results"]}
    with app.app_context():
        stems = {store.question_from_json(q.question_data).stem for q in store.night_questions(db.get_session(), night_id)}
    assert body["results"] and not (served & stems) and drawn


def test_nobody_but_the_admin_starts_a_solo_game_of_a_pack_in_play(client, app, stored_pack, clock):
    night_id = _create(client)
    visitor = app.test_client()
    response = visitor.post("/packs/tiny-pretty-things/games", data={"length": "5", "difficulty": "mixed",
                                                                     "accept_shorter": "y"})
    assert response.status_code == 303 and response.headers["Location"].endswith("/packs/tiny-pretty-things")
    assert "once the night is over" in visitor.get("/packs/tiny-pretty-things").get_data(as_text=True)
    with app.app_context():
        session = db.get_session()
        store.end(session, store.night_by_id(session, night_id), now=clock())
    again = visitor.post("/packs/tiny-pretty-things/games", data={"length": "5", "difficulty": "mixed",
                                                                  "accept_shorter": "y"})
    assert "/games/" in again.headers["Location"]
