"""One place that turns errors into HTTP answers: HTML for browsers, JSON for API clients."""

from flask import Blueprint

bp = Blueprint("errors", __name__, template_folder="templates")
