"""The demo's field work: four invitations from partner communities (the weekly Friday
demonstration in Bil'in, a school-run rota in Tel Rumeida entered by the coordinator after a
phone call, the olive-harvest season in Ni'lin, a protective-presence stay at a threatened home
in Masafer Yatta), volunteers out with the teams now, their check-ins (on time, and one missed
that has been raised), a full Friday with a waiting list and an open offer, a school run that
breaks the team rules, and an incident note.

Times are relative to when the demo is loaded. The harvest (07:00-15:00) and the overnight stay
(15:00-07:30) cover the whole day, so whenever `make run` starts, one shift is in progress;
a later start puts volunteers on the shift in progress then, if it has nobody yet.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from django.utils import timezone

from alongside.accounts.models import User
from alongside.field import recurrence
from alongside.field.actions.incidents import record_incident
from alongside.field.actions.invitations import create_invitation, extend_shifts
from alongside.field.checkin_plan import plan_checkins
from alongside.field.models import (
    ActivityKind,
    CheckInAnswer,
    CheckInKind,
    IncidentKind,
    Invitation,
    InvitedVia,
    Recurrence,
    Shift,
    SignUp,
    SignUpStatus,
)
from alongside.field.rules import TRAINING_SLUG
from alongside.field.tasks.checkins import escalate_checkins
from alongside.movement.models import Group, Membership, PartnerCommunity, Role
from alongside.volunteers.models import (
    Application,
    PrinciplesAgreement,
    Qualification,
    QualificationKind,
    Stage,
)
from alongside.volunteers.principles import principles_for


@dataclass(frozen=True)
class DemoInvitation:
    key: str
    community: str
    by: str  # local part of the partner, or of the coordinator who entered it
    kind: str
    title: str
    language: str
    how: str
    weekdays: tuple[int, ...]
    starts_in_days: int
    ends_in_days: int | None
    start: dt.time
    end: dt.time
    volunteers: tuple[int, int]
    languages: tuple[str, ...]
    briefing: str
    place: str = ""
    coordinates: str = ""
    invited_via: str = InvitedVia.PLATFORM
    invited_by: str = ""


INVITATIONS = [
    DemoInvitation(
        "friday",
        "bilin",
        "partner",
        ActivityKind.DEMONSTRATION,
        "مظاهرة الجمعة",
        "ar",
        Recurrence.WEEKLY,
        (4,),
        -28,
        None,
        dt.time(12, 0),
        dt.time(15, 0),
        (3, 4),
        ("ar", "en"),
        "نلتقي بعد صلاة الجمعة قرب المسجد. قد يُطلق الغاز المسيل للدموع: أحضروا بصلاً وكمامة، "
        "والبسوا أحذية مريحة. لا تصوير للوجوه دون إذن.",
        place="ساحة المسجد الكبير، ثم الطريق الغربي نحو الجدار",
        coordinates="31.9253, 35.0782",
    ),
    DemoInvitation(
        "school",
        "tel-rumeida",
        "coordinator",
        ActivityKind.SCHOOL_RUN,
        "Walk to Cordoba school",
        "en",
        Recurrence.WEEKLY,
        (6, 0, 1, 2, 3),
        -14,
        60,
        dt.time(6, 45),
        dt.time(8, 0),
        (2, 4),
        ("ar", "en"),
        "Meet the children at the checkpoint steps. Walk behind them, never between them and the "
        "soldiers. Passports on you; no flags, no slogans.",
        place="Checkpoint 56 steps, Shuhada Street side",
        invited_via=InvitedVia.PHONE,
        invited_by="Umm Yasser, parents' committee",
    ),
    DemoInvitation(
        "harvest",
        "nilin",
        "mahmoud.nasr",
        ActivityKind.HARVEST,
        "Harvest at the western groves",
        "en",
        Recurrence.DAILY,
        (),
        -10,
        40,
        dt.time(7, 0),
        dt.time(15, 0),
        (3, 8),
        ("ar", "en"),
        "Families pick near the settlement fence, where settlers have attacked pickers before. "
        "Bring water, a hat and gloves; dress modestly. Stay with the family you are assigned to.",
        place="Western groves below the settlement fence, the Srour family's land",
        coordinates="31.8990, 35.0110",
    ),
    DemoInvitation(
        "presence",
        "masafer-yatta",
        "coordinator",
        ActivityKind.PRESENCE,
        "Nights with the family under demolition order",
        "en",
        Recurrence.DAILY,
        (),
        -5,
        20,
        dt.time(15, 0),
        dt.time(7, 30),
        (2, 3),
        ("ar", "en"),
        "The family's home has a demolition order. Sleep in the guest tent; keep phones charged "
        "and cameras ready at night. The family decides who speaks to soldiers.",
        place="The family's home below the school, Khirbet al-Fakheit",
        coordinates="31.4057, 35.1808",
        invited_via=InvitedVia.IN_PERSON,
        invited_by="Abu Hamdan, head of the family",
    ),
]


@dataclass(frozen=True)
class FieldVolunteer:
    """A volunteer out in Palestine now (the `field` persona comes from the pipeline)."""

    local_part: str
    name: str
    group: str
    languages: tuple[str, ...]
    arrived_days_ago: int
    stay_days: int


FIELD_VOLUNTEERS = [
    FieldVolunteer("ingrid.solberg", "Ingrid Solberg", "stockholm", ("sv", "en"), 20, 60),
    FieldVolunteer("malik.haddad", "Malik Haddad", "london", ("en", "ar"), 15, 45),
    FieldVolunteer("chloe.martin", "Chloé Martin", "general", ("fr", "en", "ar"), 10, 50),
    FieldVolunteer("noor.rahman", "Noor Rahman", "london", ("en", "ar"), 6, 40),
    FieldVolunteer("erik.johansson", "Erik Johansson", "stockholm", ("sv", "en"), 2, 30),
]


def load_field(
    groups: dict[str, Group],
    communities: dict[str, PartnerCommunity],
    people: dict[str, User],
    created: Counter[str],
) -> None:
    team = groups["palestine"]
    volunteers = _load_volunteers(groups, people, created)
    invitations = _load_invitations(team, communities, people, created)
    if created["field invitations"]:
        _load_story(invitations, volunteers, people, created)
    _put_a_team_on_the_shift_in_progress(invitations, volunteers, created)


# --- volunteers ------------------------------------------------------------------------------


def _demo_email(local_part: str) -> str:
    from alongside.demo.content import demo_email

    return demo_email(local_part)


def _load_volunteers(
    groups: dict[str, Group], people: dict[str, User], created: Counter[str]
) -> dict[str, User]:
    """The pipeline's `field` persona and five more volunteers in the field (accounts that
    cannot sign in), each trained, agreed to the principles, with a presence window now."""
    today = recurrence.today()
    training = QualificationKind.objects.get(slug=TRAINING_SLUG)
    volunteers = {"field": people["field"]}
    for data in FIELD_VOLUNTEERS:
        user = User.objects.filter(email=_demo_email(data.local_part)).first()
        if user is None:
            user = User.objects.create_user(_demo_email(data.local_part), None, name=data.name)
            created["people"] += 1
        group = groups[data.group]
        Membership.objects.get_or_create(group=group, user=user, role=Role.MEMBER)
        if not Application.objects.filter(user=user, group=group).exists():
            arrival = today - dt.timedelta(days=data.arrived_days_ago)
            application = Application(
                user=user,
                group=group,
                stage=Stage.IN_FIELD,
                languages=list(data.languages),
                submitted_at=timezone.now() - dt.timedelta(days=data.arrived_days_ago + 60),
            )
            # Encrypted dates: the field's stubs type them as text.
            application.arrival_on = arrival  # type: ignore[assignment]
            application.departure_on = arrival + dt.timedelta(days=data.stay_days)  # type: ignore[assignment]
            application.save()
            Qualification.objects.create(
                user=user, kind=training, granted_on=arrival - dt.timedelta(days=30)
            )
            version = principles_for(group)
            if version is not None:
                PrinciplesAgreement.objects.get_or_create(user=user, version=version)
            created["applications"] += 1
        volunteers[data.local_part] = user
    return volunteers


# --- invitations -----------------------------------------------------------------------------


def _load_invitations(
    team: Group,
    communities: dict[str, PartnerCommunity],
    people: dict[str, User],
    created: Counter[str],
) -> dict[str, Invitation]:
    today = recurrence.today()
    now = timezone.now()
    found: dict[str, Invitation] = {}
    for data in INVITATIONS:
        community = communities[data.community]
        invitation = Invitation.objects.filter(community=community, title=data.title).first()
        if invitation is None:
            invitation = create_invitation(
                actor=people[data.by],
                community=community,
                invited_via=data.invited_via,
                invited_by=data.invited_by,
                values={
                    "kind": data.kind,
                    "title": data.title,
                    "language": data.language,
                    "recurrence": data.how,
                    "weekdays": list(data.weekdays),
                    "starts_on": today + dt.timedelta(days=data.starts_in_days),
                    "ends_on": (
                        today + dt.timedelta(days=data.ends_in_days)
                        if data.ends_in_days is not None
                        else None
                    ),
                    "start_time": data.start,
                    "end_time": data.end,
                    "volunteers_min": data.volunteers[0],
                    "volunteers_max": data.volunteers[1],
                    "languages": list(data.languages),
                    "briefing": data.briefing,
                    "place": data.place,
                    "coordinates": data.coordinates,
                },
            )
            # The weeks already past, as if the invitation had been on the platform since.
            extend_shifts(invitation=invitation, now=now + dt.timedelta(days=data.starts_in_days))
            created["field invitations"] += 1
        found[data.key] = invitation
    return found


# --- the story -------------------------------------------------------------------------------


def _confirm(shift: Shift, user: User, created: Counter[str]) -> SignUp:
    """`user` confirmed on `shift`, their check-ins laid out (demo seeding, past or present:
    the sign-up action refuses shifts that have started, as it should)."""
    signup, was_created = SignUp.objects.get_or_create(
        shift=shift,
        user=user,
        defaults={
            "status": SignUpStatus.CONFIRMED,
            "joined_at": shift.starts_at - dt.timedelta(days=3),
        },
    )
    if was_created:
        created["field sign-ups"] += 1
        plan_checkins(signup)
    return signup


def _answer_due(signup: SignUp, *, until: dt.datetime, skip_kind: str | None = None) -> None:
    """Answer OK, a few minutes after each was due, the check-ins due before `until`."""
    for checkin in signup.checkins.filter(answered_at__isnull=True, due_at__lte=until):
        if checkin.kind == skip_kind:
            continue
        checkin.answered_at = checkin.due_at + dt.timedelta(minutes=4)
        checkin.answer = CheckInAnswer.OK
        checkin.save(update_fields=["answered_at", "answer"])


def _load_story(
    invitations: dict[str, Invitation],
    volunteers: dict[str, User],
    people: dict[str, User],
    created: Counter[str],
) -> None:
    now = timezone.now()
    harvest = list(invitations["harvest"].shifts.filter(ends_at__lt=now).order_by("starts_at"))
    # The last week of the harvest: three volunteers a day, every check-in given.
    rota = ["ingrid.solberg", "malik.haddad", "chloe.martin", "field"]
    for index, shift in enumerate(harvest[-7:]):
        for offset in range(3):
            signup = _confirm(shift, volunteers[rota[(index + offset) % len(rota)]], created)
            _answer_due(signup, until=now)
    witnessed = (
        Shift.objects.filter(
            pk__in=[shift.pk for shift in harvest[-7:]], signups__user=volunteers["ingrid.solberg"]
        )
        .order_by("starts_at")
        .first()
    )
    if witnessed is not None:
        record_incident(
            shift=witnessed,
            kind=IncidentKind.CONFISCATION,
            occurred_at=witnessed.starts_at + dt.timedelta(hours=3),
            note="Soldiers took two ladders and a tarpaulin from the Srour family at the "
            "western grove, saying the land was a closed military zone.",
            actor=volunteers["ingrid.solberg"],
        )
        created["field incident notes"] += 1

    # The shift before the one in progress: Malik never checked in on leaving, which has been
    # raised and waits for someone to take care of it.
    last = (
        Shift.objects.filter(
            invitation__in=[invitations["harvest"], invitations["presence"]], ends_at__lt=now
        )
        .order_by("-ends_at")
        .first()
    )
    if last is not None:
        for key in ("chloe.martin", "malik.haddad"):
            signup = _confirm(last, volunteers[key], created)
            skip = CheckInKind.LEAVING.value if key == "malik.haddad" else None
            _answer_due(signup, until=now, skip_kind=skip)
        escalate_checkins.call()

    # Next Friday in Bil'in is full: three confirmed, Noor cancelled, so Erik has been offered
    # her place (for the next hour and a half), and the field persona waits behind him.
    friday = invitations["friday"].shifts.filter(starts_at__gt=now).order_by("starts_at").first()
    if friday is not None:
        for key in ("ingrid.solberg", "malik.haddad", "chloe.martin"):
            _confirm(friday, volunteers[key], created)
        made = 0
        _signup, was_created = SignUp.objects.get_or_create(
            shift=friday,
            user=volunteers["noor.rahman"],
            defaults={"status": SignUpStatus.CANCELLED, "cancelled_at": now},
        )
        made += was_created
        _signup, was_created = SignUp.objects.get_or_create(
            shift=friday,
            user=volunteers["erik.johansson"],
            defaults={
                "status": SignUpStatus.OFFERED,
                "offer_expires_at": now + dt.timedelta(minutes=90),
                "joined_at": now - dt.timedelta(days=1),
            },
        )
        made += was_created
        _signup, was_created = SignUp.objects.get_or_create(
            shift=friday,
            user=volunteers["field"],
            defaults={"status": SignUpStatus.WAITING, "joined_at": now - dt.timedelta(hours=20)},
        )
        created["field sign-ups"] += made + was_created

    # Tomorrow's school run breaks the rules: Erik alone, and new to the field.
    school = invitations["school"].shifts.filter(starts_at__gt=now).order_by("starts_at").first()
    if school is not None:
        _confirm(school, volunteers["erik.johansson"], created)


def _put_a_team_on_the_shift_in_progress(
    invitations: dict[str, Invitation], volunteers: dict[str, User], created: Counter[str]
) -> None:
    """Whenever the demo starts: the harvest or the overnight stay in progress has a team out
    (the field persona among them) with the check-ins due so far given, the next one open."""
    now = timezone.now()
    current = (
        Shift.objects.filter(
            invitation__in=[invitations["harvest"], invitations["presence"]],
            starts_at__lte=now,
            ends_at__gt=now,
            is_cancelled=False,
        )
        .order_by("starts_at")
        .first()
    )
    if current is None or current.signups.exists():
        return
    for key in ("field", "ingrid.solberg", "noor.rahman"):
        signup = _confirm(current, volunteers[key], created)
        _answer_due(signup, until=now)
