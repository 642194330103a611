"""The field coordinators' rosters: the team's shifts with filters, a shift's roster with rule
breaks and the exact place (an audited read), matching with assign, remove and "ask to cover"."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from alongside.field.models import ActivityKind, CheckIn, Shift, SignUp, SignUpStatus
from alongside.field.tests.factories import in_days, make_field_volunteer, make_shift
from alongside.lib.models import AuditEntry
from alongside.movement.models import PartnerCommunity
from conftest import World, sign_in

LIST = "/en/coordinate/palestine/shifts/"


def roster_url(shift: Shift) -> str:
    return f"{LIST}{shift.pk}/"


@pytest.fixture
def coordinator(client: Client, world: World) -> Client:
    return sign_in(client, world.coordinator)


def person(world: World, name: str, **kw: Any) -> Any:
    return make_field_volunteer(
        f"{name.lower()}@example.net", f"{name} Field", group=world.norcal, **kw
    )


def confirm(shift: Shift, *users: Any) -> list[SignUp]:
    return [
        SignUp.objects.create(shift=shift, user=u, status=SignUpStatus.CONFIRMED) for u in users
    ]


def test_the_list_shows_the_teams_shifts_with_their_rule_breaks(
    coordinator: Client, world: World
) -> None:
    alone = make_shift(community=world.bilin, starts_at=in_days(2))
    confirm(alone, person(world, "Lina"))
    text = coordinator.get(LIST).content.decode()
    assert f"{LIST}{alone.pk}/" in text
    assert "Nobody goes alone" in text
    assert "1 of 4 confirmed" in text


def test_the_filters_find_shifts_that_need_people_or_break_rules(
    coordinator: Client, world: World
) -> None:
    full = make_shift(community=world.bilin, places=2, starts_at=in_days(2))
    confirm(full, person(world, "Amal", languages=["ar"]), person(world, "Badr", languages=["ar"]))
    Shift.objects.filter(pk=full.pk)  # two people, Arabic, but nobody has been out before
    empty = make_shift(community=world.bilin, places=2, starts_at=in_days(3))
    text = coordinator.get(LIST, {"needs_people": "on"}).content.decode()
    assert f"{LIST}{empty.pk}/" in text and f"{LIST}{full.pk}/" not in text
    text = coordinator.get(LIST, {"breaks_rules": "on"}).content.decode()
    assert f"{LIST}{empty.pk}/" in text and f"{LIST}{full.pk}/" in text
    assert "Nobody in the team has been out before." in text


def test_the_filters_narrow_by_community_kind_and_dates(coordinator: Client, world: World) -> None:
    nilin = PartnerCommunity.objects.create(
        group=world.field_team, slug="nilin", name_en="Ni'lin committee"
    )
    here = make_shift(community=world.bilin, kind=ActivityKind.HARVEST, starts_at=in_days(2))
    there = make_shift(community=nilin, starts_at=in_days(2))
    later = make_shift(community=world.bilin, kind=ActivityKind.HARVEST, starts_at=in_days(40))
    text = coordinator.get(LIST, {"community": world.bilin.pk}).content.decode()
    assert f"{LIST}{here.pk}/" in text and f"{LIST}{there.pk}/" not in text
    text = coordinator.get(LIST, {"kind": "harvest"}).content.decode()
    assert f"{LIST}{here.pk}/" in text and f"{LIST}{there.pk}/" not in text
    assert f"{LIST}{later.pk}/" not in text  # the next two weeks by default
    day = in_days(40).date().isoformat()
    text = coordinator.get(LIST, {"date_from": day, "date_to": day}).content.decode()
    assert f"{LIST}{later.pk}/" in text and f"{LIST}{here.pk}/" not in text


def test_bad_dates_are_refused_with_a_message_and_kept(coordinator: Client, world: World) -> None:
    response = coordinator.get(LIST, {"date_from": "2031-05-10", "date_to": "2031-05-01"})
    assert response.status_code == 400
    text = response.content.decode()
    assert "The end comes before the start." in text and 'value="2031-05-10"' in text


def test_the_list_takes_as_many_queries_for_many_shifts_as_for_few(
    coordinator: Client, world: World
) -> None:
    confirm(make_shift(community=world.bilin, starts_at=in_days(1)), person(world, "Amal"))
    coordinator.get(LIST)  # the session's first request records the session
    with CaptureQueriesContext(connection) as few:
        assert coordinator.get(LIST, {"breaks_rules": "on"}).status_code == 200
        assert coordinator.get(LIST).status_code == 200
    for number in range(12):
        shift = make_shift(
            community=world.bilin, starts_at=in_days(2 + number % 10, hour=8 + number)
        )
        confirm(shift, person(world, f"Vol{number}"))
    with CaptureQueriesContext(connection) as many:
        assert coordinator.get(LIST, {"breaks_rules": "on"}).status_code == 200
        assert coordinator.get(LIST).status_code == 200
    assert len(many.captured_queries) == len(few.captured_queries)


def test_the_roster_shows_the_people_and_the_exact_place_with_an_audited_read(
    coordinator: Client, world: World
) -> None:
    shift = make_shift(community=world.bilin, place="Abu Rahma house", coordinates="31.9, 35.0")
    confirm(shift, person(world, "Amal", languages=["ar"]))
    SignUp.objects.create(shift=shift, user=person(world, "Badr"), status=SignUpStatus.WAITING)
    text = coordinator.get(roster_url(shift)).content.decode()
    assert "Amal Field" in text and "Badr Field" in text and "العربيّة" in text
    assert "Abu Rahma house" in text
    read = AuditEntry.objects.get(action="read", target_type="field.invitation")
    assert read.actor_id == world.coordinator.pk


def test_matching_lists_the_eligible_and_assigns_with_one_tap(
    coordinator: Client,
    world: World,
    mailoutbox: list[Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    shift = make_shift(community=world.bilin, languages=["ar"])
    speaker = person(world, "Amal", languages=["en", "ar"])
    person(world, "Badr")
    person(world, "Carla", qualified=False)
    person(world, "Dina", departure_on=in_days(1).date())
    text = coordinator.get(f"{roster_url(shift)}match/").content.decode()
    assert "Amal Field" in text and "Badr Field" in text
    assert "Carla" not in text and "Dina" not in text
    assert text.index("Amal Field") < text.index("Badr Field")  # speaks Arabic: first
    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator.post(f"{roster_url(shift)}assign/", {"user_id": speaker.pk})
    assert response.status_code == 302
    signup = SignUp.objects.get(shift=shift, user=speaker)
    assert signup.status == SignUpStatus.CONFIRMED and signup.assigned_by == world.coordinator
    assert CheckIn.objects.filter(signup=signup).exists()
    assert [m.to for m in mailoutbox] == [["amal@example.net"]]


def test_assigning_bypasses_the_cutoff_but_never_the_places(
    coordinator: Client, world: World
) -> None:
    shift = make_shift(community=world.bilin, places=1)
    from django.utils import timezone

    Shift.objects.filter(pk=shift.pk).update(cutoff_at=timezone.now() - dt.timedelta(hours=1))
    amal, badr = person(world, "Amal"), person(world, "Badr")
    coordinator.post(f"{roster_url(shift)}assign/", {"user_id": amal.pk})
    assert SignUp.objects.get(shift=shift, user=amal).status == SignUpStatus.CONFIRMED
    text = coordinator.post(
        f"{roster_url(shift)}assign/", {"user_id": badr.pk}, follow=True
    ).content.decode()
    assert "The shift is full" in text
    assert not SignUp.objects.filter(shift=shift, user=badr).exists()


def test_assigning_someone_not_eligible_says_why(coordinator: Client, world: World) -> None:
    shift = make_shift(community=world.bilin)
    untrained = person(world, "Carla", qualified=False)
    text = coordinator.post(
        f"{roster_url(shift)}assign/", {"user_id": untrained.pk}, follow=True
    ).content.decode()
    assert "two-day training" in text
    assert not SignUp.objects.filter(shift=shift).exists()


def test_a_bad_assignment_is_refused_with_a_message(coordinator: Client, world: World) -> None:
    shift = make_shift(community=world.bilin)
    response = coordinator.post(f"{roster_url(shift)}assign/", {"user_id": "someone"})
    assert response.status_code == 400
    assert "Choose a volunteer from the list." in response.content.decode()


def test_removing_frees_the_place_for_the_first_waiting(
    coordinator: Client,
    world: World,
    mailoutbox: list[Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    shift = make_shift(community=world.bilin, places=1)
    (held,) = confirm(shift, person(world, "Amal"))
    waiting = SignUp.objects.create(
        shift=shift, user=person(world, "Badr"), status=SignUpStatus.WAITING
    )
    with django_capture_on_commit_callbacks(execute=True):
        coordinator.post(f"{roster_url(shift)}remove/{held.pk}/")
    held.refresh_from_db()
    waiting.refresh_from_db()
    assert held.status == SignUpStatus.CANCELLED and waiting.status == SignUpStatus.OFFERED
    assert sorted(m.to[0] for m in mailoutbox) == ["amal@example.net", "badr@example.net"]
    assert all("Bil" not in m.body for m in mailoutbox)


def test_asking_to_cover_emails_each_eligible_person_once(
    coordinator: Client,
    world: World,
    mailoutbox: list[Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    shift = make_shift(community=world.bilin, places=2)
    confirm(shift, person(world, "Amal"))
    person(world, "Badr")
    person(world, "Carla", qualified=False)
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            coordinator.post(f"{roster_url(shift)}cover/")
    assert [m.to for m in mailoutbox] == [["badr@example.net"]]
    assert f"/en/field/shifts/{shift.pk}/" in mailoutbox[0].body


def test_only_the_teams_coordinators_reach_rosters(client: Client, world: World) -> None:
    shift = make_shift(community=world.bilin)
    signup = SignUp.objects.create(shift=shift, user=person(world, "Amal"), status="confirmed")
    for url in (LIST, roster_url(shift), f"{roster_url(shift)}match/"):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    for persona in (world.outsider, world.core, world.partner, world.documenter):
        sign_in(client, persona)
        assert client.get(roster_url(shift)).status_code == 404
        assert client.post(f"{roster_url(shift)}remove/{signup.pk}/").status_code == 404
    signup.refresh_from_db()
    assert signup.status == SignUpStatus.CONFIRMED


def test_a_shift_of_another_team_is_not_found(coordinator: Client, world: World) -> None:
    from alongside.movement.models import Group, GroupKind

    other = Group.objects.create(slug="elsewhere", kind=GroupKind.FIELD, name_en="Elsewhere")
    theirs = make_shift(
        community=PartnerCommunity.objects.create(group=other, slug="x", name_en="X")
    )
    assert coordinator.get(roster_url(theirs)).status_code == 404
    assert coordinator.post(f"{roster_url(theirs)}cover/").status_code == 404


def test_matching_takes_as_many_queries_for_many_volunteers_as_for_few(
    coordinator: Client, world: World
) -> None:
    shift = make_shift(community=world.bilin)
    confirm(shift, person(world, "Amal"))
    person(world, "Badr")
    match = f"{roster_url(shift)}match/"
    coordinator.get(match)  # the session's first request records the session
    with CaptureQueriesContext(connection) as few:
        assert coordinator.get(match).status_code == 200
    for number in range(15):
        other = make_shift(community=world.bilin, starts_at=in_days(20 + number))
        confirm(other, person(world, f"Vol{number}", languages=["en", "ar"]))
    with CaptureQueriesContext(connection) as many:
        text = coordinator.get(match).content.decode()
    assert "Vol14 Field" in text
    assert len(many.captured_queries) == len(few.captured_queries)
