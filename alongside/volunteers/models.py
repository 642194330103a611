"""The volunteer pipeline: from an application to a support group, through screening,
references and training, to time in the field and speaking at home after return.

What identifies a volunteer or says when they travel (name, phone, emergency contact, presence
dates, references, screening notes) is encrypted at rest with `alongside.lib.crypto`: a leaked
list of volunteers and their travel dates harms them at the border. Only what the board must
filter on stays in clear: the stage, the group, the languages, the country.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from alongside.lib.crypto import EncryptedCharField, EncryptedDateField, EncryptedTextField
from alongside.movement.models import Group, PrinciplesVersion


class Stage(models.TextChoices):
    DRAFT = "draft", _("Draft")
    # Contexts: the same English words head columns elsewhere ("Received" = a date there).
    RECEIVED = "received", pgettext_lazy("application stage", "Received")
    INTERVIEW = "interview", _("Interview")
    REFERENCES = "references", _("References")
    TRAINING = "training", _("Training")
    READY = "ready", _("Ready")
    IN_FIELD = "in_field", _("In the field")
    RETURNED = "returned", _("Returned")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    DECLINED = "declined", _("Declined")


# The board's columns, in pipeline order; a draft is the applicant's own until they submit it.
BOARD_STAGES = (
    Stage.RECEIVED,
    Stage.INTERVIEW,
    Stage.REFERENCES,
    Stage.TRAINING,
    Stage.READY,
    Stage.IN_FIELD,
    Stage.RETURNED,
)
CLOSED_STAGES = (Stage.RETURNED, Stage.WITHDRAWN, Stage.DECLINED)
# Volunteers who have not yet returned must agree again to a new version of the principles.
ACTIVE_STAGES = tuple(s for s in Stage if s not in CLOSED_STAGES)


class CampaignPeriod(models.Model):
    """A group's recruitment round for a period in the field."""

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="campaign_periods")
    name_en = models.CharField(_("name (English)"), max_length=120)
    name_ar = models.CharField(_("name (Arabic)"), max_length=120, blank=True)
    starts_on = models.DateField(_("starts"))
    ends_on = models.DateField(_("ends"))
    target_volunteers = models.PositiveIntegerField(_("target number of volunteers"))

    class Meta:
        verbose_name = _("campaign period")
        verbose_name_plural = _("campaign periods")
        ordering = ["group", "-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")),
                name="volunteers_campaign_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.name_en


class ApplicationQuerySet(models.QuerySet["Application"]):
    def submitted(self) -> ApplicationQuerySet:
        return self.exclude(stage=Stage.DRAFT)

    def active(self) -> ApplicationQuerySet:
        return self.filter(stage__in=ACTIVE_STAGES)


