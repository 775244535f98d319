"""How a validation error is told to a user: the field as ``facts[3].actor`` and a plain message.

Shared by the facts loader and the pack checker, so a facts file and a pack word the same
mistake the same way, and cap the problems of a file the same way.
"""

from __future__ import annotations

from typing import Any

from ._errors import InputError

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


MAX_PROBLEMS = 20  # a file broken everywhere is told in a screenful, not in a million lines


class ProblemList:
    """The problems found in one file: the first :data:`MAX_PROBLEMS` in full, the others only counted."""

    def __init__(self, path: str, error: type[InputError]) -> None:
        self.path = path
        self.error = error
        self.shown: list[InputError] = []
        self.more = 0
        self._more_line: int | None = None

    def add(self, message: str, line: int | None = None, field: str | None = None) -> None:
        """Record one problem of this file."""
        if len(self.shown) < MAX_PROBLEMS:
            self.shown.append(self.error(message, path=self.path, line=line, field=field))
        else:
            self._count(line)

    def add_error(self, problem: InputError) -> None:
        """Record a problem already made (it may name another file, such as an article)."""
        if len(self.shown) < MAX_PROBLEMS:
            self.shown.append(problem)
        else:
            self._count(problem.line)

    def _count(self, line: int | None) -> None:
        if not self.more:
            self._more_line = line
        self.more += 1

    @property
    def full(self) -> bool:
        """Whether further problems are only counted."""
        return len(self.shown) >= MAX_PROBLEMS

    def __bool__(self) -> bool:
        return bool(self.shown)

    def result(self, not_checked: str | None = None, line: int | None = None) -> list[InputError]:
        """The problems to report, and a last line saying how many more there are and what was not checked.

        ``not_checked`` names what checking stopped before (``"9,980 more questions"``), at ``line``.
        """
        told = []
        if self.more:
            told.append(f"and {self.more:,} more problem{'s' if self.more > 1 else ''}")
        if not_checked:
            told.append(f"{not_checked} not checked (checking stops after {MAX_PROBLEMS} problems)")
        if not told:
            return list(self.shown)
        return [*self.shown, self.error("… " + "; ".join(told), path=self.path, line=self._more_line or line)]
