"""Writers that turn questions into the files other quiz tools import.

    opentdb   Open Trivia DB API JSON (HTML-entity, RFC 3986 or base64 encoded)
    gift      Moodle GIFT text
    csv       one row per question, for spreadsheets and scripts (a cell that a spreadsheet
              would run as a formula, or that starts with "'", gets a leading "'")
    kahoot    the Kahoot quiz spreadsheet (.xlsx)

Every writer takes an iterable of :class:`Question` and streams it where the
format allows. The native pack JSON is written by ``_pack.write_pack_stream``.
"""

from __future__ import annotations

import base64
import codecs
import csv
import datetime
import io
import json
import re
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from html import unescape
from html.entities import codepoint2name
from typing import IO
from urllib.parse import quote

from ._errors import ExportError
from ._pack import TIME_LIMITS, Question


@dataclass(frozen=True, slots=True)
class Skipped:
    """A question an export had to leave out, and why (one sentence)."""

    question_id: str
    reason: str


# --------------------------------------------------------------------------- OpenTDB

OPENTDB_CATEGORY = "Entertainment: Television"  # OpenTDB category 14
OPENTDB_ENCODINGS = ("default", "url3986", "base64")

# The original API runs PHP's htmlspecialchars(ENT_QUOTES) + htmlentities, hence
# &#039; rather than the &#x27; that html.escape would give.
_HTML_SPECIAL = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#039;"}
_ASCII_TABLE = str.maketrans(_HTML_SPECIAL)


@lru_cache(maxsize=4096)
def _char_entity(ch: str) -> str:
    name = codepoint2name.get(ord(ch))
    entity = f"&{name};" if name else f"&#{ord(ch)};"
    # HTML5 decoders map some references elsewhere (&#128; is a euro sign, a
    # noncharacter decodes to nothing): such characters stay as they are, so that
    # unescaping always gives back the original text.
    return entity if unescape(entity) == ch else ch


def opentdb_escape(text: str) -> str:
    """HTML-entity encode text the way Open Trivia DB does (``&quot;``, ``&#039;``, ``&eacute;``)."""
    text = text.translate(_ASCII_TABLE)
    if text.isascii():
        return text
    return "".join(ch if ch < "\x80" else _char_entity(ch) for ch in text)


def _url3986(text: str) -> str:
    return quote(text, safe="")


def _base64(text: str) -> str:
    return base64.b64encode(text.encode("utf-8")).decode("ascii")


_OPENTDB_ENCODERS: dict[str, Callable[[str], str]] = {
    "default": opentdb_escape, "url3986": _url3986, "base64": _base64,
}


def opentdb_result(q: Question, encode: str = "default") -> dict:
    """One question as an Open Trivia DB ``results`` entry, every string encoded as ``encode`` asks."""
    try:
        enc = _OPENTDB_ENCODERS[encode]
    except KeyError:
        raise ExportError(f"unknown OpenTDB encoding {encode!r}: use one of "
                          f"{', '.join(OPENTDB_ENCODINGS)}") from None
    return {
        "category": enc(OPENTDB_CATEGORY), "type": enc("multiple"), "difficulty": enc(q.difficulty),
        "question": enc(q.stem), "correct_answer": enc(q.correct),
        "incorrect_answers": [enc(o) for o in q.wrong],
    }


def write_opentdb(questions: Iterable[Question], fh: IO[str]) -> None:
    """Write questions as an Open Trivia DB API response (HTML-entity encoded, pure ASCII JSON)."""
    fh.write('{"response_code": 0, "results": [')
    sep = "\n"
    for q in questions:
        fh.write(sep + json.dumps(opentdb_result(q)))
        sep = ",\n"
    fh.write("\n]}\n")


# --------------------------------------------------------------------------- GIFT

# Backslash first, so the backslashes added for the others are not doubled.
_GIFT_ESCAPES = [("\\", "\\\\"), ("~", "\\~"), ("=", "\\="), ("#", "\\#"), ("{", "\\{"), ("}", "\\}"),
                 (":", "\\:")]
