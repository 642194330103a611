from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.utils import decrypt
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.utils import timezone

from alongside.accounts.models import User
from alongside.demo.content import DEMO_PASSWORD, PEOPLE, Person
from alongside.movement.models import (
    ContactMessage,
    Group,
    Membership,
    PartnerContact,
    PrinciplesVersion,
    Role,
)
from alongside.volunteers.forms.board import FILTER_STAGES
from alongside.volunteers.models import (
    Application,
    CampaignPeriod,
    PrinciplesAgreement,
    Qualification,
    ScreeningNote,
    Stage,
    Training,
    TrainingRegistration,
)
from conftest import sign_in, totp_code

README = Path(settings.BASE_DIR) / "README.md"
PERSONAS = [person for person in PEOPLE if person.persona]
WITH_TOTP = [person for person in PERSONAS if person.totp_secret]


def _row_counts() -> dict[str, int]:
    models = [
        model
        for model in apps.get_models()
        if model._meta.app_label in {"accounts", "movement", "account", "mfa"}
    ]
    return {model._meta.label: model._default_manager.count() for model in models}


def _load() -> None:
    call_command("load_demo", verbosity=0)


def _person(persona: str) -> Person:
    return next(person for person in PEOPLE if person.persona == persona)


@pytest.fixture
def demo(db: Any) -> None:
    _load()


def test_demo_data_has_the_groups_communities_and_principles_of_the_brief(demo: None) -> None:
    slugs = set(Group.objects.values_list("slug", flat=True))
    assert slugs == {"palestine", "northern-california", "london", "stockholm", "general"}
    assert Group.objects.get(is_general=True).slug == "general"
    field_team = Group.objects.get(slug="palestine")
    assert field_team.kind == "field"
    assert set(field_team.communities.values_list("slug", flat=True)) == {
        "bilin",
        "nilin",
        "nabi-saleh",
        "kafr-qaddum",
        "tel-rumeida",
        "masafer-yatta",
    }
    assert all(community.name_ar for community in field_team.communities.all())
    versions = list(PrinciplesVersion.objects.filter(group=field_team).order_by("number"))
    assert [v.number for v in versions] == [1, 2]
    assert [v.principles.count() for v in versions] == [4, 5]
    assert (versions[1].published_at - versions[0].published_at).days >= 365
    assert set(field_team.pages.values_list("slug", flat=True)) >= {
        "home",
        "about",
        "get-involved",
    }
    assert all(page.body_ar for page in field_team.pages.all())
    assert 5 <= field_team.faq_entries.count() <= 8
    assert ContactMessage.objects.filter(group__slug="northern-california").count() == 2


def test_loading_the_demo_twice_changes_nothing(demo: None) -> None:
    before = _row_counts()
    _load()
    assert _row_counts() == before


def test_loading_the_demo_again_keeps_what_someone_edited(demo: None) -> None:
    page = Group.objects.get(slug="palestine").pages.get(slug="about")
    page.title_en = "About us, edited in the demo"
    page.save()
    _load()
    page.refresh_from_db()
    assert page.title_en == "About us, edited in the demo"


def test_loading_the_demo_again_restores_the_documented_password_and_totp(demo: None) -> None:
    user = User.objects.get(email=_person("core").email)
    user.set_password("something-else-entirely")
    user.save()
    Authenticator.objects.filter(user=user).delete()
    _load()
    user.refresh_from_db()
    assert user.check_password(DEMO_PASSWORD)
    totp = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    assert decrypt(totp.data["secret"]) == _person("core").totp_secret


def test_the_demo_refuses_to_load_on_a_site_served_over_https(db: Any, settings: Any) -> None:
    settings.HTTPS = True
    with pytest.raises(CommandError, match="HTTPS=1"):
        _load()
    assert not User.objects.exists()


def test_each_persona_holds_the_roles_the_readme_promises(demo: None) -> None:
    def roles(persona: str) -> set[tuple[str, str]]:
        user = User.objects.get(email=_person(persona).email)
        return set(Membership.objects.filter(user=user).values_list("group__slug", "role"))

    assert roles("core") == {
        ("northern-california", Role.MEMBER),
        ("northern-california", Role.CORE),
    }
    assert ("palestine", Role.DOCUMENTER) in roles("documenter")
    assert roles("volunteer") == {("northern-california", Role.MEMBER)}
    assert roles("applicant") == set()
    assert roles("outsider") == {("london", Role.MEMBER), ("london", Role.CORE)}
    partner = User.objects.get(email=_person("partner").email)
    assert partner.language == "ar"
    assert list(
        PartnerContact.objects.filter(user=partner).values_list("community__slug", flat=True)
    ) == ["bilin"]
    admin = User.objects.get(email=_person("admin").email)
    assert admin.is_staff and admin.is_superuser


