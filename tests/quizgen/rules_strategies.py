"""Hypothesis strategies for test_rules.py: random corpora of one to three shows, as facts files give them.

A show gets a random cast (genders given on some facts, left to first names on others, some
characters whose title hides their gender, one now and then with no known character, actors in
two parts, recast characters), people behind it, a source work of any medium with perhaps a
sequel, real and too-small-to-know cities (several filming cities in one season), dates at every
precision that keep the making of a show before its premiere and its cancellation after, review
scores on scales of 5, 10 and 100 (some read on several dates), counts, a chart run and a
status history. Some citations state the answer, some do not; some articles have titles.
The models are built with ``ShowFacts.model_validate``, so the loader's article checks are skipped.
"""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import strategies as st

from quizgen import ShowFacts
from quizgen._facts import MEDIA
from quizgen._normalize import option_key

FIRST_NAMES = {
    "female": ("Margaret", "Eleanor", "Siobhan", "Aoife", "Maeve", "Orla", "Niamh", "Bridget", "Imogen", "Hester",
               "Teagan", "Mireille"),
    "male": ("Declan", "Fergus", "Callum", "Thomas", "Angus", "Ewan", "Malcolm", "Fraser", "Hamish", "Tobias"),
    "unclear": ("Avery", "Greer", "Sunday", "Marlowe"),  # a first name that tells no gender
}
ACTOR_SURNAMES = ("Okafor", "Keating", "Lindqvist", "Marchetti", "Delacroix", "Morrow", "Whitlock", "Quayle",
                  "Trevelyan", "Adeyemi", "Lindgren", "Ashdown")
# a few surnames are shared with actors, so that a name can be an actor in one show and a character in another
CHARACTER_SURNAMES = ("Brannigan", "Halloran", "Whelan", "Tierney", "Munro", "Dorrell", "Hollis", "Sutton", "Kell",
                      "Parr", "Keating", "Morrow")
TITLES_HIDING_GENDER = ("Sister", "Captain", "Father", "Inspector")
SHOW_TITLES = ("Harbour Lights", "The Long Meridian", "Tidewater", "Ashgrove Lane", "North of Nowhere")
WORK_TITLES = ("The Lamplighter's Daughter", "Meridian Line", "Salt and Ember", "The Quiet Parish", "Glass Harbour",
               "A Winter Crossing")
SERIES = ("Cedar Bay Nights", "The Glass Orchard", "Saltwater Road", "The Fogbound", "Copperline",
          "Nine Crooked Doors")
CURATED_TITLES = ("The Keeper's Wife", "Lantern Weather", "The Tide Clock", "Meridian Rising")
REAL_CITIES = ("Halifax", "St. John's", "Moncton", "Toronto", "Vancouver", "Sheffield", "Leeds", "Dundee", "Cardiff",
               "Chicago", "Boston", "Glasgow")
SMALL_TOWNS = ("Lunenburg", "Tobermory", "Port Isaac")  # too small for the reference data
CURATED_TOWNS = ("Mahone Bay", "Digby", "Mousehole")
SCHOOLS = ("Archer School of Ballet", "Kestrel Academy", "St. Brendan's College")
CURATED_SCHOOLS = ("Lakeshore Academy", "Monroe Conservatory", "Ashford High")
# (source, metrics, scale): IMDb and Common Sense rate out of 10 and 5; the others out of 100
SCORE_SOURCES = (("IMDb", ("rating", "audience"), 10), ("Metacritic", ("score", "critics"), 100),
                 ("Rotten Tomatoes", ("critics", "audience"), 100), ("Common Sense Media", ("rating",), 5))
STATUSES = ("renewal_pending", "renewed", "cancelled", "ended")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")

GENERIC = "The article says so in this sentence."


def written(d: date, precision: str) -> str:
    """A date as an article writes it, at a precision."""
    if precision == "year":
        return str(d.year)
    if precision == "month":
        return f"{MONTHS[d.month - 1]} {d.year}"
    return f"{MONTHS[d.month - 1]} {d.day}, {d.year}"


def iso(d: date, precision: str) -> str:
    return {"day": d.isoformat(), "month": d.isoformat()[:7], "year": d.isoformat()[:4]}[precision]


def first_day(d: date, precision: str) -> date:
    return d.replace(day=1) if precision == "month" else d.replace(month=1, day=1) if precision == "year" else d


