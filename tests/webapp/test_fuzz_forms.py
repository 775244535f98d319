"""Nothing a client sends to a form yields a 5xx (hypothesis)."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings, strategies as st

FIELDS = ["choice", "length", "difficulty", "timed", "nickname", "csrf_token", "answer_token"]
values = st.one_of(st.text(max_size=60), st.integers(-10**20, 10**20).map(str),
                   st.sampled_from(["1", "4", "0", "5", "10", "20", "mixed", "hard", "y", "", "\x00", "\u200b"]))
forms = st.dictionaries(st.one_of(st.sampled_from(FIELDS), st.text(max_size=10)), values, max_size=6)
segments = st.one_of(st.sampled_from(["GAME", "nope", "", "..", "%00", "1"]), st.text(max_size=20))
numbers = st.one_of(st.integers(-3, 25).map(str), st.text(max_size=8))

FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                       HealthCheck.too_slow])


def _url(template: str, game_id: str, segment: str, number: str) -> str:
    from urllib.parse import quote

    segment = game_id if segment == "GAME" else quote(segment, safe="")
    return template.format(game=segment, n=quote(number, safe=""))


@FUZZ
@given(data=forms, template=st.sampled_from([
    "/packs/tiny-pretty-things/games", "/packs/{game}/games", "/games/{game}/questions/{n}",
    "/games/{game}/results", "/games/{game}", "/"]), segment=segments, number=numbers)
def test_random_form_posts_never_500(client, pack, player, data, template, segment, number):
    if not hasattr(player, "fuzz_game"):
        player.fuzz_game = player.start(length=5, timed=True)
        player.question_page(player.fuzz_game, 1)
    response = client.post(_url(template, player.fuzz_game, segment, number), data=data)
    assert response.status_code < 500, (template, data, response.status_code)


@FUZZ
@given(data=forms, target=st.sampled_from(["new", "answer", "results", "results-finished"]))
def test_random_posts_to_the_real_forms_never_500(client, pack, player, data, target):
    """The same, aimed at live forms: a new game, the current question, and results before and after the end."""
    if not hasattr(player, "games"):
        live = player.start(length=5, timed=True)
        player.question_page(live, 1)
        finished = player.start(length=5)
        player.play_through(finished)
        player.games = {"live": live, "finished": finished}
    live, finished = player.games["live"], player.games["finished"]
    url = {"new": "/packs/tiny-pretty-things/games", "answer": f"/games/{live}/questions/1",
           "results": f"/games/{live}/results", "results-finished": f"/games/{finished}/results"}[target]
    response = client.post(url, data=data)
    assert response.status_code < 500, (url, data, response.status_code)


@FUZZ
@given(template=st.sampled_from(["/games/{game}/questions/{n}", "/games/{game}/results", "/games/{game}",
                                 "/packs/{game}", "/leaderboards/{game}"]), segment=segments, number=numbers,
       period=st.text(max_size=10))
def test_random_gets_never_500(client, pack, player, template, segment, number, period):
    if not hasattr(player, "fuzz_game"):
        player.fuzz_game = player.start(length=5)
    response = client.get(_url(template, player.fuzz_game, segment, number), query_string={"period": period})
    assert response.status_code < 500


def test_nul_and_odd_characters_in_ids_are_404(client, pack):
    for url in ["/games/a%00b/questions/1", "/games/a%00b", "/packs/a%00b", "/leaderboards/a%00b",
                "/games/%F0%9F%98%80", "/packs/" + "x" * 5000, "/games/" + "x" * 5000 + "/results"]:
        assert client.get(url).status_code == 404, url
    assert client.post("/packs/a%00b/games", data={"length": "5", "difficulty": "mixed"}).status_code == 404
