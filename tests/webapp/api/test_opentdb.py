"""The Open Trivia DB protocol's plain functions: parameters, encodings, drawing, tokens (no app, no database)."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, strategies as st

from quizgen import Question, Source
from webapp.api import opentdb as otdb
from webapp.api.opentdb import ResponseCode


def question(stem: str = "Who plays Bette?", options=("A", "B", "C", "D"), answer: int = 1) -> Question:
    return Question(id="00000000000000aa", show="show", kind="cast", template="t", stem=stem, options=tuple(options),
                    answer=answer, explanation="because", sources=(Source("a.txt", "A sentence."),),
                    difficulty="medium", category="Cast", tags=(), time_limit=20)


# --- parameters -----------------------------------------------------------------------------------------

def test_full_query_is_parsed():
    query = otdb.parse_question_query({"amount": "10", "category": "14", "difficulty": "hard", "type": "multiple",
                                       "encode": "base64", "token": "t"})
    assert query == otdb.QuestionQuery(amount=10, category=14, difficulty="hard", type="multiple", encode="base64",
                                       token="t")
    assert query.can_match()


def test_only_amount_is_required_and_empty_or_any_means_absent():
    assert otdb.parse_question_query({"amount": "1"}) == otdb.QuestionQuery(amount=1)
    assert otdb.parse_question_query({"amount": "50", "category": "any", "difficulty": "", "type": "any",
                                      "encode": "", "token": ""}) == otdb.QuestionQuery(amount=50)


@pytest.mark.parametrize("args", [
    {}, {"amount": ""}, {"amount": "0"}, {"amount": "51"}, {"amount": "five"}, {"amount": "-3"}, {"amount": "+5"},
    {"amount": " 5"}, {"amount": "5.0"}, {"amount": "٥"}, {"amount": "1_0"},
    {"amount": "5", "category": "8"}, {"amount": "5", "category": "33"}, {"amount": "5", "category": "tv"},
    {"amount": "5", "difficulty": "HARD"}, {"amount": "5", "difficulty": "expert"},
    {"amount": "5", "type": "open"}, {"amount": "5", "encode": "rot13"}, {"amount": "5", "encode": "BASE64"},
])
def test_invalid_parameters_are_code_2(args):
    with pytest.raises(otdb.OpenTDBError) as err:
        otdb.parse_question_query(args)
    assert err.value.code == ResponseCode.INVALID_PARAMETER


@pytest.mark.parametrize("args", [{"category": "9"}, {"category": "32"}, {"type": "boolean"}])
def test_valid_queries_quizgen_has_nothing_for(args):
    assert not otdb.parse_question_query({"amount": "5", **args}).can_match()


@given(st.dictionaries(st.sampled_from(["amount", "category", "difficulty", "type", "encode", "token", "x"]),
                       st.text(max_size=8)))
def test_any_parameters_parse_or_are_refused_with_code_2(args):
    try:
        query = otdb.parse_question_query(args)
    except otdb.OpenTDBError as exc:
        assert exc.code == ResponseCode.INVALID_PARAMETER
    else:
        assert 1 <= query.amount <= otdb.MAX_AMOUNT
        assert query.encode in otdb.ENCODINGS


def test_token_commands():
    assert otdb.parse_token_command({"command": "request"}) == ("request", None)
    assert otdb.parse_token_command({"command": "reset", "token": "abc"}) == ("reset", "abc")
    for args in ({}, {"command": "renew"}, {"command": "reset"}, {"command": "reset", "token": ""}):
        with pytest.raises(otdb.OpenTDBError) as err:
            otdb.parse_token_command(args)
        assert err.value.code == ResponseCode.INVALID_PARAMETER


# --- encodings ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("encode", otdb.ENCODINGS)
@given(text=st.text(min_size=1, max_size=40))
def test_every_encoding_decodes_back(encode, text):
    q = question(stem=text, options=(text + " 0", text + " 1", text + " 2", text + " 3"), answer=2)
    result = otdb.encode_result(q, encode)
    assert otdb.decode_text(result["question"], encode) == text
    assert otdb.decode_text(result["correct_answer"], encode) == text + " 2"
    assert [otdb.decode_text(a, encode) for a in result["incorrect_answers"]] == [text + " 0", text + " 1",
                                                                                 text + " 3"]
    assert otdb.decode_text(result["category"], encode) == "Entertainment: Television"
    assert otdb.decode_text(result["type"], encode) == "multiple"
    assert otdb.decode_text(result["difficulty"], encode) == "medium"


def test_encodings_look_like_opentdbs():
    sentence = "Don't forget that π = 3.14 & doesn't equal 3."
    q = question(stem=sentence)
    assert otdb.encode_result(q)["question"] == "Don&#039;t forget that &pi; = 3.14 &amp; doesn&#039;t equal 3."
    assert otdb.encode_result(q, "url3986")["question"] == (
        "Don%27t%20forget%20that%20%CF%80%20%3D%203.14%20%26%20doesn%27t%20equal%203.")
    assert otdb.encode_result(q, "urlLegacy")["question"] == (
        "Don%27t+forget+that+%CF%80+%3D+3.14+%26+doesn%27t+equal+3.")
    assert otdb.encode_result(q, "base64")["question"] == (
        "RG9uJ3QgZm9yZ2V0IHRoYXQgz4AgPSAzLjE0ICYgZG9lc24ndCBlcXVhbCAzLg==")


# --- drawing and tokens ------------------------------------------------------------------------------------

def no_facts(ids) -> dict[str, tuple[str, ...]]:
    return {qid: () for qid in ids}


def test_draw_codes():
    rng = random.Random(1)
    ids = [f"{i:016x}" for i in range(10)]
    pool = no_facts(ids)
    code, picked = otdb.draw(pool, set(), 4, rng)
    assert code == ResponseCode.SUCCESS and len(set(picked)) == 4 and set(picked) <= set(pool)
    assert otdb.draw(pool, set(), 11, rng) == (ResponseCode.NO_RESULTS, [])
    assert otdb.draw(pool, set(ids[:7]), 4, rng) == (ResponseCode.TOKEN_EMPTY, [])
    code, picked = otdb.draw(pool, set(ids[:7]), 3, rng)
    assert code == ResponseCode.SUCCESS and sorted(picked) == ids[7:]


def test_draw_never_serves_two_questions_sharing_a_fact():
    pool = {f"{i:016x}": (f"show/cast/character-{i // 2}",) for i in range(20)}  # both directions of 10 facts
    for seed in range(200):
        code, picked = otdb.draw(pool, set(), 10, random.Random(seed))
        assert code == ResponseCode.SUCCESS
        assert len({pool[qid] for qid in picked}) == 10
    assert otdb.draw(pool, set(), 11, random.Random(0)) == (ResponseCode.NO_RESULTS, [])


def test_draw_says_token_empty_only_when_the_token_stands_in_the_way():
    pool = {"a": ("f",), "b": ("f",), "c": (), "d": ()}  # at most 3 questions fit together
    assert otdb.draw(pool, set(), 4, random.Random(0)) == (ResponseCode.NO_RESULTS, [])
    assert otdb.draw(pool, {"c"}, 4, random.Random(0)) == (ResponseCode.NO_RESULTS, [])
    for seed in range(20):
        assert otdb.draw(pool, {"c"}, 3, random.Random(seed)) == (ResponseCode.TOKEN_EMPTY, [])
        code, picked = otdb.draw(pool, {"a"}, 3, random.Random(seed))
        assert code == ResponseCode.SUCCESS and sorted(picked) == ["b", "c", "d"]


@given(st.integers(1, 30), st.integers(1, 10), st.randoms())
def test_a_token_sees_every_question_once_before_it_is_empty(size, amount, rng):
    pool, seen = no_facts(f"{i:016x}" for i in range(size)), set()
    while True:
        code, picked = otdb.draw(pool, seen, amount, rng)
        if code != ResponseCode.SUCCESS:
            break
        assert not seen & set(picked)
        seen |= set(picked)
    expected = ResponseCode.NO_RESULTS if amount > size else ResponseCode.TOKEN_EMPTY
    assert code == expected and len(pool) - len(seen) < amount


def test_tokens():
    token = otdb.new_token()
    assert otdb.is_token(token) and token != otdb.new_token()
    assert not otdb.is_token(None) and not otdb.is_token("abc") and not otdb.is_token(token.upper())
    assert not otdb.token_expired(0, otdb.TOKEN_IDLE_MS)
    assert otdb.token_expired(0, otdb.TOKEN_IDLE_MS + 1)


def test_response_bodies():
    assert otdb.question_response(ResponseCode.NO_RESULTS) == {"response_code": 1, "results": []}
    assert otdb.token_response(ResponseCode.SUCCESS, "t", otdb.TOKEN_GENERATED) == {
        "response_code": 0, "response_message": "Token Generated Successfully!", "token": "t"}
    assert otdb.categories() == {"trivia_categories": [{"id": 14, "name": "Entertainment: Television"}]}
    assert otdb.category_count(14, {"easy": 2, "hard": 1}) == {"category_id": 14, "category_question_count": {
        "total_question_count": 3, "total_easy_question_count": 2, "total_medium_question_count": 0,
        "total_hard_question_count": 1}}
    assert otdb.category_count(9, {"easy": 2})["category_question_count"]["total_question_count"] == 0
