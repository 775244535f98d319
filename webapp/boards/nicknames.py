"""Which nicknames a leaderboard accepts: visible letters and digits, a few marks, 1-20 characters."""

from __future__ import annotations

import unicodedata

MAX_LENGTH = 20
PUNCTUATION = "_-.'"
# Categories that print nothing or can disguise text: controls, format (zero-width, bidi), private
# use, surrogates, line and paragraph separators.
INVISIBLE_CATEGORIES = {"Cc", "Cf", "Co", "Cs", "Cn", "Zl", "Zp"}
ZERO_WIDTH = {"\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u180e", "\u034f", "\u115f", "\u1160",
              "\u3164", "\uffa0"}
MAX_MARKS_IN_A_ROW = 2  # accents and vowel signs, but no "Zalgo" towers


class NicknameError(ValueError):
    """A nickname the leaderboard refuses; the message tells the player why."""


def clean_nickname(raw: str) -> str:
    """The nickname to store (NFC, trimmed, single spaces), or :class:`NicknameError` saying what is wrong."""
    if not isinstance(raw, str):
        raise NicknameError("Please type a nickname.")
    if len(raw) > 10 * MAX_LENGTH:
        raise NicknameError(f"A nickname has at most {MAX_LENGTH} characters.")
    text = unicodedata.normalize("NFC", raw)
    for ch in text:
        if ch in ZERO_WIDTH or unicodedata.category(ch) in INVISIBLE_CATEGORIES:
            raise NicknameError("A nickname cannot contain invisible or control characters "
                                f"(found U+{ord(ch):04X}).")
    text = " ".join(part for part in text.strip(" ").split(" ") if part)
    if not text:
        raise NicknameError("Please type a nickname.")
    if len(text) > MAX_LENGTH:
        raise NicknameError(f"A nickname has at most {MAX_LENGTH} characters (yours has {len(text)}).")
    marks = 0
    for i, ch in enumerate(text):
        category = unicodedata.category(ch)
        if category[0] == "M":
            marks += 1
            if i == 0 or marks > MAX_MARKS_IN_A_ROW:
                raise NicknameError("Too many accent marks in a row.")
            continue
        marks = 0
        if category[0] == "L" or category == "Nd" or ch == " " or ch in PUNCTUATION:
            continue
        raise NicknameError(f"Use letters, digits, spaces and {' '.join(PUNCTUATION)} only "
                            f"(not {ch!r}).")
    return text
