"""The Open Trivia DB-compatible endpoints through the client: every response code, encodings, tokens."""

from __future__ import annotations

from dataclasses import replace

import pytest

from webapp.api import opentdb as otdb
from webapp.api.opentdb import TOKEN_IDLE_MS

# The Open Trivia DB endpoints give answers away: they draw only from packs whose answers are public.
pytestmark = pytest.mark.public_answers


def get(client, path: str, **params) -> dict:
    response = client.get(path, query_string=params)
    assert response.status_code == 200  # as on opentdb.com: the response code says what happened
    assert response.mimetype == "application/json"
    return response.get_json()


def new_token(client) -> str:
    body = get(client, "/api_token.php", command="request")
    assert body["response_code"] == 0
    assert body["response_message"] == "Token Generated Successfully!"
    assert otdb.is_token(body["token"])
    return body["token"]


def test_code_0_success(client, pack):
    body = get(client, "/api.php", amount=10)
    assert body["response_code"] == 0
    assert len(body["results"]) == 10
    stems = {q.stem: q for q in pack.questions}
    for result in body["results"]:
        assert set(result) == {"category", "type", "difficulty", "question", "correct_answer", "incorrect_answers"}
        assert (result["category"], result["type"]) == ("Entertainment: Television", "multiple")
        question = stems[result["question"]]
        assert result["correct_answer"] == question.correct
        assert result["incorrect_answers"] == list(question.wrong)
        assert result["difficulty"] == question.difficulty
    assert len({r["question"] for r in body["results"]}) == 10


def test_filters(client, pack):
    body = get(client, "/api.php", amount=8, category=14, difficulty="hard", type="multiple")
    assert body["response_code"] == 0
    assert {r["difficulty"] for r in body["results"]} == {"hard"}
    assert get(client, "/api.php", amount=9, difficulty="hard") == {"response_code": 1, "results": []}


def test_questions_come_from_every_pack(client, save, make_pack):
    save(make_pack("one", n=3), make_pack("two", n=3))  # the same 3 question ids in both packs
    assert get(client, "/api.php", amount=3)["response_code"] == 0
    assert get(client, "/api.php", amount=4)["response_code"] == 1  # a question two packs hold counts once


def test_never_serves_both_directions_of_a_cast_fact(client, save, make_cast_pairs_pack):
    pack = make_cast_pairs_pack(pairs=6)
    save(pack)
    facts = {q.stem: q.facts for q in pack.questions}
    stems = set()
    for _ in range(30):
        body = get(client, "/api.php", amount=6)
        assert body["response_code"] == 0
        served = [facts[r["question"]] for r in body["results"]]
        assert len(served) == len(set(served)) == 6  # one question of each pair, never both
        stems.update(r["question"] for r in body["results"])
    assert stems == set(facts)  # either direction may be served
    assert get(client, "/api.php", amount=7) == {"response_code": 1, "results": []}  # 12 questions, 6 facts


def test_a_token_is_empty_when_what_is_left_shares_facts(client, save, make_cast_pairs_pack):
    save(make_cast_pairs_pack(pairs=3))
    token = new_token(client)
    assert get(client, "/api.php", amount=3, token=token)["response_code"] == 0
    # Three questions are left, one per fact: they can still be served together, and then nothing more.
    assert get(client, "/api.php", amount=3, token=token)["response_code"] == 0
    assert get(client, "/api.php", amount=1, token=token) == {"response_code": 4, "results": []}
    assert get(client, "/api.php", amount=4, token=token) == {"response_code": 1, "results": []}


@pytest.mark.parametrize("params", [{"amount": 25}, {"amount": 1, "category": 9}, {"amount": 1, "category": 32},
                                    {"amount": 1, "type": "boolean"}])
def test_code_1_no_results(client, pack, params):
    assert get(client, "/api.php", **params) == {"response_code": 1, "results": []}


def test_code_1_without_packs(client):
    assert get(client, "/api.php", amount=1) == {"response_code": 1, "results": []}


