"""Every database table of the web game, in one module (schema changes go through ``migrations/``).

Times are integer epoch milliseconds (``*_ms``, UTC), the same on SQLite and PostgreSQL.

    pack ─< question                 the imported packs; a question keeps its full JSON
    pack ─< game ─< game_round       one solo game; each round snapshots its question
    leaderboard_entry                one row per (board, period) a posted score counts for
    leaderboard_count                how many entries each (board, period) has, kept with the entries
    night ─< night_question          a quiz night and the questions drawn for it, in order
    night ─< night_player ─< night_answer   who joined, and one answer per player per question
    night ─< night_joker             the round each team (or player) doubles
    question_stat                    how real players did on each question, across nights
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, ForeignKey, Index, String, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

# Named constraints so Alembic's batch mode (SQLite) can find them again.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

OVERALL_BOARD = "all"
ALL_TIME = "all"


class Pack(SQLModel, table=True):
    """An imported question pack (its questions are rows of :class:`Question`)."""

    __tablename__ = "pack"

    id: str = Field(primary_key=True, max_length=80)
    title: str = Field(max_length=300)
    question_count: int = 0
    meta: str = Field(default="{}", sa_type=Text)  # JSON: shows, seed, generator, format
    imported_ms: int = Field(sa_type=BigInteger)
    added_by: str = Field(default="import", max_length=16)  # "import" (the command line), "admin" or "visitor"
    # whose games rank overall too: a visitor's pack (its author knows the answers) only once approved
    on_overall_board: bool = True
    hidden: bool = False  # by the admin: for nobody else to list, play, download or draw from
    # Play-only (False): the answers leave the server one at a time, as each question is answered, and
    # only the admin downloads the pack; public (True): anyone downloads it, and its games are not ranked.
    answers_public: bool = False


class Question(SQLModel, table=True):
    """One question of a pack: the pack file's JSON plus the columns games and the API filter on."""

    __tablename__ = "question"
    __table_args__ = (
        UniqueConstraint("pack_id", "qid"),
        Index("ix_question_pack_difficulty", "pack_id", "difficulty", "position"),
        Index("ix_question_category_difficulty", "category", "difficulty"),
    )

    pk: int | None = Field(default=None, primary_key=True)
    pack_id: str = Field(sa_column=Column(String(80), ForeignKey("pack.id", ondelete="CASCADE"), nullable=False))
    qid: str = Field(max_length=16)  # the question's own id (16 hex digits)
    position: int  # order in the pack file
    difficulty: str = Field(max_length=10)
    kind: str = Field(max_length=40, index=True)
    category: str = Field(max_length=100)
    show: str = Field(max_length=300)
    data: str = Field(sa_type=Text)  # the question's canonical JSON (quizgen's question_dict)


class Game(SQLModel, table=True):
    """One solo game: who plays it, what was asked for, and the running score."""

    __tablename__ = "game"

    id: str = Field(primary_key=True, max_length=40)  # unguessable (secrets.token_urlsafe)
    player: str = Field(max_length=40, index=True)  # the session's player token; binds the game to it
    pack_id: str = Field(sa_column=Column(String(80), ForeignKey("pack.id", ondelete="CASCADE"), nullable=False))
    difficulty: str = Field(max_length=10)
    length: int
    timed: bool = False
    seed: int = Field(sa_type=BigInteger)
    created_ms: int = Field(sa_type=BigInteger)
    answered: int = 0  # rounds answered so far; the next round to play is at this position
    score: int = 0
    time_ms: int = Field(default=0, sa_type=BigInteger)  # sum of the time taken on each answer
    finished_ms: int | None = Field(default=None, sa_type=BigInteger)
    nickname: str | None = Field(default=None, max_length=80)  # set once, when the score is posted
    answers_public: bool = False  # its pack's answers were public when it started: it is not ranked


