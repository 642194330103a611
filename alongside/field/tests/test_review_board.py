"""The board after review: a coordinator out on a shift cannot call off an alert about
themself (and gets a message, not an error page); places offered count as taken; a volunteer
taken off the roster and put back owes their check-ins again."""

from __future__ import annotations

from django.test import Client

from alongside.field.actions.checkins import check_in
from alongside.field.checkin_plan import plan_checkins, planned_times, unplan_checkins
from alongside.field.models import Escalation, SignUp, SignUpStatus
from alongside.field.tests.factories_safety import confirm, shift_now, volunteer
from conftest import World, sign_in

BOARD = "/en/coordinate/palestine/"


def test_a_coordinator_on_a_shift_cannot_call_off_an_alert_about_themself(world: World) -> None:
    shift = shift_now(world.bilin)
    check_in(
        signup=confirm(shift, world.coordinator), answer="help", note="", actor=world.coordinator
    )
    escalation = Escalation.objects.get()
    client = sign_in(Client(), world.coordinator)

    page = client.get(BOARD).content.decode()
    assert "This alert is about you" in page
    response = client.post(f"{BOARD}escalations/{escalation.pk}/acknowledge/", follow=True)

    assert response.status_code == 200
    escalation.refresh_from_db()
    assert escalation.acknowledged_at is None


def test_a_place_offered_is_not_an_open_place(world: World) -> None:
    shift = shift_now(world.bilin)
    shift.places = 2
    shift.save(update_fields=["places"])
    confirm(shift, volunteer("Ada One", group=world.norcal))
    SignUp.objects.create(
        shift=shift, user=volunteer("Bea Two", group=world.norcal), status=SignUpStatus.OFFERED
    )
    client = sign_in(Client(), world.coordinator)
    page = client.get(BOARD).content.decode()
    assert "open place" not in page


def test_back_on_the_roster_the_volunteer_owes_their_check_ins_again(world: World) -> None:
    shift = shift_now(world.bilin)
    person = volunteer("Cy Back", group=world.norcal)
    signup = confirm(shift, person)
    first = signup.checkins.order_by("due_at").first()
    assert first is not None
    check_in(signup=signup, answer="ok", note="", actor=person)
    unplan_checkins(signup)
    plan_checkins(signup)
    planned = {(c.kind, c.due_at) for c in signup.checkins.all()}
    assert planned == set(planned_times(shift))
    assert signup.checkins.filter(answered_at__isnull=False).count() == 1


def test_who_invited_by_phone_is_for_the_coordinators_not_the_partner(world: World) -> None:
    from alongside.field.tests.factories_invitations import make_invitation
    from alongside.lib.models import AuditEntry

    invitation = make_invitation(
        community=world.bilin, invited_via="phone", invited_by="Umm Yasser"
    )
    partner = sign_in(Client(), world.partner, second_factor=False)
    page = partner.get(f"/en/partner/invitations/{invitation.pk}/").content.decode()
    assert "Umm Yasser" not in page
    coordinator = sign_in(Client(), world.coordinator)
    page = coordinator.get(f"{BOARD}invitations/{invitation.pk}/").content.decode()
    assert "Umm Yasser" in page
    read = AuditEntry.objects.filter(action="read", actor_id=world.coordinator.pk).last()
    assert read is not None and "invited_by" in read.detail["fields"]
