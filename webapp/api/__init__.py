"""The JSON API (packs, leaderboards, its OpenAPI description) and the Open Trivia DB endpoints."""

from flask import Blueprint

bp = Blueprint("api", __name__)
