"""The movement: support groups, the people in them and their roles, versioned principles,
partner communities, and the content groups publish (pages, FAQ).

Roles are responsibilities, never ranks: a `Membership` row says that a person took on a role in
one group; a person may hold several roles in several groups. Content that groups write has
English and Arabic versions side by side (`*_en`, `*_ar`); `alongside.lib.i18n.localized` picks
the one for the reader's language.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alongside.lib.crypto import EncryptedCharField, EncryptedTextField


class GroupKind(models.TextChoices):
    SUPPORT = "support", _("Support group")
    FIELD = "field", _("Field team")


class Role(models.TextChoices):
    MEMBER = "member", _("Member")
    CORE = "core", _("Core member")
    DOCUMENTER = "documenter", _("Documenter")


PRIVILEGED_ROLES = (Role.CORE, Role.DOCUMENTER)


class GroupQuerySet(models.QuerySet["Group"]):
    def listed(self) -> GroupQuerySet:
        return self.filter(is_listed=True)

    def where(self, user: object, *, roles: tuple[str, ...] | None = None) -> GroupQuerySet:
        """Groups in which `user` holds one of `roles` (any role when None)."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        condition = Q(memberships__user=user)
        if roles:
            condition &= Q(memberships__role__in=roles)
        return self.filter(condition).distinct()


class Group(models.Model):
    """A support group abroad, or the field team in Palestine (whose core members are the field
    coordinators). One support group is the general group, for candidates with no local one."""

    slug = models.SlugField(_("address"), max_length=60, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=GroupKind.choices)
    is_general = models.BooleanField(
        _("general group"),
        default=False,
        help_text=_("Welcomes candidates from anywhere who have no local group."),
    )
    is_listed = models.BooleanField(_("listed in the directory"), default=True)
    name_en = models.CharField(_("name (English)"), max_length=120)
    name_ar = models.CharField(_("name (Arabic)"), max_length=120, blank=True)
    region_en = models.CharField(_("region (English)"), max_length=160, blank=True)
    region_ar = models.CharField(_("region (Arabic)"), max_length=160, blank=True)
    countries = models.JSONField(
        _("countries served"),
        default=list,
        blank=True,
        help_text=_("ISO country codes of the countries this group mainly serves."),
    )
    languages = models.JSONField(
        _("languages"), default=list, blank=True, help_text=_("Language codes, such as en, ar.")
    )
    summary_en = models.CharField(_("summary (English)"), max_length=280, blank=True)
    summary_ar = models.CharField(_("summary (Arabic)"), max_length=280, blank=True)
    description_en = models.TextField(_("what the group does (English, Markdown)"), blank=True)
    description_ar = models.TextField(_("what the group does (Arabic, Markdown)"), blank=True)
    how_to_reach_en = models.TextField(_("how to reach the group (English, Markdown)"), blank=True)
    how_to_reach_ar = models.TextField(_("how to reach the group (Arabic, Markdown)"), blank=True)
    public_email = models.EmailField(
        _("public email address"),
        blank=True,
        help_text=_("A shared address of the group, never a person's own."),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    objects = GroupQuerySet.as_manager()

    class Meta:
        verbose_name = _("group")
        verbose_name_plural = _("groups")
        ordering = ["-is_general", "name_en"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_general"],
                condition=Q(is_general=True),
                name="movement_group_one_general",
            ),
        ]

    def __str__(self) -> str:
        return self.name_en


class Membership(models.Model):
    """One role that one person took on in one group."""

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    created_at = models.DateTimeField(_("since"), default=timezone.now)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["group", "user__email", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "user", "role"], name="movement_membership_unique_role"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.group}"


