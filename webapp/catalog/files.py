"""Packs in and out: upload a facts file or a pack to play it, download a pack in every export format.

A play-only pack (webapp.models.Pack.answers_public False) downloads for the admin alone.

An upload is checked exactly as ``quizgen validate`` checks a file, and its problems are shown as
the command line prints them (``file:line: message``, under the file's own name). A valid facts
file is turned into a pack by the generator; a valid pack is stored as it is.
"""

from __future__ import annotations

import io
import tempfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from flask import current_app, flash, redirect, render_template, send_file, url_for
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from werkzeug.datastructures import FileStorage
from werkzeug.exceptions import RequestEntityTooLarge

from webapp.admin.views import is_admin, may_upload, visible_pack_file
from webapp.catalog import bp
from webapp.catalog.store import add_new_pack
from webapp.exceptions import NotFound, PackExists
from webapp.extensions import limiter
from webapp.packs import Pack
from webapp.solo.store import now_ms

UPLOAD_SUFFIXES = ("yaml", "yml", "json")
NAME_MAX = 120


@dataclass(frozen=True, slots=True)
class DownloadFormat:
    """A format a pack downloads in: file name ending and media type."""

    extension: str
    media_type: str


def _download_formats() -> dict[str, DownloadFormat]:
    from quizgen import EXPORT_FORMATS

    formats = {"json": DownloadFormat(".json", "application/json")}
    formats.update((name, DownloadFormat(spec.extension, spec.media_type)) for name, spec in EXPORT_FORMATS.items())
    return formats


DOWNLOAD_FORMATS = _download_formats()  # "json" (the native pack) first, then every export format
FORMAT_LABELS = {"json": "Pack (JSON)", "opentdb": "Open Trivia DB (JSON)", "gift": "Moodle GIFT", "csv": "CSV",
                 "kahoot": "Kahoot (.xlsx)"}


@bp.app_template_global()
def download_formats() -> list[tuple[str, str]]:
    """Each download format with its label, for the ``download_links`` macro."""
    return [(fmt, FORMAT_LABELS.get(fmt, fmt)) for fmt in DOWNLOAD_FORMATS]


def export_pack(pack: Pack, fmt: str) -> bytes:
    """A pack written in download format ``fmt`` (UTF-8 for the text formats)."""
    from quizgen import EXPORT_FORMATS, dumps_pack, export_questions

    if fmt == "json":
        return dumps_pack(pack).encode("utf-8")
    if EXPORT_FORMATS[fmt].binary:
        out = io.BytesIO()
        export_questions(pack.questions, fmt, out)
        return out.getvalue()
    text = io.StringIO(newline="")
    export_questions(pack.questions, fmt, text)
    return text.getvalue().encode("utf-8")


def download_name(pack_id: str, fmt: str) -> str:
    """The file name a download is saved under, e.g. ``tiny-pretty-things.gift.txt``."""
    return pack_id + DOWNLOAD_FORMATS[fmt].extension


# --- checking an upload ------------------------------------------------------------------------------

@dataclass
class UploadCheck:
    """What checking an uploaded file found: the lines ``quizgen validate`` prints, and the pack when valid."""

    name: str
    kind: str  # "facts" or "pack"
    problems: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    pack: Pack | None = None


def display_name(filename: str | None, fallback: str = "upload") -> str:
    """The name a browser gave a file, without any folders or control characters."""
    name = PurePosixPath((filename or "").replace("\\", "/")).name
    name = "".join(ch for ch in name if ch.isprintable()).strip()
    return name[-NAME_MAX:] or fallback


def check_upload(storage: FileStorage) -> UploadCheck:
    """Check an uploaded facts file (.yaml) or pack (.json) as the command line would, and build its pack."""
    import quizgen

    name = display_name(storage.filename)
    suffix = Path(name).suffix.lower()
    with tempfile.TemporaryDirectory(prefix="quizgen-upload-") as folder:
        # A fixed name on disk; the messages are given the user's name back below.
        path = Path(folder) / f"upload{suffix}"
        storage.save(path)
        result = quizgen.check_file(path)

        def as_shown(line: object) -> str:
            return str(line).replace(str(path), name)

        check = UploadCheck(name=name, kind=result.kind, problems=[as_shown(p) for p in result.problems],
                            conflicts=[as_shown(c) for c in result.conflicts], pack=result.pack)
        if not check.problems and check.kind == "facts":  # checked once: build from what the check loaded
            check.pack = quizgen.pack_from_shows([result.facts.facts])
    if check.pack is not None and not check.pack.questions:
        check.problems.append(f"{name}: no questions could be made from this file")
        check.pack = None
    return check