def test_play_only_packs_are_never_drawn_or_counted(app, client, save, make_pack):
    from webapp.catalog.store import set_pack_flags

    ranked = make_pack("ranked-pack", n=6, title="Ranked")
    save(make_pack("open-pack", n=3), replace(ranked, questions=ranked.questions[3:]))  # other questions
    with app.app_context():
        set_pack_flags("ranked-pack", answers_public=False)
    served = get(client, "/api.php", amount=3)["results"]
    assert sorted(r["correct_answer"] for r in served) == ["Right 0", "Right 1", "Right 2"]  # the open pack's
    assert get(client, "/api.php", amount=4) == {"response_code": 1, "results": []}
    assert get(client, "/api_count.php", category=14)["category_question_count"]["total_question_count"] == 3
    save(replace(make_pack("sampler", n=2, title="Sampler"), questions=ranked.questions[3:5]))  # public
    assert get(client, "/api_count.php", category=14)["category_question_count"]["total_question_count"] == 3
    assert "Right 3" not in str(get(client, "/api.php", amount=3))  # also in the play-only pack: not served
    with app.app_context():
        set_pack_flags("open-pack", answers_public=False)
        set_pack_flags("sampler", answers_public=False)
    assert get(client, "/api.php", amount=1) == {"response_code": 1, "results": []}


@pytest.mark.parametrize("params, named", [({}, "amount"), ({"amount": "five"}, "amount='five'"),
                                           ({"amount": 0}, "amount='0'"), ({"amount": 51}, "amount='51'"),
                                           ({"amount": 5, "category": 8}, "category='8'"),
                                           ({"amount": 5, "category": 33}, "category='33'"),
                                           ({"amount": 5, "difficulty": "extreme"}, "difficulty='extreme'"),
                                           ({"amount": 5, "type": "open"}, "type='open'"),
                                           ({"amount": 5, "encode": "rot13"}, "encode='rot13'")])
def test_code_2_invalid_parameter_says_which(client, pack, params, named):
    body = get(client, "/api.php", **params)
    assert (body["response_code"], body["results"]) == (2, [])
    assert named in body["response_message"], body


@pytest.mark.parametrize("token", ["0" * 64, "not-a-token", "f" * 65, "\x00"])
def test_code_3_token_not_found(client, pack, token):
    assert get(client, "/api.php", amount=1, token=token) == {"response_code": 3, "results": []}


def test_code_4_token_empty_and_no_repeats_until_exhausted(client, pack):
    token = new_token(client)
    seen: list[str] = []
    for _ in range(4):  # 24 questions, 5 at a time: 4 full answers, then 4 left
        body = get(client, "/api.php", amount=5, token=token)
        assert body["response_code"] == 0
        seen += [r["question"] for r in body["results"]]
    assert len(seen) == len(set(seen)) == 20
    assert get(client, "/api.php", amount=5, token=token) == {"response_code": 4, "results": []}
    last = get(client, "/api.php", amount=4, token=token)
    assert last["response_code"] == 0
    seen += [r["question"] for r in last["results"]]
    assert sorted(seen) == sorted(q.stem for q in pack.questions)  # every question exactly once
    assert get(client, "/api.php", amount=1, token=token) == {"response_code": 4, "results": []}
    # Asking for more than there are is "no results", token or not.
    assert get(client, "/api.php", amount=25, token=token) == {"response_code": 1, "results": []}


def test_a_token_only_holds_back_what_it_was_served(client, pack):
    first, second = new_token(client), new_token(client)
    assert first != second
    assert get(client, "/api.php", amount=24, token=first)["response_code"] == 0
    assert get(client, "/api.php", amount=1, token=first)["response_code"] == 4
    assert get(client, "/api.php", amount=24, token=second)["response_code"] == 0
    assert get(client, "/api.php", amount=24)["response_code"] == 0  # without a token: anything, any time


def test_difficulty_filter_exhausts_per_query(client, pack):
    token = new_token(client)
    assert get(client, "/api.php", amount=8, difficulty="easy", token=token)["response_code"] == 0
    assert get(client, "/api.php", amount=1, difficulty="easy", token=token)["response_code"] == 4
    assert get(client, "/api.php", amount=8, difficulty="hard", token=token)["response_code"] == 0


