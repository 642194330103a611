"""What the field needs to know about volunteers on a roster: a first name, the languages they
speak, and whether they have been in the field before. Never their full name, phone or dates.

`volunteer_profiles` answers for any number of people in three queries (list pages and the live
board call it once for all the rosters they show)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.utils import timezone

from alongside.field.models import SignUp, SignUpStatus
from alongside.volunteers.models import Application, Stage

# Applications whose languages describe the volunteer: the ones that went somewhere.
_KNOWN_STAGES = (Stage.TRAINING, Stage.READY, Stage.IN_FIELD, Stage.RETURNED)


@dataclass
class Profile:
    user_id: int
    first_name: str
    languages: list[str] = field(default_factory=list)
    # Field time before the moment asked about: a finished shift, or an earlier stay.
    experienced: bool = False

    @property
    def label(self) -> str:
        return self.first_name or "—"


def volunteer_profiles(
    user_ids: Iterable[int], *, before: dt.datetime | None = None
) -> dict[int, Profile]:
    """Profiles of `user_ids`; `experienced` counts field time that ended before `before`
    (now by default)."""
    ids = set(user_ids)
    if not ids:
        return {}
    before = before or timezone.now()
    users = get_user_model().objects.filter(pk__in=ids).only("pk", "name")
    profiles = {user.pk: Profile(user.pk, user.first_name) for user in users}
    applications = Application.objects.filter(user__in=ids, stage__in=_KNOWN_STAGES).values_list(
        "user_id", "languages", "stage"
    )
    for user_id, languages, stage in applications:
        profile = profiles[user_id]
        for code in languages or []:
            if code not in profile.languages:
                profile.languages.append(code)
        if stage == Stage.RETURNED:
            profile.experienced = True
    done = (
        SignUp.objects.filter(
            user__in=ids,
            status=SignUpStatus.CONFIRMED,
            shift__is_cancelled=False,
            shift__ends_at__lt=before,
        )
        .order_by()
        .values_list("user_id", flat=True)
        .distinct()
    )
    for user_id in done:
        profiles[user_id].experienced = True
    return profiles
