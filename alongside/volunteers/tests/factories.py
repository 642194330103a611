"""Small builders of pipeline records for tests, so that every test states only what matters
to its story. Shared by the tests of every part of the pipeline."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from django.utils import timezone

from alongside.accounts.models import User
from alongside.movement.models import Group
from alongside.volunteers.models import (
    Application,
    CampaignPeriod,
    QualificationKind,
    Reference,
    Stage,
    Training,
)

_numbers = itertools.count(1)


def make_applicant(*, name: str = "Noor Applicant", language: str = "en") -> User:
    """A person with an account and nothing else (a new one each call)."""
    from conftest import make_user

    number = next(_numbers)
    return make_user(f"applicant{number}@example.net", name, language=language)


def make_application(
    *,
    user: User | None = None,
    group: Group,
    stage: str = Stage.RECEIVED,
    references: int = 0,
    **fields: Any,
) -> Application:
    """An application of `user` (a new applicant when None) to `group` at `stage`.

    A submitted stage gets `submitted_at`; pass any model field to override the defaults.
    `references` creates that many unanswered references named "Referee 1", "Referee 2"...
    """
    if user is None:
        user = make_applicant()
    now = timezone.now()
    values: dict[str, Any] = {
        "full_name": user.name or "Noor Applicant",
        "country": "US",
        "languages": ["en"],
        "submitted_at": None if stage == Stage.DRAFT else now,
        "stage_changed_at": now,
    }
    values.update(fields)
    application = Application.objects.create(user=user, group=group, stage=stage, **values)
    for position in range(1, references + 1):
        Reference.objects.create(
            application=application,
            position=position,
            name=f"Referee {position}",
            email=f"referee{position}.{application.pk}@example.net",
        )
    return application


def make_campaign(*, group: Group, **fields: Any) -> CampaignPeriod:
    today = timezone.localdate()
    values: dict[str, Any] = {
        "name_en": "Olive harvest",
        "name_ar": "موسم قطف الزيتون",
        "starts_on": today - dt.timedelta(days=30),
        "ends_on": today + dt.timedelta(days=60),
        "target_volunteers": 10,
    }
    values.update(fields)
    return CampaignPeriod.objects.create(group=group, **values)


def make_qualification_kind(**fields: Any) -> QualificationKind:
    number = next(_numbers)
    values: dict[str, Any] = {
        "slug": f"training-{number}",
        "name_en": "Two-day training",
        "valid_for_days": 730,
    }
    values.update(fields)
    return QualificationKind.objects.create(**values)


def make_training(
    *, group: Group, qualification: QualificationKind | None = None, **fields: Any
) -> Training:
    """A training of `group` a week from now, two days long, in English, 10 places."""
    starts = timezone.now() + dt.timedelta(days=7)
    values: dict[str, Any] = {
        "title_en": "Two-day training",
        "title_ar": "تدريب لمدة يومين",
        "starts_at": starts,
        "ends_at": starts + dt.timedelta(days=2),
        "place": "Oakland",
        "language": "en",
        "capacity": 10,
    }
    values.update(fields)
    return Training.objects.create(
        group=group, qualification=qualification or make_qualification_kind(), **values
    )
