"""A team in the field decides within minutes: someone on the shift (or a coordinator) asks, the
team answers with one tap on a phone, and the decision closes the moment the last one answers,
the moment anyone blocks, or at its deadline. It is recorded like any other."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from alongside.accounts.models import User
from alongside.decisions.models import (
    Body,
    ClosedHow,
    MandateHolder,
    Outcome,
    Proposal,
    ProposalKind,
    Ratification,
    Response,
    Stage,
)
from alongside.decisions.tasks import advance_proposals
from alongside.decisions.tests.factories import a_principle, make_mandate, team_on_shift
from alongside.field.models import Shift
from alongside.lib.models import AuditEntry
from conftest import World, sign_in


@pytest.fixture
def team(world: World) -> tuple[Shift, list[User]]:
    a_principle(world.field_team)
    return team_on_shift(world.bilin, size=3)


def _start(client: Client, shift: Shift, **data: Any) -> Any:
    values = {
        "title": "Stay at the gate?",
        "text": "We stay until the farmers leave.",
        "minutes": 15,
    }
    values.update(data)
    return client.post(f"/en/field/decide/new/{shift.pk}/", values)


def _tap(
    client: Client, proposal: Proposal, position: str, *, follow: bool = False, **data: Any
) -> Any:
    return client.post(
        f"/en/field/decide/{proposal.pk}/respond/", {"position": position, **data}, follow=follow
    )


def _open_one(team: tuple[Shift, list[User]]) -> Proposal:
    shift, people = team
    _start(sign_in(Client(), people[0], second_factor=False), shift)
    return Proposal.objects.get()


def test_someone_on_the_shift_asks_the_team_and_everyone_is_told_at_once(
    world: World, team: tuple[Shift, list[User]], django_capture_on_commit_callbacks: Any
) -> None:
    shift, people = team
    client = sign_in(Client(), people[0], second_factor=False)
    before = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        response = _start(client, shift)
    proposal = Proposal.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/en/field/decide/{proposal.pk}/"
    assert (proposal.kind, proposal.body, proposal.stage) == (
        ProposalKind.QUICK,
        Body.SHIFT_TEAM,
        Stage.TEST,
    )
    assert proposal.group == world.field_team and proposal.shift == shift
    assert proposal.test_end is not None
    assert before + dt.timedelta(minutes=15) <= proposal.test_end
    assert proposal.test_end <= before + dt.timedelta(minutes=16)
    assert proposal.test_end.second == 0
    assert proposal.versions.get().title == "Stay at the gate?"
    assert AuditEntry.objects.filter(action="open", target_id=str(proposal.pk)).exists()
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.email for p in people)
    assert "Stay at the gate" not in f"{mail.outbox[0].subject} {mail.outbox[0].body}"
    assert f"/en/decide/{proposal.pk}/" in mail.outbox[0].body
    assert "palestine" not in mail.outbox[0].body


def test_a_field_coordinator_may_ask_the_team_too(
    world: World, team: tuple[Shift, list[User]]
) -> None:
    shift, _people = team
    assert _start(sign_in(Client(), world.coordinator), shift).status_code == 302
    assert Proposal.objects.get().proposer == world.coordinator


def test_nobody_else_can_start_one(world: World, team: tuple[Shift, list[User]]) -> None:
    shift, _people = team
    for person in (world.volunteer, world.core, world.documenter):
        client = sign_in(Client(), person)
        assert client.get(f"/en/field/decide/new/{shift.pk}/").status_code == 404
        assert _start(client, shift).status_code == 404
    anonymous = Client().get(f"/en/field/decide/new/{shift.pk}/")
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    assert not Proposal.objects.exists()


def test_bad_input_is_refused_and_what_was_typed_is_kept(
    team: tuple[Shift, list[User]],
) -> None:
    shift, people = team
    client = sign_in(Client(), people[0], second_factor=False)
    response = _start(client, shift, minutes=200, title="Leave now?")
    assert response.status_code == 400
    text = response.content.decode()
    assert "Give the team between 5 and 120 minutes." in text
    assert 'value="Leave now?"' in text
    response = _start(client, shift, title="")
    assert response.status_code == 400
    assert "Say in a few words what the team is deciding." in response.content.decode()
    assert not Proposal.objects.exists()


def test_a_shift_long_over_takes_no_quick_decision(world: World) -> None:
    shift, people = team_on_shift(world.bilin, size=2, started_minutes_ago=60 * 24)
    client = sign_in(Client(), people[0], second_factor=False)
    page = client.get(f"/en/field/decide/new/{shift.pk}/")
    assert page.status_code == 200
    assert "for a shift that is under way" in page.content.decode()
    assert _start(client, shift).status_code == 400
    assert not Proposal.objects.exists()


def test_the_page_shows_one_tap_answers_to_the_team(team: tuple[Shift, list[User]]) -> None:
    proposal = _open_one(team)
    page = sign_in(Client(), team[1][1], second_factor=False).get(
        f"/en/field/decide/{proposal.pk}/"
    )
    assert page.status_code == 200
    text = page.content.decode()
    assert 'name="position" value="agree"' in text
    assert 'name="position" value="stand_aside"' in text
    assert "We stay until the farmers leave." in text


def test_it_closes_the_moment_the_last_member_answers(
    team: tuple[Shift, list[User]],
) -> None:
    proposal = _open_one(team)
    _shift, people = team
    _tap(sign_in(Client(), people[0], second_factor=False), proposal, "agree")
    # Standing aside in the field is one tap: no reason asked.
    _tap(sign_in(Client(), people[1], second_factor=False), proposal, "stand_aside")
    assert Proposal.objects.get(pk=proposal.pk).stage == Stage.TEST

    last = sign_in(Client(), people[2], second_factor=False)
    response = _tap(last, proposal, "agree")

    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.stage == Stage.CLOSED
    assert proposal.closed_how == ClosedHow.ALL_RESPONDED
    assert proposal.outcome == Outcome.CONSENSUS
    page = last.get(f"/en/field/decide/{proposal.pk}/").content.decode()
    assert "Consensus" in page and "when everyone had answered." in page


def test_a_block_stops_it_at_once(team: tuple[Shift, list[User]], world: World) -> None:
    proposal = _open_one(team)
    _shift, people = team
    _tap(sign_in(Client(), people[0], second_factor=False), proposal, "agree")
    principle = a_principle(world.field_team)

    response = _tap(
        sign_in(Client(), people[1], second_factor=False),
        proposal,
        "block",
        reason="Soldiers are coming; the farmers asked us to leave.",
        principle=principle.pk,
    )

    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.stage == Stage.CLOSED
    assert proposal.outcome == Outcome.BLOCKED
    assert proposal.closed_how == ClosedHow.BLOCK
    assert proposal.paused_at is None  # no pause: it stopped
    late = _tap(sign_in(Client(), people[2], second_factor=False), proposal, "agree")
    assert late.status_code == 302
    assert not Response.objects.filter(member=people[2]).exists()


def test_a_block_still_needs_a_reason_and_a_principle(
    team: tuple[Shift, list[User]],
) -> None:
    proposal = _open_one(team)
    client = sign_in(Client(), team[1][0], second_factor=False)
    response = _tap(client, proposal, "block", reason="Too dangerous")
    assert response.status_code == 400
    text = response.content.decode()
    assert "A block must name the principle the proposal would break." in text
    assert "Too dangerous" in text
    assert Proposal.objects.get(pk=proposal.pk).stage == Stage.TEST


def test_only_the_team_answers(world: World, team: tuple[Shift, list[User]]) -> None:
    proposal = _open_one(team)
    # The coordinator sees it, but is not on the shift's team.
    coordinator = sign_in(Client(), world.coordinator)
    assert coordinator.get(f"/en/field/decide/{proposal.pk}/").status_code == 200
    response = _tap(coordinator, proposal, "agree", follow=True)
    assert "Only the people who take this decision can answer it." in response.content.decode()
    assert not Response.objects.exists()
    # Someone of another group sees nothing of it.
    outsider = sign_in(Client(), world.outsider)
    assert outsider.get(f"/en/field/decide/{proposal.pk}/").status_code == 404
    assert _tap(outsider, proposal, "agree").status_code == 404
    anonymous = Client().get(f"/en/field/decide/{proposal.pk}/")
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]


def test_the_deadline_closes_it_with_whoever_answered(team: tuple[Shift, list[User]]) -> None:
    proposal = _open_one(team)
    _tap(sign_in(Client(), team[1][0], second_factor=False), proposal, "agree")
    _tap(sign_in(Client(), team[1][1], second_factor=False), proposal, "agree")
    Proposal.objects.filter(pk=proposal.pk).update(
        test_end=timezone.now() - dt.timedelta(seconds=1)
    )
    advance_proposals.call()
    proposal.refresh_from_db()
    assert proposal.stage == Stage.CLOSED
    assert proposal.closed_how == ClosedHow.DEADLINE
    assert proposal.outcome == Outcome.CONSENSUS


def test_a_mandate_of_the_teams_in_the_field_can_be_cited(
    world: World, team: tuple[Shift, list[User]]
) -> None:
    shift, people = team
    mandate = make_mandate(group=world.field_team, holder=MandateHolder.SHIFT_TEAMS)
    core_only = make_mandate(group=world.field_team, holder=MandateHolder.CORE, title="Press")
    client = sign_in(Client(), people[0], second_factor=False)
    page = client.get(f"/en/field/decide/new/{shift.pk}/").content.decode()
    assert mandate.title in page and "Press" not in page
    refused = _start(client, shift, mandate=core_only.pk)
    assert refused.status_code == 400
    assert _start(client, shift, mandate=mandate.pk).status_code == 302
    assert Proposal.objects.get().mandate == mandate


def test_the_shift_pages_link_to_deciding_together(
    world: World, team: tuple[Shift, list[User]]
) -> None:
    from alongside.field.checkin_plan import plan_checkins
    from alongside.field.models import SignUp

    shift, people = team
    for signup in SignUp.objects.filter(shift=shift):
        plan_checkins(signup)
    link = f"/en/field/decide/new/{shift.pk}/"
    volunteer_page = sign_in(Client(), people[0], second_factor=False).get(
        f"/en/field/shifts/{shift.pk}/"
    )
    assert link in volunteer_page.content.decode()
    roster = sign_in(Client(), world.coordinator).get(
        f"/en/coordinate/palestine/shifts/{shift.pk}/"
    )
    assert roster.status_code == 200
    assert link in roster.content.decode()
    proposal = _open_one(team)
    again = sign_in(Client(), people[1], second_factor=False).get(f"/en/field/shifts/{shift.pk}/")
    assert f"/en/field/decide/{proposal.pk}/" in again.content.decode()


def test_the_quick_page_reads_right_to_left_in_arabic(team: tuple[Shift, list[User]]) -> None:
    proposal = _open_one(team)
    page = sign_in(Client(), team[1][1], second_factor=False).get(
        f"/ar/field/decide/{proposal.pk}/"
    )
    assert page.status_code == 200
    text = page.content.decode()
    assert 'dir="rtl"' in text
    assert 'action="/ar/field/decide/' in text


def test_agreed_outside_any_mandate_it_waits_for_the_group_to_ratify(
    world: World, team: tuple[Shift, list[User]]
) -> None:
    shift, people = team
    _start(sign_in(Client(), people[0], second_factor=False), shift)
    outside = Proposal.objects.get()
    mandate = make_mandate(group=world.field_team, holder=MandateHolder.SHIFT_TEAMS)
    _start(sign_in(Client(), people[0], second_factor=False), shift, mandate=mandate.pk)
    under = Proposal.objects.exclude(pk=outside.pk).get()
    for proposal in (outside, under):
        for person in people:
            _tap(sign_in(Client(), person, second_factor=False), proposal, "agree")
    outside.refresh_from_db()
    under.refresh_from_db()
    assert (outside.outcome, outside.ratification) == (Outcome.CONSENSUS, Ratification.PENDING)
    assert (under.outcome, under.ratification) == (Outcome.CONSENSUS, Ratification.NOT_NEEDED)
