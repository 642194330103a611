"""Field work led by the communities: a partner community's invitation, the shifts it asks for,
the volunteers who sign up for them, their safety check-ins, escalations when one is missed, and
quick incident notes from the field.

Nothing happens in the field unless a community asked for it: every shift belongs to an
invitation (a non-null foreign key the database enforces), and every invitation to a partner
community. Times are stored in UTC and scheduled in the field's zone (`settings.FIELD_TIME_ZONE`,
Asia/Hebron): an invitation's dates and clock times are Hebron wall-clock times, and its shifts
are the instants they name, whatever daylight-saving does in between.

What would harm someone if it leaked is encrypted: the exact place of an activity and its map
coordinates (a home threatened with demolition), the name of the person who invited by phone,
check-in notes ("need help" and why) and incident notes.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from alongside.lib.crypto import EncryptedCharField, EncryptedTextField
from alongside.movement.models import Group, PartnerCommunity
from alongside.volunteers.models import QualificationKind


class ActivityKind(models.TextChoices):
    HARVEST = "harvest", _("Olive-harvest accompaniment")
    SCHOOL_RUN = "school_run", _("School run")
    DEMONSTRATION = "demonstration", _("Weekly demonstration")
    PRESENCE = "presence", _("Protective presence at a threatened home")
    OTHER = "other", pgettext_lazy("kind of activity", "Other")


class Recurrence(models.TextChoices):
    ONCE = "once", _("Once")
    WEEKLY = "weekly", _("Every week, on the days chosen")
    DAILY = "daily", _("Every day")


class InvitedVia(models.TextChoices):
    PLATFORM = "platform", _("On the platform, by the partner")
    PHONE = "phone", _("Phone call")
    IN_PERSON = "in_person", _("In person")
    MESSAGE = "message", _("Message")


# --- team rules ------------------------------------------------------------------------------


class ActivityRules(models.Model):
    """A field team's rules and defaults for one kind of activity. Kinds without a row use
    `alongside.field.rules.DEFAULT_RULES`."""

    team = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="activity_rules")
    kind = models.CharField(_("kind of activity"), max_length=16, choices=ActivityKind.choices)
    min_team_size = models.PositiveSmallIntegerField(
        _("smallest team"), default=2, help_text=_("Nobody goes alone: at least this many.")
    )
    needs_experienced = models.BooleanField(
        _("at least one volunteer with prior field time"), default=True
    )
    needs_language_coverage = models.BooleanField(
        _("the languages the community asked for are spoken in the team"), default=True
    )
    required_qualification = models.ForeignKey(
        QualificationKind,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("qualification needed"),
    )
    checkin_every_hours = models.PositiveSmallIntegerField(
        _("check in every (hours)"),
        null=True,
        blank=True,
        help_text=_("Besides on arrival and on leaving. Empty: only those two."),
    )
    signup_cutoff_hours = models.PositiveSmallIntegerField(
        _("sign-up and cancellation close (hours before the start)"), default=3
    )

    class Meta:
        verbose_name = _("team rules")
        verbose_name_plural = _("team rules")
        ordering = ["team", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["team", "kind"], name="field_rules_one_per_kind"),
            models.CheckConstraint(
                condition=Q(min_team_size__gte=1), name="field_rules_team_size_positive"
            ),
            models.CheckConstraint(
                condition=Q(checkin_every_hours__isnull=True) | Q(checkin_every_hours__gte=1),
                name="field_rules_checkin_interval_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.team} · {self.get_kind_display()}"


class FieldSettings(models.Model):
    """A field team's timings for waiting-list offers and check-in escalation."""

    team = models.OneToOneField(Group, on_delete=models.CASCADE, related_name="field_settings")
    offer_hours = models.PositiveSmallIntegerField(
        _("a waiting-list offer expires after (hours)"), default=2
    )
    checkin_grace_minutes = models.PositiveSmallIntegerField(
        _("a check-in counts as missed after (minutes)"), default=30
    )
    escalate_every_minutes = models.PositiveSmallIntegerField(
        _("an unacknowledged alert goes further after (minutes)"), default=30
    )

    class Meta:
        verbose_name = _("field settings")
        verbose_name_plural = _("field settings")

    def __str__(self) -> str:
        return str(self.team)


# --- invitations -----------------------------------------------------------------------------


class InvitationStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    CANCELLED = "cancelled", pgettext_lazy("invitation status", "Cancelled")


class InvitationQuerySet(models.QuerySet["Invitation"]):
    def active(self) -> InvitationQuerySet:
        return self.filter(status=InvitationStatus.ACTIVE)

    def of_team(self, team: Group) -> InvitationQuerySet:
        return self.filter(community__group=team)


class Invitation(models.Model):
    """A partner community asks for volunteers: what, where, when (once or recurring), how many,
    in which languages, and what the volunteers should know.

    Dates and clock times are in the field's zone. An end time at or before the start time
    means the activity runs past midnight (an overnight stay)."""

    row_key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    community = models.ForeignKey(
        PartnerCommunity,
        on_delete=models.PROTECT,
        related_name="invitations",
        verbose_name=_("community"),
    )
    kind = models.CharField(_("kind of activity"), max_length=16, choices=ActivityKind.choices)
    title = models.CharField(
        _("short title"),
        max_length=120,
        blank=True,
        help_text=_("Optional, e.g. “Harvest at the western groves”."),
    )
    language = models.CharField(_("written in"), max_length=8, default="ar")

    recurrence = models.CharField(
        _("how often"), max_length=8, choices=Recurrence.choices, default=Recurrence.ONCE
    )
    # Python weekdays: 0 = Monday … 6 = Sunday; used by weekly invitations.
    weekdays = models.JSONField(_("days of the week"), default=list, blank=True)
    starts_on = models.DateField(_("date"))
    ends_on = models.DateField(
        _("last date"), null=True, blank=True, help_text=_("For a recurring invitation.")
    )
    start_time = models.TimeField(_("from"))
    end_time = models.TimeField(_("until"))

    volunteers_min = models.PositiveSmallIntegerField(_("volunteers needed, at least"), default=2)
    volunteers_max = models.PositiveSmallIntegerField(_("volunteers needed, at most"), default=4)
    languages = models.JSONField(_("languages wanted"), default=list, blank=True)
    briefing = models.TextField(
        _("what the volunteers should know"),
        max_length=4000,
        blank=True,
        help_text=_("Risks, customs, what to wear or bring."),
    )

    # Shown only to the assigned team and the field coordinators.
    place = EncryptedCharField(_("exact place"), max_length=200, blank=True)
    coordinates = EncryptedCharField(
        _("map coordinates"), max_length=60, blank=True, help_text=_("e.g. 31.9270, 35.0750")
    )

    signup_cutoff_hours = models.PositiveSmallIntegerField(
        _("sign-up and cancellation close (hours before the start)"), default=3
    )
    checkin_every_hours = models.PositiveSmallIntegerField(
        _("check in every (hours)"), null=True, blank=True
    )

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("entered by"),
    )
    invited_via = models.CharField(
        _("how the community invited"),
        max_length=16,
        choices=InvitedVia.choices,
        default=InvitedVia.PLATFORM,
    )
    # When a coordinator enters it on a partner's behalf: who invited. Encrypted: a name.
    invited_by = EncryptedCharField(_("who invited"), max_length=150, blank=True)

    status = models.CharField(
        _("status"),
        max_length=16,
        choices=InvitationStatus.choices,
        default=InvitationStatus.ACTIVE,
        db_index=True,
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("changed"), default=timezone.now)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["starts_on", "start_time", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(volunteers_min__gte=1), name="field_invitation_needs_someone"
            ),
            models.CheckConstraint(
                condition=Q(volunteers_max__gte=F("volunteers_min")),
                name="field_invitation_max_at_least_min",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="field_invitation_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.community} · {self.get_kind_display()} · {self.starts_on}"


# --- shifts ----------------------------------------------------------------------------------


class ShiftQuerySet(models.QuerySet["Shift"]):
    def live(self) -> ShiftQuerySet:
        """Not cancelled, of an invitation that is not cancelled."""
        return self.filter(is_cancelled=False, invitation__status=InvitationStatus.ACTIVE)

    def of_team(self, team: Group) -> ShiftQuerySet:
        return self.filter(invitation__community__group=team)

    def between(self, start: object, end: object) -> ShiftQuerySet:
        """Shifts that overlap the span [start, end)."""
        return self.filter(starts_at__lt=end, ends_at__gt=start)


class Shift(models.Model):
    """One occurrence of an invitation: a span of time with places for volunteers."""

    invitation = models.ForeignKey(
        Invitation, on_delete=models.PROTECT, related_name="shifts", verbose_name=_("invitation")
    )
    starts_at = models.DateTimeField(_("starts"), db_index=True)
    ends_at = models.DateTimeField(_("ends"))
    places = models.PositiveSmallIntegerField(_("places"))
    min_volunteers = models.PositiveSmallIntegerField(_("volunteers needed, at least"))
    # Sign-up and self-cancellation close at this moment (coordinators can still assign).
    cutoff_at = models.DateTimeField(_("sign-up closes"))
    checkin_every_hours = models.PositiveSmallIntegerField(
        _("check in every (hours)"), null=True, blank=True
    )
    is_cancelled = models.BooleanField(_("cancelled"), default=False)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    changed_at = models.DateTimeField(_("changed"), default=timezone.now)

    objects = ShiftQuerySet.as_manager()

    class Meta:
        verbose_name = _("shift")
        verbose_name_plural = _("shifts")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="field_shift_ends_after_start"
            ),
            models.CheckConstraint(condition=Q(places__gte=1), name="field_shift_has_places"),
            models.UniqueConstraint(
                fields=["invitation", "starts_at"], name="field_shift_once_per_start"
            ),
        ]
        indexes = [models.Index(fields=["ends_at"], name="field_shift_ends_at")]

    def __str__(self) -> str:
        return f"{self.invitation} · {self.starts_at:%Y-%m-%d %H:%M}"


