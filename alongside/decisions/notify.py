"""Notification emails of decisions (helper B implements). Each carries a link and at most a
first name, never the proposal's words (DESIGN invariant 2). Called from the actions inside
their transactions: sending is enqueued on commit."""

from __future__ import annotations

from collections.abc import Iterable

from alongside.decisions.models import Proposal, Response


def stage_started(proposal: Proposal) -> None:
    """The proposal entered a new stage (opened, moved on, or the test began)."""


def reconfirm(proposal: Proposal, member_ids: Iterable[int]) -> None:
    """An amendment made a new version: these people answered an earlier one."""


def block_raised(proposal: Proposal, block: Response) -> None:
    """A block paused the proposal: tell the facilitator (and the proposer) at once."""


def block_message(block: Response, author_id: int) -> None:
    """A new message in a block's thread: tell the other people in it."""


def closed(proposal: Proposal) -> None:
    """The proposal closed: tell the body its outcome is in the register."""
