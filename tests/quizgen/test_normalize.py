"""When two options count as the same answer."""

from __future__ import annotations

import pytest

from quizgen._normalize import contains_key, fold, option_key


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


def test_contains_key_matches_whole_words_only():
    stem = "Which character does Anna Maiche play in Tiny Pretty Things?"
    assert contains_key(stem, option_key("Tiny Pretty Things"))
    assert contains_key(stem, option_key("anna maiche"))
    assert not contains_key(stem, option_key("Ann"))
    assert not contains_key(stem, option_key("Pretty Thing"))
    assert not contains_key(stem, "")