class Application(models.Model):
    """One person's application to one support group, and where it stands in the pipeline.

    The person signs in with their account's email; nothing else here is needed to reach them.
    """

    row_key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="applications"
    )
    group = models.ForeignKey(Group, on_delete=models.PROTECT, related_name="applications")
    campaign_period = models.ForeignKey(
        CampaignPeriod,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="applications",
        verbose_name=_("campaign period"),
    )
    stage = models.CharField(
        _("stage"), max_length=16, choices=Stage.choices, default=Stage.DRAFT, db_index=True
    )

    # Who they are. Name and phone identify the person: encrypted.
    full_name = EncryptedCharField(_("full name"), max_length=150, blank=True)
    country = models.CharField(
        _("country"), max_length=2, blank=True, help_text=_("Where you live now.")
    )
    languages = models.JSONField(_("languages"), default=list, blank=True)
    phone = EncryptedCharField(_("phone number"), max_length=40, blank=True)
    motivation = EncryptedTextField(_("why you want to go"), max_length=4000, blank=True)
    experience = EncryptedTextField(_("relevant experience"), max_length=4000, blank=True)

    # The presence window: when they plan to be in the field. Travel dates: encrypted.
    arrival_on = EncryptedDateField(_("arrival"), null=True, blank=True)
    departure_on = EncryptedDateField(_("departure"), null=True, blank=True)
    dates_flexible = models.BooleanField(_("my dates are flexible"), default=False)

    emergency_contact_name = EncryptedCharField(
        _("emergency contact: name"), max_length=150, blank=True
    )
    emergency_contact_phone = EncryptedCharField(
        _("emergency contact: phone"), max_length=40, blank=True
    )

    # What the applicant typed but has not yet submitted or that did not validate yet (JSON of
    # the form's raw values), so that nothing is lost on an error or a dropped connection.
    draft = EncryptedTextField(_("draft"), blank=True)

    # The current step: who owns it and by when.
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_applications",
        verbose_name=_("owner"),
    )
    step_due_on = models.DateField(_("step due"), null=True, blank=True, db_index=True)
    interview_at = models.DateTimeField(_("interview"), null=True, blank=True)
    interview_outcome = EncryptedTextField(_("interview outcome"), max_length=4000, blank=True)
    decision_reason = EncryptedTextField(_("reason for the decision"), max_length=2000, blank=True)

    stay_in_touch = models.BooleanField(
        _("keep my data after I return, to stay in touch"), default=False
    )
    created_at = models.DateTimeField(_("started"), default=timezone.now)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    stage_changed_at = models.DateTimeField(_("stage changed"), default=timezone.now)
    returned_on = models.DateField(_("returned"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["-submitted_at", "-created_at"]
        indexes = [models.Index(fields=["group", "stage"], name="volunteers_app_group_stage")]
        constraints = [
            # One open application per person and group; a closed one may be followed by another.
            models.UniqueConstraint(
                fields=["user", "group"],
                condition=~Q(stage__in=["returned", "withdrawn", "declined"]),
                name="volunteers_one_open_application",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.group} · {self.get_stage_display()} · #{self.pk}"

    @property
    def is_overdue(self) -> bool:
        return self.step_due_on is not None and self.step_due_on < timezone.localdate()


class StageChange(models.Model):
    """The history of an application's stages, for the applicant's page and the board."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="stage_changes"
    )
    from_stage = models.CharField(max_length=16, choices=Stage.choices)
    to_stage = models.CharField(max_length=16, choices=Stage.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["application", "changed_at", "pk"]

    def __str__(self) -> str:
        return f"{self.from_stage} → {self.to_stage}"


class PrinciplesAgreement(models.Model):
    """A person agreed to each principle of one version of a group's principles."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="principles_agreements"
    )
    version = models.ForeignKey(
        PrinciplesVersion, on_delete=models.PROTECT, related_name="agreements"
    )
    agreed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("principles agreement")
        verbose_name_plural = _("principles agreements")
        constraints = [
            models.UniqueConstraint(fields=["user", "version"], name="volunteers_agreement_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} · {self.version}"


class Reference(models.Model):
    """A referee named by the applicant. They answer through a one-time link that expires;
    only a hash of the link's token is kept."""

    row_key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="references"
    )
    position = models.PositiveSmallIntegerField()
    name = EncryptedCharField(_("name"), max_length=150)
    email = EncryptedCharField(_("email address"), max_length=254)
    token_hash = models.CharField(max_length=64, unique=True, null=True, blank=True)
    requested_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    knows_applicant_for = EncryptedTextField(_("how you know the applicant"), blank=True)
    recommends = models.BooleanField(_("recommends"), null=True, blank=True)
    comments = EncryptedTextField(_("comments"), max_length=4000, blank=True)

    class Meta:
        verbose_name = _("reference")
        verbose_name_plural = _("references")
        ordering = ["application", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "position"], name="volunteers_reference_position"
            ),
        ]

    def __str__(self) -> str:
        return f"reference {self.position} of #{self.application_id}"


class ScreeningNote(models.Model):
    """A core member's note on an application: encrypted, shown only to the group's core
    members, every read audited."""

    row_key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    body = EncryptedTextField(_("note"), max_length=4000)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("screening note")
        verbose_name_plural = _("screening notes")
        ordering = ["application", "created_at"]

    def __str__(self) -> str:
        return f"note on #{self.application_id}"


class QualificationKind(models.Model):
    """Something a volunteer can be trained for: the movement's two-day training, a legal
    briefing, first aid. Field work checks these at sign-up."""

    slug = models.SlugField(unique=True)
    name_en = models.CharField(_("name (English)"), max_length=120)
    name_ar = models.CharField(_("name (Arabic)"), max_length=120, blank=True)
    valid_for_days = models.PositiveIntegerField(
        _("valid for (days)"), null=True, blank=True, help_text=_("Empty: does not expire.")
    )

    class Meta:
        verbose_name = _("kind of qualification")
        verbose_name_plural = _("kinds of qualification")
        ordering = ["name_en"]

    def __str__(self) -> str:
        return self.name_en


class Training(models.Model):
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="trainings")
    qualification = models.ForeignKey(
        QualificationKind,
        on_delete=models.PROTECT,
        related_name="trainings",
        verbose_name=_("qualification granted"),
    )
    title_en = models.CharField(_("title (English)"), max_length=160)
    title_ar = models.CharField(_("title (Arabic)"), max_length=160, blank=True)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    is_online = models.BooleanField(_("online"), default=False)
    language = models.CharField(_("language"), max_length=8, default="en")
    capacity = models.PositiveIntegerField(_("places"))
    trainers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="trainings_given"
    )

    class Meta:
        verbose_name = _("training")
        verbose_name_plural = _("trainings")
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")),
                name="volunteers_training_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(capacity__gte=1), name="volunteers_training_has_places"
            ),
        ]

    def __str__(self) -> str:
        return self.title_en


