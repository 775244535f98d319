"""Reading facts files: every problem located by file and line, sources checked against the articles, conflicts kept."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from facts_builders import TPT_FACTS
from hypothesis import given
from hypothesis import strategies as st

from quizgen import FactFileError, load_facts
from quizgen._loader import ArticleText, load_facts_checked, read_text

ARTICLE = "Ada Quill plays Nora Vale in Harbour Street.\nHarbour Street premiered on\nMarch 4, 2019.\n"

HEADER = """\
format: 1
show:
  id: harbour-street
  title: Harbour Street
articles:
  - file: a.txt
facts:
"""

ADA = """\
  - kind: cast
    actor: Ada Quill
    character: Nora Vale
    sources:
      - article: a.txt
        sentence: Ada Quill plays Nora Vale in Harbour Street.
"""


def write(folder: Path, facts: str, *, header: str = HEADER, articles: dict[str, str] | None = None,
          name: str = "show.yaml") -> Path:
    """A facts file (and its sources/ folder, unless articles is {}) in folder."""
    articles = {"a.txt": ARTICLE} if articles is None else articles
    if articles:
        (folder / "sources").mkdir(exist_ok=True)
        for file, text in articles.items():
            (folder / "sources" / file).write_text(text, encoding="utf-8")
    path = folder / name
    path.write_text(header + textwrap.dedent(facts) if not facts.startswith("  ") else header + facts,
                    encoding="utf-8")
    return path


def problems(path: Path) -> list[str]:
    loaded, found = load_facts_checked(path)
    assert (loaded is None) == bool(found)
    return [str(p) for p in found]


def test_a_good_file_loads(tmp_path):
    loaded = load_facts(write(tmp_path, ADA))
    assert loaded.facts.show.title == "Harbour Street"
    assert loaded.facts.facts[0].actor == "Ada Quill"
    assert loaded.conflicts == ()


def test_each_key_and_item_keeps_its_line(tmp_path):
    loaded = load_facts(write(tmp_path, ADA))
    assert loaded.line_of(("show", "title")) == 4
    assert loaded.line_of(("facts", 0)) == 8
    assert loaded.line_of(("facts", 0, "character")) == 10
    assert loaded.line_of(("facts", 0, "sources", 0, "sentence")) == 13
    assert loaded.line_of(("facts", 0, "no-such-field")) == 8  # the deepest part that exists


def test_the_real_facts_file_loads_with_its_two_conflicts():
    loaded = load_facts(TPT_FACTS)
    assert len(loaded.facts.facts) == 32
    lines = TPT_FACTS.read_text(encoding="utf-8").splitlines()
    by_field = {c.field: c for c in loaded.conflicts}
    assert set(by_field) == {"actor", "value"}
    actor, score = by_field["actor"], by_field["value"]
    assert lines[actor.line - 1].strip() == "- field: actor"
    assert lines[score.line - 1].strip() == "- field: value"
    assert str(actor) == (f"{TPT_FACTS}:{actor.line}: conflict: cast shane-mcrae-brennan-clost actor: 'Brennan Clost' "
                          "in 000_7f1ed2a60b7c85e9.txt, 002_45c689a146d2e79e.txt; 'Brennan Close' in "
                          "002_45c689a146d2e79e.txt (not asked)")
    assert str(score) == (f"{TPT_FACTS}:{score.line}: conflict: score rotten-tomatoes-critics-2021-02-15 value: "
                          "'53' in 000_7f1ed2a60b7c85e9.txt; '52' in 002_45c689a146d2e79e.txt (not asked)")


def test_yaml_anchors_and_aliases_are_followed():
    loaded = load_facts(TPT_FACTS)
    sentences = {f.sources[0].sentence for f in loaded.facts.facts if f.kind == "cast"}
    assert len(sentences) == 1 and next(iter(sentences)).startswith("The main cast members are")


def test_unquoted_dates_keep_their_precision(tmp_path):
    path = write(tmp_path, """\
      - kind: date
        role: premiere
        date: 2019-03-04
        sources: [{article: a.txt, sentence: "Harbour Street premiered on March 4, 2019."}]
      - kind: date
        role: finale
        date: 2019-04
        sources: [{article: a.txt, sentence: "Harbour Street premiered on March 4, 2019."}]
      - kind: date
        role: cancellation
        date: 2022
        sources: [{article: a.txt, sentence: "Harbour Street premiered on March 4, 2019."}]
    """)
    dates = [f.date for f in load_facts(path).facts.facts]
    assert [(d.precision, d.iso()) for d in dates] == [("day", "2019-03-04"), ("month", "2019-04"), ("year", "2022")]


def test_a_sentence_may_wrap_differently_from_the_article(tmp_path):
    path = write(tmp_path, """\
      - kind: date
        role: premiere
        date: "2019-03-04"
        sources:
          - article: a.txt
            sentence: >-
              Harbour Street premiered
              on March 4, 2019.
    """)
    assert problems(path) == []


def test_a_sentence_must_be_quoted_exactly_and_the_refusal_says_where_it_differs(tmp_path):
    path = write(tmp_path, ADA.replace("plays Nora Vale", "plays Nora  Vail"))
    assert problems(path) == [f"{path}:13: sentence: sentence not found in a.txt: quote it exactly; it matches the "
                              "article up to 'Ada Quill plays Nora', then the article has 'Vale' where the quote has "
                              "'Vail'"]


def cite(sentence: str) -> str:
    """ADA's fact, citing ``sentence`` instead (on line 13, as ADA's)."""
    return ADA.replace("sentence: Ada Quill plays Nora Vale in Harbour Street.", f"sentence: '{sentence}'")


REVIEW = """Harbour Street: the review

