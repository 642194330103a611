"""The demo's volunteer pipeline: applications at every stage, trainings past and upcoming,
campaign periods, written through the pipeline's own actions so that the stage history, the
audit log and the waiting list are the ones a real group would have.

Each application is told as a story: it is walked through its stages as it happened, then its
timestamps are moved back to the days the story gives (relative to today), since the actions
stamp everything "now". The audit log keeps the real time of loading: it is a chain that is
never rewritten.

Idempotent: an application is keyed on its applicant's email and its group, a campaign period
on its group and English name, a training on its group and English title. What exists is left
alone, so edits made while trying the demo survive `make run`.
"""

from __future__ import annotations

import datetime as dt
import itertools
import secrets
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import F
from django.utils import timezone

from alongside.accounts.models import User
from alongside.demo import content
from alongside.demo.content import DemoApplicant, DemoTraining
from alongside.movement.models import Group, PrinciplesVersion
from alongside.volunteers.actions.applying import (
    add_report_back,
    agree_to_principles,
    save_draft,
    submit_application,
    withdraw_application,
)
from alongside.volunteers.actions.campaigns import save_campaign_period
from alongside.volunteers.actions.screening import (
    add_screening_note,
    answer_reference,
    assign_step,
    decline_application,
    hash_token,
    record_interview_outcome,
    request_references,
    schedule_interview,
)
from alongside.volunteers.actions.stages import change_stage
from alongside.volunteers.actions.training import (
    grant_qualifications,
    record_attendance,
    register_for_training,
    save_training,
)
from alongside.volunteers.models import (
    Application,
    CampaignPeriod,
    PrinciplesAgreement,
    QualificationKind,
    Reference,
    Stage,
    StageChange,
    Training,
    TrainingRegistration,
)
from alongside.volunteers.principles import principles_for

# How each final stage is reached, step by step from `received`.
PATHS: dict[str, tuple[str, ...]] = {
    Stage.DRAFT: (),
    Stage.RECEIVED: (Stage.RECEIVED,),
    Stage.INTERVIEW: (Stage.RECEIVED, Stage.INTERVIEW),
    Stage.REFERENCES: (Stage.RECEIVED, Stage.INTERVIEW, Stage.REFERENCES),
    Stage.TRAINING: (Stage.RECEIVED, Stage.INTERVIEW, Stage.REFERENCES, Stage.TRAINING),
    Stage.READY: (
        Stage.RECEIVED, Stage.INTERVIEW, Stage.REFERENCES, Stage.TRAINING, Stage.READY,
    ),
    Stage.IN_FIELD: (
        Stage.RECEIVED, Stage.INTERVIEW, Stage.REFERENCES, Stage.TRAINING, Stage.READY,
        Stage.IN_FIELD,
    ),
    Stage.RETURNED: (
        Stage.RECEIVED, Stage.INTERVIEW, Stage.REFERENCES, Stage.TRAINING, Stage.READY,
        Stage.IN_FIELD, Stage.RETURNED,
    ),
    Stage.WITHDRAWN: (Stage.RECEIVED, Stage.INTERVIEW, Stage.REFERENCES, Stage.WITHDRAWN),
    Stage.DECLINED: (Stage.RECEIVED, Stage.INTERVIEW, Stage.DECLINED),
}  # fmt: skip
# Stages reached only after the past training (attendance and qualifications come first).
AFTER_TRAINING = (Stage.READY, Stage.IN_FIELD, Stage.RETURNED)
# When the past training's trainees were accepted and when they were ready (days from today).
PAST_TRAINEES_ACCEPTED = -25
PAST_TRAINEES_READY = -18
# An interview is scheduled this many days before it takes place.
INTERVIEW_NOTICE_DAYS = 7


@dataclass
class _Story:
    """One application being loaded: its record and the days its steps happened."""

    person: DemoApplicant
    application: Application
    days: dict[str, float] = field(default_factory=dict)


def load_pipeline(groups: dict[str, Group], people: dict[str, User], created: Counter[str]) -> None:
    today = timezone.localdate()
    campaigns = _load_campaign_periods(groups, people["core"], today, created)
    stories = _load_applications(groups, people, campaigns, created)
    past = [t for t in content.TRAININGS if t.starts_in_days < 0]
    upcoming = [t for t in content.TRAININGS if t.starts_in_days >= 0]
    for story in stories:
        _walk(story, people, until_training=True)
    for training in past:
        _load_past_training(training, groups, people, stories, created)
    for story in stories:
        _walk(story, people, until_training=False)
    for training in upcoming:
        _load_upcoming_training(training, groups, people, stories, created)
    for story in stories:
        _screen(story, people, created)
        _report_back(story, created)
    for story in stories:
        _date_back(story)


