"""A game alone: start it, one question at a time, feedback, results, posting the score."""

from flask import Blueprint

bp = Blueprint("solo", __name__, template_folder="templates")
