"""The exceptions the web game raises.

    WebappError                  root: catch this to catch everything below; carries an HTTP status
    ├── ConfigurationError       the environment asks for something unsafe or impossible (not HTTP)
    ├── NotFound (404)           a pack or game that does not exist, or is not this player's
    │   └── PackNotFound         no pack has that id
    ├── AnswersKept (403)        a play-only pack's answers were asked for by someone but the admin
    │   └── PackInPlay           a quiz night that has not ended draws from the pack
    ├── PackExists (409)         a new pack's id is taken (another upload may have just won it)
    └── GameRuleError (409)      a move the game does not allow now
        ├── AlreadyAnswered      the question was answered already (no second score)
        ├── ShorterGame          fewer questions than asked for, and the player has not agreed yet
        └── GameNotFinished      results asked for before the last answer

The errors blueprint alone turns them into HTTP answers (HTML or JSON).
"""

from __future__ import annotations


class WebappError(Exception):
    """Root of every error raised by the web game."""

    status = 500
    public_message = "Something went wrong on our side."

    def __init__(self, message: str | None = None) -> None:
        self.message = message or self.public_message
        super().__init__(self.message)


class ConfigurationError(WebappError):
    """The configuration read from the environment is unsafe or unusable."""


class NotFound(WebappError):
    """A pack or game that does not exist (or is not yours, which we do not reveal)."""

    status = 404
    public_message = "We could not find that."


class PackNotFound(NotFound):
    """No pack has the id asked for."""

    public_message = "There is no such pack."


class AnswersKept(WebappError):
    """A play-only pack's file (its answers) was asked for by someone who is not the admin."""

    status = 403
    public_message = ("This pack is play-only: it feeds the leaderboards, so its answers stay on the server and "
                      "show one at a time, as each question is answered.")


class PackInPlay(AnswersKept):
    """A pack's file was asked for while a quiz night that draws from it has not ended."""

    public_message = ("A quiz night is being played with this pack: it can be downloaded again when the night "
                      "is over.")


class PackExists(WebappError):
    """A new pack's id is already a stored pack's: an upload never replaces one."""

    status = 409
    public_message = "A pack with this id already exists."


class GameRuleError(WebappError):
    """A move the rules of the game do not allow at this point."""

    status = 409
    public_message = "That move is not allowed now."


class AlreadyAnswered(GameRuleError):
    """The question has been answered already; a second answer never scores."""

    public_message = "You already answered this question."


class ShorterGame(GameRuleError):
    """The pack cannot give a game as long as asked (at this difficulty, without questions giving
    each other away); nothing was started, so the player can choose."""

    def __init__(self, available: int, asked: int) -> None:
        self.available, self.asked = available, asked
        super().__init__(f"This pack can ask only {available} question{'' if available == 1 else 's'} at this "
                         f"difficulty without two of them giving each other away, not {asked}.")


class GameNotFinished(GameRuleError):
    """Results or a leaderboard entry were asked for before the game ended."""

    public_message = "This game is not finished yet."
