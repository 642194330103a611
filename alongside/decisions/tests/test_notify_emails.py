"""Decision emails: a link and the recipient's first name in their own language, never the
proposal's words or anyone else's name; each sent once however often its task runs; none for
what has moved on since."""

from __future__ import annotations

from typing import Any

from django.core import mail
from django.db import transaction

from alongside.decisions import notify
from alongside.decisions.models import Position, Proposal, Stage
from alongside.decisions.tests.factories import add_member, make_proposal, respond
from conftest import World


def test_the_test_beginning_tells_every_member_once_in_their_language(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    arabic = add_member(world.norcal, "Rana Member", language="ar")
    proposal = make_proposal(group=world.norcal, proposer=world.core, stage=Stage.TEST)
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        notify.stage_started(proposal)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        ["core@example.org", "volunteer@example.org", arabic.email]
    )
    to_rana = next(m for m in mail.outbox if m.to == [arabic.email])
    # The link names no group: an inbox must not tell which groups its owner is in.
    assert f"/ar/decide/{proposal.pk}/" in to_rana.body
    assert "Rana" in to_rana.body and "Member" not in to_rana.body
    to_vera = next(m for m in mail.outbox if m.to == ["volunteer@example.org"])
    assert to_vera.subject == "A decision of your group waits for your answer"
    assert f"/en/decide/{proposal.pk}/" in to_vera.body
    for message in mail.outbox:
        assert "northern-california" not in message.body
    for message in mail.outbox:
        assert "olive" not in f"{message.subject} {message.body}".lower()
        assert "Maya" not in message.body or message.to == ["core@example.org"]

    # The task run again (a retry, a second worker) sends nothing twice.
    assert notify.deliver.call(notify.STAGE, proposal.pk, stage="test", round=1) == 0
    assert len(mail.outbox) == 3


def test_a_stage_notice_is_dropped_when_the_proposal_has_moved_on(world: World) -> None:
    proposal = make_proposal(group=world.norcal, proposer=world.core, stage=Stage.CONCERNS)
    assert notify.deliver.call(notify.STAGE, proposal.pk, stage="questions", round=1) == 0
    assert not mail.outbox


def test_people_whose_answer_an_amendment_set_aside_are_asked_to_answer_again(
    world: World,
) -> None:
    proposal = make_proposal(group=world.norcal, proposer=world.core, stage=Stage.TEST)
    respond(proposal, world.volunteer, Position.AGREE)
    Proposal.objects.filter(pk=proposal.pk).update(version=2)
    sent = notify.deliver.call(notify.RECONFIRM, proposal.pk, version=2, ids=[world.volunteer.pk])
    assert sent == 1
    assert mail.outbox[0].to == ["volunteer@example.org"]
    assert mail.outbox[0].subject == "A proposal changed: please answer again"
    # A later version makes the earlier request pointless.
    assert notify.deliver.call(notify.RECONFIRM, proposal.pk, version=1, ids=[world.core.pk]) == 0


def test_the_close_tells_the_body_and_the_proposer(world: World) -> None:
    proposal = make_proposal(
        group=world.norcal, proposer=world.core, stage=Stage.CLOSED, outcome="consensus"
    )
    assert notify.deliver.call(notify.CLOSED, proposal.pk) == 2
    assert {m.subject for m in mail.outbox} == {"A decision of your group is closed"}


def test_a_block_withdrawn_before_the_notice_left_is_not_announced(world: World) -> None:
    proposal = make_proposal(group=world.norcal, proposer=world.core, stage=Stage.TEST)
    block = respond(proposal, world.volunteer, Position.BLOCK)
    respond(proposal, world.volunteer, Position.AGREE)
    assert notify.deliver.call(notify.BLOCK, proposal.pk, item=block.pk) == 0
    assert not mail.outbox


def test_a_rolled_back_change_tells_nobody(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    proposal = make_proposal(group=world.norcal, proposer=world.core, stage=Stage.TEST)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                notify.stage_started(proposal)
                raise RuntimeError("the action failed")
        except RuntimeError:
            pass
    assert not callbacks and not mail.outbox
