"""Invitations change their shifts: laid out ahead, moved, cancelled, told to the people on them."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone

from alongside.field import recurrence
from alongside.field.actions import invitations as actions
from alongside.field.models import (
    ActivityKind,
    ActivityRules,
    CheckIn,
    InvitationStatus,
    Recurrence,
    Shift,
    SignUpStatus,
)
from alongside.field.tasks.invitations import extend_recurring_shifts, notify_invitation_change
from alongside.field.tests.factories import make_field_volunteer
from alongside.field.tests.factories_invitations import make_invitation, put_on
from alongside.lib.models import AuditEntry
from conftest import World


def _hebron(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(recurrence.field_zone())


def test_a_weekly_invitation_lays_out_fridays_at_noon_up_to_the_horizon(world: World) -> None:
    invitation = make_invitation(community=world.bilin, actor=world.partner)
    shifts = list(invitation.shifts.all())
    assert 7 <= len(shifts) <= 9
    for shift in shifts:
        local = _hebron(shift.starts_at)
        assert local.weekday() == 4 and local.time() == dt.time(12)
        assert shift.ends_at - shift.starts_at == dt.timedelta(hours=3)
        assert shift.places == 4 and shift.min_volunteers == 2
        # The movement's defaults for a demonstration: sign-up closes 3 hours before, hourly.
        assert shift.cutoff_at == shift.starts_at - dt.timedelta(hours=3)
        assert shift.checkin_every_hours == 1
    assert AuditEntry.objects.filter(action="create", target_id=str(invitation.pk)).exists()


def test_shift_defaults_come_from_the_team_rules_of_the_kind(world: World) -> None:
    ActivityRules.objects.create(
        team=world.field_team, kind=ActivityKind.HARVEST, signup_cutoff_hours=12,
        checkin_every_hours=3,
    )  # fmt: skip
    invitation = make_invitation(
        community=world.bilin, kind=ActivityKind.HARVEST, how=Recurrence.DAILY,
        ends_on=recurrence.today() + dt.timedelta(days=5),
    )  # fmt: skip
    shift = invitation.shifts.first()
    assert shift is not None
    assert shift.cutoff_at == shift.starts_at - dt.timedelta(hours=12)
    assert shift.checkin_every_hours == 3
    assert invitation.shifts.count() == 5


def test_the_daily_task_extends_open_ended_invitations_once(world: World) -> None:
    invitation = make_invitation(community=world.bilin)
    before = invitation.shifts.count()
    later = timezone.now() + dt.timedelta(weeks=3)
    added = actions.extend_shifts(invitation=invitation, now=later)
    assert added >= 2
    assert actions.extend_shifts(invitation=invitation, now=later) == 0
    assert invitation.shifts.count() == before + added
    assert extend_recurring_shifts.call() == 0  # nothing new today


def test_changing_the_time_moves_coming_shifts_and_replans_check_ins(world: World) -> None:
    invitation = make_invitation(community=world.bilin)
    shift = invitation.shifts.order_by("starts_at").first()
    assert shift is not None
    signup = put_on(shift, world.volunteer)
    CheckIn.objects.create(signup=signup, kind="arrival", due_at=shift.starts_at)
    actions.update_invitation(
        invitation=invitation, values={"start_time": dt.time(13)}, actor=world.partner
    )
    shift.refresh_from_db()
    assert _hebron(shift.starts_at).time() == dt.time(13)
    assert shift.ends_at - shift.starts_at == dt.timedelta(hours=2)
    assert list(signup.checkins.filter(kind="arrival").values_list("due_at", flat=True)) == [
        shift.starts_at
    ]


def test_dates_no_longer_in_the_schedule_are_cancelled_with_their_sign_ups(
    world: World,
) -> None:
    invitation = make_invitation(community=world.bilin, weekdays=(4,))
    friday = invitation.shifts.order_by("starts_at").first()
    assert friday is not None
    signup = put_on(friday, world.volunteer)
    actions.update_invitation(invitation=invitation, values={"weekdays": [5]}, actor=world.partner)
    friday.refresh_from_db()
    signup.refresh_from_db()
    assert friday.is_cancelled
    assert signup.status == SignUpStatus.CANCELLED and signup.cancelled_at
    live = Shift.objects.filter(invitation=invitation, is_cancelled=False)
    assert live.exists()
    assert all(_hebron(s.starts_at).weekday() == 5 for s in live)


def test_lowering_places_below_the_people_holding_one_is_refused(world: World) -> None:
    invitation = make_invitation(community=world.bilin, volunteers_min=1, volunteers_max=3)
    shift = invitation.shifts.order_by("starts_at").first()
    assert shift is not None
    for n in range(3):
        user = make_field_volunteer(f"v{n}@example.org", f"V{n} Name", group=world.norcal)
        put_on(shift, user)
    with pytest.raises(actions.TooFewPlaces) as refused:
        actions.update_invitation(
            invitation=invitation, values={"volunteers_max": 2}, actor=world.partner
        )
    assert "3 volunteers already hold a place" in str(refused.value.message)
    shift.refresh_from_db()
    assert shift.places == 3


def test_raising_places_offers_them_to_the_waiting_list(world: World) -> None:
    invitation = make_invitation(community=world.bilin, volunteers_min=1, volunteers_max=1)
    shift = invitation.shifts.order_by("starts_at").first()
    assert shift is not None
    put_on(shift, make_field_volunteer("a@example.org", "Ann A", group=world.norcal))
    waiting = put_on(
        shift, make_field_volunteer("b@example.org", "Ben B", group=world.norcal), "waiting"
    )
    actions.update_invitation(
        invitation=invitation, values={"volunteers_max": 2}, actor=world.partner
    )
    waiting.refresh_from_db()
    assert waiting.status == SignUpStatus.OFFERED


def test_cancelling_a_date_ends_its_sign_ups_and_check_ins(world: World) -> None:
    invitation = make_invitation(community=world.bilin)
    shift = invitation.shifts.order_by("starts_at").first()
    assert shift is not None
    signup = put_on(shift, world.volunteer)
    CheckIn.objects.create(signup=signup, kind="arrival", due_at=shift.starts_at)
    assert actions.cancel_shift(shift=shift, actor=world.partner)
    assert not actions.cancel_shift(shift=shift, actor=world.partner)
    signup.refresh_from_db()
    assert signup.status == SignUpStatus.CANCELLED
    assert not signup.checkins.exists()


def test_cancelling_the_invitation_cancels_every_date_to_come(world: World) -> None:
    invitation = make_invitation(community=world.bilin)
    count = invitation.shifts.count()
    assert actions.cancel_invitation(invitation=invitation, actor=world.partner) == count
    assert invitation.status == InvitationStatus.CANCELLED
    assert not invitation.shifts.filter(is_cancelled=False).exists()
    assert actions.cancel_invitation(invitation=invitation, actor=world.partner) == 0
    assert actions.extend_shifts(invitation=invitation) == 0


def test_a_cancellation_tells_the_roster_and_coordinators_once_by_first_name(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    invitation = make_invitation(community=world.bilin)
    shift = invitation.shifts.order_by("starts_at").first()
    assert shift is not None
    put_on(shift, world.volunteer)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        actions.cancel_shift(shift=shift, actor=world.partner)
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == [world.coordinator.email, world.volunteer.email]
    for message in mail.outbox:
        assert "Volunteer" not in message.body and "Coordinator" not in message.body
        assert "Bil" not in message.body and "Bil" not in message.subject
        assert "http" in message.body
    assert "Hello Vera," in next(m.body for m in mail.outbox if m.to == [world.volunteer.email])
    # Run again (a retry, a second worker): nobody hears twice.
    sent = len(mail.outbox)
    stamp = "same-change"
    notify_invitation_change.call(invitation.pk, [world.volunteer.pk], "cancelled", stamp)
    notify_invitation_change.call(invitation.pk, [world.volunteer.pk], "cancelled", stamp)
    assert len(mail.outbox) == sent + 1
