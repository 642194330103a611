"""The terms of the special kinds of proposal, on the draft form: who would join the core
group, the new decision rule, a mandate's terms, the mandate to withdraw, the decision to
ratify. Each is checked as the group's data stands, and what was typed is kept."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.test import Client
from django.utils import timezone

from alongside.accounts.models import User
from alongside.decisions.models import (
    MandateHolder,
    Proposal,
    ProposalKind,
    Ratification,
    Stage,
)
from alongside.decisions.tests.factories import (
    join_group,
    make_closed,
    make_mandate,
    make_proposal,
)
from conftest import World, sign_in

NORCAL = "/en/decisions/northern-california/new/"
FIELD = "/en/decisions/palestine/new/"


def _draft(facilitator: User, **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "facilitator": str(facilitator.pk),
        "title": "A proposal of a special kind",
        "text": "What we would do.",
        "why": "Because.",
        "if_agreed": "",
        "concerns_whom": "",
        "body": "members",
        "questions_end": "2030-03-01T18:00",
        "concerns_end": "2030-03-03T18:00",
        "amendments_end": "2030-03-05T18:00",
        "test_end": "2030-03-08T18:00",
        "review_on": "",
    }
    data.update(changes)
    return data


def _mandate_terms(**changes: str) -> dict[str, str]:
    data = {
        "terms-holder": "shift_teams",
        "terms-title": "Leave when soldiers close the road",
        "terms-scope": "A team on shift may decide to leave an action.",
        "terms-limits": "Only for the team's safety.",
        "terms-until": (timezone.localdate() + dt.timedelta(days=90)).isoformat(),
        "terms-report_back": "At the weekly meeting",
    }
    data.update(changes)
    return data


def _only_draft(group_slug: str) -> Proposal:
    return Proposal.objects.get(group__slug=group_slug, stage=Stage.DRAFT)


# --- joining the core group ------------------------------------------------------------------


def test_joining_the_core_group_names_the_proposer_by_default(world: World) -> None:
    client = sign_in(Client(), world.volunteer)
    page = client.get(NORCAL + "?kind=core_membership").content.decode()
    assert f'<option value="{world.volunteer.pk}" selected>Vera Volunteer</option>' in page
    assert "Maya Core" not in page.split('name="terms-candidate"')[1].split("</select>")[0]
    response = client.post(
        NORCAL + "?kind=core_membership",
        _draft(world.volunteer, **{"terms-candidate": str(world.volunteer.pk)}),
    )
    assert response.status_code == 302
    proposal = _only_draft("northern-california")
    assert proposal.kind == ProposalKind.CORE_MEMBERSHIP
    assert proposal.candidate == world.volunteer


def test_a_member_page_names_the_candidate_in_the_draft(world: World) -> None:
    """The group's member page links here with `?candidate=`: that member is preselected."""
    other = join_group(world.norcal, "Nia Newcomer")
    client = sign_in(Client(), world.volunteer)
    page = client.get(f"{NORCAL}?kind=core_membership&candidate={other.pk}").content.decode()
    candidates = page.split('name="terms-candidate"')[1].split("</select>")[0]
    assert f'<option value="{other.pk}" selected>Nia Newcomer</option>' in candidates
    assert f'<option value="{world.volunteer.pk}" selected>' not in candidates


def test_a_core_member_or_a_stranger_cannot_be_the_candidate(world: World) -> None:
    client = sign_in(Client(), world.volunteer)
    for candidate in (world.core, world.outsider):
        response = client.post(
            NORCAL + "?kind=core_membership",
            _draft(world.volunteer, title="Kept title", **{"terms-candidate": str(candidate.pk)}),
        )
        assert response.status_code == 400
        page = response.content.decode()
        assert "Choose a member of the group who is not core yet." in page
        assert 'value="Kept title"' in page
    assert not Proposal.objects.exists()


