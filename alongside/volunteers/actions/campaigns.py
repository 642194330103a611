"""A group's campaign periods: recruitment rounds for a period in the field, with a target."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.http import HttpRequest

from alongside.accounts.models import User
from alongside.lib import audit
from alongside.lib.changes import apply_changes
from alongside.movement.models import Group
from alongside.volunteers.models import CampaignPeriod

CAMPAIGN_FIELDS = ("name_en", "name_ar", "starts_on", "ends_on", "target_volunteers")


@transaction.atomic
def save_campaign_period(
    *,
    actor: User,
    group: Group,
    period: CampaignPeriod | None,
    values: Mapping[str, Any],
    request: HttpRequest | None = None,
) -> CampaignPeriod:
    """Create a campaign period of `group` (when `period` is None) or change one."""
    creating = period is None
    obj = CampaignPeriod(group=group) if period is None else period
    changed = apply_changes(obj, values, CAMPAIGN_FIELDS)
    if creating or changed:
        obj.save()
        audit.record(
            actor=actor,
            action="create" if creating else "update",
            target=obj,
            request=request,
            detail={"fields": changed},
        )
    return obj
