"""Background work of decisions: each minute, proposals whose stage deadline passed move on,
and those whose test (or second round) deadline passed close.

Run twice, or in two workers at once, it ends in the same state: both steps lock each proposal
and look at its stage again before changing it (actions/stages, actions/closing). The emails
are sent by `alongside.decisions.notify.deliver`, once each."""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task


@task()
def advance_proposals() -> int:
    """Move due stages on, then close due tests: a test whose deadline passed while the worker
    was down opens and closes in the same run. Returns how many proposals changed."""
    from alongside.decisions.actions import closing, stages

    now = timezone.now()
    try:
        moved = stages.advance_due(now)
    finally:
        # A proposal that failed to move on (logged there) keeps no test from closing; the
        # run still fails afterwards, so that the failure is seen.
        closed = closing.close_due(now)
    return moved + closed
