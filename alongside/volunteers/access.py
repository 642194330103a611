"""Lookups of pipeline records, each answering 404 alike for what does not exist and for what
the person may not see (see `alongside.lib.access`)."""

from __future__ import annotations

from typing import Any

from django.http import Http404

from alongside.lib.access import get_in_group
from alongside.movement.models import Group
from alongside.volunteers.actions.training import may_register
from alongside.volunteers.models import (
    Application,
    CampaignPeriod,
    SafeSpaceConcern,
    Training,
)


def get_application_for_group(group: Group, pk: int) -> Application:
    """An application to `group` (the caller has already checked the core role in `group`)."""
    application = Application.objects.submitted().filter(group=group, pk=pk).first()
    if application is None:
        raise Http404
    return application


def current_application(user: Any) -> Application | None:
    """The person's open application (a draft or one in the pipeline), newest first."""
    if not getattr(user, "is_authenticated", False):
        return None
    return Application.objects.filter(user=user).active().order_by("-created_at").first()


def get_campaign_for_group(group: Group, campaign_id: int) -> CampaignPeriod:
    return get_in_group(CampaignPeriod, group, campaign_id)


def get_training_for_group(group: Group, training_id: int) -> Training:
    return get_in_group(Training, group, training_id)


def get_open_training(user: Any, training_id: int) -> tuple[Training, Application]:
    """A training the person may register for, and their application; 404 for any other."""
    application = current_application(user)
    training = Training.objects.filter(pk=training_id).select_related("group").first()
    if application is None or training is None or not may_register(application, training):
        raise Http404
    return training, application


def get_concern_for_group(group: Group, concern_id: int) -> SafeSpaceConcern:
    """A safe-space concern of `group` (the caller has checked that the person may read it)."""
    concern = (
        SafeSpaceConcern.objects.filter(group=group, pk=concern_id)
        .select_related("raised_by", "handled_by")
        .first()
    )
    if concern is None:
        raise Http404
    return concern
