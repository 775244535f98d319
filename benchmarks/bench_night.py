"""Quiz night benchmark: real Socket.IO players in one night over WebSocket, from joining to the podium.

    python benchmarks/bench_night.py [--players 1000] [--questions 5] [--procs 1] [--check]

One command, under a minute for 1,000 players on 2 cores; everything stays on 127.0.0.1. It starts
``python -m webapp serve`` (gevent's server, one process, as ``quizgen serve`` runs) on a free port with
a fresh SQLite database in a temporary folder, makes a night of ``--questions`` questions
(``webapp.live.store.create_night``, no tie-breaker), connects the host's controls, and then:

1. **Joins.** ``--players`` players, spread over ``--procs`` load-generator processes, each open a
   WebSocket (``/socket.io/?EIO=4&transport=websocket``, offering permessage-deflate as browsers do),
   connect to the ``/night`` namespace with the night's code and emit ``join`` with a nickname. Join
   time per player = WebSocket opening → ``join`` acknowledged; at most ``--join-concurrency`` joins
   are in flight at once.
2. **Questions.** The host (in this process) emits ``control`` ``next``; every player must receive the
   ``question`` event (broadcast delivery = host sent ``next`` → player received ``question``, both
   read from the machine's wall clock), answers it after a random 0-1 s (acknowledgement = ``answer``
   sent → its acknowledgement received), and must receive the ``reveal`` and their own ``result`` once
   the server's ticker closes the question (everyone answered). Then ``next`` shows the standings and,
   ``--gap`` seconds later, opens the next question. After the last one the host emits ``finish`` and
   every player must receive the ``podium``.
3. **Checks.** Every acknowledgement must be ``ok`` (an answer's: its position and choice, not a
   repeat). Afterwards the database must hold exactly the acknowledged answers (``night_answer``: none
   lost, none stored without an acknowledgement, no (position, player) twice), each player's score must
   be the sum of their answers' points, and the players' ``result`` events must say the same.

The load generator is a light client speaking the protocol itself: per process one asyncio loop and
one ``aiohttp.ClientSession`` for all its players, one reader task per player, and only the frames it
checks are parsed (``question``, ``reveal``, ``result``, acknowledgements). Its CPU is printed beside
the server's (``/proc/<pid>/stat``) as % of one core over each phase, so a reader sees which side set
the limit (and what other, not niced, processes used meanwhile: the machine may be shared); the
server's memory is its ``VmRSS`` / ``VmHWM`` from ``/proc/<pid>/status``. Below the table: each
question's p99s, and the acknowledgement p99 by when in the answering second the answer was sent (a
server that falls behind shows as a rise).
``--profile out`` also records the server with py-spy (``out.joins.txt``, ``out.questions.txt``, raw
collapsed stacks) and prints its busiest frames; profiled runs are slower, not for the targets.

Targets (2 cores, load generator on the same machine): 1,000 players in one night, answer
acknowledgement p99 ≤ 250 ms, question broadcast p99 ≤ 250 ms, no answer lost or counted twice, no
errors (refused connections, failed or missing acknowledgements, missing broadcasts, ``error``
events, disconnects, tracebacks in the server's log). ``--check`` exits 1 when one is missed.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import multiprocessing
import os
import random
import re
import resource
import secrets
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import traceback
from collections import Counter
from contextlib import closing
from pathlib import Path
from typing import Self

import aiohttp

REPO = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
PACK_ID = "tiny-pretty-things"
TARGETS = {"ack_p99_ms": 250.0, "broadcast_p99_ms": 250.0}
JOIN_TIMEOUT_S = 60.0  # one player's whole join: WebSocket, namespace, join acknowledged
ACK_TIMEOUT_S = 30.0  # the host's controls
FINISH_WAIT_S = 15.0  # after ``finish``: how long the players have to receive the podium

# Socket.IO v5 packets on the /night namespace, as Engine.IO v4 "message" packets ("4" + Socket.IO type).
CONNECT, REFUSED, EVENT, ACK = "40/night,", "44/night,", "42/night,", "43/night,"


def log(message: str) -> None:
    print(f"[bench_night {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# =====================================================================================================
# The wire: the few Socket.IO frames a player and a host send and read.
# =====================================================================================================

def connect_frame(auth: dict) -> str:
    """Connect to the /night namespace with ``auth``."""
    return CONNECT + json.dumps(auth)


def event_frame(name: str, data: dict, ack_id: int) -> str:
    """Emit event ``name`` with ``data``, asking for acknowledgement ``ack_id``."""
    return f"{EVENT}{ack_id}{json.dumps([name, data])}"


def event_name(text: str) -> str:
    """The name of an event frame ``42/night,["name",...]``, without parsing the rest."""
    start = len(EVENT) + 2
    return text[start:text.index('"', start)]


def event_data(text: str):
    """The argument of an event frame ``42/night,["name",{...}]``."""
    return json.loads(text[len(EVENT):])[1]


def ack_of(text: str) -> tuple[int, object]:
    """(id, argument) of an acknowledgement frame ``43/night,<id>[{...}]``."""
    bracket = text.index("[", len(ACK))
    return int(text[len(ACK):bracket]), json.loads(text[bracket:])[0]


# =====================================================================================================
# The clients: one reader task per WebSocket; acknowledgements resolve futures, events go to on_event.
# =====================================================================================================

class Client:
    """One Socket.IO connection to /night over one WebSocket (Engine.IO pings answered)."""

    def __init__(self) -> None:
        self.ws: aiohttp.ClientWebSocketResponse | None = None
        self.reader: asyncio.Task | None = None
        self.pending: dict[int, asyncio.Future] = {}
        self.last_ack_id = 0
        self.errors: list[str] = []
        self.closing = False

    def error(self, kind: str, detail: str = "") -> None:
        self.errors.append(f"{kind}: {detail}" if detail else kind)

    async def open(self, session: aiohttp.ClientSession, url: str, auth: dict, deflate: bool) -> bool:
        """Open the WebSocket and connect to the namespace; False (and an error noted) when refused."""
        loop = asyncio.get_running_loop()
        self.opened, self.connected = loop.create_future(), loop.create_future()
        self.ws = await session.ws_connect(url, compress=15 if deflate else 0, heartbeat=None)
        self.reader = asyncio.create_task(self.read())
        if not await self.opened:
            return False
        await self.ws.send_str(connect_frame(auth))
        return await self.connected

    async def request(self, name: str, data: dict):
        """Emit an event and wait for its acknowledgement's argument."""
        self.last_ack_id += 1
        future = asyncio.get_running_loop().create_future()
        self.pending[self.last_ack_id] = future
        await self.ws.send_str(event_frame(name, data, self.last_ack_id))
        return await future

    async def read(self) -> None:
        """Handle every frame until the WebSocket closes."""
        async for message in self.ws:
            now = time.time()
            if message.type != aiohttp.WSMsgType.TEXT:
                continue
            text = message.data
            if text == "2":  # Engine.IO ping
                await self.ws.send_str("3")
            elif text.startswith(EVENT):
                self.on_event(event_name(text), text, now)
            elif text.startswith(ACK):
                self.on_ack(text)
            elif text.startswith(CONNECT):
                self._settle(self.connected, True)
            elif text.startswith(REFUSED):
                self.error("connection refused", text[len(REFUSED):][:100])
                self._settle(self.connected, False)
            elif text.startswith("0{"):  # Engine.IO open
                self._settle(self.opened, True)
            else:
                self.error("unexpected frame", text[:100])
        if not self.closing:
            self.error("disconnected", f"WebSocket closed, code {self.ws.close_code}")
        for future in (self.opened, self.connected):
            self._settle(future, False)

    @staticmethod
    def _settle(future: asyncio.Future, value: bool) -> None:
        if not future.done():
            future.set_result(value)

    def on_ack(self, text: str) -> None:
        ack_id, data = ack_of(text)
        future = self.pending.pop(ack_id, None)
        if future is None:
            self.error("unexpected acknowledgement", text[:100])
        elif not future.done():
            future.set_result(data)

    def on_event(self, name: str, text: str, now: float) -> None:
        raise NotImplementedError

    async def close(self) -> None:
        """Close the WebSocket as a browser tab would (not counted as a disconnect)."""
        self.closing = True
        if self.ws is not None:
            await self.ws.close()
        if self.reader is not None:
            self.reader.cancel()


