// Quiz nights: the projector, the host's controls and the player's phone, kept in step over Socket.IO.
// The server is the referee: this script only draws what it is told and sends what the person chose.
// Events and payloads: webapp/live/events.py and webapp/live/broadcast.py.
(function () {
  "use strict";
  const body = document.body;
  const role = body.dataset.role;
  if (!role || typeof io === "undefined") return;

  const SHAPES = ["▲", "◆", "●", "■"];
  const SHAPE_NAMES = ["triangle", "diamond", "circle", "square"];
  const ANNOUNCE_AT = [30, 10, 5];  // seconds left said aloud to screen readers, not every second
  const NOTICE_MS = 8000;  // how long a passing notice (a joker played) stays up
  const $ = (name) => document.querySelector(`[data-bind="${name}"]`);
  const el = (tag, attrs, ...children) => {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === "class") node.className = v; else if (k === "text") node.textContent = v; else node.setAttribute(k, v);
    }
    for (const child of children) node.append(child);
    return node;
  };
  const setText = (name, text) => { const node = $(name); if (node) node.textContent = text; };
  const setHidden = (name, hidden) => { const node = $(name); if (node) node.hidden = hidden; };
  const points = (n) => Number(n).toLocaleString("en");
  const ordinal = (n) => `${n}${(n % 100 >= 11 && n % 100 <= 13) ? "th" : ["th", "st", "nd", "rd"][n % 10] || "th"}`;

  let night = null;       // the night's summary (code, phase, rounds, teams...)
  let me = null;          // the player, on a phone
  let question = null;    // the open question
  let shownQuestion = null;  // the last question a screen showed, for its reveal
  let clock = null;       // {start, windowMs, paused, pausedAt}
  let announced = new Set();

  function show(view) {
    document.querySelectorAll("[data-view]").forEach((s) => { s.hidden = s.dataset.view !== view; });
  }

  function status(text) { setText("status", text); }

  let noticeTimer = null;
  function notice(text) {
    setText("notice", text);
    clearTimeout(noticeTimer);
    noticeTimer = setTimeout(() => setText("notice", ""), NOTICE_MS);
  }

  // --- connection --------------------------------------------------------------------------------------
  const code = body.dataset.night;
  const storageKey = `quizgen-night-${code}`;
  function auth() {
    if (role === "player") {
      const token = localStorage.getItem(storageKey);
      return token ? { night: code, player: token } : { night: code };
    }
    return { night: code, host: body.dataset.key, screen: role };
  }
  const socket = io("/night", { auth: (cb) => cb(auth()), transports: ["websocket"] });

  socket.on("connect", () => status(""));
  socket.on("disconnect", () => status("Connection lost: reconnecting…"));
  socket.on("connect_error", (err) => {
    if (role === "player" && localStorage.getItem(storageKey) && /join again/.test(err.message)) {
      localStorage.removeItem(storageKey);  // this browser's player was removed or the night was reset
      socket.connect();
      return;
    }
    status(`${err.message} Retrying…`);
    if (!socket.active) setTimeout(() => socket.connect(), 2000);
  });
  socket.on("error", (data) => status(data && data.error ? data.error : "Something went wrong."));

  // --- the clock ------------------------------------------------------------------------------------------
  function ownFactor() { return role === "player" && me ? me.time_factor : 100; }

  function windowOf(q) {
    const factor = ownFactor();
    return factor === 0 ? null : (q.seconds * 1000 + q.extra_ms) * factor / 100;
  }

  function startClock(q) {
    const now = performance.now();
    clock = { start: now - q.elapsed_ms, windowMs: windowOf(q), paused: q.paused, pausedAt: now };
    announced = new Set();
    drawPaused();
    tickClock();
  }

  function drawPaused() { setHidden("paused", !(clock && clock.paused)); }

  function tickClock() {
    if (!clock || !question) return;
    const bar = $("timebar");
    if (clock.windowMs === null) {
      setText("clock", "∞");
      if (bar) bar.style.transform = "none";
      return;
    }
    const now = clock.paused ? clock.pausedAt : performance.now();
    const leftMs = Math.max(0, clock.windowMs - (now - clock.start));
    const left = Math.ceil(leftMs / 1000);
    setText("clock", String(left));
    if (bar) bar.style.transform = `scaleX(${(leftMs / clock.windowMs).toFixed(3)})`;
    for (const mark of ANNOUNCE_AT) {
      if (left <= mark && left > 0 && !announced.has(mark) && clock.windowMs / 1000 > mark) {
        announced.add(mark);
        setText("announce", `${mark} seconds left`);
      }
    }
    if (left === 0 && !announced.has(0)) { announced.add(0); setText("announce", "Time is up"); }
  }
  setInterval(tickClock, 250);

  socket.on("clock", (data) => {
    if (!question || data.position !== question.position) return;
    question.extra_ms = data.extra_ms;
    question.elapsed_ms = data.elapsed_ms;
    question.paused = data.paused;
    startClock(question);
    if (role === "host") drawHostButtons();
  });

  // --- shared drawing --------------------------------------------------------------------------------------
  function progressText(q) {
    return q.tiebreak ? "Tie-breaker" : `${q.round_title} · question ${q.number} of ${q.total}`;
  }

  function roundText(q) {
    return q.tiebreak ? "Tie-breaker" : `Round ${q.round + 1} · ${q.round_title}`;
  }

  function optionItem(text, i, extra) {
    return el("li", { class: `option opt-${i + 1}` },
      el("span", { class: "shape", "aria-hidden": "true" }, SHAPES[i]),
      el("span", { class: "sr-only" }, `${SHAPE_NAMES[i]}: `),
      el("span", { class: "text" }, text), ...(extra || []));
  }

  function drawBoard(target, rows) {
    const list = $(target);
    if (!list) return;
    list.replaceChildren(...rows.map((row) => {
      const up = row.movement > 0, down = row.movement < 0;
      const move = up ? `▲ ${row.movement}` : down ? `▼ ${-row.movement}` : "–";
      const moveText = up ? `up ${row.movement}` : down ? `down ${-row.movement}` : "no change";
      return el("li", {},
        el("span", { class: "rank" }, `${row.rank}.`), el("span", { class: "name" }, row.name),
        el("span", { class: "score" }, points(row.score)),
        el("span", { class: `move${up ? " up" : down ? " down" : ""}` },
          el("span", { "aria-hidden": "true" }, move), el("span", { class: "sr-only" }, moveText)));
    }));
  }

  function drawStandings(data) {
    drawBoard("board", data.players);
    drawBoard("team-board", data.teams || []);
    setHidden("teams-col", !(data.teams && data.teams.length));
    setHidden("players-title", !(data.teams && data.teams.length));
  }

  function drawPodium(data) {
    const list = $("podium");
    if (list) {
      list.replaceChildren(...data.players.slice(0, 3).map((row) => el("li", { class: `place place-${Math.min(row.rank, 3)}` },
        el("span", { class: "rank" }, `${row.rank}`), el("span", { class: "name" }, row.name),
        el("span", { class: "score" }, points(row.score)))));
    }
    drawBoard("podium-teams", data.teams || []);
    setHidden("podium-teams-col", !(data.teams && data.teams.length));
  }

  function drawReveal(data) {
    setText("reveal-stem", data.stem);
    if (shownQuestion) setText("reveal-round", roundText(shownQuestion));
    const list = $("reveal-options");
    if (list) {
      list.replaceChildren(...data.options.map((text, i) => {
        const right = i + 1 === data.right;
        const count = data.counts[i];
        const item = optionItem(text, i, [
          el("span", { class: "count" }, el("span", { "aria-hidden": "true" }, `${count}`),
            el("span", { class: "sr-only" }, count === 1 ? " 1 answer" : ` ${count} answers`)),
          right ? el("span", { class: "tick" }, "✓ Right answer") : ""]);
        item.classList.add(right ? "right" : "dim");
        return item;
      }));
      if (data.tiebreak) list.replaceChildren(el("li", { class: "option opt-4 right" }, `The answer: ${data.text}`));
    }
    setText("explanation", data.skipped ? "This question was skipped: it counts for nobody." : data.explanation);
    const where = data.source.quote ? `: “${data.source.quote}”` : data.source.date ? ` (${data.source.date})` : "";
    setText("source", `Source: ${data.source.article}${where}`);
    setText("count", `${data.answered} of ${data.players} answered`);
  }

  // --- the projector -------------------------------------------------------------------------------------------
  function drawRoster(players) {
    const count = players.length === 1 ? "1 player" : `${players.length} players`;
    setText("lobby-count", role === "host" ? `(${players.length})` : (players.length ? `${count} in` : "Nobody here yet."));
    const list = $("roster");
    if (list) {
      list.replaceChildren(...players.slice(-60).map((p) => el("li", {}, p.nickname,
        ...(p.team ? [el("span", { class: "team" }, ` · ${p.team}`)] : []))));
    }
    if (role === "host") drawRosterTable(players);
  }

  function drawScreenQuestion(q) {
    question = shownQuestion = q;
    setText("notice", "");  // eyes on the question now
    if (night) { night.phase = "question"; night.position = q.position; night.round = q.round; }
    setText("round", roundText(q));
    setText("progress", role === "host" ? progressText(q) : (q.tiebreak ? "Tie-breaker" : `Question ${q.number} of ${q.total}`));
    setText("stem", q.stem || "");
    setText("count", "");
    setText("answer", "");
    const list = $("options");
    if (list) list.replaceChildren(...q.options.map((text, i) => optionItem(text, i)));
    startClock(q);
    show("question");
  }

  // --- the host's controls ----------------------------------------------------------------------------------------
  const NEXT_LABELS = { question: "Next question", standings: "Show leaderboard", final: "Podium", "": "Next" };
  let nextStep = "";

  function drawHostButtons() {
    if (role !== "host") return;
    const phase = night ? night.phase : "lobby";
    const running = phase === "question";
    const paused = running && clock && clock.paused;
    const over = phase === "final" || phase === "ended";
    const set = (action, visible, enabled) => {
      const button = document.querySelector(`[data-action="${action}"]`);
      if (!button) return;
      button.hidden = !visible;
      button.disabled = !enabled;
    };
    const nextButton = document.querySelector('[data-action="next"]');
    if (nextButton) nextButton.textContent = phase === "lobby" ? "Start the quiz" : running ? "Waiting for answers…" : NEXT_LABELS[nextStep] || "Next";
    set("next", !over, !running && nextStep !== "");
    set("pause", running && !paused, running);
    set("resume", !!paused, !!paused);
    set("add_time", running, running && !paused);
    set("close", running, running);
    set("skip", running, running);
    set("standings", phase === "reveal" && nextStep !== "standings", phase === "reveal");
    set("finish", !over && phase !== "lobby" && nextStep !== "final", true);
    set("end", phase !== "ended", true);
    const phases = { lobby: "Waiting for players.", question: paused ? "Paused." : "A question is open: the answer is below.",
      reveal: "Showing the answer.", standings: "Showing the leaderboard.", final: "On the podium.", ended: "The night is over." };
    setText("phase", phases[phase] || "");
    if (!running) setText("clock", "");
    if (phase !== "question" && phase !== "reveal") { setText("stem", ""); setText("answer", ""); setText("count", ""); }
    setHidden("results-link", !over);
  }

  function control(action, extra) {
    setText("error", "");
    socket.timeout(10000).emit("control", Object.assign({ action }, extra || {}), (err, reply) => {
      if (err) setText("error", "No answer from the server: check the connection and try again.");
      else if (!reply.ok) setText("error", reply.error);
    });
  }

  document.querySelectorAll("[data-action]").forEach((button) => {
    button.addEventListener("click", () => {
      if (button.dataset.action === "end" && !confirm("End the night for everyone?")) return;
      control(button.dataset.action, button.dataset.seconds ? { seconds: Number(button.dataset.seconds) } : {});
    });
  });

  const lock = $("lock");
  if (lock) lock.addEventListener("change", () => control(lock.checked ? "lock" : "unlock"));

  const TIME_CHOICES = [[100, "Normal"], [150, "× 1.5"], [200, "× 2"], [0, "No limit"]];
  function drawRosterTable(players) {
    const table = $("roster-table");
    if (!table) return;
    table.replaceChildren(...players.map((p) => {
      const name = el("input", { value: p.nickname, "aria-label": `New nickname for ${p.nickname}`, maxlength: "20" });
      const rename = el("button", { type: "button", text: "Rename", "aria-label": `Rename ${p.nickname}` });
      rename.addEventListener("click", () => control("rename", { player: p.id, nickname: name.value }));
      const time = el("select", { "aria-label": `Time for ${p.nickname}` },
        ...TIME_CHOICES.map(([value, label]) => el("option", { value: String(value), text: label })));
      time.value = String(p.time_factor);
      time.addEventListener("change", () => control("time", { player: p.id, factor: Number(time.value) }));
      const remove = el("button", { type: "button", class: "danger", text: "Remove", "aria-label": `Remove ${p.nickname}` });
      remove.addEventListener("click", () => { if (confirm(`Remove ${p.nickname}?`)) control("remove", { player: p.id }); });
      return el("tr", {}, el("td", {}, el("div", { class: "rename" }, name, rename)), el("td", { text: p.team || "" }),
        el("td", {}, time), el("td", {}, remove));
    }));
  }

  // --- the player's phone ----------------------------------------------------------------------------------------
  function drawMe() {
    if (!me) return;
    const extra = me.time_factor === 0 ? " · no time limit" : me.time_factor !== 100 ? ` · ${me.time_factor / 100}× time` : "";
    setText("me", `${me.nickname}${me.team ? ` (${me.team})` : ""} · ${points(me.score)} points${extra}`);
    drawJoker();
  }

  function drawJoker() {
    const box = $("joker-box");
    if (!box || body.dataset.joker !== "true" || !me) return;
    const rounds = JSON.parse(body.dataset.rounds || "[]");
    box.hidden = false;
    if (me.joker_round !== null && me.joker_round !== undefined) {
      setText("joker-status", `Round ${me.joker_round + 1} (${rounds[me.joker_round]}) counts double.`);
      $("joker-rounds").replaceChildren();
      return;
    }
    const current = night ? night.round : -1;
    $("joker-rounds").replaceChildren(...rounds.map((title, i) => {
      const button = el("button", { type: "button", text: `Double round ${i + 1}: ${title}` });
      button.disabled = i <= current;
      button.addEventListener("click", () => {
        socket.timeout(10000).emit("joker", { round: i }, (err, reply) => {
          if (err) status("No answer from the server: try again.");
          else if (!reply.ok) status(reply.error);
          else { me.joker_round = reply.round; drawJoker(); }
        });
      });
      return button;
    }));
  }

  function drawPlayerQuestion(q, mine) {
    question = q;
    if (night) { night.phase = "question"; night.position = q.position; night.round = q.round; }
    setText("round", progressText(q));
    const stem = $("stem");
    if (stem) {
      stem.textContent = q.stem || `Question ${q.number}: look at the big screen`;
      stem.classList.toggle("away", !q.stem);
    }
    setHidden("joker-on", !(me && !q.tiebreak && me.joker_round === q.round));
    const buttons = $("buttons");
    const guessForm = document.querySelector('[data-form="guess"]');
    guessForm.hidden = !q.tiebreak;
    guessForm.querySelectorAll("input, button").forEach((n) => { n.disabled = false; });
    guessForm.reset();
    buttons.replaceChildren(...q.options.map((text, i) => {
      const button = el("button", { type: "button", class: `option opt-${i + 1}`, "data-choice": String(i + 1) },
        el("span", { class: "shape", "aria-hidden": "true" }, SHAPES[i]),
        el("span", { class: "text" }, text || SHAPE_NAMES[i]));
      button.setAttribute("aria-label", `${SHAPE_NAMES[i]}: ${text}`);
      button.addEventListener("click", () => sendAnswer({ position: q.position, choice: i + 1 }));
      return button;
    }));
    setText("receipt", "");
    if (mine) drawReceipt(mine);
    startClock(q);
    show("question");
  }

  function drawReceipt(receipt) {
    document.querySelectorAll("[data-choice]").forEach((b) => {
      b.disabled = true;
      if (Number(b.dataset.choice) === receipt.choice) {
        b.classList.add("chosen");
        b.setAttribute("aria-pressed", "true");
      }
    });
    const guessForm = document.querySelector('[data-form="guess"]');
    if (guessForm) guessForm.querySelectorAll("input, button").forEach((n) => { n.disabled = true; });
    const text = receipt.choice ? `${SHAPES[receipt.choice - 1]} ${question.options[receipt.choice - 1] || ""}` : `${receipt.guess}`;
    setText("receipt", `Answer in: ${text}. Wait for the reveal…`);
  }

  function sendAnswer(payload, attempt) {
    document.querySelectorAll("[data-choice]").forEach((b) => { b.disabled = true; });
    socket.timeout(12000).emit("answer", payload, (err, reply) => {  // the server waits up to 10 s for its desk
      if (err) {  // no acknowledgement: send again; the server keeps the first answer only
        if ((attempt || 0) < 3) sendAnswer(payload, (attempt || 0) + 1);
        else setText("receipt", "Your answer could not be sent: check the connection.");
        return;
      }
      if (!reply.ok) {
        setText("receipt", reply.error);
        if (question && question.position === payload.position && !/late|closed/i.test(reply.error)) {
          document.querySelectorAll("[data-choice]").forEach((b) => { b.disabled = false; });  // e.g. paused: try again
        }
        return;
      }
      drawReceipt(reply);
    });
  }

  const guessForm = document.querySelector('[data-form="guess"]');
  if (guessForm) guessForm.addEventListener("submit", (event) => {
    event.preventDefault();
    sendAnswer({ position: question.position, guess: guessForm.guess.value });
  });

  function drawResult(result, reveal) {
    if (!me) return;
    me.score = result.score;
    me.streak = result.streak;
    me.rank = result.rank;
    let verdict, mood = "";
    if (result.skipped) verdict = "Skipped: this one counts for nobody.";
    else if (reveal && reveal.tiebreak) verdict = result.guess === null ? "No guess." : `You were ${result.off} away.`;
    else if (result.choice === null) { verdict = "No answer this time."; mood = "wrong"; }
    else { verdict = result.correct ? "Right!" : "Not this time."; mood = result.correct ? "right" : "wrong"; }
    const box = $("verdict-box");
    if (box) box.className = `verdict-box ${mood}`;
    setText("verdict", verdict);
    const verdictNode = $("verdict");
    if (verdictNode) verdictNode.classList.toggle("long", verdict.length > 16);
    setText("points", result.points ? `+${points(result.points)} points` : "");
    setText("score", points(result.score));
    setText("streak", String(result.streak));
    setText("rank", `${result.rank} of ${result.players}`);
    const yours = reveal && !reveal.tiebreak && result.choice && !result.correct
      ? `You answered ${SHAPES[result.choice - 1]} ${reveal.options[result.choice - 1]}. ` : "";
    if (reveal) setText("explanation", reveal.skipped ? "" : `${yours}The answer: ${reveal.text}. ${reveal.explanation}`);
    question = null;
    drawMe();
    show("result");
  }

  const joinForm = document.querySelector('[data-form="join"]');
  if (joinForm) joinForm.addEventListener("submit", (event) => {
    event.preventDefault();
    const team = joinForm.querySelector('input[name="team"]:checked');
    setText("join-error", "");
    socket.timeout(10000).emit("join", { nickname: joinForm.nickname.value, team: team ? team.value : null }, (err, reply) => {
      if (err) { setText("join-error", "No answer from the server: try again."); return; }
      if (!reply.ok) { setText("join-error", reply.error); return; }
      localStorage.setItem(storageKey, reply.token);
      drawState(reply.state);
    });
  });

  // --- the night as it is now (on every connection) ---------------------------------------------------------------
  let lastReveal = null;
  function drawState(state) {
    night = state.night;
    if (state.me) { me = state.me; drawMe(); }
    if (state.roster) drawRoster(state.roster);
    if (role === "host") {
      nextStep = state.next || "";
      if (lock) lock.checked = night.locked;
      const tb = document.querySelector('[data-action="tiebreak"]');
      if (tb) tb.hidden = !(state.podium && state.podium.tiebreak_ready);
    }
    const phase = night.phase;
    question = null;
    if (role === "player" && !me) { show("join"); return; }
    if (phase === "lobby") { show("lobby"); setText("progress", role === "host" ? "" : `${night.total} questions`); }
    if (phase === "question" && state.question) {
      if (role === "player") drawPlayerQuestion(state.question, state.mine);
      else drawScreenQuestion(state.question);
      if (state.answer) drawAnswer(state.answer);
      if (state.count) drawCount(state.count);
    }
    if ((phase === "reveal" || phase === "standings") && state.reveal) {
      lastReveal = state.reveal;
      if (role === "player") { if (state.result) drawResult(state.result, state.reveal); }
      else { drawReveal(state.reveal); show("reveal"); }
      if (phase === "standings" && state.standings && role !== "player") { drawStandings(state.standings); show("standings"); }
    }
    if ((phase === "final" || phase === "ended") && state.podium) drawFinal(state.podium);
    drawHostButtons();
  }

  function drawFinal(podium) {
    question = null;
    if (role === "player") {
      if (me) {
        setText("final-score", points(me.score));
        const mine = podium.players.find((row) => row.name === me.nickname);
        const rank = mine ? mine.rank : me.rank;
        setText("final-rank", rank ? `You finished ${ordinal(rank)}!` : "Thanks for playing!");
        const team = me.team && (podium.teams || []).find((row) => row.name === me.team);
        setText("final-team", team ? `${team.name} finished ${ordinal(team.rank)} of ${podium.teams.length} teams.` : "");
      }
    } else {
      drawPodium(podium);
      setText("progress", "Final results");
    }
    show("final");
    if (role === "host") {
      const tb = document.querySelector('[data-action="tiebreak"]');
      if (tb) tb.hidden = !podium.tiebreak_ready;
    }
  }

  function drawAnswer(answer) {
    if (!question || answer.position !== question.position) return;
    setText("answer", answer.right ? `Answer: ${SHAPES[answer.right - 1]} ${answer.text}` : `Answer: ${answer.text}`);
  }

  function drawCount(count) {
    setText("count", `${count.answered} of ${count.players} answered`);
  }

  socket.on("state", drawState);
  socket.on("night", (summary) => { night = summary; if (lock) lock.checked = night.locked; drawHostButtons(); });
  socket.on("roster", (data) => drawRoster(data.players));
  socket.on("question", (q) => { if (role === "player") drawPlayerQuestion(q, null); });
  socket.on("question_screen", (q) => { if (role !== "player") { drawScreenQuestion(q); drawHostButtons(); } });
  socket.on("answer", drawAnswer);
  socket.on("count", (count) => { if (question && count.position === question.position) drawCount(count); });
  socket.on("reveal", (data) => {
    lastReveal = data;
    if (night) night.phase = "reveal";
    question = null;
    setText("clock", "");
    if (role !== "player") { drawReveal(data); show("reveal"); }
    drawHostButtons();
  });
  socket.on("result", (result) => drawResult(result, lastReveal));
  socket.on("next", (data) => { nextStep = data.next; drawHostButtons(); });
  socket.on("standings", (data) => {
    if (night) night.phase = "standings";
    if (role !== "player") { drawStandings(data); show("standings"); }
    drawHostButtons();
  });
  socket.on("podium", (data) => { if (night) night.phase = "final"; drawFinal(data); drawHostButtons(); });
  socket.on("ended", (data) => { if (night) night.phase = "ended"; drawFinal(data.podium); drawHostButtons(); });
  socket.on("me", (changes) => {
    if (!me) return;
    Object.assign(me, changes);
    if ("time_factor" in changes && clock && question) clock.windowMs = windowOf(question);  // the same start
    drawMe();
  });
  socket.on("joker", (data) => notice(`Joker for ${data.who}: round ${data.round + 1} (${data.title}) counts double!`));
  socket.on("removed", (data) => {
    localStorage.removeItem(storageKey);
    setText("gone-title", "You were removed");
    setText("gone-text", data.message);
    show("gone");
    socket.disconnect();
  });
})();
