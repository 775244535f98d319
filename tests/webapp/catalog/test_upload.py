"""Packs in and out (the catalog blueprint, webapp.catalog.files): uploads checked as ``quizgen validate`` checks them, downloads."""

from __future__ import annotations

import csv
import html
import io
import json
import re
from pathlib import Path

import pytest

import quizgen
from quizgen._export import CSV_HEADER, KAHOOT_HEADER_ROW, gift_escape, gift_name
from webapp.catalog.files import DOWNLOAD_FORMATS, display_name

REPO = Path(__file__).resolve().parents[3]
FACTS = REPO / "questions" / "tiny-pretty-things.yaml"
PACK = REPO / "questions" / "packs" / "tiny-pretty-things.json"
PROBLEMS = re.compile(r'<pre class="problems">\n(.*?)</pre>', re.S)


def upload(client, name: str, content: bytes | str, **data):
    if isinstance(content, str):
        content = content.encode("utf-8")
    return client.post("/upload", data={"file": (io.BytesIO(content), name), **data},
                       content_type="multipart/form-data")


def shown_lines(response) -> list[str]:
    found = PROBLEMS.search(response.get_data(as_text=True))
    assert found, "no problems block on the page"
    return html.unescape(found.group(1)).splitlines()


def cli_lines(tmp_path: Path, monkeypatch, name: str, content: bytes | str) -> list[str]:
    """What ``quizgen validate <name>`` prints for this file, run in the folder that holds it."""
    (tmp_path / name).write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    monkeypatch.chdir(tmp_path)
    result = quizgen.check_file(name)
    return [str(p) for p in result.problems] + [str(c) for c in result.conflicts]


def canonical(path: Path) -> bytes:
    """The pack file as quizgen writes it (the shipped file may predate a field the writer adds)."""
    return quizgen.dumps_pack(quizgen.load_pack(path)).encode("utf-8")


def api_pack_ids(client) -> list[str]:
    return [p["id"] for p in client.get("/api/packs").get_json()["packs"]]