_LINE_BREAK = re.compile(r"\r\n?|\n")


def gift_escape(text: str) -> str:
    """Escape text for GIFT: ``~ = # { } :`` and backslash get a backslash, a line break becomes ``\\n``.

    A GIFT question must sit on lines with no blank line between them, so line
    breaks are written as ``\\n``; ``\\r\\n`` and a lone ``\\r`` come back as ``\\n``.
    """
    for raw, escaped in _GIFT_ESCAPES:
        text = text.replace(raw, escaped)
    return _LINE_BREAK.sub(r"\\n", text)


def _one_line(text: str) -> str:
    return " ".join(text.splitlines())


def _check_utf8(fh: IO[str], what: str) -> None:
    encoding = getattr(fh, "encoding", None)
    # Moodle rejects anything but UTF-8; failing now beats a half-written file or mojibake.
    if isinstance(encoding, str) and not codecs.lookup(encoding).name.startswith("utf-8"):
        raise ExportError(f"{what} files must be UTF-8, but the output is opened as {encoding}: "
                          f"open it with encoding='utf-8' (for standard output, set PYTHONIOENCODING=utf-8)")


GIFT_NAME_MAX = 100  # characters of a question's name in Moodle's question bank


def gift_name(q: Question) -> str:
    """The question's name in a Moodle question bank: its category and its question, cut to fit a list."""
    name = f"{_one_line(q.category)}: {_one_line(q.stem)}"
    return name if len(name) <= GIFT_NAME_MAX else name[:GIFT_NAME_MAX - 1].rstrip() + "…"


def gift_question(q: Question) -> str:
    """One question as a GIFT block (comment, name, stem, options, general feedback; no trailing blank line).

    The explanation is the general feedback (``####``), which Moodle shows after any answer, right or wrong.
    """
    # [plain] makes Moodle show the text as written: its default format would
    # render "<b>" as bold and swallow it. The options inherit the stem's format.
    lines = [f"// {_one_line(q.show)} — {_one_line(q.category)} — {q.difficulty} — id {q.id}",
             f"::{gift_escape(gift_name(q))}:: [plain] {gift_escape(q.stem)} {{"]
    for i, option in enumerate(q.options):
        lines.append(f"{'=' if i == q.answer else '~'}{gift_escape(option)}")
    lines.append(f"####{gift_escape(q.explained())}")
    lines.append("}")
    return "\n".join(lines) + "\n"


def write_gift(questions: Iterable[Question], fh: IO[str]) -> None:
    """Write questions as Moodle GIFT, a blank line between questions; ``fh`` must be UTF-8."""
    _check_utf8(fh, "GIFT")
    sep = ""
    for q in questions:
        fh.write(sep + gift_question(q))
        sep = "\n"


# --------------------------------------------------------------------------- CSV

CSV_HEADER = ("id", "show", "category", "difficulty", "question", "option_1", "option_2", "option_3",
              "option_4", "answer_number", "answer_text", "explanation", "time_limit", "sources")


# What a spreadsheet opening a CSV file runs as a formula when a cell starts with it (OWASP's list),
# and the apostrophe that marks a cell escaped (so that a text starting with one is escaped too)
_ESCAPE_START = ("=", "+", "-", "@", "\t", "\r", "'")
_SIGNED_NUMBER = re.compile(r"[+-][0-9]+(\.[0-9]+)?%?")


def csv_text(text: str) -> str:
    """A text cell as a spreadsheet will show it, not run it: one that would start a formula gets a leading "'".

    So does one that starts with "'" ("'Til Death"), so that a script reading the file removes
    exactly one leading "'" from any cell that has one. A signed number ("-2", "+1.5") is left as
    it is: a spreadsheet reads it as a number, not a formula.
    """
    if text.startswith(_ESCAPE_START) and not _SIGNED_NUMBER.fullmatch(text):
        return "'" + text
    return text


