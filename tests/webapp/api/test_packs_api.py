"""The JSON API: packs, pack files, leaderboards and the OpenAPI description."""

from __future__ import annotations

import json
import re

import pytest

import quizgen
from webapp.api.spec import openapi_document
from webapp.catalog.files import DOWNLOAD_FORMATS


@pytest.mark.public_answers
def test_pack_list_shape(client, save, make_pack):
    save(make_pack(), make_pack("another-pack", n=4, title="Another pack", difficulty="hard"))
    response = client.get("/api/packs")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    packs = response.get_json()["packs"]
    assert [p["id"] for p in packs] == ["another-pack", "tiny-pretty-things"]  # by title
    another, tiny = packs
    assert tiny["title"] == "Tiny Pretty Things"
    assert tiny["question_count"] == 24
    assert tiny["difficulties"] == {"easy": 8, "medium": 8, "hard": 8}
    assert another["difficulties"] == {"hard": 4}
    assert tiny["shows"] == [{"id": "tiny-pretty-things", "title": "Tiny Pretty Things", "network": "Netflix",
                              "year": 2020}]
    assert tiny["links"]["self"] == "/api/packs/tiny-pretty-things"
    assert tiny["links"]["page"] == "/packs/tiny-pretty-things"
    assert tiny["links"]["leaderboard"] == "/api/leaderboards/tiny-pretty-things"
    assert set(tiny["links"]["downloads"]) == set(DOWNLOAD_FORMATS)
    for url in tiny["links"]["downloads"].values():
        assert client.get(url).status_code == 200


def test_a_play_only_pack_is_listed_without_its_file_which_is_the_admins_only(client, pack, make_admin):
    (entry,) = client.get("/api/packs").get_json()["packs"]
    assert entry["answers_public"] is False
    assert set(entry["links"]) == {"page", "leaderboard"}
    refused = client.get(f"/api/packs/{pack.id}")
    assert refused.status_code == 403 and refused.mimetype == "application/json"
    assert "play-only" in refused.get_json()["error"]["message"]
    make_admin(client)
    assert client.get(f"/api/packs/{pack.id}").data == quizgen.dumps_pack(pack).encode("utf-8")


def test_empty_pack_list(client):
    assert client.get("/api/packs").get_json() == {"packs": []}


@pytest.mark.public_answers
def test_pack_file_is_byte_equal_to_dumps_pack(client, pack):
    response = client.get(f"/api/packs/{pack.id}")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.data == quizgen.dumps_pack(pack).encode("utf-8")
    assert quizgen.loads_pack(response.get_data(as_text=True)) == pack


@pytest.mark.public_answers
def test_pack_with_facts_marks_and_date_lines_round_trips(client, save, make_cast_pairs_pack):
    pack = make_cast_pairs_pack(pairs=2)
    save(pack)
    response = client.get(f"/api/packs/{pack.id}")
    assert response.data == quizgen.dumps_pack(pack).encode("utf-8")
    assert quizgen.loads_pack(response.get_data(as_text=True)) == pack
    first = response.get_json()["questions"][0]
    assert first["facts"] == ["tiny-pretty-things/cast/character-0"]
    assert first["sources"][0] == {"article": "article_0.txt", "sentence": "Right 0 plays character 0.",
                                   "title": "Article 0", "mark": [0, 7]}
    assert first["sources"][1] == {"article": "tiny-pretty-things.txt", "sentence": None,
                                   "title": "Tiny Pretty Things", "date": "2020-12-14"}


@pytest.mark.public_answers
def test_real_pack_round_trips_byte_for_byte(client, save):
    pack = quizgen.load_pack("questions/packs/tiny-pretty-things.json")
    save(pack)
    assert client.get(f"/api/packs/{pack.id}").get_data(as_text=True) == quizgen.dumps_pack(pack)


@pytest.mark.parametrize("path", ["/api/packs/no-such-pack", "/api/packs/NOT%20AN%20ID", "/api/packs/" + "a" * 81,
                                  "/api/packs/%00", "/api/leaderboards/no-such-pack", "/api/nothing-here"])
def test_unknown_ids_are_json_404s(client, pack, path):
    response = client.get(path, headers={"Accept": "text/html"})
    assert response.status_code == 404
    assert response.mimetype == "application/json"
    assert response.get_json()["error"]["status"] == 404


