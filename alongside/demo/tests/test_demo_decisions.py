"""The demo's decisions: proposals in every stage and with every outcome, the field team's rule
and mandate, quick decisions under it and outside it, a pending ratification, a core-group
membership proposal, and what each persona finds waiting for them."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.apps import apps
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from alongside.accounts.models import User
from alongside.decisions.actions.closing import tally_for
from alongside.decisions.actions.responses import record_response
from alongside.decisions.models import (
    AmendmentStatus,
    Body,
    ClosedHow,
    Comment,
    DecisionRule,
    Fallback,
    Mandate,
    MandateHolder,
    Outcome,
    Position,
    Proposal,
    ProposalKind,
    ProposalVersion,
    Ratification,
    Response,
    Stage,
)
from alongside.decisions.waiting import waiting_for
from alongside.demo.content import demo_email
from alongside.lib.models import AuditEntry
from alongside.movement.models import Membership, Role
from conftest import sign_in


@pytest.fixture
def demo(db: Any, settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("load_demo", verbosity=0)


def _user(local_part: str) -> User:
    return User.objects.get(email=demo_email(local_part))


def _proposal(title: str) -> Proposal:
    return Proposal.objects.select_related("group").get(versions__number=1, versions__title=title)


def _counts() -> dict[str, int]:
    models = [
        model
        for model in apps.get_models()
        if model._meta.app_label in {"decisions", "lib", "field"}
    ]
    return {model._meta.label: model._default_manager.count() for model in models}


def test_loading_the_demo_twice_adds_no_decision_and_nothing_to_the_audit_log(
    demo: None,
) -> None:
    before = _counts()
    assert before["decisions.Proposal"] >= 20
    call_command("load_demo", verbosity=0)
    assert _counts() == before


def test_there_is_a_proposal_in_every_stage_and_with_every_outcome(demo: None) -> None:
    stages = set(Proposal.objects.values_list("stage", flat=True))
    assert stages == set(Stage.values)
    outcomes = set(Proposal.objects.closed().values_list("outcome", flat=True))
    assert outcomes == set(Outcome.values)
    assert set(Proposal.objects.values_list("kind", flat=True)) >= {
        ProposalKind.GENERAL,
        ProposalKind.QUICK,
        ProposalKind.CORE_MEMBERSHIP,
        ProposalKind.DECISION_RULE,
        ProposalKind.MANDATE,
    }


def test_every_close_was_computed_by_the_rule_and_audited(demo: None) -> None:
    closed = list(Proposal.objects.closed())
    assert len(closed) >= 9
    for proposal in closed:
        detail = proposal.outcome_detail
        assert detail["outcome"] == proposal.outcome
        assert detail["rule"] and detail["tally"] and detail["reasons"]
        assert proposal.closed_at is not None and proposal.closed_at < timezone.now()
    audited = set(
        AuditEntry.objects.filter(action="close", target_type="decisions.proposal").values_list(
            "target_id", flat=True
        )
    )
    assert {str(proposal.pk) for proposal in closed} <= audited


def test_northern_california_consensus_has_action_items_and_a_review_date(demo: None) -> None:
    proposal = _proposal(
        "Hold the spring information evening at the Berkeley Friends Meeting House"
    )
    assert proposal.outcome == Outcome.CONSENSUS
    assert proposal.closed_how == ClosedHow.ALL_RESPONDED
    assert proposal.version == 2  # an amendment was accepted before the test
    assert proposal.review_on is not None and proposal.review_on > timezone.localdate()
    items = list(proposal.action_items.all())
    assert len(items) == 3
    assert sum(item.done_at is not None for item in items) == 1


def test_weak_consensus_rests_on_three_named_stand_asides(demo: None) -> None:
    proposal = _proposal("Pay the travel of two delegates to the movement's annual gathering")
    assert proposal.outcome == Outcome.WEAK
    asides = Response.objects.counting(proposal).filter(position=Position.STAND_ASIDE)
    assert {r.member_id for r in asides} == {
        _user("volunteer").pk,
        _user("field").pk,
        _user("sam.ortega").pk,
    }
    assert all(r.reason for r in asides)


def test_blocked_no_quorum_and_nobody_agreed_closed_at_their_deadline(demo: None) -> None:
    blocked = _proposal(
        "Post photos of volunteers with their host families on the group's Instagram"
    )
    assert (blocked.outcome, blocked.closed_how) == (Outcome.BLOCKED, ClosedHow.DEADLINE)
    block = Response.objects.counting(blocked).get(position=Position.BLOCK)
    assert block.member == _user("field") and block.principle is not None
    assert block.thread.count() == 2
    assert _proposal("Move the monthly meeting to Sunday afternoons").outcome == Outcome.NO_QUORUM
    assert _proposal("Start a podcast about the group's work").outcome == Outcome.NO_SUPPORT


def test_open_proposals_of_northern_california_at_each_stage(demo: None) -> None:
    core = _user("core")
    draft = _proposal("Run a second training weekend in Sacramento")
    assert draft.stage == Stage.DRAFT and draft.proposer == core

    buddies = _proposal("Pair every new volunteer with a returned volunteer as a buddy")
    assert buddies.stage == Stage.QUESTIONS
    asked = Comment.objects.filter(proposal=buddies, is_question=True)
    by_others = asked.exclude(author=buddies.proposer)
    assert by_others.filter(answered_at__isnull=False).count() == 1
    assert asked.filter(answered_at__isnull=True).count() == 1

    fee = _proposal("Ask trainees for a contribution of $150 toward the training weekend")
    assert fee.stage == Stage.CONCERNS
    assert fee.comments.filter(stage=Stage.CONCERNS).count() >= 2

    newsletter = _proposal("Send supporters a newsletter every month")
    assert newsletter.stage == Stage.AMENDMENTS and newsletter.proposer == core
    waiting = newsletter.amendments.get(status=AmendmentStatus.OPEN)
    assert waiting.author == _user("volunteer")

    for proposal in (buddies, fee, newsletter):
        assert proposal.stage_ends_at is not None and proposal.stage_ends_at > timezone.now()


def test_the_test_under_way_waits_for_the_volunteer_and_asks_sam_to_confirm(
    demo: None,
) -> None:
    flights = _proposal("Give $2,000 from the group fund toward volunteers' flights this harvest")
    assert flights.stage == Stage.TEST and flights.version == 2
    assert flights.test_end is not None and flights.test_end > timezone.now()
    sam = _user("sam.ortega")
    old = Response.objects.in_force().get(proposal=flights, member=sam)
    assert old.version == 1, "his answer to the first version is kept"
    assert not Response.objects.counting(flights).filter(member=sam).exists()
    assert not Response.objects.filter(proposal=flights, member=_user("volunteer")).exists()
    tally = tally_for(flights, timezone.now())
    assert tally.excused == 1, "Sam is away: he does not count against the quorum"
    assert flights in waiting_for(_user("volunteer"))
    assert flights in waiting_for(sam)


def test_a_block_pauses_a_test_with_a_thread_between_blocker_and_proposer(demo: None) -> None:
    panel = _proposal("Take part in the city's interfaith panel on the Middle East")
    assert panel.stage == Stage.TEST and panel.paused_at is not None
    block = Response.objects.counting(panel).get(position=Position.BLOCK)
    assert block.member == _user("lea.fischer") and block.principle is not None
    authors = list(block.thread.values_list("author__email", flat=True))
    assert authors == [demo_email("core"), demo_email("lea.fischer")]


def test_the_field_team_adopted_a_supermajority_fallback_by_consensus(demo: None) -> None:
    rule = DecisionRule.objects.in_force(Proposal.objects.filter(group__slug="palestine")[0].group)
    assert rule.pk is not None and rule.fallback == Fallback.SUPERMAJORITY
    assert rule.adopted_by is not None
    assert rule.adopted_by.kind == ProposalKind.DECISION_RULE
    assert rule.adopted_by.outcome == Outcome.CONSENSUS


def test_the_field_team_went_to_second_rounds(demo: None) -> None:
    passed = _proposal("Publish a monthly summary of incidents on the movement's site")
    assert (passed.outcome, passed.round) == (Outcome.FALLBACK_PASSED, 2)
    assert passed.outcome_detail["first_round"]["outcome"] == "second_round"
    failed = _proposal("أن يوزّع المنسقون المتطوعين على النوبات دون سؤالهم مسبقاً")
    assert (failed.outcome, failed.round) == (Outcome.FALLBACK_FAILED, 2)
    discussing = _proposal("Hold the volunteers' briefing in English only")
    assert discussing.stage == Stage.DISCUSSION
    assert discussing.discussion_end is not None and discussing.discussion_end > timezone.now()
    second = _proposal("إزالة السواتر الترابية عن طريق المزارعين، مع أصحاب الأرض")
    assert second.stage == Stage.SECOND_ROUND
    assert second in waiting_for(_user("documenter"))


def test_the_field_teams_mandate_and_the_quick_decisions_under_and_outside_it(
    demo: None,
) -> None:
    mandate = Mandate.objects.get(group__slug="palestine")
    assert mandate.holder == MandateHolder.SHIFT_TEAMS and mandate.is_in_force()
    assert mandate.granted_by is not None and mandate.granted_by.outcome == Outcome.CONSENSUS
    assert mandate.until - timezone.localdate() > dt.timedelta(days=150)
    assert "24 hours" in mandate.report_back

    quick = Proposal.objects.filter(kind=ProposalKind.QUICK, stage=Stage.CLOSED)
    under = quick.get(mandate=mandate)
    assert under.outcome == Outcome.CONSENSUS and under.ratification == Ratification.NOT_NEEDED
    assert under.shift is not None and under.shift.ends_at < timezone.now()
    assert under.body == Body.SHIFT_TEAM
    outside = quick.get(mandate__isnull=True)
    assert outside.outcome == Outcome.CONSENSUS
    pending = Proposal.objects.filter(group__slug="palestine", ratification=Ratification.PENDING)
    assert list(pending) == [outside]


def test_rana_is_proposed_for_the_core_group_and_salma_has_not_answered(demo: None) -> None:
    rana, salma = _user("rana.khatib"), _user("coordinator")
    proposal = Proposal.objects.get(kind=ProposalKind.CORE_MEMBERSHIP)
    assert proposal.stage == Stage.TEST and proposal.candidate == rana
    assert not Membership.objects.filter(user=rana, role=Role.CORE).exists()
    assert proposal in waiting_for(salma)

    # Her answer is the last one: it closes the proposal, and the consensus makes Rana core.
    record_response(proposal=proposal, member=salma, position=Position.AGREE)
    proposal.refresh_from_db()
    assert (proposal.outcome, proposal.closed_how) == (Outcome.CONSENSUS, ClosedHow.ALL_RESPONDED)
    assert Membership.objects.filter(user=rana, group=proposal.group, role=Role.CORE).exists()


def test_the_volunteer_sees_the_decision_waiting_on_their_home_page(
    demo: None, client: Client
) -> None:
    response = sign_in(client, _user("volunteer")).get("/en/accounts/home/")
    assert response.status_code == 200
    titles = [p.title for p in response.context["decisions_waiting"]]
    assert titles == ["Give $2,000 from the group fund toward volunteers' flights this harvest"]


@pytest.mark.parametrize(
    ("persona", "group", "shown"),
    [
        ("core", "northern-california", "Run a second training weekend in Sacramento"),
        ("volunteer", "northern-california", "Send supporters a newsletter every month"),
        ("field", "northern-california", "Take part in the city&#x27;s interfaith panel"),
        ("coordinator", "palestine", "Rana Khatib joins the core group"),
        ("documenter", "palestine", "Hold the volunteers&#x27; briefing in English only"),
        ("outsider", "london", "Run a stall at the next national march in London"),
    ],
)
def test_each_persona_finds_their_groups_decisions(
    demo: None, client: Client, persona: str, group: str, shown: str
) -> None:
    response = sign_in(client, _user(persona)).get(f"/en/decisions/{group}/")
    assert response.status_code == 200
    assert shown in response.content.decode()


def test_every_demo_proposal_page_opens_for_a_member_of_its_group(
    demo: None, client: Client
) -> None:
    readers = {
        "northern-california": _user("core"),
        "palestine": _user("coordinator"),
        "london": _user("outsider"),
    }
    for proposal in Proposal.objects.exclude(kind=ProposalKind.QUICK).select_related("group"):
        reader = readers[proposal.group.slug]
        if proposal.stage == Stage.DRAFT and proposal.proposer != reader:
            continue
        sign_in(client, reader)
        response = client.get(f"/en/decisions/{proposal.group.slug}/{proposal.pk}/")
        assert response.status_code == 200, proposal
        title = ProposalVersion.objects.get(proposal=proposal, number=proposal.version).title
        assert title.split("'")[0] in response.content.decode()


def test_the_field_volunteer_opens_the_quick_decisions_of_their_shifts(
    demo: None, client: Client
) -> None:
    field = _user("field")
    sign_in(client, field, second_factor=False)
    quick = list(Proposal.objects.filter(kind=ProposalKind.QUICK))
    assert len(quick) == 2
    for proposal in quick:
        assert proposal.responses.filter(member=field, position=Position.AGREE).exists()
        response = client.get(f"/en/field/decide/{proposal.pk}/")
        assert response.status_code == 200, proposal


def test_the_coordinator_finds_the_decision_to_ratify(demo: None, client: Client) -> None:
    response = sign_in(client, _user("coordinator")).get("/en/decisions/palestine/ratify/")
    assert response.status_code == 200
    assert "Go with the family to their northern grove" in response.content.decode()


def test_others_groups_decisions_stay_hidden(demo: None, client: Client) -> None:
    norcal = _proposal("Give $2,000 from the group fund toward volunteers' flights this harvest")
    london = _proposal("Run a stall at the next national march in London")
    sign_in(client, _user("outsider"))
    assert client.get(f"/en/decisions/northern-california/{norcal.pk}/").status_code == 404
    assert client.get("/en/decisions/northern-california/").status_code == 404
    sign_in(client, _user("core"))
    assert client.get(f"/en/decisions/london/{london.pk}/").status_code == 404