def csv_row(q: Question) -> list:
    """One question as a CSV row in :data:`CSV_HEADER` order (answer number 1-based)."""
    texts = [q.id, q.show, q.category, q.difficulty, q.stem, *q.options]
    return [*map(csv_text, texts), q.answer + 1, csv_text(q.correct), csv_text(q.explanation), q.time_limit,
            csv_text(" | ".join(f"{s.name()}: {s.sentence or 'dated ' + (s.date or '')}" for s in q.sources))]


def write_csv(questions: Iterable[Question], fh: IO[str]) -> None:
    """Write questions as CSV with a header row; open ``fh`` with ``newline=''``.

    The text starts with a byte-order mark: without it Excel reads the file in the machine's own
    encoding and shows curly quotes and accents as mojibake.
    """
    fh.write("\ufeff")
    writer = csv.writer(fh)
    writer.writerow(CSV_HEADER)
    for q in questions:
        writer.writerow(csv_row(q))


# --------------------------------------------------------------------------- Kahoot

KAHOOT_QUESTION_MAX = 120
KAHOOT_ANSWER_MAX = 75
KAHOOT_HEADER_ROW = 8
KAHOOT_HEADER = ("Question - max 120 characters", "Answer 1 - max 75 characters", "Answer 2 - max 75 characters",
                 "Answer 3 - max 75 characters", "Answer 4 - max 75 characters",
                 "Time limit (sec) – 5, 10, 20, 30, 60, 90, 120, or 240 secs",
                 "Correct answer(s) - choose at least one")
KAHOOT_LEFT_OUT_SHEET = "Left out"
# Fixed so that the same questions give the same bytes (for caching and diffing).
_FIXED_TIME = datetime.datetime(2020, 1, 1)
_ZIP_TIME = (2020, 1, 1, 0, 0, 0)
# What an .xlsx (XML 1.0) cannot hold; openpyxl would raise on the control characters.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def kahoot_time_limit(seconds: int) -> int:
    """The shortest Kahoot time limit of at least ``seconds`` (240, the longest, if none is)."""
    return next((t for t in TIME_LIMITS if t >= seconds), TIME_LIMITS[-1])


def _kahoot_problems(q: Question) -> list[str]:
    texts = [("question", q.stem, KAHOOT_QUESTION_MAX)]
    texts += [(f"answer {i}", o, KAHOOT_ANSWER_MAX) for i, o in enumerate(q.options, 1)]
    problems = []
    for what, text, limit in texts:
        if len(text) > limit:
            problems.append(f"{what} is {len(text)} characters; Kahoot allows {limit}")
        if bad := _XML_ILLEGAL.search(text):
            problems.append(f"{what} holds the control character U+{ord(bad.group()):04X}, "
                            f"which a spreadsheet cannot store")
    return problems


def kahoot_skip_reason(q: Question) -> str | None:
    """Why ``q`` cannot go into a Kahoot spreadsheet as it is, or None when it can."""
    problems = _kahoot_problems(q)
    return ", and ".join(problems) if problems else None


def _string_cell(ws, row: int, col: int, value: str) -> None:
    cell = ws.cell(row=row, column=col, value=value)
    # openpyxl turns a string starting with "=" into a formula; an option like
    # "=MC²" must stay text.
    cell.data_type = "s"