class Player(Client):
    """A phone: joins, answers each question after a random 0-1 s, and notes what it received when."""

    def __init__(self, index: int, seed: int) -> None:
        super().__init__()
        self.nickname = f"p{index}"
        self.rng = random.Random(seed * 1_000_003 + index)
        self.player_id: int | None = None
        self.join_ms: float | None = None
        self.question_at: dict[int, float] = {}  # position → wall time received
        self.reveals: set[int] = set()
        self.results: dict[int, tuple[int, int]] = {}  # position → (points, score)
        self.sent: dict[int, int] = {}  # position → choice sent
        self.replied: set[int] = set()  # positions whose answer was acknowledged (ok or not)
        self.acked: dict[int, tuple[int, float, float]] = {}  # position → (choice, ack ms, wall time)
        self.podium = False
        self.answering: set[asyncio.Task] = set()

    def on_event(self, name: str, text: str, now: float) -> None:
        if name == "question":
            position = event_data(text)["position"]
            if position in self.question_at:
                self.error("question received twice", str(position))
            self.question_at[position] = now
            task = asyncio.create_task(self.answer_later(position))
            self.answering.add(task)
            task.add_done_callback(self.answering.discard)
        elif name == "reveal":
            self.reveals.add(event_data(text)["position"])
        elif name == "result":
            data = event_data(text)
            self.results[data["position"]] = (data["points"], data["score"])
        elif name == "podium":
            self.podium = True
        elif name in ("error", "removed", "ended"):
            self.error(f"{name} event", text[len(EVENT):][:100])
        # state, standings, ...: not checked here, so not parsed

    async def join(self, session: aiohttp.ClientSession, url: str, code: str, deflate: bool) -> None:
        """Connect with the night's code and join with a nickname; note the time it took."""
        started = time.perf_counter()
        if not await self.open(session, url, {"night": code}, deflate):
            return
        ack = await self.request("join", {"nickname": self.nickname})
        me = ack.get("state", {}).get("me", {}) if isinstance(ack, dict) else {}
        if not (isinstance(ack, dict) and ack.get("ok") is True and isinstance(ack.get("token"), str)
                and isinstance(me.get("id"), int)):
            self.error("join refused", json.dumps(ack)[:100])
            return
        self.player_id = me["id"]
        self.join_ms = (time.perf_counter() - started) * 1000

    async def answer_later(self, position: int) -> None:
        """Answer after a random 0-1 s and check the acknowledgement."""
        await asyncio.sleep(self.rng.random())
        choice = self.rng.randint(1, 4)
        self.sent[position] = choice
        started = time.perf_counter()
        ack = await self.request("answer", {"position": position, "choice": choice})
        latency_ms = (time.perf_counter() - started) * 1000
        self.replied.add(position)
        if (isinstance(ack, dict) and ack.get("ok") is True and ack.get("position") == position
                and ack.get("choice") == choice and ack.get("repeat") is False):
            self.acked[position] = (choice, latency_ms, time.time())
        else:
            self.error("answer not accepted", json.dumps(ack)[:100])

    def report(self) -> dict:
        """What the main process needs of this player (plain data, sent between processes)."""
        errors = self.errors + [f"answer not acknowledged: question {p + 1}" for p in self.sent
                                if p not in self.replied]
        return {"nickname": self.nickname, "player_id": self.player_id, "join_ms": self.join_ms,
                "question_at": self.question_at, "reveals": sorted(self.reveals), "results": self.results,
                "sent": self.sent, "acked": self.acked, "podium": self.podium, "errors": errors}