It was not cancelled until 2022. Critics said "it is the best show of 2019."
Ratings fell (sharply). It cost $2.50 a ticket. It was the most watched show in the U.S. among teens.
Fans asked "why?" and the show was cancelled. Critics agreed the show was great: at first, then it declined.
Damon J. Gillespie plays Caleb Wick. Mr. Reid plays Joe Fenwick. It was over… Then it came back.

Harbour Street premiered on
March 4, 2019, on Skylark.
"""


@pytest.mark.parametrize("sentence", [
    "Harbour Street: the review",                       # a heading: a paragraph of its own, no stop
    "It was not cancelled until 2022.",                 # the first sentence of a paragraph
    'Critics said "it is the best show of 2019."',      # after a stop; ends in a closing quote
    'Critics said "it is the best show of 2019.',       # the closing quote left out
    'It was not cancelled until 2022. Critics said "it is the best show of 2019."',  # two sentences
    "Ratings fell (sharply).",                          # after a line break that ends a sentence
    "It was the most watched show in the U.S. among teens.",
    'Fans asked "why?" and the show was cancelled.',
    "Damon J. Gillespie plays Caleb Wick.",             # an initial inside
    "Mr. Reid plays Joe Fenwick.",                      # a title inside
    "Then it came back.",                               # after an ellipsis
    "Harbour Street premiered on March 4, 2019, on Skylark.",  # wrapped over two lines in the article
])
def test_a_whole_sentence_or_paragraph_is_a_citation(tmp_path, sentence):
    assert problems(write(tmp_path, cite(sentence), articles={"a.txt": REVIEW})) == []


@pytest.mark.parametrize("sentence, whole", [
    ("It was not cancelled", "It was not cancelled until 2022."),  # the start of a sentence: says the opposite
    ("was not cancelled until 2022.", "It was not cancelled until 2022."),  # the end of one
    # across a paragraph's end, from inside a heading
    ("the review It was not cancelled until 2022.", "Harbour Street: the review It was not cancelled until 2022."),
    ("it is the best show of 2019.", 'Critics said "it is the best show of 2019."'),  # from inside quotation marks
    ("It cost $2.", "It cost $2.50 a ticket."),          # stops inside a number
    ("It was the most watched show in the U.S.", "It was the most watched show in the U.S. among teens."),
    ('Fans asked "why?"', 'Fans asked "why?" and the show was cancelled.'),  # a question quoted inside a sentence
    ("and the show was cancelled.", 'Fans asked "why?" and the show was cancelled.'),
    ("Critics agreed the show was great:", "Critics agreed the show was great: at first, then it declined."),
    # a title is not a sentence's end, nor is an initial
    ("Gillespie plays Caleb Wick. Mr.", "Damon J. Gillespie plays Caleb Wick. Mr. Reid plays Joe Fenwick."),
    ("Gillespie plays Caleb Wick.", "Damon J. Gillespie plays Caleb Wick."),
    ("Reid plays Joe Fenwick.", "Mr. Reid plays Joe Fenwick."),  # after a title
    # the first and the last line of a wrapped paragraph are not sentences
    ("Harbour Street premiered on", "Harbour Street premiered on March 4, 2019, on Skylark."),
    ("March 4, 2019, on Skylark.", "Harbour Street premiered on March 4, 2019, on Skylark."),
])
def test_a_part_of_a_sentence_is_refused_with_the_whole_sentence(tmp_path, sentence, whole):
    path = write(tmp_path, cite(sentence), articles={"a.txt": REVIEW})
    assert problems(path) == [f"{path}:13: sentence: sentence is only part of a sentence in a.txt: "
                              f"quote the whole sentence, '{whole}'"]
    assert problems(write(tmp_path, cite(whole), articles={"a.txt": REVIEW})) == []  # the advice is right


def test_a_quote_in_another_case_is_not_found(tmp_path):
    path = write(tmp_path, cite("ratings fell (sharply)."), articles={"a.txt": REVIEW})
    assert problems(path) == [f"{path}:13: sentence: sentence not found in a.txt: quote it exactly; the article "
                              "has it in other letter case"]


@pytest.mark.parametrize("sentence, told", [
    ("Zebras fell (sharply).", "the article does not have its first word 'Zebras'"),
    ("Ratings fell (bluntly).", "it matches the article up to 'Ratings fell', then the article has '(sharply).' "
                                "where the quote has '(bluntly).'"),
    ('Fans asked "why?" and the show was cancelled at once.',
     "it matches the article up to '…asked \"why?\" and the show was', then the article has 'cancelled.' where the "
     "quote has 'cancelled'"),
    ("Harbour Street premiered on March 4, 2019, on Skylark, and ran.",
     "it matches the article up to '…premiered on March 4, 2019, on', then the article has 'Skylark.' where the "
     "quote has 'Skylark,'"),
    ("Harbour Street premiered on March 4, 2019, on Skylark. It ran.",
     "it matches the article up to '…on March 4, 2019, on Skylark.', where the article ends"),
])
def test_a_quote_not_found_is_told_where_it_stops_matching(tmp_path, sentence, told):
    path = write(tmp_path, cite(sentence.replace("'", "''")), articles={"a.txt": REVIEW})
    assert problems(path) == [f"{path}:13: sentence: sentence not found in a.txt: quote it exactly; {told}"]


DECIMALS = """The pilot drew a modest audience, clocking in with a 6.2. Critics were kinder.
It cost $2.50. It ran in the U.S. Army channel.
"""


@pytest.mark.parametrize("sentence", [
    "The pilot drew a modest audience, clocking in with a 6.2.",  # a decimal number ends it, not an abbreviation
    "Critics were kinder.",
    "It cost $2.50.",
])
def test_a_sentence_may_end_in_a_decimal_number(tmp_path, sentence):
    assert problems(write(tmp_path, cite(sentence), articles={"a.txt": DECIMALS})) == []


def test_a_wrong_decimal_is_told_as_such(tmp_path):
    path = write(tmp_path, cite("The pilot drew a modest audience, clocking in with a 6.3."),
                 articles={"a.txt": DECIMALS})
    assert problems(path) == [f"{path}:13: sentence: sentence not found in a.txt: quote it exactly; it matches the "
                              "article up to '…modest audience, clocking in with a', then the article has '6.2.' "
                              "where the quote has '6.3.'"]


def test_an_abbreviation_with_dots_still_does_not_end_a_sentence(tmp_path):
    path = write(tmp_path, cite("It ran in the U.S."), articles={"a.txt": DECIMALS})
    assert problems(path) == [f"{path}:13: sentence: sentence is only part of a sentence in a.txt: quote the whole "
                              "sentence, 'It ran in the U.S. Army channel.'"]


STATUS_LIST = """Harbour Street renewal status