class PartnerCommunity(models.Model):
    """A Palestinian community that invites volunteers: a village popular committee, a family,
    a local organisation. Its contacts hold the `partner` role."""

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="communities")
    slug = models.SlugField(_("address"), max_length=60)
    name_en = models.CharField(_("name (English)"), max_length=120)
    name_ar = models.CharField(_("name (Arabic)"), max_length=120, blank=True)
    locality_en = models.CharField(_("locality (English)"), max_length=160, blank=True)
    locality_ar = models.CharField(_("locality (Arabic)"), max_length=160, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("partner community")
        verbose_name_plural = _("partner communities")
        ordering = ["name_en"]
        constraints = [
            models.UniqueConstraint(fields=["group", "slug"], name="movement_community_slug"),
        ]

    def __str__(self) -> str:
        return self.name_en


class PartnerContact(models.Model):
    """A person who speaks for a partner community on the platform (the `partner` role)."""

    community = models.ForeignKey(
        PartnerCommunity, on_delete=models.CASCADE, related_name="contacts"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="partner_contacts"
    )
    created_at = models.DateTimeField(_("since"), default=timezone.now)

    class Meta:
        verbose_name = _("partner contact")
        verbose_name_plural = _("partner contacts")
        constraints = [
            models.UniqueConstraint(fields=["community", "user"], name="movement_contact_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.community}"


class PrinciplesVersion(models.Model):
    """One published version of a group's principles. Published versions never change; a new
    version is published instead, and volunteers agree to a version."""

    group = models.ForeignKey(Group, on_delete=models.PROTECT, related_name="principles_versions")
    number = models.PositiveIntegerField(_("version"))
    intro_en = models.TextField(_("introduction (English, Markdown)"), blank=True)
    intro_ar = models.TextField(_("introduction (Arabic, Markdown)"), blank=True)
    change_note_en = models.CharField(_("what changed (English)"), max_length=280, blank=True)
    change_note_ar = models.CharField(_("what changed (Arabic)"), max_length=280, blank=True)
    published_at = models.DateTimeField(_("published"), default=timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("principles version")
        verbose_name_plural = _("principles versions")
        ordering = ["group", "-number"]
        get_latest_by = "number"
        constraints = [
            # Two core members publishing at once must not both get the same number: the
            # publishing action computes N+1 inside its transaction and relies on this.
            models.UniqueConstraint(fields=["group", "number"], name="movement_principles_number"),
            models.CheckConstraint(
                condition=Q(number__gte=1), name="movement_principles_number_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.group} v{self.number}"


class Principle(models.Model):
    version = models.ForeignKey(
        PrinciplesVersion, on_delete=models.CASCADE, related_name="principles"
    )
    position = models.PositiveSmallIntegerField(_("position"))
    title_en = models.CharField(_("title (English)"), max_length=160)
    title_ar = models.CharField(_("title (Arabic)"), max_length=160, blank=True)
    text_en = models.TextField(_("text (English, Markdown)"))
    text_ar = models.TextField(_("text (Arabic, Markdown)"), blank=True)

    class Meta:
        verbose_name = _("principle")
        verbose_name_plural = _("principles")
        ordering = ["version", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "position"], name="movement_principle_position"
            ),
        ]

    def __str__(self) -> str:
        return self.title_en


class Page(models.Model):
    """A public page a group writes. The field team's pages are the movement's own (about,
    get involved)."""

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="pages")
    slug = models.SlugField(_("address"), max_length=60)
    title_en = models.CharField(_("title (English)"), max_length=160)
    title_ar = models.CharField(_("title (Arabic)"), max_length=160, blank=True)
    body_en = models.TextField(_("text (English, Markdown)"), blank=True)
    body_ar = models.TextField(_("text (Arabic, Markdown)"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_published = models.BooleanField(_("published"), default=True)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("page")
        verbose_name_plural = _("pages")
        ordering = ["group", "position", "title_en"]
        constraints = [
            models.UniqueConstraint(fields=["group", "slug"], name="movement_page_slug"),
        ]

    def __str__(self) -> str:
        return self.title_en


class FaqEntry(models.Model):
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="faq_entries")
    question_en = models.CharField(_("question (English)"), max_length=280)
    question_ar = models.CharField(_("question (Arabic)"), max_length=280, blank=True)
    answer_en = models.TextField(_("answer (English, Markdown)"))
    answer_ar = models.TextField(_("answer (Arabic, Markdown)"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_published = models.BooleanField(_("published"), default=True)

    class Meta:
        verbose_name = _("FAQ entry")
        verbose_name_plural = _("FAQ entries")
        ordering = ["group", "position", "id"]

    def __str__(self) -> str:
        return self.question_en


class ContactMessageQuerySet(models.QuerySet["ContactMessage"]):
    def unhandled(self) -> ContactMessageQuerySet:
        return self.filter(handled_at__isnull=True)

    def in_inbox_order(self) -> ContactMessageQuerySet:
        """Messages nobody has handled yet first, then the rest; newest first within each."""
        return self.order_by(F("handled_at").asc(nulls_first=True), "-received_at", "-pk")


class ContactMessage(models.Model):
    """A message sent through a group's contact form. Who wrote it and what they wrote are
    encrypted; the email notification carries only a link to the group's inbox."""

    row_key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="contact_messages")
    sender_name = EncryptedCharField(_("name"), max_length=120)
    sender_email = EncryptedCharField(_("email address"), max_length=254)
    body = EncryptedTextField(_("message"), max_length=5000)
    language = models.CharField(_("language"), max_length=8, default="en")
    received_at = models.DateTimeField(_("received"), default=timezone.now, db_index=True)
    # Set when the worker claims the notification email, so that a retried or duplicated task
    # sends nothing twice (cleared again if sending fails, so the retry does send).
    notified_at = models.DateTimeField(_("core members notified"), null=True, blank=True)
    handled_at = models.DateTimeField(_("handled"), null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = ContactMessageQuerySet.as_manager()

    class Meta:
        verbose_name = _("contact message")
        verbose_name_plural = _("contact messages")
        ordering = ["-received_at"]
        indexes = [
            # The inbox: one group's messages, newest first.
            models.Index(fields=["group", "-received_at"], name="movement_message_inbox"),
        ]

    def __str__(self) -> str:
        return f"{self.group} · {self.received_at:%Y-%m-%d %H:%M}"

    @property
    def is_handled(self) -> bool:
        return self.handled_at is not None
