"""The instance's owner: signing in, hiding and deleting packs, moderating leaderboards."""

from flask import Blueprint

bp = Blueprint("admin", __name__, template_folder="templates")
