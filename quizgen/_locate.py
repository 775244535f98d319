"""How a validation error is told to a user: the field as ``facts[3].actor`` and a plain message.

Shared by the facts loader and the pack checker, so a facts file and a pack word the same
mistake the same way.
"""

from __future__ import annotations

from typing import Any

Loc = tuple[object, ...]


def loc_text(loc: Loc) -> str:
    """A location as a user reads it: ``facts[3].sources[0].sentence``."""
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


def user_message(err: dict[str, Any]) -> str:
    """A pydantic error's message, without pydantic's jargon."""
    if err["type"] == "missing":
        return "this field is required"
    if err["type"] == "extra_forbidden":
        return "unknown field (check its spelling)"
    return err["msg"].removeprefix("Value error, ").removeprefix("Assertion failed, ")