class RegistrationStatus(models.TextChoices):
    REGISTERED = "registered", pgettext_lazy("registration status", "Registered")
    WAITLISTED = "waitlisted", _("On the waiting list")
    CANCELLED = "cancelled", _("Cancelled")


class TrainingRegistration(models.Model):
    training = models.ForeignKey(Training, on_delete=models.CASCADE, related_name="registrations")
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="training_registrations"
    )
    status = models.CharField(max_length=16, choices=RegistrationStatus.choices)
    registered_at = models.DateTimeField(default=timezone.now)
    attended = models.BooleanField(null=True, blank=True)

    class Meta:
        ordering = ["training", "registered_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["training", "application"], name="volunteers_register_once"
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.application_id} · {self.training_id} · {self.status}"


class Qualification(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="qualifications"
    )
    kind = models.ForeignKey(QualificationKind, on_delete=models.PROTECT, related_name="+")
    granted_on = models.DateField(default=timezone.localdate)
    expires_on = models.DateField(null=True, blank=True)
    training = models.ForeignKey(
        Training, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("qualification")
        verbose_name_plural = _("qualifications")
        ordering = ["user", "-granted_on"]

    def __str__(self) -> str:
        return f"{self.user_id} · {self.kind}"


class ReportBack(models.Model):
    """A talk or event a returned volunteer gave at home: the movement's outreach."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="report_backs"
    )
    held_on = models.DateField(_("date"))
    audience = models.CharField(_("audience"), max_length=200)
    place = models.CharField(_("place"), max_length=200)
    size = models.PositiveIntegerField(_("number of people"))

    class Meta:
        verbose_name = _("talk or event")
        verbose_name_plural = _("talks and events")
        ordering = ["-held_on"]

    def __str__(self) -> str:
        return f"{self.held_on} · {self.audience}"


class PipelineSettings(models.Model):
    """A group's rules for its pipeline."""

    group = models.OneToOneField(Group, on_delete=models.CASCADE, related_name="pipeline")
    retention_months = models.PositiveSmallIntegerField(
        _("keep personal data for (months after return)"), default=12
    )

    class Meta:
        verbose_name = _("pipeline settings")
        verbose_name_plural = _("pipeline settings")

    def __str__(self) -> str:
        return str(self.group)


class OutcomeCount(models.Model):
    """What remains of purged applications: anonymous counts per group, year and final stage."""

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    stage = models.CharField(max_length=16, choices=Stage.choices)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["group", "year", "stage"], name="volunteers_outcome_count_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.group_id} {self.year} {self.stage}: {self.count}"


class OutreachCount(models.Model):
    """What remains of purged report-backs: how many talks and how many people they reached,
    per group and year."""

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    talks = models.PositiveIntegerField(default=0)
    people = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["group", "year"], name="volunteers_outreach_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.group_id} {self.year}: {self.talks} talks"


class SafeSpaceContact(models.Model):
    """A core member the group designated to receive its safe-space concerns. When a group has
    designated nobody, every core member receives them (see `actions/safe_space.py`)."""

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="safe_space_contacts")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("safe-space contact")
        verbose_name_plural = _("safe-space contacts")
        ordering = ["group", "added_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["group", "user"], name="volunteers_safe_space_contact"),
        ]

    def __str__(self) -> str:
        return f"{self.group_id} · {self.user_id}"


class SafeSpaceConcern(models.Model):
    """A concern raised confidentially with a group's safe-space contacts. The text is
    encrypted and every read audited; `raised_by` is empty when the person chose not to tell
    the group who they are (they then cannot be answered)."""

    row_key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="safe_space_concerns")
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    body = EncryptedTextField(_("your concern"), max_length=4000)
    created_at = models.DateTimeField(_("raised"), default=timezone.now)
    handled_at = models.DateTimeField(_("handled"), null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("safe-space concern")
        verbose_name_plural = _("safe-space concerns")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"concern #{self.pk} · {self.group_id}"

    @property
    def is_handled(self) -> bool:
        return self.handled_at is not None
