"""Team rules and timings: a field team's own choices where it made them, the defaults below
where it did not. Read through `rules_for` and `settings_for`, which never write."""

from __future__ import annotations

from collections.abc import Iterable

from alongside.field.models import ActivityKind, ActivityRules, FieldSettings
from alongside.movement.models import Group
from alongside.volunteers.models import QualificationKind

# The movement's two-day training: needed for every kind of field work unless a team says so.
TRAINING_SLUG = "two-day-training"

# Check-in every N hours besides arrival and leaving: a school run is short, a stay is long.
DEFAULT_CHECKIN_HOURS: dict[str, int | None] = {
    ActivityKind.HARVEST: 2,
    ActivityKind.SCHOOL_RUN: None,
    ActivityKind.DEMONSTRATION: 1,
    ActivityKind.PRESENCE: 4,
    ActivityKind.OTHER: 2,
}


def default_rules(
    team: Group, kind: str, *, training: QualificationKind | None = None
) -> ActivityRules:
    """An unsaved rules row with the movement's defaults for `kind` (the model's field defaults,
    the two-day training, the kind's check-in interval)."""
    if training is None:
        training = QualificationKind.objects.filter(slug=TRAINING_SLUG).first()
    return ActivityRules(
        team=team,
        kind=kind,
        required_qualification=training,
        checkin_every_hours=DEFAULT_CHECKIN_HOURS.get(kind, 2),
    )


def rules_for(team: Group, kind: str) -> ActivityRules:
    saved = (
        ActivityRules.objects.select_related("required_qualification")
        .filter(team=team, kind=kind)
        .first()
    )
    return saved if saved is not None else default_rules(team, kind)


def rules_by_team_and_kind(teams: Iterable[Group]) -> dict[tuple[int, str], ActivityRules]:
    """Every kind's rules for each of `teams`, in two queries: for list pages."""
    teams = list(teams)
    training = QualificationKind.objects.filter(slug=TRAINING_SLUG).first()
    found: dict[tuple[int, str], ActivityRules] = {}
    for team in teams:
        for kind in ActivityKind.values:
            found[(team.pk, kind)] = default_rules(team, kind, training=training)
    saved = ActivityRules.objects.select_related("required_qualification").filter(team__in=teams)
    for rules in saved:
        found[(rules.team_id, rules.kind)] = rules
    return found


def settings_for(team: Group) -> FieldSettings:
    saved = FieldSettings.objects.filter(team=team).first()
    return saved if saved is not None else FieldSettings(team=team)