# --- campaign periods and applications -------------------------------------------------------


def _load_campaign_periods(
    groups: dict[str, Group], actor: User, today: dt.date, created: Counter[str]
) -> dict[tuple[str, str], CampaignPeriod]:
    periods: dict[tuple[str, str], CampaignPeriod] = {}
    for data in content.CAMPAIGN_PERIODS:
        group = groups[data["group"]]
        period = CampaignPeriod.objects.filter(group=group, name_en=data["name_en"]).first()
        if period is None:
            period = save_campaign_period(
                actor=actor,
                group=group,
                period=None,
                values={
                    "name_en": data["name_en"],
                    "name_ar": data["name_ar"],
                    "starts_on": today + dt.timedelta(days=data["starts_in_days"]),
                    "ends_on": today + dt.timedelta(days=data["ends_in_days"]),
                    "target_volunteers": data["target_volunteers"],
                },
            )
            created["campaign periods"] += 1
        periods[(group.slug, period.name_en)] = period
    return periods


def _applicant_user(person: DemoApplicant, people: dict[str, User]) -> User:
    """The personas exist already; the other applicants are accounts that cannot sign in."""
    if person.local_part in people:
        return people[person.local_part]
    user = User.objects.filter(email=person.email).first()
    if user is None:
        user = User.objects.create_user(person.email, None, name=person.name)
    return user


def _load_applications(
    groups: dict[str, Group],
    people: dict[str, User],
    campaigns: dict[tuple[str, str], CampaignPeriod],
    created: Counter[str],
) -> list[_Story]:
    """Create the applications that are missing, as drafts or sent (at `received`)."""
    stories: list[_Story] = []
    for person in content.APPLICANTS:
        group = groups[person.group]
        user = _applicant_user(person, people)
        if Application.objects.filter(user=user, group=group).exists():
            continue
        if person.stage == Stage.DRAFT:
            draft = save_draft(
                user=user,
                application=None,
                values={
                    "group": str(group.pk),
                    "full_name": person.name,
                    "country": person.country,
                    "languages": list(person.languages),
                    "motivation": person.motivation,
                },
            )
            assert draft is not None
            stories.append(_Story(person, draft))
            created["applications"] += 1
            continue
        application = submit_application(
            user=user, application=None, data=_form_data(person, group)
        )
        # Submitting files it in the round of its arrival date; the story may say otherwise.
        intended = campaigns.get((group.slug, person.campaign))
        if application.campaign_period_id != (intended.pk if intended else None):
            application.campaign_period = intended
            application.save(update_fields=["campaign_period"])
        # The version current when they applied, and the current one: the pipeline takes no
        # step toward the field before the volunteer has agreed to it.
        versions = (_principles_version(person.principles_version), principles_for(group))
        for version in dict.fromkeys(v for v in versions if v is not None):
            agree_to_principles(user=user, version=version)
        stories.append(_Story(person, application, days=_step_days(person)))
        created["applications"] += 1
    return stories


def _form_data(person: DemoApplicant, group: Group) -> dict[str, object]:
    """What the applicant typed into the application form, cleaned."""
    today = timezone.localdate()
    arrival = (
        today + dt.timedelta(days=person.arrival_in_days)
        if person.arrival_in_days is not None
        else None
    )
    data: dict[str, object] = {
        "group": group,
        "full_name": person.name,
        "country": person.country,
        "languages": list(person.languages),
        "phone": person.phone,
        "motivation": person.motivation,
        "experience": person.experience,
        "arrival_on": arrival,
        "departure_on": arrival + dt.timedelta(days=person.stay_days) if arrival else None,
        "dates_flexible": person.dates_flexible,
        "emergency_contact_name": person.emergency_contact[0],
        "emergency_contact_phone": person.emergency_contact[1],
        "stay_in_touch": person.stay_in_touch,
    }
    for position, (name, email) in enumerate(person.references, start=1):
        data[f"reference_{position}_name"] = name
        data[f"reference_{position}_email"] = email
    return data


def _principles_version(number: int) -> PrinciplesVersion | None:
    return PrinciplesVersion.objects.filter(group__slug="palestine", number=number).first()


