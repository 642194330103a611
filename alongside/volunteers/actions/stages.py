"""Moving an application from one stage to the next."""

from __future__ import annotations

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from alongside.accounts.models import User
from alongside.lib import audit
from alongside.lib.tasks import enqueue_on_commit
from alongside.movement.models import PrinciplesVersion
from alongside.volunteers.actions.training import release_training_places
from alongside.volunteers.models import CLOSED_STAGES, Application, Stage, StageChange
from alongside.volunteers.principles import needs_to_agree
from alongside.volunteers.tasks import notify_applicant_of_stage

# Which stage may follow which. Withdrawing is always open to the applicant until return;
# declining is open to the group until the volunteer is in the field.
ALLOWED: dict[str, set[str]] = {
    Stage.DRAFT: {Stage.RECEIVED},
    Stage.RECEIVED: {Stage.INTERVIEW, Stage.REFERENCES, Stage.DECLINED, Stage.WITHDRAWN},
    Stage.INTERVIEW: {Stage.REFERENCES, Stage.TRAINING, Stage.DECLINED, Stage.WITHDRAWN},
    Stage.REFERENCES: {Stage.INTERVIEW, Stage.TRAINING, Stage.DECLINED, Stage.WITHDRAWN},
    Stage.TRAINING: {Stage.READY, Stage.DECLINED, Stage.WITHDRAWN},
    Stage.READY: {Stage.IN_FIELD, Stage.TRAINING, Stage.WITHDRAWN},
    Stage.IN_FIELD: {Stage.RETURNED, Stage.WITHDRAWN},
    Stage.RETURNED: set(),
    Stage.WITHDRAWN: set(),
    Stage.DECLINED: set(),
}


# Steps that commit a volunteer further: each needs their agreement to the current principles.
NEEDS_AGREEMENT = (Stage.TRAINING, Stage.READY, Stage.IN_FIELD)


class StageError(ValueError):
    """The move is not allowed from the application's current stage."""


class PrinciplesNotAgreed(StageError):
    """The volunteer must first agree to the current version of the principles."""

    def __init__(self, version: PrinciplesVersion) -> None:
        super().__init__(f"agreement to {version} needed first")
        self.version = version


@transaction.atomic
def change_stage(
    *,
    application: Application,
    to_stage: str,
    actor: User | None,
    request: HttpRequest | None = None,
    notify: bool = True,
) -> Application:
    """Move `application` to `to_stage`, record the step, and tell the applicant by email (a
    link to their page, nothing else). The row is locked first, so two core members acting at
    once cannot both move it from the same stage."""
    locked = Application.objects.select_for_update().get(pk=application.pk)
    if to_stage not in ALLOWED[locked.stage]:
        raise StageError(f"{locked.stage} → {to_stage} is not a step of the pipeline")
    if to_stage in NEEDS_AGREEMENT:
        version = needs_to_agree(locked.user, locked.group)
        if version is not None:
            raise PrinciplesNotAgreed(version)
    now = timezone.now()
    from_stage = locked.stage
    locked.stage = to_stage
    locked.stage_changed_at = now
    # A new step starts without an owner's deadline; whoever takes it sets one.
    locked.step_due_on = None
    if from_stage == Stage.DRAFT:
        locked.submitted_at = now
    if to_stage == Stage.RETURNED:
        locked.returned_on = timezone.localdate()
    if to_stage in CLOSED_STAGES:
        locked.closed_at = now
    locked.save(
        update_fields=[
            "stage", "stage_changed_at", "step_due_on", "submitted_at", "returned_on", "closed_at",
        ]
    )  # fmt: skip
    StageChange.objects.create(
        application=locked, from_stage=from_stage, to_stage=to_stage, actor=actor, changed_at=now
    )
    audit.record(
        actor=actor,
        action="stage",
        target=locked,
        request=request,
        detail={"from": from_stage, "to": to_stage},
    )
    if to_stage in CLOSED_STAGES:
        release_training_places(application=locked, actor=actor, request=request)
    if notify and actor != locked.user:
        enqueue_on_commit(notify_applicant_of_stage, locked.pk, to_stage)
    application.refresh_from_db()
    return application