def test_reset(client, pack):
    token = new_token(client)
    first = get(client, "/api.php", amount=24, token=token)
    assert get(client, "/api.php", amount=1, token=token)["response_code"] == 4
    assert get(client, "/api_token.php", command="reset", token=token) == {"response_code": 0, "token": token}
    again = get(client, "/api.php", amount=24, token=token)
    assert again["response_code"] == 0
    assert sorted(r["question"] for r in again["results"]) == sorted(r["question"] for r in first["results"])


@pytest.mark.parametrize("params", [{}, {"command": "renew"}, {"command": "reset"}])
def test_token_command_errors_are_code_2(client, params):
    body = get(client, "/api_token.php", **params)
    assert body["response_code"] == 2 and body["response_message"]


def test_reset_of_an_unknown_token_is_code_3(client):
    assert get(client, "/api_token.php", command="reset", token="a" * 64)["response_code"] == 3


def test_tokens_expire_after_six_idle_hours(client, pack, clock):
    kept, dropped = new_token(client), new_token(client)
    clock.advance(5 * 3600)
    assert get(client, "/api.php", amount=1, token=kept)["response_code"] == 0  # use restarts the idle clock
    clock.advance(TOKEN_IDLE_MS / 1000 - 5 * 3600 + 1)
    assert get(client, "/api.php", amount=1, token=dropped)["response_code"] == 3
    assert get(client, "/api_token.php", command="reset", token=dropped)["response_code"] == 3
    assert get(client, "/api.php", amount=1, token=kept)["response_code"] == 0
    clock.advance(TOKEN_IDLE_MS / 1000 + 1)
    new_token(client)  # requesting a token deletes the expired ones
    assert get(client, "/api.php", amount=1, token=kept)["response_code"] == 3


def test_tokens_are_stored_in_the_database(app, client, clock):
    from webapp import db, models

    token = new_token(client)
    with app.app_context():
        row = db.get_session().get(models.TriviaToken, token)
        assert row is not None and row.created_ms == row.used_ms == clock()


@pytest.mark.parametrize("encode", otdb.ENCODINGS)
def test_encodings_decode_back(client, save, make_pack, encode):
    pack = make_pack(n=1)
    odd = replace(pack.questions[0], stem="Don't forget: π ≠ 3 & <b>“quotes”</b> + 100% ~ 1/2?",
                  options=("Ça va", "naïve", "A & B", "1 + 1 = 2"))
    save(replace(pack, questions=(odd,)))
    body = get(client, "/api.php", amount=1, encode=encode)
    assert body["response_code"] == 0
    result = body["results"][0]
    assert otdb.decode_text(result["question"], encode) == odd.stem
    assert otdb.decode_text(result["correct_answer"], encode) == odd.correct
    assert [otdb.decode_text(a, encode) for a in result["incorrect_answers"]] == list(odd.wrong)
    assert otdb.decode_text(result["category"], encode) == "Entertainment: Television"
    if encode != "default":
        assert "π" not in str(result) and " " not in result["question"]


def test_default_encoding_is_opentdbs_html_entities(client, save, make_pack):
    pack = make_pack(n=1)
    odd = replace(pack.questions[0], stem="Don't \"quote\" me & π")
    save(replace(pack, questions=(odd,)))
    result = get(client, "/api.php", amount=1)["results"][0]
    assert result["question"] == "Don&#039;t &quot;quote&quot; me &amp; &pi;"


def test_categories_and_counts(client, pack):
    assert get(client, "/api_category.php") == {"trivia_categories": [{"id": 14, "name": "Entertainment: Television"}]}
    assert get(client, "/api_count.php", category=14) == {"category_id": 14, "category_question_count": {
        "total_question_count": 24, "total_easy_question_count": 8, "total_medium_question_count": 8,
        "total_hard_question_count": 8}}
    assert get(client, "/api_count.php", category=9)["category_question_count"]["total_question_count"] == 0
    assert get(client, "/api_count.php", category="x")["response_code"] == 2
    assert get(client, "/api_count.php")["response_code"] == 2


def test_opentdb_answers_allow_other_origins(client, pack):
    assert client.get("/api.php?amount=1").headers["Access-Control-Allow-Origin"] == "*"
