"""A block pauses a proposal at once and tells its facilitator; the blocker, the proposer and the
facilitator talk it through in a thread; the block is withdrawn by answering otherwise, which
ends the pause. A paused proposal does not close early, but its deadline still closes it."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from alongside.accounts.models import User
from alongside.decisions.actions.responses import record_response
from alongside.decisions.models import (
    BlockMessage,
    ClosedHow,
    Outcome,
    Position,
    Proposal,
    Response,
    Stage,
)
from alongside.decisions.tasks import advance_proposals
from alongside.decisions.tests.factories import a_principle, add_member, make_proposal
from alongside.lib.models import AuditEntry
from conftest import World, sign_in


@pytest.fixture
def proposal(world: World) -> Proposal:
    """Proposed by the core member, facilitated by another member."""
    facilitator = add_member(world.norcal, "Farah Facilitator")
    return make_proposal(
        group=world.norcal, proposer=world.core, facilitator=facilitator, stage=Stage.TEST
    )


def _block(proposal: Proposal, member: Any) -> Response:
    return record_response(
        proposal=proposal,
        member=member,
        position=Position.BLOCK,
        reason="We were not invited to this.",
        principle=a_principle(proposal.group),
    )


def _facilitator(proposal: Proposal) -> User:
    assert proposal.facilitator is not None
    return proposal.facilitator


def _thread(proposal: Proposal, block: Response) -> str:
    return f"/en/decisions/northern-california/{proposal.pk}/blocks/{block.pk}/"


def test_a_block_pauses_the_proposal_and_tells_the_facilitator_and_proposer_at_once(
    world: World, proposal: Proposal, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        _block(proposal, world.volunteer)
    proposal.refresh_from_db()
    assert proposal.paused_at is not None
    assert AuditEntry.objects.filter(action="pause", target_id=str(proposal.pk)).exists()
    told = sorted(message.to[0] for message in mail.outbox)
    assert told == sorted(["core@example.org", _facilitator(proposal).email])
    body = mail.outbox[0].body
    # A link and a first name, never the proposal's words or the blocker's name.
    assert f"/blocks/{Response.objects.get().pk}/" in body
    assert "olive" not in body.lower() and "Vera" not in body
    assert "Vera" not in mail.outbox[0].subject


def test_a_paused_proposal_does_not_close_when_everyone_has_answered(
    world: World, proposal: Proposal
) -> None:
    _block(proposal, world.volunteer)
    for member in (world.core, _facilitator(proposal)):
        record_response(proposal=proposal, member=member, position=Position.AGREE)
    assert Proposal.objects.get(pk=proposal.pk).stage == Stage.TEST


def test_the_deadline_still_closes_a_paused_proposal_as_blocked(
    world: World, proposal: Proposal
) -> None:
    _block(proposal, world.volunteer)
    for member in (world.core, _facilitator(proposal)):
        record_response(proposal=proposal, member=member, position=Position.AGREE)
    Proposal.objects.filter(pk=proposal.pk).update(
        test_end=timezone.now() - dt.timedelta(minutes=1)
    )
    advance_proposals.call()
    proposal.refresh_from_db()
    assert proposal.stage == Stage.CLOSED
    assert proposal.outcome == Outcome.BLOCKED
    assert proposal.closed_how == ClosedHow.DEADLINE


def test_withdrawing_the_block_ends_the_pause_and_lets_it_close(
    world: World, proposal: Proposal
) -> None:
    _block(proposal, world.volunteer)
    for member in (world.core, _facilitator(proposal)):
        record_response(proposal=proposal, member=member, position=Position.AGREE)

    record_response(
        proposal=proposal,
        member=world.volunteer,
        position=Position.STAND_ASIDE,
        reason="We talked; I will not stop it.",
    )

    proposal.refresh_from_db()
    assert proposal.paused_at is None
    assert AuditEntry.objects.filter(action="unpause", target_id=str(proposal.pk)).exists()
    assert proposal.stage == Stage.CLOSED
    assert proposal.closed_how == ClosedHow.ALL_RESPONDED
    assert proposal.outcome == Outcome.CONSENSUS


def test_a_second_block_keeps_it_paused_when_the_first_is_withdrawn(
    world: World, proposal: Proposal
) -> None:
    _block(proposal, world.volunteer)
    _block(proposal, world.core)
    record_response(proposal=proposal, member=world.volunteer, position=Position.AGREE)
    assert Proposal.objects.get(pk=proposal.pk).paused_at is not None


def test_a_lone_block_lapses_at_the_close_when_the_rule_needs_a_second(
    world: World, proposal: Proposal
) -> None:
    from alongside.decisions.models import DecisionRule

    DecisionRule.objects.create(group=world.norcal, block_needs_second=True)
    _block(proposal, world.volunteer)
    record_response(proposal=proposal, member=world.core, position=Position.AGREE)
    Proposal.objects.filter(pk=proposal.pk).update(
        test_end=timezone.now() - dt.timedelta(minutes=1)
    )
    advance_proposals.call()
    proposal.refresh_from_db()
    assert proposal.outcome == Outcome.WEAK
    assert "block_lapsed" in proposal.outcome_detail["reasons"]


# --- the thread ----------------------------------------------------------------------------


def test_the_blocker_and_the_proposer_talk_it_through_and_the_others_are_told(
    world: World, proposal: Proposal, django_capture_on_commit_callbacks: Any
) -> None:
    block = _block(proposal, world.volunteer)
    blocker = sign_in(Client(), world.volunteer, second_factor=False)
    page = blocker.get(_thread(proposal, block))
    assert page.status_code == 200
    assert "We were not invited to this." in page.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = blocker.post(_thread(proposal, block), {"body": "Can we ask the village?"})

    assert response.status_code == 302
    message = BlockMessage.objects.get()
    assert (message.block, message.author) == (block, world.volunteer)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        ["core@example.org", _facilitator(proposal).email]
    )
    assert "Can we ask the village?" not in mail.outbox[0].body
    proposer = sign_in(Client(), world.core)
    assert "Can we ask the village?" in proposer.get(_thread(proposal, block)).content.decode()


def test_an_empty_message_is_refused_with_a_message(world: World, proposal: Proposal) -> None:
    block = _block(proposal, world.volunteer)
    client = sign_in(Client(), world.volunteer, second_factor=False)
    response = client.post(_thread(proposal, block), {"body": "  "})
    assert response.status_code == 400
    assert "Please write your message." in response.content.decode()
    assert not BlockMessage.objects.exists()


def test_a_too_long_message_is_refused_and_kept(world: World, proposal: Proposal) -> None:
    block = _block(proposal, world.volunteer)
    client = sign_in(Client(), world.volunteer, second_factor=False)
    long = "Long words. " * 400
    response = client.post(_thread(proposal, block), {"body": long})
    assert response.status_code == 400
    assert "Long words. Long words." in response.content.decode()


def test_the_thread_is_theirs_alone(world: World, proposal: Proposal) -> None:
    block = _block(proposal, world.volunteer)
    other = add_member(world.norcal, "Omar Member")
    assert sign_in(Client(), other).get(_thread(proposal, block)).status_code == 404
    assert sign_in(Client(), world.outsider).get(_thread(proposal, block)).status_code == 404
    anonymous = Client().get(_thread(proposal, block))
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]


def test_the_answers_panel_links_the_block_to_its_thread_for_those_in_it(
    world: World, proposal: Proposal
) -> None:
    block = _block(proposal, world.volunteer)
    url = _thread(proposal, block)
    respond_page = f"/en/decisions/northern-california/{proposal.pk}/respond/"
    assert url in sign_in(Client(), world.core).get(respond_page).content.decode()
    other = add_member(world.norcal, "Omar Member")
    assert url not in sign_in(Client(), other).get(respond_page).content.decode()


def test_after_the_close_the_thread_is_kept_and_nothing_is_added(
    world: World, proposal: Proposal
) -> None:
    block = _block(proposal, world.volunteer)
    Proposal.objects.filter(pk=proposal.pk).update(
        test_end=timezone.now() - dt.timedelta(minutes=1)
    )
    advance_proposals.call()
    client = sign_in(Client(), world.volunteer, second_factor=False)
    page = client.get(_thread(proposal, block)).content.decode()
    assert "no longer open" in page and 'name="body"' not in page
    response = client.post(_thread(proposal, block), {"body": "Too late?"}, follow=True)
    assert response.redirect_chain == [(_thread(proposal, block), 302)]
    assert "This proposal is closed" in response.content.decode()
    assert not BlockMessage.objects.exists()


def test_an_accepted_amendment_does_not_lift_a_block_until_its_author_answers_again(
    world: World, proposal: Proposal
) -> None:
    """A last-minute amendment must not defeat a block: the blocker is asked to look again, and
    the block stands (and pauses the proposal) until they answer otherwise."""
    from alongside.decisions.actions.closing import outcome_if_closed_now
    from alongside.decisions.actions.proposals import decide_amendment, suggest_amendment

    _block(proposal, world.volunteer)
    amendment = suggest_amendment(
        proposal_id=proposal.pk,
        author=world.volunteer,
        words={
            "title": "Join the harvest with three volunteers",
            "text": "We send three volunteers, at the committee's invitation.",
        },
        reason="Only what was asked for.",
    )
    decide_amendment(
        proposal_id=proposal.pk,
        amendment_id=amendment.pk,
        actor=world.core,
        accept=True,
        reason="Agreed: we go only where invited.",
    )
    proposal.refresh_from_db()
    assert proposal.version == 2
    assert proposal.paused_at is not None
    assert outcome_if_closed_now(proposal, timezone.now()).holding_blocks == 1
    page = sign_in(Client(), world.volunteer).get(
        f"/en/decisions/northern-california/{proposal.pk}/"
    )
    assert "Your block still stands" in page.content.decode()
    record_response(proposal=proposal, member=world.volunteer, position=Position.AGREE)
    proposal.refresh_from_db()
    assert proposal.paused_at is None
    assert AuditEntry.objects.filter(action="unpause", target_id=str(proposal.pk)).exists()
