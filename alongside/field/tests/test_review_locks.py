"""Every field action takes its row locks in one order (invitation, shift, person), so that two
of them never wait for each other on PostgreSQL; and one person cannot take two overlapping
shifts from two tabs at once, because taking a place locks the person's row before their other
places are read.

On SQLite, `select_for_update` writes no SQL of its own (the IMMEDIATE transactions take turns),
so the order is read from the order of the queries; on PostgreSQL, from the `FOR UPDATE` ones."""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, connections
from django.db.models import QuerySet
from django.test.utils import CaptureQueriesContext

from alongside.field import eligibility
from alongside.field.actions import invitations as invitation_actions
from alongside.field.actions import signups as signup_actions
from alongside.field.models import Shift, SignUp, SignUpStatus
from alongside.field.tests.factories import in_days, make_field_volunteer, make_shift
from conftest import World

_FROM = re.compile(r'\bFROM\s+"?(\w+)"?', re.IGNORECASE)


def _locked_tables(queries: list[dict[str, str]]) -> list[str]:
    """The main table of each query that locks rows, in order (every SELECT on SQLite)."""
    if connection.features.has_select_for_update:
        picked = [q["sql"] for q in queries if "FOR UPDATE" in q["sql"]]
    else:
        picked = [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith("SELECT")]
    tables = []
    for sql in picked:
        found = _FROM.search(sql)
        if found:
            tables.append(found.group(1))
    return tables


def _run(action: Callable[[], Any]) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        action()
    return _locked_tables(captured.captured_queries)


def _before(tables: list[str], first: str, then: str) -> bool:
    return first in tables and then in tables and tables.index(first) < tables.index(then)


# --- one order ------------------------------------------------------------------------------


def test_cancelling_a_date_locks_the_invitation_before_the_shift(world: World) -> None:
    shift = make_shift(community=world.bilin)
    shift = Shift.objects.get(pk=shift.pk)  # as the view passes it: the invitation not read
    tables = _run(lambda: invitation_actions.cancel_shift(shift=shift, actor=world.partner))
    assert tables[0] == "field_invitation"
    assert _before(tables, "field_invitation", "field_shift")


def test_cancelling_a_date_locks_only_the_shift_s_own_row(world: World) -> None:
    shift = make_shift(community=world.bilin)
    with CaptureQueriesContext(connection) as captured:
        invitation_actions.cancel_shift(shift=shift, actor=world.partner)
    for query in captured.captured_queries:
        sql = query["sql"]
        if "FOR UPDATE" in sql and "JOIN" in sql.upper():
            assert "FOR UPDATE OF" in sql, sql


@pytest.mark.parametrize("action", ["update", "cancel"])
def test_changing_an_invitation_locks_it_before_its_shifts(world: World, action: str) -> None:
    invitation = make_shift(community=world.bilin).invitation

    def change() -> None:
        if action == "update":
            invitation_actions.update_invitation(
                invitation=invitation, values={"volunteers_max": 5}, actor=world.partner
            )
        else:
            invitation_actions.cancel_invitation(invitation=invitation, actor=world.partner)

    tables = _run(change)
    assert tables[0] == "field_invitation"
    assert _before(tables, "field_invitation", "field_shift")


def test_reconfirming_locks_the_shift_first_like_the_other_roster_changes(world: World) -> None:
    shift = make_shift(community=world.bilin, starts_at=in_days(1))
    user = make_field_volunteer("still@example.net", "Still Coming", group=world.norcal)
    signup = SignUp.objects.create(shift=shift, user=user, status=SignUpStatus.CONFIRMED)
    signup = SignUp.objects.select_related("shift").get(pk=signup.pk)
    tables = _run(lambda: signup_actions.reconfirm(signup=signup, actor=user))
    assert tables[0] == "field_shift"
    signup.refresh_from_db()
    assert signup.reconfirmed_at is not None


# --- the person's row before their other places ---------------------------------------------