def stored_file(app, pack_id: str) -> str:
    """A stored pack's file as the admin downloads it (an uploaded pack is play-only)."""
    from webapp.admin.views import ADMIN_KEY

    admin = app.test_client()
    with admin.session_transaction() as session:
        session[ADMIN_KEY] = app.config["CLOCK"]()
    response = admin.get(f"/api/packs/{pack_id}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


# --- uploads -------------------------------------------------------------------------------------------

def test_upload_page_has_a_file_form(client):
    page = client.get("/upload").get_data(as_text=True)
    assert 'enctype="multipart/form-data"' in page and 'type="file"' in page
    assert 'accept=".yaml,.yml,.json"' in page
    assert "4 MB" in page


def test_valid_facts_file_becomes_a_playable_pack(app, client, tmp_path, monkeypatch):
    assert api_pack_ids(client) == []
    response = upload(client, "tiny-pretty-things.yaml", FACTS.read_bytes())
    assert response.status_code == 200  # the file records two conflicts: the page shows their lines
    page = response.get_data(as_text=True)
    assert "Added the pack “Tiny Pretty Things”" in page and "from tiny-pretty-things.yaml" in page
    assert 'href="/packs/tiny-pretty-things"' in page
    found = re.search(r'<pre class="conflicts">\n(.*?)</pre>', page, re.S)
    expected = cli_lines(tmp_path, monkeypatch, "tiny-pretty-things.yaml", FACTS.read_bytes())
    assert len(expected) == 2 and all(": conflict: " in line for line in expected)
    assert html.unescape(found.group(1)).splitlines() == expected
    assert api_pack_ids(client) == ["tiny-pretty-things"]
    assert client.get("/api/packs/tiny-pretty-things").status_code == 403  # play-only: the uploader plays it too
    assert quizgen.loads_pack(stored_file(app, "tiny-pretty-things")) == quizgen.build_pack([FACTS])
    assert client.post("/packs/tiny-pretty-things/games", data={"length": "5", "difficulty": "mixed"}
                       ).status_code == 303


def test_valid_facts_file_without_conflicts_goes_to_its_pack(client):
    import yaml

    facts = yaml.safe_load(FACTS.read_text(encoding="utf-8"))
    for fact in facts["facts"]:
        fact.pop("disputed", None)
    response = upload(client, "clean.yml", yaml.safe_dump(facts, allow_unicode=True))
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/packs/tiny-pretty-things")
    assert "Added the pack “Tiny Pretty Things”" in client.get(response.headers["Location"]).get_data(as_text=True)


def test_valid_pack_is_stored_as_it_is(app, client):
    response = upload(client, "my pack.json", PACK.read_bytes())
    assert response.status_code == 303
    assert stored_file(app, "tiny-pretty-things").encode("utf-8") == canonical(PACK)



def test_an_upload_never_overwrites_an_existing_pack(client):
    assert upload(client, "my pack.json", PACK.read_bytes()).status_code == 303
    before = client.get("/api/packs/tiny-pretty-things").data
    altered = PACK.read_text(encoding="utf-8").replace('"title": "Tiny Pretty Things"', '"title": "Defaced"', 1)
    again = upload(client, "evil.json", altered.encode())
    assert again.status_code == 422
    assert "evil.json: a pack with id 'tiny-pretty-things' already exists" in html.unescape(again.get_data(as_text=True))
    assert client.get("/api/packs/tiny-pretty-things").data == before


def _broken_facts() -> str:
    text = FACTS.read_text(encoding="utf-8").replace("year: 2020", "year: twenty")
    return text.replace("actor: Brennan Clost", 'actor: ""', 1)


def _broken_pack() -> str:
    data = json.loads(PACK.read_text(encoding="utf-8"))
    data["questions"][3]["answer"] = 7
    data["questions"][5]["stem"] = ""
    return json.dumps(data, indent=1, ensure_ascii=False)


@pytest.mark.parametrize("name, content", [
    ("broken facts.yaml", _broken_facts()),
    ("broken.yml", "format: 1\nshow: [\n"),
    ("empty.yaml", ""),
    ("latin1.yaml", "format: 1\nshow:\n  title: Caf\xe9\n".encode("latin-1")),
    ("broken-pack.json", _broken_pack()),
    ("truncated.json", PACK.read_text(encoding="utf-8")[:5000]),
    ("list.json", "[1, 2]"),
    ("<b>odd<b> name.JSON", '{"format": 2}'),
])
def test_broken_file_shows_exactly_the_cli_lines(client, tmp_path, monkeypatch, name, content):
    response = upload(client, name, content)
    assert response.status_code == 422
    expected = cli_lines(tmp_path, monkeypatch, name, content)
    assert expected and all(line.startswith(name + ":") for line in expected)
    assert shown_lines(response) == expected
    assert "<b>odd" not in response.get_data(as_text=True)  # the file name is text, never markup
    assert api_pack_ids(client) == []


BAD_INPUTS = sorted(p for p in (REPO / "tests" / "quizgen" / "bad_inputs").iterdir()
                    if p.suffix in (".yaml", ".json"))


@pytest.mark.parametrize("path", BAD_INPUTS, ids=lambda p: p.name)
def test_bad_input_corpus_shows_the_cli_lines(client, tmp_path, monkeypatch, path):
    content = path.read_bytes()
    expected = cli_lines(tmp_path, monkeypatch, path.name, content)  # the file alone, as uploaded
    response = upload(client, path.name, content)
    if any(": conflict: " not in line for line in expected):
        assert response.status_code == 422
        assert shown_lines(response) == expected
    else:  # valid without its articles to compare quotes with (uploads bring none)
        assert response.status_code in (200, 303)


def test_broken_facts_file_lines_are_located(client):
    assert shown_lines(upload(client, "broken facts.yaml", _broken_facts())) == [
        "broken facts.yaml:28: show.year: Input should be a valid integer",
        "broken facts.yaml:47: facts[0].actor: String should have at least 1 character",
    ]


def test_file_name_loses_its_folders():
    assert display_name("C:\\Users\\me\\facts.yaml") == "facts.yaml"
    assert display_name("../../etc/x.json") == "x.json"
    assert display_name("a\x00b\n.yaml") == "ab.yaml"
    assert display_name("") == "upload"


@pytest.mark.parametrize("name", ["facts.txt", "pack.xlsx", "noextension"])
def test_other_file_types_are_refused(client, name):
    response = upload(client, name, "format: 1\n")
    assert response.status_code == 400
    assert "Upload a facts file (.yaml, .yml) or a question pack (.json)." in response.get_data(as_text=True)


def test_missing_file_is_refused(client):
    response = client.post("/upload", data={}, content_type="multipart/form-data")
    assert response.status_code == 400
    assert "Choose a file to upload." in response.get_data(as_text=True)


@pytest.mark.parametrize("size", [300 * 1024, 4 * 1024 * 1024 - 4096])
def test_a_file_under_the_stated_limit_is_accepted(client, size):
    # many short lines, as a facts file has: the form parser must not hold them against a text field's limit
    facts = FACTS.read_bytes()
    padding = b"# a comment line of the kind a long facts file has\n"
    content = facts + padding * ((size - len(facts)) // len(padding))
    assert size - len(padding) < len(content) <= size
    response = upload(client, "tiny-pretty-things.yaml", content)
    assert response.status_code == 200, response.status_code
    assert "Added the pack “Tiny Pretty Things”" in response.get_data(as_text=True)


@pytest.mark.app_config(MAX_CONTENT_LENGTH=2048)
def test_too_large_upload_is_413_with_the_form(client):
    response = upload(client, "big.json", " " * 4096)
    assert response.status_code == 413
    page = response.get_data(as_text=True)
    assert "too large" in page and 'type="file"' in page
    assert api_pack_ids(client) == []


@pytest.mark.app_config(MAX_CONTENT_LENGTH=2 * 1024 * 1024, WTF_CSRF_ENABLED=True)
def test_too_large_upload_with_csrf_on_is_413_with_the_form(client):
    response = upload(client, "big.yaml", b"x" * (2 * 1024 * 1024 + 1))
    assert response.status_code == 413
    assert "uploads may be at most 2 MB" in response.get_data(as_text=True)


@pytest.mark.app_config(WTF_CSRF_ENABLED=True)
def test_upload_needs_the_csrf_token(client):
    refused = upload(client, "my pack.json", PACK.read_bytes())
    assert refused.status_code == 400
    assert api_pack_ids(client) == []
    form = client.get("/upload").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form).group(1)
    accepted = upload(client, "my pack.json", PACK.read_bytes(), csrf_token=token)
    assert accepted.status_code == 303
    assert api_pack_ids(client) == ["tiny-pretty-things"]


# --- downloads ---------------------------------------------------------------------------------------------

def download(client, pack_id: str, fmt: str, extension: str, media_type: str):
    response = client.get(f"/packs/{pack_id}/download/{fmt}")
    assert response.status_code == 200
    assert response.mimetype == media_type
    assert response.headers["Content-Disposition"] == f"attachment; filename={pack_id}{extension}"
    return response.data


def test_every_format_is_offered():
    assert list(DOWNLOAD_FORMATS) == ["json", *quizgen.EXPORT_FORMATS]


@pytest.mark.public_answers
def test_json_download_loads_back(client, pack):
    data = download(client, pack.id, "json", ".json", "application/json")
    assert quizgen.loads_pack(data.decode("utf-8")) == pack
    assert data == quizgen.dumps_pack(pack).encode("utf-8")
    assert "private" not in client.get(f"/packs/{pack.id}/download/json").headers.get("Cache-Control", "")


@pytest.mark.public_answers
def test_opentdb_download_is_json(client, pack):
    body = json.loads(download(client, pack.id, "opentdb", ".opentdb.json", "application/json"))
    assert body["response_code"] == 0
    assert [html.unescape(r["question"]) for r in body["results"]] == [q.stem for q in pack.questions]


@pytest.mark.public_answers
def test_csv_download_parses(client, pack):
    data = download(client, pack.id, "csv", ".csv", "text/csv")
    assert data.startswith(b"\xef\xbb\xbf")  # a byte-order mark: Excel then reads the file as UTF-8
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert tuple(rows[0]) == CSV_HEADER
    assert [row[0] for row in rows[1:]] == [q.id for q in pack.questions]


@pytest.mark.public_answers
def test_kahoot_download_is_a_spreadsheet(client, pack):
    from openpyxl import load_workbook

    data = download(client, pack.id, "kahoot", ".xlsx",
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    sheet = load_workbook(io.BytesIO(data)).active
    stems = [row[1] for row in sheet.iter_rows(min_row=KAHOOT_HEADER_ROW + 1, values_only=True)]
    assert stems == [q.stem for q in pack.questions]


@pytest.mark.public_answers
def test_gift_download_is_gift_text(client, pack):
    text = download(client, pack.id, "gift", ".gift.txt", "text/plain").decode("utf-8")
    assert text.count("{") == len(pack.questions) and text.count("}") == len(pack.questions)
    assert all(f"— id {q.id}\n::{gift_escape(gift_name(q))}:: [plain] " in text for q in pack.questions)
    assert text.count("\n####") == len(pack.questions)


@pytest.mark.public_answers
def test_real_pack_downloads(client, save):
    pack = quizgen.load_pack(PACK)
    save(pack)
    assert client.get(f"/packs/{pack.id}/download/json").data == canonical(PACK)
    for fmt in DOWNLOAD_FORMATS:
        assert client.get(f"/packs/{pack.id}/download/{fmt}").status_code == 200


@pytest.mark.parametrize("path", ["/packs/no-such-pack/download/json", "/packs/tiny-pretty-things/download/pdf",
                                  "/packs/%00/download/csv"])
def test_unknown_downloads_are_404(client, pack, path):
    assert client.get(path).status_code == 404


@pytest.mark.public_answers
def test_pack_page_links_every_download(client, pack):
    page = client.get(f"/packs/{pack.id}").get_data(as_text=True)
    for fmt in DOWNLOAD_FORMATS:
        assert f'href="/packs/{pack.id}/download/{fmt}"' in page
    assert 'href="/upload"' in page  # the site navigation


def test_a_play_only_pack_downloads_for_the_admin_only_and_its_page_says_so(client, pack, make_admin):
    page = client.get(f"/packs/{pack.id}").get_data(as_text=True)
    assert "/download/" not in page and "This pack is play-only" in page
    for fmt in DOWNLOAD_FORMATS:
        refused = client.get(f"/packs/{pack.id}/download/{fmt}")
        assert refused.status_code == 403 and "play-only" in refused.get_data(as_text=True)
    make_admin(client)
    page = client.get(f"/packs/{pack.id}").get_data(as_text=True)
    assert f'href="/packs/{pack.id}/download/json"' in page and "Only you can download" in page
    assert download(client, pack.id, "json", ".json", "application/json") == quizgen.dumps_pack(pack).encode("utf-8")
    assert client.get(f"/packs/{pack.id}/download/csv").headers["Cache-Control"] == "private, no-store"


def test_racing_uploads_of_one_new_pack_store_it_once_and_tell_the_others(app, client):
    import threading

    content = PACK.read_bytes()
    start = threading.Barrier(12)
    statuses: list[int] = []
    pages: list[str] = []

    def racer():
        own = app.test_client()
        start.wait()
        response = upload(own, "tiny-pretty-things.json", content)
        statuses.append(response.status_code)
        pages.append(response.get_data(as_text=True))

    threads = [threading.Thread(target=racer) for _ in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [303] + [422] * 11, statuses
    assert sum("already exists" in page for page in pages) == 11
    assert api_pack_ids(client) == ["tiny-pretty-things"]
    stored = quizgen.loads_pack(stored_file(app, "tiny-pretty-things"))
    assert len(stored.questions) == len(quizgen.load_pack(PACK).questions)