def _deterministic_zip(data: bytes) -> bytes:
    """The same archive with every entry stamped with a fixed time."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=_ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.create_system = 3
            fixed.external_attr = 0o600 << 16
            dst.writestr(fixed, src.read(info))
    return out.getvalue()


def _save_workbook(wb) -> bytes:
    # openpyxl's Workbook.save stamps "modified" with the current time; its
    # ExcelWriter keeps the properties we set.
    from openpyxl.writer.excel import ExcelWriter

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        ExcelWriter(wb, archive).write_data()
    return _deterministic_zip(buf.getvalue())


def write_kahoot(questions: Iterable[Question], binary_fh: IO[bytes]) -> list[Skipped]:
    """Write the Kahoot quiz spreadsheet; return the questions left out (too long, never cut short)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    wb.properties.creator = "quizgen"
    wb.properties.lastModifiedBy = "quizgen"
    wb.properties.created = _FIXED_TIME
    wb.properties.modified = _FIXED_TIME
    ws = wb.active
    ws.title = "Kahoot"
    ws["B2"] = "Quiz template"
    ws["B2"].font = Font(bold=True, size=14)
    ws["B3"] = ("Add questions, at least two answer alternatives, a time limit and the correct answer(s). "
                "Upload this file in Kahoot with \"Import spreadsheet\".")
    ws["B4"] = (f"Questions may have {KAHOOT_QUESTION_MAX} characters and answers {KAHOOT_ANSWER_MAX}: quizgen "
                f"leaves out longer questions rather than cut them short.")
    for col, title in enumerate(KAHOOT_HEADER, start=2):
        ws.cell(row=KAHOOT_HEADER_ROW, column=col, value=title).font = Font(bold=True)
    for col, width in zip("ABCDEFGH", (5, 60, 30, 30, 30, 30, 20, 20)):
        ws.column_dimensions[col].width = width

    skipped: list[tuple[Skipped, str]] = []
    row = KAHOOT_HEADER_ROW
    for q in questions:
        reason = kahoot_skip_reason(q)
        if reason:
            skipped.append((Skipped(q.id, reason), q.stem))
            continue
        row += 1
        ws.cell(row=row, column=1, value=row - KAHOOT_HEADER_ROW)
        for col, text in enumerate((q.stem, *q.options), start=2):
            _string_cell(ws, row, col, text)
        ws.cell(row=row, column=7, value=kahoot_time_limit(q.time_limit))
        ws.cell(row=row, column=8, value=q.answer + 1)

    if skipped:
        ws["B5"] = (f"{len(skipped)} question(s) did not fit and were left out: the \"{KAHOOT_LEFT_OUT_SHEET}\" "
                    f"sheet says why.")
        left = wb.create_sheet(KAHOOT_LEFT_OUT_SHEET)
        for col, title in enumerate(("Question id", "Why it was left out", "Question"), start=1):
            left.cell(row=1, column=col, value=title).font = Font(bold=True)
        for r, (skip, stem) in enumerate(skipped, start=2):
            _string_cell(left, r, 1, skip.question_id)
            _string_cell(left, r, 2, skip.reason)
            _string_cell(left, r, 3, _XML_ILLEGAL.sub("\ufffd", stem))
        for col, width in zip("ABC", (20, 60, 80)):
            left.column_dimensions[col].width = width

    binary_fh.write(_save_workbook(wb))
    return [skip for skip, _ in skipped]


# --------------------------------------------------------------------------- registry


@dataclass(frozen=True, slots=True)
class ExportFormat:
    """An export format: its name, file extension, media type and writer."""

    name: str
    extension: str
    media_type: str
    binary: bool
    write: Callable[[Iterable[Question], IO], list[Skipped] | None]


EXPORT_FORMATS: dict[str, ExportFormat] = {
    f.name: f for f in (
        ExportFormat("opentdb", ".opentdb.json", "application/json", False, write_opentdb),
        ExportFormat("gift", ".gift.txt", "text/plain", False, write_gift),
        ExportFormat("csv", ".csv", "text/csv", False, write_csv),
        ExportFormat("kahoot", ".xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", True,
                     write_kahoot),
    )
}


def export_questions(questions: Iterable[Question], fmt: str, fh: IO) -> list[Skipped]:
    """Write questions in format ``fmt`` to ``fh`` (binary when the format is); return those left out."""
    spec = EXPORT_FORMATS.get(fmt)
    if spec is None:
        raise ExportError(f"unknown export format {fmt!r}: choose one of {', '.join(sorted(EXPORT_FORMATS))}")
    return list(spec.write(questions, fh) or [])
