"""When two options count as the same answer."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from quizgen._normalize import contains_words, fold, option_key, slugify


@pytest.mark.parametrize("a, b", [
    ("Zoë Lane", "zoe lane"), ("The Queen's Gambit", "Queen’s Gambit"), ("Queen's Gambit", "Queen s Gambit"),
    ("Damon J. Gillespie", "damon j gillespie"), ("  Chicago ", "CHICAGO!"), ("An Officer", "officer"),
    ("A-ha", "a ha"), ("Ｆｕｌｌｗｉｄｔｈ", "fullwidth"), ("Straße", "STRASSE"), ("Monique DuBois", "monique dubois"),
])
def test_these_count_as_the_same_answer(a, b):
    assert option_key(a) == option_key(b)


@pytest.mark.parametrize("a, b", [
    ("Brennan Clost", "Brennan Close"), ("Theo", "The O"), ("52%", "53%"), ("7.4/10", "74/10"),
    ("The Crown", "Crown Jewel"), ("Anna", "Ana"),
])
def test_these_are_different_answers(a, b):
    assert option_key(a) != option_key(b)


def test_only_a_leading_article_is_dropped():
    assert option_key("The The") == "the"
    assert option_key("Theatre of Blood") == "theatre of blood"
    assert option_key("Into the Woods") == "into the woods"


def test_fold_keeps_words_and_single_spaces():
    assert fold("  Hello,   World!! — Zoë ") == "hello world zoe"


def test_contains_words_matches_whole_words_only():
    stem = "Which character does Anna Maiche play in Tiny Pretty Things?"
    assert contains_words(stem, option_key("Tiny Pretty Things"))
    assert contains_words(stem, option_key("anna maiche"))
    assert not contains_words(stem, option_key("Ann"))
    assert not contains_words(stem, option_key("Pretty Thing"))
    assert not contains_words(stem, "")


# The generator's shortcuts must agree with the definitions above, for every text.
_texts = st.text(alphabet=st.characters(codec="utf-8", categories=("L", "N", "P", "Z", "S", "M")), max_size=40)
_ascii = st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), max_size=40)
_name_like = st.text(alphabet="aZ9 -_.'\t", max_size=12)  # words, spaces and hyphens in every combination


@given(st.one_of(_texts, _ascii))
def test_slugify_is_the_folded_text_with_dashes(text):
    assert slugify(text) == (re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")[:80] or "x")


@given(st.one_of(_texts, _ascii), st.lists(st.one_of(_texts, _ascii), max_size=3))
def test_words_of_the_folded_text_are_always_found(text, words):
    folded = fold(text).split()
    for start in range(len(folded)):
        assert contains_words(text, " ".join(folded[start:start + 2]))
    for word in words:
        key = option_key(word)
        assert contains_words(text, key) == (bool(key) and f" {key} " in f" {fold(text)} ")


@given(st.one_of(_texts, _ascii))
def test_option_key_drops_only_a_leading_article(text):
    folded = fold(text)
    assert option_key(text) == re.sub(r"^(?:the|a|an) ", "", folded)


@pytest.mark.parametrize("text", ["Jean-Luc Picard", "Casimere Jollette-Bette Whitlaw", "a - b", "-x", "x-", "x--y",
                                  "x- y", "-", " - ", "A-B-C", "x-_y", "x-\ty"])
def test_fold_of_hyphenated_ascii_text_is_the_regex_definition(text):
    assert fold(text) == re.sub(r"[\W_]+", " ", text.lower()).strip()


@given(st.one_of(_texts, _ascii, _name_like))
def test_fold_of_ascii_text_is_the_regex_definition(text):
    if text.isascii():
        assert fold(text) == re.sub(r"[\W_]+", " ", text.lower()).strip()
