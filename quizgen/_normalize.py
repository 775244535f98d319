"""How two option texts are judged "the same": case, accents, punctuation and a
leading article do not count.

Also the text a fact is known by (``fact_key``: its slugified key fields) and a quick read of a
fact's field values (``field_values``): both run on every fact, so they live here, in a module
that is compiled and that ``_facts`` imports without a cycle."""

from __future__ import annotations

import re
import unicodedata

try:
    import cython  # compiled, Cython reads this as a declaration and imports nothing at run time

    _COMPILED = cython.compiled
except ImportError:  # the plain source, where Cython is not installed
    _COMPILED = False

_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)
_ARTICLE = re.compile(r"^(?:the|a|an) ")
# ASCII letters and digits as themselves in lower case, every other ASCII character as a space: a
# bytes table, because bytes.translate is a plain table walk where str.translate looks up each character
_ASCII_FOLD = bytes(ord(chr(i).lower()) if chr(i).isalnum() else 32 for i in range(256))


def fold(text: str) -> str:
    """Lower-case, accent-free, punctuation-free text with single spaces."""
    if text.isascii():  # the common case: nothing to decompose, and a table does it faster than the regex
        lowered = text.lower()
        if _COMPILED:  # one pass in C over the characters (_normalize.pxd) does the tests below
            words = _ascii_words(lowered)
            if words:
                return lowered if words == 1 else lowered.replace("-", " ")
        else:
            if "-" in lowered:  # "Jean-Luc", and the "character-actor" text of a cast fact's key
                lowered = lowered.replace("-", " ")
            if lowered.replace(" ", "").isalnum() and "  " not in lowered and lowered[0] != " " and lowered[-1] != " ":
                return lowered  # already only letters, digits and single spaces, as most names are
        return b" ".join(text.encode("ascii").translate(_ASCII_FOLD).split()).decode("ascii")
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join([c for c in decomposed if not unicodedata.combining(c)])
    return _NON_WORD.sub(" ", stripped.casefold()).strip()


def option_key(text: str) -> str:
    """The key under which two options count as the same answer."""
    key = _KEYS.get(text)
    if key is None:
        folded = fold(text)
        key = _ARTICLE.sub("", folded) if folded.startswith(_ARTICLES) else folded
        if len(_KEYS) >= _KEYS_MAX:
            _KEYS.clear()  # bounded: a long run meets more names than are worth keeping
        _KEYS[text] = key
    return key


# option_key's memo: a name is keyed several times (for its pool, its pair, its plan), and a plain
# dict costs a fifth of functools.lru_cache's bookkeeping on each call
_KEYS: dict[str, str] = {}
_KEYS_MAX = 1 << 16


_ARTICLES = ("the ", "a ", "an ")


def padded_words(text: str) -> str:
    """Folded text with a space at each end: ``f" {key} " in padded_words(text)`` finds whole words.

    The generator folds each stem once with this and then tests many keys against it.
    """
    return f" {fold(text)} "


def contains_key(haystack: str, needle_key: str) -> bool:
    """Whether the folded text contains the option key as whole words."""
    return bool(needle_key) and f" {needle_key} " in padded_words(haystack)


_SLUG_DROP = re.compile(r"[^a-z0-9]+")


def slugify(text: str) -> str:
    """A lower-case, dash-separated id made from text."""
    folded = fold(text)
    if folded.isascii():  # then it holds only a-z, 0-9 and single spaces
        return folded.replace(" ", "-")[:80] or "x"
    return _SLUG_DROP.sub("-", folded).strip("-")[:80] or "x"


def field_values(model) -> dict:
    """A pydantic model's field values by name: its instance ``__dict__``, where pydantic keeps them.

    ``BaseModel`` defines ``__getattr__``, so each attribute read of a model takes Python's slow
    path (about 340 instructions); where the generator reads several fields of one fact it reads
    them from this dict. Compiled, the dict comes straight from C (``_normalize.pxd``).
    """
    if _COMPILED:
        return _instance_dict(model)
    return model.__dict__


def fact_key(fact) -> str:
    """A fact's stable identity within its show (what its ``key()`` returns).

    Its ``id`` if it has one, else the values of its kind's ``key_fields`` slugified: ``"Bette
    Whitlaw"`` and ``"Casimere Jollette"`` make ``bette-whitlaw-casimere-jollette``; a field left
    empty (None) is skipped, and a date counts as written (``2021-11``).
    """
    values = field_values(fact)
    own = values["id"]
    if own:
        return own
    parts = []
    for name in type(fact).key_fields:
        value = values[name]
        if value is not None:
            parts.append(value if type(value) is str else str(value))
    return slugify("-".join(parts))
