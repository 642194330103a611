"""Fixtures of the cross-cutting tests."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from alongside.movement.models import (
    ContactMessage,
    FaqEntry,
    Page,
    PartnerCommunity,
    Principle,
    PrinciplesVersion,
)
from alongside.tests.urlmap import GROUP_SLUG, TEAM_SLUG
from conftest import World


@pytest.fixture
def samples(world: World) -> dict[str, Any]:
    """One object of Northern California for each kind of URL argument."""
    norcal = world.norcal
    page = Page.objects.create(
        group=norcal, slug="spring-campaign", title_en="Spring campaign", body_en="Join us."
    )
    entry = FaqEntry.objects.create(group=norcal, question_en="When?", answer_en="In spring.")
    community = PartnerCommunity.objects.create(
        group=norcal, slug="sister-city", name_en="Sister city committee"
    )
    message = ContactMessage.objects.create(
        group=norcal, sender_name="Lou", sender_email="lou@example.net", body="Hello."
    )
    for group in (world.field_team, norcal):
        version = PrinciplesVersion.objects.create(group=group, number=1)
        Principle.objects.create(version=version, position=1, title_en="Nonviolence", text_en="No.")
    from alongside.volunteers.tests.factories import make_training

    training = make_training(group=norcal)
    from alongside.volunteers.actions.screening import hash_token
    from alongside.volunteers.models import Reference
    from alongside.volunteers.tests.factories import make_application, make_campaign

    application = make_application(group=norcal, references=1)
    Reference.objects.filter(application=application).update(
        token_hash=hash_token("sample-reference-token"),
        expires_at=timezone.now() + dt.timedelta(days=14),
    )
    from alongside.volunteers.models import SafeSpaceConcern

    concern = SafeSpaceConcern.objects.create(group=norcal, body="A sample concern.")
    # --- field: invitations, shifts and calendar feeds (helper A) ---
    from alongside.field.actions.invitations import create_feed
    from alongside.field.tests.factories_invitations import make_invitation

    field_invitation = make_invitation(community=world.bilin)
    field_shift = field_invitation.shifts.order_by("starts_at").first()
    assert field_shift is not None
    field_feed = create_feed(user=world.volunteer)
    # --- end of helper A's block ---
    # --- field: sign-ups and rosters (helper B) ---
    from alongside.field.models import SignUp, SignUpStatus
    from conftest import make_user

    field_signup = SignUp.objects.create(
        shift=field_shift,
        user=make_user("waiting.sample@example.net", "Wafa Waiting"),
        status=SignUpStatus.WAITING,
    )
    # --- end of helper B's block ---
    # --- field: safety check-ins and escalations (helper C) ---
    from alongside.field.checkin_plan import plan_checkins
    from alongside.field.models import Escalation, EscalationReason

    field_confirmed = SignUp.objects.create(
        shift=field_shift,
        user=make_user("confirmed.sample@example.net", "Carla Confirmed"),
        status=SignUpStatus.CONFIRMED,
    )
    plan_checkins(field_confirmed)
    field_escalation = Escalation.objects.create(
        checkin=field_confirmed.checkins.order_by("due_at")[0], reason=EscalationReason.MISSED
    )
    # --- end of helper C's block ---
    # --- decisions: a proposal of Northern California in its test, with a block, a comment, an
    # amendment, an action item, a mandate and an absence ---
    from alongside.decisions.models import (
        Absence,
        ActionItem,
        Amendment,
        Comment,
        Position,
        Stage,
    )
    from alongside.decisions.tests.factories import make_mandate, make_proposal, respond

    proposal = make_proposal(group=norcal, proposer=world.core, stage=Stage.TEST)
    decision_block = respond(proposal, world.volunteer, Position.BLOCK)
    decision_comment = Comment.objects.create(
        proposal=proposal,
        stage=Stage.QUESTIONS,
        author=world.volunteer,
        body="When?",
        is_question=True,
    )
    decision_amendment = Amendment.objects.create(
        proposal=proposal,
        author=world.volunteer,
        against_version=1,
        title="Harvest",
        text="Send three.",
        reason="Fewer places.",
    )
    decision_item = ActionItem.objects.create(proposal=proposal, text="Book the bus")
    decision_mandate = make_mandate(group=norcal)
    decision_absence = Absence.objects.create(  # type: ignore[misc]  # encrypted dates
        group=norcal,
        member=world.volunteer,
        starts_on=timezone.localdate(),
        ends_on=timezone.localdate() + dt.timedelta(days=7),
    )
    # --- end of the decisions block ---
    return {
        "proposal_id": proposal.pk,
        "comment_id": decision_comment.pk,
        "amendment_id": decision_amendment.pk,
        "response_id": decision_block.pk,
        "item_id": decision_item.pk,
        "mandate_id": decision_mandate.pk,
        "absence_id": decision_absence.pk,
        "application_id": application.pk,
        "concern_id": concern.pk,
        "campaign_id": make_campaign(group=norcal).pk,
        "token": "sample-reference-token",
        "group_slug": GROUP_SLUG,
        "slug": GROUP_SLUG,
        "page_slug": page.slug,
        "number": 1,
        "page_id": page.pk,
        "entry_id": entry.pk,
        "community_id": community.pk,
        "user_id": world.volunteer.pk,
        "message_id": message.pk,
        "training_id": training.pk,
        # helper A: a Bil'in invitation of the field team, one of its shifts, a live feed token
        "invitation_id": field_invitation.pk,
        "shift_id": field_shift.pk,
        "feed_token": field_feed.token,
        # helper B: a sign-up on that shift; the field team's slug for the coordinators' screens
        "signup_id": field_signup.pk,
        "team_slug": TEAM_SLUG,
        # helper C: a missed check-in of a volunteer confirmed on that shift, escalated
        "escalation_id": field_escalation.pk,
        # allauth and admin arguments: objects that do not exist, answered like any other.
        "pk": 999999,
        "key": "not-a-real-key",
        "uidb36": "zz",
        "id": "999999",
        "object_id": "999999",
        "content_type_id": "999999",
        "app_label": "movement",
        "url": "nothing-here/",
    }


@pytest.fixture
def demo(db: Any, settings: Any) -> None:
    """The demo world that `make run` serves: real-feeling pages in English and Arabic."""
    # The demo's seven passwords would take seconds to hash with Argon2.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("load_demo", verbosity=0)
