"""A partner hears when a field coordinator changes or cancels their invitation (a first name
and a link to the invitation's page, nothing more); a refusal to lower the places names the
date as people read it, on the Hebron clock, in their language."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.utils import translation

from alongside.field.actions import invitations as actions
from alongside.field.models import Shift
from alongside.field.tests.factories import make_field_volunteer
from alongside.field.tests.factories_invitations import make_invitation, put_on
from alongside.lib.timezones import field_zone, format_when
from conftest import World


def _first(invitation: Any) -> Shift:
    shift = invitation.shifts.order_by("starts_at").first()
    assert shift is not None
    return shift


def _to_partner(world: World) -> list[Any]:
    return [message for message in mail.outbox if message.to == [world.partner.email]]


@pytest.mark.parametrize("change", ["cancel_shift", "cancel_invitation", "update"])
def test_the_partner_is_told_when_a_coordinator_changes_their_invitation(
    world: World, django_capture_on_commit_callbacks: Any, change: str
) -> None:
    invitation = make_invitation(community=world.bilin, actor=world.coordinator)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        if change == "cancel_shift":
            actions.cancel_shift(shift=_first(invitation), actor=world.coordinator)
        elif change == "cancel_invitation":
            actions.cancel_invitation(invitation=invitation, actor=world.coordinator)
        else:
            actions.update_invitation(
                invitation=invitation, values={"volunteers_max": 6}, actor=world.coordinator
            )
    told = _to_partner(world)
    assert len(told) == 1
    body = told[0].body
    # Samir reads Arabic: his first name and a link to his page of the invitation.
    assert "Samir" in body and "Partner" not in body
    assert f"/ar/partner/invitations/{invitation.pk}/" in body
    assert "Bil" not in body and "بلعين" not in body and "Bil" not in told[0].subject
    # The coordinator who made the change is not told of it.
    assert not [m for m in mail.outbox if m.to == [world.coordinator.email]]


def test_the_partner_who_made_the_change_is_not_told_of_it(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    invitation = make_invitation(community=world.bilin, actor=world.partner)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        actions.cancel_shift(shift=_first(invitation), actor=world.partner)
    assert not _to_partner(world)
    assert [m.to[0] for m in mail.outbox] == [world.coordinator.email]


@pytest.mark.parametrize("language", ["en", "ar"])
def test_too_few_places_names_the_date_on_the_hebron_clock(world: World, language: str) -> None:
    invitation = make_invitation(community=world.bilin, volunteers_min=1, volunteers_max=3)
    shift = _first(invitation)
    for n in range(3):
        put_on(shift, make_field_volunteer(f"p{n}@example.org", f"P{n} Name", group=world.norcal))
    with translation.override(language), pytest.raises(actions.TooFewPlaces) as refused:
        actions.update_invitation(
            invitation=invitation, values={"volunteers_max": 2}, actor=world.partner
        )
    with translation.override(language):
        expected = format_when(shift.starts_at, field_zone())
    message = str(refused.value.message)
    assert expected in message
    assert shift.starts_at.astimezone(field_zone()).date().isoformat() not in message
