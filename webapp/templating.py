"""Jinja filters and globals shared by every blueprint's templates."""

from __future__ import annotations

from datetime import datetime, timezone

from flask import Flask


def format_duration(ms: int | None) -> str:
    """Milliseconds as a short human duration: ``8.4 s``, ``2 min 05 s``."""
    if ms is None:
        return "–"
    seconds = max(0, int(ms)) / 1000
    if seconds < 60:
        return f"{seconds:.1f} s"
    minutes, secs = divmod(int(round(seconds)), 60)
    return f"{minutes} min {secs:02d} s"


def format_points(points: int | None) -> str:
    """A score with thin thousands separators: ``12 350``."""
    return "–" if points is None else f"{int(points):,}".replace(",", "\u202f")


def format_date(epoch_ms: int) -> str:
    """Epoch milliseconds as a UTC day: ``6 December 2026``."""
    day = datetime.fromtimestamp(epoch_ms / 1000, tz=timezone.utc)
    return f"{day.day} {day:%B %Y}"


def init_templating(app: Flask) -> None:
    """Register the filters on ``app``."""
    app.jinja_env.filters["date"] = format_date
    app.jinja_env.filters["duration"] = format_duration
    app.jinja_env.filters["points"] = format_points
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
