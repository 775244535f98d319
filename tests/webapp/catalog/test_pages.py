"""The catalog blueprint: home, pack and help pages, and the page skeleton's accessibility basics."""

from __future__ import annotations

import re

from webapp import rules


def test_home_without_packs_says_how_to_add_one(client):
    html = client.get("/").get_data(as_text=True)
    assert "No question packs yet" in html and "quizgen import" in html


def test_home_lists_packs_with_counts_mix_and_best_score(client, save, make_pack):
    save(make_pack("b-pack", n=7, title="Beta"), make_pack("a-pack", n=3, title="Alpha", difficulty="hard"))
    html = client.get("/").get_data(as_text=True)
    assert html.index("Alpha") < html.index("Beta")
    assert "3 questions: 3 hard" in html
    assert "7 questions: 3 easy, 2 medium, 2 hard" in html
    assert html.count("Best score (10 questions, mixed, untimed): none yet") == 2
    assert 'href="/packs/a-pack"' in html and 'href="/leaderboards/a-pack"' in html


def test_pack_page_has_the_new_game_form_with_labels(client, pack):
    html = client.get("/packs/tiny-pretty-things").get_data(as_text=True)
    assert 'action="/packs/tiny-pretty-things/games"' in html
    for n in rules.GAME_LENGTHS:
        assert f'<label class="choice"><input type="radio" name="length" value="{n}"' in html
    for d in rules.DIFFICULTY_CHOICES:
        assert f'name="difficulty" value="{d}"' in html
    assert re.search(r'<input[^>]*name="length" value="10" checked', html)
    assert re.search(r'<label><input[^>]*name="timed"', html)
    assert "<legend>Questions</legend>" in html and "<legend>Difficulty</legend>" in html


def test_help_page_states_the_scoring_rule(client):
    html = client.get("/help").get_data(as_text=True)
    assert "1\u202f000 points" in html and "500 points" in html and "scores 0" in html


def test_every_page_has_lang_skip_link_and_live_region(client, pack, player):
    game_id = player.start(length=5)
    for url in ["/", "/help", "/packs/tiny-pretty-things", "/leaderboards/", f"/games/{game_id}/questions/1",
                "/nope"]:
        html = client.get(url).get_data(as_text=True)
        assert '<html lang="en">' in html, url
        assert '<a class="skip-link" href="#main">' in html and '<main id="main"' in html, url
        assert 'aria-live="polite"' in html, url
        assert html.count("<h1") == 1, url
