"""Does a roster keep the team rules of its kind of activity? Pure functions over what the
caller already loaded (the shift, its rules, the profiles of the people confirmed), so that a
list of shifts can be checked without a query per shift."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.conf.locale import LANG_INFO
from django.utils.translation import gettext as _

from alongside.field.models import ActivityRules, Shift
from alongside.field.profiles import Profile
from alongside.lib.timezones import list_separator


@dataclass(frozen=True)
class RuleBreak:
    code: str  # too_few, team_size, no_experienced, languages
    message: str


def language_name(code: str) -> str:
    return str(LANG_INFO.get(code, {}).get("name_local", code))


def language_names(codes: Sequence[str]) -> str:
    """The languages' own names, joined with the reader's comma."""
    return list_separator().join(language_name(code) for code in codes)


def broken_rules(
    shift: Shift, rules: ActivityRules, team: Sequence[Profile], *, wanted: Sequence[str] = ()
) -> list[RuleBreak]:
    """The rules the confirmed `team` of `shift` breaks; empty when it keeps them all.
    `wanted`: the languages the community asked for (the invitation's)."""
    breaks: list[RuleBreak] = []
    count = len(team)
    if count < shift.min_volunteers:
        breaks.append(
            RuleBreak(
                "too_few",
                _("%(count)d of the %(needed)d volunteers the community asked for.")
                % {"count": count, "needed": shift.min_volunteers},
            )
        )
    if count < rules.min_team_size:
        breaks.append(
            RuleBreak(
                "team_size",
                _("Nobody goes alone: the team needs at least %(size)d.")
                % {"size": rules.min_team_size},
            )
        )
    if rules.needs_experienced and count and not any(p.experienced for p in team):
        breaks.append(RuleBreak("no_experienced", _("Nobody in the team has been out before.")))
    if rules.needs_language_coverage and count:
        spoken = {code for profile in team for code in profile.languages}
        missing = [code for code in wanted if code not in spoken]
        if missing:
            breaks.append(
                RuleBreak(
                    "languages",
                    _("Nobody in the team speaks %(languages)s.")
                    % {"languages": ", ".join(language_name(code) for code in missing)},
                )
            )
    return breaks