class GameRound(SQLModel, table=True):
    """One question of a game, with the option order this game shows and the player's answer."""

    __tablename__ = "game_round"

    game_id: str = Field(sa_column=Column(String(40), ForeignKey("game.id", ondelete="CASCADE"),
                                          primary_key=True))
    position: int = Field(primary_key=True)  # 0-based
    question_id: str = Field(max_length=16)
    question_data: str = Field(sa_type=Text)  # snapshot: a re-imported pack never changes a game
    option_order: str = Field(max_length=8)  # shown option i is pack option int(option_order[i])
    shown_ms: int | None = Field(default=None, sa_type=BigInteger)  # first display starts the clock
    answered_ms: int | None = Field(default=None, sa_type=BigInteger)
    choice: int | None = None  # shown option chosen, 1-4; 0 = none (time ran out)
    correct: bool | None = None
    late: bool = False
    points: int = 0


class LeaderboardEntry(SQLModel, table=True):
    """A posted score as one board (overall or a pack) sees it for one period (all time, a week, a day)."""

    __tablename__ = "leaderboard_entry"
    __table_args__ = (UniqueConstraint("board", "period", "game_id"),)

    id: int | None = Field(default=None, primary_key=True)
    board: str = Field(max_length=120)  # "all" or "pack:<pack id>", then "|" and the settings: "|10-mixed-timed"
    period: str = Field(max_length=16)  # "all", "w2026-W47" (ISO week) or "d2026-11-22" (UTC)
    score: int
    time_ms: int = Field(sa_type=BigInteger)
    nickname: str = Field(max_length=80)
    game_id: str = Field(max_length=40)
    created_ms: int = Field(sa_type=BigInteger)


# The top 10 of a board and period is a scan of this index, in the order the ranking uses.
Index("ix_leaderboard_rank", LeaderboardEntry.__table__.c.board, LeaderboardEntry.__table__.c.period,
      LeaderboardEntry.__table__.c.score.desc(), LeaderboardEntry.__table__.c.time_ms,
      LeaderboardEntry.__table__.c.id)


class LeaderboardCount(SQLModel, table=True):
    """How many entries a board has for one period: read instead of a COUNT over the whole board.

    Written in the same transaction as the entries (``webapp.boards.store.add_leaderboard_entries``); entries are
    never deleted, so it only goes up.
    """

    __tablename__ = "leaderboard_count"

    board: str = Field(primary_key=True, max_length=120)
    period: str = Field(primary_key=True, max_length=16)
    entries: int = 0


# ==== OpenTDB-compatible API (webapp/api/) — session tokens ====================================
# A token remembers which questions (by their own 16-hex id) it has been served, so that /api.php
# never repeats one until the token is reset; tokens idle for six hours are deleted.

class TriviaToken(SQLModel, table=True):
    """An Open Trivia DB session token."""

    __tablename__ = "trivia_token"

    token: str = Field(primary_key=True, max_length=64)
    created_ms: int = Field(sa_type=BigInteger)
    used_ms: int = Field(sa_type=BigInteger, index=True)  # last request; the six idle hours count from here


class TriviaTokenSeen(SQLModel, table=True):
    """A question a token has been served (never served to it again until a reset)."""

    __tablename__ = "trivia_token_seen"

    token: str = Field(sa_column=Column(String(64), ForeignKey("trivia_token.token", ondelete="CASCADE"),
                                        primary_key=True))
    question_id: str = Field(primary_key=True, max_length=16)
# ==== end of the OpenTDB-compatible API's tables ==================================================


# ==== Quiz nights (webapp/live/) =====================================================================
# Everything a night needs to go on is here, written as it happens: a server restarted mid-question
# reads the night back and carries on (no game state lives only in a process's memory).

class Night(SQLModel, table=True):
    """A quiz night: its plan (rounds, timing, scoring), where it stands, and the host's secret."""

    __tablename__ = "night"

    id: str = Field(primary_key=True, max_length=40)  # unguessable, in the host's addresses only
    code: str = Field(max_length=12, sa_column_kwargs={"unique": True})  # what players type to join
    title: str = Field(max_length=120)
    host_key_hash: str = Field(max_length=64)  # sha256 of the host's secret
    plan: str = Field(sa_type=Text)  # JSON: webapp.live.rules.Plan
    phase: str = Field(default="lobby", max_length=16, index=True)  # lobby, question, reveal, standings, final, ended
    position: int = -1  # the question on (or last on) the screen
    locked: bool = False  # no new players
    created_ms: int = Field(sa_type=BigInteger)
    started_ms: int | None = Field(default=None, sa_type=BigInteger)
    ended_ms: int | None = Field(default=None, sa_type=BigInteger)
    paused_ms: int | None = Field(default=None, sa_type=BigInteger)  # set while the host has paused
    seen_ms: int = Field(default=0, sa_type=BigInteger)  # a server last looked after it: an outage is not charged
    run_of: str | None = Field(default=None, max_length=40)  # the night it runs again