def last_day(d: date, precision: str) -> date:
    if precision == "year":
        return d.replace(month=12, day=31)
    if precision == "month":
        following = (d.replace(day=28) + timedelta(days=4)).replace(day=1)
        return following - timedelta(days=1)
    return d


class _Facts:
    """The facts of one show as they are drawn: unique keys, and citations that may state the answer."""

    def __init__(self, draw) -> None:
        self.draw = draw
        self.items: list[dict] = []
        self.keys: set[tuple] = set()

    def add(self, key: tuple, kind: str, stating: str | tuple[str, ...] | None = None, **fields) -> bool:
        """Add a fact unless one with its key is there; each ``stating`` sentence is cited or not, anywhere."""
        if key in self.keys:
            return False
        self.keys.add(key)
        article = self.draw(st.sampled_from(["a.txt", "b.txt"]))
        citations = [{"article": article, "sentence": GENERIC}]
        for sentence in (stating,) if isinstance(stating, str) else stating or ():
            if self.draw(st.booleans()):
                at = self.draw(st.integers(0, len(citations)))
                citations.insert(at, {"article": article, "sentence": sentence})
        self.items.append({"kind": kind, **fields, "sources": citations})
        return True


def initialled(name: str) -> str:
    """Another spelling of a name: its first name as an initial ("M. Keating")."""
    first, _, rest = name.partition(" ")
    return f"{first[0]}. {rest}"


def _name(draw, gender: str, surnames: tuple[str, ...]) -> str:
    return f"{draw(st.sampled_from(FIRST_NAMES[gender]))} {draw(st.sampled_from(surnames))}"


def _cast(draw, facts: _Facts) -> None:
    genders = draw(st.lists(st.sampled_from(["female", "female", "male", "male", "unclear"]), min_size=3,
                            max_size=9))
    actors: list[str] = []
    characters: list[str] = []
    for gender in genders:
        actor = _name(draw, gender, ACTOR_SURNAMES)
        if option_key(actor) in {option_key(n) for n in actors + characters}:
            continue
        shape = draw(st.sampled_from(["named"] * 6 + ["titled", "unknown"]))
        character = None
        if shape == "named":
            character = _name(draw, gender if draw(st.integers(0, 4)) else "unclear", CHARACTER_SURNAMES)
        elif shape == "titled":
            character = f"{draw(st.sampled_from(TITLES_HIDING_GENDER))} {_name(draw, gender, CHARACTER_SURNAMES)}"
        if character and option_key(character) in {option_key(n) for n in actors + characters}:
            continue
        natural = gender if gender != "unclear" else draw(st.sampled_from(["female", "male"]))
        explicit = draw(st.sampled_from([None, None, natural, "nonbinary"]))
        fields: dict = {"actor": actor}
        if character:
            fields["character"] = character
        if explicit:
            fields["gender"] = explicit
        stating = (f"{actor} plays {character}.",) if character else (f"{actor} joins the cast.",)
        if draw(st.integers(0, 7)) == 0:  # another spelling, which a citation may use
            fields["actor_aliases"] = [initialled(actor)]
            stating += (f"{fields['actor_aliases'][0]} is in the cast.",)
        if facts.add(("cast", option_key(character or ""), option_key(actor)), "cast", stating, **fields):
            actors.append(actor)
            if character:
                characters.append(character)
    if len(actors) >= 2 and characters and draw(st.booleans()):  # an actor in a second part
        second = f"Young {characters[0]}"
        facts.add(("cast", option_key(second), option_key(actors[0])), "cast", f"{actors[0]} also plays {second}.",
                  actor=actors[0], character=second)
    if len(characters) >= 2 and draw(st.booleans()):  # a recast character: both facts say so
        first = next((f for f in facts.items if f["kind"] == "cast" and f.get("character") == characters[1]), None)
        newcomer = _name(draw, "female", ("Fairbrother", "Penhallow"))
        if first is not None and option_key(newcomer) not in {option_key(n) for n in actors + characters}:
            first["recast"] = True
            facts.add(("cast", option_key(characters[1]), option_key(newcomer)), "cast",
                      f"{newcomer} now plays {characters[1]}.", actor=newcomer, character=characters[1],
                      recast=True, gender="female")
    if draw(st.integers(0, 4)) == 0:  # a part whose articles disagree on the actor
        facts.add(("cast", "disputed"), "cast", None, actor="Imogen Vantreight", character="Marquess Vantreight",
                  disputed=[{"value": "Imogen Vantreit", "sources": [{"article": "b.txt", "sentence": GENERIC}]}])


