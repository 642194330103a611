"""The shared field factories build what their names promise."""

from __future__ import annotations

from alongside.field.models import Shift
from alongside.field.tests.factories import make_field_volunteer, make_invitation
from alongside.volunteers.models import Application, Qualification, Stage
from conftest import World


def test_an_invitation_comes_with_its_weekly_shifts(world: World) -> None:
    invitation = make_invitation(community=world.bilin, shifts=3, places=5)
    shifts = list(Shift.objects.filter(invitation=invitation))
    assert len(shifts) == 3
    assert all(s.places == 5 and s.cutoff_at < s.starts_at < s.ends_at for s in shifts)
    assert (shifts[1].starts_at - shifts[0].starts_at).days == 7


def test_a_field_volunteer_is_ready_trained_and_in_the_field(world: World) -> None:
    user = make_field_volunteer("lina@example.net", "Lina Field", group=world.norcal)
    application = Application.objects.get(user=user)
    assert application.stage == Stage.READY
    assert application.arrival_on is not None and application.departure_on is not None
    assert Qualification.objects.filter(user=user, kind__slug="two-day-training").exists()
