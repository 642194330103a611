"""The record on a proposal's page: the outcome with how the group's rule was applied (in words,
with the numbers), the kind's terms, the mandate cited, the ratification state, the action items
and the review date."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from alongside.decisions.models import (
    ActionItem,
    Body,
    DecisionRule,
    Mandate,
    Outcome,
    ProposalKind,
    Ratification,
    Stage,
)
from alongside.decisions.tests.factories import (
    close_as,
    join_group,
    make_closed,
    make_mandate,
    make_proposal,
)
from conftest import World, sign_in

BASE = "/en/decisions/northern-california/"


def _page(client: Client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200
    return response.content.decode()


def test_a_closed_proposal_shows_how_the_rule_was_applied(world: World) -> None:
    proposal = make_proposal(group=world.norcal, proposer=world.core, stage=Stage.TEST)
    close_as(proposal, Outcome.WEAK, members=8, excused=1, agree=3, stand_aside=3)
    page = _page(sign_in(Client(), world.volunteer), f"{BASE}{proposal.pk}/")
    assert "Weak consensus" in page
    assert "6 of the 7 members who could respond did: the quorum of 50% needed 4." in page
    assert "1 member on an excused absence was not counted." in page
    assert "3 members stood aside; from 3 stand-asides the consensus is weak." in page
    assert "One block stops a proposal." in page  # the rule it was decided under


def test_a_blocked_proposal_names_the_blocks_that_held(world: World) -> None:
    proposal = make_proposal(group=world.norcal, proposer=world.core, stage=Stage.TEST)
    close_as(proposal, Outcome.BLOCKED, members=4, agree=2, block=1)
    page = _page(sign_in(Client(), world.volunteer), f"{BASE}{proposal.pk}/")
    assert "1 block held." in page


def test_the_record_reads_in_arabic(world: World) -> None:
    proposal = make_closed(group=world.norcal, proposer=world.core)
    response = sign_in(Client(), world.volunteer).get(
        f"/ar/decisions/northern-california/{proposal.pk}/"
    )
    assert response.status_code == 200
    assert 'id="action-items"' in response.content.decode()


def test_an_open_proposal_shows_no_outcome_yet(world: World) -> None:
    proposal = make_proposal(group=world.norcal, proposer=world.core, stage=Stage.TEST)
    page = _page(sign_in(Client(), world.volunteer), f"{BASE}{proposal.pk}/")
    assert "How the group&#x27;s rule was applied" not in page
    assert "How the group's rule was applied" not in page
    assert 'id="action-items"' in page


def test_a_rule_change_shows_the_rule_proposed_beside_the_one_in_force(world: World) -> None:
    terms = {
        "quorum_percent": 67,
        "weak_at_stand_asides": 2,
        "block_needs_second": True,
        "fallback": "minus_one",
        "supermajority_percent": 75,
    }
    proposal = make_proposal(
        group=world.norcal,
        proposer=world.core,
        kind=ProposalKind.DECISION_RULE,
        terms=terms,
        stage=Stage.CONCERNS,
    )
    client = sign_in(Client(), world.volunteer)
    page = _page(client, f"{BASE}{proposal.pk}/")
    assert "At least 67% of the active members must respond" in page
    assert "consensus minus one" in page
    assert "At least 50% of the active members must respond" in page  # in force now
    close_as(proposal, Outcome.CONSENSUS)
    DecisionRule.objects.create(group=world.norcal, adopted_by=proposal, quorum_percent=67)
    page = _page(client, f"{BASE}{proposal.pk}/")
    assert "The group adopted this rule on" in page


def test_a_mandate_proposal_shows_its_terms_sanitised(world: World) -> None:
    proposal = make_proposal(
        group=world.field_team,
        proposer=world.coordinator,
        kind=ProposalKind.MANDATE,
        stage=Stage.QUESTIONS,
        terms={
            "holder": "shift_teams",
            "title": "Leave when soldiers close the road",
            "scope": "Decide to **leave**. <script>alert(1)</script>",
            "limits": "[click](javascript:alert(1))",
            "until": (timezone.localdate() + dt.timedelta(days=30)).isoformat(),
            "report_back": "At the weekly meeting",
        },
    )
    page = _page(sign_in(Client(), world.documenter), f"/en/decisions/palestine/{proposal.pk}/")
    assert "The teams on shift in the field" in page
    assert "<strong>leave</strong>" in page
    assert "<script>alert(1)</script>" not in page
    assert 'href="javascript' not in page
    assert "At the weekly meeting" in page


def test_a_given_mandate_is_linked_from_the_proposal(world: World) -> None:
    proposal = make_closed(
        group=world.norcal, proposer=world.core, kind=ProposalKind.MANDATE, terms={}
    )
    mandate = make_mandate(group=world.norcal, granted_by=proposal)
    page = _page(sign_in(Client(), world.volunteer), f"{BASE}{proposal.pk}/")
    assert f"{BASE}mandates/{mandate.pk}/" in page


def test_a_decision_under_a_mandate_cites_it(world: World) -> None:
    mandate = make_mandate(group=world.norcal, title="Answer press requests")
    proposal = make_closed(group=world.norcal, proposer=world.core, mandate=mandate)
    page = _page(sign_in(Client(), world.volunteer), f"{BASE}{proposal.pk}/")
    assert "Taken under the mandate:" in page and "Answer press requests" in page


def test_a_decision_waiting_for_ratification_offers_to_propose_it(world: World) -> None:
    decision = make_closed(group=world.field_team, proposer=world.coordinator)
    decision.ratification = Ratification.PENDING
    decision.save()
    client = sign_in(Client(), world.documenter)
    path = f"/en/decisions/palestine/{decision.pk}/"
    page = _page(client, path)
    assert "Waiting for the group to ratify" in page
    assert f"new/?kind=ratification&amp;decision={decision.pk}" in page
    ratification = make_proposal(
        group=world.field_team,
        proposer=world.coordinator,
        kind=ProposalKind.RATIFICATION,
        ratifies=decision,
        title="Ratify staying with the family",
        stage=Stage.QUESTIONS,
    )
    page = _page(client, path)
    assert "kind=ratification" not in page
    assert f"/en/decisions/palestine/{ratification.pk}/" in page
    ratification_page = _page(client, f"/en/decisions/palestine/{ratification.pk}/")
    assert "The emergency decision to ratify:" in ratification_page
    assert f"/en/decisions/palestine/{decision.pk}/" in ratification_page


def test_the_ratifications_listed_are_those_the_reader_may_open(world: World) -> None:
    """On the emergency decision's page: not another person's draft, not the core group's
    open proposal to a member outside it; and a proposal they may not open still keeps the
    button away (the form refuses a second)."""
    decision = make_closed(group=world.field_team, proposer=world.coordinator)
    decision.ratification = Ratification.PENDING
    decision.save()
    earlier = make_closed(
        group=world.field_team,
        proposer=world.coordinator,
        kind=ProposalKind.RATIFICATION,
        ratifies=decision,
        title="A first try to ratify",
        outcome=Outcome.BLOCKED,
    )
    draft = make_proposal(
        group=world.field_team,
        proposer=world.coordinator,
        kind=ProposalKind.RATIFICATION,
        ratifies=decision,
        stage=Stage.DRAFT,
        title="Hana's private draft",
    )
    core_only = make_proposal(
        group=world.field_team,
        proposer=world.coordinator,
        kind=ProposalKind.RATIFICATION,
        ratifies=decision,
        body=Body.CORE,
        title="The core group ratifies",
    )
    path = f"/en/decisions/palestine/{decision.pk}/"
    page = _page(sign_in(Client(), world.documenter), path)
    assert "A first try to ratify" in page and f"/palestine/{earlier.pk}/" in page
    assert "private draft" not in page and f"/palestine/{draft.pk}/" not in page
    assert "The core group ratifies" not in page and f"/palestine/{core_only.pk}/" not in page
    assert "A proposal to ratify this decision is already open." in page
    assert "kind=ratification" not in page
    page = _page(sign_in(Client(), world.coordinator), path)
    assert "A first try to ratify" in page
    assert "private draft" in page and "The core group ratifies" in page
    assert "already open" not in page and "kind=ratification" not in page


def test_the_ratifications_listed_cost_no_query_each(world: World) -> None:
    decision = make_closed(group=world.field_team, proposer=world.coordinator)
    decision.ratification = Ratification.PENDING
    decision.save()
    client = sign_in(Client(), world.documenter)
    path = f"/en/decisions/palestine/{decision.pk}/"

    def ratify(index: int) -> None:
        make_closed(
            group=world.field_team,
            proposer=world.coordinator,
            kind=ProposalKind.RATIFICATION,
            ratifies=decision,
            title=f"Try {index}",
            outcome=Outcome.BLOCKED,
        )

    def load() -> int:
        with CaptureQueriesContext(connection) as queries:
            _page(client, path)
        return len(queries)

    ratify(0)
    load()  # the first request of a session writes to it once
    one = load()
    for index in range(1, 8):
        ratify(index)
    assert load() == one


def test_joining_the_core_group_names_the_candidate(world: World) -> None:
    candidate = join_group(world.norcal, "Rana Haddad")
    proposal = make_proposal(
        group=world.norcal,
        proposer=candidate,
        kind=ProposalKind.CORE_MEMBERSHIP,
        candidate=candidate,
        stage=Stage.QUESTIONS,
    )
    page = _page(sign_in(Client(), world.volunteer), f"{BASE}{proposal.pk}/")
    assert "Who would join the core group: Rana Haddad" in page


def test_the_action_items_show_their_owner_due_date_and_buttons_to_whom_they_apply(
    world: World,
) -> None:
    proposal = make_closed(
        group=world.norcal,
        proposer=world.core,
        body=Body.CORE,
        review_on=dt.date(2030, 5, 1),
    )
    other = join_group(world.norcal, "Omar Other")
    ActionItem.objects.create(
        proposal=proposal, text="Book the bus", owner=world.volunteer, due_on=dt.date(2030, 4, 1)
    )
    ActionItem.objects.create(proposal=proposal, text="Call the hall", owner=other)
    proposer = _page(sign_in(Client(), world.core), f"{BASE}{proposal.pk}/")
    assert "Add an action item" in proposer
    assert proposer.count("Mark done") == 2  # the core group decided it
    assert "The group reviews this decision on" in proposer and "2030" in proposer
    volunteer = _page(sign_in(Client(), world.volunteer), f"{BASE}{proposal.pk}/")
    assert "Add an action item" not in volunteer
    assert volunteer.count("Mark done") == 1  # only their own item
    assert "Book the bus" in volunteer and "Vera Volunteer" in volunteer


def test_a_mandate_row_on_the_record_is_found_in_its_group_only(world: World) -> None:
    proposal = make_closed(group=world.norcal, proposer=world.core)
    assert not Mandate.objects.exists()
    assert sign_in(Client(), world.outsider).get(f"{BASE}{proposal.pk}/").status_code == 404
