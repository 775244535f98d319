"""Leaderboards: per pack and overall, for all time, this week and today."""

from flask import Blueprint

bp = Blueprint("boards", __name__, template_folder="templates", url_prefix="/leaderboards")
