"""A community may invite months ahead: a harvest season asked for in summer, a one-off visit in
ten weeks. The form accepts it; the daily task lays the shifts out as they come within reach."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.test import Client
from django.utils import timezone

from alongside.field import recurrence
from alongside.field.models import Invitation
from alongside.field.tasks.invitations import extend_recurring_shifts
from alongside.field.tests.test_partner_pages import _form
from conftest import World, sign_in


def _invite(world: World, **changes: Any) -> Invitation:
    client = sign_in(Client(), world.partner, second_factor=False)
    response = client.post("/en/partner/invitations/new/", _form(**changes))
    assert response.status_code == 302, response.content.decode()[:2000]
    return Invitation.objects.get()


def test_a_harvest_season_three_months_ahead_is_accepted_and_laid_out_later(
    world: World, monkeypatch: Any
) -> None:
    first = recurrence.today() + dt.timedelta(days=90)
    invitation = _invite(
        world,
        kind="harvest",
        recurrence="daily",
        school_days=None,
        starts_on=first.isoformat(),
        ends_on=(first + dt.timedelta(days=20)).isoformat(),
    )
    assert invitation.shifts.count() == 0  # beyond the eight weeks laid out at once
    later = timezone.now() + dt.timedelta(days=40)
    monkeypatch.setattr(timezone, "now", lambda: later)
    extend_recurring_shifts.call()
    assert invitation.shifts.count() > 0
    assert recurrence.local_date(invitation.shifts.order_by("starts_at")[0].starts_at) == first


def test_a_one_off_visit_ten_weeks_ahead_gets_its_shift_when_it_comes_within_reach(
    world: World, monkeypatch: Any
) -> None:
    day = recurrence.today() + dt.timedelta(days=70)
    invitation = _invite(
        world, recurrence="once", school_days=None, starts_on=day.isoformat(), ends_on=""
    )
    assert invitation.shifts.count() == 0
    later = timezone.now() + dt.timedelta(days=30)
    monkeypatch.setattr(timezone, "now", lambda: later)
    extend_recurring_shifts.call()
    extend_recurring_shifts.call()  # twice: still one
    assert invitation.shifts.count() == 1


def test_a_date_that_has_passed_is_still_refused(world: World) -> None:
    client = sign_in(Client(), world.partner, second_factor=False)
    yesterday = recurrence.today() - dt.timedelta(days=1)
    data = _form(recurrence="once", school_days=None, starts_on=yesterday.isoformat(), ends_on="")
    response = client.post("/en/partner/invitations/new/", data)
    assert response.status_code == 400
    assert "This date has passed." in response.content.decode()
    assert not Invitation.objects.exists()
