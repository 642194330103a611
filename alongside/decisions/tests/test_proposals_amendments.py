"""Members suggest amendments; the proposer accepts or declines each with a reason. Accepting
makes a new version, shows what changed, and asks everyone who answered to confirm again."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from alongside.decisions import notify
from alongside.decisions.actions import DecisionError
from alongside.decisions.actions import proposals as actions
from alongside.decisions.diff import word_diff
from alongside.decisions.models import (
    Amendment,
    AmendmentStatus,
    Position,
    Proposal,
    ProposalVersion,
    Response,
    Stage,
)
from alongside.decisions.tests.factories import make_proposal, respond
from alongside.lib.models import AuditEntry
from alongside.movement.models import Membership, Role
from conftest import World, make_user, sign_in

BASE = "/en/decisions/northern-california/"


def _page(response: Any) -> str:
    return response.content.decode()


def _flash(response: Any) -> str:
    return " ".join(str(message) for message in response.context["messages"])


def _amendment(**changes: Any) -> dict[str, str]:
    data = {
        "reason": "Four is more than the bus takes.",
        "title": "Join the spring olive harvest",
        "text": "We send **three** volunteers to the harvest in Burin.",
        "why": "Because we were invited.",
        "if_agreed": "",
        "concerns_whom": "",
    }
    data.update(changes)
    return data


@pytest.fixture
def reconfirmed(monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, list[int]]]:
    asked: list[tuple[int, list[int]]] = []
    monkeypatch.setattr(notify, "reconfirm", lambda p, ids: asked.append((p.pk, sorted(ids))))
    return asked


def _suggested(world: World, proposal: Proposal) -> Amendment:
    client = sign_in(Client(), world.volunteer)
    response = client.post(f"{BASE}{proposal.pk}/amendments/new/", _amendment())
    assert response.status_code == 302
    return Amendment.objects.get()


def test_a_member_suggests_an_amendment_from_the_current_words(world: World) -> None:
    proposal = make_proposal(group=world.norcal, proposer=world.core, stage=Stage.CONCERNS)
    client = sign_in(Client(), world.volunteer)
    form = client.get(f"{BASE}{proposal.pk}/amendments/new/")
    assert form.status_code == 200
    assert "We send **four** volunteers" in _page(form)
    amendment = _suggested(world, proposal)
    assert amendment.author == world.volunteer
    assert amendment.against_version == 1
    assert amendment.status == AmendmentStatus.OPEN
    page = _page(client.get(f"{BASE}{proposal.pk}/amendments/{amendment.pk}/"))
    assert "<del>**four**</del><ins>**three**</ins>" in page
    # Only the proposer decides: the member sees no buttons.
    assert 'name="accept"' not in page
    assert AuditEntry.objects.filter(action="suggest", target_id=str(proposal.pk)).exists()


def test_an_amendment_needs_a_reason_and_a_change(world: World) -> None:
    proposal = make_proposal(group=world.norcal, proposer=world.core, stage=Stage.AMENDMENTS)
    client = sign_in(Client(), world.volunteer)
    response = client.post(f"{BASE}{proposal.pk}/amendments/new/", _amendment(reason=""))
    assert response.status_code == 400
    assert "We send **three** volunteers" in _page(response)
    unchanged = _amendment(text="We send **four** volunteers to the harvest in Burin.")
    response = client.post(f"{BASE}{proposal.pk}/amendments/new/", unchanged)
    assert response.status_code == 400
    assert "as they stand" in _page(response)
    assert "Four is more than the bus takes." in _page(response)
    assert not Amendment.objects.exists()


def test_no_amendments_during_the_questions_nor_from_outside_the_body(world: World) -> None:
    proposal = make_proposal(group=world.norcal, proposer=world.core, stage=Stage.QUESTIONS)
    client = sign_in(Client(), world.volunteer)
    response = client.get(f"{BASE}{proposal.pk}/amendments/new/", follow=True)
    assert "during the concerns, the amendments and the test" in _flash(response)
    response = client.post(f"{BASE}{proposal.pk}/amendments/new/", _amendment(), follow=True)
    assert not Amendment.objects.exists()
    core_only = make_proposal(
        group=world.norcal, proposer=world.core, stage=Stage.CONCERNS, body="core"
    )
    # A member who is not core cannot even see the core group's open proposal.
    assert client.get(f"{BASE}{core_only.pk}/amendments/new/").status_code == 404


def test_the_proposer_accepts_an_amendment_and_earlier_answers_stop_counting(
    world: World, reconfirmed: list[tuple[int, list[int]]]
) -> None:
    proposal = make_proposal(group=world.norcal, proposer=world.core, stage=Stage.TEST)
    amendment = _suggested(world, proposal)
    agreed = respond(proposal, world.volunteer, Position.AGREE)
    client = sign_in(Client(), world.core)
    page = _page(client.get(f"{BASE}{proposal.pk}/amendments/{amendment.pk}/"))
    assert 'name="accept"' in page
    response = client.post(
        f"{BASE}{proposal.pk}/amendments/{amendment.pk}/",
        {"reason": "Right, the bus is small.", "accept": "1"},
    )
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.version == 2
    version = ProposalVersion.objects.get(proposal=proposal, number=2)
    assert version.text == "We send **three** volunteers to the harvest in Burin."
    assert version.amendment == amendment
    amendment.refresh_from_db()
    assert amendment.status == AmendmentStatus.ACCEPTED
    assert amendment.decision_reason == "Right, the bus is small."
    # The earlier answer is kept, no longer counts, and its author is asked again.
    assert Response.objects.filter(pk=agreed.pk).exists()
    assert not Response.objects.counting(proposal).exists()
    assert reconfirmed == [(proposal.pk, [world.volunteer.pk])]
    page = _page(client.get(f"{BASE}{proposal.pk}/"))
    assert "<strong>three</strong>" in page and "Version 2" in page
    versions = _page(client.get(f"{BASE}{proposal.pk}/versions/"))
    assert "<del>**four**</del><ins>**three**</ins>" in versions
    entry = AuditEntry.objects.filter(action="amend", target_id=str(proposal.pk)).get()
    assert entry.detail == {"amendment": amendment.pk, "status": "accepted", "version": 2}


def test_declining_needs_a_reason_and_changes_no_words(
    world: World, reconfirmed: list[tuple[int, list[int]]]
) -> None:
    proposal = make_proposal(group=world.norcal, proposer=world.core, stage=Stage.AMENDMENTS)
    amendment = _suggested(world, proposal)
    client = sign_in(Client(), world.core)
    url = f"{BASE}{proposal.pk}/amendments/{amendment.pk}/"
    response = client.post(url, {"reason": "", "decline": "1"})
    assert response.status_code == 400
    assert "This field is required." in _page(response)
    response = client.post(url, {"reason": "Four were invited."})
    assert response.status_code == 400
    assert "Choose to accept or to decline" in _page(response)
    assert "Four were invited." in _page(response)
    assert client.post(url, {"reason": "Four were invited.", "decline": "1"}).status_code == 302
    amendment.refresh_from_db()
    proposal.refresh_from_db()
    assert amendment.status == AmendmentStatus.DECLINED
    assert proposal.version == 1
    assert reconfirmed == []
    assert "Four were invited." in _page(client.get(url))
    # Decided once: a second answer is refused.
    response = client.post(url, {"reason": "Changed my mind.", "accept": "1"}, follow=True)
    assert "decided already" in _flash(response)


def test_only_the_proposer_decides_and_only_in_the_amendments_and_the_test(world: World) -> None:
    proposal = make_proposal(group=world.norcal, proposer=world.core, stage=Stage.CONCERNS)
    amendment = _suggested(world, proposal)
    url = f"{BASE}{proposal.pk}/amendments/{amendment.pk}/"
    response = sign_in(Client(), world.core).post(
        url, {"reason": "Fine.", "accept": "1"}, follow=True
    )
    assert "during the amendments and the test" in _flash(response)
    Proposal.objects.filter(pk=proposal.pk).update(stage=Stage.AMENDMENTS)
    response = sign_in(Client(), world.volunteer).post(
        url, {"reason": "Fine.", "accept": "1"}, follow=True
    )
    assert "Only the proposer accepts or declines amendments." in _flash(response)
    amendment.refresh_from_db()
    assert amendment.status == AmendmentStatus.OPEN


def test_an_amendment_of_another_proposal_is_not_found(world: World) -> None:
    proposal = make_proposal(group=world.norcal, proposer=world.core, stage=Stage.CONCERNS)
    amendment = _suggested(world, proposal)
    other = make_proposal(group=world.norcal, proposer=world.core, stage=Stage.CONCERNS)
    client = sign_in(Client(), world.core)
    assert client.get(f"{BASE}{other.pk}/amendments/{amendment.pk}/").status_code == 404
    assert Client().get(f"{BASE}{proposal.pk}/amendments/{amendment.pk}/").status_code == 302
    outsider = sign_in(Client(), world.outsider)
    assert outsider.get(f"{BASE}{proposal.pk}/amendments/{amendment.pk}/").status_code == 404


def test_after_the_close_nothing_of_the_record_changes(world: World) -> None:
    proposal = make_proposal(group=world.norcal, proposer=world.core, stage=Stage.TEST)
    amendment = _suggested(world, proposal)
    Proposal.objects.filter(pk=proposal.pk).update(
        stage=Stage.CLOSED, outcome="consensus", closed_at=timezone.now()
    )
    words = {"title": "Other", "text": "Other words."}
    attempts = [
        lambda: actions.suggest_amendment(
            proposal_id=proposal.pk, author=world.volunteer, words=words, reason="Late."
        ),
        lambda: actions.decide_amendment(
            proposal_id=proposal.pk,
            amendment_id=amendment.pk,
            actor=world.core,
            accept=True,
            reason="Late.",
        ),
        lambda: actions.add_comment(proposal_id=proposal.pk, author=world.core, body="Late."),
        lambda: actions.withdraw_proposal(proposal_id=proposal.pk, actor=world.core),
        lambda: actions.move_on(proposal_id=proposal.pk, actor=world.core),
        lambda: actions.extend_stage(
            proposal_id=proposal.pk, actor=world.core, until=timezone.now()
        ),
    ]
    for attempt in attempts:
        with pytest.raises(DecisionError, match="closed"):
            attempt()
    proposal.refresh_from_db()
    assert proposal.version == 1 and proposal.stage == Stage.CLOSED
    client = sign_in(Client(), world.core)
    response = client.get(f"{BASE}{proposal.pk}/amendments/new/", follow=True)
    assert "its record no longer changes" in _flash(response)


def test_the_proposer_with_a_gone_account_is_spoken_for_by_the_facilitator(world: World) -> None:
    gone = make_user("gone@example.org", "Gil Gone")
    Membership.objects.create(group=world.norcal, user=gone, role=Role.MEMBER)
    proposal = make_proposal(
        group=world.norcal, proposer=gone, facilitator=world.core, stage=Stage.AMENDMENTS
    )
    amendment = _suggested(world, proposal)
    gone.delete()
    actions.decide_amendment(
        proposal_id=proposal.pk, amendment_id=amendment.pk, actor=world.core, accept=False,
        reason="The proposer has left; we keep the words.",
    )  # fmt: skip
    amendment.refresh_from_db()
    assert amendment.status == AmendmentStatus.DECLINED


def test_the_word_diff_escapes_what_members_typed() -> None:
    html = word_diff("Meet at <b>noon</b> in Burin", "Meet at <script>x</script> in Bil'in")
    assert "<script>" not in html
    assert "<del>&lt;b&gt;noon&lt;/b&gt;</del>" in html
    assert "<ins>&lt;script&gt;x&lt;/script&gt;</ins>" in html
    assert "<del>Burin</del><ins>Bil&#x27;in</ins>" in html
    assert word_diff("same words\nkept", "same words\nkept") == "same words\nkept"