def test_one_open_proposal_per_candidate(world: World) -> None:
    make_proposal(
        group=world.norcal,
        proposer=world.volunteer,
        kind=ProposalKind.CORE_MEMBERSHIP,
        candidate=world.volunteer,
        stage=Stage.CONCERNS,
    )
    response = sign_in(Client(), world.volunteer).post(
        NORCAL + "?kind=core_membership",
        _draft(world.volunteer, **{"terms-candidate": str(world.volunteer.pk)}),
    )
    assert response.status_code == 400
    assert "already open" in response.content.decode()


# --- the decision rule ---------------------------------------------------------------------


def test_a_rule_change_starts_from_the_rule_in_force_and_is_stored_in_the_terms(
    world: World,
) -> None:
    client = sign_in(Client(), world.volunteer)
    page = client.get(NORCAL + "?kind=decision_rule").content.decode()
    assert 'name="terms-quorum_percent" value="50"' in page
    response = client.post(
        NORCAL + "?kind=decision_rule",
        _draft(
            world.volunteer,
            **{
                "terms-quorum_percent": "60",
                "terms-weak_at_stand_asides": "2",
                "terms-block_needs_second": "on",
                "terms-fallback": "supermajority",
                "terms-supermajority_percent": "80",
            },
        ),
    )
    assert response.status_code == 302
    assert _only_draft("northern-california").terms == {
        "quorum_percent": 60,
        "weak_at_stand_asides": 2,
        "block_needs_second": True,
        "fallback": "supermajority",
        "supermajority_percent": 80,
    }


