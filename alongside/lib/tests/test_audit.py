"""The audit log: append-only, hash-chained, never holding the sensitive values themselves,
and `manage.py verify_audit` names whatever was edited, removed or moved.

Tests that tamper with the log play an attacker with write access to the database: they go
around the model's guards (`QuerySet.update` / `QuerySet.delete` of Django itself) and switch
off the database triggers inside the test's transaction.
"""

from __future__ import annotations

import importlib
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from io import StringIO
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, models, transaction
from django.test import RequestFactory, override_settings
from django.urls import ResolverMatch

from alongside.lib.audit import (
    AuditDetailError,
    record,
    seal_entry,
    seal_head,
    verify_chain,
)
from alongside.lib.models import GENESIS_HASH, AppendOnlyError, AuditChainHead, AuditEntry
from alongside.movement.models import Role
from conftest import World, enable_totp, make_user, sign_in

_migration = importlib.import_module("alongside.lib.migrations.0001_initial")


# --- helpers -------------------------------------------------------------------------------


@contextmanager
def _triggers_off() -> Iterator[None]:
    """Inside the test's transaction, so the triggers come back when it rolls back."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE lib_auditentry DISABLE TRIGGER lib_auditentry_append_only")
        else:
            for statement in _migration.SQLITE_REMOVE:
                cursor.execute(statement)
    yield
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE lib_auditentry ENABLE TRIGGER lib_auditentry_append_only")
        else:
            for statement in _migration.SQLITE_INSTALL:
                cursor.execute(statement)


def _tamper(number: int, /, **changes: Any) -> None:
    with _triggers_off():
        models.QuerySet.update(AuditEntry.objects.filter(sequence=number), **changes)


def _remove(sequence: int) -> None:
    with _triggers_off():
        models.QuerySet.delete(AuditEntry.objects.filter(sequence=sequence))


def _swap(first: int, second: int) -> None:
    with _triggers_off():
        entries = AuditEntry.objects
        models.QuerySet.update(entries.filter(sequence=first), sequence=10**9)
        models.QuerySet.update(entries.filter(sequence=second), sequence=first)
        models.QuerySet.update(entries.filter(sequence=10**9), sequence=second)


def _log(world: World, count: int = 5) -> list[AuditEntry]:
    return [
        record(
            actor=world.core,
            action="read",
            target=world.norcal,
            detail={"fields": ["public_email"], "page": index},
        )
        for index in range(1, count + 1)
    ]


def _verify_problems() -> list[str]:
    """Run the command as an operator would and return the problems it printed."""
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError, match="tampered"):
        call_command("verify_audit", stdout=out, stderr=err)
    return err.getvalue().splitlines()


# --- recording -----------------------------------------------------------------------------


def test_each_entry_is_sealed_over_the_seal_of_the_one_before(world: World) -> None:
    first, second, third = _log(world, 3)

    entries = list(AuditEntry.objects.all())
    assert [e.sequence for e in entries] == [1, 2, 3]
    assert entries[0].prev_hash == GENESIS_HASH
    assert entries[1].prev_hash == first.hash
    assert entries[2].prev_hash == second.hash
    assert all(seal_entry(e) == e.hash for e in entries)
    head = AuditChainHead.objects.get()
    assert (head.sequence, head.hash) == (3, third.hash)
    assert head.mac == seal_head(3, third.hash)


def test_an_entry_records_who_did_what_to_which_record_and_nothing_about_the_request_person(
    world: World,
) -> None:
    request = RequestFactory().post(
        "/en/groups/northern-california/contact/",
        REMOTE_ADDR="203.0.113.77",
        HTTP_USER_AGENT="Mozilla/5.0 (Secret Phone)",
    )
    request.resolver_match = ResolverMatch(
        func=lambda request: None,
        args=(),
        kwargs={},
        url_name="group_contact",
        app_names=["public"],
        namespaces=["public"],
    )

    record(
        actor=world.core,
        action="update",
        target=world.norcal,
        request=request,
        detail={"fields": ["public_email", "region_en"]},
    )

    entry = AuditEntry.objects.get()
    assert entry.actor_id == world.core.pk
    assert entry.actor_label == f"user:{world.core.pk}"
    assert (entry.target_type, entry.target_id) == ("movement.group", str(world.norcal.pk))
    assert (entry.url_name, entry.method) == ("public:group_contact", "POST")
    assert entry.detail == {"fields": ["public_email", "region_en"]}
    stored = " ".join(str(value) for value in AuditEntry.objects.values().get().values())
    for personal in ["203.0.113.77", "Secret Phone", "northern-california", "norcal@example.org"]:
        assert personal not in stored
    assert world.core.email not in stored


def test_visitors_and_the_platform_itself_are_recorded_without_an_id(world: World) -> None:
    record(actor=AnonymousUser(), action="create", target=world.norcal)
    record(actor=None, action="send")

    visitor, platform = AuditEntry.objects.all()
    assert (visitor.actor_id, visitor.actor_label) == (None, "anonymous")
    assert (platform.actor_id, platform.actor_label) == (None, "system")
    assert (platform.target_type, platform.target_id) == ("", "")


def test_small_facts_are_kept_as_plain_values(world: World) -> None:
    record(
        actor=world.core,
        action="update",
        target=world.norcal,
        detail={
            "role": Role.CORE,
            "fields": ("name_en", "name_ar"),
            "count": 3,
            "confirmed": True,
            "reason": None,
            "label": "x" * 64,
        },
    )

    detail = AuditEntry.objects.get().detail
    assert detail == {
        "role": "core",
        "fields": ["name_en", "name_ar"],
        "count": 3,
        "confirmed": True,
        "reason": None,
        "label": "x" * 64,
    }
    assert type(detail["role"]) is str


@pytest.mark.parametrize(
    "detail",
    [
        {"note": "Witness lives by the checkpoint"},
        {"name": "Amal Haddad"},
        {"note": "x" * 65},
        {"note": "two\nlines"},
        {"contact": {"name": "Amal"}},
        {"lat": 31.9},
        {"fields": ["name", "y" * 65]},
        {"fields": ["name", 3]},
        {"fields": ["f"] * 51},
        {"Not an identifier": 1},
        {f"key{n}": n for n in range(21)},
        {"big": 2**60},
    ],
    ids=[
        "prose",
        "full-name",
        "long-text",
        "multi-line",
        "nested",
        "float",
        "long-list-item",
        "non-text-list-item",
        "long-list",
        "bad-key",
        "too-many-keys",
        "huge-number",
    ],
)
def test_detail_that_could_carry_content_is_refused_and_nothing_is_written(
    world: World, detail: dict[str, Any]
) -> None:
    with pytest.raises(AuditDetailError) as refused:
        record(actor=world.core, action="update", target=world.norcal, detail=detail)

    for value in detail.values():
        if isinstance(value, str):
            assert value not in str(refused.value)
    assert not AuditEntry.objects.exists()


@pytest.mark.parametrize("action", ["", "Read", "read the screening notes", "x" * 33])
def test_an_action_must_be_a_short_verb(world: World, action: str) -> None:
    with pytest.raises(AuditDetailError):
        record(actor=world.core, action=action)
    assert not AuditEntry.objects.exists()


def test_an_unsaved_target_is_refused(world: World) -> None:
    from alongside.movement.models import Group

    with pytest.raises(ValueError, match="primary key"):
        record(actor=world.core, action="create", target=Group(slug="new"))
    assert not AuditEntry.objects.exists()


def test_an_entry_exists_only_if_the_change_committed(world: World) -> None:
    class Failure(Exception):
        pass

    with pytest.raises(Failure), transaction.atomic():
        record(actor=world.core, action="update", target=world.norcal)
        raise Failure

    assert not AuditEntry.objects.exists()
    entry = record(actor=world.core, action="update", target=world.norcal)
    assert entry.sequence == 1
    assert verify_chain().ok


def test_entries_outlive_the_person_and_still_verify(world: World) -> None:
    record(actor=world.volunteer, action="read", target=world.norcal)
    record(actor=world.core, action="update", target=world.norcal)
    volunteer_id = world.volunteer.pk

    world.volunteer.delete()

    entry = AuditEntry.objects.get(sequence=1)
    assert (entry.actor_id, entry.actor_label) == (volunteer_id, f"user:{volunteer_id}")
    assert AuditEntry.objects.filter(actor_id=volunteer_id).count() == 1
    assert verify_chain().ok


def test_entries_about_a_record_and_by_a_person_can_be_listed(world: World) -> None:
    record(actor=world.core, action="read", target=world.norcal)
    record(actor=world.outsider, action="read", target=world.london)
    record(actor=world.core, action="update", target=world.london)

    assert [e.sequence for e in AuditEntry.objects.about(world.london)] == [2, 3]
    assert [e.sequence for e in AuditEntry.objects.by(world.core)] == [1, 3]


# --- append-only ---------------------------------------------------------------------------


def test_the_model_refuses_to_change_or_delete_entries(world: World) -> None:
    entry, _ = _log(world, 2)

    entry.action = "delete"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(sequence=1).update(action="delete")
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.all().delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.bulk_update([entry], ["action"])

    assert list(AuditEntry.objects.values_list("action", flat=True)) == ["read", "read"]
    assert verify_chain().ok


def test_the_database_refuses_updates_that_go_around_the_model(world: World) -> None:
    _log(world, 2)

    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        models.QuerySet.update(AuditEntry.objects.filter(sequence=1), action="delete")

    assert AuditEntry.objects.get(sequence=1).action == "read"


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="on SQLite Django's test flush deletes rows, so only the model refuses deletion",
)
def test_postgresql_refuses_deletes_that_go_around_the_model(world: World) -> None:
    _log(world, 2)

    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        models.QuerySet.delete(AuditEntry.objects.filter(sequence=1))

    assert AuditEntry.objects.count() == 2


def test_the_admin_shows_entries_but_offers_no_way_to_change_them(
    world: World, client: Any
) -> None:
    staff = make_user("admin@example.org", "Ada Admin")
    staff.is_staff = staff.is_superuser = True
    staff.save()
    enable_totp(staff)
    (entry,) = _log(world, 1)
    sign_in(client, staff)

    assert client.get("/en/admin/lib/auditentry/").status_code == 200
    detail_page = client.get(f"/en/admin/lib/auditentry/{entry.pk}/change/")
    assert detail_page.status_code == 200
    assert b'name="action"' not in detail_page.content
    assert client.get("/en/admin/lib/auditentry/add/").status_code == 403
    assert client.post(f"/en/admin/lib/auditentry/{entry.pk}/delete/").status_code == 403
    assert (
        client.post(
            f"/en/admin/lib/auditentry/{entry.pk}/change/", {"action": "delete"}
        ).status_code
        == 403
    )
    assert AuditEntry.objects.get().action == "read"


# --- verifying -----------------------------------------------------------------------------


def test_verify_reports_an_intact_chain_with_its_length(world: World) -> None:
    _log(world, 5)
    out = StringIO()

    call_command("verify_audit", "--chunk-size", "2", stdout=out)

    head = AuditChainHead.objects.get()
    assert f"intact: 5 entries, head #5 {head.hash}" in out.getvalue()


def test_verify_accepts_an_empty_log(db: Any) -> None:
    out = StringIO()
    call_command("verify_audit", stdout=out)
    assert "intact: 0 entries" in out.getvalue()


def test_verify_names_an_entry_whose_detail_was_edited(world: World) -> None:
    _log(world, 5)
    _tamper(3, detail={"fields": ["emergency_contact"], "page": 3})

    assert _verify_problems() == ["entry #3 was edited"]


def test_verify_names_an_entry_whose_action_was_edited(world: World) -> None:
    _log(world, 5)
    _tamper(2, action="create")

    assert _verify_problems() == ["entry #2 was edited"]


def test_verify_names_an_entry_whose_person_was_changed(world: World) -> None:
    _log(world, 5)
    _tamper(4, actor_id=world.outsider.pk, actor_label=f"user:{world.outsider.pk}")

    assert _verify_problems() == ["entry #4 was edited"]


def test_an_attacker_without_the_key_cannot_reseal_an_edited_chain(world: World) -> None:
    _log(world, 3)
    previous_hash = GENESIS_HASH
    with override_settings(AUDIT_KEY="an attacker's guess at the audit key, long enough"):
        for entry in list(AuditEntry.objects.all()):
            if entry.sequence == 2:
                entry.action = "create"
            entry.prev_hash = previous_hash
            entry.hash = previous_hash = seal_entry(entry)
            _tamper(entry.sequence, action=entry.action, prev_hash=entry.prev_hash, hash=entry.hash)
        models.QuerySet.update(
            AuditChainHead.objects.all(), hash=previous_hash, mac=seal_head(3, previous_hash)
        )

    assert _verify_problems() == [
        "entry #1 was edited",
        "entry #2 was edited",
        "entry #3 was edited",
        "the chain head was edited",
        "Every entry fails its seal: check that AUDIT_KEY (or var/audit_key) is the key the log "
        "was written with.",
    ]


def test_verify_names_an_entry_removed_from_the_middle(world: World) -> None:
    _log(world, 5)
    _remove(3)

    assert _verify_problems() == ["entry #3 is missing"]


def test_verify_names_the_first_entry_when_it_was_removed(world: World) -> None:
    _log(world, 5)
    _remove(1)

    assert _verify_problems() == ["entry #1 is missing"]


def test_verify_names_the_last_entries_when_they_were_removed(world: World) -> None:
    _log(world, 5)
    _remove(5)
    _remove(4)

    assert _verify_problems() == ["entries #4 to #5 are missing"]


def test_verify_notices_a_removal_hidden_by_renumbering(world: World) -> None:
    _log(world, 5)
    _remove(3)
    _tamper(4, sequence=3)
    _tamper(5, sequence=4)

    problems = _verify_problems()
    assert problems[0] == "an entry is missing just before #3"
    assert "entry #5 is missing" in problems


def test_verify_notices_that_the_chain_head_was_removed(world: World) -> None:
    _log(world, 3)
    models.QuerySet.delete(AuditChainHead.objects.all())

    assert _verify_problems() == ["the chain head is missing"]


def test_verify_names_entries_that_swapped_places(world: World) -> None:
    _log(world, 5)
    _swap(2, 3)

    assert _verify_problems() == ["entries #2 and #3 are out of order"]


def test_verify_names_the_last_two_entries_when_they_swapped_places(world: World) -> None:
    _log(world, 5)
    _swap(4, 5)

    assert _verify_problems() == ["entries #4 and #5 are out of order"]


def test_verify_names_an_entry_moved_to_the_end(world: World) -> None:
    _log(world, 5)
    _tamper(2, sequence=10**9)
    for sequence in (3, 4, 5):
        _tamper(sequence, sequence=sequence - 1)
    _tamper(10**9, sequence=5)

    assert _verify_problems() == ["entries #2 and #5 are out of order"]


def test_verify_lists_every_problem_it_finds(world: World) -> None:
    _log(world, 8)
    _tamper(2, action="export")
    _remove(4)
    _swap(6, 7)

    assert _verify_problems() == [
        "entry #2 was edited",
        "entry #4 is missing",
        "entries #6 and #7 are out of order",
    ]


def test_verify_counts_every_problem_but_lists_only_the_first_ones(world: World) -> None:
    _log(world, 5)
    for number in (1, 3, 5):
        _tamper(number, action="export")
    err = StringIO()

    with pytest.raises(CommandError, match="3 problem"):
        call_command("verify_audit", "--max-problems", "1", stdout=StringIO(), stderr=err)

    assert err.getvalue().splitlines() == ["entry #1 was edited", "... and 2 more"]


def test_appending_refuses_to_hide_a_removed_chain_head(world: World) -> None:
    _log(world, 2)
    models.QuerySet.delete(AuditChainHead.objects.all())

    with pytest.raises(RuntimeError, match="head is missing"):
        record(actor=world.core, action="read")


# --- concurrency ---------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_take_turns_instead_of_forking_the_chain() -> None:
    # Only SQLite's connection wrapper knows the method.
    if getattr(connection, "is_in_memory_db", lambda: False)():
        pytest.skip(
            "threads share an in-memory SQLite test database through SQLite's shared cache, "
            "which fails with 'database table is locked' instead of waiting; on a file "
            "database (as in production) IMMEDIATE transactions make writers take turns"
        )
    threads_count, per_thread = 4, 10
    start = threading.Barrier(threads_count)
    errors: list[BaseException] = []

    def write(thread: int) -> None:
        try:
            start.wait()
            for index in range(per_thread):
                with transaction.atomic():
                    record(actor=None, action="read", detail={"thread": thread, "i": index})
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(threads_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    total = threads_count * per_thread
    entries = list(AuditEntry.objects.order_by("sequence"))
    assert [e.sequence for e in entries] == list(range(1, total + 1))
    assert len({e.prev_hash for e in entries}) == total
    # The writers really overlapped: their entries interleave in the chain.
    writers = [e.detail["thread"] for e in entries]
    assert writers != sorted(writers)
    assert verify_chain().ok
