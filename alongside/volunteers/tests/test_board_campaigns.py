"""Campaign periods: /<lang>/manage/<group>/pipeline/campaigns/."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from alongside.lib.models import AuditEntry
from alongside.volunteers.models import CampaignPeriod
from alongside.volunteers.tests.factories import make_campaign
from conftest import World, sign_in

CAMPAIGNS = "/en/manage/northern-california/pipeline/campaigns/"
VALID = {
    "name_en": "Olive harvest 2027",
    "name_ar": "موسم الزيتون ٢٠٢٧",
    "starts_on": "2027-10-01",
    "ends_on": "2027-11-15",
    "target_volunteers": "12",
}


def test_a_core_member_adds_a_campaign_period(world: World) -> None:
    response = sign_in(Client(), world.core).post(f"{CAMPAIGNS}new/", VALID)

    assert response.status_code == 302
    period = CampaignPeriod.objects.get()
    assert period.group == world.norcal and period.target_volunteers == 12
    assert period.ends_on == dt.date(2027, 11, 15)
    assert AuditEntry.objects.get(action="create").target_id == str(period.pk)


def test_the_list_shows_the_groups_periods_only(world: World) -> None:
    make_campaign(group=world.norcal, name_en="Spring in Bil'in")
    make_campaign(group=world.london, name_en="London spring")

    response = sign_in(Client(), world.core).get(CAMPAIGNS)

    html = response.content.decode()
    assert response.status_code == 200
    assert "Spring in Bil&#x27;in" in html and "London spring" not in html


def test_a_core_member_edits_a_campaign_period(world: World) -> None:
    period = make_campaign(group=world.norcal)

    response = sign_in(Client(), world.core).post(
        f"{CAMPAIGNS}{period.pk}/", {**VALID, "target_volunteers": "20"}
    )

    assert response.status_code == 302
    period.refresh_from_db()
    assert period.target_volunteers == 20 and period.name_en == "Olive harvest 2027"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"ends_on": "2027-09-01"}, "The period cannot end before it starts."),
        ({"target_volunteers": "0"}, "The target is at least one volunteer."),
        ({"name_en": ""}, "This field is required."),
    ],
)
def test_bad_input_is_refused_with_a_message_and_kept(
    world: World, changes: dict[str, str], message: str
) -> None:
    response = sign_in(Client(), world.core).post(f"{CAMPAIGNS}new/", {**VALID, **changes})

    html = response.content.decode()
    assert response.status_code == 200
    assert message in html
    assert "موسم الزيتون ٢٠٢٧" in html
    assert not CampaignPeriod.objects.exists()


def test_another_groups_period_is_not_found(world: World) -> None:
    theirs = make_campaign(group=world.london)
    client = sign_in(Client(), world.core)
    assert client.get(f"{CAMPAIGNS}{theirs.pk}/").status_code == 404
    assert client.post(f"{CAMPAIGNS}{theirs.pk}/", VALID).status_code == 404


@pytest.mark.parametrize("persona", ["outsider", "volunteer"])
def test_people_who_are_not_core_members_of_the_group_get_404(world: World, persona: str) -> None:
    client = sign_in(Client(), world.persona(persona))
    assert client.get(CAMPAIGNS).status_code == 404
    assert client.post(f"{CAMPAIGNS}new/", VALID).status_code == 404
    assert not CampaignPeriod.objects.exists()


def test_an_anonymous_visitor_is_sent_to_sign_in(world: World) -> None:
    response = Client().post(f"{CAMPAIGNS}new/", VALID)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