def test_every_persona_has_a_verified_address_and_the_demo_password(demo: None) -> None:
    for person in PERSONAS:
        user = User.objects.get(email=person.email)
        assert user.check_password(DEMO_PASSWORD), person.persona
        assert EmailAddress.objects.filter(user=user, email=user.email, verified=True).exists()


def test_fellow_members_who_only_fill_lists_cannot_sign_in(demo: None) -> None:
    for person in PEOPLE:
        if not person.persona:
            assert not User.objects.get(email=person.email).has_usable_password()


@pytest.mark.parametrize(
    "person", [p for p in PERSONAS if not p.totp_secret], ids=lambda p: p.persona
)
def test_a_persona_without_second_factor_signs_in_with_the_demo_password(
    demo: None, client: Client, person: Person
) -> None:
    response = client.post(
        "/en/accounts/login/", {"login": person.email, "password": DEMO_PASSWORD}
    )
    assert response.status_code == 302
    assert "/accounts/login/" not in response["Location"]
    assert client.session.get("_auth_user_id") == str(User.objects.get(email=person.email).pk)


@pytest.mark.parametrize("person", WITH_TOTP, ids=lambda p: p.persona)
def test_a_persona_with_totp_signs_in_with_the_demo_password_and_secret(
    demo: None, client: Client, person: Person
) -> None:
    response = client.post(
        "/en/accounts/login/", {"login": person.email, "password": DEMO_PASSWORD}
    )
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session, "the second factor must still be asked"
    response = client.post(response["Location"], {"code": totp_code(person.totp_secret)})
    assert response.status_code == 302
    assert client.session.get("_auth_user_id") == str(User.objects.get(email=person.email).pk)


@pytest.mark.parametrize("person", WITH_TOTP, ids=lambda p: p.persona)
def test_the_totp_secrets_in_the_readme_are_the_ones_stored(demo: None, person: Person) -> None:
    rows = [line for line in README.read_text().splitlines() if f"`{person.email}`" in line]
    assert len(rows) == 1, f"the README's accounts table must have one row for {person.email}"
    assert re.search(rf"`{person.totp_secret}`", rows[0])
    assert f"`{DEMO_PASSWORD}`" in rows[0]
    totp = Authenticator.objects.get(user__email=person.email, type=Authenticator.Type.TOTP)
    stored = totp.data["secret"]
    assert decrypt(stored) == person.totp_secret
    assert person.totp_secret not in stored, "the MFA adapter stores TOTP secrets encrypted"


def test_the_readme_lists_every_persona(db: Any) -> None:
    text = README.read_text()
    for person in PERSONAS:
        assert f"`{person.email}`" in text


# --- the volunteer pipeline ------------------------------------------------------------------


def _pipeline_counts() -> dict[str, int]:
    labels = {"volunteers", "lib"}
    models = [model for model in apps.get_models() if model._meta.app_label in labels]
    return {model._meta.label: model._default_manager.count() for model in models}


def test_loading_the_demo_twice_adds_nothing_to_the_pipeline_or_the_audit_log(
    demo: None,
) -> None:
    before = _pipeline_counts()
    assert before["volunteers.Application"] >= 15
    _load()
    assert _pipeline_counts() == before


def test_every_stage_of_the_board_has_an_application_in_northern_california(
    demo: None,
) -> None:
    stages = Counter(
        Application.objects.filter(group__slug="northern-california").values_list(
            "stage", flat=True
        )
    )
    for stage in [Stage.DRAFT, *FILTER_STAGES]:
        assert stages[stage] >= 1, stage
    assert Application.objects.filter(group__slug="london").exists()
    assert Application.objects.filter(group__slug="general").exists()


