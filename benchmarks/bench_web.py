"""Web game benchmark: answer throughput against hello-world, the leaderboard at 1M rows, page weight.

    python benchmarks/bench_web.py [--quick] [--json out.json] [--no-postgres] [--check]

One command, about 2-3 minutes on 2 cores; everything stays on 127.0.0.1 and every load is a bounded
number of requests. It prints Markdown tables (docs/performance-web.md records them); ``--check``
also exits 1 when a target is missed or a request failed.

1. **Answer throughput as a ratio to hello-world.** gunicorn serves ``benchmarks/hello_app.py`` and
   then ``webapp.wsgi:app`` (production settings: ``QUIZGEN_ENV=production``, CSRF and rate limits
   on), both with the same worker/thread settings (default 1 gthread worker, 8 threads: one process,
   as the in-memory rate limits and SQLite want; ``--server gevent`` measures one gevent worker,
   the server ``quizgen serve`` runs, instead). A second process (``_loadgen`` below: one thread, raw keep-alive sockets,
   a selector) sends the requests. Each answer is a real, valid POST to a distinct game's first
   question, as a browser sends it: the session cookie comes from the server itself (GET the pack
   page, POST a game start, with the page's CSRF token), the games belong to that session's player,
   and each POST carries its game's answer token (``webapp.solo.answer_token``: computed here for the
   cloned games with the server's key, and checked against what the question page shows). The
   games are made by ``webapp.solo.store.start_game`` + ``show_question`` (a few hundred) and cloned with fresh ids in bulk
   (the same rows start_game writes; start_game itself costs ~1 ms, still slow for 20,000 games).
   Afterwards the stored answers are counted: one per request. The same two requests are also timed
   inside one process (Flask test clients), with a profile of where the answer request's time goes.
2. **Leaderboard top 10 with 1,000,000 rows.** ``leaderboard_entry`` is filled with 1,000,000 rows
   (166,667 posted scores × 2 boards × 3 periods, 10 packs, over a year) by ``executemany``, and their
   per-board counts (``leaderboard_count``) as migration 0004 fills them. The SQL
   each leaderboard page runs is captured from the app itself, shown with ``EXPLAIN QUERY PLAN`` and
   timed in the database (median and p99 of 1000 runs). On PostgreSQL (if it answers at
   ``--pg-url``) the same in a schema of its own, dropped afterwards, with ``EXPLAIN ANALYZE``.
   Then over HTTP: the leaderboard page and API p99, idle and while answers are being posted
   concurrently (paced at 10 % and 50 % of the measured answer rate, and at full speed).
3. **Page weight** of the play (question) page: the HTML plus every stylesheet, script, image and
   icon it references (and ``url()``/``@import`` inside the CSS), in bytes as sent.
"""

from __future__ import annotations

import argparse
import http.client
import json
import math
import os
import pickle
import random
import re
import secrets
import selectors
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlparse

REPO = Path(__file__).resolve().parent.parent
PACK_ID = "tiny-pretty-things"
FACTS_FILE = REPO / "questions" / "tiny-pretty-things.yaml"
DEFAULT_PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
HOST = "127.0.0.1"
TARGETS = {"ratio": 0.3, "db_top10_ms": 1.0, "http_p99_ms": 20.0, "page_kb": 100.0}