@pytest.fixture
def steps(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """What the action locks (the model of each `select_for_update`) and when it reads the
    person's places (`volunteer_for`), in order: the same on SQLite and PostgreSQL."""
    seen: list[str] = []
    lock = QuerySet.select_for_update
    load = eligibility.volunteer_for

    def locking(self: QuerySet[Any], *args: Any, **kwargs: Any) -> Any:
        seen.append(f"lock {self.model._meta.label}")
        return lock(self, *args, **kwargs)

    def loading(*args: Any, **kwargs: Any) -> Any:
        seen.append("read their places")
        return load(*args, **kwargs)

    monkeypatch.setattr(QuerySet, "select_for_update", locking)
    monkeypatch.setattr(eligibility, "volunteer_for", loading)
    return seen


PERSON_AFTER_SHIFT = ["lock field.Shift", "lock accounts.User", "read their places"]
AUDIT = "lock lib.AuditChainHead"


def _order(steps: list[str]) -> list[str]:
    """The steps up to the audit chain's head (one row every audit entry locks): after it, the
    action may only lock again what it holds already, or it would wait while holding the
    head everyone needs."""
    if AUDIT not in steps:
        return steps
    before = steps[: steps.index(AUDIT)]
    after = steps[steps.index(AUDIT) :]
    assert all(not step.startswith("lock ") or step in (AUDIT, *before) for step in after), steps
    return before


def test_signing_up_locks_the_person_after_the_shift_and_before_the_overlap_check(
    world: World, steps: list[str]
) -> None:
    shift = make_shift(community=world.bilin)
    user = make_field_volunteer("tabs@example.net", "Two Tabs", group=world.norcal)
    steps.clear()
    signup_actions.sign_up(shift=shift, user=user, actor=user)
    assert _order(steps) == PERSON_AFTER_SHIFT


def test_accepting_an_offer_locks_the_person_before_the_overlap_check(
    world: World, steps: list[str]
) -> None:
    shift = make_shift(community=world.bilin)
    user = make_field_volunteer("offered@example.net", "Offered One", group=world.norcal)
    signup = SignUp.objects.create(
        shift=shift,
        user=user,
        status=SignUpStatus.OFFERED,
        offer_expires_at=shift.starts_at - signup_actions.OFFER_ENDS_BEFORE_START,
    )
    steps.clear()
    signup_actions.accept_offer(signup=signup, actor=user)
    assert _order(steps) == PERSON_AFTER_SHIFT
    signup.refresh_from_db()
    assert signup.status == SignUpStatus.CONFIRMED


def test_assigning_locks_the_person_before_the_overlap_check(
    world: World, steps: list[str]
) -> None:
    shift = make_shift(community=world.bilin)
    user = make_field_volunteer("assigned@example.net", "Assigned One", group=world.norcal)
    steps.clear()
    signup_actions.assign_volunteer(shift=shift, user=user, actor=world.coordinator)
    assert _order(steps) == PERSON_AFTER_SHIFT


def test_cancelling_a_date_locks_the_invitation_then_the_shift(
    world: World, steps: list[str]
) -> None:
    shift = Shift.objects.get(pk=make_shift(community=world.bilin).pk)
    steps.clear()
    invitation_actions.cancel_shift(shift=shift, actor=world.partner)
    assert _order(steps) == ["lock field.Invitation", "lock field.Shift"]


def test_reconfirming_locks_the_shift_and_nothing_before_it(world: World, steps: list[str]) -> None:
    shift = make_shift(community=world.bilin, starts_at=in_days(1))
    user = make_field_volunteer("again@example.net", "Again Coming", group=world.norcal)
    signup = SignUp.objects.create(shift=shift, user=user, status=SignUpStatus.CONFIRMED)
    steps.clear()
    signup_actions.reconfirm(signup=signup, actor=user)
    assert _order(steps) == ["lock field.Shift"]


@pytest.mark.django_db(transaction=True)
def test_two_tabs_signing_up_for_overlapping_shifts_at_once_get_one_of_them(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    if getattr(connection, "is_in_memory_db", lambda: False)():
        pytest.fail("the SQLite test database must be a file for this test (see settings)")
    start = in_days(3)
    first = make_shift(community=world.bilin, starts_at=start)
    second = make_shift(community=world.bilin, starts_at=start, title="Olive harvest")
    user = make_field_volunteer("twotabs@example.net", "Two Tabs", group=world.norcal)
    # Widen the window between reading the person's places and taking one, as a slow
    # database would: without the person's lock both tabs read "no other place" here.
    real = eligibility.volunteer_for

    def slow(*args: Any, **kwargs: Any) -> Any:
        found = real(*args, **kwargs)
        time.sleep(0.3)
        return found

    monkeypatch.setattr(eligibility, "volunteer_for", slow)
    barrier = threading.Barrier(2)
    lock = threading.Lock()
    outcomes: list[str] = []
    errors: list[BaseException] = []

    def attempt(shift: Shift) -> None:
        try:
            barrier.wait()
            try:
                signup_actions.sign_up(shift=shift, user=user, actor=user)
                outcome = "taken"
            except signup_actions.SignUpError:
                outcome = "refused"
            with lock:
                outcomes.append(outcome)
        except BaseException as error:
            with lock:
                errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt, args=(s,)) for s in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    assert sorted(outcomes) == ["refused", "taken"]
    assert SignUp.objects.filter(user=user, status=SignUpStatus.CONFIRMED).count() == 1


@pytest.mark.parametrize("action", ["update", "cancel"])
def test_changing_an_invitation_takes_its_locks_in_the_same_order(
    world: World, steps: list[str], action: str
) -> None:
    invitation = make_shift(community=world.bilin, places=1).invitation
    shift = invitation.shifts.get()
    holder = make_field_volunteer("holder@example.net", "Hala Holder", group=world.norcal)
    waiter = make_field_volunteer("waiter@example.net", "Wael Waiter", group=world.norcal)
    SignUp.objects.create(shift=shift, user=holder, status=SignUpStatus.CONFIRMED)
    SignUp.objects.create(shift=shift, user=waiter, status=SignUpStatus.WAITING)
    steps.clear()
    if action == "update":
        # Raising the places offers the new one to the waiting list, under the same locks.
        invitation_actions.update_invitation(
            invitation=invitation, values={"volunteers_max": 2}, actor=world.partner
        )
        assert SignUp.objects.get(user=waiter).status == SignUpStatus.OFFERED
    else:
        invitation_actions.cancel_invitation(invitation=invitation, actor=world.partner)
    assert _order(steps) == ["lock field.Invitation", "lock field.Shift"]
