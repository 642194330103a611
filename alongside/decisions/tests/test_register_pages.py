"""The decision register: every closed proposal of the group, searchable and filterable, for its
members only; exported as CSV (safe in a spreadsheet) and JSON, each export audited."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from alongside.decisions.models import (
    ActionItem,
    Body,
    Outcome,
    Position,
    ProposalKind,
    ProposalVersion,
    Stage,
)
from alongside.decisions.tests.factories import (
    a_principle,
    close_as,
    join_group,
    make_closed,
    make_mandate,
    make_proposal,
    respond,
)
from alongside.lib.models import AuditEntry
from conftest import World, sign_in

BASE = "/en/decisions/northern-california/"


def _content(response: Any) -> str:
    return b"".join(response.streaming_content).decode()


def _rich_entry(world: World) -> Any:
    """A proposal amended once, answered in every way, closed weak, with an action item."""
    proposal = make_proposal(
        group=world.norcal,
        proposer=world.core,
        stage=Stage.TEST,
        title="Join the spring olive harvest",
        review_on=timezone.localdate() + dt.timedelta(days=90),
    )
    ProposalVersion.objects.create(
        proposal=proposal,
        number=2,
        title="Join the autumn olive harvest",
        text="We send three volunteers to Burin.",
    )
    proposal.version = 2
    proposal.save()
    rana = join_group(world.norcal, "Rana Haddad")
    sami = join_group(world.norcal, "Sami Aziz")
    respond(proposal, world.core)
    respond(proposal, world.volunteer, Position.RESERVATIONS, reason="The bus is expensive.")
    respond(proposal, rana, Position.STAND_ASIDE, reason='=HYPERLINK("http://evil")')
    respond(
        proposal,
        sami,
        Position.BLOCK,
        reason="It breaks the invitation rule.",
        principle=a_principle(world.norcal),
    )
    ActionItem.objects.create(
        proposal=proposal,
        text="Book the bus",
        owner=world.volunteer,
        due_on=timezone.localdate() + dt.timedelta(days=7),
    )
    return close_as(
        proposal, Outcome.BLOCKED, members=4, agree=1, reservations=1, stand_aside=1, block=1
    )


# --- the list ------------------------------------------------------------------------------


def test_the_register_lists_closed_proposals_of_the_group_only(world: World) -> None:
    make_closed(group=world.norcal, proposer=world.core, title="Hold a teach-in")
    make_proposal(group=world.norcal, proposer=world.core, title="Still being tested")
    make_closed(group=world.london, proposer=world.outsider, title="London's picket")
    response = sign_in(Client(), world.volunteer, second_factor=False).get(BASE + "register/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Hold a teach-in" in page
    assert "Still being tested" not in page
    assert "picket" not in page
    assert "1 decision" in page


def test_the_register_needs_a_member_of_the_group(world: World) -> None:
    for path in ("register/", "register.csv", "register.json"):
        anonymous = Client().get(BASE + path)
        assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
        assert sign_in(Client(), world.outsider).get(BASE + path).status_code == 404
        assert sign_in(Client(), world.applicant).get(BASE + path).status_code == 404
    assert not AuditEntry.objects.filter(action="export").exists()


def test_search_looks_in_the_final_versions_title_and_text(world: World) -> None:
    amended = make_closed(group=world.norcal, proposer=world.core, title="Harvest in spring")
    ProposalVersion.objects.create(
        proposal=amended, number=2, title="Harvest in autumn", text="With the Burin committee."
    )
    amended.version = 2
    amended.save()
    make_closed(
        group=world.norcal, proposer=world.core, title="Teach-in", text="About the harvest."
    )
    client = sign_in(Client(), world.volunteer)
    found = client.get(BASE + "register/", {"q": "autumn"}).content.decode()
    assert "Harvest in autumn" in found and "Teach-in" not in found
    assert (
        "spring"
        not in client.get(BASE + "register/", {"q": "spring"}).content.decode().split("</form>")[1]
    )
    by_text = client.get(BASE + "register/", {"q": "BURIN"}).content.decode()
    assert "Harvest in autumn" in by_text and "Teach-in" not in by_text
    both = client.get(BASE + "register/", {"q": "harvest"}).content.decode()
    assert "Harvest in autumn" in both and "Teach-in" in both


def test_filters_narrow_the_register(world: World) -> None:
    mandate = make_mandate(group=world.norcal, title="Answer press requests")
    make_closed(group=world.norcal, proposer=world.core, title="Talk to the paper", mandate=mandate)
    blocked = make_proposal(
        group=world.norcal, proposer=world.core, stage=Stage.TEST, title="Close the office"
    )
    close_as(blocked, Outcome.BLOCKED, agree=2, block=1)
    make_closed(
        group=world.norcal,
        proposer=world.core,
        title="Rana joins the core group",
        kind=ProposalKind.CORE_MEMBERSHIP,
        body=Body.CORE,
        closed_at=timezone.now() - dt.timedelta(days=800),
    )
    client = sign_in(Client(), world.volunteer)

    def titles(**query: str) -> set[str]:
        page = client.get(BASE + "register/", query).content.decode()
        return {
            t
            for t in ("Talk to the paper", "Close the office", "Rana joins the core group")
            if f">{t}</a>" in page
        }

    assert titles(outcome="blocked") == {"Close the office"}
    assert titles(kind="core_membership") == {"Rana joins the core group"}
    assert titles(body="core") == {"Rana joins the core group"}
    assert titles(mandate="any") == {"Talk to the paper"}
    assert titles(mandate=str(mandate.pk)) == {"Talk to the paper"}
    assert titles(mandate="none") == {"Close the office", "Rana joins the core group"}
    this_year = str(timezone.localdate().year)
    assert titles(year=this_year) == {"Talk to the paper", "Close the office"}


def test_an_unknown_filter_value_is_shown_as_an_error_and_kept(world: World) -> None:
    make_closed(group=world.norcal, proposer=world.core, title="Hold a teach-in")
    response = sign_in(Client(), world.volunteer).get(
        BASE + "register/", {"outcome": "maybe", "q": "teach"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Select a valid choice." in page
    assert 'value="teach"' in page
    assert "Hold a teach-in" in page  # the valid filters still apply


def test_the_register_does_not_query_per_row(world: World) -> None:
    mandate = make_mandate(group=world.norcal)
    client = sign_in(Client(), world.volunteer)

    def load() -> int:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(BASE + "register/", {"q": "Decision"})
        assert response.status_code == 200
        return len(queries)

    def add(count: int) -> None:
        for index in range(count):
            make_closed(
                group=world.norcal, proposer=world.core, title=f"Decision {index}", mandate=mandate
            )

    add(1)
    load()  # the first request of a session writes to it once
    one = load()
    add(24)
    assert load() == one


def test_the_register_pages_keep_the_filters(world: World) -> None:
    for index in range(22):
        make_closed(group=world.norcal, proposer=world.core, title=f"Decision {index}")
    page = sign_in(Client(), world.volunteer).get(BASE + "register/", {"q": "Decision"})
    assert "?q=Decision&amp;page=2" in page.content.decode()


# --- exports -------------------------------------------------------------------------------


def test_the_csv_export_holds_the_whole_record_and_is_safe_in_a_spreadsheet(
    world: World,
) -> None:
    proposal = _rich_entry(world)
    response = sign_in(Client(), world.volunteer).get(BASE + "register.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    text = _content(response)
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert len(rows) == 1
    row = rows[0]
    assert row["Number"] == str(proposal.pk)
    assert row["Title"] == "Join the autumn olive harvest"
    assert row["Final text"] == "We send three volunteers to Burin."
    assert "version 1: Join the spring olive harvest" in row["Versions"]
    assert row["Outcome"] == "Blocked"
    assert "1 block held." in row["How the rule was applied"]
    assert "One block stops a proposal." in row["The rule"]
    assert "Vera Volunteer: Agree with reservations · The bus is expensive." in row["Concerns"]
    assert "Sami Aziz: Block · principle: Nonviolence" in row["Blocks"]
    # The stand-aside's reason started with "=": a spreadsheet would run it as a formula.
    assert "'=HYPERLINK" not in row["Stand-asides"]  # not at the start of the cell
    assert row["Stand-asides"].startswith("Rana Haddad: Stand aside")
    assert "Book the bus · Vera Volunteer · by " in row["Action items"]
    assert row["Review on"] == proposal.review_on.isoformat()
    entry = AuditEntry.objects.get(action="export")
    assert entry.actor_id == world.volunteer.pk
    assert entry.detail == {"format": "csv", "rows": 1, "filters": []}


def test_csv_cells_that_would_start_a_formula_are_quoted(world: World) -> None:
    make_closed(group=world.norcal, proposer=world.core, title="=1+1", text="@SUM(A1)")
    text = _content(sign_in(Client(), world.volunteer).get(BASE + "register.csv"))
    row = next(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert row["Title"] == "'=1+1"
    assert row["Final text"] == "'@SUM(A1)"


def test_the_json_export_holds_every_response_with_its_reason(world: World) -> None:
    proposal = _rich_entry(world)
    make_closed(group=world.london, proposer=world.outsider, title="Not ours")
    response = sign_in(Client(), world.volunteer).get(BASE + "register.json")
    assert response["Content-Type"] == "application/json"
    data = json.loads(_content(response))
    assert data["group"] == "northern-california"
    (entry,) = data["proposals"]
    assert entry["id"] == proposal.pk
    assert [v["number"] for v in entry["versions"]] == [1, 2]
    assert entry["outcome"] == "blocked"
    assert entry["how_the_rule_was_applied"][-1] == "1 block held."
    assert {r["member"] for r in entry["responses"]} == {
        "Maya Core",
        "Vera Volunteer",
        "Rana Haddad",
        "Sami Aziz",
    }
    (block,) = entry["blocks"]
    assert block["principle"] == "Nonviolence" and block["reason"].startswith("It breaks")
    assert entry["stand_asides"][0]["reason"] == '=HYPERLINK("http://evil")'
    assert entry["concerns"][0]["member"] == "Vera Volunteer"
    assert entry["action_items"][0]["owner"] == "Vera Volunteer"
    assert entry["review_on"] == proposal.review_on.isoformat()
    assert AuditEntry.objects.get(action="export").detail["format"] == "json"


def test_answers_to_an_earlier_version_are_kept_but_marked_as_not_counted(world: World) -> None:
    proposal = make_proposal(group=world.norcal, proposer=world.core, stage=Stage.TEST)
    respond(proposal, world.volunteer, Position.STAND_ASIDE, reason="Too many.")
    ProposalVersion.objects.create(proposal=proposal, number=2, title="Fewer", text="Three.")
    proposal.version = 2
    proposal.save()
    respond(proposal, world.core)
    close_as(proposal, Outcome.NO_QUORUM, agree=1)
    data = json.loads(_content(sign_in(Client(), world.volunteer).get(BASE + "register.json")))
    responses = {r["member"]: r for r in data["proposals"][0]["responses"]}
    assert responses["Vera Volunteer"]["counted"] is False
    assert responses["Vera Volunteer"]["version"] == 1
    assert responses["Maya Core"]["counted"] is True
    assert data["proposals"][0]["stand_asides"] == []


def test_the_export_follows_the_filters(world: World) -> None:
    make_closed(group=world.norcal, proposer=world.core, title="Hold a teach-in")
    make_closed(
        group=world.norcal, proposer=world.core, title="Book a hall", outcome=Outcome.NO_QUORUM
    )
    text = _content(
        sign_in(Client(), world.volunteer).get(BASE + "register.csv", {"outcome": "no_quorum"})
    )
    assert "Book a hall" in text and "teach-in" not in text
    assert AuditEntry.objects.get(action="export").detail["filters"] == ["outcome"]


def test_the_export_leaves_the_search_words_out(world: World) -> None:
    """The words searched stay on the register page: an export's address (history, logs,
    downloads) carries the filters only, and an export given words ignores them."""
    make_closed(group=world.norcal, proposer=world.core, title="Hold a teach-in")
    make_closed(group=world.norcal, proposer=world.core, title="Book a hall")
    client = sign_in(Client(), world.volunteer)
    page = client.get(BASE + "register/", {"q": "hall", "outcome": "consensus"}).content.decode()
    assert "Book a hall" in page and "teach-in" not in page
    assert f'href="{BASE}register.csv?outcome=consensus"' in page
    assert f'href="{BASE}register.json?outcome=consensus"' in page
    assert "It follows the filters, not the search words" in page
    text = _content(client.get(BASE + "register.csv", {"q": "hall"}))
    assert "Book a hall" in text and "teach-in" in text
    assert AuditEntry.objects.get(action="export").detail["filters"] == []


def test_an_export_with_bad_filters_goes_back_to_the_register(world: World) -> None:
    response = sign_in(Client(), world.volunteer).get(
        BASE + "register.csv", {"year": "1066", "q": "hall"}
    )
    assert response.status_code == 302
    assert response["Location"] == BASE + "register/?year=1066"
    assert not AuditEntry.objects.filter(action="export").exists()


@pytest.mark.parametrize("kind", ["csv", "json"])
def test_an_export_needs_a_second_factor_and_the_register_does_not(world: World, kind: str) -> None:
    """Everyone's names and reasons at once: a member without a second factor is sent to set
    one up, one who has it but did not use it to use it; the page itself stays open to them."""
    make_closed(group=world.norcal, proposer=world.core, title="Hold a teach-in")
    without = sign_in(Client(), world.volunteer, second_factor=False)
    assert without.get(BASE + "register/").status_code == 200
    response = without.get(f"{BASE}register.{kind}", {"outcome": "consensus"})
    assert response.status_code == 302
    assert response["Location"].startswith("/en/accounts/2fa/?next=")
    assert f"register.{kind}" in response["Location"]
    not_used = sign_in(Client(), world.core, second_factor=False)
    response = not_used.get(f"{BASE}register.{kind}")
    assert response.status_code == 302
    assert response["Location"].startswith("/en/accounts/2fa/reauthenticate/?next=")
    assert not AuditEntry.objects.filter(action="export").exists()
    response = sign_in(Client(), world.volunteer).get(f"{BASE}register.{kind}")
    assert response.status_code == 200
    assert "Hold a teach-in" in _content(response)
    assert AuditEntry.objects.filter(action="export").count() == 1


def test_the_export_tells_times_on_the_readers_clock(world: World) -> None:
    """The rows are written after the view returns: the reader's zone must still hold."""
    closed_at = dt.datetime(2026, 1, 15, 10, 30, tzinfo=dt.UTC)
    make_closed(group=world.norcal, proposer=world.core, closed_at=closed_at)
    world.volunteer.time_zone = "America/Los_Angeles"
    world.volunteer.save()
    client = sign_in(Client(), world.volunteer)
    row = next(csv.DictReader(io.StringIO(_content(client.get(BASE + "register.csv"))[1:])))
    assert row["Closed"] == "2026-01-15T02:30-08:00"
    data = json.loads(_content(client.get(BASE + "register.json")))
    assert data["proposals"][0]["closed_at"] == "2026-01-15T02:30-08:00"