def _people_and_works(draw, facts: _Facts, work: str | None) -> None:
    for _ in range(draw(st.integers(0, 2))):
        gender = draw(st.sampled_from(["female", "male", "unclear"]))
        name = _name(draw, gender, ("Callaghan", "Venn", "Quint", "Abernethy", "Sorensen"))
        fields = {"role": "creator", "name": name}
        if gender == "unclear" and draw(st.booleans()):
            fields["gender"] = draw(st.sampled_from(["female", "male"]))
        facts.add(("person", "creator", option_key(name)), "person", f"The series was created by {name}.", **fields)
    if work is None:
        return
    medium = draw(st.sampled_from(["short_story", "novel", *sorted(MEDIA)]))  # any, the rules' own more often
    curated = {"wrong_answers": {"title": list(draw(st.lists(st.sampled_from(CURATED_TITLES), max_size=3,
                                                                  unique=True)))}}
    facts.add(("work", "source"), "work", f"It is based on {work}.", relation="source", title=work, medium=medium,
              **(curated if curated["wrong_answers"]["title"] else {}))
    author = _name(draw, draw(st.sampled_from(["female", "male"])), ("MacAskill", "Venn", "Oduya", "Strand"))
    aliases = {"aliases": [author.replace("Mac", "Mc") if "Mac" in author else initialled(author)]} \
        if draw(st.booleans()) else {}
    stating = tuple(f"{work} was written by {name}." for name in (author, *aliases.get("aliases", ())))
    facts.add(("person", "author", option_key(author)), "person", stating, role="author", name=author, work=work,
              **aliases)
    if draw(st.booleans()):
        sequel = f"{work}: Book Two"
        facts.add(("work", "sequel"), "work", f"Its sequel is {sequel}.", relation="sequel", title=sequel,
                  medium=medium, of=work, **({"wrong_answers": {"title": list(CURATED_TITLES[:2])}}
                                             if draw(st.booleans()) else {}))


def _places(draw, facts: _Facts) -> None:
    if draw(st.booleans()):
        city = draw(st.sampled_from(REAL_CITIES + SMALL_TOWNS))
        wrong = {"wrong_answers": {"name": list(CURATED_TOWNS)}} if city in SMALL_TOWNS else {}
        facts.add(("place", "setting"), "place", f"The story is set in {city}.", role="setting_city", name=city,
                  **wrong)
    for season in draw(st.lists(st.sampled_from([None, 1, 2]), unique=True, max_size=2)):
        for city in draw(st.lists(st.sampled_from(REAL_CITIES), min_size=1, max_size=3, unique=True)):
            facts.add(("place", "filmed", season, city), "place", f"It was filmed in {city}.",
                      role="filming_location", name=city, **({"season": season} if season else {}))
    if not draw(st.integers(0, 3)):
        school = draw(st.sampled_from(SCHOOLS))
        facts.add(("place", "school"), "place", f"They study at the {school}.", role="school", name=school,
                  description="school", wrong_answers={"name": list(CURATED_SCHOOLS)})


def _dates(draw, facts: _Facts) -> None:
    premiere = draw(st.dates(min_value=date(2003, 1, 1), max_value=date(2024, 12, 31)))
    has_premiere = draw(st.integers(0, 4)) > 0
    prem_precision = draw(st.sampled_from(["day", "day", "month", "year"]))
    if has_premiere:
        facts.add(("date", "premiere"), "date", f"It premiered on {written(premiere, prem_precision)}.",
                  role="premiere", date=iso(premiere, prem_precision))
    p_first, p_last = first_day(premiere, prem_precision), last_day(premiere, prem_precision)
    for role in draw(st.lists(st.sampled_from(["production_start", "production_end", "filming_start",
                                               "filming_end", "announcement"]), unique=True, max_size=3)):
        precision = draw(st.sampled_from(["day", "month", "year"]))
        day = premiere - timedelta(days=draw(st.integers(1, 900)))
        if has_premiere and last_day(day, precision) >= p_first:
            continue  # the making of a show comes before its premiere, at every precision
        season = {"season": 1} if role != "announcement" and draw(st.booleans()) else {}
        facts.add(("date", role), "date", f"That was on {written(day, precision)}.", role=role,
                  date=iso(day, precision), **season)
    if draw(st.booleans()):
        precision = draw(st.sampled_from(["day", "month", "year"]))
        day = premiere + timedelta(days=draw(st.integers(1, 1500)))
        if not has_premiere or first_day(day, precision) > p_last:
            facts.add(("date", "cancellation"), "date", f"It was cancelled on {written(day, precision)}.",
                      role="cancellation", date=iso(day, precision))
            if precision != "year" and draw(st.booleans()):  # its status as of the month it was cancelled
                facts.add(("status", "cancelled"), "status", f"As of {written(day, 'month')}, it is cancelled.",
                          status="cancelled", as_of=iso(day, "month"),
                          **({"how_known": "The network said so in a statement"} if draw(st.booleans()) else {}))
            if precision != "year" and day.day > 1 and draw(st.booleans()):  # still pending earlier that month
                before = day.replace(day=draw(st.integers(1, day.day - 1)))
                facts.add(("status", "pending"), "status", None, status="renewal_pending", as_of=before.isoformat())


