"""The exceptions quizgen raises.

    QuizgenError                 root: catch this to catch everything below
    ├── InputError               a user's file is wrong; carries path, line, field
    │   ├── FactFileError        a facts file (YAML) is malformed or inconsistent
    │   └── PackError            a question pack (JSON) is malformed or inconsistent
    ├── GenerationError          the facts cannot yield what was asked for
    └── ExportError              a pack cannot be written in the requested format

Every message says what is wrong and, where it helps, how to fix it. ``str(err)``
is the one line the command line prints: ``file:line: message``.
"""

from __future__ import annotations


class QuizgenError(Exception):
    """Root of every error raised by quizgen."""


class InputError(QuizgenError):
    """A problem in a file a user gave us, located by path, line and field."""

    def __init__(self, message: str, *, path: str = "<input>", line: int | None = None,
                 field: str | None = None) -> None:
        self.message = message
        self.path = path
        self.line = line
        self.field = field
        super().__init__(self.location() + ": " + self.full_message())

    def location(self) -> str:
        """``path:line`` (or just ``path`` when the line is unknown)."""
        return f"{self.path}:{self.line}" if self.line else self.path

    def full_message(self) -> str:
        """The message, prefixed by the field it concerns."""
        return f"{self.field}: {self.message}" if self.field else self.message


class FactFileError(InputError):
    """A facts file that cannot be read or does not match the facts schema."""


class PackError(InputError):
    """A question pack that cannot be read or does not match the pack schema."""


class GenerationError(QuizgenError):
    """The facts given cannot produce the questions asked for."""


class ExportError(QuizgenError):
    """A pack cannot be written in the requested format."""