Network: Skylark
Status: Renewed for season 3
Last updated: January 15, 2023

That is all we know.
"""


@pytest.mark.parametrize("sentence, whole", [
    ("Status: Renewed for season 3", True),         # a whole line, a line break on both sides
    ("Network: Skylark Status: Renewed for season 3", False),  # two lines, the first of a paragraph
    ("Network: Skylark", False),                    # the first line: a blank line before it
    ("Last updated: January 15, 2023", False),      # the last line: a blank line after it
    ("Status: Renewed", False),                     # part of a line
    ("Renewed for season 3", False),
])
def test_a_whole_line_inside_a_paragraph_is_a_citation(tmp_path, sentence, whole):
    found = problems(write(tmp_path, cite(sentence), articles={"a.txt": STATUS_LIST}))
    if whole:
        assert found == []
    else:
        assert len(found) == 1 and "sentence is only part of a sentence in a.txt" in found[0], found


WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=8)
INITIAL = st.sampled_from("ABCDEFGHIJKLMNOPQRSTUVWXYZ").map(lambda c: c + ".")  # "Damon J. Gillespie"
STOP = st.sampled_from([".", ".", "?", "!"])
SENTENCE = st.tuples(WORD, st.lists(st.one_of(WORD, INITIAL), max_size=6), WORD, STOP).map(
    lambda parts: " ".join([parts[0].title(), *parts[1], parts[2]]) + parts[3])  # never ends in an initial


@given(st.lists(st.lists(SENTENCE, min_size=1, max_size=4), min_size=1, max_size=4), st.data())
def test_every_whole_sentence_is_a_citation_and_no_cut_one_is(tmp_path_factory, paragraphs, data):
    lines = [data.draw(st.sampled_from([" ", "  ", "\n"])).join(p) for p in paragraphs]  # sentences may wrap
    path = tmp_path_factory.mktemp("article") / "a.txt"
    path.write_text("\n\n".join(lines) + "\n", encoding="utf-8")
    article = ArticleText.read(path)
    sentence = data.draw(st.sampled_from([s for p in paragraphs for s in p]))
    assert article.quote_problem(sentence, "a.txt") is None
    refused = "sentence is only part of a sentence in a.txt: quote the whole sentence, '"  # the first it is in
    cut = data.draw(st.integers(1, len(sentence) - 2))
    for part in (sentence[:cut].rstrip(), sentence[cut:].lstrip()):  # stops inside its sentence; starts inside it
        told = article.quote_problem(part, "a.txt")
        assert told.startswith(refused)
        advice = told.removeprefix(refused).removesuffix("'")
        assert "…" in advice or (part in advice and article.quote_problem(advice, "a.txt") is None)  # a whole one
    assert article.quote_problem(sentence + " 9", "a.txt").startswith("sentence not found in a.txt: quote it exactly; ")


def test_a_sentence_found_twice_counts_where_it_is_whole(tmp_path):
    article = "Fans asked whether Nora Vale returns. Nora Vale returns.\n"
    fact = cite("Nora Vale returns.")
    assert problems(write(tmp_path, fact, articles={"a.txt": article})) == []
    only_inside = write(tmp_path, fact, articles={"a.txt": "Fans asked whether Nora Vale returns. She did.\n"})
    assert problems(only_inside) == [f"{only_inside}:13: sentence: sentence is only part of a sentence in a.txt: "
                                     "quote the whole sentence, 'Fans asked whether Nora Vale returns.'"]


def test_a_blank_sentence_is_refused(tmp_path):
    path = write(tmp_path, cite(" " * 12))
    [problem] = problems(path)
    assert problem.startswith(f"{path}:13: ") and "the sentence is blank" in problem, problem


def test_an_article_must_be_listed_and_present(tmp_path):
    unlisted = write(tmp_path, ADA.replace("- article: a.txt", "- article: b.txt"))
    assert problems(unlisted) == [f"{unlisted}:12: article: cites 'b.txt', which is not listed under `articles`"]
    missing = write(tmp_path, ADA, header=HEADER.replace("  - file: a.txt", "  - file: a.txt\n  - file: c.txt"),
                    name="missing.yaml")
    missing.write_text(missing.read_text().replace("- article: a.txt", "- article: c.txt"))
    assert problems(missing) == [f"{missing}:13: article: article 'c.txt' is not in {tmp_path / 'sources'}: "
                                 "add the article's text there"]


def test_an_article_that_is_not_text_is_one_clear_problem(tmp_path):
    path = write(tmp_path, ADA + ADA.replace("Ada Quill", "Zed Bloom").replace("Nora Vale", "Max Vale"),
                 articles={"a.txt": "x"})
    (tmp_path / "sources" / "a.txt").write_bytes("Zoë plays Nora Vale.\n".encode("latin-1"))
    article = tmp_path / "sources" / "a.txt"
    assert problems(path) == [f"{article}:1: not UTF-8 text (bad byte 0xeb)"]  # once, though cited twice


def test_without_a_sources_folder_sentences_are_not_checked(tmp_path):
    path = write(tmp_path, ADA.replace("plays Nora Vale", "plays somebody"), articles={})
    assert problems(path) == []


def test_same_character_two_actors_is_a_conflict_unless_recast(tmp_path):
    second = ADA.replace("Ada Quill", "Zed Bloom").replace("sentence: Zed Bloom plays", "sentence: Ada Quill plays")
    path = write(tmp_path, ADA + second)
    assert problems(path) == [
        f"{path}:14: character: 'Nora Vale' is played by 'Ada Quill' at line 8 and by 'Zed Bloom' here: record a "
        "spelling under `disputed`, or set `recast: true` on both for a recast"]
    one_recast = write(tmp_path, ADA + second.replace("    character:", "    recast: true\n    character:"),
                       name="one.yaml")
    assert len(problems(one_recast)) == 1
    recast = (ADA + second).replace("    character:", "    recast: true\n    character:")
    assert problems(write(tmp_path, recast, name="both.yaml")) == []


def test_the_same_actor_spelled_with_other_case_is_no_conflict(tmp_path):
    second = ADA.replace("actor: Ada Quill", "actor: ADA QUILL\n    id: again")
    assert problems(write(tmp_path, ADA + second)) == []


def test_a_fact_given_twice_is_refused(tmp_path):
    path = write(tmp_path, ADA + ADA)
    assert problems(path) == [f"{path}:14: the same cast fact (nora-vale-ada-quill) is already given at line 8"]


def test_every_problem_is_reported_not_just_the_first(tmp_path):
    path = write(tmp_path, ADA.replace("actor: Ada Quill", "actr: Ada Quill")
                 + ADA.replace("actor: Ada Quill", "actor: [Ada, Quill]"))
    assert problems(path) == [
        f"{path}:8: facts[0].actor: this field is required",
        f"{path}:9: facts[0].actr: unknown field (check its spelling)",
        f"{path}:15: facts[1].actor: Input should be a valid string",
    ]


def test_a_broken_fact_does_not_hide_the_quotes_of_the_others(tmp_path):
    other = ADA.replace("character: Nora Vale", "character: Max Vale").replace("Harbour Street.", "Harbor Street.")
    path = write(tmp_path, ADA.replace("actor: Ada Quill", "actor: [Ada, Quill]") + other)
    assert problems(path) == [
        f"{path}:9: facts[0].actor: Input should be a valid string",
        f"{path}:19: sentence: sentence not found in a.txt: quote it exactly; it matches the article up to "
        "'Ada Quill plays Nora Vale in', then the article has 'Harbour' where the quote has 'Harbor'",
    ]


def test_a_broken_header_does_not_hide_the_quotes_of_the_facts(tmp_path):
    path = write(tmp_path, ADA.replace("Nora Vale in", "Nora Vale on"),
                 header=HEADER.replace("id: harbour-street", "id: Harbour Street"))
    assert problems(path) == [
        f"{path}:3: show.id: String should match pattern '^[a-z0-9][a-z0-9-]{{0,79}}$'",
        f"{path}:13: sentence: sentence not found in a.txt: quote it exactly; it matches the article up to "
        "'Ada Quill plays Nora Vale', then the article has 'in' where the quote has 'on'",
    ]


def test_a_fact_without_kind_says_so(tmp_path):
    path = write(tmp_path, "  - actor: Ada Quill\n")
    assert problems(path) == [f"{path}:8: facts[0]: a fact needs `kind`; kinds are: cast, date, score, person, "
                              "work, place, count, chart_run, status"]


def test_cast_facts_without_a_character_do_not_conflict(tmp_path):
    second = ADA.replace("Ada Quill", "Zed Bloom").replace("sentence: Zed Bloom plays", "sentence: Ada Quill plays")
    path = write(tmp_path, (ADA + second).replace("    character: Nora Vale\n", ""))
    assert problems(path) == []


def test_load_facts_raises_the_first_problem_with_its_location(tmp_path):
    path = write(tmp_path, ADA.replace("actor: Ada Quill", "actor: 12"))
    with pytest.raises(FactFileError) as caught:
        load_facts(path)
    err = caught.value
    assert (err.path, err.line, err.field) == (str(path), 9, "facts[0].actor")
    assert str(err) == f"{path}:9: facts[0].actor: Input should be a valid string"


def test_a_date_facts_field_is_named_once(tmp_path):
    path = write(tmp_path, """\
      - kind: date
        role: premiere
        date: "2019-02-30"
        sources: [{article: a.txt, sentence: "Harbour Street premiered on March 4, 2019."}]
    """)
    assert problems(path) == [f"{path}:10: facts[0].date: '2019-02-30' does not exist: February 2019 has 28 days"]


def test_a_list_whose_items_all_failed_is_not_also_called_too_short(tmp_path):
    path = write(tmp_path, "  - kind: gossip\n")
    assert problems(path) == [f"{path}:8: facts[0]: unknown kind 'gossip'; kinds are: cast, date, score, person, "
                              "work, place, count, chart_run, status"]
    empty = write(tmp_path, "", header=HEADER.replace("facts:\n", "facts: []\n"), name="empty-list.yaml")
    assert problems(empty) == [f"{empty}:7: facts: Tuple should have at least 1 item after validation, not 0"]


def test_a_byte_order_mark_and_windows_line_ends_are_fine(tmp_path):
    path = write(tmp_path, ADA)
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n"))
    loaded = load_facts(path)
    assert loaded.line_of(("facts", 0, "character")) == 10


@pytest.mark.parametrize("content, message", [
    (b"", ":1: the file is empty"), (b" \n\t\n", ":1: the file is empty"),
    (b"# only a comment\n", ":1: the file is empty"),
    (b"format: 1\x00\x01", ":1: binary file: expected UTF-8 text"),
    (b"format: 1\nshow: caf\xe9\n", ":2: not UTF-8 text (bad byte 0xe9)"),
    (b"- 1\n- 2\n", ":1: expected a mapping with `format`, `show`, `articles` and `facts`"),
    (b"format: 1\n---\nformat: 1\n",
     ":2: YAML syntax error: expected a single document in the stream, but found another document"),
    (b"format: 1\nshow: *nowhere\n", ":2: YAML syntax error: found undefined alias 'nowhere'"),
    (b"format: 1\n? [a, b]\n: 1\n", ":2: a mapping key must be plain text"),
    (b"format: 1\nshow: !color red\n",
     ":2: YAML error: could not determine a constructor for the tag '!color'"),
])
def test_files_that_are_not_facts_at_all(tmp_path, content, message):
    path = tmp_path / "bad.yaml"
    path.write_bytes(content)
    [problem] = problems(path)
    assert problem == f"{path}{message}"


def test_read_text_names_missing_files_and_folders(tmp_path):
    with pytest.raises(FactFileError, match="no such file"):
        read_text(tmp_path / "nope.yaml", FactFileError)
    with pytest.raises(FactFileError, match="is a directory, expected a file"):
        read_text(tmp_path, FactFileError)


DATED_HEADER = HEADER.replace("  - file: a.txt\n", '  - file: a.txt\n    as_of: "2019-03-04"\n')


def dateline_fact(kind: str = "date", article: str = "a.txt", **fields: str) -> str:
    """A fact (lines 9-14 under DATED_HEADER) citing an article's date line; its citation's `dateline` on line 14."""
    fields = fields or {"role": "premiere", "date": '"2019-03-04"'}
    body = "".join(f"    {name}: {value}\n" for name, value in fields.items())
    return f"  - kind: {kind}\n{body}    sources:\n      - article: {article}\n        dateline: true\n"


@pytest.mark.parametrize("fact", [
    dateline_fact(),
    dateline_fact("status", status="renewed", as_of='"2019-03-04"'),
    dateline_fact("score", source="IMDb", value="7.1", scale="10", as_of='"2019-03-04"'),
])
def test_a_fact_may_cite_its_articles_date_line(tmp_path, fact):
    assert problems(write(tmp_path, fact, header=DATED_HEADER)) == []


def test_a_date_line_must_give_the_facts_date(tmp_path):
    path = write(tmp_path, dateline_fact(role="premiere", date='"2019-03"'), header=DATED_HEADER)
    assert problems(path) == [f"{path}:14: dateline: 'a.txt' is dated 2019-03-04 (its `as_of` under `articles`), "
                              "not 2019-03 as the fact's date: make them the same, or cite a sentence instead"]


def test_a_disputed_date_may_rest_on_a_date_line_too(tmp_path):
    fact = """\
  - kind: date
    role: premiere
    date: "2019-03-05"
    sources: [{article: a.txt, sentence: "Harbour Street premiered on March 4, 2019."}]
    disputed:
      - value: "2019-03-03"
        sources:
          - article: a.txt
            dateline: true