def test_the_demo_applications_have_a_history_dated_in_the_past(demo: None) -> None:
    now = timezone.now()
    returned = Application.objects.get(stage=Stage.RETURNED, group__slug="northern-california")
    history = list(returned.stage_changes.order_by("pk"))
    assert [c.to_stage for c in history] == [
        "received", "interview", "references", "training", "ready", "in_field", "returned",
    ]  # fmt: skip
    assert [c.changed_at for c in history] == sorted(c.changed_at for c in history)
    assert history[0].changed_at < now - dt.timedelta(days=200)
    assert returned.returned_on is not None and returned.returned_on < timezone.localdate()
    assert returned.report_backs.count() == 2
    assert all(
        a.submitted_at and a.submitted_at < now
        for a in Application.objects.exclude(stage=Stage.DRAFT)
    )


def test_the_screening_shows_owners_an_overdue_step_an_interview_notes_and_references(
    demo: None,
) -> None:
    norcal = Application.objects.filter(group__slug="northern-california")
    assert norcal.exclude(owner=None).count() >= 3
    assert any(a.is_overdue for a in norcal.exclude(step_due_on=None))
    interview = norcal.get(stage=Stage.INTERVIEW)
    assert interview.interview_at is not None and interview.interview_at > timezone.now()
    at_references = norcal.get(stage=Stage.REFERENCES)
    answered, requested = at_references.references.order_by("position")
    assert answered.answered_at is not None and answered.recommends is True
    assert requested.answered_at is None and requested.token_hash and requested.expires_at
    assert ScreeningNote.objects.filter(application__group__slug="northern-california").count() >= 2
    declined = norcal.get(stage=Stage.DECLINED)
    assert "nonviolence" in declined.decision_reason
    assert PrinciplesAgreement.objects.filter(user__email__in=_emails(norcal)).count() >= 10


def _emails(applications: Any) -> list[str]:
    return list(applications.values_list("user__email", flat=True))


def test_a_campaign_period_is_in_progress_and_another_is_coming(demo: None) -> None:
    today = timezone.localdate()
    periods = CampaignPeriod.objects.filter(group__slug="northern-california")
    current = periods.get(name_en="Olive harvest 2026")
    assert current.starts_on <= today <= current.ends_on
    assert current.target_volunteers == 12
    assert current.applications.filter(stage__in=[Stage.READY, Stage.IN_FIELD]).exists()
    assert periods.filter(starts_on__gt=today).exists()


def test_trainings_past_and_upcoming_one_full_with_a_waiting_list(demo: None) -> None:
    now = timezone.now()
    trainings = Training.objects.filter(group__slug="northern-california")
    (past,) = trainings.filter(starts_at__lt=now)
    assert past.registrations.filter(attended=True).count() >= 2
    assert past.registrations.filter(attended=False).count() >= 1
    granted = Qualification.objects.filter(training=past)
    assert granted.count() == past.registrations.filter(attended=True).count()
    upcoming = list(trainings.filter(starts_at__gt=now))
    assert len(upcoming) == 2
    full = next(t for t in upcoming if t.registrations.filter(status="waitlisted").exists())
    assert full.registrations.filter(status="registered").count() == full.capacity


def test_the_volunteer_persona_sees_their_stage_and_training_on_their_page(
    demo: None, client: Client
) -> None:
    volunteer = User.objects.get(email=_person("volunteer").email)
    application = Application.objects.get(user=volunteer)
    assert application.group.slug == "northern-california" and application.stage == Stage.READY
    registration = TrainingRegistration.objects.get(
        application=application, training__starts_at__gt=timezone.now()
    )
    assert registration.status == "registered"

    response = sign_in(client, volunteer).get("/en/volunteer/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "Ready" in html
    assert registration.training.title_en in html
    assert "The movement&#x27;s two-day training" in html  # the qualification granted
    assert response.context["to_agree"] is None, "they agreed to the current principles"


def test_the_applicant_persona_has_a_draft_to_continue(demo: None, client: Client) -> None:
    applicant = User.objects.get(email=_person("applicant").email)
    assert Application.objects.get(user=applicant).stage == Stage.DRAFT

    response = sign_in(client, applicant).get("/en/volunteer/")

    assert "Continue your application" in response.content.decode()


def test_the_core_persona_sees_the_demo_board(demo: None, client: Client) -> None:
    core = User.objects.get(email=_person("core").email)

    response = sign_in(client, core).get("/en/manage/northern-california/pipeline/")

    assert response.status_code == 200
    counts = dict(response.context["stage_counts"])
    assert all(counts[stage] >= 1 for stage in FILTER_STAGES)
    (campaign,) = response.context["campaigns"]
    assert campaign.name_en == "Olive harvest 2026" and campaign.reached >= 3
    assert "Jonah Reyes" in response.content.decode()
