"""The review's findings on proposals, each with a test that failed before its fix: who sees a
draft, a withdrawn or a quick decision; no addresses on the pages; who decides the special kinds
and who facilitates the core group; deadlines that passed; amendments for an older version; the
terms checked again when a draft opens; the periodic task; mandates of the core group; the
drafts list; the rule a running test applies."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from alongside.accounts.models import User
from alongside.decisions import notify
from alongside.decisions.actions import DecisionError, closing, stages
from alongside.decisions.actions import proposals as actions
from alongside.decisions.models import (
    Amendment,
    AmendmentStatus,
    Body,
    DecisionRule,
    MandateHolder,
    Outcome,
    Proposal,
    ProposalKind,
    Ratification,
    Stage,
)
from alongside.decisions.tasks import advance_proposals
from alongside.decisions.tests.factories import (
    add_member,
    make_mandate,
    make_proposal,
    respond,
    team_on_shift,
)
from alongside.movement.models import Membership, Role
from conftest import World, make_user, sign_in

BASE = "/en/decisions/northern-california/"
FIELD = "/en/decisions/palestine/"


def _page(response: Any) -> str:
    return response.content.decode()


def _flash(response: Any) -> str:
    return " ".join(str(message) for message in response.context["messages"])


def _draft(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "title": "Answer the press about the harvest",
        "text": "We tell the journalist what we saw.",
        "why": "",
        "if_agreed": "",
        "concerns_whom": "",
        "body": "members",
        "questions_end": "2030-03-01T18:00",
        "concerns_end": "2030-03-03T18:00",
        "amendments_end": "2030-03-05T18:00",
        "test_end": "2030-03-08T18:00",
        "review_on": "",
    }
    data.update(changes)
    return data


@pytest.fixture(autouse=True)
def quiet(monkeypatch: pytest.MonkeyPatch) -> None:
    """No notices: what is tested here is who sees and who may."""
    monkeypatch.setattr(notify, "stage_started", lambda proposal: None)
    monkeypatch.setattr(notify, "reconfirm", lambda proposal, ids: None)


# --- 1. drafts and withdrawn proposals -----------------------------------------------------------


def test_a_withdrawn_draft_stays_private_to_its_proposer_and_facilitator(world: World) -> None:
    draft = make_proposal(group=world.norcal, proposer=world.volunteer, stage=Stage.DRAFT)
    actions.withdraw_proposal(proposal_id=draft.pk, actor=world.volunteer)
    assert sign_in(Client(), world.core).get(f"{BASE}{draft.pk}/").status_code == 404
    assert sign_in(Client(), world.volunteer).get(f"{BASE}{draft.pk}/").status_code == 200


def test_a_withdrawn_proposal_of_the_core_group_stays_the_core_groups(world: World) -> None:
    proposal = make_proposal(
        group=world.norcal, proposer=world.core, body=Body.CORE, stage=Stage.CONCERNS
    )
    actions.withdraw_proposal(proposal_id=proposal.pk, actor=world.core)
    assert sign_in(Client(), world.volunteer).get(f"{BASE}{proposal.pk}/").status_code == 404
    assert sign_in(Client(), world.core).get(f"{BASE}{proposal.pk}/").status_code == 200


# --- 2. quick decisions name the team: a second factor outside it --------------------------------


@pytest.fixture
def quick(world: World) -> Proposal:
    shift, team = team_on_shift(world.bilin, size=2)
    return make_proposal(
        group=world.field_team,
        proposer=team[0],
        kind=ProposalKind.QUICK,
        body=Body.SHIFT_TEAM,
        shift=shift,
        stage=Stage.TEST,
        title="Walk the shepherds to the spring",
    )


def test_a_quick_decision_is_hidden_from_members_outside_the_team(
    world: World, quick: Proposal
) -> None:
    member = make_user("field-member@example.org", "Fadi Fieldmember")
    Membership.objects.create(group=world.field_team, user=member, role=Role.MEMBER)
    client = sign_in(Client(), member)
    assert client.get(f"{FIELD}{quick.pk}/").status_code == 404
    assert "Walk the shepherds" not in _page(client.get(FIELD))
    assert "Walk the shepherds" in _page(sign_in(Client(), world.documenter).get(FIELD))


def test_a_documenter_sees_a_quick_decision_after_a_second_factor(
    world: World, quick: Proposal
) -> None:
    response = sign_in(Client(), world.documenter, second_factor=False).get(f"{FIELD}{quick.pk}/")
    assert response.status_code == 302
    assert "/2fa/" in response["Location"]
    for path in ("", "versions/"):
        assert (
            sign_in(Client(), world.documenter).get(f"{FIELD}{quick.pk}/{path}").status_code == 200
        )


# --- 3. never an address -------------------------------------------------------------------------


def test_members_without_a_name_are_never_shown_by_their_address(world: World) -> None:
    nameless = make_user("nameless@example.org", "")
    Membership.objects.create(group=world.norcal, user=nameless, role=Role.MEMBER)
    proposal = make_proposal(group=world.norcal, proposer=world.volunteer, facilitator=nameless)
    page = _page(sign_in(Client(), world.volunteer).get(f"{BASE}{proposal.pk}/"))
    assert "(no name given)" in page
    assert "nameless@example.org" not in page
    form = _page(sign_in(Client(), world.volunteer).get(f"{BASE}new/"))
    assert "(no name given)" in form
    assert "@example.org" not in form


# --- 4. the special kinds are the whole group's --------------------------------------------------


def _mandate_terms(**changes: str) -> dict[str, str]:
    until = (timezone.localdate() + dt.timedelta(days=90)).isoformat()
    data = {
        "terms-holder": "core",
        "terms-title": "Answer press requests",
        "terms-scope": "The core group answers journalists.",
        "terms-limits": "Nothing about a named person.",
        "terms-until": until,
        "terms-report_back": "Monthly",
    }
    data.update(changes)
    return data


def test_a_special_kind_offers_no_choice_of_who_decides(world: World) -> None:
    client = sign_in(Client(), world.core)
    page = _page(client.get(f"{BASE}new/?kind=mandate"))
    assert 'name="body"' not in page
    assert "All members of the group decide this kind of proposal." in page
    response = client.post(
        f"{BASE}new/?kind=mandate",
        {**_draft(body="core", facilitator=str(world.core.pk)), **_mandate_terms()},
    )
    assert response.status_code == 302
    assert Proposal.objects.get().body == Body.MEMBERS


def test_the_action_refuses_a_special_kind_for_the_core_group(world: World) -> None:
    now = timezone.now()
    values = {
        "body": Body.CORE,
        "facilitator": world.core,
        **actions.default_deadlines(now),
        "review_on": None,
    }
    with pytest.raises(DecisionError, match="All members of the group decide"):
        actions.draft_proposal(
            group=world.norcal,
            proposer=world.core,
            kind=ProposalKind.DECISION_RULE,
            words={"title": "A new rule", "text": "Quorum 60."},
            values=values,
            now=now,
        )


# --- 5. the core group's facilitator is core -----------------------------------------------------


def test_the_core_groups_facilitator_is_one_of_its_members(world: World) -> None:
    client = sign_in(Client(), world.core)
    assert "Maya Core (core group)" in _page(client.get(f"{BASE}new/"))
    response = client.post(f"{BASE}new/", _draft(body="core", facilitator=str(world.volunteer.pk)))
    assert response.status_code == 400
    assert "its facilitator must be a core member" in _page(response)
    assert "Answer the press about the harvest" in _page(response)
    assert not Proposal.objects.exists()
    now = timezone.now()
    with pytest.raises(DecisionError, match="must be a core member"):
        actions.draft_proposal(
            group=world.norcal,
            proposer=world.core,
            kind=ProposalKind.GENERAL,
            words={"title": "T", "text": "X"},
            values={
                "body": Body.CORE,
                "facilitator": world.volunteer,
                **actions.default_deadlines(now),
                "review_on": None,
            },
            now=now,
        )


# --- 6. a deadline that passed is not the facilitator's any more ---------------------------------


def test_a_stage_whose_deadline_passed_is_neither_extended_nor_moved_on(world: World) -> None:
    past = timezone.now() - dt.timedelta(minutes=1)
    proposal = make_proposal(
        group=world.norcal, proposer=world.core, stage=Stage.QUESTIONS, questions_end=past
    )
    client = sign_in(Client(), world.core)
    response = client.post(
        f"{BASE}{proposal.pk}/deadlines/", {"move_on": "1", "stage": "questions"}, follow=True
    )
    assert "This stage's deadline has passed; it is moving on." in _flash(response)
    proposal.refresh_from_db()
    assert (proposal.stage, proposal.questions_end) == (Stage.QUESTIONS, past)
    with pytest.raises(DecisionError, match="deadline has passed"):
        actions.extend_stage(
            proposal_id=proposal.pk,
            actor=world.core,
            until=timezone.now() + dt.timedelta(days=1),
        )
    with pytest.raises(DecisionError, match="deadline has passed"):
        actions.move_on(proposal_id=proposal.pk, actor=world.core)


# --- 7. an amendment for an older version --------------------------------------------------------


def test_an_amendment_for_an_earlier_version_is_declined_not_accepted(world: World) -> None:
    proposal = make_proposal(group=world.norcal, proposer=world.core, stage=Stage.AMENDMENTS)
    words = {"title": "Join the spring olive harvest", "why": "", "if_agreed": ""}
    first, second = (
        actions.suggest_amendment(
            proposal_id=proposal.pk,
            author=world.volunteer,
            words={**words, "text": text, "concerns_whom": ""},
            reason="Fewer people.",
        )
        for text in ("We send three.", "We send two.")
    )
    actions.decide_amendment(
        proposal_id=proposal.pk, amendment_id=first.pk, actor=world.core, accept=True, reason="Ok"
    )
    client = sign_in(Client(), world.core)
    url = f"{BASE}{proposal.pk}/amendments/{second.pk}/"
    page = _page(client.get(url))
    assert "It can no longer be accepted" in page
    assert 'name="accept"' not in page
    assert f"{BASE}{proposal.pk}/amendments/new/" in page
    response = client.post(url, {"accept": "1", "reason": "Two is better."})
    assert response.status_code == 400
    assert "This amendment was written for version 1" in _page(response)
    assert Amendment.objects.get(pk=second.pk).status == AmendmentStatus.OPEN
    assert Proposal.objects.get(pk=proposal.pk).version == 2
    response = client.post(url, {"decline": "1", "reason": "Written for the old words."})
    assert response.status_code == 302
    assert Amendment.objects.get(pk=second.pk).status == AmendmentStatus.DECLINED


# --- 8. the terms hold when the draft opens ------------------------------------------------------


def _open(world: World, proposal: Proposal) -> Any:
    return sign_in(Client(), world.core).post(f"{BASE}{proposal.pk}/open/", follow=True)


def test_two_drafts_for_the_same_candidate_cannot_both_open(world: World) -> None:
    first, second = (
        make_proposal(
            group=world.norcal,
            proposer=world.core,
            stage=Stage.DRAFT,
            kind=ProposalKind.CORE_MEMBERSHIP,
            candidate=world.volunteer,
        )
        for _ in range(2)
    )
    assert "The proposal is open" in _flash(_open(world, first))
    response = _open(world, second)
    assert "A proposal for this person to join the core group is already open." in _flash(response)
    assert Proposal.objects.get(pk=second.pk).stage == Stage.DRAFT


def _rule_draft(world: World, quorum: int) -> Proposal:
    return make_proposal(
        group=world.norcal,
        proposer=world.core,
        stage=Stage.DRAFT,
        kind=ProposalKind.DECISION_RULE,
        terms={
            "quorum_percent": quorum,
            "weak_at_stand_asides": 3,
            "block_needs_second": False,
            "fallback": "none",
            "supermajority_percent": 75,
        },
    )


def test_a_rule_draft_opens_unless_its_rule_is_the_one_in_force_by_then(world: World) -> None:
    assert "The proposal is open" in _flash(_open(world, _rule_draft(world, 60)))
    stale = _rule_draft(world, 70)
    DecisionRule.objects.create(group=world.norcal, quorum_percent=70)
    assert "This is the rule in force already" in _flash(_open(world, stale))
    assert Proposal.objects.get(pk=stale.pk).stage == Stage.DRAFT


def test_a_mandate_draft_opens_with_its_saved_terms(world: World) -> None:
    until = (timezone.localdate() + dt.timedelta(days=30)).isoformat()
    draft = make_proposal(
        group=world.norcal,
        proposer=world.core,
        stage=Stage.DRAFT,
        kind=ProposalKind.MANDATE,
        terms={
            "holder": "core",
            "title": "Press",
            "scope": "Answer journalists.",
            "limits": "No names.",
            "until": until,
            "report_back": "Monthly",
        },
    )
    assert "The proposal is open" in _flash(_open(world, draft))


def test_a_decision_ratified_meanwhile_is_not_put_to_ratification_again(world: World) -> None:
    decision = make_proposal(
        group=world.norcal,
        proposer=world.core,
        stage=Stage.CLOSED,
        outcome=Outcome.CONSENSUS,
        closed_at=timezone.now(),
        ratification=Ratification.PENDING,
    )
    draft = make_proposal(
        group=world.norcal,
        proposer=world.core,
        stage=Stage.DRAFT,
        kind=ProposalKind.RATIFICATION,
        ratifies=decision,
    )
    Proposal.objects.filter(pk=decision.pk).update(ratification=Ratification.RATIFIED)
    response = _open(world, draft)
    assert "waiting to be ratified" in _flash(response)
    assert Proposal.objects.get(pk=draft.pk).stage == Stage.DRAFT


# --- 9. the periodic task: one failure stops nothing else ----------------------------------------


def test_one_proposal_failing_to_move_on_keeps_no_other_from_moving(
    world: World, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    past = timezone.now() - dt.timedelta(minutes=1)
    broken, fine = (
        make_proposal(group=world.norcal, proposer=world.core, questions_end=past) for _ in range(2)
    )

    def stage_started(proposal: Proposal) -> None:
        if proposal.pk == broken.pk:
            raise RuntimeError("mail server down")

    monkeypatch.setattr(notify, "stage_started", stage_started)
    with caplog.at_level(logging.ERROR), pytest.raises(RuntimeError):
        stages.advance_due(timezone.now())
    assert Proposal.objects.get(pk=fine.pk).stage == Stage.CONCERNS
    assert Proposal.objects.get(pk=broken.pk).stage == Stage.QUESTIONS
    assert f"Moving proposal {broken.pk} on failed" in caplog.text


def test_the_task_closes_due_tests_even_when_moving_stages_failed(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    proposal = make_proposal(
        group=world.norcal,
        proposer=world.core,
        stage=Stage.TEST,
        test_end=timezone.now() - dt.timedelta(minutes=1),
    )
    respond(proposal, world.core)

    def broken(now: dt.datetime) -> int:
        raise RuntimeError("broken")

    monkeypatch.setattr(stages, "advance_due", broken)
    with pytest.raises(RuntimeError):
        advance_proposals.call()
    assert Proposal.objects.get(pk=proposal.pk).stage == Stage.CLOSED


# --- 10. decisions of the core group under its mandate -------------------------------------------


def test_a_core_group_decision_cites_the_mandate_it_is_taken_under(world: World) -> None:
    mandate = make_mandate(group=world.norcal)
    field_mandate = make_mandate(group=world.norcal, holder=MandateHolder.SHIFT_TEAMS, title="X")
    client = sign_in(Client(), world.core)
    page = _page(client.get(f"{BASE}new/"))
    assert "Taken under the mandate" in page
    assert f'value="{field_mandate.pk}"' not in page
    response = client.post(
        f"{BASE}new/", _draft(body="members", facilitator=str(world.core.pk), mandate=mandate.pk)
    )
    assert response.status_code == 400
    assert "choose the core group as who decides" in _page(response)
    response = client.post(
        f"{BASE}new/", _draft(body="core", facilitator=str(world.core.pk), mandate=mandate.pk)
    )
    assert response.status_code == 302
    proposal = Proposal.objects.get()
    assert proposal.mandate == mandate
    assert f"{BASE}mandates/{mandate.pk}/" in _page(client.get(f"{BASE}{proposal.pk}/"))
    # Withdrawn before the draft opens: it opens under no mandate it no longer has.
    mandate.withdrawn_at = timezone.now()
    mandate.save()
    assert "no longer in force" in _flash(_open(world, proposal))
    assert not _page(sign_in(Client(), world.core).get(f"{BASE}new/?kind=mandate")).count(
        "Taken under the mandate"
    )


def test_the_action_refuses_a_mandate_the_core_group_does_not_hold(world: World) -> None:
    now = timezone.now()
    field_mandate = make_mandate(group=world.norcal, holder=MandateHolder.SHIFT_TEAMS)
    with pytest.raises(DecisionError, match="gave its core group"):
        actions.draft_proposal(
            group=world.norcal,
            proposer=world.core,
            kind=ProposalKind.GENERAL,
            words={"title": "T", "text": "X"},
            values={
                "body": Body.CORE,
                "facilitator": world.core,
                **actions.default_deadlines(now),
                "review_on": None,
                "mandate": field_mandate,
            },
            now=now,
        )


# --- 11. my drafts are paged, never cut ----------------------------------------------------------


def _index_queries(client: Client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(BASE).status_code == 200
    return len(queries)


def test_my_drafts_are_paged_never_cut(world: World) -> None:
    client = sign_in(Client(), world.volunteer)
    make_proposal(group=world.norcal, proposer=world.volunteer, stage=Stage.DRAFT, title="D0")
    _index_queries(client)  # the first page of a session reads more
    one = _index_queries(client)
    for number in range(1, 21):
        make_proposal(
            group=world.norcal, proposer=world.volunteer, stage=Stage.DRAFT, title=f"D{number}"
        )
    assert _index_queries(client) == one
    page = _page(client.get(BASE))
    assert "?drafts=2" in page
    assert ">21<" in page
    second = _page(client.get(f"{BASE}?drafts=2"))
    assert ">D0<" in second


# --- 12. the rule a running test applies ---------------------------------------------------------


def _members(world: World) -> list[User]:
    return [world.core, world.volunteer, add_member(world.norcal), add_member(world.norcal)]


@pytest.mark.parametrize("how", ["facilitator", "deadline"])
def test_a_rule_adopted_during_the_test_does_not_change_its_outcome(world: World, how: str) -> None:
    people = _members(world)
    proposal = make_proposal(group=world.norcal, proposer=world.core, stage=Stage.AMENDMENTS)
    if how == "facilitator":
        actions.move_on(proposal_id=proposal.pk, actor=world.core)
    else:
        assert proposal.amendments_end is not None
        stages.advance_due(proposal.amendments_end)
    proposal.refresh_from_db()
    assert proposal.stage == Stage.TEST
    assert proposal.test_rule["quorum_percent"] == 50
    # Half the members answer: the quorum of the rule in force when the test began.
    respond(proposal, people[0])
    respond(proposal, people[1])
    DecisionRule.objects.create(group=world.norcal, quorum_percent=100)
    assert proposal.test_end is not None
    closing.close_due(proposal.test_end)
    proposal.refresh_from_db()
    assert proposal.stage == Stage.CLOSED
    assert proposal.outcome == Outcome.CONSENSUS
    assert proposal.outcome_detail["rule"]["quorum_percent"] == 50