def log(message: str) -> None:
    print(f"[bench_web {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# =====================================================================================================
# The load generator: a second process, one thread, one selector, raw keep-alive HTTP/1.1.
# =====================================================================================================

def _parse_response(buf: bytes):
    """(status, bytes used, connection closes) once ``buf`` holds a whole response; else None."""
    end = buf.find(b"\r\n\r\n")
    if end < 0:
        return None
    lines = buf[:end].decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    length, chunked, close = 0, False, False
    for line in lines[1:]:
        name, _, value = line.partition(":")
        name, value = name.strip().lower(), value.strip().lower()
        if name == "content-length":
            length = int(value)
        elif name == "transfer-encoding" and "chunked" in value:
            chunked = True
        elif name == "connection" and value == "close":
            close = True
    start = end + 4
    if not chunked:
        return (status, start + length, close) if len(buf) >= start + length else None
    pos = start
    while True:
        nl = buf.find(b"\r\n", pos)
        if nl < 0:
            return None
        size = int(buf[pos:nl].split(b";")[0], 16)
        if size == 0:
            return (status, nl + 4, close) if len(buf) >= nl + 4 else None
        pos = nl + 2 + size + 2
        if pos > len(buf):
            return None


def _connect(port: int) -> socket.socket:
    sock = socket.create_connection((HOST, port), timeout=30)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return sock


def run_load(port: int, requests: list[bytes], connections: int, rate: float | None = None,
             max_seconds: float = 120.0) -> dict:
    """Send every request once over ``connections`` keep-alive connections; closed loop, or paced at ``rate``/s."""
    n = len(requests)
    latency = [math.nan] * n
    status = [0] * n
    selector = selectors.DefaultSelector()

    class Conn:
        __slots__ = ("sock", "buf", "idx", "sent")

    def send(c: Conn, idx: int) -> None:
        c.idx, c.buf, c.sent = idx, b"", time.perf_counter()
        c.sock.sendall(requests[idx])
        selector.register(c.sock, selectors.EVENT_READ, c)

    idle: list[Conn] = []
    for _ in range(min(connections, n)):
        c = Conn()
        c.sock = _connect(port)
        idle.append(c)
    done = next_idx = resent = reconnects = 0
    wall0, cpu0 = time.perf_counter(), time.process_time()
    deadline = wall0 + max_seconds
    while done < n:
        now = time.perf_counter()
        if now > deadline:
            break
        while idle and next_idx < n and (rate is None or wall0 + next_idx / rate <= now):
            send(idle.pop(), next_idx)
            next_idx += 1
        timeout = 1.0
        if rate is not None and idle and next_idx < n:
            timeout = max(0.0, wall0 + next_idx / rate - time.perf_counter())
        for key, _ in selector.select(timeout):
            c = key.data
            try:
                data = c.sock.recv(1 << 18)
            except (ConnectionError, socket.timeout):
                data = b""
            if not data:  # the server closed the connection: open another, send the request again
                selector.unregister(c.sock)
                c.sock.close()
                c.sock = _connect(port)
                reconnects += 1
                resent += 1
                send(c, c.idx)
                continue
            c.buf += data
            parsed = _parse_response(c.buf)
            if parsed is None:
                continue
            latency[c.idx] = time.perf_counter() - c.sent
            status[c.idx] = parsed[0]
            done += 1
            selector.unregister(c.sock)
            if parsed[2]:
                c.sock.close()
                c.sock = _connect(port)
                reconnects += 1
            idle.append(c)
    wall = time.perf_counter() - wall0
    cpu = time.process_time() - cpu0
    return {"wall_s": wall, "cpu_s": cpu, "done": done, "sent": next_idx, "resent": resent,
            "reconnects": reconnects, "latency_s": [x for x in latency if not math.isnan(x)],
            "status": {str(s): status.count(s) for s in set(status)}}


def loadgen_main(spec_path: str) -> int:
    spec = json.loads(Path(spec_path).read_text())
    with open(spec["requests"], "rb") as fh:
        requests = pickle.load(fh)
    result = run_load(spec["port"], requests, spec["connections"], spec.get("rate"), spec.get("max_seconds", 120))
    sys.stdout.write(json.dumps(result))
    return 0


@dataclass
class LoadRun:
    """A load generator process started, and its result once done."""

    name: str
    process: subprocess.Popen
    folder: Path
    result: dict | None = None

    def wait(self) -> dict:
        out, err = self.process.communicate(timeout=300)
        if self.process.returncode != 0:
            raise RuntimeError(f"load generator {self.name} failed:\n{err.decode(errors='replace')[-3000:]}")
        self.result = json.loads(out)
        return self.result


def start_load(name: str, folder: Path, port: int, requests: list[bytes], connections: int,
               rate: float | None = None) -> LoadRun:
    sub = folder / f"load-{name}-{secrets.token_hex(3)}"
    sub.mkdir()
    with open(sub / "requests.pickle", "wb") as fh:
        pickle.dump(requests, fh)
    spec = {"port": port, "requests": str(sub / "requests.pickle"), "connections": connections, "rate": rate,
            "max_seconds": 150}
    (sub / "spec.json").write_text(json.dumps(spec))
    process = subprocess.Popen([sys.executable, str(Path(__file__).resolve()), "_loadgen", str(sub / "spec.json")],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)
    return LoadRun(name, process, sub)


# =====================================================================================================
# Statistics, servers, CPU.
# =====================================================================================================

def pct(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100) of ``values``."""
    ordered = sorted(values)
    if not ordered:
        return math.nan
    return ordered[min(len(ordered) - 1, max(0, math.ceil(q / 100 * len(ordered)) - 1))]


def summary(result: dict) -> dict:
    lat_ms = [x * 1000 for x in result["latency_s"]]
    return {"requests": result["done"], "rps": result["done"] / result["wall_s"] if result["wall_s"] else 0,
            "median_ms": pct(lat_ms, 50), "p99_ms": pct(lat_ms, 99), "max_ms": max(lat_ms) if lat_ms else math.nan,
            "client_cpu": result["cpu_s"] / result["wall_s"] if result["wall_s"] else 0,
            "status": result["status"], "resent": result["resent"], "wall_s": result["wall_s"]}


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def _proc_stat(pid: int) -> tuple[int, float] | None:
    """(parent pid, user+system CPU seconds) of a process."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return None
    return int(fields[1]), (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def tree_cpu(root: int) -> float:
    """CPU seconds used so far by ``root`` and its children (gunicorn's master and workers)."""
    total = 0.0
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            stat = _proc_stat(int(entry))
            if stat and (int(entry) == root or stat[0] == root):
                total += stat[1]
    return total


@dataclass
class Server:
    """gunicorn serving one app on 127.0.0.1: gthread workers, or one gevent worker (what ``quizgen serve`` runs)."""

    app: str
    env: dict
    workers: int
    threads: int
    kind: str = "gunicorn"
    port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None

    def command(self) -> list[str]:
        if self.kind == "gevent":
            return [sys.executable, "-m", "gunicorn", "--bind", f"{HOST}:{self.port}", "--workers", "1",
                    "--worker-class", "gevent", "--log-level", "warning", "--no-control-socket", self.app]
        return [sys.executable, "-m", "gunicorn", "--bind", f"{HOST}:{self.port}", "--workers", str(self.workers),
                "--worker-class", "gthread", "--threads", str(self.threads), "--log-level", "warning",
                "--no-control-socket", self.app]

    def __enter__(self) -> "Server":
        self.log = tempfile.TemporaryFile()
        cmd = self.command()
        self.process = subprocess.Popen(cmd, cwd=str(REPO), env=self.env, stdout=self.log, stderr=subprocess.STDOUT,
                                        stdin=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                self.log.seek(0)
                raise RuntimeError(f"{self.kind} {self.app} exited:\n{self.log.read().decode(errors='replace')[-3000:]}")
            try:
                with socket.create_connection((HOST, self.port), timeout=1):
                    break
            except OSError:
                time.sleep(0.1)
        else:
            raise RuntimeError(f"{self.kind} {self.app} did not listen within 60 s")
        # Wait for a worker to answer (booting the app takes a moment).
        for _ in range(300):
            try:
                status, _, _ = http_get(self.port, "/")
                if status < 500:
                    return self
            except OSError:
                pass
            time.sleep(0.1)
        return self

    def cpu(self) -> float:
        return tree_cpu(self.process.pid)

    def __exit__(self, *exc) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()


def http_get(port: int, path: str, headers: dict | None = None) -> tuple[int, dict, bytes]:
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        conn.request("GET", path, headers=headers or {})
        response = conn.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        conn.close()


def measure(server: Server, name: str, folder: Path, requests: list[bytes], connections: int,
            rate: float | None = None) -> dict:
    cpu0, t0 = server.cpu(), time.perf_counter()
    run = start_load(name, folder, server.port, requests, connections, rate)
    result = summary(run.wait())
    result["server_cpu"] = (server.cpu() - cpu0) / (time.perf_counter() - t0)
    return result


# =====================================================================================================
# The game's database: packs, games, 1M leaderboard rows.
# =====================================================================================================

def make_app(database_url: str, instance: Path):
    from webapp import create_app

    return create_app({"DATABASE_URL": database_url}, instance_path=str(instance))


def prepare_database(app) -> None:
    from webapp.cli import import_paths

    for line in import_paths([FACTS_FILE], app=app):  # migrates, then imports
        log(line)


def leaderboard_rows(n_rows: int, now_ms: int, seed: int = 1):
    """``n_rows`` leaderboard rows as posting scores writes them: 6 per score (2 boards × 3 periods)."""
    from webapp import rules

    rng = random.Random(seed)
    packs = [PACK_ID] + [f"bench-pack-{i}" for i in range(1, 10)]
    weights = [5] + [1] * 9  # Tiny Pretty Things has half the scores
    year_ms = 365 * 86_400_000
    written = 0
    i = 0
    while written < n_rows:
        i += 1
        length = rng.choice((5, 10, 20))
        timed = rng.random() < 0.5
        difficulty = rng.choice(rules.DIFFICULTY_CHOICES)
        right = sum(rng.random() < 0.6 for _ in range(length))
        score = right * 1000 + (sum(rng.randint(0, 500) for _ in range(right)) if timed else 0)
        time_ms = sum(rng.randint(1500, 20000) for _ in range(length))
        created = now_ms - int(year_ms * rng.random() ** 2)  # more recent scores are more frequent
        pack = rng.choices(packs, weights)[0]
        nickname = f"player{rng.randint(1, 50_000)}"
        game_id = f"bench{i:012d}"
        settings = rules.Settings(length, difficulty, timed).key()  # a board ranks one setting of games
        for board in (f"pack:{pack}|{settings}", f"all|{settings}"):
            for period in rules.period_keys(created).values():
                if written == n_rows:
                    return
                written += 1
                yield (board, period, score, time_ms, nickname, game_id, created)


LEADERBOARD_COLUMNS = ("board", "period", "score", "time_ms", "nickname", "game_id", "created_ms")
# The rows are written in bulk, not by posting scores: their per-board counts are filled as migration 0004 does.
COUNT_BOARDS = ("INSERT INTO leaderboard_count (board, period, entries) "
                "SELECT board, period, count(*) FROM leaderboard_entry GROUP BY board, period")


def fill_sqlite_leaderboard(db_path: Path, rows: list[tuple]) -> float:
    t0 = time.perf_counter()
    conn = sqlite3.connect(db_path)
    conn.execute("PRAGMA synchronous=OFF")
    conn.execute("PRAGMA cache_size=-400000")  # 400 MB: the two indexes are filled in random order
    cols = ", ".join(LEADERBOARD_COLUMNS)
    conn.executemany(f"INSERT INTO leaderboard_entry ({cols}) VALUES ({', '.join('?' * len(LEADERBOARD_COLUMNS))})",
                     rows)
    conn.execute(COUNT_BOARDS)
    conn.commit()
    conn.execute("ANALYZE")
    conn.commit()
    conn.close()
    return time.perf_counter() - t0


def clone_games(db_path: Path, templates: list[str], count: int, *, shown: bool = True) -> list[str]:
    """``count`` new games copied from ``templates`` (rows as start_game writes them), each with a fresh id."""
    from webapp import models

    game_cols = [c.name for c in models.Game.__table__.columns]
    round_cols = [c.name for c in models.GameRound.__table__.columns]
    conn = sqlite3.connect(db_path, timeout=30)
    conn.execute("PRAGMA busy_timeout=30000")
    q = ", ".join(f'"{c}"' for c in game_cols)
    games = {row[game_cols.index("id")]: row for row in
             conn.execute(f"SELECT {q} FROM game WHERE id IN ({', '.join('?' * len(templates))})", templates)}
    rq = ", ".join(f'"{c}"' for c in round_cols)
    rounds: dict[str, list[tuple]] = {}
    for row in conn.execute(f"SELECT {rq} FROM game_round WHERE game_id IN ({', '.join('?' * len(templates))})",
                            templates):
        rounds.setdefault(row[round_cols.index("game_id")], []).append(row)
    now = int(time.time() * 1000)
    new_ids, game_rows, round_rows = [], [], []
    for k in range(count):
        template = templates[k % len(templates)]
        gid = secrets.token_urlsafe(18)
        new_ids.append(gid)
        g = list(games[template])
        g[game_cols.index("id")] = gid
        g[game_cols.index("created_ms")] = now
        game_rows.append(g)
        for r in rounds[template]:
            r = list(r)
            r[round_cols.index("game_id")] = gid
            r[round_cols.index("shown_ms")] = now if shown and r[round_cols.index("position")] == 0 else None
            round_rows.append(r)
    with conn:
        conn.executemany(f"INSERT INTO game ({q}) VALUES ({', '.join('?' * len(game_cols))})", game_rows)
        conn.executemany(f"INSERT INTO game_round ({rq}) VALUES ({', '.join('?' * len(round_cols))})", round_rows)
    conn.close()
    return new_ids


def template_games(app, player: str, count: int) -> list[str]:
    """Games started and first question shown by the game's own functions."""
    from sqlmodel import Session

    from webapp import db
    from webapp.solo import store as games

    ids = []
    with app.app_context():
        with Session(db.get_engine(app)) as session:
            for _ in range(count):
                game = games.start_game(PACK_ID, length=5, difficulty="mixed", timed=False, player=player,
                                        session=session)
                games.show_question(game, 0, session=session)
                ids.append(game.id)
    return ids


# =====================================================================================================
# SQL of the leaderboard pages: captured from the app, explained, timed.
# =====================================================================================================

@dataclass
class Statement:
    sql: str
    params: object
    pages: list[str]

    @property
    def label(self) -> str:
        s = " ".join(self.sql.split())
        low = s.lower()
        top_n = "from leaderboard_entry" in low and "order by leaderboard_entry.score desc" in low and "limit" in low
        if top_n and "from leaderboard_count" in low:
            return "top N (ORDER BY score DESC, time_ms, id LIMIT) + board size (leaderboard_count)"
        if "from leaderboard_count" in low:
            return "board size (leaderboard_count, one row)"
        if "(select leaderboard_entry.score from leaderboard_entry" in low:
            return ("best score of every pack (a seek per pack)" if "from pack" in low
                    else "best score of a board (ORDER BY score DESC LIMIT 1)")
        if top_n:
            return "top N (ORDER BY score DESC, time_ms, id LIMIT)"
        if "from leaderboard_entry" in low and "count(" in low:
            return "board size (COUNT)"
        if "from leaderboard_entry" in low and "max(" in low and "group by" in low:
            return "best score of every board (MAX … GROUP BY board)"
        if "from leaderboard_entry" in low and "max(" in low:
            return "best score of a board (MAX)"
        if "from question" in low and "group by" in low:
            return "difficulty mix (COUNT … GROUP BY)"
        match = re.search(r"\bfrom (\w+)", low)
        return f"read {match.group(1) if match else '?'}"


def capture_statements(app, pages: list[str]) -> list[Statement]:
    """Every SQL statement the app runs to answer GET ``pages`` (deduplicated, in first-seen order)."""
    from sqlalchemy import event

    from webapp import db

    engine = db.get_engine(app)
    seen: dict[tuple, Statement] = {}
    current = {"page": ""}

    def listener(conn, cursor, statement, parameters, context, executemany):
        key = (statement, repr(parameters))
        if key not in seen:
            seen[key] = Statement(statement, parameters, [])
        if current["page"] not in seen[key].pages:
            seen[key].pages.append(current["page"])

    event.listen(engine, "before_cursor_execute", listener)
    try:
        client = app.test_client()
        for page in pages:
            current["page"] = page
            response = client.get(page)
            if response.status_code != 200:
                raise RuntimeError(f"GET {page} answered {response.status_code}")
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    return list(seen.values())


def time_sql(execute, runs: int) -> dict:
    samples = []
    for _ in range(min(20, runs)):  # warm the page cache and statement caches
        execute()
    for _ in range(runs):
        t0 = time.perf_counter()
        execute()
        samples.append((time.perf_counter() - t0) * 1000)
    return {"median_ms": statistics.median(samples), "p99_ms": pct(samples, 99), "runs": runs}


def sqlite_sql_report(db_path: Path, statements: list[Statement], top_runs: int, other_runs: int) -> list[dict]:
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    rows = []
    for st in statements:
        plan = [r[3] for r in conn.execute("EXPLAIN QUERY PLAN " + st.sql, st.params)]
        is_top = st.label.startswith("top N")
        timing = time_sql(lambda: conn.execute(st.sql, st.params).fetchall(), top_runs if is_top else other_runs)
        rows.append({"label": st.label, "pages": st.pages, "sql": " ".join(st.sql.split()), "params": list(st.params),
                     "plan": plan, **timing})
    conn.close()
    return rows


def uses_index(plan_lines: list[str], index: str = "ix_leaderboard_rank") -> bool:
    text = " ".join(plan_lines)
    return index in text and "TEMP B-TREE" not in text.upper()


def time_top_scores_function(app, runs: int) -> dict:
    """The app's own ``top_scores`` (SQLAlchemy Core, prebuilt) for the biggest board, as a route calls it."""
    from webapp import db, rules
    from webapp.boards import store as boards_store

    with app.app_context():
        db.get_session()
        board = boards_store.overall_board(rules.DEFAULT_SETTINGS)
        return time_sql(lambda: boards_store.top_scores(board, "all", 10), runs)


# =====================================================================================================
# PostgreSQL: the same top 10 in a private schema, EXPLAIN ANALYZE, timing; schema dropped afterwards.
# =====================================================================================================

def postgres_report(pg_url: str, rows: list[tuple], runs: int, folder: Path) -> dict:
    import psycopg
    from sqlalchemy.engine import make_url

    from webapp import db

    base = make_url(pg_url)
    conninfo = base.set(drivername="postgresql").render_as_string(hide_password=False)
    try:
        admin = psycopg.connect(conninfo, connect_timeout=3, autocommit=True)
    except psycopg.OperationalError as exc:
        return {"skipped": f"PostgreSQL unreachable at {base.render_as_string(hide_password=True)}: "
                           f"{str(exc).strip().splitlines()[0] if str(exc).strip() else exc}"}
    schema = f"quizgen_bench_{os.getpid()}_{secrets.token_hex(3)}"
    admin.execute(f'CREATE SCHEMA "{schema}"')
    app = None
    try:
        url = base.update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(hide_password=False)
        app = make_app(url, folder / "pg-instance")
        prepare_database(app)
        t0 = time.perf_counter()
        with psycopg.connect(conninfo, options=f"-csearch_path={schema}") as conn:
            with conn.cursor() as cur:
                with cur.copy(f"COPY leaderboard_entry ({', '.join(LEADERBOARD_COLUMNS)}) FROM STDIN") as copy:
                    for start in range(0, len(rows), 50_000):  # text format; no row holds a tab or backslash
                        copy.write("".join("\t".join(map(str, row)) + "\n" for row in rows[start:start + 50_000]))
            conn.execute(COUNT_BOARDS)
            conn.commit()
            conn.execute("ANALYZE leaderboard_entry")
            conn.commit()
        fill_s = time.perf_counter() - t0
        statements = [s for s in capture_statements(app, [f"/leaderboards/{PACK_ID}", "/leaderboards/"])
                      if s.label.startswith("top N")]
        overall = next(s for s in statements if "/leaderboards/" in s.pages)
        with psycopg.connect(conninfo, options=f"-csearch_path={schema}") as conn:
            plan = [r[0] for r in conn.execute("EXPLAIN (ANALYZE, BUFFERS) " + overall.sql, overall.params)]
            timing = time_sql(lambda: conn.execute(overall.sql, overall.params).fetchall(), runs)
            count = conn.execute("SELECT count(*) FROM leaderboard_entry").fetchone()[0]
            version = conn.execute("SHOW server_version").fetchone()[0]
        nodes = [line.split("->")[-1].strip().split("  (")[0] for line in plan]
        uses = any("ix_leaderboard_rank" in n for n in nodes) and not any("Sort" in n.split()[:2] for n in nodes)
        return {"fill_s": fill_s, "rows": count, "plan": plan, "version": version, "uses_index": uses, **timing}
    finally:
        if app is not None:
            db.get_engine(app).dispose()
        admin.execute(f'DROP SCHEMA "{schema}" CASCADE')
        admin.close()


# =====================================================================================================
# HTTP helpers for the game: a real session, answer requests, page weight.
# =====================================================================================================

class _Refs(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.refs: list[tuple[str, str]] = []
        self.csrf: str | None = None
        self.answer_token: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "link" and a.get("href") and any(r in (a.get("rel") or "").lower().split()
                                                    for r in ("stylesheet", "icon", "preload", "modulepreload",
                                                              "manifest", "apple-touch-icon")):
            self.refs.append(("link", a["href"]))
        elif tag in ("script", "img", "source", "audio", "video", "iframe") and a.get("src"):
            self.refs.append((tag, a["src"]))
        elif tag == "input" and a.get("name") == "csrf_token":
            self.csrf = a.get("value")
        elif tag == "input" and a.get("name") == "answer_token":
            self.answer_token = a.get("value")
        if a.get("srcset"):
            self.refs += [(tag, part.strip().split()[0]) for part in a["srcset"].split(",") if part.strip()]


def _cookie_from(headers: list[tuple[str, str]], name: str = "session") -> str | None:
    for key, value in headers:
        if key.lower() == "set-cookie" and value.startswith(name + "="):
            return value.split(";", 1)[0].split("=", 1)[1]
    return None


def real_session(port: int) -> tuple[str, str]:
    """(session cookie, CSRF token) of a player who opened the pack page and started one game over HTTP."""
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    conn.request("GET", f"/packs/{PACK_ID}")
    response = conn.getresponse()
    html = response.read().decode()
    cookie = _cookie_from(response.getheaders())
    parser = _Refs()
    parser.feed(html)
    if response.status != 200 or not cookie or not parser.csrf:
        raise RuntimeError(f"the pack page gave no session or CSRF token (HTTP {response.status})")
    body = f"csrf_token={parser.csrf}&length=5&difficulty=mixed"
    conn.request("POST", f"/packs/{PACK_ID}/games", body=body,
                 headers={"Cookie": f"session={cookie}", "Content-Type": "application/x-www-form-urlencoded"})
    response = conn.getresponse()
    response.read()
    if response.status != 303:
        raise RuntimeError(f"starting a game over HTTP answered {response.status}")
    cookie = _cookie_from(response.getheaders()) or cookie
    conn.close()
    return cookie, parser.csrf


def player_of(app, cookie: str) -> str:
    serializer = app.session_interface.get_signing_serializer(app)
    return serializer.loads(cookie)["player"]


def answer_tokens(app, player: str, game_ids: list[str]) -> dict[str, str]:
    """The answer token each game's question page carries (the bench app has the server's secret key)."""
    from webapp.solo import answer_token

    with app.app_context():
        return {gid: answer_token.for_game(gid, player) for gid in game_ids}


def check_answer_token(port: int, cookie: str, game_id: str, expected: str) -> None:
    """Fail unless the question page of ``game_id`` carries the token the benchmark computed for it."""
    status, _, body = http_get(port, f"/games/{game_id}/questions/1", {"Cookie": f"session={cookie}"})
    parser = _Refs()
    parser.feed(body.decode(errors="replace"))
    if status != 200 or parser.answer_token != expected:
        raise RuntimeError(f"the question page (HTTP {status}) carries the answer token {parser.answer_token!r}, "
                           f"not the one computed ({expected!r})")


def answer_requests(port: int, cookie: str, tokens: dict[str, str], game_ids: list[str]) -> list[bytes]:
    """A browser's answer POSTs: the question page's form (answer token, then the button's choice) and the cookie."""
    out = []
    for k, gid in enumerate(game_ids):
        body = f"answer_token={tokens[gid]}&choice={k % 4 + 1}".encode()
        out.append((f"POST /games/{gid}/questions/1 HTTP/1.1\r\nHost: {HOST}:{port}\r\n"
                    f"Cookie: session={cookie}\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                    f"Content-Length: {len(body)}\r\n\r\n").encode() + body)
    return out


def get_requests(port: int, path: str, count: int) -> list[bytes]:
    return [f"GET {path} HTTP/1.1\r\nHost: {HOST}:{port}\r\nAccept: */*\r\n\r\n".encode()] * count


def page_weight(port: int, path: str, cookie: str) -> dict:
    """The bytes of the page at ``path`` and of everything it loads (CSS url()/@import too)."""
    status, headers, body = http_get(port, path, {"Cookie": f"session={cookie}"})
    if status != 200:
        raise RuntimeError(f"GET {path} answered {status}")
    parser = _Refs()
    parser.feed(body.decode(errors="replace"))
    items = [{"url": path, "kind": "html", "status": status, "bytes": len(body)}]
    queue = [(kind, urljoin(path, ref)) for kind, ref in parser.refs]
    seen = {path}
    while queue:
        kind, ref = queue.pop(0)
        if ref.startswith("data:") or ref in seen:
            continue
        seen.add(ref)
        parsed = urlparse(ref)
        if parsed.netloc and parsed.netloc != f"{HOST}:{port}":
            items.append({"url": ref, "kind": kind, "status": None, "bytes": 0, "note": "other host"})
            continue
        local = parsed.path + (f"?{parsed.query}" if parsed.query else "")
        st, hdrs, data = http_get(port, local, {"Cookie": f"session={cookie}"})
        items.append({"url": local, "kind": hdrs.get("content-type", kind).split(";")[0], "status": st,
                      "bytes": len(data)})
        if "css" in hdrs.get("content-type", ""):
            css = data.decode(errors="replace")
            for ref2 in re.findall(r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)", css) + \
                    re.findall(r"@import\s+['\"]([^'\"]+)['\"]", css):
                queue.append(("css ref", urljoin(local, ref2.strip())))
    total = sum(i["bytes"] for i in items)
    missing = [i["url"] for i in items if i["status"] not in (200, None)]
    return {"items": items, "total_bytes": total, "missing": missing}


def answered_count(db_path: Path, game_ids: list[str]) -> int:
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=30)
    total = 0
    for start in range(0, len(game_ids), 900):
        chunk = game_ids[start:start + 900]
        total += conn.execute(f"SELECT count(*) FROM game_round WHERE position = 0 AND answered_ms IS NOT NULL "
                              f"AND game_id IN ({', '.join('?' * len(chunk))})", chunk).fetchone()[0]
    conn.close()
    return total


def in_process_costs(app, db_path: Path, templates: list[str], cookie: str, player: str, n: int) -> dict:
    """Time per request inside one process (Flask test clients, no server, no network), and a profile.

    Free of the server's threads and of other load on the machine: the cost of the code itself.
    """
    import cProfile
    import pstats

    sys.path.insert(0, str(REPO / "benchmarks"))
    import hello_app

    def per_request(call, count: int) -> float:
        for i in range(min(50, count)):
            call(i)
        t0 = time.perf_counter()
        for i in range(50, 50 + count):
            call(i)
        return (time.perf_counter() - t0) / count * 1000

    hello = hello_app.app.test_client()
    hello_ms = per_request(lambda i: hello.get("/"), n)
    client = app.test_client(use_cookies=False)
    n_profile = max(50, n // 2)
    ids = clone_games(db_path, templates, 50 + n + n_profile)
    tokens = answer_tokens(app, player, ids)
    headers = {"Cookie": f"session={cookie}"}

    def post(i: int) -> None:
        response = client.post(f"/games/{ids[i]}/questions/1", data={"answer_token": tokens[ids[i]], "choice": "1"},
                               headers=headers)
        if response.status_code != 303:
            raise RuntimeError(f"in-process answer answered {response.status_code}")

    answer_ms = per_request(post, n)
    profile = cProfile.Profile()
    profile.enable()
    for i in range(50 + n, 50 + n + n_profile):
        post(i)
    profile.disable()
    stats = pstats.Stats(profile).stats
    wanted = {
        "the whole request (Flask wsgi_app)": ("flask/app.py", "wsgi_app"),
        "games.find_turn (the game and its round: one SELECT)": ("webapp/solo/store.py", "find_turn"),
        "answer_token.is_valid (the answer token: one HMAC)": ("webapp/solo/answer_token.py", "is_valid"),
        "games.answer_turn (rules, 2 guarded UPDATEs, commit)": ("webapp/solo/store.py", "answer_turn"),
        "request.form (werkzeug's form parser)": ("werkzeug/wrappers/request.py", "form"),
        "opening the session (Flask's signed cookie)": ("flask/sessions.py", "open_session"),
        "saving the session (Flask's signed cookie)": ("flask/sessions.py", "save_session"),
        "before-request hooks (the arrival stamp, Flask-Limiter, Flask-WTF)": ("flask/app.py", "preprocess_request"),
        "after-request hooks (Flask-Limiter's, session; security headers are a WSGI middleware)": ("flask/app.py",
                                                                                              "process_response"),
        "SQLAlchemy Connection.execute (all statements)": ("sqlalchemy/engine/base.py", "execute"),
        "sqlite3 execute (the database itself)": ("~", "<method 'execute' of 'sqlite3."),
        "sqlite3 commit": ("~", "<method 'commit' of 'sqlite3.Connection' objects>"),
    }
    shares = {}
    total = None
    for label, (file_end, name) in wanted.items():
        ct = sum(v[3] for (f, _, fn), v in stats.items()  # a name ending in "." matches every name it begins
                 if (fn == name or (name.endswith(".") and fn.startswith(name)))
                 and f.replace("\\", "/").endswith(file_end))
        if total is None:
            total = ct or 1.0
        shares[label] = ct / total
    return {"hello_ms": hello_ms, "answer_ms": answer_ms, "ratio": hello_ms / answer_ms, "requests": n,
            "profile_shares": shares}


# =====================================================================================================
# The run.
# =====================================================================================================

def run(args) -> dict:
    folder = Path(tempfile.mkdtemp(prefix="quizgen-bench-web-"))
    results: dict = {"settings": {"server": args.server, "workers": args.workers, "threads": args.threads,
                                  "connections": args.connections, "rows": args.rows}}
    try:
        db_path = folder / "game.sqlite"
        database_url = f"sqlite:///{db_path}"
        secret = secrets.token_hex(32)
        # the API's rate limit is the server's defence, not what the leaderboard load measures
        server_env = dict(os.environ, QUIZGEN_ENV="production", QUIZGEN_SECRET_KEY=secret,
                          QUIZGEN_DATABASE_URL=database_url, PYTHONPATH=str(REPO),
                          QUIZGEN_API_RATE_LIMIT="1000000 per minute")
        server_env.pop("QUIZGEN_RATELIMIT_STORAGE_URI", None)
        os.environ.update(QUIZGEN_ENV="production", QUIZGEN_SECRET_KEY=secret, QUIZGEN_DATABASE_URL=database_url)
        app = make_app(database_url, folder / "instance")
        prepare_database(app)
        now_ms = int(time.time() * 1000)

        # --- 2a. 1M leaderboard rows, the SQL of the leaderboard pages, in-database timings -----------
        log(f"filling leaderboard_entry with {args.rows:,} rows ...")
        rows = list(leaderboard_rows(args.rows, now_ms))
        fill_s = fill_sqlite_leaderboard(db_path, rows)
        log(f"filled in {fill_s:.1f} s")
        pages = [f"/leaderboards/{PACK_ID}", "/leaderboards/", "/api/leaderboards/all", f"/api/leaderboards/{PACK_ID}",
                 "/"]
        statements = capture_statements(app, pages)
        sql_rows = sqlite_sql_report(db_path, statements, args.db_runs, args.other_runs)
        from webapp.rules import DEFAULT_SETTINGS

        default_overall = f"all|{DEFAULT_SETTINGS.key()}"
        top_all = next(r for r in sql_rows if r["label"].startswith("top N") and r["params"][:2] == [default_overall, "all"])
        results["sqlite"] = {"fill_s": fill_s, "statements": sql_rows, "top10": top_all,
                             "top_scores_function": time_top_scores_function(app, args.db_runs),
                             "version": sqlite3.sqlite_version}
        board_sizes = sqlite3.connect(db_path).execute(
            "SELECT board, count(*) FROM leaderboard_entry WHERE period = 'all' GROUP BY board "
            "ORDER BY 2 DESC LIMIT 2").fetchall()
        results["sqlite"]["largest_boards"] = board_sizes
        log(f"SQLite top 10: median {top_all['median_ms']:.3f} ms, p99 {top_all['p99_ms']:.3f} ms")

        # --- 1. hello-world under the same server settings -------------------------------------------
        hello_env = dict(os.environ, PYTHONPATH=str(REPO / "benchmarks"))
        if args.switch_interval:  # an experiment: the servers' GIL switch interval, through a sitecustomize
            site = folder / "site"
            site.mkdir()
            (site / "sitecustomize.py").write_text(f"import sys\nsys.setswitchinterval({args.switch_interval})\n")
            for env in (hello_env, server_env):
                env["PYTHONPATH"] = f"{site}{os.pathsep}{env['PYTHONPATH']}"
            results["settings"]["switch_interval"] = args.switch_interval
        log("hello-world throughput ...")
        with Server("hello_app:app", hello_env, args.workers, args.threads, args.server) as hello:
            measure(hello, "hello-warmup", folder, get_requests(hello.port, "/", args.warmup), args.connections)
            results["hello"] = measure(hello, "hello", folder, get_requests(hello.port, "/", args.hello_requests),
                                       args.connections)
        log(f"hello: {results['hello']['rps']:.0f} req/s")

        # --- 1b. the answer request, then the leaderboard under load, then the page weight ---------------
        with Server("webapp.wsgi:app", server_env, args.workers, args.threads, args.server) as game:
            cookie, _ = real_session(game.port)
            player = player_of(app, cookie)
            log("making games ...")
            templates = template_games(app, player, args.template_games)
            check_answer_token(game.port, cookie, templates[0], answer_tokens(app, player, templates[:1])[templates[0]])
            warm_ids = clone_games(db_path, templates, args.warmup)
            ids = clone_games(db_path, templates, args.answer_requests)
            tokens = answer_tokens(app, player, warm_ids + ids)
            measure(game, "answer-warmup", folder, answer_requests(game.port, cookie, tokens, warm_ids),
                    args.connections)
            log("answer throughput ...")
            answers = measure(game, "answer", folder, answer_requests(game.port, cookie, tokens, ids), args.connections)
            answers["answered_in_db"] = answered_count(db_path, ids)
            results["answer"] = answers
            results["ratio"] = answers["rps"] / results["hello"]["rps"]
            log(f"answer: {answers['rps']:.0f} req/s, ratio {results['ratio']:.2f}; "
                f"{answers['answered_in_db']} of {len(ids)} answers stored")

            http_rows = []
            read_paths = [("page", f"/leaderboards/{PACK_ID}"), ("page", "/leaderboards/"),
                          ("API", "/api/leaderboards/all")]
            log("leaderboard latency, idle ...")
            for kind, path in read_paths:
                measure(game, "lb-warm", folder, get_requests(game.port, path, 20), 1)
                r = measure(game, "lb-idle", folder, get_requests(game.port, path, args.idle_reads), 1)
                http_rows.append({"scenario": "idle", "kind": kind, "path": path, **r})
            for scenario, rate_share, conns in (("answers posted at 10% of the max rate", 0.1, args.connections),
                                                ("answers posted at 50% of the max rate", 0.5, args.connections),
                                                ("answers posted at full speed", None, args.connections)):
                log(f"leaderboard latency, {scenario} ...")
                rate = answers["rps"] * rate_share if rate_share else None
                n_posts = int((rate or answers["rps"]) * args.phase_seconds)
                post_ids = clone_games(db_path, templates, n_posts)
                tokens = answer_tokens(app, player, post_ids)
                reads = int(args.read_rate * args.phase_seconds)
                cpu0, t0 = game.cpu(), time.perf_counter()
                posters = start_load("posters", folder, game.port, answer_requests(game.port, cookie, tokens, post_ids),
                                     conns, rate)
                readers = [(kind, path, start_load("readers", folder, game.port,
                                                   get_requests(game.port, path, reads), 2, args.read_rate))
                           for kind, path in read_paths if path != "/leaderboards/"]
                post_result = summary(posters.wait())
                for kind, path, reader in readers:
                    http_rows.append({"scenario": scenario, "kind": kind, "path": path, **summary(reader.wait()),
                                      "posters": post_result})
                post_result["server_cpu"] = (game.cpu() - cpu0) / (time.perf_counter() - t0)
            results["http"] = http_rows

            log("page weight ...")
            fresh = clone_games(db_path, templates, 1, shown=False)[0]
            results["page_weight"] = page_weight(game.port, f"/games/{fresh}/questions/1", cookie)
            results["page_weight"]["path"] = "/games/<id>/questions/1"
        log("in-process cost per request ...")
        results["in_process"] = in_process_costs(app, db_path, templates, cookie, player, args.in_process_requests)
        from webapp import db

        db.get_engine(app).dispose()

        # --- 2b. PostgreSQL -----------------------------------------------------------------------------
        if args.no_postgres:
            results["postgres"] = {"skipped": "--no-postgres"}
        else:
            log("PostgreSQL ...")
            results["postgres"] = postgres_report(args.pg_url, rows, args.db_runs, folder)
        return results
    finally:
        shutil.rmtree(folder, ignore_errors=True)


# =====================================================================================================
# The report.
# =====================================================================================================

def _ok(good: bool) -> str:
    return "✅" if good else "❌"


def _ms(x: float) -> str:
    return "–" if x is None or (isinstance(x, float) and math.isnan(x)) else (f"{x:.3f}" if x < 1 else f"{x:.1f}")


def markdown(results: dict) -> str:
    s = results["settings"]
    out = []
    h, a = results["hello"], results["answer"]
    server = (f"gunicorn gthread, {s['workers']} worker × {s['threads']} threads" if s["server"] == "gunicorn"
              else "gevent, 1 process")
    if s.get("switch_interval"):
        server += f", sys.setswitchinterval({s['switch_interval']})"
    out.append(f"### Answer throughput vs hello-world ({server}, {s['connections']} keep-alive connections "
               f"from a second process)\n")
    out.append("| endpoint | requests | req/s | median ms | p99 ms | server CPU | load-gen CPU | statuses |")
    out.append("|---|---:|---:|---:|---:|---:|---:|---|")
    for name, r in (("hello-world `GET /` (benchmarks/hello_app.py)", h),
                    ("answer `POST /games/<id>/questions/1` (webapp.wsgi)", a)):
        out.append(f"| {name} | {r['requests']:,} | {r['rps']:,.0f} | {_ms(r['median_ms'])} | {_ms(r['p99_ms'])} | "
                   f"{r['server_cpu']:.0%} | {r['client_cpu']:.0%} | "
                   f"{', '.join(f'{k}×{v}' for k, v in sorted(r['status'].items()))} |")
    out.append(f"\n**Ratio answer / hello = {results['ratio']:.2f}** (target ≥ {TARGETS['ratio']}) "
               f"{_ok(results['ratio'] >= TARGETS['ratio'])}; answers stored in the database: "
               f"{a['answered_in_db']:,} of {a['requests']:,}.\n")

    ip = results["in_process"]
    out.append(f"The same two requests inside one process (Flask test client, no server, no network: the code's own "
               f"cost, not disturbed by other load): hello {ip['hello_ms']:.3f} ms, answer {ip['answer_ms']:.2f} ms "
               f"per request → **ratio {ip['ratio']:.2f}**. Where the answer request's time goes (cProfile, "
               f"cumulative, share of the whole request; the rows overlap):\n")
    out.append("| part of `POST /games/<id>/questions/<n>` | share |")
    out.append("|---|---:|")
    for label, share in ip["profile_shares"].items():
        out.append(f"| {label} | {share:.0%} |")
    out.append("")

    sq = results["sqlite"]
    top = sq["top10"]
    out.append(f"### Leaderboard with {s['rows']:,} rows\n")
    out.append(f"Filled in {sq['fill_s']:.1f} s (SQLite {sq['version']}); largest boards for all time: "
               + ", ".join(f"`{b}` {n:,} rows" for b, n in sq["largest_boards"]) + ".\n")
    out.append("| database | query | median ms | p99 ms | runs | plan uses `ix_leaderboard_rank`, no sort |")
    out.append("|---|---|---:|---:|---:|---|")
    out.append(f"| SQLite | top 10 of the overall 10-mixed-untimed board, all time (SQL, sqlite3) | {_ms(top['median_ms'])} | {_ms(top['p99_ms'])} | "
               f"{top['runs']} | {_ok(uses_index(top['plan']))} |")
    fn = sq["top_scores_function"]
    out.append(f"| SQLite | same via `boards.store.top_scores()` (a prebuilt SQLAlchemy Core statement) | "
               f"{_ms(fn['median_ms'])} | {_ms(fn['p99_ms'])} | {fn['runs']} | |")
    pg = results["postgres"]
    if "skipped" in pg:
        out.append(f"| PostgreSQL | skipped: {pg['skipped']} | | | | |")
    else:
        out.append(f"| PostgreSQL {pg['version']} | top 10 of the overall 10-mixed-untimed board, all time (SQL, psycopg) | {_ms(pg['median_ms'])} | "
                   f"{_ms(pg['p99_ms'])} | {pg['runs']} | {_ok(pg['uses_index'])} |")
    db_ok = top["p99_ms"] <= TARGETS["db_top10_ms"] and top["median_ms"] <= TARGETS["db_top10_ms"]
    out.append(f"\nTarget top 10 ≤ {TARGETS['db_top10_ms']:.0f} ms in the database: {_ok(db_ok)} (SQLite)"
               + ("" if "skipped" in pg else f", {_ok(pg['median_ms'] <= TARGETS['db_top10_ms'])} (PostgreSQL, "
                  "median)") + "\n")
    out.append("SQLite `EXPLAIN QUERY PLAN` of the top 10:\n")
    out.append("```\n" + top["sql"] + "\n" + "\n".join(top["plan"]) + "\n```\n")
    if "skipped" not in pg:
        out.append(f"PostgreSQL `EXPLAIN (ANALYZE, BUFFERS)` ({pg['rows']:,} rows, filled by COPY in "
                   f"{pg['fill_s']:.1f} s):\n")
        out.append("```\n" + "\n".join(pg["plan"]) + "\n```\n")
    out.append(f"Every SQL statement of the leaderboard pages and the home page (SQLite, {s['rows']:,} rows):\n")
    out.append("| statement | pages | median ms | p99 ms | plan |")
    out.append("|---|---|---:|---:|---|")
    for r in sq["statements"]:
        plan = "; ".join(r["plan"]).replace("|", "\\|")
        out.append(f"| {r['label']} `{', '.join(map(str, r['params']))}` | {' '.join(r['pages'])} | "
                   f"{_ms(r['median_ms'])} | {_ms(r['p99_ms'])} | {plan} |")

    out.append("\n### Leaderboard over HTTP (p99 target ≤ 20 ms)\n")
    out.append("| while | request | requests | median ms | p99 ms | max ms | answers posted meanwhile | p99 ≤ 20 ms |")
    out.append("|---|---|---:|---:|---:|---:|---|---|")
    for r in results["http"]:
        posters = r.get("posters")
        during = "–" if not posters else (f"{posters['requests']:,} at {posters['rps']:,.0f}/s "
                                          f"(p99 {_ms(posters['p99_ms'])} ms, "
                                          f"server CPU {posters.get('server_cpu', 0):.0%})")
        out.append(f"| {r['scenario']} | {r['kind']} `GET {r['path']}` | {r['requests']:,} | {_ms(r['median_ms'])} | "
                   f"{_ms(r['p99_ms'])} | {_ms(r['max_ms'])} | {during} | "
                   f"{_ok(r['p99_ms'] <= TARGETS['http_p99_ms'])} |")

    pw = results["page_weight"]
    out.append(f"\n### Page weight of the play page `{pw['path']}` (target ≤ 100 KB)\n")
    out.append("| resource | type | HTTP | bytes |")
    out.append("|---|---|---:|---:|")
    for i in pw["items"]:
        out.append(f"| `{i['url'] if not i['url'].startswith('/games/') else pw['path']}` | {i['kind']} | "
                   f"{i['status']} | {i['bytes']:,} |")
    kb = pw["total_bytes"] / 1000
    out.append(f"| **total** | | | **{pw['total_bytes']:,}** ({kb:.1f} KB) {_ok(kb <= TARGETS['page_kb'])} |")
    if pw["missing"]:
        out.append(f"\nMissing (not 200): {', '.join(pw['missing'])}")
    return "\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["_loadgen"]:
        return loadgen_main(argv[1])
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--server", choices=("gunicorn", "gevent"), default="gunicorn",
                        help="the WSGI server of both apps (default gunicorn gthread; quizgen serve runs gevent)")
    parser.add_argument("--workers", type=int, default=1, help="gunicorn workers, both apps (default 1)")
    parser.add_argument("--switch-interval", type=float, default=None,
                        help="experiment: the servers' sys.setswitchinterval (Python's default is 0.005 s)")
    parser.add_argument("--threads", type=int, default=8, help="server threads per worker, both apps (default 8)")
    parser.add_argument("--connections", type=int, default=8, help="keep-alive connections of the load (default 8)")
    parser.add_argument("--hello-requests", type=int, default=20_000)
    parser.add_argument("--answer-requests", type=int, default=5_000)
    parser.add_argument("--warmup", type=int, default=300)
    parser.add_argument("--in-process-requests", type=int, default=600, help="test-client requests per app")
    parser.add_argument("--template-games", type=int, default=200, help="games made by start_game, then cloned")
    parser.add_argument("--rows", type=int, default=1_000_000, help="leaderboard rows (default 1,000,000)")
    parser.add_argument("--db-runs", type=int, default=1000, help="runs of the top-10 query (default 1000)")
    parser.add_argument("--other-runs", type=int, default=50, help="runs of the other page queries")
    parser.add_argument("--idle-reads", type=int, default=300, help="leaderboard GETs per request kind, idle")
    parser.add_argument("--phase-seconds", type=float, default=10.0, help="length of each concurrent phase")
    parser.add_argument("--read-rate", type=float, default=10.0, help="leaderboard GETs/s per kind while posting")
    parser.add_argument("--pg-url", default=os.environ.get("QUIZGEN_TEST_DATABASE_URL", DEFAULT_PG_URL))
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--quick", action="store_true", help="small counts: a smoke run of the benchmark itself")
    parser.add_argument("--json", type=Path, help="also write every number to this file")
    parser.add_argument("--check", action="store_true", help="exit 1 if a target is missed or a request failed")
    args = parser.parse_args(argv)
    if args.quick:
        args.hello_requests, args.answer_requests, args.warmup, args.template_games = 2000, 1000, 50, 20
        args.rows, args.db_runs, args.other_runs, args.idle_reads, args.phase_seconds = 60_000, 200, 10, 50, 3
        args.in_process_requests = 200
    started = time.time()
    load_before = os.getloadavg()
    results = run(args)
    results["loadavg"] = {"before": load_before, "after": os.getloadavg()}
    results["seconds"] = time.time() - started
    results["date"] = time.strftime("%Y-%m-%d")
    results["machine"] = f"{os.cpu_count()} cores, Python {sys.version.split()[0]}"
    print(markdown(results))
    print(f"_{results['date']}, {results['machine']}, load average {results['loadavg']['before'][0]:.1f} before "
          f"and {results['loadavg']['after'][0]:.1f} after, whole run {results['seconds']:.0f} s: "
          f"`python benchmarks/bench_web.py {' '.join(argv)}`_".rstrip())
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results, indent=2, default=str))
    if args.check:
        failures = verdict_failures(results)
        for failure in failures:
            print(f"bench_web: {failure}", file=sys.stderr)
        return 1 if failures else 0
    return 0


def verdict_failures(results: dict) -> list[str]:
    """The targets missed and the requests that failed, in words (for ``--check``)."""
    failures = []
    if results["ratio"] < TARGETS["ratio"]:
        failures.append(f"answer/hello ratio {results['ratio']:.2f} < {TARGETS['ratio']}")
    top = results["sqlite"]["top10"]
    if top["p99_ms"] > TARGETS["db_top10_ms"] or not uses_index(top["plan"]):
        failures.append(f"SQLite top 10 p99 {top['p99_ms']:.3f} ms or plan {top['plan']}")
    pg = results["postgres"]
    if "skipped" not in pg and (pg["median_ms"] > TARGETS["db_top10_ms"] or not pg["uses_index"]):
        failures.append(f"PostgreSQL top 10 median {pg['median_ms']:.3f} ms or plan without the index")
    for r in results["http"]:
        if r["p99_ms"] > TARGETS["http_p99_ms"]:
            failures.append(f"{r['path']} p99 {r['p99_ms']:.1f} ms ({r['scenario']})")
        if set(r["status"]) != {"200"}:
            failures.append(f"{r['path']} statuses {r['status']} ({r['scenario']})")
    answer = results["answer"]
    if set(answer["status"]) != {"303"} or answer["answered_in_db"] != answer["requests"]:
        failures.append(f"answers: statuses {answer['status']}, {answer['answered_in_db']} stored")
    if results["page_weight"]["total_bytes"] / 1000 > TARGETS["page_kb"] or results["page_weight"]["missing"]:
        failures.append(f"page weight {results['page_weight']['total_bytes']:,} bytes, missing "
                        f"{results['page_weight']['missing']}")
    return failures


if __name__ == "__main__":
    sys.exit(main())