class Host(Client):
    """The host's controls: opens each question, waits for its reveal, shows the standings, finishes."""

    def __init__(self) -> None:
        super().__init__()
        self.next_step = ""
        self.sent_at: dict[int, float] = {}  # position → wall time the host sent the "next" that opened it
        self.reveal_at: dict[int, float] = {}  # position → wall time the host received the reveal
        self.changed = asyncio.Event()

    def on_event(self, name: str, text: str, now: float) -> None:
        if name == "next":
            self.next_step = event_data(text)["next"]
        elif name == "state":
            self.next_step = event_data(text).get("next", self.next_step)
        elif name == "reveal":
            self.reveal_at[event_data(text)["position"]] = now
        elif name == "error":
            self.error("error event", text[len(EVENT):][:100])
        self.changed.set()

    async def wait_until(self, condition, timeout: float, what: str) -> None:
        """Wait for the events that make ``condition()`` true; RuntimeError after ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        while not condition():
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise RuntimeError(f"the host saw no {what} within {timeout:.0f} s")
            self.changed.clear()
            try:
                await asyncio.wait_for(self.changed.wait(), remaining)
            except TimeoutError:
                pass

    async def control(self, action: str) -> None:
        """Emit a host control; RuntimeError unless it is acknowledged ``ok``."""
        try:
            ack = await asyncio.wait_for(self.request("control", {"action": action}), ACK_TIMEOUT_S)
        except TimeoutError:
            raise RuntimeError(f"control {action!r} not acknowledged within {ACK_TIMEOUT_S:.0f} s") from None
        if not (isinstance(ack, dict) and ack.get("ok") is True):
            raise RuntimeError(f"control {action!r} refused: {json.dumps(ack)[:100]}")

    async def play(self, questions: int, seconds: int, gap: float) -> None:
        """Run every question, then show the podium; RuntimeError if the night gets stuck."""
        for position in range(questions):
            await self.wait_until(lambda: self.next_step == "question", ACK_TIMEOUT_S, '"next": "question"')
            self.sent_at[position] = time.time()
            await self.control("next")
            await self.wait_until(lambda p=position: p in self.reveal_at and self.next_step == "standings",
                                  seconds + 10, f"reveal of question {position + 1}")
            await self.control("next")  # the standings
            await asyncio.sleep(gap)
        await self.wait_until(lambda: self.next_step == "final", ACK_TIMEOUT_S, '"next": "final"')
        await self.control("finish")


# =====================================================================================================
# Load-generator processes: each runs its share of the players, on commands from the main process.
# =====================================================================================================

def cpu_seconds() -> float:
    """User + system CPU seconds of this process so far."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


class CpuSampler:
    """A process's CPU seconds read every 0.25 s (wall time, CPU seconds), for its busiest second."""

    def __init__(self, read) -> None:
        self.read = read
        self.samples: list[tuple[float, float]] = []

    async def run(self) -> None:
        while True:
            self.samples.append((time.time(), self.read()))
            await asyncio.sleep(0.25)


def busiest_second(samples: list[tuple[float, float]], start: float, end: float) -> float:
    """The highest CPU share (of one core) over any second between ``start`` and ``end``."""
    inside = [s for s in samples if start <= s[0] <= end]
    best = 0.0
    for i, (t0, cpu0) in enumerate(inside):
        later = [(t1, cpu1) for t1, cpu1 in inside[i + 1:] if t1 - t0 >= 1.0]
        if later:
            best = max(best, (later[0][1] - cpu0) / (later[0][0] - t0))
    return best


