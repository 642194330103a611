"""Action items: the facilitator or the proposer adds them, at any stage and after the close
too; any member of the body, or the item's owner, marks them done."""

from __future__ import annotations

import datetime as dt

from django.test import Client
from django.utils import timezone

from alongside.decisions.models import ActionItem, Body, Stage
from alongside.decisions.tests.factories import join_group, make_closed, make_proposal
from alongside.lib.models import AuditEntry
from conftest import World, sign_in

BASE = "/en/decisions/northern-california/"


def _item_form(world: World, **changes: str) -> dict[str, str]:
    data = {
        "text": "Book the bus to the grove",
        "owner": str(world.volunteer.pk),
        "due_on": (timezone.localdate() + dt.timedelta(days=7)).isoformat(),
    }
    data.update(changes)
    return data


def test_the_proposer_adds_an_action_item_after_the_close(world: World) -> None:
    proposal = make_closed(group=world.norcal, proposer=world.core)
    client = sign_in(Client(), world.core)
    form = client.get(f"{BASE}{proposal.pk}/actions/")
    assert form.status_code == 200
    assert "Vera Volunteer" in form.content.decode()
    response = client.post(f"{BASE}{proposal.pk}/actions/", _item_form(world))
    assert response.status_code == 302
    assert response["Location"] == f"{BASE}{proposal.pk}/#action-items"
    item = ActionItem.objects.get()
    assert (item.text, item.owner, item.created_by) == (
        "Book the bus to the grove",
        world.volunteer,
        world.core,
    )
    entry = AuditEntry.objects.get(action="add_action_item")
    assert entry.detail == {"proposal": proposal.pk, "owner": world.volunteer.pk}


def test_the_facilitator_adds_one_while_the_proposal_is_open(world: World) -> None:
    proposal = make_proposal(
        group=world.norcal, proposer=world.core, facilitator=world.volunteer, stage=Stage.CONCERNS
    )
    response = sign_in(Client(), world.volunteer).post(
        f"{BASE}{proposal.pk}/actions/", _item_form(world, owner="", due_on="")
    )
    assert response.status_code == 302
    item = ActionItem.objects.get()
    assert item.owner is None and item.due_on is None


def test_another_member_is_sent_back_with_a_message(world: World) -> None:
    proposal = make_closed(group=world.norcal, proposer=world.core)
    client = sign_in(Client(), world.volunteer)
    response = client.post(f"{BASE}{proposal.pk}/actions/", _item_form(world), follow=True)
    assert response.redirect_chain[0][0] == f"{BASE}{proposal.pk}/#action-items"
    assert "Only the facilitator or the proposer can add action items." in (
        response.content.decode()
    )
    assert not ActionItem.objects.exists()


def test_bad_input_is_refused_and_kept(world: World) -> None:
    proposal = make_closed(group=world.norcal, proposer=world.core)
    stranger = join_group(world.london, "Lars Stranger")
    client = sign_in(Client(), world.core)
    past = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    response = client.post(
        f"{BASE}{proposal.pk}/actions/",
        _item_form(world, text="Write to the council", due_on=past, owner=str(stranger.pk)),
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "This day has passed." in page
    assert "Select a valid choice." in page
    assert 'value="Write to the council"' in page
    response = client.post(f"{BASE}{proposal.pk}/actions/", _item_form(world, text=""))
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert not ActionItem.objects.exists()


def test_only_a_real_post_is_a_submission(world: World) -> None:
    """An empty POST is a submission (refused, with the reasons); other methods are refused."""
    proposal = make_closed(group=world.norcal, proposer=world.core)
    client = sign_in(Client(), world.core)
    response = client.post(f"{BASE}{proposal.pk}/actions/", {})
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    for method in (client.put, client.patch, client.delete):
        assert method(f"{BASE}{proposal.pk}/actions/").status_code == 405
    assert client.get(f"{BASE}{proposal.pk}/actions/", {"text": "Sneaky"}).status_code == 200
    assert not ActionItem.objects.exists()


def test_a_withdrawn_proposal_takes_no_action_items(world: World) -> None:
    proposal = make_proposal(group=world.norcal, proposer=world.core, stage=Stage.WITHDRAWN)
    response = sign_in(Client(), world.core).post(
        f"{BASE}{proposal.pk}/actions/", _item_form(world), follow=True
    )
    assert "Only the facilitator or the proposer can add action items." in (
        response.content.decode()
    )
    assert not ActionItem.objects.exists()


def test_another_groups_proposal_is_not_found(world: World) -> None:
    theirs = make_closed(group=world.london, proposer=world.outsider)
    item = ActionItem.objects.create(proposal=theirs, text="Their item")
    client = sign_in(Client(), world.core)
    assert client.get(f"/en/decisions/london/{theirs.pk}/actions/").status_code == 404
    assert client.post(f"{BASE}{theirs.pk}/actions/", _item_form(world)).status_code == 404
    assert (
        client.post(f"/en/decisions/london/{theirs.pk}/actions/{item.pk}/done/").status_code == 404
    )
    mine = make_closed(group=world.norcal, proposer=world.core)
    assert client.post(f"{BASE}{mine.pk}/actions/{item.pk}/done/").status_code == 404
    anonymous = Client().post(f"{BASE}{mine.pk}/actions/")
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]


def test_a_member_of_the_body_marks_an_item_done_once(world: World) -> None:
    proposal = make_closed(group=world.norcal, proposer=world.core)
    item = ActionItem.objects.create(proposal=proposal, text="Book the bus", owner=world.core)
    client = sign_in(Client(), world.volunteer)
    assert client.get(f"{BASE}{proposal.pk}/actions/{item.pk}/done/").status_code == 405
    response = client.post(f"{BASE}{proposal.pk}/actions/{item.pk}/done/")
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.done_by == world.volunteer and item.done_at is not None
    done_at = item.done_at
    sign_in(Client(), world.core).post(f"{BASE}{proposal.pk}/actions/{item.pk}/done/")
    item.refresh_from_db()
    assert item.done_at == done_at and item.done_by == world.volunteer
    assert AuditEntry.objects.filter(action="action_item_done").count() == 1


def test_the_owner_outside_the_body_marks_their_item_done(world: World) -> None:
    """A core-group decision: a member who is not core may still own, and tick, an item."""
    proposal = make_closed(group=world.norcal, proposer=world.core, body=Body.CORE)
    other = join_group(world.norcal, "Omar Other")
    theirs = ActionItem.objects.create(
        proposal=proposal, text="Print flyers", owner=world.volunteer
    )
    not_theirs = ActionItem.objects.create(proposal=proposal, text="Call the hall", owner=other)
    client = sign_in(Client(), world.volunteer)
    client.post(f"{BASE}{proposal.pk}/actions/{theirs.pk}/done/")
    response = client.post(f"{BASE}{proposal.pk}/actions/{not_theirs.pk}/done/", follow=True)
    page = response.content.decode()
    assert "Only the people who decided it, or the item&#x27;s owner" in page
    theirs.refresh_from_db()
    not_theirs.refresh_from_db()
    assert theirs.done_at is not None
    assert not_theirs.done_at is None