def test_a_rule_outside_the_models_ranges_is_refused_and_kept(world: World) -> None:
    response = sign_in(Client(), world.volunteer).post(
        NORCAL + "?kind=decision_rule",
        _draft(
            world.volunteer,
            **{
                "terms-quorum_percent": "0",
                "terms-weak_at_stand_asides": "2",
                "terms-fallback": "sometimes",
                "terms-supermajority_percent": "40",
            },
        ),
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Ensure this value is greater than or equal to 1." in page
    assert "Ensure this value is greater than or equal to 51." in page
    assert "Select a valid choice." in page
    assert 'name="terms-weak_at_stand_asides" value="2"' in page
    assert not Proposal.objects.exists()


def test_a_rule_change_must_change_something(world: World) -> None:
    response = sign_in(Client(), world.volunteer).post(
        NORCAL + "?kind=decision_rule",
        _draft(
            world.volunteer,
            **{
                "terms-quorum_percent": "50",
                "terms-weak_at_stand_asides": "3",
                "terms-fallback": "none",
                "terms-supermajority_percent": "75",
            },
        ),
    )
    assert response.status_code == 400
    assert "This is the rule in force already" in response.content.decode()


# --- mandates ------------------------------------------------------------------------------


def test_a_field_team_gives_mandates_to_its_teams_on_shift(world: World) -> None:
    client = sign_in(Client(), world.coordinator)
    assert 'value="shift_teams"' in client.get(FIELD + "?kind=mandate").content.decode()
    response = client.post(FIELD + "?kind=mandate", _draft(world.coordinator, **_mandate_terms()))
    assert response.status_code == 302
    terms = _only_draft("palestine").terms
    assert terms["holder"] == MandateHolder.SHIFT_TEAMS
    assert terms["until"] == (timezone.localdate() + dt.timedelta(days=90)).isoformat()
    assert terms["title"] == "Leave when soldiers close the road"


def test_a_support_group_gives_mandates_to_its_core_only(world: World) -> None:
    client = sign_in(Client(), world.volunteer)
    assert 'value="shift_teams"' not in client.get(NORCAL + "?kind=mandate").content.decode()
    response = client.post(NORCAL + "?kind=mandate", _draft(world.volunteer, **_mandate_terms()))
    assert response.status_code == 400
    assert "Select a valid choice." in response.content.decode()


def test_a_mandate_must_hold_into_the_future(world: World) -> None:
    today = timezone.localdate().isoformat()
    response = sign_in(Client(), world.coordinator).post(
        FIELD + "?kind=mandate",
        _draft(world.coordinator, **_mandate_terms(**{"terms-until": today})),
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "A mandate must hold until a day after today." in page
    assert "Leave when soldiers close the road" in page


def test_a_withdrawal_names_a_mandate_in_force_of_the_group(world: World) -> None:
    mandate = make_mandate(group=world.norcal, title="Answer press requests")
    withdrawn = make_mandate(group=world.norcal, title="Old", withdrawn_at=timezone.now())
    theirs = make_mandate(group=world.london, title="London's")
    client = sign_in(Client(), world.volunteer)
    page = client.get(f"{NORCAL}?kind=mandate_withdrawal&mandate={mandate.pk}").content.decode()
    assert f'<option value="{mandate.pk}" selected>' in page
    for other in (withdrawn, theirs):
        response = client.post(
            NORCAL + "?kind=mandate_withdrawal",
            _draft(world.volunteer, **{"terms-target_mandate": str(other.pk)}),
        )
        assert response.status_code == 400
        assert "Choose a mandate of the group that is in force." in response.content.decode()
    response = client.post(
        NORCAL + "?kind=mandate_withdrawal",
        _draft(world.volunteer, **{"terms-target_mandate": str(mandate.pk)}),
    )
    assert response.status_code == 302
    assert _only_draft("northern-california").target_mandate == mandate


def test_a_malformed_address_preselects_nothing(world: World) -> None:
    response = sign_in(Client(), world.volunteer).get(
        NORCAL + "?kind=mandate_withdrawal&mandate=abc"
    )
    assert response.status_code == 200


# --- ratification --------------------------------------------------------------------------


def test_a_ratification_names_a_decision_waiting_for_it(world: World) -> None:
    waiting = make_closed(
        group=world.field_team, proposer=world.coordinator, title="Stay with the family"
    )
    waiting.ratification = Ratification.PENDING
    waiting.save()
    settled = make_closed(group=world.field_team, proposer=world.coordinator, title="Settled")
    settled.ratification = Ratification.RATIFIED
    settled.save()
    client = sign_in(Client(), world.coordinator)
    page = client.get(f"{FIELD}?kind=ratification&decision={waiting.pk}").content.decode()
    assert f'<option value="{waiting.pk}" selected>Stay with the family (' in page
    assert "Settled" not in page.split('name="terms-ratifies"')[1].split("</select>")[0]
    response = client.post(
        FIELD + "?kind=ratification",
        _draft(world.coordinator, **{"terms-ratifies": str(settled.pk)}),
    )
    assert response.status_code == 400
    assert "waiting to be ratified" in response.content.decode()
    response = client.post(
        FIELD + "?kind=ratification",
        _draft(world.coordinator, **{"terms-ratifies": str(waiting.pk)}),
    )
    assert response.status_code == 302
    first = _only_draft("palestine")
    assert first.ratifies == waiting
    first.stage = Stage.QUESTIONS  # opened: a second proposal would ratify it twice
    first.save()
    again = sign_in(Client(), world.documenter).post(
        FIELD + "?kind=ratification",
        _draft(world.coordinator, **{"terms-ratifies": str(waiting.pk)}),
    )
    assert again.status_code == 400
    assert "A proposal to ratify this decision is already open." in again.content.decode()


def test_the_terms_of_a_draft_are_shown_again_when_it_is_edited(world: World) -> None:
    other = join_group(world.norcal, "Rana Haddad")
    proposal = make_proposal(
        group=world.norcal,
        proposer=world.volunteer,
        kind=ProposalKind.CORE_MEMBERSHIP,
        candidate=other,
        stage=Stage.DRAFT,
    )
    page = (
        sign_in(Client(), world.volunteer)
        .get(f"/en/decisions/northern-california/{proposal.pk}/edit/")
        .content.decode()
    )
    assert f'<option value="{other.pk}" selected>Rana Haddad</option>' in page
