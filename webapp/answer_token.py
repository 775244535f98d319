"""The answer form's token: a per-game synchronizer token that proves ownership and stops cross-site posts.

``POST /games/<id>/questions/<n>`` is the request a game sends most (docs/performance-web.md), and
the generic protections cost most of it: Flask-WTF's CSRF check reads the session cookie (verifying
its signature and decoding it), then unsigns its own token and compares it with the session's copy;
and the game's owner was found through that same session cookie. Instead, the question page carries
one hidden field, ``answer_token``:

    hex(HMAC-SHA256(K, "answer" NUL <game id> NUL <the game's player token>))

where ``K`` is derived from the app's ``SECRET_KEY`` once per app (:func:`init_app`), under a label
of its own, so that these MACs are never interchangeable with the session's or Flask-WTF's
signatures. The player token is the random secret that names the game's owner; it is stored on the
game row (``games.find_turn`` reads it with the game, in the one SELECT the answer needs anyway) and
in the owner's signed session cookie.

Why this is at least as strong as what it replaces:

* **Cross-site request forgery.** A page on another site can make the browser post the form, but
  it cannot read the token: it is only ever in the HTML of the owner's question page (never in a
  URL, so never in a ``Referer`` or a log), the same-origin policy keeps that page's content from
  other sites (no CORS; ``X-Frame-Options: DENY``), and nobody can compute it without ``K``. This is
  OWASP's synchronizer-token pattern, like Flask-WTF's, only bound to the game rather than to the
  session; the comparison is :func:`hmac.compare_digest`.
* **Ownership.** The question page is served only to the session whose player owns the game, so
  holding the token proves the sender was shown the owner's page, as the session cookie did. The
  token answers this one game and nothing else: another game has another id (and maybe another
  player), hence another MAC.
* **Decided on purpose: the token is a bearer credential for its game.** A request carrying the
  right token is accepted without reading the session cookie at all, so a second browser holding
  it could answer (and would then be redirected to a feedback page that, without the owner's
  cookie, is a 404). To hold it, one must have been shown the owner's page, that is, be the owner
  or have read their screen's source; it grants nothing but answering that game's questions in
  order, once each, under the same server-side rules as before (deadline, order, one answer).
* It does not expire while the game exists, like the session-bound token with
  ``WTF_CSRF_TIME_LIMIT = None``; rotating ``SECRET_KEY`` invalidates every token (the keys in
  ``SECRET_KEY_FALLBACKS`` are still accepted, as for the session cookie).
* Flask-WTF also demands a same-origin ``Referer`` over HTTPS. That guards a token kept in a cookie
  that a man in the middle could plant over plain HTTP; this one is computed by the server from
  secrets no cookie carries, so there is nothing to plant.

A request without the field takes the path every other form takes: Flask-WTF's check (unless
``WTF_CSRF_ENABLED`` is off, as in most tests), then the session's player must own the game. A
field that is present is always checked, CSRF setting or not; a wrong one, or one for a game that
does not exist, is the CSRF error (400) in every case, so a stranger learns nothing about which
games exist.
"""

from __future__ import annotations

import hashlib
import hmac

from flask import Flask, current_app

from .exceptions import ConfigurationError

FIELD = "answer_token"
_EXTENSION_KEY = "quizgen_answer_token_keys"
_LABEL = b"quizgen answer token v1"


def _derive(secret: str | bytes) -> hmac.HMAC:
    # The HMAC state keyed once; each token copies it (hmac.digest() would key it again, and let go
    # of the GIL for the call: a thread switch on a busy server, for 1 µs of hashing).
    key = hmac.digest(secret.encode() if isinstance(secret, str) else secret, _LABEL, hashlib.sha256)
    return hmac.new(key, digestmod=hashlib.sha256)


def init_app(app: Flask) -> None:
    """Derive ``app``'s token keys from its secret keys, once (the first one signs, all of them verify)."""
    if not app.secret_key:
        raise ConfigurationError("The answer tokens need a SECRET_KEY.")
    secret_keys = [app.secret_key, *(app.config.get("SECRET_KEY_FALLBACKS") or ())]
    app.extensions[_EXTENSION_KEY] = tuple(_derive(secret) for secret in secret_keys)


def _mac(keyed: hmac.HMAC, game_id: str, player: str) -> str:
    mac = keyed.copy()
    mac.update(b"answer\x00" + game_id.encode() + b"\x00" + player.encode())
    return mac.hexdigest()


def for_game(game_id: str, player: str) -> str:
    """The answer token of the game ``game_id`` owned by ``player`` (for the question page)."""
    return _mac(current_app.extensions[_EXTENSION_KEY][0], game_id, player)


def is_valid(token: str, game_id: str, player: str) -> bool:
    """Whether ``token`` is the answer token of game ``game_id`` owned by ``player`` (constant-time compare)."""
    if not token.isascii():  # compare_digest takes ASCII str only; a token never has anything else
        return False
    for keyed in current_app.extensions[_EXTENSION_KEY]:
        if hmac.compare_digest(token, _mac(keyed, game_id, player)):
            return True
    return False
