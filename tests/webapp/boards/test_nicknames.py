"""Nickname rules (webapp.boards.nicknames) and their form errors on the results page."""

from __future__ import annotations

import pytest

from webapp.boards.nicknames import NicknameError, clean_nickname


@pytest.mark.parametrize(("raw", "clean"), [
    ("Ada", "Ada"),
    ("  Ada   Lovelace ", "Ada Lovelace"),
    ("O'Brien-2.0_x", "O'Brien-2.0_x"),
    ("Zoë", "Zoë"),
    ("Zoe\u0308", "Zoë"),  # NFC joins the diaeresis
    ("李小龍", "李小龍"),
    ("अनिल", "अनिल"),  # vowel signs are marks
    ("x" * 20, "x" * 20),
    ("a\u0301\u0301", "\u00e1\u0301"),  # NFC composes the first mark; one left is fine
])
def test_accepted(raw, clean):
    assert clean_nickname(raw) == clean


@pytest.mark.parametrize(("raw", "why"), [
    ("", "type a nickname"),
    ("   ", "type a nickname"),
    ("x" * 21, "at most 20"),
    ("x" * 5000, "at most 20"),
    ("Ada\u200bLovelace", "invisible"),  # zero-width space
    ("\u200d", "invisible"),  # zero-width joiner
    ("Ada\ufeff", "invisible"),  # byte order mark
    ("Ada\u2060", "invisible"),  # word joiner
    ("evil\u202egnp.exe", "invisible"),  # right-to-left override
    ("tab\there", "invisible"),
    ("new\nline", "invisible"),
    ("nul\x00", "invisible"),
    ("del\x7f", "invisible"),
    ("line\u2028sep", "invisible"),
    ("para\u2029sep", "invisible"),
    ("private\ue000", "invisible"),
    ("<script>", "letters, digits"),
    ("a&b", "letters, digits"),
    ("😀", "letters, digits"),
    ("non\u00a0breaking", "letters, digits"),
    ("\u3164", "invisible"),  # Hangul filler looks like nothing
    ("\u0301abc", "accent"),
    ("x" + "\u0336" * 3, "accent"),  # "Zalgo" stacking
])
def test_refused(raw, why):
    with pytest.raises(NicknameError, match=why):
        clean_nickname(raw)


def test_form_shows_the_error_and_posts_nothing(client, pack, player):
    game_id = player.start(length=5)
    player.play_through(game_id)
    response = client.post(f"/games/{game_id}/results", data={"nickname": "Ada\u200bLovelace"})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "invisible or control characters" in html
    assert 'aria-invalid="true"' in html
    assert player.game(game_id).nickname is None


def test_nickname_is_escaped_everywhere(client, pack, player):
    game_id = player.start(length=5)
    player.play_through(game_id)
    # The only markup-ish character a nickname may hold is the apostrophe: it must come out escaped.
    client.post(f"/games/{game_id}/results", data={"nickname": "O'Neil"})
    html = client.get("/leaderboards/tiny-pretty-things").get_data(as_text=True)
    assert "O&#39;Neil" in html and "O'Neil" not in html
    refused = client.post(f"/games/{game_id}/results", data={"nickname": "<b>x</b>"})
    assert "<b>x</b>" not in refused.get_data(as_text=True)
