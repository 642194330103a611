"""Encryption at rest: what identifies people is unreadable in the database, bound to its row,
column and purpose, and keys can be rotated and retired without losing anything."""

from __future__ import annotations

import base64
import datetime as dt
import json
import stat
import threading
from collections.abc import Iterator
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import connection, models, transaction
from django.test.utils import isolate_apps
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from alongside.decisions.models import Absence
from alongside.lib import crypto
from alongside.lib.crypto import DecryptionError, EncryptedCharField, EncryptedTextField
from alongside.movement.models import ContactMessage
from conftest import World

MARKER = "Zaytoun-marker-5c1e9"
# Days nothing else in a test database falls on: when someone is away is theirs to tell.
AWAY_FROM = dt.date(2093, 7, 19)
BACK_AFTER = dt.date(2093, 8, 2)
# Any Python text, lone surrogates included: the ciphertext is base64 whatever the plaintext.
ANY_TEXT = st.text(alphabet=st.characters(codec=None, exclude_categories=()))


@pytest.fixture(autouse=True)
def keys_file(settings: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Each test gets its own keys file, no ENCRYPTION_KEYS, no keys cached from another test,
    and no values registered outside fields by other apps."""
    monkeypatch.delenv("ENCRYPTION_KEYS", raising=False)
    monkeypatch.setattr(crypto, "_token_sources", {})
    path = tmp_path / "var" / "encryption_keys.json"
    settings.ENCRYPTION_KEYS_FILE = path
    crypto.reset_key_cache()
    yield path
    crypto.reset_key_cache()


def send_message(world: World, text: str = MARKER) -> ContactMessage:
    return ContactMessage.objects.create(
        group=world.norcal,
        sender_name=f"Leila {text}",
        sender_email="leila@example.org",
        body=f"I would like to join the olive harvest. {text}",
    )


def raw(message: ContactMessage, column: str) -> Any:
    """The stored value, read past the ORM."""
    table = connection.ops.quote_name(ContactMessage._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {connection.ops.quote_name(column)} FROM {table} WHERE id = %s",
            [message.pk],
        )
        return cursor.fetchone()[0]


def write_raw(message: ContactMessage, column: str, value: str) -> None:
    table = connection.ops.quote_name(ContactMessage._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET {connection.ops.quote_name(column)} = %s WHERE id = %s",
            [value, message.pk],
        )


def reload(message: ContactMessage) -> ContactMessage:
    return ContactMessage.objects.get(pk=message.pk)


def kid_of_every_value() -> set[str | None]:
    columns = ("sender_name", "sender_email", "body")
    return {
        crypto.key_id_of(token)
        for row in ContactMessage.objects.values_list(*columns)
        for token in row
    }


def rotate(*args: str) -> str:
    out = StringIO()
    call_command("rotate_keys", *args, stdout=out)
    return out.getvalue()


def fresh_key() -> str:
    return base64.b64encode(bytes(range(32))).decode()


# --- model fields -----------------------------------------------------------------------------


def test_a_contact_message_reads_back_as_it_was_written(world: World) -> None:
    message = send_message(world)

    again = reload(message)

    assert again.sender_name == f"Leila {MARKER}"
    assert again.sender_email == "leila@example.org"
    assert again.body == f"I would like to join the olive harvest. {MARKER}"


def test_the_database_holds_a_token_and_never_the_plaintext(world: World) -> None:
    message = send_message(world)

    for column in ("sender_name", "sender_email", "body"):
        stored = raw(message, column)
        assert stored.startswith(f"v1:{crypto.current_key_id()}:")
        assert MARKER not in stored
        assert "leila@example.org" not in stored


def test_the_same_text_encrypts_differently_every_time(world: World) -> None:
    first, second = send_message(world), send_message(world)

    assert raw(first, "sender_email") != raw(second, "sender_email")


def test_a_value_copied_to_another_row_fails_to_decrypt(world: World) -> None:
    victim, attacker = send_message(world), send_message(world, "attacker")
    write_raw(attacker, "body", raw(victim, "body"))

    with pytest.raises(DecryptionError, match="another row, column or context"):
        reload(attacker).body


def test_a_value_copied_to_another_column_fails_to_decrypt(world: World) -> None:
    message = send_message(world)
    write_raw(message, "sender_email", raw(message, "sender_name"))

    again = reload(message)

    assert again.sender_name == f"Leila {MARKER}"
    with pytest.raises(DecryptionError):
        again.sender_email


def test_an_altered_value_fails_to_decrypt(world: World) -> None:
    message = send_message(world)
    token = raw(message, "body")
    flipped = token[:-5] + ("A" if token[-5] != "A" else "B") + token[-4:]
    write_raw(message, "body", flipped)

    with pytest.raises(DecryptionError, match="failed authentication"):
        reload(message).body


def test_a_value_under_an_unknown_key_fails_to_decrypt(world: World) -> None:
    message = send_message(world)
    _version, _kid, payload = raw(message, "body").split(":")
    write_raw(message, "body", f"v1:retired:{payload}")

    with pytest.raises(DecryptionError, match="under key retired, not configured"):
        reload(message).body


def test_a_decryption_error_names_no_part_of_the_value(world: World) -> None:
    message = send_message(world)
    token = raw(message, "body")
    write_raw(message, "body", token[:-2] + "xx")

    with pytest.raises(DecryptionError) as caught:
        reload(message).body

    assert MARKER not in str(caught.value)
    assert token[10:30] not in str(caught.value)
    assert caught.value.__cause__ is None


def test_an_empty_value_is_stored_empty_and_not_encrypted(world: World) -> None:
    message = ContactMessage.objects.create(
        group=world.norcal, sender_name="Leila", sender_email="", body=""
    )

    assert raw(message, "body") == ""
    assert reload(message).body == ""
    assert ContactMessage.objects.filter(sender_email="").get() == message


def test_a_deferred_encrypted_field_decrypts_when_read(world: World) -> None:
    message = send_message(world)

    again = ContactMessage.objects.only("pk").get(pk=message.pk)

    assert again.body.endswith(MARKER)


def test_values_list_gives_tokens_never_plaintext(world: World) -> None:
    send_message(world)

    (body,) = ContactMessage.objects.values_list("body", flat=True)

    assert MARKER not in body
    assert crypto.key_id_of(body) == crypto.current_key_id()


def test_bulk_create_encrypts_each_row(world: World) -> None:
    (message,) = ContactMessage.objects.bulk_create(
        [ContactMessage(group=world.norcal, sender_name=MARKER, sender_email="a@example.org")]
    )

    assert MARKER not in raw(message, "sender_name")
    assert reload(message).sender_name == MARKER


def test_queryset_update_refuses_to_store_plaintext(world: World) -> None:
    message = send_message(world)

    with (
        pytest.raises(crypto.EncryptedFieldError, match="write it through save"),
        transaction.atomic(),
    ):
        ContactMessage.objects.filter(pk=message.pk).update(body="written around save")

    assert reload(message).body.endswith(MARKER)


def test_bulk_update_and_lookups_by_value_are_refused(world: World) -> None:
    message = send_message(world)
    message.body = "written around save"

    with pytest.raises(crypto.EncryptedFieldError):
        ContactMessage.objects.bulk_update([message], ["body"])
    with pytest.raises(crypto.EncryptedFieldError):
        list(ContactMessage.objects.filter(sender_email="leila@example.org"))


def test_dumpdata_refuses_to_export_encrypted_fields_in_plaintext(world: World) -> None:
    send_message(world)

    with pytest.raises(CommandError, match="is encrypted and is not serialised"):
        call_command("dumpdata", "movement.contactmessage", stdout=StringIO())


def test_max_length_limits_the_plaintext_not_the_column(world: World) -> None:
    name_field = ContactMessage._meta.get_field("sender_name")
    message = ContactMessage(
        group=world.norcal, sender_name="x" * 121, sender_email="a@example.org", body="Hello"
    )

    with pytest.raises(ValidationError) as caught:
        message.full_clean()

    assert list(caught.value.message_dict) == ["sender_name"]
    form_field = name_field.formfield()
    assert isinstance(form_field, forms.CharField)
    assert not isinstance(form_field.widget, forms.Textarea)
    assert form_field.max_length == 120
    assert name_field.db_type(connection) == models.TextField().db_type(connection)
    message.sender_name = "x" * 120
    message.save()
    assert len(raw(message, "sender_name")) > 120


def test_the_fields_deconstruct_to_what_the_migration_uses() -> None:
    name_field = ContactMessage._meta.get_field("sender_name")
    body_field = ContactMessage._meta.get_field("body")

    _name, path, args, kwargs = name_field.deconstruct()
    assert (path, args, kwargs) == (
        "alongside.lib.crypto.EncryptedCharField",
        [],
        {"max_length": 120, "verbose_name": "name"},
    )
    _name, path, args, kwargs = body_field.deconstruct()
    assert (path, args, kwargs) == (
        "alongside.lib.crypto.EncryptedTextField",
        [],
        {"max_length": 5000, "verbose_name": "message"},
    )


@isolate_apps("alongside.lib")
def test_a_model_with_encrypted_fields_must_have_a_row_key() -> None:
    class Careless(models.Model):  # noqa: DJ008
        secret = EncryptedTextField()
        name = EncryptedCharField(unique=True)

        class Meta:
            app_label = "lib"

    ids = sorted(error.id for error in Careless.check() if error.id)

    assert ids == ["crypto.E001", "crypto.E001", "crypto.E002", "crypto.E003"]


@pytest.mark.django_db(transaction=True)
def test_the_sqlite_database_file_does_not_contain_a_marker(world: World, tmp_path: Path) -> None:
    """The test database is in memory, so `VACUUM INTO` writes it to a file byte for byte as
    SQLite would store it; a file database is read as is, write-ahead log included."""
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL keeps its files on the server; the raw column tests cover it.")
    send_message(world)
    away = Absence.objects.create(  # type: ignore[misc]  # encrypted dates: the stubs type them as text
        group=world.norcal, member=world.volunteer, starts_on=AWAY_FROM, ends_on=BACK_AFTER
    )
    assert Absence.objects.get(pk=away.pk).starts_on == AWAY_FROM
    copy = tmp_path / "copy.sqlite3"
    with connection.cursor() as cursor:
        cursor.execute("VACUUM INTO %s", [str(copy)])
    files = [copy]
    name = str(connection.settings_dict["NAME"])
    if not connection.creation.is_in_memory_db(name):  # type: ignore[attr-defined]  # SQLite only
        files += [Path(name), Path(f"{name}-wal")]
    contents = b"".join(path.read_bytes() for path in files if path.exists())

    # What is not encrypted is there to be found, so the search below can find a plaintext.
    assert world.norcal.name_en.encode() in contents
    assert MARKER.encode() not in contents
    assert b"leila@example.org" not in contents
    assert "leila@example.org".encode("utf-16-le") not in contents
    for day in (AWAY_FROM, BACK_AFTER):
        assert day.isoformat().encode() not in contents
        assert day.isoformat().encode("utf-16-le") not in contents


@hypothesis_settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=ANY_TEXT)
def test_any_text_round_trips_through_the_database(world: World, text: str) -> None:
    message = ContactMessage.objects.create(
        group=world.norcal, sender_name=text, sender_email=text, body=text
    )

    again = reload(message)

    assert (again.sender_name, again.sender_email, again.body) == (text, text, text)


# --- values outside fields --------------------------------------------------------------------


@given(text=ANY_TEXT, context=st.text(min_size=1))
def test_any_text_round_trips_through_encrypt_value(text: str, context: str) -> None:
    assert crypto.decrypt_value(crypto.encrypt_value(text, context=context), context=context) == (
        text
    )


def test_a_value_encrypted_for_one_context_does_not_decrypt_for_another() -> None:
    token = crypto.encrypt_value("JBSWY3DPEHPK3PXP", context="mfa.totp")

    assert crypto.decrypt_value(token, context="mfa.totp") == "JBSWY3DPEHPK3PXP"
    with pytest.raises(DecryptionError):
        crypto.decrypt_value(token, context="mfa.recovery")


def test_something_that_is_not_a_token_does_not_decrypt() -> None:
    for bogus in ("", "JBSWY3DPEHPK3PXP", "v1:k1", "v2:k1:AAAA", "v1:k1:***", "v1:K1:AAAA"):
        with pytest.raises(DecryptionError):
            crypto.decrypt_value(bogus, context="mfa.totp")


# --- keys -------------------------------------------------------------------------------------


def test_the_keys_file_is_created_with_mode_0600_when_missing(keys_file: Path) -> None:
    assert not keys_file.exists()

    token = crypto.encrypt_value("secret", context="test")

    assert stat.S_IMODE(keys_file.stat().st_mode) == 0o600
    stored = json.loads(keys_file.read_text())
    assert list(stored["keys"]) == [stored["current"]]
    assert crypto.key_id_of(token) == stored["current"]


def test_web_and_worker_starting_together_write_one_key(keys_file: Path) -> None:
    start = threading.Barrier(8)
    currents: list[str] = []

    def start_process() -> None:
        start.wait()
        currents.append(crypto.read_or_create_keys_file(keys_file).current)

    threads = [threading.Thread(target=start_process) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(currents) == 8
    assert set(currents) == {json.loads(keys_file.read_text())["current"]}
    assert [p.name for p in keys_file.parent.iterdir()] == [keys_file.name]


def test_keys_from_the_environment_take_precedence_over_the_file(
    keys_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    file_token = crypto.encrypt_value("from the file", context="test")
    monkeypatch.setenv("ENCRYPTION_KEYS", f"env2:{fresh_key()}, env1:{crypto.generate_key()}")

    token = crypto.encrypt_value("from the environment", context="test")

    assert crypto.key_id_of(token) == "env2"
    assert crypto.key_ring().kids == ["env2", "env1"]
    with pytest.raises(DecryptionError, match="not configured"):
        crypto.decrypt_value(file_token, context="test")


def test_the_environment_may_give_the_keys_as_json(monkeypatch: pytest.MonkeyPatch) -> None:
    keys = {"old": crypto.generate_key(), "new": crypto.generate_key()}
    monkeypatch.setenv("ENCRYPTION_KEYS", json.dumps({"current": "new", "keys": keys}))

    assert crypto.current_key_id() == "new"


@pytest.mark.parametrize(
    "value",
    [
        "k1",
        "k1:c2hvcnQ=",
        "Upper:" + base64.b64encode(bytes(32)).decode(),
        "k1:"
        + base64.b64encode(bytes(32)).decode()
        + ",k1:"
        + base64.b64encode(bytes(32)).decode(),
        '{"current": "k2", "keys": {"k1": "' + base64.b64encode(bytes(32)).decode() + '"}}',
        "k1:not base64 at all!",
    ],
)
def test_malformed_environment_keys_are_refused_without_showing_them(
    value: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ENCRYPTION_KEYS", value)

    with pytest.raises(crypto.KeyConfigurationError) as caught:
        crypto.encrypt_value("x", context="test")

    assert base64.b64encode(bytes(32)).decode() not in str(caught.value)


def test_a_key_added_by_another_process_is_picked_up_to_decrypt(keys_file: Path) -> None:
    crypto.current_key_id()
    stored = json.loads(keys_file.read_text())
    stored["keys"]["elsewhere"] = fresh_key()
    keys_file.write_text(json.dumps(stored))
    other_process = crypto.KeyRing(
        current="elsewhere", keys={"elsewhere": bytes(range(32))}, source="test"
    )

    token = crypto._encrypt(other_process, "written by the worker", "test")

    assert crypto.decrypt_value(token, context="test") == "written by the worker"


def test_a_key_ring_never_shows_its_keys() -> None:
    ring = crypto.key_ring()

    assert "AESGCM" not in repr(ring)
    assert ring.current in repr(ring)


# --- rotation ---------------------------------------------------------------------------------


def test_rotation_re_encrypts_every_row_under_the_new_key(world: World, keys_file: Path) -> None:
    messages = [send_message(world, f"{MARKER}-{n}") for n in range(3)]
    old = crypto.current_key_id()

    output = rotate("--new-key")

    new = crypto.current_key_id()
    assert new != old
    assert f"New current key: {new}" in output
    assert "Left to re-encrypt: 0 values" in output
    assert kid_of_every_value() == {new}
    assert [reload(m).body for m in messages] == [m.body for m in messages]
    stored = json.loads(keys_file.read_text())
    assert stored["current"] == new
    assert set(stored["keys"]) == {old, new}
    assert stat.S_IMODE(keys_file.stat().st_mode) == 0o600


def test_rotation_stopped_after_one_batch_continues_where_it_stopped(world: World) -> None:
    messages = [send_message(world, f"{MARKER}-{n}") for n in range(3)]
    old = crypto.current_key_id()

    first = rotate("--new-key", "--batch-size", "1", "--max-batches", "1")

    new = crypto.current_key_id()
    counts = ", ".join(f"{kid} {n}" for kid, n in sorted({new: 1, old: 2}.items()))
    assert "Stopped after 1 batches" in first
    assert f"movement.ContactMessage.body: {counts}" in first
    assert [crypto.key_id_of(raw(m, "body")) for m in messages] == [new, old, old]

    second = rotate("--batch-size", "1")

    assert "movement.ContactMessage: 2 rows to re-encrypt" in second
    assert "Left to re-encrypt: 0 values" in second
    assert kid_of_every_value() == {new}
    assert [reload(m).sender_name for m in messages] == [m.sender_name for m in messages]


def test_rotation_leaves_a_value_it_cannot_decrypt_and_says_so(world: World) -> None:
    broken, fine = send_message(world), send_message(world)
    write_raw(broken, "body", raw(fine, "body"))

    with pytest.raises(CommandError, match=f"pk={broken.pk}"):
        rotate("--new-key")

    assert crypto.key_id_of(raw(fine, "body")) == crypto.current_key_id()
    assert reload(fine).body.endswith(MARKER)


def test_retiring_a_key_is_refused_while_a_value_uses_it(world: World, keys_file: Path) -> None:
    send_message(world)
    old = crypto.current_key_id()
    rotate("--new-key", "--max-batches", "0")

    with pytest.raises(CommandError, match=f"Key {old} still encrypts 3 values"):
        rotate("--retire", old)
    assert old in json.loads(keys_file.read_text())["keys"]

    rotate()
    output = rotate("--retire", old)

    assert f"Retired key {old}." in output
    assert old not in json.loads(keys_file.read_text())["keys"]
    assert reload(ContactMessage.objects.get()).body.endswith(MARKER)


def test_the_current_key_cannot_be_retired() -> None:
    with pytest.raises(CommandError, match="is the current key"):
        rotate("--retire", crypto.current_key_id())


def test_a_new_key_cannot_be_written_while_keys_come_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, keys_file: Path
) -> None:
    monkeypatch.setenv("ENCRYPTION_KEYS", f"env1:{fresh_key()}")

    with pytest.raises(CommandError, match="ENCRYPTION_KEYS"):
        rotate("--new-key")

    assert not keys_file.exists()


def test_generate_prints_a_key_the_environment_accepts(monkeypatch: pytest.MonkeyPatch) -> None:
    line = rotate("--generate").strip()
    monkeypatch.setenv("ENCRYPTION_KEYS", line)

    assert crypto.current_key_id() == line.split(":")[0]


def test_rotation_reaches_values_kept_outside_fields(db: None) -> None:
    store = {n: crypto.encrypt_value(f"secret {n}", context="mfa.totp") for n in range(3)}
    old = crypto.current_key_id()

    def reencrypt_batch(size: int) -> int:
        stale = [n for n, token in store.items() if crypto.needs_reencryption(token)][:size]
        for n in stale:
            store[n] = crypto.reencrypt_value(store[n], context="mfa.totp")
        return len(stale)

    crypto.register_token_source(
        crypto.TokenSource(label="mfa.totp", tokens=store.values, reencrypt_batch=reencrypt_batch)
    )
    rotate("--new-key", "--batch-size", "2", "--max-batches", "1")
    with pytest.raises(CommandError, match="still encrypts 1 values"):
        rotate("--retire", old)

    rotate()

    assert {crypto.key_id_of(token) for token in store.values()} == {crypto.current_key_id()}
    assert crypto.decrypt_value(store[2], context="mfa.totp") == "secret 2"
    rotate("--retire", old)


# --- dates -------------------------------------------------------------------------------------


def test_encrypted_dates_round_trip_as_dates_and_are_not_stored_in_plaintext(world: World) -> None:
    import datetime as dt

    from alongside.lib.crypto import EncryptedDateField

    field = EncryptedDateField()
    field.set_attributes_from_name("arrival")
    field.model = ContactMessage
    assert field.to_plaintext(dt.date(2027, 3, 14)) == "2027-03-14"
    assert field.to_plaintext("2027-03-14") == "2027-03-14"
    assert field.from_plaintext("2027-03-14") == dt.date(2027, 3, 14)
    with pytest.raises(ValidationError):
        field.to_python("14/03/2027")