def _numbers(draw, facts: _Facts) -> None:
    for source, metrics, scale in draw(st.lists(st.sampled_from(SCORE_SOURCES), unique=True, max_size=3)):
        metric = draw(st.sampled_from(metrics))
        readings = draw(st.lists(st.dates(min_value=date(2005, 1, 1), max_value=date(2025, 12, 31)), min_size=1,
                                 max_size=3, unique=True))
        for reading in readings:
            tenths = draw(st.integers(0, scale * 10))
            value = float(tenths // 10) if scale == 100 else tenths / 10
            facts.add(("score", source, metric, reading), "score", None, source=source, metric=metric, value=value,
                      scale=float(scale), as_of=reading.isoformat())
    seasons = draw(st.integers(1, 6))
    if draw(st.booleans()):
        facts.add(("count", "seasons"), "count", f"It ran for {seasons} seasons.", what="seasons", value=seasons)
    for season in draw(st.lists(st.sampled_from([None, 1, 2]), unique=True, max_size=2)):
        facts.add(("count", "episodes", season), "count", None, what="episodes", value=draw(st.integers(1, 24)),
                  **({"season": season} if season else {}))
    if draw(st.booleans()):
        before, after = draw(st.lists(st.sampled_from(SERIES), min_size=2, max_size=2, unique=True))
        curated = [t for t in ("Saltwater Road", "The Fogbound", "Copperline") if t != before]
        wrong = {"preceded_by": curated} if draw(st.booleans()) else {}
        facts.add(("chart",), "chart_run", f"It took the top spot from {before} and lost it to {after}.",
                  chart="Northgate Top 10", days=draw(st.integers(1, 30)), preceded_by=before, succeeded_by=after,
                  **({"wrong_answers": wrong} if wrong else {}))


def _statuses(draw, facts: _Facts) -> None:
    for status in draw(st.lists(st.sampled_from(STATUSES), unique=True, max_size=2)):
        precision = draw(st.sampled_from(["day", "month"]))
        when = draw(st.dates(min_value=date(2005, 1, 1), max_value=date(2025, 12, 31)))
        facts.add(("status", status, iso(when, precision)), "status", None, status=status, as_of=iso(when, precision))


@st.composite
def show_facts(draw, show_id: str, title: str, work: str | None = None) -> ShowFacts:
    """One random show, based on ``work`` when one is given."""
    facts = _Facts(draw)
    _cast(draw, facts)
    _people_and_works(draw, facts, work)
    _places(draw, facts)
    _dates(draw, facts)
    _numbers(draw, facts)
    _statuses(draw, facts)
    articles = [{"file": name, **({"title": f"{title}: {name}"} if draw(st.booleans()) else {})}
                for name in ("a.txt", "b.txt")]
    network = draw(st.sampled_from([None, "Northgate", "Brightwater TV"]))
    return ShowFacts.model_validate({"format": 1, "show": {"id": show_id, "title": title, "network": network},
                                     "articles": articles, "facts": facts.items})


@st.composite
def corpora(draw) -> list[ShowFacts]:
    """One to three random shows."""
    titles = draw(st.lists(st.sampled_from(SHOW_TITLES), min_size=1, max_size=3, unique=True))
    # each show its own source work (two shows adapting one work are test_rules.py's own case)
    works = draw(st.permutations(WORK_TITLES))
    return [draw(show_facts(f"show-{i}", t, works[i] if draw(st.booleans()) else None))
            for i, t in enumerate(titles)]
