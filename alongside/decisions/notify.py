"""Notification emails of decisions. Each carries a link and at most the recipient's first name,
never the proposal's words, the group's name or anyone else's name (DESIGN invariant 2): mail
passes through servers nobody here controls and sits in inboxes that may be searched at a border.
The links carry no group slug either (/<lang>/decide/<id>/, views/links.py).

The actions call the functions at the top inside their transactions; each enqueues one task on
commit (a rolled-back change tells nobody). The task sends each notice once per person, however
often it runs (`send_once` with a key per notice and person), and skips notices that the
proposal has since made pointless (a stage already left, a block already withdrawn). Quick
decisions in the field go out the same way, at once: the worker picks the task up within
seconds.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from functools import partial
from typing import Any

from django.urls import reverse
from django.utils import translation
from django_tasks import task

from alongside.accounts.models import User
from alongside.decisions.models import (
    BlockMessage,
    Position,
    Proposal,
    Response,
)
from alongside.decisions.participants import body_members
from alongside.lib.email import absolute_url, send_notification
from alongside.lib.notices import send_once
from alongside.lib.tasks import enqueue_on_commit

logger = logging.getLogger(__name__)

STAGE = "stage"
RECONFIRM = "reconfirm"
BLOCK = "block"
BLOCK_MESSAGE = "block_message"
CLOSED = "closed"


# --- called by the actions, inside their transactions ---------------------------------------


def stage_started(proposal: Proposal) -> None:
    """The proposal entered a new stage (opened, moved on, the test or a second round began):
    tell the body, once per stage and round."""
    enqueue_on_commit(deliver, STAGE, proposal.pk, stage=str(proposal.stage), round=proposal.round)


def reconfirm(proposal: Proposal, member_ids: Iterable[int]) -> None:
    """An amendment made a new version: ask the people who answered an earlier one to answer
    again."""
    ids = sorted(set(member_ids))
    if ids:
        enqueue_on_commit(deliver, RECONFIRM, proposal.pk, version=proposal.version, ids=ids)


def block_raised(proposal: Proposal, block: Response) -> None:
    """A block paused the proposal: tell the facilitator and the proposer at once."""
    enqueue_on_commit(deliver, BLOCK, proposal.pk, item=block.pk)


def block_message(message: BlockMessage) -> None:
    """A new message in a block's thread: tell the other people in it."""
    enqueue_on_commit(deliver, BLOCK_MESSAGE, message.block.proposal_id, item=message.pk)


def closed(proposal: Proposal) -> None:
    """The proposal closed: tell the body, the proposer and the facilitator that its outcome is
    on its page."""
    enqueue_on_commit(deliver, CLOSED, proposal.pk)


# --- the task --------------------------------------------------------------------------------


@task()
def deliver(
    kind: str,
    proposal_id: int,
    *,
    stage: str = "",
    round: int = 1,
    version: int = 0,
    ids: list[int] | None = None,
    item: int = 0,
) -> int:
    """Send the notices of one event (`kind`) to everyone it concerns, once each. Returns how
    many were sent. One failed recipient does not keep the others from being told; the task
    fails afterwards, so that a retry sends what is missing (and nothing twice)."""
    proposal = Proposal.objects.select_related("group").filter(pk=proposal_id).first()
    if proposal is None:
        return 0
    planned = _plan(kind, proposal, stage=stage, round=round, version=version, ids=ids, item=item)
    if planned is None:
        return 0
    template, key_prefix, people, link = planned
    extra = {"stage": stage, "quick": proposal.is_quick}
    sent = 0
    failure: Exception | None = None
    for person in people:
        try:
            sent += send_once(
                f"{key_prefix}:{person.pk}",
                partial(_send, person, template, link, extra),
            )
        except Exception as error:
            failure = failure or error
    if failure is not None:
        logger.warning("Some decision notices (%s) failed; a retry sends them", kind)
        raise failure
    return sent


Plan = tuple[str, str, list[User], Any]


def _plan(
    kind: str,
    proposal: Proposal,
    *,
    stage: str,
    round: int,
    version: int,
    ids: list[int] | None,
    item: int,
) -> Plan | None:
    """What to send for `kind`: the template, the notice key's prefix, the recipients and a
    function that gives the link in a language; None when there is nothing to say any more."""
    pk = proposal.pk
    if kind == STAGE:
        if proposal.stage != stage or proposal.round != round:
            return None  # moved on since: the next notice says it
        people = list(body_members(proposal))
        return "decisions/email/stage", f"decisions:{stage}:{pk}:r{round}", people, _page(proposal)
    if kind == RECONFIRM:
        if not proposal.is_open or proposal.version != version:
            return None
        people = list(User.objects.filter(pk__in=ids or [], is_active=True))
        return (
            "decisions/email/reconfirm",
            f"decisions:reconfirm:{pk}:v{version}",
            people,
            _page(proposal),
        )
    if kind == BLOCK:
        block = Response.objects.filter(
            pk=item, proposal=proposal, position=Position.BLOCK, superseded_at__isnull=True
        ).first()
        if block is None or not proposal.is_open:
            return None  # withdrawn (or closed) since
        people = _people(proposal.facilitator_id, proposal.proposer_id, without=block.member_id)
        return (
            "decisions/email/block",
            f"decisions:block:{block.pk}",
            people,
            _thread(proposal, block.pk),
        )
    if kind == BLOCK_MESSAGE:
        message = BlockMessage.objects.select_related("block").filter(pk=item).first()
        if message is None:
            return None
        people = _people(
            message.block.member_id,
            proposal.proposer_id,
            proposal.facilitator_id,
            without=message.author_id,
        )
        return (
            "decisions/email/block_message",
            f"decisions:block-message:{message.pk}",
            people,
            _thread(proposal, message.block_id),
        )
    if kind == CLOSED:
        if not proposal.is_closed:
            return None
        body = list(body_members(proposal))
        known = {person.pk for person in body}
        others = _people(proposal.proposer_id, proposal.facilitator_id, without=None)
        people = body + [person for person in others if person.pk not in known]
        return "decisions/email/closed", f"decisions:closed:{pk}", people, _page(proposal)
    raise ValueError(f"unknown decision notice {kind!r}")


def _people(*user_ids: int | None, without: int | None) -> list[User]:
    wanted = {pk for pk in user_ids if pk is not None and pk != without}
    return list(User.objects.filter(pk__in=wanted, is_active=True).order_by("pk"))


def _page(proposal: Proposal) -> Any:
    """The proposal's page, through a link without the group's slug (urls_links.py): an inbox
    must not show that its owner is in a field team. It leads on to the quick page for a quick
    decision, else to the group's decisions page."""
    return partial(reverse, "links:proposal", kwargs={"proposal_id": proposal.pk})


def _thread(proposal: Proposal, block_id: int) -> Any:
    """A block's thread, through a link without the group's slug."""
    return partial(
        reverse, "links:block", kwargs={"proposal_id": proposal.pk, "response_id": block_id}
    )


def _send(person: User, template: str, link: Any, extra: dict[str, Any]) -> int:
    language = person.language or "en"
    with translation.override(language):
        url = absolute_url(link())
    return send_notification(
        to=[person.email],
        template=template,
        context={"first_name": person.first_name, "link": url, **extra},
        language=language,
    )
