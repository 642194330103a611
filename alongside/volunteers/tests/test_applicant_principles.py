"""The principles gate: an applicant agrees to each principle of the current version
separately, and agrees again when a new version is published."""

from __future__ import annotations

import pytest
from django.test import Client

from alongside.lib.models import AuditEntry
from alongside.movement.models import Group, Principle, PrinciplesVersion
from alongside.volunteers.models import PrinciplesAgreement, Stage
from alongside.volunteers.principles import needs_to_agree, principles_for
from alongside.volunteers.tests.factories import make_application
from conftest import World, sign_in


def publish(group: Group, number: int, titles: tuple[str, ...]) -> PrinciplesVersion:
    version = PrinciplesVersion.objects.create(group=group, number=number)
    for position, title in enumerate(titles, start=1):
        Principle.objects.create(
            version=version, position=position, title_en=title, title_ar=f"{title} (ar)",
            text_en=f"About {title}.",
        )  # fmt: skip
    return version


MOVEMENT = ("Palestinian-led", "Nonviolence", "Consensus", "Anti-oppression")


def every_box(version: PrinciplesVersion) -> dict[str, str]:
    return {f"principle_{p.pk}": "on" for p in version.principles.all()}


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_an_applicant_agrees_to_each_principle_and_the_version_is_recorded(
    world: World, lang: str
) -> None:
    version = publish(world.field_team, 1, MOVEMENT)
    make_application(user=world.applicant, group=world.norcal)
    client = sign_in(Client(), world.applicant)

    page = client.get(f"/{lang}/volunteer/principles/")
    response = client.post(f"/{lang}/volunteer/principles/", every_box(version))

    assert page.status_code == 200
    assert page.content.decode().count('type="checkbox"') == 4
    assert response.status_code == 302
    assert response["Location"] == f"/{lang}/volunteer/"
    agreement = PrinciplesAgreement.objects.get(user=world.applicant)
    assert agreement.version == version
    assert AuditEntry.objects.filter(action="agree", target_id=str(agreement.pk)).exists()


def test_one_unchecked_principle_records_nothing_and_says_which(world: World) -> None:
    version = publish(world.field_team, 1, MOVEMENT)
    make_application(user=world.applicant, group=world.norcal)
    client = sign_in(Client(), world.applicant)
    boxes = every_box(version)
    consensus = version.principles.get(title_en="Consensus")
    del boxes[f"principle_{consensus.pk}"]

    response = client.post("/en/volunteer/principles/", boxes)

    assert response.status_code == 400
    html = response.content.decode()
    assert html.count("Agree to this principle to go on.") == 1
    error_at = html.index("Agree to this principle to go on.")
    assert html.rindex("Consensus", 0, error_at) > html.rindex("Nonviolence", 0, error_at)
    assert not PrinciplesAgreement.objects.exists()


def test_a_group_with_its_own_principles_asks_for_those(world: World) -> None:
    publish(world.field_team, 1, MOVEMENT)
    own = publish(world.norcal, 1, (*MOVEMENT, "Freedom under international law"))

    assert principles_for(world.norcal) == own
    movement = principles_for(world.london)
    assert movement is not None and movement.group == world.field_team


def test_a_new_version_must_be_agreed_again_and_my_page_asks_for_it(world: World) -> None:
    first = publish(world.field_team, 1, MOVEMENT)
    make_application(user=world.applicant, group=world.norcal, stage=Stage.TRAINING)
    PrinciplesAgreement.objects.create(user=world.applicant, version=first)
    client = sign_in(Client(), world.applicant)
    assert needs_to_agree(world.applicant, world.norcal) is None
    assert "Agree to the new version" not in client.get("/en/volunteer/").content.decode()

    second = publish(world.field_team, 2, (*MOVEMENT, "Respect for local culture"))

    assert needs_to_agree(world.applicant, world.norcal) == second
    page = client.get("/en/volunteer/").content.decode()
    assert "Agree to the new version" in page
    client.post("/en/volunteer/principles/", every_box(second))
    assert needs_to_agree(world.applicant, world.norcal) is None
    assert "Agree to the new version" not in client.get("/en/volunteer/").content.decode()


def test_returned_volunteers_and_people_without_an_application_are_not_asked(
    world: World,
) -> None:
    publish(world.field_team, 1, MOVEMENT)
    make_application(user=world.volunteer, group=world.norcal, stage=Stage.RETURNED)

    assert needs_to_agree(world.volunteer, world.norcal) is None
    assert needs_to_agree(world.applicant, world.norcal) is None


def test_the_gate_needs_a_signed_in_person_with_an_application(world: World) -> None:
    publish(world.field_team, 1, MOVEMENT)

    anonymous = Client().get("/en/volunteer/principles/")
    without = sign_in(Client(), world.applicant).get("/en/volunteer/principles/")

    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    assert without.status_code == 302 and without["Location"] == "/en/volunteer/apply/"
