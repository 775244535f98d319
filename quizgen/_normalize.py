"""When two texts count as the same answer (case, accents, punctuation and a leading article do
not count), and the stable key a fact is known by."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# A show's, fact's or pack's id: lower-case letters, digits and dashes, as slugify makes them.
ID_PATTERN = r"[a-z0-9][a-z0-9-]{0,79}"
_NON_WORD = re.compile(r"[\W_]+")
_LEADING_ARTICLE = re.compile(r"^(?:the|a|an) ")
_SLUG_DROP = re.compile(r"[^a-z0-9]+")
# ASCII letters and digits as themselves, every other byte as a space: the ASCII case of _NON_WORD
# (a bytes table, which translates in one C pass; str.translate looks each character up in a dict)
_ASCII_NON_WORD = bytes(c if chr(c).isalnum() and c < 128 else 32 for c in range(256))


def fold(text: str) -> str:
    """Lower-case, accent-free, punctuation-free text with single spaces."""
    if text.isascii():  # most names and stems: nothing to decompose, and a table is quicker than the regex
        return " ".join(text.lower().encode("ascii").translate(_ASCII_NON_WORD).decode("ascii").split())
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _NON_WORD.sub(" ", stripped.casefold()).strip()


@lru_cache(maxsize=1 << 16)
def option_key(text: str) -> str:
    """The key under which two options count as the same answer ("The Crown" and "crown")."""
    return _LEADING_ARTICLE.sub("", fold(text))


def contains_words(text: str, key: str) -> bool:
    """Whether the folded ``text`` holds ``key`` (an option key) as whole words."""
    return bool(key) and f" {key} " in f" {fold(text)} "


def slugify(text: str) -> str:
    """A lower-case, dash-separated id made from text."""
    folded = fold(text)
    if folded.isascii():  # then it holds only a-z, 0-9 and single spaces
        return folded.replace(" ", "-")[:80] or "x"
    return _SLUG_DROP.sub("-", folded).strip("-")[:80] or "x"


def fact_key(fact) -> str:
    """A fact's stable identity within its show: its ``id``, or its kind's ``key_fields`` slugified.

    ``"Bette Whitlaw"`` and ``"Casimere Jollette"`` make ``bette-whitlaw-casimere-jollette``; a
    field left empty is skipped, and a date counts as written (``2021-11``).
    """
    if fact.id:
        return fact.id
    parts = [str(value) for name in type(fact).key_fields if (value := getattr(fact, name)) is not None]
    return slugify("-".join(parts))
