"""The mend round of answers, blocks and quick decisions: links in emails that name no group, no
answer after the deadline, a second round answered afresh, the block's outlook at the deadline, a
short answer form on a phone, and quick decisions on the field's clock, behind a second factor
for anyone outside the team."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.utils import timezone

from alongside.accounts.models import User
from alongside.decisions import notify
from alongside.decisions.actions import DecisionError, closing
from alongside.decisions.actions.responses import confirm_response, record_response
from alongside.decisions.models import (
    DecisionRule,
    Fallback,
    MandateHolder,
    Position,
    Proposal,
    Ratification,
    Response,
    Stage,
)
from alongside.decisions.tests.factories import (
    a_principle,
    add_member,
    make_mandate,
    make_proposal,
    respond,
    team_on_shift,
)
from alongside.decisions.waiting import waiting_for
from alongside.field.models import Shift
from alongside.lib.models import AuditEntry
from conftest import World, sign_in

NORCAL = "/en/decisions/northern-california"
TOO_LATE = "The time to answer is over; the proposal is closed."


def _text(response: Any) -> str:
    return str(response.content.decode())


def _flashes(response: Any) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def _overdue(world: World, **fields: Any) -> Proposal:
    """A proposal of Northern California whose test ended a minute ago, the task not run yet;
    the core member agreed in time."""
    proposal = make_proposal(
        group=world.norcal,
        proposer=world.core,
        stage=Stage.TEST,
        test_end=timezone.now() - dt.timedelta(minutes=1),
        **fields,
    )
    respond(proposal, world.core, Position.AGREE)
    return proposal


@pytest.fixture
def team(world: World) -> tuple[Shift, list[User]]:
    a_principle(world.field_team)
    return team_on_shift(world.bilin, size=3)


def _quick(team: tuple[Shift, list[User]], **data: Any) -> Proposal:
    shift, people = team
    values = {"title": "Stay at the gate?", "text": "We stay an hour.", "minutes": 15, **data}
    sign_in(Client(), people[0], second_factor=False).post(
        f"/en/field/decide/new/{shift.pk}/", values
    )
    return Proposal.objects.order_by("-pk").first()  # type: ignore[return-value]


def _tap(person: User, proposal: Proposal, position: str = "agree", **data: Any) -> Any:
    client = sign_in(Client(), person, second_factor=False)
    return client.post(
        f"/en/field/decide/{proposal.pk}/respond/", {"position": position, **data}, follow=True
    )


# --- 1. links in emails name no group --------------------------------------------------------


def test_every_email_links_without_the_group_and_the_link_leads_on(world: World) -> None:
    proposal = make_proposal(group=world.norcal, proposer=world.core, stage=Stage.TEST)
    block = respond(proposal, world.volunteer, Position.BLOCK)
    assert notify.deliver.call(notify.BLOCK, proposal.pk, item=block.pk) == 1
    assert notify.deliver.call(notify.STAGE, proposal.pk, stage="test", round=1) == 2
    for message in mail.outbox:
        assert "northern-california" not in message.body
    thread_link = f"/en/decide/{proposal.pk}/blocks/{block.pk}/"
    assert thread_link in mail.outbox[0].body
    assert f"/en/decide/{proposal.pk}/\n" in mail.outbox[1].body

    core = sign_in(Client(), world.core, second_factor=False)
    to_thread = core.get(thread_link)
    assert to_thread.status_code == 302
    assert to_thread["Location"] == f"{NORCAL}/{proposal.pk}/blocks/{block.pk}/"
    to_page = sign_in(Client(), world.volunteer, second_factor=False).get(
        f"/en/decide/{proposal.pk}/"
    )
    assert to_page["Location"] == f"{NORCAL}/{proposal.pk}/"


def test_a_link_answers_404_to_whoever_may_not_see_it(world: World) -> None:
    proposal = make_proposal(group=world.norcal, proposer=world.core, stage=Stage.TEST)
    block = respond(proposal, world.volunteer, Position.BLOCK)
    thread_link = f"/en/decide/{proposal.pk}/blocks/{block.pk}/"
    # A member who is not in the block's thread sees the proposal, not the thread.
    member = sign_in(Client(), add_member(world.norcal), second_factor=False)
    assert member.get(f"/en/decide/{proposal.pk}/").status_code == 302
    assert member.get(thread_link).status_code == 404
    outsider = sign_in(Client(), world.outsider)
    assert outsider.get(f"/en/decide/{proposal.pk}/").status_code == 404
    assert outsider.get(thread_link).status_code == 404
    assert Client().get(f"/en/decide/{proposal.pk}/")["Location"].startswith("/en/accounts/login/")
    assert sign_in(Client(), world.core).get("/en/decide/999999/").status_code == 404


def test_a_quick_decision_link_leads_to_the_quick_page_and_names_no_field_team(
    world: World, team: tuple[Shift, list[User]], django_capture_on_commit_callbacks: Any
) -> None:
    shift, people = team
    with django_capture_on_commit_callbacks(execute=True):
        sign_in(Client(), people[0], second_factor=False).post(
            f"/en/field/decide/new/{shift.pk}/",
            {"title": "Stay?", "text": "We stay.", "minutes": 15},
        )
    proposal = Proposal.objects.get()
    assert mail.outbox and all("palestine" not in m.body for m in mail.outbox)
    assert f"/en/decide/{proposal.pk}/" in mail.outbox[0].body
    client = sign_in(Client(), people[1], second_factor=False)
    assert client.get(f"/en/decide/{proposal.pk}/")["Location"] == (
        f"/en/field/decide/{proposal.pk}/"
    )
    assert client.get(f"/en/decide/{proposal.pk}/blocks/1/").status_code == 404


# --- 2. no answer after the deadline ---------------------------------------------------------


def test_an_answer_after_the_deadline_is_refused_and_closes_the_proposal(world: World) -> None:
    proposal = _overdue(world)
    principle = a_principle(world.norcal)
    client = sign_in(Client(), world.volunteer, second_factor=False)

    response = client.post(
        f"{NORCAL}/{proposal.pk}/respond/",
        {"position": "block", "reason": "Too late", "principle": principle.pk},
    )

    assert response.status_code == 302
    assert response["Location"] == f"{NORCAL}/{proposal.pk}/"
    assert TOO_LATE in _flashes(response)
    assert not Response.objects.filter(proposal=proposal, member=world.volunteer).exists()
    proposal.refresh_from_db()
    assert (proposal.stage, proposal.closed_how, proposal.outcome) == (
        Stage.CLOSED,
        "deadline",
        "consensus",
    )
    close = AuditEntry.objects.get(action="close", target_id=str(proposal.pk))
    assert close.actor_id is None
    # The task, later, has nothing left to do.
    assert closing.close_due(timezone.now()) == 0


def test_the_outcome_is_the_same_whichever_runs_first(world: World) -> None:
    answer_first, task_first = _overdue(world), _overdue(world)
    with pytest.raises(DecisionError) as refused:
        record_response(proposal=answer_first, member=world.volunteer, position="abstain")
    assert str(refused.value.message) == TOO_LATE
    assert closing.close_due(timezone.now()) == 1  # only the other one
    with pytest.raises(DecisionError):
        record_response(proposal=task_first, member=world.volunteer, position="abstain")
    answer_first.refresh_from_db()
    task_first.refresh_from_db()
    assert answer_first.outcome == task_first.outcome == "consensus"
    assert answer_first.outcome_detail["tally"] == task_first.outcome_detail["tally"]
    assert answer_first.outcome_detail["tally"]["abstain"] == 0


def test_confirming_again_after_the_deadline_is_refused_too(world: World) -> None:
    proposal = _overdue(world)
    respond(proposal, world.volunteer, Position.AGREE)
    Proposal.objects.filter(pk=proposal.pk).update(version=2)
    proposal.refresh_from_db()
    with pytest.raises(DecisionError) as refused:
        confirm_response(proposal=proposal, member=world.volunteer)
    assert str(refused.value.message) == TOO_LATE
    assert Proposal.objects.get(pk=proposal.pk).stage == Stage.CLOSED


def test_a_late_answer_to_a_failed_first_round_sends_it_to_the_further_discussion(
    world: World,
) -> None:
    DecisionRule.objects.create(group=world.norcal, fallback=Fallback.SUPERMAJORITY)
    proposal = _overdue(world)
    respond(proposal, world.volunteer, Position.BLOCK)
    late = add_member(world.norcal)
    with pytest.raises(DecisionError) as refused:
        record_response(proposal=proposal, member=late, position="agree")
    assert "further discussion" in str(refused.value.message)
    assert Proposal.objects.get(pk=proposal.pk).stage == Stage.DISCUSSION


def test_a_quick_answer_after_the_deadline_is_refused(
    world: World, team: tuple[Shift, list[User]]
) -> None:
    proposal = _quick(team)
    _shift, people = team
    _tap(people[0], proposal)
    Proposal.objects.filter(pk=proposal.pk).update(
        test_end=timezone.now() - dt.timedelta(seconds=1)
    )
    page = _tap(people[1], proposal, "stand_aside")
    assert TOO_LATE in _text(page)
    proposal.refresh_from_db()
    assert proposal.stage == Stage.CLOSED and proposal.closed_how == "deadline"
    assert proposal.outcome_detail["tally"]["stand_aside"] == 0


def test_the_page_says_the_time_is_over_before_the_task_runs(world: World) -> None:
    proposal = _overdue(world)
    page = sign_in(Client(), world.volunteer, second_factor=False).get(
        f"{NORCAL}/{proposal.pk}/respond/"
    )
    text = _text(page)
    assert "The time to answer is over; the proposal closes in a moment." in text
    assert "Give my answer" not in text


def test_nothing_waits_for_an_answer_after_the_deadline(world: World) -> None:
    _overdue(world)
    assert list(waiting_for(world.volunteer)) == []


# --- 3. a second round is answered afresh -----------------------------------------------------


def test_in_a_second_round_the_first_rounds_answer_is_not_mine(world: World) -> None:
    proposal = make_proposal(group=world.norcal, proposer=world.core, stage=Stage.TEST)
    respond(proposal, world.volunteer, Position.BLOCK, reason="First round reason")
    Proposal.objects.filter(pk=proposal.pk).update(
        stage=Stage.SECOND_ROUND,
        round=2,
        second_round_end=timezone.now() + dt.timedelta(days=2),
    )
    page = sign_in(Client(), world.volunteer, second_factor=False).get(
        f"{NORCAL}/{proposal.pk}/respond/"
    )
    text = _text(page)
    assert page.status_code == 200
    assert "Give my answer" in text
    assert not re.search(r'name="position" value="block"[^>]*checked', text)
    assert "First round reason" not in text
    assert "You answered" not in text


# --- 9. a block's outlook at the deadline -----------------------------------------------------


def _paused_by_the_volunteer(world: World) -> Proposal:
    add_member(world.norcal)
    add_member(world.norcal)  # four members: the quorum is two answers
    proposal = make_proposal(group=world.norcal, proposer=world.core, stage=Stage.TEST)
    principle = a_principle(world.norcal)
    sign_in(Client(), world.volunteer, second_factor=False).post(
        f"{NORCAL}/{proposal.pk}/respond/",
        {"position": "block", "reason": "Unsafe", "principle": principle.pk},
    )
    proposal.refresh_from_db()
    assert proposal.paused_at is not None
    return proposal


def test_while_a_block_pauses_it_the_page_says_what_the_deadline_brings(world: World) -> None:
    proposal = _paused_by_the_volunteer(world)
    core = sign_in(Client(), world.core)
    text = _text(core.get(f"{NORCAL}/{proposal.pk}/respond/"))
    assert "If it closed now" not in text
    assert "At the deadline, unless the block is withdrawn" in text
    assert "<strong>Blocked</strong>" in text
    assert "Or “No quorum”, if fewer than 2 people have answered by then." in text

    core.post(f"{NORCAL}/{proposal.pk}/respond/", {"position": "agree"})
    text = _text(core.get(f"{NORCAL}/{proposal.pk}/respond/"))
    assert "<strong>Blocked</strong>" in text
    assert "No quorum" not in text


def test_a_lone_block_that_needs_a_second_is_said_to_lapse(world: World) -> None:
    DecisionRule.objects.create(group=world.norcal, block_needs_second=True)
    proposal = _paused_by_the_volunteer(world)
    text = _text(sign_in(Client(), world.core).get(f"{NORCAL}/{proposal.pk}/respond/"))
    assert "At the deadline, unless the block is withdrawn" not in text
    assert "The block has no second" in text
    assert "lapses at the close" in text


# --- 10. a short answer form -----------------------------------------------------------------


def test_the_reason_and_principles_are_in_the_form_and_shown_again_with_errors(
    world: World,
) -> None:
    proposal = make_proposal(group=world.norcal, proposer=world.core, stage=Stage.TEST)
    a_principle(world.norcal)
    client = sign_in(Client(), world.volunteer, second_factor=False)
    text = _text(client.get(f"{NORCAL}/{proposal.pk}/respond/"))
    assert 'class="decision-response-form"' in text
    assert 'class="decision-reason-field"' in text and 'name="reason"' in text
    assert "decision-principles" in text and 'name="principle"' in text

    refused = client.post(f"{NORCAL}/{proposal.pk}/respond/", {"position": "block"})
    assert refused.status_code == 400
    text = _text(refused)
    assert 'class="decision-response-form has-errors"' in text
    assert "A block must name the principle the proposal would break." in text


def test_the_css_hides_the_extra_fields_only_while_no_answer_needs_them() -> None:
    from pathlib import Path

    from django.conf import settings

    css = (Path(settings.BASE_DIR) / "alongside/static/css/site.css").read_text()
    block = css[css.index("(helper B)") : css.index("end of helper B")]
    assert ".decision-response-form:not(.has-errors):not(:has(" in block
    assert '[value="block"]:checked)) .decision-principles' in block
    for physical in ("margin-left", "margin-right", "padding-left", "padding-right", "left:"):
        assert physical not in block


# --- 4. 5. 6. 7. 8. quick decisions -----------------------------------------------------------


def test_only_who_may_start_one_sees_decide_together_now(
    world: World, team: tuple[Shift, list[User]]
) -> None:
    shift, people = team
    factory = RequestFactory()

    def links_for(user: User) -> str:
        request = factory.get("/")
        request.user = user
        return render_to_string("decisions/_quick_links.html", {"shift": shift, "request": request})

    assert "Decide together now" in links_for(people[0])
    assert "Decide together now" in links_for(world.coordinator)
    for user in (world.volunteer, world.documenter):
        assert "Decide together now" not in links_for(user)


def test_outside_the_team_the_quick_pages_need_a_second_factor(
    world: World, team: tuple[Shift, list[User]]
) -> None:
    shift, people = team
    proposal = _quick(team)
    for person in (world.coordinator, world.documenter):
        without = sign_in(Client(), person, second_factor=False)
        page = without.get(f"/en/field/decide/{proposal.pk}/")
        assert page.status_code == 302 and "/accounts/2fa/" in page["Location"]
        assert sign_in(Client(), person).get(f"/en/field/decide/{proposal.pk}/").status_code == 200
    starting = sign_in(Client(), world.coordinator, second_factor=False).get(
        f"/en/field/decide/new/{shift.pk}/"
    )
    assert starting.status_code == 302 and "/accounts/2fa/" in starting["Location"]
    # The team itself needs none.
    team_client = sign_in(Client(), people[1], second_factor=False)
    assert team_client.get(f"/en/field/decide/{proposal.pk}/").status_code == 200
    assert team_client.get(f"/en/field/decide/new/{shift.pk}/").status_code == 200


def test_quick_decision_times_are_on_the_fields_clock(
    world: World, team: tuple[Shift, list[User]]
) -> None:
    proposal = _quick(team)
    _shift, people = team
    text = _text(
        sign_in(Client(), people[1], second_factor=False).get(f"/en/field/decide/{proposal.pk}/")
    )
    closes = text[text.index("Closes") :]
    assert "(Asia/Hebron)" in closes[:400]
    for person in people:
        _tap(person, proposal)
    text = _text(
        sign_in(Client(), people[1], second_factor=False).get(f"/en/field/decide/{proposal.pk}/")
    )
    sentence = re.search(r"Closed ([^<]*), when everyone had answered\.", text)
    assert sentence is not None and "(Asia/Hebron)" in sentence.group(1)


def test_the_quick_page_leads_back_to_the_shift(
    world: World, team: tuple[Shift, list[User]]
) -> None:
    shift, people = team
    proposal = _quick(team)
    mine = _text(
        sign_in(Client(), people[1], second_factor=False).get(f"/en/field/decide/{proposal.pk}/")
    )
    assert f'<a href="/en/field/shifts/{shift.pk}/">Quick decision in the field' in mine
    roster = _text(sign_in(Client(), world.coordinator).get(f"/en/field/decide/{proposal.pk}/"))
    assert f'<a href="/en/coordinate/palestine/shifts/{shift.pk}/">' in roster
    documenter = _text(sign_in(Client(), world.documenter).get(f"/en/field/decide/{proposal.pk}/"))
    assert "shifts/" not in documenter.split('class="breadcrumbs"')[1].split("</p>")[0]


def test_a_closed_quick_decision_says_what_became_of_its_ratification(
    world: World, team: tuple[Shift, list[User]]
) -> None:
    _shift, people = team
    proposal = _quick(team)
    for person in people:
        _tap(person, proposal)
    proposal.refresh_from_db()
    assert proposal.ratification == Ratification.PENDING
    client = sign_in(Client(), people[0], second_factor=False)
    url = f"/en/field/decide/{proposal.pk}/"
    text = _text(client.get(url))
    assert "Taken outside any mandate: waiting for the group to ratify it." in text
    assert "if agreed, the group is asked to ratify it" not in text
    Proposal.objects.filter(pk=proposal.pk).update(ratification=Ratification.RATIFIED)
    assert "Taken outside any mandate: ratified by the group." in _text(client.get(url))
    Proposal.objects.filter(pk=proposal.pk).update(ratification=Ratification.REFUSED)
    assert "Taken outside any mandate: not ratified by the group." in _text(client.get(url))

    mandate = make_mandate(group=world.field_team, holder=MandateHolder.SHIFT_TEAMS)
    under = _quick(team, mandate=mandate.pk)
    assert f"Under the mandate “{mandate.title}”." in _text(
        client.get(f"/en/field/decide/{under.pk}/")
    )
    for person in people:
        _tap(person, under)
    assert f"Taken under the mandate “{mandate.title}”." in _text(
        client.get(f"/en/field/decide/{under.pk}/")
    )
