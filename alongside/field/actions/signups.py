"""Sign-ups: volunteers take shifts, cancel, wait for a place; a freed place is offered to the
first person waiting for a while, then passes on; coordinators assign and remove.

Capacity must hold when many people sign up for the last place at the same moment. Every change
to a shift's roster first locks the shift's row (`lock_shift`), as the trainings do: on
PostgreSQL a row lock that makes the others wait; on SQLite the settings open every transaction
IMMEDIATE, so the write lock is taken at BEGIN and writers take turns. The places held
(confirmed and offered) are counted after the lock, so the count cannot be stale.

One person must not end up on two overlapping shifts by signing up in two tabs at once: each
lock is on a different shift, so taking a place (signing up, accepting an offer, being assigned)
then also locks the person's own row (`lock_person`) and only then reads the shifts they hold.

The locks are taken in the one order of every field action (actions/locks), so that no two
actions wait for each other: the invitation's row (when the action touches it), then the
shift's, then the person's, and the audit chain's head last. Every action here that changes a
sign-up locks its shift first, reconfirming included. Offering free places reads the waiting
people's situation without locking their rows (it would lock several, in queue order):
accepting the offer checks it again under the lock.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alongside.field import eligibility, rules
from alongside.field.actions.locks import lock_person, lock_shift
from alongside.field.checkin_plan import plan_checkins, unplan_checkins
from alongside.field.models import HOLDING_PLACE, InvitationStatus, Shift, SignUp, SignUpStatus
from alongside.field.tasks.signups import notify_cover, notify_signup
from alongside.lib import audit
from alongside.lib.tasks import enqueue_on_commit

# An offer is worth making only if the person has time to answer and to get there.
OFFER_ENDS_BEFORE_START = dt.timedelta(minutes=30)
SHORTEST_OFFER = dt.timedelta(minutes=15)


class SignUpError(ValueError):
    """A change the shift's state or the person's situation does not allow; `message` is for
    the person."""

    def __init__(self, message: Any) -> None:
        super().__init__(str(message))
        self.message = message


@dataclass(frozen=True)
class SignUpResult:
    signup: SignUp
    # False when the person was already on the roster or the waiting list: nothing changed.
    created: bool

    @property
    def waiting(self) -> bool:
        return self.signup.status == SignUpStatus.WAITING


# --- the volunteer -------------------------------------------------------------------------


def sign_up(
    *, shift: Shift, user: Any, actor: Any, request: HttpRequest | None = None
) -> SignUpResult:
    """Take a place on `shift`, or join its waiting list when it is full. Refused (SignUpError)
    with the reason when the person may not take it.

    N people racing for the last place get exactly one place between them: the shift's row is
    locked before the places held are counted (see the module's docstring)."""
    with transaction.atomic():
        locked = lock_shift(shift.pk)
        now = timezone.now()
        existing = locked.signups.filter(user=user).first()
        if existing is not None and existing.status != SignUpStatus.CANCELLED:
            return SignUpResult(existing, created=False)
        lock_person(user.pk)  # before reading the shifts they hold: no overlap in two tabs
        volunteer = eligibility.volunteer_for(user, now=now)
        volunteer.signups.pop(locked.pk, None)  # a cancelled sign-up may be taken up again
        taken = _holding(locked).count()
        refusal = eligibility.why_not(volunteer, locked, _rules(locked), taken=taken, now=now)
        if refusal is not None and not refusal.may_wait:
            raise SignUpError(refusal.message)
        status = SignUpStatus.WAITING if refusal is not None else SignUpStatus.CONFIRMED
        if existing is not None:
            # Signing up again after cancelling: at the end of the queue, like anyone new.
            signup = _reset(existing, status=status, now=now)
        else:
            try:
                with transaction.atomic():
                    signup = SignUp.objects.create(
                        shift=locked, user=user, status=status, joined_at=now
                    )
            except IntegrityError:
                # The same person twice at once (a double tap): the lock makes this rare, the
                # unique constraint makes it harmless.
                return SignUpResult(locked.signups.get(user=user), created=False)
        if status == SignUpStatus.CONFIRMED:
            plan_checkins(signup)
        audit.record(
            actor=actor, action="sign_up", target=signup, request=request, detail={"status": status}
        )
    return SignUpResult(signup, created=True)


def cancel_signup(*, signup: SignUp, actor: Any, request: HttpRequest | None = None) -> SignUp:
    """The volunteer gives up their place, their offer or their spot on the waiting list. A
    place may be given up only until the shift's cut-off: after it, the team counts on them and
    they must call the coordinator. A freed place is offered to the first person waiting."""
    with transaction.atomic():
        locked = lock_shift(signup.shift.pk)
        current = SignUp.objects.get(pk=signup.pk)
        if current.status == SignUpStatus.CANCELLED:
            return current
        now = timezone.now()
        if current.status == SignUpStatus.CONFIRMED and locked.cutoff_at <= now:
            raise SignUpError(
                _(
                    "Cancelling online has closed for this shift. Please call the field "
                    "coordinator so that the team knows."
                )
            )
        previous = current.status
        _leave(current, now=now)
        audit.record(
            actor=actor, action="cancel", target=current, request=request, detail={"from": previous}
        )
        if previous in HOLDING_PLACE:
            offer_free_places(shift=locked, actor=actor, request=request)
    return current


def accept_offer(*, signup: SignUp, actor: Any, request: HttpRequest | None = None) -> SignUp:
    """Take the place offered from the waiting list, before the offer expires."""
    with transaction.atomic():
        locked = lock_shift(signup.shift.pk)
        current = SignUp.objects.select_related("shift__invitation__community").get(pk=signup.pk)
        now = timezone.now()
        if current.status == SignUpStatus.CONFIRMED:
            return current
        if (
            current.status != SignUpStatus.OFFERED
            or current.offer_expires_at is None
            or current.offer_expires_at <= now
        ):
            raise SignUpError(_("This offer is no longer open."))
        lock_person(current.user_id)
        volunteer = eligibility.volunteer_for(current.user, now=now)
        refusal = eligibility.personal_reason(volunteer, locked, _rules(locked))
        if refusal is not None:
            raise SignUpError(refusal.message)
        current.status = SignUpStatus.CONFIRMED
        current.offer_expires_at = None
        current.save(update_fields=["status", "offer_expires_at"])
        plan_checkins(current)
        audit.record(actor=actor, action="accept_offer", target=current, request=request)
    return current


def decline_offer(*, signup: SignUp, actor: Any, request: HttpRequest | None = None) -> SignUp:
    """Say no to the place offered; it goes to the next person waiting."""
    with transaction.atomic():
        locked = lock_shift(signup.shift.pk)
        current = SignUp.objects.get(pk=signup.pk)
        if current.status != SignUpStatus.OFFERED:
            raise SignUpError(_("This offer is no longer open."))
        _leave(current, now=timezone.now())
        audit.record(actor=actor, action="decline_offer", target=current, request=request)
        offer_free_places(shift=locked, actor=actor, request=request)
    return current


def reconfirm(*, signup: SignUp, actor: Any, request: HttpRequest | None = None) -> SignUp:
    """The evening before: "I'm still coming"."""
    with transaction.atomic():
        locked = lock_shift(signup.shift.pk)  # the shift first, as every change to its roster
        current = SignUp.objects.get(pk=signup.pk)
        current.shift = locked
        if current.status != SignUpStatus.CONFIRMED or current.shift.starts_at <= timezone.now():
            raise SignUpError(_("There is nothing to confirm on this shift."))
        if current.reconfirmed_at is None:
            current.reconfirmed_at = timezone.now()
            current.save(update_fields=["reconfirmed_at"])
            audit.record(actor=actor, action="reconfirm", target=current, request=request)
    return current


# --- the waiting list ----------------------------------------------------------------------


def offer_free_places(
    *, shift: Shift, actor: Any = None, request: HttpRequest | None = None
) -> int:
    """Offer each free place of `shift` to the next person waiting (first come, first served),
    for the team's offer time but never past half an hour before the start. Call after anything
    that frees or adds places. Returns how many offers were made."""
    with transaction.atomic():
        locked = lock_shift(shift.pk)
        now = timezone.now()
        if locked.is_cancelled or locked.invitation.status != InvitationStatus.ACTIVE:
            return 0
        expires = min(
            now
            + dt.timedelta(hours=rules.settings_for(locked.invitation.community.group).offer_hours),
            locked.starts_at - OFFER_ENDS_BEFORE_START,
        )
        if expires - now < SHORTEST_OFFER:
            return 0  # too late to answer and get there: the coordinators fill it by phone
        free = locked.places - _holding(locked).count()
        if free <= 0:
            return 0
        waiting = (
            locked.signups.filter(status=SignUpStatus.WAITING)
            .select_related("user")
            .order_by("joined_at", "pk")
        )
        shift_rules = _rules(locked)
        made = 0
        for signup in waiting:
            if made >= free:
                break
            # Their situation may have changed since they joined the queue (another shift at
            # the same time, their dates in Hebron, a qualification, new principles): whoever
            # may not be on the shift now is passed over and keeps their place in the queue.
            # Deadlines and places are this function's own (an offer may follow the cut-off).
            volunteer = eligibility.volunteer_for(signup.user, now=now)
            if eligibility.personal_reason(volunteer, locked, shift_rules) is not None:
                continue
            signup.status = SignUpStatus.OFFERED
            signup.offer_expires_at = expires
            signup.save(update_fields=["status", "offer_expires_at"])
            audit.record(actor=actor, action="offer", target=signup, request=request)
            enqueue_on_commit(notify_signup, signup.pk, "offer", expires.isoformat())
            made += 1
    return made


def pass_on_expired_offers() -> int:
    """Every offer past its expiry: the sign-up is cancelled and the place offered to the next
    person waiting. Run again, it finds nothing more to do. Returns how many expired."""
    now = timezone.now()
    shift_ids = set(
        SignUp.objects.filter(status=SignUpStatus.OFFERED, offer_expires_at__lte=now).values_list(
            "shift_id", flat=True
        )
    )
    expired = 0
    for shift_id in sorted(shift_ids):
        with transaction.atomic():
            locked = lock_shift(shift_id)
            # Read again under the lock: another run, or the person accepting, got there first.
            for signup in locked.signups.filter(
                status=SignUpStatus.OFFERED, offer_expires_at__lte=now
            ):
                _leave(signup, now=now)
                audit.record(actor=None, action="offer_expired", target=signup)
                expired += 1
            offer_free_places(shift=locked)
    return expired


# --- the coordinators ----------------------------------------------------------------------


def assign_volunteer(
    *, shift: Shift, user: Any, actor: Any, request: HttpRequest | None = None
) -> SignUp:
    """Put a volunteer on the roster: also after the cut-off, also from the waiting list, but
    never beyond the shift's places and never someone who may not be on it."""
    with transaction.atomic():
        locked = lock_shift(shift.pk)
        now = timezone.now()
        if locked.is_cancelled or locked.invitation.status != InvitationStatus.ACTIVE:
            raise SignUpError(_("This shift is cancelled."))
        if locked.ends_at <= now:
            raise SignUpError(_("This shift is over."))
        existing = locked.signups.filter(user=user).first()
        if existing is not None and existing.status == SignUpStatus.CONFIRMED:
            return existing
        lock_person(user.pk)
        volunteer = eligibility.volunteer_for(user, now=now)
        refusal = eligibility.personal_reason(volunteer, locked, _rules(locked))
        if refusal is not None:
            raise SignUpError(refusal.message)
        holding = _holding(locked)
        if existing is not None:
            holding = holding.exclude(pk=existing.pk)  # an offered place is theirs already
        if holding.count() >= locked.places:
            raise SignUpError(
                _("The shift is full: remove someone or ask for more places before adding.")
            )
        if existing is None:
            signup = SignUp.objects.create(
                shift=locked, user=user, status=SignUpStatus.CONFIRMED, joined_at=now
            )
        elif existing.status == SignUpStatus.CANCELLED:
            signup = _reset(existing, status=SignUpStatus.CONFIRMED, now=now)
        else:
            signup = existing
            signup.status = SignUpStatus.CONFIRMED
            signup.offer_expires_at = None
        signup.assigned_by = actor
        signup.save(update_fields=["status", "offer_expires_at", "assigned_by"])
        plan_checkins(signup)
        audit.record(actor=actor, action="assign", target=signup, request=request)
        enqueue_on_commit(notify_signup, signup.pk, "assigned", now.isoformat())
    return signup


def remove_volunteer(*, signup: SignUp, actor: Any, request: HttpRequest | None = None) -> SignUp:
    """Take someone off the roster, the offer or the waiting list (any time); a freed place is
    offered to the next person waiting, and the person removed is told."""
    with transaction.atomic():
        locked = lock_shift(signup.shift.pk)
        current = SignUp.objects.get(pk=signup.pk)
        if current.status == SignUpStatus.CANCELLED:
            return current
        previous = current.status
        now = timezone.now()
        _leave(current, now=now)
        audit.record(
            actor=actor, action="remove", target=current, request=request, detail={"from": previous}
        )
        enqueue_on_commit(notify_signup, current.pk, "removed", now.isoformat())
        if previous in HOLDING_PLACE:
            offer_free_places(shift=locked, actor=actor, request=request)
    return current


def ask_to_cover(
    *, shift: Shift, users: Iterable[Any], actor: Any, request: HttpRequest | None = None
) -> int:
    """Email the eligible volunteers among `users` who are not on the roster a link to the
    shift, once per shift and person whatever is asked again. Returns how many were asked."""
    now = timezone.now()
    if shift.is_cancelled or shift.starts_at <= now:
        raise SignUpError(_("This shift can no longer be covered."))
    if _holding(shift).count() >= shift.places:
        raise SignUpError(_("The shift has no open places."))
    on_roster = set(
        shift.signups.exclude(status=SignUpStatus.CANCELLED).values_list("user_id", flat=True)
    )
    wanted = {user.pk for user in users} - on_roster
    eligible = set(eligibility.eligible_for(shift, _rules(shift), exclude=on_roster)) & wanted
    with transaction.atomic():
        for user_id in sorted(eligible):
            enqueue_on_commit(notify_cover, shift.pk, user_id)
        audit.record(
            actor=actor,
            action="ask_to_cover",
            target=shift,
            request=request,
            detail={"asked": len(eligible)},
        )
    return len(eligible)


# --- helpers -------------------------------------------------------------------------------


def _holding(shift: Shift) -> Any:
    return shift.signups.filter(status__in=HOLDING_PLACE)


def _rules(shift: Shift) -> Any:
    return rules.rules_for(shift.invitation.community.group, shift.invitation.kind)


def _reset(signup: SignUp, *, status: str, now: dt.datetime) -> SignUp:
    signup.status = status
    signup.joined_at = now
    signup.offer_expires_at = None
    signup.reconfirmed_at = None
    signup.cancelled_at = None
    signup.assigned_by = None
    signup.save(
        update_fields=[
            "status",
            "joined_at",
            "offer_expires_at",
            "reconfirmed_at",
            "cancelled_at",
            "assigned_by",
        ]
    )
    return signup


def _leave(signup: SignUp, *, now: dt.datetime) -> None:
    was_confirmed = signup.status == SignUpStatus.CONFIRMED
    signup.status = SignUpStatus.CANCELLED
    signup.cancelled_at = now
    signup.offer_expires_at = None
    signup.save(update_fields=["status", "cancelled_at", "offer_expires_at"])
    if was_confirmed:
        unplan_checkins(signup)