@pytest.mark.parametrize("kind", ["csv", "json"])
def test_an_export_costs_a_few_queries_however_many_proposals(world: World, kind: str) -> None:
    client = sign_in(Client(), world.volunteer)

    def export() -> int:
        with CaptureQueriesContext(connection) as queries:
            _content(client.get(f"{BASE}register.{kind}"))
        return len(queries)

    _rich_entry(world)
    export()
    few = export()
    for index in range(30):
        proposal = make_closed(group=world.norcal, proposer=world.core, title=f"Decision {index}")
        respond(proposal, world.volunteer)
        ActionItem.objects.create(proposal=proposal, text="Write it up", owner=world.core)
    assert export() == few


def test_quick_decisions_are_in_the_register_of_core_members_and_documenters_only(
    world: World,
) -> None:
    """A quick decision names who was on a shift in the field: the field team's plain members
    neither see it listed nor export it; its coordinators and documenters do."""
    from alongside.decisions.models import Body, ProposalKind
    from alongside.decisions.tests.factories import join_group
    from alongside.field.tests.factories_invitations import make_invitation

    shift = make_invitation(community=world.bilin).shifts.order_by("starts_at").first()
    make_closed(
        group=world.field_team,
        proposer=world.coordinator,
        kind=ProposalKind.QUICK,
        body=Body.SHIFT_TEAM,
        shift=shift,
        title="Stay at the olive grove",
    )
    make_closed(group=world.field_team, proposer=world.coordinator, title="Buy a first-aid kit")
    plain = join_group(world.field_team, "Rami Member")
    register = "/en/decisions/palestine/register/"
    for person, sees in ((plain, False), (world.coordinator, True), (world.documenter, True)):
        client = sign_in(Client(), person)
        page = client.get(register).content.decode()
        assert "Buy a first-aid kit" in page
        assert ("Stay at the olive grove" in page) is sees, person
    exported = sign_in(Client(), plain).get(register.replace("register/", "register.json"))
    text = b"".join(exported.streaming_content).decode()  # type: ignore[attr-defined]
    assert "Buy a first-aid kit" in text
    assert "Stay at the olive grove" not in text
