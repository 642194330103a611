"""A freed place goes to the first person waiting who may still be on the shift: whoever has
since taken another shift at the same time, left Hebron, lost a qualification or not agreed to
new principles is passed over, and keeps their place in the queue."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from alongside.field.actions.signups import cancel_signup, offer_free_places
from alongside.field.models import Shift, SignUp, SignUpStatus
from alongside.field.tests.factories import in_days, make_field_volunteer, make_shift
from alongside.movement.models import Principle, PrinciplesVersion
from alongside.volunteers.models import PrinciplesAgreement, Qualification
from conftest import World


def _full_shift(world: World) -> tuple[Shift, SignUp]:
    shift = make_shift(community=world.bilin, starts_at=in_days(3), places=1)
    holder = make_field_volunteer("holder@example.net", "Hala Holder", group=world.norcal)
    signup = SignUp.objects.create(shift=shift, user=holder, status=SignUpStatus.CONFIRMED)
    return shift, signup


def _waiting(shift: Shift, email: str, name: str, world: World, **kwargs: Any) -> SignUp:
    user = make_field_volunteer(email, name, group=world.norcal, **kwargs)
    joined = timezone.now() - dt.timedelta(hours=10 - SignUp.objects.count())
    return SignUp.objects.create(
        shift=shift, user=user, status=SignUpStatus.WAITING, joined_at=joined
    )


def _status(signup: SignUp) -> str:
    signup.refresh_from_db()
    return signup.status


def test_a_waiter_who_took_an_overlapping_shift_is_passed_over_and_keeps_waiting(
    world: World,
) -> None:
    shift, holder = _full_shift(world)
    first = _waiting(shift, "first@example.net", "Fadi First", world)
    second = _waiting(shift, "second@example.net", "Sara Second", world)
    # Since joining the queue, the first took a place on another shift at the same time.
    other = make_shift(community=world.bilin, starts_at=shift.starts_at, title="Elsewhere")
    SignUp.objects.create(shift=other, user=first.user, status=SignUpStatus.CONFIRMED)

    cancel_signup(signup=holder, actor=holder.user)

    assert _status(second) == SignUpStatus.OFFERED
    assert _status(first) == SignUpStatus.WAITING


def test_a_waiter_out_of_their_presence_window_is_passed_over(world: World) -> None:
    shift, holder = _full_shift(world)
    gone = _waiting(shift, "gone@example.net", "Gil Gone", world, departure_on=in_days(1).date())
    staying = _waiting(shift, "staying@example.net", "Sami Staying", world)
    cancel_signup(signup=holder, actor=holder.user)
    assert _status(gone) == SignUpStatus.WAITING
    assert _status(staying) == SignUpStatus.OFFERED


def test_a_waiter_without_the_qualification_or_the_new_principles_is_passed_over(
    world: World,
) -> None:
    shift = make_shift(community=world.bilin, starts_at=in_days(3), places=2)
    lapsed = _waiting(shift, "lapsed@example.net", "Lara Lapsed", world)
    unagreed = _waiting(shift, "unagreed@example.net", "Umar Unagreed", world)
    ready = _waiting(shift, "ready@example.net", "Rana Ready", world)
    # The training lapsed; new principles were published, which only Rana has agreed to.
    Qualification.objects.filter(user=lapsed.user).update(expires_on=in_days(1).date())
    version = PrinciplesVersion.objects.create(group=world.field_team, number=99)
    Principle.objects.create(version=version, position=1, title_en="Nonviolence", text_en="No.")
    for signup in (lapsed, ready):
        PrinciplesAgreement.objects.create(user=signup.user, version=version)

    assert offer_free_places(shift=shift) == 1
    assert _status(ready) == SignUpStatus.OFFERED
    assert _status(lapsed) == SignUpStatus.WAITING
    assert _status(unagreed) == SignUpStatus.WAITING

    # Once Umar agrees, the next free place is his: he kept his place in the queue.
    PrinciplesAgreement.objects.create(user=unagreed.user, version=version)
    assert offer_free_places(shift=shift) == 1
    assert _status(unagreed) == SignUpStatus.OFFERED
