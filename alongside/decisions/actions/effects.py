"""What an agreed proposal does (helper C implements)."""

from __future__ import annotations

from alongside.decisions.models import Proposal


def apply_outcome(proposal: Proposal) -> None:
    """Called by the close, inside its transaction, once the outcome is stored: grant the core
    role, adopt a new decision rule, give or withdraw a mandate, mark a decision ratified or not,
    queue a quick decision taken outside any mandate for ratification."""
