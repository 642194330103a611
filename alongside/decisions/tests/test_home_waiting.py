"""A person's home page lists the decisions waiting for their answer (the test for agreement of
proposals they take part in, quick decisions of their team on shift) and leads to each of their
groups' decisions."""

from __future__ import annotations

from typing import Any

from django.test import Client

from alongside.decisions.models import Body, Position, Proposal, ProposalVersion, Stage
from alongside.decisions.tests.factories import make_proposal, respond, team_on_shift
from alongside.decisions.waiting import waiting_for
from conftest import World, sign_in


def test_the_home_page_lists_what_waits_for_my_answer(world: World) -> None:
    waiting = make_proposal(
        group=world.norcal, proposer=world.core, stage=Stage.TEST, title="Buy a camera"
    )
    make_proposal(group=world.norcal, proposer=world.core, stage=Stage.CONCERNS, title="Later")
    page = sign_in(Client(), world.volunteer, second_factor=False).get("/en/accounts/home/")
    text = page.content.decode()
    assert "Decisions waiting for your answer" in text
    assert f'href="/en/decisions/northern-california/{waiting.pk}/"' in text
    assert "Buy a camera" in text and "Later" not in text
    assert 'href="/en/decisions/northern-california/"' in text


def test_an_answered_proposal_no_longer_waits_until_it_changes(world: World) -> None:
    proposal = make_proposal(group=world.norcal, proposer=world.core, stage=Stage.TEST)
    respond(proposal, world.volunteer, Position.AGREE)
    assert list(waiting_for(world.volunteer)) == []
    ProposalVersion.objects.create(proposal=proposal, number=2, title="Changed", text="New.")
    Proposal.objects.filter(pk=proposal.pk).update(version=2)
    # The current version's title, annotated by the query.
    assert [vars(p)["title"] for p in waiting_for(world.volunteer)] == ["Changed"]


def test_only_the_body_is_waited_for(world: World) -> None:
    core_only = make_proposal(
        group=world.norcal, proposer=world.core, stage=Stage.TEST, body=Body.CORE
    )
    assert list(waiting_for(world.volunteer)) == []
    assert list(waiting_for(world.core)) == [core_only]
    assert list(waiting_for(world.outsider)) == []


def test_a_quick_decision_waits_for_the_team_on_the_shift(world: World) -> None:
    shift, people = team_on_shift(world.bilin, size=2)
    client = sign_in(Client(), people[0], second_factor=False)
    client.post(
        f"/en/field/decide/new/{shift.pk}/",
        {"title": "Stay?", "text": "We stay.", "minutes": 10},
    )
    proposal = Proposal.objects.get()
    assert list(waiting_for(people[1])) == [proposal]
    assert list(waiting_for(world.coordinator)) == []
    page = sign_in(Client(), people[1], second_factor=False).get("/en/accounts/home/")
    assert f'href="/en/field/decide/{proposal.pk}/"' in page.content.decode()


def test_the_home_page_costs_the_same_queries_for_many_waiting_decisions(
    world: World, django_assert_max_num_queries: Any
) -> None:
    client = sign_in(Client(), world.volunteer, second_factor=False)
    make_proposal(group=world.norcal, proposer=world.core, stage=Stage.TEST)
    with django_assert_max_num_queries(60) as one:
        client.get("/en/accounts/home/")
    for number in range(8):
        make_proposal(
            group=world.norcal, proposer=world.core, stage=Stage.TEST, title=f"Decide {number}"
        )
    with django_assert_max_num_queries(len(one.captured_queries)):
        page = client.get("/en/accounts/home/")
    assert "Decide 7" in page.content.decode()
