"""A group's own decision-making pages: the rule in force in plain words, the mandates, the
emergency decisions waiting for ratification, and one's excused absences."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.formats import date_format

from alongside.decisions.models import (
    Absence,
    Body,
    DecisionRule,
    MandateHolder,
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
from alongside.lib.models import AuditEntry
from conftest import World, sign_in

BASE = "/en/decisions/northern-california/"
PAGES = ("rule/", "mandates/", "ratify/", "away/")


@pytest.mark.parametrize("page", PAGES)
def test_the_pages_need_a_signed_in_member_of_the_group(world: World, page: str) -> None:
    anonymous = Client().get(BASE + page)
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    assert sign_in(Client(), world.outsider).get(BASE + page).status_code == 404
    assert (
        sign_in(Client(), world.volunteer, second_factor=False).get(BASE + page).status_code == 200
    )


# --- the rule ------------------------------------------------------------------------------


def test_the_rule_page_shows_the_defaults_in_plain_words(world: World) -> None:
    page = sign_in(Client(), world.volunteer).get(BASE + "rule/").content.decode()
    assert "At least 50% of the active members must respond" in page
    assert "From 3 stand-asides the consensus is weak." in page
    assert "One block stops a proposal." in page
    assert "Without consensus the proposal fails." in page
    assert "these are the movement's defaults" in page
    assert "new/?kind=decision_rule" in page


def test_the_rule_page_shows_the_adopted_rule_and_its_history(world: World) -> None:
    proposal = make_closed(group=world.norcal, proposer=world.core, title="Quorum of two thirds")
    DecisionRule.objects.create(
        group=world.norcal, adopted_at=timezone.now() - dt.timedelta(days=400)
    )
    DecisionRule.objects.create(
        group=world.norcal,
        quorum_percent=67,
        weak_at_stand_asides=2,
        block_needs_second=True,
        fallback="supermajority",
        supermajority_percent=80,
        adopted_by=proposal,
    )
    changing = make_proposal(
        group=world.norcal,
        proposer=world.volunteer,
        kind=ProposalKind.DECISION_RULE,
        title="Back to a simple majority quorum",
    )
    page = sign_in(Client(), world.volunteer).get(BASE + "rule/").content.decode()
    assert "At least 67% of the active members must respond" in page
    assert "A block holds only when a second member also blocks." in page
    assert "passes when 80% of those taking a position agree" in page
    assert f"{BASE}{proposal.pk}/" in page
    assert "Back to a simple majority quorum" in page and f"{BASE}{changing.pk}/" in page
    assert page.count("in force</span>") == 1
    assert "At least 50% of the active members" in page  # the earlier rule, in the history


def test_the_rule_page_reads_in_arabic(world: World) -> None:
    response = sign_in(Client(), world.volunteer).get("/ar/decisions/northern-california/rule/")
    assert response.status_code == 200
    assert 'dir="rtl"' in response.content.decode()


# --- mandates ------------------------------------------------------------------------------


def test_mandates_in_force_come_first_and_ended_ones_after(world: World) -> None:
    in_force = make_mandate(group=world.norcal, title="Answer press requests")
    make_mandate(
        group=world.norcal,
        title="Book the spring hall",
        until=timezone.localdate() - dt.timedelta(days=3),
    )
    make_mandate(group=world.london, title="London's own mandate")
    make_closed(group=world.norcal, proposer=world.core, mandate=in_force)
    page = sign_in(Client(), world.volunteer).get(BASE + "mandates/").content.decode()
    assert page.index("Answer press requests") < page.index("Ended or withdrawn")
    assert page.index("Ended or withdrawn") < page.index("Book the spring hall")
    assert "own mandate" not in page
    assert "new/?kind=mandate" in page


def test_a_mandate_page_shows_its_terms_and_the_decisions_under_it(world: World) -> None:
    mandate = make_mandate(group=world.norcal, scope="Answer **journalists**.")
    under = make_closed(
        group=world.norcal, proposer=world.core, title="Talk to the local paper", mandate=mandate
    )
    make_closed(group=world.norcal, proposer=world.core, title="Not under it")
    client = sign_in(Client(), world.volunteer)
    page = client.get(f"{BASE}mandates/{mandate.pk}/").content.decode()
    assert "<strong>journalists</strong>" in page
    assert "Talk to the local paper" in page and f"{BASE}{under.pk}/" in page
    assert "Not under it" not in page
    assert f"kind=mandate_withdrawal&amp;mandate={mandate.pk}" in page
    assert "In force" in page


def test_a_withdrawn_mandate_offers_no_withdrawal(world: World) -> None:
    mandate = make_mandate(group=world.norcal, withdrawn_at=timezone.now())
    page = sign_in(Client(), world.volunteer).get(f"{BASE}mandates/{mandate.pk}/").content.decode()
    assert "Withdrawn" in page and "kind=mandate_withdrawal" not in page


def test_another_groups_mandate_is_not_found(world: World) -> None:
    theirs = make_mandate(group=world.london)
    client = sign_in(Client(), world.volunteer)
    assert client.get(f"{BASE}mandates/{theirs.pk}/").status_code == 404


def test_the_mandates_page_does_not_query_per_mandate(world: World) -> None:
    client = sign_in(Client(), world.volunteer)

    def load() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(BASE + "mandates/").status_code == 200
        return len(queries)

    make_mandate(group=world.norcal)
    make_mandate(group=world.norcal, until=timezone.localdate() - dt.timedelta(days=1))
    load()  # the first request of a session writes to it once
    one = load()
    for index in range(12):
        make_mandate(group=world.norcal, title=f"Mandate {index}")
        make_mandate(
            group=world.norcal,
            title=f"Old mandate {index}",
            until=timezone.localdate() - dt.timedelta(days=1),
        )
    assert load() == one


# --- who sees the proposals under way -------------------------------------------------------


def _page(client: Client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200
    return response.content.decode()


def test_the_core_groups_open_proposals_and_others_drafts_are_not_listed(world: World) -> None:
    """Beside the rule and the mandates: a member sees the proposals they may open, a core
    member the core group's too; nobody sees another person's draft."""
    other_core = join_group(world.norcal, "Omar Core", core=True)
    mandate = make_mandate(group=world.norcal, title="Answer press requests")
    titles = {}
    for kind, path in (
        (ProposalKind.DECISION_RULE, "rule/"),
        (ProposalKind.MANDATE, "mandates/"),
        (ProposalKind.MANDATE_WITHDRAWAL, f"mandates/{mandate.pk}/"),
    ):
        extra: dict[str, Any] = (
            {"target_mandate": mandate} if kind == ProposalKind.MANDATE_WITHDRAWAL else {}
        )
        titles[path] = (
            make_proposal(
                group=world.norcal,
                proposer=world.core,
                kind=kind,
                title=f"Everyone {kind}",
                **extra,
            ),
            make_proposal(
                group=world.norcal,
                proposer=world.core,
                kind=kind,
                body=Body.CORE,
                title=f"Core only {kind}",
                **extra,
            ),
            make_proposal(
                group=world.norcal,
                proposer=other_core,
                kind=kind,
                stage=Stage.DRAFT,
                title=f"Omar's draft {kind}",
                **extra,
            ),
        )
    member = sign_in(Client(), world.volunteer)
    core = sign_in(Client(), world.core)
    for path, (everyone, core_only, draft) in titles.items():
        page = _page(member, BASE + path)
        assert f"{BASE}{everyone.pk}/" in page, path
        assert f"{BASE}{core_only.pk}/" not in page and "Core only" not in page, path
        assert "draft" not in page, path
        page = _page(core, BASE + path)
        assert f"{BASE}{everyone.pk}/" in page and f"{BASE}{core_only.pk}/" in page, path
        assert f"{BASE}{draft.pk}/" not in page and "Omar's draft" not in page, path


def test_a_withdrawal_the_member_may_not_open_still_stands_in_the_way(world: World) -> None:
    mandate = make_mandate(group=world.norcal)
    make_proposal(
        group=world.norcal,
        proposer=world.core,
        kind=ProposalKind.MANDATE_WITHDRAWAL,
        target_mandate=mandate,
        body=Body.CORE,
        title="The core group withdraws it",
    )
    page = _page(sign_in(Client(), world.volunteer), f"{BASE}mandates/{mandate.pk}/")
    assert "The core group withdraws it" not in page
    assert "A proposal to withdraw this mandate is already open." in page
    assert "kind=mandate_withdrawal" not in page


def test_the_queue_links_only_a_ratification_the_member_may_open(world: World) -> None:
    decision = _emergency(world, "Stay with the family tonight")
    ratification = make_proposal(
        group=world.field_team,
        proposer=world.coordinator,
        kind=ProposalKind.RATIFICATION,
        ratifies=decision,
        body=Body.CORE,
    )
    link = f"/en/decisions/palestine/{ratification.pk}/"
    page = _page(sign_in(Client(), world.documenter), "/en/decisions/palestine/ratify/")
    assert "Stay with the family tonight" in page
    assert link not in page
    assert "A proposal to ratify this decision is already open." in page
    assert f"decision={decision.pk}" not in page  # type: ignore[attr-defined]
    page = _page(sign_in(Client(), world.coordinator), "/en/decisions/palestine/ratify/")
    assert link in page


# --- ratification --------------------------------------------------------------------------


def _emergency(world: World, title: str) -> object:
    decision = make_closed(group=world.field_team, proposer=world.coordinator, title=title)
    decision.ratification = Ratification.PENDING
    decision.save()
    return decision


def test_the_queue_lists_decisions_waiting_and_links_a_ratification_proposal(
    world: World,
) -> None:
    waiting = _emergency(world, "Stay with the family tonight")
    proposed = _emergency(world, "Leave the grove before dark")
    ratification = make_proposal(
        group=world.field_team,
        proposer=world.coordinator,
        kind=ProposalKind.RATIFICATION,
        ratifies=proposed,
    )
    settled = make_closed(group=world.field_team, proposer=world.coordinator, title="Settled")
    settled.ratification = Ratification.RATIFIED
    settled.save()
    client = sign_in(Client(), world.documenter)
    page = client.get("/en/decisions/palestine/ratify/").content.decode()
    assert "Stay with the family tonight" in page
    assert f"kind=ratification&amp;decision={waiting.pk}" in page  # type: ignore[attr-defined]
    assert f"/en/decisions/palestine/{ratification.pk}/" in page
    assert f"decision={proposed.pk}" not in page  # type: ignore[attr-defined]
    assert "Settled lately" in page and "Ratified by the group" in page


def test_the_queue_does_not_query_per_decision(world: World) -> None:
    client = sign_in(Client(), world.documenter)
    _emergency(world, "One")

    def load() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/en/decisions/palestine/ratify/").status_code == 200
        return len(queries)

    load()  # the first request of a session writes to it once
    one = load()
    for index in range(15):
        _emergency(world, f"Decision {index}")
    assert load() == one


# --- absences ------------------------------------------------------------------------------


def test_a_member_records_an_absence_and_sees_only_their_own(world: World) -> None:
    today = timezone.localdate()
    Absence.objects.create(  # type: ignore[misc]  # encrypted dates: the stubs type them as text
        group=world.norcal,
        member=world.core,
        starts_on=today,
        ends_on=today + dt.timedelta(days=2),
    )
    client = sign_in(Client(), world.volunteer)
    response = client.post(
        BASE + "away/",
        {
            "starts_on": (today + dt.timedelta(days=10)).isoformat(),
            "ends_on": (today + dt.timedelta(days=24)).isoformat(),
        },
    )
    assert response.status_code == 302
    absence = Absence.objects.get(member=world.volunteer)
    assert absence.group == world.norcal
    entry = AuditEntry.objects.get(action="record_absence")
    assert entry.detail == {"days": 15}
    page = client.get(BASE + "away/").content.decode()
    assert page.count('<li class="card">') == 1
    assert "Your absence was recorded." in page


def test_bad_dates_are_refused_and_kept(world: World) -> None:
    today = timezone.localdate()
    client = sign_in(Client(), world.volunteer)
    typed = (today + dt.timedelta(days=5)).isoformat()
    response = client.post(
        BASE + "away/", {"starts_on": typed, "ends_on": (today + dt.timedelta(days=1)).isoformat()}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "The last day cannot be before the first." in page
    assert typed in page
    response = client.post(BASE + "away/", {"starts_on": "soon", "ends_on": ""})
    assert response.status_code == 400
    assert "Enter a valid date." in response.content.decode()
    assert 'value="soon"' in response.content.decode()
    assert not Absence.objects.exists()


def test_an_overlapping_absence_is_refused_with_the_reason(world: World) -> None:
    today = timezone.localdate()
    Absence.objects.create(  # type: ignore[misc]  # encrypted dates: the stubs type them as text
        group=world.norcal,
        member=world.volunteer,
        starts_on=today + dt.timedelta(days=3),
        ends_on=today + dt.timedelta(days=6),
    )
    response = sign_in(Client(), world.volunteer).post(
        BASE + "away/",
        {"starts_on": today.isoformat(), "ends_on": (today + dt.timedelta(days=4)).isoformat()},
    )
    assert response.status_code == 400
    assert "already away on some of these days" in response.content.decode()
    assert Absence.objects.count() == 1


def test_a_member_removes_only_their_own_absence(world: World) -> None:
    today = timezone.localdate()
    mine = Absence.objects.create(  # type: ignore[misc]  # encrypted dates: the stubs type them as text
        group=world.norcal, member=world.volunteer, starts_on=today, ends_on=today
    )
    theirs = Absence.objects.create(  # type: ignore[misc]  # encrypted dates: the stubs type them as text
        group=world.norcal, member=world.core, starts_on=today, ends_on=today
    )
    client = sign_in(Client(), world.volunteer)
    assert client.get(f"{BASE}away/{mine.pk}/delete/").status_code == 405
    assert client.post(f"{BASE}away/{theirs.pk}/delete/").status_code == 404
    assert client.post(f"{BASE}away/{mine.pk}/delete/").status_code == 302
    assert list(Absence.objects.all()) == [theirs]
    assert AuditEntry.objects.filter(action="delete_absence").count() == 1
    outsider = sign_in(Client(), world.outsider)
    assert outsider.post(f"{BASE}away/{theirs.pk}/delete/").status_code == 404


def test_an_absence_that_is_over_stays_on_record(world: World) -> None:
    past = timezone.localdate() - dt.timedelta(days=10)
    absence = Absence.objects.create(  # type: ignore[misc]  # encrypted dates: the stubs type them as text
        group=world.norcal, member=world.volunteer, starts_on=past, ends_on=past
    )
    response = sign_in(Client(), world.volunteer).post(
        f"{BASE}away/{absence.pk}/delete/", follow=True
    )
    assert "This absence is over; it stays on record." in response.content.decode()
    assert Absence.objects.filter(pk=absence.pk).exists()


def test_only_a_real_post_records_an_absence(world: World) -> None:
    client = sign_in(Client(), world.volunteer)
    response = client.post(BASE + "away/", {})
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    for method in (client.put, client.patch, client.delete):
        assert method(BASE + "away/").status_code == 405
    today = timezone.localdate().isoformat()
    page = client.get(BASE + "away/", {"starts_on": today, "ends_on": today})
    assert page.status_code == 200 and "This field is required." not in page.content.decode()
    assert not Absence.objects.exists()


def test_a_long_list_of_absences_is_paged_never_cut(world: World) -> None:
    today = timezone.localdate()
    for index in range(23):
        Absence.objects.create(  # type: ignore[misc]  # encrypted dates: the stubs type them as text
            group=world.norcal,
            member=world.volunteer,
            starts_on=today + dt.timedelta(days=3 * index),
            ends_on=today + dt.timedelta(days=3 * index + 1),
        )
    client = sign_in(Client(), world.volunteer)
    first = _page(client, BASE + "away/")
    assert first.count('<li class="card">') == 20
    assert "Page 1 of 2" in first and "?page=2" in first
    second = _page(client, BASE + "away/?page=2")
    assert second.count('<li class="card">') == 3
    last = today + dt.timedelta(days=3 * 22 + 1)
    assert f"to {date_format(last, 'DATE_FORMAT')}" in second


def test_mandate_holder_is_labelled(world: World) -> None:
    mandate = make_mandate(group=world.field_team, holder=MandateHolder.SHIFT_TEAMS)
    page = sign_in(Client(), world.coordinator).get(
        f"/en/decisions/palestine/mandates/{mandate.pk}/"
    )
    assert "The teams on shift in the field" in page.content.decode()