class UploadForm(FlaskForm):
    """One file: a facts file or a question pack."""

    file = FileField("Facts file (.yaml) or question pack (.json)", validators=[
        FileRequired("Choose a file to upload."),
        FileAllowed(UPLOAD_SUFFIXES, "Upload a facts file (.yaml, .yml) or a question pack (.json)."),
    ])


def _limit_text() -> str:
    limit = current_app.config.get("MAX_CONTENT_LENGTH")
    if not limit:
        return "any size"
    return f"{limit / 2**20:.3g} MB" if limit >= 2**20 else f"{limit / 2**10:.3g} KB"


def _upload_page(form: UploadForm, check: UploadCheck | None = None, status: int = 200, message: str | None = None,
                 stored: str | None = None):
    return render_template("catalog/upload.html", form=form, check=check, message=message, stored=stored,
                           limit=_limit_text()), status


# --- routes ----------------------------------------------------------------------------------------------

def _uploads_closed():
    flash("On this quiz, packs are added by its admin: sign in to upload.", "error")
    return redirect(url_for("admin.login", next=url_for("catalog.upload_form")), code=303)


@bp.get("/upload")
def upload_form():
    """The upload form."""
    if not may_upload():
        return _uploads_closed()
    return _upload_page(UploadForm())


@bp.post("/upload")
@limiter.limit(lambda: current_app.config["UPLOAD_RATE_LIMIT"])
def upload():
    """Check an uploaded file; store its pack when valid, or show every problem."""
    if not may_upload():
        return _uploads_closed()
    form = UploadForm()
    if not form.validate_on_submit():
        return _upload_page(form, status=400)
    check = check_upload(form.file.data)
    if check.problems:
        return _upload_page(form, check, status=422)
    assert check.pack is not None
    try:
        add_new_pack(check.pack, now_ms=now_ms(), added_by="admin" if is_admin() else "visitor")
    except PackExists:
        # The site's uploads never overwrite a pack someone may be playing, even one uploaded a moment ago.
        check.problems.append(f"{check.name}: a pack with id {check.pack.id!r} already exists; give yours another "
                              f"id (`show.id` in a facts file, `id` in a pack), or replace it with `quizgen import`")
        return _upload_page(form, check, status=422)
    n = len(check.pack.questions)
    stored = (f"Added the pack “{check.pack.title}” "
              f"({n} question{'' if n == 1 else 's'}) from {check.name}.")
    if check.conflicts:  # the lines `quizgen validate` prints for a valid file: show them, not just a count
        return _upload_page(UploadForm(formdata=None), check, stored=stored)
    flash(stored, "success")
    return redirect(url_for("catalog.pack", pack_id=check.pack.id), code=303)


@bp.errorhandler(RequestEntityTooLarge)
def upload_too_large(_exc: RequestEntityTooLarge):
    """A file over the size limit: the form again, saying so (the request body is never read)."""
    return _upload_page(UploadForm(formdata=None), status=413,
                        message=f"That file is too large: uploads may be at most {_limit_text()}.")


@bp.get("/packs/<pack_id:pack_id>/download/<fmt>")
@limiter.limit(lambda: current_app.config["DOWNLOAD_RATE_LIMIT"])
def download(pack_id: str, fmt: str):
    """A stored pack as a file: the native pack JSON or any export format (a play-only pack: the admin only)."""
    if fmt not in DOWNLOAD_FORMATS:
        raise NotFound("There is no such download format.")
    pack, public = visible_pack_file(pack_id)
    response = send_file(io.BytesIO(export_pack(pack, fmt)), mimetype=DOWNLOAD_FORMATS[fmt].media_type,
                         as_attachment=True, download_name=download_name(pack.id, fmt), max_age=0)
    if not public:  # the admin's copy of a play-only pack: no shared cache may keep it
        response.headers["Cache-Control"] = "private, no-store"
    return response