class SignUpStatus(models.TextChoices):
    CONFIRMED = "confirmed", pgettext_lazy("sign-up status", "Confirmed")
    WAITING = "waiting", _("On the waiting list")
    OFFERED = "offered", _("Offered a place")
    CANCELLED = "cancelled", pgettext_lazy("sign-up status", "Cancelled")


# Who holds a place: confirmed people, and the one the place is offered to until it expires.
HOLDING_PLACE = (SignUpStatus.CONFIRMED, SignUpStatus.OFFERED)
# Who is on a shift's roster: holding a place or waiting for one (not who cancelled).
ON_THE_ROSTER = (SignUpStatus.CONFIRMED, SignUpStatus.OFFERED, SignUpStatus.WAITING)


class SignUp(models.Model):
    """A volunteer on a shift's roster, on its waiting list, or offered a freed place."""

    shift = models.ForeignKey(Shift, on_delete=models.CASCADE, related_name="signups")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="shift_signups"
    )
    status = models.CharField(_("status"), max_length=16, choices=SignUpStatus.choices)
    # Queue order on the waiting list; reset when someone signs up again after cancelling.
    joined_at = models.DateTimeField(_("signed up"), default=timezone.now)
    offer_expires_at = models.DateTimeField(_("offer expires"), null=True, blank=True)
    # The evening before: the volunteer confirmed they are still coming.
    reconfirmed_at = models.DateTimeField(_("confirmed the evening before"), null=True, blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("assigned by"),
    )
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)

    class Meta:
        verbose_name = _("sign-up")
        verbose_name_plural = _("sign-ups")
        ordering = ["shift", "joined_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["shift", "user"], name="field_signup_once"),
        ]
        indexes = [
            models.Index(fields=["shift", "status"], name="field_signup_shift_status"),
            models.Index(fields=["user", "status"], name="field_signup_user_status"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} · {self.shift_id} · {self.status}"


# --- safety check-ins ------------------------------------------------------------------------


class CheckInKind(models.TextChoices):
    ARRIVAL = "arrival", _("On arrival")
    DURING = "during", _("While there")
    LEAVING = "leaving", _("On leaving")
    EXTRA = "extra", _("Unplanned")


class CheckInAnswer(models.TextChoices):
    OK = "ok", _("OK")
    HELP = "help", _("Need help")


class CheckIn(models.Model):
    """One check-in a volunteer on a shift owes (planned from the shift's check-in plan when
    their place is confirmed) or gave unplanned. Unanswered past its due time and the grace
    period, it is missed and escalates."""

    row_key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    signup = models.ForeignKey(SignUp, on_delete=models.CASCADE, related_name="checkins")
    kind = models.CharField(_("check-in"), max_length=16, choices=CheckInKind.choices)
    due_at = models.DateTimeField(_("due"))
    answered_at = models.DateTimeField(_("checked in"), null=True, blank=True)
    answer = models.CharField(_("answer"), max_length=8, choices=CheckInAnswer.choices, blank=True)
    note = EncryptedTextField(_("note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")
        ordering = ["due_at", "pk"]
        indexes = [
            models.Index(fields=["answered_at", "due_at"], name="field_checkin_open_due"),
        ]

    def __str__(self) -> str:
        return f"{self.signup_id} · {self.kind} · {self.due_at:%Y-%m-%d %H:%M}"


class EscalationReason(models.TextChoices):
    MISSED = "missed", _("Missed check-in")
    HELP = "help", _("Asked for help")


class EscalationLevel(models.IntegerChoices):
    TEAM = 0, _("The team")
    COORDINATORS = 1, _("Field coordinators")
    SUPPORT_GROUP = 2, _("Core members of the volunteer's support group")


class EscalationQuerySet(models.QuerySet["Escalation"]):
    def open(self) -> EscalationQuerySet:
        return self.filter(acknowledged_at__isnull=True)


class Escalation(models.Model):
    """A missed check-in or a call for help, and who has been told. It goes one level further
    each time it stays unacknowledged for the team's interval; acknowledging stops it."""

    checkin = models.OneToOneField(CheckIn, on_delete=models.CASCADE, related_name="escalation")
    reason = models.CharField(_("reason"), max_length=8, choices=EscalationReason.choices)
    level = models.PositiveSmallIntegerField(
        _("told so far"), choices=EscalationLevel.choices, default=EscalationLevel.TEAM
    )
    raised_at = models.DateTimeField(_("raised"), default=timezone.now)
    level_changed_at = models.DateTimeField(_("last told"), default=timezone.now)
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("acknowledged by"),
    )
    acknowledgement = EncryptedTextField(_("what was done"), max_length=1000, blank=True)
    row_key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    objects = EscalationQuerySet.as_manager()

    class Meta:
        verbose_name = _("escalation")
        verbose_name_plural = _("escalations")
        ordering = ["-raised_at", "-pk"]
        indexes = [
            models.Index(fields=["acknowledged_at", "level_changed_at"], name="field_esc_open"),
        ]

    def __str__(self) -> str:
        return f"{self.checkin_id} · {self.reason} · {self.level}"


class IncidentKind(models.TextChoices):
    DETENTION = "detention", _("Detention or arrest")
    INJURY = "injury", _("Injury")
    DEPORTATION = "deportation", _("Deportation order")
    CONFISCATION = "confiscation", _("Confiscation")
    SETTLER_ATTACK = "settler_attack", _("Settler attack")
    ARMY_ATTACK = "army_attack", _("Army attack")
    OTHER = "other", pgettext_lazy("kind of incident", "Other")


class IncidentNote(models.Model):
    """A quick note from the field, for the documentation work that comes later: what happened,
    when, on which shift. The note itself is encrypted."""

    row_key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    shift = models.ForeignKey(Shift, on_delete=models.PROTECT, related_name="incident_notes")
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reported by"),
    )
    kind = models.CharField(_("what happened"), max_length=16, choices=IncidentKind.choices)
    occurred_at = models.DateTimeField(_("when"), default=timezone.now)
    note = EncryptedTextField(_("note"), max_length=2000, blank=True)
    created_at = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        verbose_name = _("incident note")
        verbose_name_plural = _("incident notes")
        ordering = ["-occurred_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.shift_id} · {self.kind}"


# --- calendar feeds --------------------------------------------------------------------------


class CalendarFeed(models.Model):
    """A private iCalendar address: a volunteer's shifts, or (with `community`) a partner's
    invitations. The token is looked up by its hash and kept encrypted so that its owner can
    copy the address again; revoking it ends the address for good."""

    row_key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feeds"
    )
    community = models.ForeignKey(
        PartnerCommunity, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    token = EncryptedCharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(revoked_at__isnull=True, community__isnull=True),
                name="field_feed_one_live_of_shifts",
            ),
            models.UniqueConstraint(
                fields=["user", "community"],
                condition=Q(revoked_at__isnull=True, community__isnull=False),
                name="field_feed_one_live_per_community",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} · {self.community_id or '-'}"