def _post_score(player, client, nickname: str, *, right: bool) -> None:
    game_id = player.start(length=5)
    player.play_through(game_id, right=right)
    assert client.post(f"/games/{game_id}/results", data={"nickname": nickname}).status_code in (302, 303)


def test_leaderboards(client, pack, player, clock):
    _post_score(player, client, "Ann", right=True)
    _post_score(player, client, "Bob", right=False)
    five = {"length": 5, "difficulty": "mixed", "timed": False}  # the games _post_score plays
    for board in ("all", pack.id):
        body = client.get(f"/api/leaderboards/{board}?length=5").get_json()
        assert body["board"] == board and body["period"] == "all" and body["period_key"] == "all"
        assert body["settings"] == five and body["size"] == 2
        assert [(e["rank"], e["nickname"], e["score"]) for e in body["entries"]] == [(1, "Ann", 5000), (2, "Bob", 0)]
        assert set(body["entries"][0]) == {"rank", "nickname", "score", "time_ms", "created_ms", "settings"}  # no game id
        assert all(e["settings"] == five for e in body["entries"])
    other = client.get("/api/leaderboards/all?length=5&timed=true").get_json()  # other settings, another contest
    assert other["settings"]["timed"] is True and other["size"] == 0
    assert client.get("/api/leaderboards/all").get_json()["settings"] == {"length": 10, "difficulty": "mixed",
                                                                        "timed": False}
    day = client.get("/api/leaderboards/all?period=day&length=5").get_json()
    assert day["period"] == "day" and day["period_key"].startswith("d") and day["size"] == 2
    assert client.get("/api/leaderboards/all?period=week&limit=1&length=5").get_json()["entries"][0]["nickname"] == "Ann"
    clock.advance(8 * 24 * 3600)
    assert client.get("/api/leaderboards/all?period=week&length=5").get_json()["entries"] == []
    assert client.get("/api/leaderboards/all?period=day&length=5").get_json()["size"] == 0
    assert client.get("/api/leaderboards/all?length=5").get_json()["size"] == 2


@pytest.mark.parametrize("query", ["period=year", "period=", "limit=0", "limit=101", "limit=ten", "limit=-1",
                                   "length=0", "length=21", "difficulty=extreme", "timed=yes"])
def test_bad_leaderboard_parameters_are_json_400s(client, pack, query):
    response = client.get(f"/api/leaderboards/all?{query}")
    assert response.status_code == 400
    assert response.get_json()["error"]["status"] == 400


def test_openapi_describes_every_api_route(app, client):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    document = response.get_json()
    assert document == json.loads(json.dumps(openapi_document()))
    assert document["openapi"].startswith("3.")
    described = set(document["paths"])
    routes = {re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule) for rule in app.url_map.iter_rules()
              if rule.endpoint.startswith("api.")}
    assert described == routes


def test_openapi_pack_ids_are_the_urls_pack_ids():
    from webapp.converters import PackIdConverter

    pattern = openapi_document()["paths"]["/api/packs/{pack_id}"]["get"]["parameters"][0]["schema"]["pattern"]
    assert pattern == f"^{PackIdConverter.regex}$"


def test_openapi_document_is_valid():
    import schemathesis

    schema = schemathesis.openapi.from_dict(openapi_document())
    schema.validate()  # against the OpenAPI 3.0 meta-schema; raises on the first mistake
    assert len(list(schema.get_all_operations())) == len(openapi_document()["paths"])
    for operation in schema.get_all_operations():
        assert operation.ok(), operation.err()


def test_openapi_question_and_source_describe_every_field_a_pack_holds(make_cast_pairs_pack):
    schemas = openapi_document()["components"]["schemas"]
    question = quizgen.question_dict(make_cast_pairs_pack(pairs=1).questions[0])
    assert set(question) == set(schemas["Question"]["properties"])
    assert set(schemas["Question"]["required"]) <= set(question)
    for source in question["sources"]:
        assert set(source) <= set(schemas["Source"]["properties"])
        assert set(schemas["Source"]["required"]) <= set(source)
    assert schemas["Source"]["properties"]["sentence"]["nullable"] is True