"""
    path = write(tmp_path, fact, header=DATED_HEADER)
    [problem] = problems(path)
    assert problem == (f"{path}:17: dateline: 'a.txt' is dated 2019-03-04 (its `as_of` under `articles`), not "
                       "2019-03-03 as the disputed date: make them the same, or cite a sentence instead")
    assert problems(write(tmp_path, fact.replace("2019-03-03", "2019-03-04"), header=DATED_HEADER)) == []


def test_a_date_line_needs_an_article_with_a_date(tmp_path):
    undated = write(tmp_path, dateline_fact(), name="undated.yaml")  # a.txt is listed without `as_of`
    assert problems(undated) == [f"{undated}:13: dateline: 'a.txt' has no `as_of` under `articles`: give the "
                                 "article's date there, or cite a sentence instead"]
    unlisted = write(tmp_path, dateline_fact(article="b.txt"), header=DATED_HEADER, name="unlisted.yaml")
    assert problems(unlisted) == [f"{unlisted}:13: article: cites 'b.txt', which is not listed under `articles`"]
    no_list = write(tmp_path, dateline_fact(), header=HEADER.replace("articles:\n  - file: a.txt\n", ""),
                    name="no-list.yaml")
    assert problems(no_list) == [f"{no_list}:11: dateline: list 'a.txt' under `articles` with its `as_of`: a date "
                                 "line proves the article's date"]


def test_only_a_dated_fact_may_cite_a_date_line(tmp_path):
    path = write(tmp_path, dateline_fact("cast", actor="Ada Quill"), header=DATED_HEADER)
    assert problems(path) == [f"{path}:13: dateline: a cast fact has no date for an article's date line to prove: "
                              "cite a sentence instead"]


def test_a_citation_gives_a_sentence_or_a_date_line_not_both(tmp_path):
    both = dateline_fact().replace("dateline: true", "dateline: true\n        sentence: Harbour Street premiered.")
    path = write(tmp_path, both, header=DATED_HEADER)
    assert problems(path) == [f"{path}:13: facts[0].sources[0]: give either `sentence` (a whole sentence of the "
                              "article) or `dateline: true`"]