class NightQuestion(SQLModel, table=True):
    """One question of a night, snapshotted, with the clock the server keeps for it."""

    __tablename__ = "night_question"

    night_id: str = Field(sa_column=Column(String(40), ForeignKey("night.id", ondelete="CASCADE"), primary_key=True))
    position: int = Field(primary_key=True)  # 0-based over the whole night
    round: int  # 0-based; the tie-breaker is in a round of its own after the last
    question_id: str = Field(max_length=16)
    question_data: str = Field(sa_type=Text)
    option_order: str = Field(max_length=8)
    seconds: int
    tiebreak: bool = False  # a closest-number question: players type a number
    opened_ms: int | None = Field(default=None, sa_type=BigInteger)  # moved on by pauses and outages
    extra_ms: int = Field(default=0, sa_type=BigInteger)  # time the host added
    closed_ms: int | None = Field(default=None, sa_type=BigInteger)
    skipped: bool = False  # closed by the host's "skip": nobody scores
    asked: int | None = None  # at its close: the players in the night (no answer counts as a wrong one)
    answered_right: int | None = None  # at its close: how many of them answered right


class NightPlayer(SQLModel, table=True):
    """A player of a night: their name, team, time allowance and running score."""

    __tablename__ = "night_player"
    __table_args__ = (UniqueConstraint("night_id", "name_key"),)

    id: int | None = Field(default=None, primary_key=True)
    night_id: str = Field(sa_column=Column(String(40), ForeignKey("night.id", ondelete="CASCADE"), nullable=False,
                                           index=True))
    nickname: str = Field(max_length=80)
    name_key: str = Field(max_length=400)  # the nickname folded (case, look-alikes); NFKC can make it longer
    token_hash: str = Field(max_length=64, sa_column_kwargs={"unique": True})  # sha256 of the player's token
    team: str | None = Field(default=None, max_length=40)
    time_factor: int = 100  # percent of each question's time: 100, 150, 200; 0 = no limit
    score: int = 0
    streak: int = 0  # right answers in a row, up to the last closed question
    right: int = 0
    removed: bool = False
    joined_ms: int = Field(sa_type=BigInteger)
    tiebreak_off: float | None = None  # how far the tie-breaker guess was from the answer


class NightAnswer(SQLModel, table=True):
    """One player's answer to one question of a night: the natural key makes a second one impossible."""

    __tablename__ = "night_answer"

    night_id: str = Field(sa_column=Column(String(40), ForeignKey("night.id", ondelete="CASCADE"), primary_key=True))
    position: int = Field(primary_key=True)
    player_id: int = Field(sa_column=Column(ForeignKey("night_player.id", ondelete="CASCADE"), primary_key=True))
    choice: int  # shown option 1-4; 0 for a tie-breaker (its guess is in ``guess``)
    guess: float | None = None
    received_ms: int = Field(sa_type=BigInteger)
    elapsed_ms: int = Field(sa_type=BigInteger)
    correct: bool
    points: int  # counted into the player's score when the question closes


class NightJoker(SQLModel, table=True):
    """The round a team (or, without teams, a player) doubles: chosen before that round starts."""

    __tablename__ = "night_joker"

    night_id: str = Field(sa_column=Column(String(40), ForeignKey("night.id", ondelete="CASCADE"), primary_key=True))
    side: str = Field(primary_key=True, max_length=48)  # "team:<name>" or "player:<id>"
    round: int


class QuestionStat(SQLModel, table=True):
    """How real players did on a question, over every night that asked it (by the question's own id)."""

    __tablename__ = "question_stat"

    question_id: str = Field(primary_key=True, max_length=16)
    difficulty: str = Field(max_length=10)  # the generator's label
    asked: int = 0  # players who had the question (no answer counts as a wrong one)
    right: int = 0
