"""The thread in which a blocker, the proposer and the facilitator try to resolve a block.

A blocker who restates their block answers again, which makes a new block row; the thread is
the blocker's, on that proposal, so it runs on across those rows (`thread_of`). It is part of
the proposal's record: once the proposal is closed nothing is added to it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alongside.decisions import notify
from alongside.decisions.actions import DecisionError, lock_proposal, refuse_if_finished
from alongside.decisions.models import BlockMessage, Position, Response
from alongside.decisions.participants import in_block_thread
from alongside.lib import audit

MESSAGE_MAX = 4000


def thread_of(block: Response) -> QuerySet[BlockMessage]:
    """Every message about the blocks of `block`'s author on its proposal, oldest first."""
    return (
        BlockMessage.objects.filter(
            block__proposal_id=block.proposal_id,
            block__member_id=block.member_id,
            block__position=Position.BLOCK,
        )
        .select_related("author")
        .order_by("created_at", "pk")
    )


def post_block_message(
    *,
    block: Response,
    author: Any,
    body: str,
    request: HttpRequest | None = None,
    now: dt.datetime | None = None,
) -> BlockMessage:
    """Add a message to `block`'s thread and tell the others in it. Refused on a closed or
    withdrawn proposal, for anyone outside the thread, and for an empty or too long message."""
    body = body.strip()
    with transaction.atomic():
        locked = lock_proposal(block.proposal_id)
        refuse_if_finished(locked)
        block.proposal = locked
        if not in_block_thread(author, block):
            raise DecisionError(
                _("Only the blocker, the proposer and the facilitator write in this thread.")
            )
        if not body:
            raise DecisionError(_("Please write your message."))
        if len(body) > MESSAGE_MAX:
            raise DecisionError(_("Please keep your message shorter."))
        message = BlockMessage.objects.create(
            block=block, author=author, body=body, created_at=now or timezone.now()
        )
        audit.record(actor=author, action="block_message", target=block, request=request)
        notify.block_message(message)
    return message
