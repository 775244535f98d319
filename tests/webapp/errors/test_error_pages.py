"""The errors blueprint: HTML for browsers, JSON for API clients, never a traceback."""

from __future__ import annotations

import pytest


@pytest.fixture
def boom(app):
    def explode():
        raise RuntimeError("secret internals")
    app.add_url_rule("/boom", "boom", explode)
    return "/boom"


def test_404_html_and_json(client):
    html = client.get("/no/such/page")
    assert html.status_code == 404 and html.mimetype == "text/html"
    assert "We could not find that page" in html.get_data(as_text=True)
    as_json = client.get("/no/such/page", headers={"Accept": "application/json"})
    assert as_json.status_code == 404 and as_json.mimetype == "application/json"
    assert as_json.json == {"error": {"status": 404, "title": "Not Found", "message": "We could not find that page."}}


def test_browsers_accept_header_gets_html(client):
    accept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    assert client.get("/nope", headers={"Accept": accept}).mimetype == "text/html"


def test_405_says_which_methods(client, pack):
    response = client.delete("/packs/tiny-pretty-things")
    assert response.status_code == 405
    assert "GET" in response.headers["Allow"]


def test_413_for_huge_bodies(client, pack, player):
    game_id = player.start(length=5)
    response = client.post(f"/games/{game_id}/questions/1", data={"choice": "1", "junk": "x" * (5 * 1024 * 1024)})
    assert response.status_code == 413


def test_huge_form_field_is_a_4xx(client, pack, player):
    game_id = player.start(length=5)
    player.question_page(game_id, 1)
    response = client.post(f"/games/{game_id}/questions/1", data={"choice": "1" * 200_000})
    assert 400 <= response.status_code < 500


def test_500_hides_the_details(client, boom):
    response = client.get(boom)
    assert response.status_code == 500
    body = response.get_data(as_text=True)
    assert "Something went wrong on our side" in body and "secret internals" not in body
    assert client.get(boom, headers={"Accept": "application/json"}).json["error"]["status"] == 500
    assert response.headers["X-Frame-Options"] == "DENY"


def test_malformed_form_encoding_is_a_4xx(client, pack, player):
    game_id = player.start(length=5)
    player.question_page(game_id, 1)
    for body, ctype in [(b"\xff\xfe=\x00", "application/x-www-form-urlencoded"),
                        (b"--x\r\nbroken", "multipart/form-data; boundary=x"),
                        (b"choice=1", "multipart/form-data"),
                        (b"{not json", "application/json")]:
        response = client.post(f"/games/{game_id}/questions/1", data=body, content_type=ctype)
        assert 400 <= response.status_code < 500, (body, response.status_code)


def test_a_library_error_is_the_clients_422_with_its_message(app):
    import quizgen

    def refuses():
        raise quizgen.PackError("pack.json:3: questions[0].answer: must be 0-3")

    app.add_url_rule("/test-library-error", "library_error", refuses)
    client = app.test_client()
    page = client.get("/test-library-error")
    assert page.status_code == 422 and "pack.json:3: questions[0].answer: must be 0-3" in page.get_data(as_text=True)
    as_json = client.get("/test-library-error", headers={"Accept": "application/json"})
    assert as_json.status_code == 422 and "pack.json:3: questions[0].answer: must be 0-3" in as_json.get_json()["error"]["message"]