def _step_days(person: DemoApplicant) -> dict[str, float]:
    """The day (relative to today) of each step of the person's path: the days the story
    fixes, and the steps between them spread evenly."""
    path = PATHS[person.stage]
    fixed: dict[str, float] = {Stage.RECEIVED: -person.submitted_days_ago}
    if person.interview_in_days is not None and Stage.INTERVIEW in path:
        # Scheduled a week ahead, but never before the application arrived.
        fixed[Stage.INTERVIEW] = max(
            person.interview_in_days - INTERVIEW_NOTICE_DAYS, -person.submitted_days_ago + 1
        )
    if content.PAST_TRAINING in person.trainings:
        fixed[Stage.TRAINING] = PAST_TRAINEES_ACCEPTED
        if person.attended_past_training:
            fixed[Stage.READY] = PAST_TRAINEES_READY
    if person.arrival_in_days is not None:
        fixed[Stage.IN_FIELD] = person.arrival_in_days
        fixed[Stage.RETURNED] = person.arrival_in_days + person.stay_days
    last = path[-1]
    fixed.setdefault(last, -max(1, person.submitted_days_ago // 4))
    anchors = [(i, fixed[stage]) for i, stage in enumerate(path) if stage in fixed]
    days: dict[str, float] = {}
    for (start, start_day), (end, end_day) in itertools.pairwise(anchors):
        if end_day <= start_day:
            raise ValueError(f"{person.local_part}: {path[end]} is not after {path[start]}")
        for i in range(start, end + 1):
            days[path[i]] = start_day + (end_day - start_day) * (i - start) / (end - start)
    days.setdefault(path[0], fixed[path[0]])
    return days


def _walk(story: _Story, people: dict[str, User], *, until_training: bool) -> None:
    """Move the application along its path, up to the training or on to its end. The group
    moves it without emails: these steps are history, nobody is waiting to hear of them."""
    person = story.person
    core = _core_of(person.group, people)
    path = PATHS[person.stage]
    if story.application.stage not in path:
        return  # a draft stays a draft
    for stage in path[path.index(story.application.stage) + 1 :]:
        if until_training and stage in AFTER_TRAINING:
            break
        if stage == Stage.WITHDRAWN:
            story.application = withdraw_application(
                application=story.application, actor=story.application.user
            )
        elif stage == Stage.DECLINED:
            story.application = decline_application(
                actor=core, application=story.application, reason=person.decision_reason
            )
        else:
            story.application = change_stage(
                application=story.application, to_stage=stage, actor=core, notify=False
            )


def _core_of(group_slug: str, people: dict[str, User]) -> User:
    return people[{"london": "outsider", "general": "youssef.amr"}.get(group_slug, "core")]


# --- trainings -------------------------------------------------------------------------------


def _training(
    training: DemoTraining,
    groups: dict[str, Group],
    people: dict[str, User],
    starts_in_days: float,
    created: Counter[str],
) -> Training | None:
    """Create the training when missing (None when it exists: it is left alone)."""
    group = groups[training.group]
    if Training.objects.filter(group=group, title_en=training.title_en).exists():
        return None
    starts = _at(starts_in_days, hour=17)
    obj = save_training(
        actor=_core_of(training.group, people),
        group=group,
        values={
            "title_en": training.title_en,
            "title_ar": training.title_ar,
            "qualification": QualificationKind.objects.get(slug=training.qualification),
            "starts_at": starts,
            "ends_at": starts + dt.timedelta(days=training.days - 1, hours=8),
            "place": training.place,
            "is_online": training.is_online,
            "language": training.language,
            "capacity": training.capacity,
        },
        trainers=[people[local_part] for local_part in training.trainers],
    )
    created["trainings"] += 1
    return obj


def _register(training: Training, stories: list[_Story], created: Counter[str]) -> None:
    for story in stories:
        if training.title_en in story.person.trainings:
            register_for_training(
                training=training, application=story.application, actor=story.application.user
            )
            created["training registrations"] += 1


def _load_past_training(
    training: DemoTraining,
    groups: dict[str, Group],
    people: dict[str, User],
    stories: list[_Story],
    created: Counter[str],
) -> None:
    """People register before a training starts, so the past one is first set up as the
    coming one it was, then moved back to its days; attendance and qualifications follow."""
    obj = _training(training, groups, people, starts_in_days=1, created=created)
    if obj is None:
        return
    _register(obj, stories, created)
    starts = _at(training.starts_in_days, hour=17)
    Training.objects.filter(pk=obj.pk).update(
        starts_at=starts, ends_at=starts + dt.timedelta(days=training.days - 1, hours=8)
    )
    TrainingRegistration.objects.filter(training=obj).update(
        registered_at=starts - dt.timedelta(days=12)
    )
    obj.refresh_from_db()
    came = {
        registration.pk
        for registration in obj.registrations.select_related("application")
        if _story_of(registration.application_id, stories).person.attended_past_training
    }
    core = _core_of(training.group, people)
    record_attendance(training=obj, attended=came, actor=core)
    created["qualifications"] += grant_qualifications(training=obj, actor=core)


def _load_upcoming_training(
    training: DemoTraining,
    groups: dict[str, Group],
    people: dict[str, User],
    stories: list[_Story],
    created: Counter[str],
) -> None:
    obj = _training(training, groups, people, training.starts_in_days, created)
    if obj is not None:
        _register(obj, stories, created)


def _story_of(application_id: int, stories: list[_Story]) -> _Story:
    return next(s for s in stories if s.application.pk == application_id)


# --- screening, report-backs, dates ----------------------------------------------------------


def _screen(story: _Story, people: dict[str, User], created: Counter[str]) -> None:
    person, application = story.person, story.application
    if person.stage == Stage.DRAFT:
        return
    core = _core_of(person.group, people)
    if person.interview_in_days is not None:
        application = schedule_interview(
            actor=core, application=application, at=_at(person.interview_in_days, hour=18)
        )
    if person.interview_outcome:
        record_interview_outcome(
            actor=core, application=application, outcome=person.interview_outcome
        )
    for body in person.notes:
        add_screening_note(actor=core, application=application, body=body)
        created["screening notes"] += 1
    if person.stage == Stage.REFERENCES:
        _one_reference_answered(application, core)
    if person.owner:
        assign_step(
            actor=core,
            application=application,
            owner=people[person.owner],
            due_on=timezone.localdate() + dt.timedelta(days=person.due_in_days or 0),
        )
    story.application = application


def _one_reference_answered(application: Application, core: User) -> None:
    """Both referees are asked; the first answers through their link. The link's token went
    out by email and only its hash is kept, so the first referee gets a known one here."""
    request_references(actor=core, application=application)
    first = application.references.order_by("position").first()
    if first is None:
        return
    token = secrets.token_urlsafe(32)
    Reference.objects.filter(pk=first.pk).update(token_hash=hash_token(token))
    answer_reference(
        token=token,
        knows_applicant_for="We worked together for three years; I have seen them stay calm.",
        recommends=True,
        comments="Reliable, a good listener, takes direction from the people affected.",
    )


def _report_back(story: _Story, created: Counter[str]) -> None:
    application = story.application
    for talk in story.person.report_backs:
        add_report_back(
            application=application,
            actor=application.user,
            data={
                "held_on": timezone.localdate() + dt.timedelta(days=talk["held_in_days"]),
                "audience": talk["audience"],
                "place": talk["place"],
                "size": talk["size"],
            },
        )
        created["report-backs"] += 1


def _date_back(story: _Story) -> None:
    """Move the timestamps the actions wrote "now" to the days of the story."""
    application = story.application
    if application.stage == Stage.DRAFT:
        Application.objects.filter(pk=application.pk).update(created_at=_at(-3, hour=20))
        return
    path = PATHS[story.person.stage]
    at = {stage: _at(story.days[stage], hour=15) for stage in path}
    changes = list(application.stage_changes.order_by("pk"))
    for change in changes:
        StageChange.objects.filter(pk=change.pk).update(changed_at=at[change.to_stage])
    last = at[path[-1]]
    submitted = at[Stage.RECEIVED]
    Application.objects.filter(pk=application.pk).update(
        created_at=submitted - dt.timedelta(days=2),
        submitted_at=submitted,
        stage_changed_at=last,
        returned_on=last.date() if application.returned_on else None,
        closed_at=last if application.closed_at else None,
    )
    # Agreed on applying, or a day after a version newer than the application was published.
    for agreement in PrinciplesAgreement.objects.filter(user=application.user).select_related(
        "version"
    ):
        published = agreement.version.published_at
        agreed_at = max(submitted + dt.timedelta(hours=1), published + dt.timedelta(days=1))
        PrinciplesAgreement.objects.filter(pk=agreement.pk).update(agreed_at=agreed_at)
    # The first referee answered a few days after being asked.
    Reference.objects.filter(application=application, requested_at__isnull=False).update(
        requested_at=F("requested_at") - dt.timedelta(days=5),
        expires_at=F("expires_at") - dt.timedelta(days=5),
    )
    Reference.objects.filter(application=application, answered_at__isnull=False).update(
        answered_at=F("answered_at") - dt.timedelta(days=2)
    )


def _at(days: float, *, hour: int) -> dt.datetime:
    """That many days from today, at `hour` o'clock."""
    midnight = timezone.now().replace(hour=0, minute=0, second=0, microsecond=0)
    return midnight + dt.timedelta(days=days, hours=hour)
