"""The state changes of decisions: every one is a function here (keyword-only arguments, a verb
for a name) that runs inside `transaction.atomic()`.

An action that changes a proposal first locks its row (`lock_proposal`) and only then reads its
stage, so two changes of one proposal take turns (on PostgreSQL a row lock; on SQLite the
settings open every transaction IMMEDIATE, so writers take turns at BEGIN). What the proposal's
state does not allow raises `DecisionError` with a message for the person; views show it as a
flash message or a form error.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from alongside.decisions.models import Proposal, Stage


class DecisionError(Exception):
    """An action the proposal's state (or the person's part in it) does not allow; `message` is
    for the person (a lazily translated string)."""

    def __init__(self, message: Any) -> None:
        super().__init__(str(message))
        self.message = message


def lock_proposal(pk: int) -> Proposal:
    """The proposal's row, locked (only its own row), with its group read along. Call inside
    `transaction.atomic()`, before reading the proposal's stage."""
    return Proposal.objects.select_for_update(of=("self",)).select_related("group").get(pk=pk)


def why_finished(proposal: Proposal) -> Any | None:
    """Why nothing of the proposal's record changes any more (closed or withdrawn), or None."""
    if proposal.stage == Stage.CLOSED:
        return _("This proposal is closed: its record no longer changes.")
    if proposal.stage == Stage.WITHDRAWN:
        return _("This proposal was withdrawn.")
    return None


def refuse_if_finished(proposal: Proposal) -> None:
    """The record of a closed or withdrawn proposal never changes: refuse."""
    finished = why_finished(proposal)
    if finished is not None:
        raise DecisionError(finished)
