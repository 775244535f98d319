"""The answer form's token: a per-game synchronizer token that proves ownership and stops cross-site posts.

``hex(HMAC-SHA256(K, "answer" NUL game id NUL the game's player token))``, ``K`` derived from
``SECRET_KEY`` under a label of its own. Why it is as strong as Flask-WTF's token and the session
it stands in for: docs/security.md.
"""

from __future__ import annotations

import hashlib
import hmac

from flask import Flask, current_app

from webapp.exceptions import ConfigurationError

FIELD = "answer_token"
_EXTENSION_KEY = "quizgen_answer_token_keys"
_LABEL = b"quizgen answer token v1"


def _derive(secret: str | bytes) -> hmac.HMAC:
    # keyed once a process; each token copies this state
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
