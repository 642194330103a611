"""Members answer a proposal in its test for agreement: agree, with reservations, stand aside,
block (citing a principle), abstain; change their answer until the close; confirm it again
after an amendment. Answers are never edited: each new one supersedes the last."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from alongside.decisions.models import (
    Body,
    Position,
    Proposal,
    ProposalVersion,
    Response,
    Stage,
)
from alongside.decisions.tests.factories import a_principle, add_member, make_proposal, respond
from alongside.lib.models import AuditEntry
from conftest import World, sign_in


def _url(proposal: Proposal) -> str:
    return f"/en/decisions/{proposal.group.slug}/{proposal.pk}/respond/"


def _page(proposal: Proposal) -> str:
    return f"/en/decisions/{proposal.group.slug}/{proposal.pk}/"


@pytest.fixture
def proposal(world: World) -> Proposal:
    """A Northern California proposal in its test; the group has principles to cite."""
    a_principle(world.norcal)
    return make_proposal(group=world.norcal, proposer=world.core, stage=Stage.TEST)


def test_a_member_agrees_and_returns_to_the_proposal(world: World, proposal: Proposal) -> None:
    client = sign_in(Client(), world.volunteer, second_factor=False)
    response = client.post(_url(proposal), {"position": "agree"})
    assert response.status_code == 302
    assert response["Location"] == _page(proposal)
    answer = Response.objects.get(proposal=proposal, member=world.volunteer)
    assert (answer.position, answer.version, answer.round) == (Position.AGREE, 1, 1)
    entry = AuditEntry.objects.get(action="respond", target_id=str(proposal.pk))
    assert entry.detail["position"] == "agree"


def test_the_answer_page_shows_the_form_and_who_has_not_answered(
    world: World, proposal: Proposal
) -> None:
    client = sign_in(Client(), world.volunteer, second_factor=False)
    page = client.get(_url(proposal))
    assert page.status_code == 200
    text = page.content.decode()
    assert 'name="position"' in text
    assert "Not answered yet" in text and "Maya Core" in text
    assert "Nonviolence" in text  # the principle a block may cite


def test_answering_needs_to_be_signed_in(world: World, proposal: Proposal) -> None:
    response = Client().post(_url(proposal), {"position": "agree"})
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert not Response.objects.exists()


def test_another_groups_member_gets_404(world: World, proposal: Proposal) -> None:
    client = sign_in(Client(), world.outsider)
    assert client.post(_url(proposal), {"position": "agree"}).status_code == 404
    assert client.get(_url(proposal)).status_code == 404
    assert not Response.objects.exists()


def test_a_block_without_reason_or_principle_is_refused_and_what_was_typed_is_kept(
    world: World, proposal: Proposal
) -> None:
    client = sign_in(Client(), world.volunteer, second_factor=False)
    response = client.post(
        _url(proposal), {"position": "block", "reason": "It puts people at risk"}
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "A block must name the principle the proposal would break." in text
    assert "It puts people at risk" in text
    assert 'value="block" id="id_position_3" required checked' in text
    response = client.post(_url(proposal), {"position": "reservations"})
    assert response.status_code == 400
    assert "Please give your reason for this answer." in response.content.decode()
    assert not Response.objects.exists()


def test_a_block_with_a_reason_and_a_principle_is_recorded(
    world: World, proposal: Proposal
) -> None:
    principle = a_principle(world.norcal)
    client = sign_in(Client(), world.volunteer, second_factor=False)
    response = client.post(
        _url(proposal),
        {"position": "block", "reason": "Nobody invited us.", "principle": principle.pk},
    )
    assert response.status_code == 302
    block = Response.objects.get(proposal=proposal)
    assert block.position == Position.BLOCK and block.principle == principle


def test_a_principle_of_another_group_cannot_be_cited(world: World, proposal: Proposal) -> None:
    foreign = a_principle(world.london)
    client = sign_in(Client(), world.volunteer, second_factor=False)
    response = client.post(
        _url(proposal), {"position": "block", "reason": "No.", "principle": foreign.pk}
    )
    assert response.status_code == 400
    assert not Response.objects.exists()


def test_a_changed_answer_supersedes_the_earlier_one_which_is_kept(
    world: World, proposal: Proposal
) -> None:
    client = sign_in(Client(), world.volunteer, second_factor=False)
    client.post(_url(proposal), {"position": "agree"})
    client.post(_url(proposal), {"position": "stand_aside", "reason": "I will not be there."})
    rows = list(Response.objects.filter(proposal=proposal).order_by("pk"))
    assert [r.position for r in rows] == [Position.AGREE, Position.STAND_ASIDE]
    assert rows[0].superseded_at is not None and rows[1].superseded_at is None


def test_the_same_answer_twice_changes_nothing(world: World, proposal: Proposal) -> None:
    client = sign_in(Client(), world.volunteer, second_factor=False)
    client.post(_url(proposal), {"position": "agree"})
    client.post(_url(proposal), {"position": "agree"})
    assert Response.objects.filter(proposal=proposal).count() == 1


def test_answers_are_not_taken_before_the_test(world: World) -> None:
    early = make_proposal(group=world.norcal, proposer=world.core, stage=Stage.CONCERNS)
    client = sign_in(Client(), world.volunteer, second_factor=False)
    response = client.post(_url(early), {"position": "agree"}, follow=True)
    assert response.redirect_chain[0] == (_page(early), 302)
    assert "Answers are given in the test for agreement" in response.content.decode()
    assert not Response.objects.exists()


def test_a_closed_proposal_takes_no_answer(world: World, proposal: Proposal) -> None:
    Proposal.objects.filter(pk=proposal.pk).update(
        stage=Stage.CLOSED, outcome="consensus", closed_at=timezone.now()
    )
    client = sign_in(Client(), world.volunteer, second_factor=False)
    response = client.post(_url(proposal), {"position": "agree"})
    assert response.status_code == 302
    assert response["Location"] == _page(proposal)
    assert not Response.objects.exists()


def test_only_the_core_group_answers_a_core_proposal(world: World) -> None:
    core_only = make_proposal(
        group=world.norcal, proposer=world.core, stage=Stage.TEST, body=Body.CORE
    )
    # A plain member may not even see an open proposal of the core group.
    volunteer = sign_in(Client(), world.volunteer, second_factor=False)
    assert volunteer.post(_url(core_only), {"position": "agree"}).status_code == 404
    core = sign_in(Client(), world.core)
    assert core.post(_url(core_only), {"position": "agree"}).status_code == 302
    assert Response.objects.filter(proposal=core_only, member=world.core).exists()


def test_after_an_amendment_the_earlier_answer_is_confirmed_again_with_one_tap(
    world: World, proposal: Proposal
) -> None:
    respond(proposal, world.volunteer, Position.STAND_ASIDE, reason="I am away that week.")
    # An amendment was accepted: version 2 (helper A's action does this; here by hand).
    ProposalVersion.objects.create(proposal=proposal, number=2, title="New", text="Send three.")
    Proposal.objects.filter(pk=proposal.pk).update(version=2)
    client = sign_in(Client(), world.volunteer, second_factor=False)
    page = client.get(_url(proposal)).content.decode()
    assert "Confirm my answer again" in page
    assert "Answered an earlier version" in page

    response = client.post(_url(proposal), {"confirm": "1"})

    assert response.status_code == 302
    counting = Response.objects.counting(Proposal.objects.get(pk=proposal.pk))
    answer = counting.get(member=world.volunteer)
    assert (answer.position, answer.reason, answer.version) == (
        Position.STAND_ASIDE,
        "I am away that week.",
        2,
    )
    assert Response.objects.filter(proposal=proposal).count() == 2


def test_the_answers_panel_names_each_answer_with_its_reason(
    world: World, proposal: Proposal
) -> None:
    respond(proposal, world.volunteer, Position.RESERVATIONS, reason="The bus is costly.")
    page = sign_in(Client(), world.core).get(_url(proposal)).content.decode()
    assert "Vera Volunteer" in page and "The bus is costly." in page
    assert "Agree with reservations" in page


def test_the_answers_panel_costs_the_same_queries_for_many_answers(
    world: World, proposal: Proposal, django_assert_max_num_queries: Any
) -> None:
    client = sign_in(Client(), world.core)
    respond(proposal, world.volunteer, Position.AGREE)
    with django_assert_max_num_queries(40) as few:
        client.get(_url(proposal))
    for number in range(15):
        member = add_member(world.norcal, f"Member{number} Norcal")
        respond(proposal, member, Position.RESERVATIONS, reason=f"Reason {number}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(_url(proposal))
    assert "Reason 14" in page.content.decode()