def machine_cpu_seconds() -> float:
    """CPU seconds the whole machine has been busy (every core), from /proc/stat; processes that run niced
    (``nice -n 19 pytest``) are left out, as they yield to the benchmark's."""
    fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
    user, _nice, system, _idle, _iowait, irq, softirq, steal = (int(x) for x in fields[:8])
    return (user + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def raise_open_files_limit() -> None:
    """One socket per player: let this process open as many files as the system allows."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard != resource.RLIM_INFINITY and soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


async def receive(conn, timeout: float | None = None) -> tuple:
    """The next message on a pipe, polled so that the event loop keeps running; TimeoutError after ``timeout``."""
    deadline = None if timeout is None else time.monotonic() + timeout
    while not conn.poll():
        if deadline is not None and time.monotonic() > deadline:
            raise TimeoutError
        await asyncio.sleep(0.05)
    return conn.recv()


def worker_main(conn, settings: dict) -> None:
    """Entry point of a load-generator process (Ctrl-C is the main process's to handle)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    raise_open_files_limit()
    try:
        asyncio.run(run_worker(conn, settings))
    except Exception:  # noqa: BLE001 - told to the main process, which stops the run
        conn.send(("crashed", traceback.format_exc()))


async def run_worker(conn, s: dict) -> None:
    """"join" → join every player, answer "joined"; then play until "stop"; answer with the results."""
    await receive(conn)
    sampler = CpuSampler(cpu_seconds)
    sampling = asyncio.create_task(sampler.run())
    cpu_start = cpu_seconds()
    players = [Player(index, s["seed"]) for index in s["indices"]]
    slots = asyncio.Semaphore(s["join_concurrency"])
    connector = aiohttp.TCPConnector(limit=0)  # the default (100 connections) would hold back the joins
    async with aiohttp.ClientSession(connector=connector) as session:
        async def join(player: Player) -> None:
            async with slots:
                try:
                    await asyncio.wait_for(player.join(session, s["url"], s["code"], s["deflate"]), JOIN_TIMEOUT_S)
                except (TimeoutError, aiohttp.ClientError, OSError) as exc:
                    player.error("join failed", f"{type(exc).__name__} {exc}"[:100])

        await asyncio.gather(*(join(p) for p in players))
        cpu_joined = cpu_seconds()
        conn.send(("joined",))
        watcher = asyncio.create_task(tell_when_finished(conn, players))
        await receive(conn)  # "stop"
        cpu_end = cpu_seconds()
        watcher.cancel()
        sampling.cancel()
        await close_all(players)
    conn.send(("results", {"players": [p.report() for p in players],
                           "cpu_joins": cpu_joined - cpu_start, "cpu_questions": cpu_end - cpu_joined,
                           "cpu_samples": sampler.samples}))


async def tell_when_finished(conn, players: list[Player]) -> None:
    """Send "finished" once every player has the podium (or never joined, or lost its connection)."""
    while not all(p.podium or p.player_id is None or p.ws.closed for p in players):
        await asyncio.sleep(0.1)
    conn.send(("finished",))


async def close_all(players: list[Player]) -> None:
    """Close every player's WebSocket and cancel what is still waiting for an acknowledgement."""
    try:
        await asyncio.wait_for(asyncio.gather(*(p.close() for p in players), return_exceptions=True), 15)
    except TimeoutError:
        pass
    for p in players:
        for task in list(p.answering):
            task.cancel()


class Workers:
    """The load-generator processes, each with a pipe to this one; terminated on exit."""

    def __init__(self, count: int, players: int, settings: dict) -> None:
        self.count, self.players, self.settings = count, players, settings
        self.conns, self.processes = [], []

    def __enter__(self) -> Self:
        context = multiprocessing.get_context("spawn")  # a clean process: no server modules, no open database
        for k in range(self.count):
            mine, theirs = context.Pipe()
            share = dict(self.settings, indices=list(range(k, self.players, self.count)))
            process = context.Process(target=worker_main, args=(theirs, share), name=f"bench_night-{k}")
            self.processes.append(process)
            self.conns.append(mine)
            process.start()
        return self

    def send_all(self, message: tuple) -> None:
        for conn in self.conns:
            conn.send(message)

    async def receive_all(self, expected: str, timeout: float, *, skip: tuple[str, ...] = ()) -> list[tuple]:
        """One ``expected`` message from each process (passing over ``skip`` ones); RuntimeError otherwise."""
        messages = []
        deadline = time.monotonic() + timeout
        for conn in self.conns:
            while True:
                try:
                    message = await receive(conn, max(0.0, deadline - time.monotonic()))
                except TimeoutError:
                    raise RuntimeError(f"a load-generator process sent no {expected!r} "
                                       f"within {timeout:.0f} s") from None
                except (EOFError, OSError):
                    raise RuntimeError("a load-generator process died (its output is above)") from None
                if message[0] not in skip:
                    break
            if message[0] != expected:
                raise RuntimeError(f"a load-generator process sent {message[0]!r} instead of {expected!r}:\n"
                                   f"{message[1] if len(message) > 1 else ''}")
            messages.append(message)
        return messages

    def __exit__(self, *exc) -> None:
        for process in self.processes:
            process.join(timeout=5 if exc[0] is None else 0)
            if process.is_alive():
                process.terminate()
                process.join(timeout=5)


# =====================================================================================================
# The server, the night, the database.
# =====================================================================================================

def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


class Server:
    """``python -m webapp serve`` on a free port of 127.0.0.1 with its own SQLite database; stopped on exit."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.port = free_port()
        self.database_url = f"sqlite:///{folder / 'q.db'}"
        self.log_path = folder / "server.log"
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> Self:
        env = dict(os.environ, QUIZGEN_DATABASE_URL=self.database_url, QUIZGEN_SECRET_KEY=secrets.token_hex(32),
                   QUIZGEN_ENV="development")
        cmd = [sys.executable, "-m", "webapp", "serve", "--host", HOST, "--port", str(self.port),
               "--questions", str(REPO / "questions")]
        with open(self.log_path, "wb") as out:  # the child keeps its own handle
            # A session of its own: Ctrl-C reaches only this process, which then stops the server.
            self.process = subprocess.Popen(cmd, cwd=str(REPO), env=env, stdout=out, stderr=subprocess.STDOUT,
                                            stdin=subprocess.DEVNULL, start_new_session=True)
        deadline = time.monotonic() + 60
        while "quizgen serving on" not in self.log():
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the server did not start:\n{self.log()[-3000:]}")
            time.sleep(0.1)
        return self

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def problems(self) -> list[str]:
        """Lines of the server's log that report a failure (tracebacks, exceptions, errors)."""
        return [line for line in self.log().splitlines()
                if re.search(r"Traceback|Error|Exception|failed", line)]

    def cpu(self) -> float:
        """User + system CPU seconds of the server process so far."""
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def memory_mb(self) -> dict[str, float]:
        """The server's resident memory now (VmRSS) and at its peak (VmHWM), in MB."""
        status = Path(f"/proc/{self.process.pid}/status").read_text()
        kb = {m.group(1): int(m.group(2)) for m in re.finditer(r"^(VmRSS|VmHWM):\s+(\d+) kB", status, re.MULTILINE)}
        return {"rss": kb["VmRSS"] / 1024, "peak": kb["VmHWM"] / 1024}

    def __exit__(self, *exc) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


class Profiler:
    """py-spy recording the server while it is open (``--profile``); writes collapsed stacks to ``path``."""

    def __init__(self, pid: int | None, path: Path | None) -> None:
        self.pid, self.path, self.process = pid, path, None

    def __enter__(self) -> Self:
        if self.path is not None:
            spy = shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy")
            self.process = subprocess.Popen([spy, "record", "--pid", str(self.pid), "--format", "raw", "--rate", "100",
                                             "-o", str(self.path)], stdout=subprocess.DEVNULL,
                                            stderr=subprocess.DEVNULL, start_new_session=True)
        return self

    def __exit__(self, *exc) -> None:
        if self.process is not None:
            self.process.send_signal(signal.SIGINT)  # py-spy writes its file when interrupted
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()


def read_profile(path: Path) -> tuple[Counter, Counter, int]:
    """Self and total samples by function (line numbers dropped) of a py-spy raw profile, and all samples."""
    own, total, samples = Counter(), Counter(), 0
    for line in path.read_text().splitlines() if path.exists() else []:
        stack, _, n = line.rpartition(" ")
        if not stack or not n.isdigit():
            continue
        frames = [re.sub(r":\d+\)$", ")", frame) for frame in stack.split(";")]
        samples += int(n)
        own[frames[-1]] += int(n)
        for frame in set(frames):
            total[frame] += int(n)
    return own, total, samples


def make_night(server: Server, questions: int, seconds: int) -> dict:
    """A night in its lobby with ``questions`` questions (rounds of at most 10): its id, code and host key."""
    sys.path.insert(0, str(REPO))
    from webapp import create_app, db
    from webapp.live import rules, store

    app = create_app({"DATABASE_URL": server.database_url, "SECRET_KEY": "bench"},
                     instance_path=str(server.folder / "instance"))
    counts = [min(10, questions - start) for start in range(0, questions, 10)]
    plan = rules.Plan(title="bench", pack_ids=(PACK_ID,), seconds=seconds, tiebreak=False,
                      rounds=tuple(rules.RoundPlan(f"Round {k + 1}", n) for k, n in enumerate(counts)))
    with app.app_context():
        night, host_key = store.create_night(db.get_session(), plan, now=int(time.time() * 1000))
        result = {"id": night.id, "code": night.code, "host_key": host_key}
    db.get_engine(app).dispose()
    return result


def read_database(path: Path, night_id: str) -> dict:
    """The night's stored answers and scores, read straight from SQLite."""
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as con:
        answers = con.execute("SELECT position, player_id, choice, points FROM night_answer WHERE night_id = ?",
                              (night_id,)).fetchall()
        duplicates = con.execute("SELECT count(*) FROM (SELECT 1 FROM night_answer WHERE night_id = ? "
                                 "GROUP BY position, player_id HAVING count(*) > 1)", (night_id,)).fetchone()[0]
        scores = dict(con.execute("SELECT id, score FROM night_player WHERE night_id = ?", (night_id,)))
    return {"answers": answers, "duplicates": duplicates, "scores": scores}


# =====================================================================================================
# A run: server, night, workers, host; then the numbers.
# =====================================================================================================

class Phase:
    """Wall time, and CPU seconds of the server, of this process and of the machine, over one phase."""

    def __init__(self, server: Server) -> None:
        self.server = server
        self.start = time.time()
        self.cpu_at_start = self.cpu()

    def cpu(self) -> tuple[float, float, float]:
        return self.server.cpu(), cpu_seconds(), machine_cpu_seconds()

    def end(self) -> dict:
        """The phase's totals (and the server's memory at its end)."""
        server, own, machine = (b - a for a, b in zip(self.cpu_at_start, self.cpu(), strict=True))
        end = time.time()
        return {"start": self.start, "end": end, "wall_s": end - self.start, "server_cpu_s": server,
                "own_cpu_s": own, "machine_cpu_s": machine, "memory": self.server.memory_mb()}


async def drive(args, server: Server, night: dict, workers: Workers, profile: Path | None) -> dict:
    """Connect the host, have the players join, play every question, finish; the raw measurements."""
    url = f"ws://{HOST}:{server.port}/socket.io/?EIO=4&transport=websocket"
    host = Host()
    samplers = {"server": CpuSampler(server.cpu), "host": CpuSampler(cpu_seconds)}
    sampling = [asyncio.create_task(sampler.run()) for sampler in samplers.values()]
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as session:
        auth = {"night": night["id"], "host": night["host_key"], "screen": "host"}
        if not await host.open(session, url, auth, args.deflate):
            raise RuntimeError(f"the host could not connect: {host.errors}")
        memory_idle = server.memory_mb()

        log(f"joining {args.players:,} players over {args.procs} process(es)")
        phase = Phase(server)
        with Profiler(server.process.pid, profile and profile.with_suffix(".joins.txt")):
            workers.send_all(("join",))
            await workers.receive_all("joined", JOIN_TIMEOUT_S * args.players / args.join_concurrency + 60)
        joins = phase.end()
        log(f"joined in {joins['wall_s']:.1f} s; playing {args.questions} questions")

        phase = Phase(server)
        with Profiler(server.process.pid, profile and profile.with_suffix(".questions.txt")):
            try:
                await host.play(args.questions, args.seconds, args.gap)
                await workers.receive_all("finished", FINISH_WAIT_S)
            except RuntimeError as exc:
                host.error("night stuck", str(exc))
        questions = phase.end()
        log(f"questions done in {questions['wall_s']:.1f} s; collecting results")

        workers.send_all(("stop",))
        # After a stuck night some "finished" were never read: they come before the results.
        results = [m[1] for m in await workers.receive_all("results", 60, skip=("finished",))]
        await host.close()
    for task in sampling:
        task.cancel()
    return {"server_cpu_samples": samplers["server"].samples, "host_cpu_samples": samplers["host"].samples,
            "memory_idle": memory_idle, "joins": joins, "questions": questions, "sent_at": host.sent_at,
            "reveal_at": host.reveal_at, "host_errors": host.errors, "workers": results}


def run(args) -> dict:
    """Start everything, run the night, stop everything (also on Ctrl-C or an error); the measurements."""
    with tempfile.TemporaryDirectory(prefix="bench_night-") as tmp:
        folder = Path(tmp)
        with Server(folder) as server:
            log(f"server pid {server.process.pid} on port {server.port}")
            night = make_night(server, args.questions, args.seconds)
            settings = {"url": f"ws://{HOST}:{server.port}/socket.io/?EIO=4&transport=websocket",
                        "code": night["code"], "seed": args.seed, "deflate": args.deflate,
                        "join_concurrency": max(1, args.join_concurrency // args.procs)}
            with Workers(args.procs, args.players, settings) as workers:
                raw = asyncio.run(drive(args, server, night, workers, args.profile))
            raw["memory_end"] = server.memory_mb()
            raw["server_problems"] = server.problems()
            raw["database"] = read_database(folder / "q.db", night["id"])
    return raw


# =====================================================================================================
# The numbers and the report.
# =====================================================================================================

def pct(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100) of ``values``."""
    ordered = sorted(values)
    if not ordered:
        return math.nan
    return ordered[min(len(ordered) - 1, max(0, math.ceil(q / 100 * len(ordered)) - 1))]


class Errors:
    """Errors counted by kind, with the first example of each."""

    def __init__(self) -> None:
        self.counts: Counter = Counter()
        self.examples: dict[str, str] = {}

    def note(self, kind: str, example: str = "", n: int = 1) -> None:
        if n:
            self.counts[kind] += n
            self.examples.setdefault(kind, example)

    def total(self) -> int:
        return sum(self.counts.values())


def check_broadcasts(joined: list[dict], raw: dict, errors: Errors) -> dict:
    """Delivery times of each question; every question, reveal, result and the podium received."""
    broadcast_ms, per_question, close_lag_ms, by_slice = [], {}, [], {}
    for position, sent in sorted(raw["sent_at"].items()):
        delays = [(p["question_at"][position] - sent) * 1000 for p in joined if position in p["question_at"]]
        acks = [p["acked"][position] for p in joined if position in p["acked"]]  # (choice, ms, wall time)
        per_question[position] = (pct(delays, 99), pct([a[1] for a in acks], 99))
        broadcast_ms += delays
        for _, ms, received in acks:  # by when the answer was sent, in quarters of a second after "next"
            by_slice.setdefault(min(5, int((received - ms / 1000 - sent) * 4)), []).append(ms)
        if acks and position in raw["reveal_at"]:
            close_lag_ms.append((raw["reveal_at"][position] - max(a[2] for a in acks)) * 1000)
        for event, received in (("question", "question_at"), ("reveal", "reveals"), ("result", "results")):
            missing = [p["nickname"] for p in joined if position not in p[received]]
            errors.note(f"{event} event missing", f"{missing[:1]}, question {position + 1}", len(missing))
    missing = [p["nickname"] for p in joined if not p["podium"]]
    errors.note("podium event missing", str(missing[:1]), len(missing))
    return {"broadcast_ms": broadcast_ms, "per_question": per_question, "close_lag_ms": close_lag_ms,
            "ack_by_slice": {k: pct(v, 99) for k, v in sorted(by_slice.items())}}


def check_database(joined: list[dict], db: dict, errors: Errors) -> dict:
    """The stored answers and scores against the acknowledgements and the ``result`` events."""
    stored = {(position, player_id): (choice, points) for position, player_id, choice, points in db["answers"]}
    acked = {(position, p["player_id"]): a[0] for p in joined for position, a in p["acked"].items()}
    lost = sum(1 for key, choice in acked.items() if stored.get(key, (None, 0))[0] != choice)
    unacked = sum(1 for key in stored if key not in acked)
    points = Counter()
    for (_, player_id), (_, earned) in stored.items():
        points[player_id] += earned
    score_mismatch = sum(1 for player_id, score in db["scores"].items() if score != points[player_id])
    result_mismatch = 0
    for p in joined:
        for position, (earned, _) in p["results"].items():
            result_mismatch += earned != stored.get((position, p["player_id"]), (None, 0))[1]
        if p["results"]:
            result_mismatch += p["results"][max(p["results"])][1] != db["scores"].get(p["player_id"])
    errors.note("answer lost (acknowledged, not stored as sent)", n=lost)
    errors.note("answer stored without an acknowledgement", n=unacked)
    errors.note("(position, player) stored twice", n=db["duplicates"])
    errors.note("score is not the sum of the player's points", n=score_mismatch)
    errors.note("result event disagrees with the database", n=result_mismatch)
    return {"acked": len(acked), "stored": len(stored), "lost": lost, "twice": unacked + db["duplicates"],
            "score_sum": sum(db["scores"].values()), "points_sum": sum(points.values()),
            "score_mismatch": score_mismatch}


def cpu_shares(raw: dict, phase: str) -> dict:
    """CPU over a phase as shares of one core: server, load generator, other processes; busiest seconds."""
    totals = raw[phase]
    wall, start, end = totals["wall_s"], totals["start"], totals["end"]
    workers = sum(w[f"cpu_{phase}"] for w in raw["workers"])
    loadgen = workers + totals["own_cpu_s"]
    loadgen_samples = [raw["host_cpu_samples"]] + [w["cpu_samples"] for w in raw["workers"]]
    return {"wall_s": wall, "server": totals["server_cpu_s"] / wall, "loadgen": loadgen / wall,
            "others": max(0.0, totals["machine_cpu_s"] - totals["server_cpu_s"] - loadgen) / wall,
            "server_busiest": busiest_second(raw["server_cpu_samples"], start, end),
            "loadgen_busiest": max(busiest_second(samples, start, end) for samples in loadgen_samples)}


def analyse(raw: dict) -> dict:
    """From the raw measurements: latencies, counts, checks against the database, errors by kind."""
    players = [p for w in raw["workers"] for p in w["players"]]
    joined = [p for p in players if p["player_id"] is not None]
    errors = Errors()
    for p in players:
        for e in p["errors"]:
            errors.note(e.split(":")[0], f"{p['nickname']}: {e}")
    for e in raw["host_errors"]:
        errors.note("host: " + e.split(":")[0], e)
    for line in raw["server_problems"]:
        errors.note("server log", line[:120])
    return {
        "players": len(players), "joined": len(joined), "join_ms": [p["join_ms"] for p in joined],
        "questions_played": len(raw["sent_at"]), "sent": sum(len(p["sent"]) for p in players),
        "ack_ms": [a[1] for p in joined for a in p["acked"].values()],
        **check_broadcasts(joined, raw, errors), **check_database(joined, raw["database"], errors),
        "errors": errors, "cpu": {"join": cpu_shares(raw, "joins"), "questions": cpu_shares(raw, "questions")},
        "memory": {"idle": raw["memory_idle"]["rss"], "joined": raw["joins"]["memory"]["rss"],
                   "end": raw["memory_end"]["rss"], "peak": raw["memory_end"]["peak"]},
    }


def _ms(x: float) -> str:
    return "–" if x is None or math.isnan(x) else f"{x:,.0f}" if x >= 10 else f"{x:.1f}"


def _ok(good: bool | None) -> str:
    return "" if good is None else ("✅" if good else "❌")


def rows(args, a: dict) -> list[tuple[str, str, str, bool | None]]:
    """The report's rows: (metric, value, target, met or None when there is no target)."""
    n_errors = a["errors"].total()
    cpu, mem = a["cpu"], a["memory"]
    server, loadgen = (f"{cpu['join'][who]:.0%} / {cpu['questions'][who]:.0%} "
                       f"({cpu['questions'][who + '_busiest']:.0%})" for who in ("server", "loadgen"))
    return [
        ("players joined", f"{a['joined']:,} of {a['players']:,}", "all", a["joined"] == a["players"] == args.players),
        ("questions played", f"{a['questions_played']} of {args.questions}", "all",
         a["questions_played"] == args.questions),
        ("join time, all players (wall)", f"{cpu['join']['wall_s']:.1f} s", "", None),
        ("join time per player p50 / p99", f"{_ms(pct(a['join_ms'], 50))} / {_ms(pct(a['join_ms'], 99))} ms", "", None),
        ("question broadcast delivery p50", f"{_ms(pct(a['broadcast_ms'], 50))} ms", "", None),
        ("question broadcast delivery p99", f"{_ms(pct(a['broadcast_ms'], 99))} ms",
         f"≤ {TARGETS['broadcast_p99_ms']:.0f} ms", pct(a["broadcast_ms"], 99) <= TARGETS["broadcast_p99_ms"]),
        ("answer acknowledgement p50", f"{_ms(pct(a['ack_ms'], 50))} ms", "", None),
        ("answer acknowledgement p99", f"{_ms(pct(a['ack_ms'], 99))} ms", f"≤ {TARGETS['ack_p99_ms']:.0f} ms",
         pct(a["ack_ms"], 99) <= TARGETS["ack_p99_ms"]),
        ("answers sent / acknowledged ok / in the database", f"{a['sent']:,} / {a['acked']:,} / {a['stored']:,}",
         "all equal", a["sent"] == a["acked"] == a["stored"] == a["joined"] * args.questions),
        ("answers lost / stored twice or unacknowledged", f"{a['lost']} / {a['twice']}", "0 / 0",
         a["lost"] == 0 and a["twice"] == 0),
        ("sum of players' scores = sum of answers' points",
         f"{a['score_sum']:,} = {a['points_sum']:,}, {a['score_mismatch']} players off", "equal",
         a["score_sum"] == a["points_sum"] and not a["score_mismatch"]),
        ("errors (all kinds, listed below)", f"{n_errors:,}", "0", n_errors == 0),
        ("question closed after the last answer p50 / max",
         f"{_ms(pct(a['close_lag_ms'], 50))} / {_ms(max(a['close_lag_ms'], default=math.nan))} ms", "", None),
        ("server CPU, % of a core: joins / questions (busiest second of the questions)", server, "", None),
        (f"load generator CPU ({args.procs} proc + host), same (busiest second of one process)", loadgen, "", None),
        ("other processes (not niced), joins / questions (% of a core)",
         f"{cpu['join']['others']:.0%} / {cpu['questions']['others']:.0%}", "", None),
        ("server memory RSS idle → joined → end (peak)",
         f"{mem['idle']:.0f} → {mem['joined']:.0f} → {mem['end']:.0f} MB ({mem['peak']:.0f} MB)", "", None),
    ]


def report(args, a: dict) -> str:
    """The printed report: the table, per-question p99s, the errors by kind."""
    settings = (f"{args.players:,} players over {args.procs} load-generator process(es), {args.questions} "
                f"questions, permessage-deflate {'on' if args.deflate else 'off'}, "
                f"load average after {os.getloadavg()[0]:.1f}\n")
    out = [settings, "| metric | value | target | ok |", "|---|---:|---|---|"]
    out += [f"| {metric} | {value} | {target} | {_ok(good)} |" for metric, value, target, good in rows(args, a)]
    out.append("\nPer question, broadcast p99 / acknowledgement p99 (ms): " + ", ".join(
        f"{pos + 1}: {_ms(b)} / {_ms(k)}" for pos, (b, k) in sorted(a["per_question"].items())))
    out.append("Acknowledgement p99 by when the answer was sent after the host's next (a queue shows as a rise): "
               + ", ".join(f"{k / 4:.2f}{'+' if k == 5 else f'-{(k + 1) / 4:.2f}'} s: {_ms(v)} ms"
                           for k, v in a["ack_by_slice"].items()))
    busy = max(a["cpu"]["join"]["others"], a["cpu"]["questions"]["others"])
    if busy > 0.2:
        out.append(f"\n**Other processes used up to {busy:.0%} of a core meanwhile: these numbers are not the "
                   f"server's alone; run again on a quiet machine.**")
    if a["errors"].total():
        out.append("\nErrors by kind (count, first example):")
        out += [f"- {kind}: {n:,} ({a['errors'].examples[kind]})" for kind, n in a["errors"].counts.most_common()]
    return "\n".join(out)


def profile_report(path: Path, count: int = 12) -> str:
    """The busiest functions of the server in each profiled phase: the app's own (total), and any (self)."""
    out = []
    for phase in ("joins", "questions"):
        own, total, samples = read_profile(path.with_suffix(f".{phase}.txt"))
        if not samples:
            out.append(f"\nServer profile, {phase}: no samples")
            continue
        out.append(f"\nServer profile, {phase}: {samples / 100:.1f} s busy (py-spy at 100 Hz); the app's functions "
                   f"by total share, then any function by self share:")
        mine = [(f, n) for f, n in total.most_common() if "webapp/" in f][:count]
        out += [f"- {n / samples:.0%} {frame}" for frame, n in mine]
        out.append("")
        out += [f"- {n / samples:.0%} {frame}" for frame, n in own.most_common(count)]
    return "\n".join(out)


def git_commit() -> str:
    """The commit the server's code is at (with "+changes" when the tree differs from it)."""
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True,
                              check=True).stdout.strip()
        changed = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no", "webapp"], cwd=REPO,
                                 capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return head + ("+changes" if changed else "")


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--players", type=int, default=1000, help="players in the night (default 1000)")
    parser.add_argument("--questions", type=int, default=5, help="questions played (default 5)")
    parser.add_argument("--procs", type=int, default=1, help="load-generator processes for the players (default 1)")
    parser.add_argument("--join-concurrency", type=int, default=50, help="joins in flight at once (default 50)")
    parser.add_argument("--seconds", type=int, default=20, help="each question's time (default 20)")
    parser.add_argument("--gap", type=float, default=1.0, help="seconds between the standings and the next question")
    parser.add_argument("--no-deflate", dest="deflate", action="store_false",
                        help="do not offer permessage-deflate (browsers do)")
    parser.add_argument("--seed", type=int, default=1, help="seeds the players' delays and choices")
    parser.add_argument("--profile", type=Path, metavar="OUT",
                        help="record the server with py-spy to OUT.joins.txt and OUT.questions.txt")
    parser.add_argument("--check", action="store_true", help="exit 1 if a target is missed or anything failed")
    args = parser.parse_args(argv)
    if args.players < 1 or args.questions < 1 or args.procs < 1 or args.join_concurrency < 1:
        parser.error("--players, --questions, --procs and --join-concurrency must be at least 1")
    print(f"`python benchmarks/bench_night.py {' '.join(argv)}`".replace(" `", "`"), flush=True)
    print(f"_{time.strftime('%Y-%m-%d %H:%M')}, {os.cpu_count()} cores ({os.uname().machine}), "
          f"Python {sys.version.split()[0]}, commit {git_commit()}, load average before {os.getloadavg()[0]:.1f}_\n",
          flush=True)
    a = analyse(run(args))
    print(report(args, a))
    if args.profile:
        print(profile_report(args.profile))
    if args.check:
        missed = [metric for metric, _, _, good in rows(args, a) if good is False]
        for metric in missed:
            print(f"bench_night: missed: {metric}", file=sys.stderr)
        return 1 if missed else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
