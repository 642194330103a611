"""Members draft proposals, open them, and follow them through the stages on the group's
decisions pages: the index, the draft form, the proposal page with its comments and questions,
the facilitator's deadlines."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from alongside.decisions import notify
from alongside.decisions.models import (
    Body,
    Comment,
    Position,
    Proposal,
    ProposalKind,
    Ratification,
    Stage,
)
from alongside.decisions.tests.factories import make_proposal, respond
from alongside.field.tests.factories_invitations import make_invitation, put_on
from alongside.lib.models import AuditEntry
from alongside.movement.models import Membership, Role
from conftest import World, make_user, sign_in

BASE = "/en/decisions/northern-california/"


def _page(response: Any) -> str:
    return response.content.decode()


def _flash(response: Any) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def _draft(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "title": "Join the autumn olive harvest",
        "text": "We send **four** volunteers to Burin.",
        "why": "The village committee invited us.",
        "if_agreed": "The core group recruits by June.",
        "concerns_whom": "Volunteers of the spring campaign",
        "body": "members",
        "questions_end": "2030-03-01T18:00",
        "concerns_end": "2030-03-03T18:00",
        "amendments_end": "2030-03-05T18:00",
        "test_end": "2030-03-08T18:00",
        "review_on": "",
    }
    data.update(changes)
    return data


@pytest.fixture
def stage_moves(monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, str]]:
    """The stage notices the actions send: (proposal, stage)."""
    sent: list[tuple[int, str]] = []
    monkeypatch.setattr(notify, "stage_started", lambda p: sent.append((p.pk, p.stage)))
    return sent


# --- drafting and opening ----------------------------------------------------------------------


def test_a_member_drafts_a_proposal_that_only_they_and_the_facilitator_see(world: World) -> None:
    client = sign_in(Client(), world.volunteer)
    page = client.get(f"{BASE}new/")
    assert page.status_code == 200
    # The defaults: me as facilitator, a deadline for each stage.
    assert f'value="{world.volunteer.pk}" selected' in _page(page).replace("\n", "")
    response = client.post(f"{BASE}new/", _draft(facilitator=str(world.core.pk)))
    proposal = Proposal.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{BASE}{proposal.pk}/"
    assert proposal.stage == Stage.DRAFT
    assert proposal.proposer == world.volunteer
    assert proposal.facilitator == world.core
    assert proposal.kind == ProposalKind.GENERAL
    assert proposal.questions_end == dt.datetime(2030, 3, 1, 18, 0, tzinfo=dt.UTC)
    version = proposal.versions.get()
    assert (version.number, version.title) == (1, "Join the autumn olive harvest")
    page = client.get(f"{BASE}{proposal.pk}/")
    assert "This is a draft" in _page(page)
    assert "<strong>four</strong>" in _page(page)
    # The facilitator sees the draft; another member does not.
    assert sign_in(Client(), world.core).get(f"{BASE}{proposal.pk}/").status_code == 200
    other = make_user("other@example.org", "Omar Other")
    Membership.objects.create(group=world.norcal, user=other, role=Role.MEMBER)
    assert sign_in(Client(), other).get(f"{BASE}{proposal.pk}/").status_code == 404
    assert AuditEntry.objects.filter(action="create", target_id=str(proposal.pk)).exists()


def test_deadlines_are_read_on_the_viewers_clock(world: World) -> None:
    world.volunteer.time_zone = "America/Los_Angeles"
    world.volunteer.save()
    client = sign_in(Client(), world.volunteer)
    assert "America/Los Angeles" in _page(client.get(f"{BASE}new/"))
    assert (
        client.post(f"{BASE}new/", _draft(facilitator=str(world.volunteer.pk))).status_code == 302
    )
    proposal = Proposal.objects.get()
    # 18:00 in California in March 2030 (daylight time from 10 March) is 02:00 UTC the next day.
    assert proposal.questions_end == dt.datetime(2030, 3, 2, 2, 0, tzinfo=dt.UTC)


def test_bad_draft_input_is_kept_with_a_clear_message(world: World) -> None:
    client = sign_in(Client(), world.volunteer)
    response = client.post(
        f"{BASE}new/",
        _draft(
            text="",
            facilitator=str(world.volunteer.pk),
            concerns_end="2030-02-27T18:00",
            test_end="2001-01-01T10:00",
        ),
    )
    assert response.status_code == 400
    page = _page(response)
    assert "Please correct what is marked below" in page
    assert "Join the autumn olive harvest" in page
    assert "The village committee invited us." in page
    assert "This stage must end after the one before it." in page
    assert "This deadline has passed" in page
    assert not Proposal.objects.exists()


def test_only_core_members_put_a_proposal_to_the_core_group(world: World) -> None:
    client = sign_in(Client(), world.volunteer)
    assert 'value="core"' not in _page(client.get(f"{BASE}new/"))
    response = client.post(f"{BASE}new/", _draft(body="core", facilitator=str(world.volunteer.pk)))
    assert response.status_code == 400
    assert not Proposal.objects.exists()
    core = sign_in(Client(), world.core)
    assert 'value="core"' in _page(core.get(f"{BASE}new/"))
    assert (
        core.post(f"{BASE}new/", _draft(body="core", facilitator=str(world.core.pk))).status_code
        == 302
    )
    assert Proposal.objects.get().body == Body.CORE


def test_the_facilitator_must_be_a_member_of_the_group(world: World) -> None:
    client = sign_in(Client(), world.volunteer)
    response = client.post(f"{BASE}new/", _draft(facilitator=str(world.outsider.pk)))
    assert response.status_code == 400
    assert "Join the autumn olive harvest" in _page(response)


def test_a_special_kind_comes_from_the_address(world: World) -> None:
    client = sign_in(Client(), world.core)
    page = client.get(f"{BASE}new/?kind=core_membership")
    assert page.status_code == 200
    assert "Joining the core group" in _page(page)
    # A quick decision starts from a shift, not here: the form falls back to a plain proposal.
    assert client.get(f"{BASE}new/?kind=quick").context["kind"] == ProposalKind.GENERAL


def test_the_proposer_changes_the_draft_and_opens_it(
    world: World, stage_moves: list[tuple[int, str]]
) -> None:
    proposal = make_proposal(group=world.norcal, proposer=world.volunteer, stage=Stage.DRAFT)
    client = sign_in(Client(), world.volunteer)
    assert client.get(f"{BASE}{proposal.pk}/edit/").status_code == 200
    response = client.post(
        f"{BASE}{proposal.pk}/edit/",
        _draft(title="Join the harvest in Burin", facilitator=str(world.volunteer.pk)),
    )
    assert response.status_code == 302
    assert proposal.versions.get().title == "Join the harvest in Burin"
    entry = AuditEntry.objects.filter(action="update", target_id=str(proposal.pk)).get()
    assert "title" in entry.detail["fields"] and "questions_end" in entry.detail["fields"]
    response = client.post(f"{BASE}{proposal.pk}/open/")
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.stage == Stage.QUESTIONS
    assert proposal.opened_at is not None
    assert stage_moves == [(proposal.pk, Stage.QUESTIONS)]
    assert AuditEntry.objects.filter(action="open", target_id=str(proposal.pk)).exists()
    # Once open, the words change only by amendments.
    response = client.get(f"{BASE}{proposal.pk}/edit/", follow=True)
    assert "its words change only by amendments" in " ".join(_flash(response))


def test_a_draft_with_a_passed_deadline_does_not_open(world: World) -> None:
    past = timezone.now() - dt.timedelta(hours=2)
    proposal = make_proposal(
        group=world.norcal, proposer=world.volunteer, stage=Stage.DRAFT, questions_end=past
    )
    response = sign_in(Client(), world.volunteer).post(f"{BASE}{proposal.pk}/open/", follow=True)
    assert "This deadline has passed" in " ".join(_flash(response))
    proposal.refresh_from_db()
    assert proposal.stage == Stage.DRAFT


def test_only_the_proposer_or_facilitator_edits_or_opens_a_draft(world: World) -> None:
    proposal = make_proposal(
        group=world.norcal, proposer=world.volunteer, facilitator=world.core, stage=Stage.DRAFT
    )
    other = make_user("other@example.org", "Omar Other")
    Membership.objects.create(group=world.norcal, user=other, role=Role.MEMBER)
    client = sign_in(Client(), other)
    # They cannot see a draft at all.
    assert client.get(f"{BASE}{proposal.pk}/edit/").status_code == 404
    assert client.post(f"{BASE}{proposal.pk}/open/").status_code == 404
    # The facilitator may.
    assert sign_in(Client(), world.core).post(f"{BASE}{proposal.pk}/open/").status_code == 302
    proposal.refresh_from_db()
    assert proposal.stage == Stage.QUESTIONS


def test_the_proposer_withdraws_after_confirming(world: World) -> None:
    proposal = make_proposal(group=world.norcal, proposer=world.volunteer, stage=Stage.CONCERNS)
    client = sign_in(Client(), world.volunteer)
    response = client.post(f"{BASE}{proposal.pk}/withdraw/", follow=True)
    assert "Tick the box" in " ".join(_flash(response))
    proposal.refresh_from_db()
    assert proposal.stage == Stage.CONCERNS
    # Someone else cannot.
    core = sign_in(Client(), world.core)
    response = core.post(f"{BASE}{proposal.pk}/withdraw/", {"confirm": "1"}, follow=True)
    assert "Only the proposer withdraws" in " ".join(_flash(response))
    client.post(f"{BASE}{proposal.pk}/withdraw/", {"confirm": "1"})
    proposal.refresh_from_db()
    assert proposal.stage == Stage.WITHDRAWN
    page = _page(client.get(f"{BASE}{proposal.pk}/"))
    assert "The proposer withdrew this proposal." in page
    assert AuditEntry.objects.filter(action="withdraw", target_id=str(proposal.pk)).exists()


# --- the index ---------------------------------------------------------------------------------


def test_the_index_shows_open_proposals_by_stage_and_mine_waiting_first(world: World) -> None:
    questions = make_proposal(
        group=world.norcal, proposer=world.core, title="Buy a megaphone", stage=Stage.QUESTIONS
    )
    test = make_proposal(
        group=world.norcal, proposer=world.core, title="Rent a bus", stage=Stage.TEST
    )
    answered = make_proposal(
        group=world.norcal, proposer=world.core, title="Print leaflets", stage=Stage.TEST
    )
    respond(answered, world.volunteer, Position.AGREE)
    make_proposal(
        group=world.norcal, proposer=world.core, title="Core only", body=Body.CORE,
        stage=Stage.TEST,
    )  # fmt: skip
    make_proposal(group=world.norcal, proposer=world.volunteer, title="My idea", stage=Stage.DRAFT)
    make_proposal(group=world.london, proposer=world.outsider, title="London's", stage=Stage.TEST)
    response = sign_in(Client(), world.volunteer).get(BASE)
    assert response.status_code == 200
    assert [p.pk for p in response.context["waiting"]] == [test.pk]
    page = _page(response)
    assert page.index("Waiting for your answer") < page.index("Buy a megaphone")
    assert page.index("Clarifying questions") < page.index("Test for agreement")
    for title in ("Buy a megaphone", "Rent a bus", "Print leaflets", "My idea"):
        assert title in page
    # Not a core member: the core group's open proposal is not theirs to see; nor London's.
    assert "Core only" not in page and "London's" not in page
    assert questions.pk in [p.pk for p in response.context["page"]]
    core_page = _page(sign_in(Client(), world.core).get(BASE))
    assert "Core only" in core_page and "My idea" not in core_page


def test_the_index_counts_the_decisions_waiting_for_ratification(world: World) -> None:
    make_proposal(
        group=world.norcal, proposer=world.core, stage=Stage.QUESTIONS,
        ratification=Ratification.PENDING,
    )  # fmt: skip
    page = _page(sign_in(Client(), world.volunteer).get(BASE))
    assert "1 decision taken in an emergency waits for the group to ratify it." in page
    for link in ("register/", "mandates/", "rule/", "away/", "ratify/", "new/?kind=mandate"):
        assert f"{BASE}{link}" in page


def test_the_index_takes_the_same_queries_for_more_proposals(world: World) -> None:
    client = sign_in(Client(), world.volunteer)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(BASE).status_code == 200
        return len(queries)

    make_proposal(group=world.norcal, proposer=world.core, stage=Stage.TEST)
    make_proposal(group=world.norcal, proposer=world.volunteer, stage=Stage.DRAFT)
    client.get(BASE)
    few = count()
    for stage in (Stage.QUESTIONS, Stage.CONCERNS, Stage.AMENDMENTS, Stage.TEST) * 6:
        make_proposal(group=world.norcal, proposer=world.core, stage=stage)
        make_proposal(group=world.norcal, proposer=world.volunteer, stage=Stage.DRAFT)
    assert count() == few
    assert sign_in(Client(), world.volunteer).get(f"{BASE}?page=2").status_code == 200


# --- comments and questions --------------------------------------------------------------------


def test_a_member_asks_a_question_and_marks_it_answered(world: World) -> None:
    proposal = make_proposal(group=world.norcal, proposer=world.core, stage=Stage.QUESTIONS)
    client = sign_in(Client(), world.volunteer)
    response = client.post(
        f"{BASE}{proposal.pk}/comments/", {"comment-body": "Which week exactly?"}
    )
    assert response.status_code == 302
    question = Comment.objects.get()
    assert question.is_question and question.stage == Stage.QUESTIONS
    assert "Which week exactly?" in _page(client.get(f"{BASE}{proposal.pk}/"))
    other = make_user("other@example.org", "Omar Other")
    Membership.objects.create(group=world.norcal, user=other, role=Role.MEMBER)
    response = sign_in(Client(), other).post(
        f"{BASE}{proposal.pk}/comments/{question.pk}/answered/", follow=True
    )
    assert "marks a question answered" in " ".join(_flash(response))
    question.refresh_from_db()
    assert question.answered_at is None
    client.post(f"{BASE}{proposal.pk}/comments/{question.pk}/answered/")
    question.refresh_from_db()
    assert question.answered_by == world.volunteer
    assert AuditEntry.objects.filter(action="answered", target_id=str(proposal.pk)).exists()


def test_an_empty_comment_is_refused_and_a_long_one_kept(world: World) -> None:
    proposal = make_proposal(group=world.norcal, proposer=world.core, stage=Stage.CONCERNS)
    client = sign_in(Client(), world.volunteer)
    response = client.post(f"{BASE}{proposal.pk}/comments/", {"comment-body": "   "})
    assert response.status_code == 400
    assert "This field is required." in _page(response)
    long = "I worry about the bus. " * 300
    response = client.post(f"{BASE}{proposal.pk}/comments/", {"comment-body": long})
    assert response.status_code == 400
    assert "I worry about the bus." in _page(response)
    assert not Comment.objects.exists()


def test_comments_in_the_concerns_are_not_questions(world: World) -> None:
    proposal = make_proposal(group=world.norcal, proposer=world.core, stage=Stage.CONCERNS)
    sign_in(Client(), world.volunteer).post(
        f"{BASE}{proposal.pk}/comments/", {"comment-body": "Risky."}
    )
    comment = Comment.objects.get()
    assert not comment.is_question and comment.stage == Stage.CONCERNS


def test_a_closed_proposal_takes_no_more_comments(world: World) -> None:
    proposal = make_proposal(
        group=world.norcal, proposer=world.core, stage=Stage.CLOSED, outcome="consensus",
        closed_at=timezone.now(),
    )  # fmt: skip
    client = sign_in(Client(), world.volunteer)
    page = _page(client.get(f"{BASE}{proposal.pk}/"))
    assert 'id="comment-form"' not in page
    response = client.post(f"{BASE}{proposal.pk}/comments/", {"comment-body": "Late."}, follow=True)
    assert "its record no longer changes" in " ".join(_flash(response))
    assert not Comment.objects.exists()


# --- the facilitator's deadlines ---------------------------------------------------------------


def test_the_facilitator_extends_a_stage_and_the_later_ones_move_with_it(world: World) -> None:
    proposal = make_proposal(group=world.norcal, proposer=world.core, stage=Stage.CONCERNS)
    before = {f: getattr(proposal, f) for f in ("concerns_end", "amendments_end", "test_end")}
    client = sign_in(Client(), world.core)
    assert client.get(f"{BASE}{proposal.pk}/deadlines/").status_code == 200
    until = timezone.localtime(before["concerns_end"] + dt.timedelta(days=1))
    response = client.post(
        f"{BASE}{proposal.pk}/deadlines/", {"until": until.strftime("%Y-%m-%dT%H:%M")}
    )
    assert response.status_code == 302
    proposal.refresh_from_db()
    shift = proposal.concerns_end - before["concerns_end"]
    assert dt.timedelta(hours=23, minutes=59) <= shift <= dt.timedelta(days=1)
    assert proposal.amendments_end - before["amendments_end"] == shift
    assert proposal.test_end - before["test_end"] == shift
    entry = AuditEntry.objects.filter(action="extend", target_id=str(proposal.pk)).get()
    assert entry.detail["stage"] == Stage.CONCERNS


def test_a_deadline_is_only_extended_and_bad_input_is_kept(world: World) -> None:
    proposal = make_proposal(group=world.norcal, proposer=world.core, stage=Stage.CONCERNS)
    client = sign_in(Client(), world.core)
    assert proposal.concerns_end is not None
    earlier = timezone.localtime(proposal.concerns_end - dt.timedelta(hours=3))
    typed = earlier.strftime("%Y-%m-%dT%H:%M")
    response = client.post(f"{BASE}{proposal.pk}/deadlines/", {"until": typed})
    assert response.status_code == 400
    assert "it can only be extended" in _page(response)
    assert typed in _page(response)
    response = client.post(f"{BASE}{proposal.pk}/deadlines/", {"until": "soon"})
    assert response.status_code == 400 and 'value="soon"' in _page(response)


def test_only_the_facilitator_keeps_time(world: World) -> None:
    proposal = make_proposal(group=world.norcal, proposer=world.core, stage=Stage.CONCERNS)
    client = sign_in(Client(), world.volunteer)
    response = client.get(f"{BASE}{proposal.pk}/deadlines/")
    assert response.status_code == 302 and response["Location"] == f"{BASE}{proposal.pk}/"
    response = client.post(f"{BASE}{proposal.pk}/deadlines/", {"move_on": "1"}, follow=True)
    assert "Only the facilitator changes the deadlines." in " ".join(_flash(response))
    proposal.refresh_from_db()
    assert proposal.stage == Stage.CONCERNS


def test_the_facilitator_moves_on_early_but_not_out_of_the_test(
    world: World, stage_moves: list[tuple[int, str]]
) -> None:
    proposal = make_proposal(group=world.norcal, proposer=world.core, stage=Stage.AMENDMENTS)
    client = sign_in(Client(), world.core)
    assert 'name="stage" value="amendments"' in _page(client.get(f"{BASE}{proposal.pk}/deadlines/"))
    client.post(f"{BASE}{proposal.pk}/deadlines/", {"move_on": "1", "stage": "amendments"})
    proposal.refresh_from_db()
    assert proposal.stage == Stage.TEST
    assert proposal.test_started_at is not None
    assert proposal.amendments_end is not None and proposal.amendments_end <= timezone.now()
    assert stage_moves == [(proposal.pk, Stage.TEST)]
    entry = AuditEntry.objects.filter(action="stage", target_id=str(proposal.pk)).get()
    assert entry.detail == {"from": "amendments", "to": "test", "how": "facilitator"}
    response = client.post(f"{BASE}{proposal.pk}/deadlines/", {"move_on": "1"}, follow=True)
    assert "not end it early" in " ".join(_flash(response))
    proposal.refresh_from_db()
    assert proposal.stage == Stage.TEST


# --- who may open the pages ----------------------------------------------------------------------


def test_every_page_needs_a_signed_in_member_of_the_group(world: World) -> None:
    proposal = make_proposal(group=world.norcal, proposer=world.core, stage=Stage.TEST)
    pages = [
        BASE,
        f"{BASE}new/",
        f"{BASE}{proposal.pk}/",
        f"{BASE}{proposal.pk}/edit/",
        f"{BASE}{proposal.pk}/deadlines/",
        f"{BASE}{proposal.pk}/amendments/new/",
        f"{BASE}{proposal.pk}/versions/",
    ]
    for path in pages:
        response = Client().get(path)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], path
        assert sign_in(Client(), world.outsider).get(path).status_code == 404, path
    for path in (f"{BASE}{proposal.pk}/open/", f"{BASE}{proposal.pk}/comments/"):
        assert sign_in(Client(), world.outsider).post(path).status_code == 404, path


def test_a_proposal_of_another_group_is_not_found_under_this_one(world: World) -> None:
    theirs = make_proposal(group=world.london, proposer=world.outsider, stage=Stage.TEST)
    client = sign_in(Client(), world.core)
    assert client.get(f"{BASE}{theirs.pk}/").status_code == 404
    assert client.post(f"{BASE}{theirs.pk}/comments/", {"comment-body": "Hi"}).status_code == 404
    assert not Comment.objects.exists()


# --- kinds, quick decisions, Arabic ------------------------------------------------------------


def test_a_proposal_to_join_the_core_group_names_its_candidate(world: World) -> None:
    client = sign_in(Client(), world.volunteer)
    url = f"{BASE}new/?kind=core_membership"
    data = _draft(facilitator=str(world.volunteer.pk), **{"terms-candidate": "999999"})
    response = client.post(url, data)
    assert response.status_code == 400
    assert "Join the autumn olive harvest" in _page(response)
    data["terms-candidate"] = str(world.volunteer.pk)
    assert client.post(url, data).status_code == 302
    proposal = Proposal.objects.get()
    assert proposal.kind == ProposalKind.CORE_MEMBERSHIP
    assert proposal.candidate == world.volunteer


def test_an_open_quick_decision_of_the_field_team_links_to_its_phone_page(world: World) -> None:
    shift = make_invitation(community=world.bilin).shifts.order_by("starts_at")[0]
    put_on(shift, world.coordinator)
    quick = make_proposal(
        group=world.field_team, proposer=world.coordinator, kind=ProposalKind.QUICK,
        body=Body.SHIFT_TEAM, shift=shift, stage=Stage.TEST, title="Stay until dark?",
    )  # fmt: skip
    response = sign_in(Client(), world.coordinator).get("/en/decisions/palestine/")
    assert [p.pk for p in response.context["waiting"]] == [quick.pk]
    assert f"/en/field/decide/{quick.pk}/" in _page(response)
    # The documenter is a member of the field team but not on the shift: nothing waits for them.
    response = sign_in(Client(), world.documenter).get("/en/decisions/palestine/")
    assert response.context["waiting"] == [] and "Stay until dark?" in _page(response)


def test_the_pages_work_in_arabic_right_to_left(world: World) -> None:
    proposal = make_proposal(group=world.norcal, proposer=world.core, stage=Stage.CONCERNS)
    client = sign_in(Client(), world.core)
    for path in ("", "new/", f"{proposal.pk}/", f"{proposal.pk}/deadlines/"):
        response = client.get(f"/ar/decisions/northern-california/{path}")
        assert response.status_code == 200, path
        assert 'dir="rtl"' in _page(response)


def test_moving_on_from_a_stage_that_already_ended_is_refused(world: World) -> None:
    """The facilitator opened the page in the concerns; the deadline moved the proposal on to
    the amendments before they pressed "move on": the amendments must not end too."""
    proposal = make_proposal(group=world.norcal, proposer=world.core, stage=Stage.AMENDMENTS)
    client = sign_in(Client(), world.core)
    response = client.post(
        f"{BASE}{proposal.pk}/deadlines/", {"move_on": "1", "stage": "concerns"}, follow=True
    )
    assert "moved on meanwhile" in " ".join(_flash(response))
    proposal.refresh_from_db()
    assert proposal.stage == Stage.AMENDMENTS
