"""Encryption at rest for what identifies people: AES-256-GCM with a key id in every value.

Stored format: ``v1:<kid>:<base64url(nonce + ciphertext + tag)>`` (unpadded). The associated data
binds each value to where it belongs: ``<db_table>.<column>.<row_key>`` for a model field, the
caller's ``context`` (such as ``"mfa.totp"``) for `encrypt_value`. A value copied to another row,
column or purpose, altered, or under a key that is not configured raises `DecryptionError`;
nothing ever returns garbage.

Model fields
    `EncryptedTextField` and `EncryptedCharField(max_length=N)` keep ciphertext in a text column.
    The model needs ``row_key = models.UUIDField(default=uuid.uuid4, unique=True,
    editable=False)`` (a system check says so). Values are decrypted lazily, on first read of the
    attribute, and encrypted in ``pre_save``. ``max_length`` limits the plaintext (validators and
    form fields), never the column. ``None`` is stored as NULL and ``""`` as ``""``: an empty
    value says only that nothing was given, and ``filter(field="")`` keeps working.

Writing
    Only through ``Model.save()``, ``create()`` or ``bulk_create()``, which call ``pre_save``.
    ``QuerySet.update()``, ``bulk_update()`` and lookups with a value would store or compare
    plaintext, and ``dumpdata``/``loaddata`` would export or import it: they raise
    `EncryptedFieldError`. ``values()``/``values_list()`` return the stored tokens, never plaintext.

Keys
    ``ENCRYPTION_KEYS`` in the environment, when set and not empty, is the only source, either as
    ``kid:base64key,kid2:base64key`` (the first is current) or as the JSON of the keys file. When
    unset, ``settings.ENCRYPTION_KEYS_FILE`` is used: JSON ``{"current": kid, "keys": {kid:
    base64key}}``, created with one fresh key and mode 0600 on first use. A kid is 1-32 of
    ``a-z 0-9 _ -`` (lower case, because SQLite's LIKE ignores case and rotation filters with it);
    a key is 32 random bytes in base64 (url-safe or standard, padding optional);
    ``manage.py rotate_keys --generate`` prints one. The current key encrypts; every listed key
    decrypts. Losing the keys loses the data: back the keys file up, apart from the database.

Rotation
    ``manage.py rotate_keys --new-key`` adds a current key to the keys file and re-encrypts every
    value under an older key, batch by batch; see that command. Processes notice a changed keys
    file within seconds and re-read the keys when they meet an unknown kid, so one machine needs
    no restart. With several app servers use ``ENCRYPTION_KEYS``: add the new key last everywhere
    (decrypt only), then move it first, then run ``rotate_keys``, then remove the old key.
    Encrypted values kept outside these fields (such as TOTP secrets) take part in rotation through
    `register_token_source`.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import datetime as dt
import fcntl
import json
import os
import re
import secrets
import tempfile
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django import forms
from django.apps import apps
from django.conf import settings
from django.core import checks, validators
from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured, ValidationError
from django.db import connection, models
from django.db.models.query_utils import DeferredAttribute
from django.utils.translation import gettext_lazy as _

__all__ = [
    "DecryptionError",
    "EncryptedCharField",
    "EncryptedDateField",
    "EncryptedFieldError",
    "EncryptedTextField",
    "KeyConfigurationError",
    "KeyRing",
    "TokenSource",
    "add_key_to_file",
    "count_key_usage",
    "current_key_id",
    "decrypt_value",
    "encrypt_value",
    "encrypted_fields",
    "generate_key",
    "key_id_of",
    "key_ring",
    "needs_reencryption",
    "new_key_id",
    "read_or_create_keys_file",
    "reencrypt_value",
    "register_token_source",
    "remove_key_from_file",
    "reset_key_cache",
    "token_sources",
]

VERSION = "v1"
ENV_VAR = "ENCRYPTION_KEYS"
KID_PATTERN = re.compile(r"[a-z0-9][a-z0-9_-]{0,31}")
_KEY_BYTES = 32
_NONCE_BYTES = 12
_TAG_BYTES = 16
# The version byte in the associated data: a future format can never be read as this one.
_AAD_VERSION = b"\x01"
# How often a process looks at the keys file for a key added by `rotate_keys --new-key`.
_RECHECK_SECONDS = 2.0


class DecryptionError(Exception):
    """A stored value could not be decrypted: altered, copied from another row, column or
    context, malformed, or under a key that is not configured. The message names where the value
    belongs and the key id, never any part of the value."""


class EncryptedFieldError(TypeError):
    """An encrypted field was written, compared or exported by a path that bypasses encryption."""


class KeyConfigurationError(ImproperlyConfigured):
    """ENCRYPTION_KEYS or the keys file is malformed. The message never contains key material."""


# --- keys -------------------------------------------------------------------------------------


class KeyRing:
    """The configured keys: `current` encrypts, every key decrypts."""

    __slots__ = ("_ciphers", "current", "source")

    def __init__(self, *, current: str, keys: dict[str, bytes], source: str) -> None:
        self.current = current
        self.source = source
        self._ciphers = {kid: AESGCM(key) for kid, key in keys.items()}

    def __repr__(self) -> str:
        # Key ids only: a ring in a traceback or a log must not carry key material.
        return f"<KeyRing current={self.current!r} kids={self.kids} source={self.source!r}>"

    @property
    def kids(self) -> list[str]:
        return list(self._ciphers)

    @property
    def from_environment(self) -> bool:
        return self.source == ENV_VAR

    def cipher(self, kid: str) -> AESGCM | None:
        return self._ciphers.get(kid)


def generate_key() -> str:
    """A fresh 256-bit key in url-safe base64."""
    return base64.urlsafe_b64encode(secrets.token_bytes(_KEY_BYTES)).decode("ascii")


def new_key_id(existing: Iterable[str] = ()) -> str:
    """A kid that tells its age at a glance (`k20261121a3f9`) and differs from `existing`."""
    taken = set(existing)
    while True:
        kid = f"k{datetime.now(UTC):%Y%m%d}{secrets.token_hex(2)}"
        if kid not in taken:
            return kid


def _decode_key(encoded: object, *, kid: str, origin: str) -> bytes:
    if not isinstance(encoded, str):
        raise KeyConfigurationError(f"{origin}: the key {kid!r} is not a base64 string.")
    text = encoded.strip()
    try:
        key = base64.b64decode(text + "=" * (-len(text) % 4), altchars=b"-_", validate=True)
    except (binascii.Error, ValueError):
        raise KeyConfigurationError(f"{origin}: the key {kid!r} is not valid base64.") from None
    if len(key) != _KEY_BYTES:
        raise KeyConfigurationError(
            f"{origin}: the key {kid!r} must be {_KEY_BYTES} bytes, not {len(key)}."
        )
    return key


def _parse_keys(text: str, *, origin: str) -> tuple[str, dict[str, str]]:
    """(current kid, {kid: base64 key}) from either accepted format; validated."""
    text = text.strip()
    pairs: list[tuple[object, object]]
    current: object
    if text.startswith("{"):
        try:
            data = json.loads(text)
        except json.JSONDecodeError:
            raise KeyConfigurationError(f"{origin} is not valid JSON.") from None
        if not isinstance(data, dict) or not isinstance(data.get("keys"), dict):
            raise KeyConfigurationError(f'{origin} needs {{"current": kid, "keys": {{...}}}}.')
        pairs = list(data["keys"].items())
        current = data.get("current")
    else:
        pairs = []
        for item in text.split(","):
            if not item.strip():
                continue
            kid, separator, key = item.partition(":")
            if not separator:
                raise KeyConfigurationError(f"{origin}: each entry is kid:base64key.")
            pairs.append((kid.strip(), key.strip()))
        current = pairs[0][0] if pairs else None
    if not pairs:
        raise KeyConfigurationError(f"{origin} lists no keys.")
    keys: dict[str, str] = {}
    for listed_kid, encoded in pairs:
        kid = listed_kid if isinstance(listed_kid, str) else repr(listed_kid)
        if not KID_PATTERN.fullmatch(kid):
            raise KeyConfigurationError(
                f"{origin}: key id {kid!r} must be 1-32 of a-z 0-9 _ - (lower case)."
            )
        if kid in keys:
            raise KeyConfigurationError(f"{origin}: key id {kid!r} is listed twice.")
        _decode_key(encoded, kid=kid, origin=origin)
        keys[kid] = str(encoded).strip()
    if not isinstance(current, str) or current not in keys:
        raise KeyConfigurationError(f"{origin}: the current key {current!r} is not listed.")
    return current, keys


def _ring(current: str, keys: dict[str, str], *, source: str) -> KeyRing:
    decoded = {kid: _decode_key(key, kid=kid, origin=source) for kid, key in keys.items()}
    return KeyRing(current=current, keys=decoded, source=source)


def _dump_keys_file(current: str, keys: dict[str, str]) -> str:
    return json.dumps({"current": current, "keys": keys}, indent=2) + "\n"


def _write_new_file(path: Path, content: str, *, replace: bool) -> None:
    """Write `content` to `path`, mode 0600, so that no reader ever sees it half-written.

    mkstemp creates the temporary file with O_EXCL and mode 0600. A first run links it into
    place: os.link fails if the file exists, so when the web server and the worker start at the
    same moment exactly one key is written and both use it. A rewrite replaces it atomically.
    """
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        if replace:
            os.replace(temporary, path)
        else:
            with contextlib.suppress(FileExistsError):
                os.link(temporary, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)


def _read_keys_file(path: Path) -> tuple[str, dict[str, str], tuple[int, int, int]]:
    """(current, keys, stamp), creating the file with one fresh key when it is missing."""
    if not path.exists():
        kid = new_key_id()
        _write_new_file(path, _dump_keys_file(kid, {kid: generate_key()}), replace=False)
    with path.open(encoding="utf-8") as handle:
        status = os.fstat(handle.fileno())
        text = handle.read()
    current, keys = _parse_keys(text, origin=str(path))
    return current, keys, (status.st_ino, status.st_mtime_ns, status.st_size)


def read_or_create_keys_file(path: Path) -> KeyRing:
    """The keys in the file at `path`, created (mode 0600, one fresh key) when missing."""
    current, keys, _stamp = _read_keys_file(path)
    return _ring(current, keys, source=str(path))


@dataclass
class _Cached:
    ring: KeyRing
    environment: str | None
    path: Path | None
    stamp: tuple[int, int, int] | None
    checked_at: float


_cache: _Cached | None = None
_cache_lock = threading.Lock()


def _stamp(path: Path) -> tuple[int, int, int] | None:
    try:
        status = path.stat()
    except FileNotFoundError:
        return None
    return (status.st_ino, status.st_mtime_ns, status.st_size)


def _keys_file() -> Path:
    return Path(settings.ENCRYPTION_KEYS_FILE)


def _load(environment: str | None, path: Path | None) -> _Cached:
    if environment is not None:
        current, keys = _parse_keys(environment, origin=ENV_VAR)
        ring = _ring(current, keys, source=ENV_VAR)
        return _Cached(ring, environment, None, None, time.monotonic())
    assert path is not None
    current, keys, stamp = _read_keys_file(path)
    return _Cached(_ring(current, keys, source=str(path)), None, path, stamp, time.monotonic())


def key_ring(*, refresh: bool = False) -> KeyRing:
    """The configured keys, cached per process and re-read when their source changes."""
    global _cache
    environment = os.environ.get(ENV_VAR, "").strip() or None
    path = None if environment else _keys_file()
    with _cache_lock:
        cached = _cache
        if (
            cached is not None
            and not refresh
            and cached.environment == environment
            and cached.path == path
        ):
            now = time.monotonic()
            if path is None or now - cached.checked_at < _RECHECK_SECONDS:
                return cached.ring
            if _stamp(path) == cached.stamp:
                cached.checked_at = now
                return cached.ring
        _cache = _load(environment, path)
        return _cache.ring


def reset_key_cache() -> None:
    """Forget the cached keys; the next use reads them again (tests, after editing the file)."""
    global _cache
    with _cache_lock:
        _cache = None


def current_key_id() -> str:
    return key_ring().current


@contextlib.contextmanager
def _locked_keys_file(path: Path) -> Iterator[None]:
    # Two operators editing the keys file at once must not lose each other's key.
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd = os.open(path.with_name(path.name + ".lock"), os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def _refuse_environment(action: str) -> None:
    if os.environ.get(ENV_VAR, "").strip():
        raise KeyConfigurationError(
            f"The keys come from {ENV_VAR}; {action} there (the keys file is not used)."
        )


def add_key_to_file(path: Path | None = None) -> str:
    """Add a fresh key to the keys file and make it current; return its kid."""
    _refuse_environment("put a new key first in it")
    path = path or _keys_file()
    with _locked_keys_file(path):
        _current, keys, _ = _read_keys_file(path)
        kid = new_key_id(keys)
        _write_new_file(path, _dump_keys_file(kid, {kid: generate_key(), **keys}), replace=True)
    reset_key_cache()
    return kid


def remove_key_from_file(kid: str, path: Path | None = None) -> None:
    """Remove a key that is not current from the keys file. Callers check it is unused."""
    _refuse_environment(f"remove {kid} from it")
    path = path or _keys_file()
    with _locked_keys_file(path):
        current, keys, _ = _read_keys_file(path)
        if kid not in keys:
            raise KeyConfigurationError(f"There is no key {kid!r} in {path}.")
        if kid == current:
            raise KeyConfigurationError(f"{kid} is the current key; add a new key first.")
        del keys[kid]
        _write_new_file(path, _dump_keys_file(current, keys), replace=True)
    reset_key_cache()


# --- values -----------------------------------------------------------------------------------


def _aad(kid: str, context: str) -> bytes:
    # A kid never contains NUL, so kid and context cannot be shifted into each other.
    return _AAD_VERSION + kid.encode("ascii") + b"\x00" + context.encode("utf-8", "surrogatepass")


def _b64encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _check_context(context: str) -> None:
    if not isinstance(context, str) or not context:
        raise ValueError("An encryption context is a non-empty string, such as 'mfa.totp'.")


def _encrypt(ring: KeyRing, plaintext: str, context: str) -> str:
    cipher = ring.cipher(ring.current)
    assert cipher is not None
    nonce = secrets.token_bytes(_NONCE_BYTES)
    # surrogatepass: any Python str round-trips, even one a browser could not have sent.
    data = plaintext.encode("utf-8", "surrogatepass")
    sealed = cipher.encrypt(nonce, data, _aad(ring.current, context))
    return f"{VERSION}:{ring.current}:{_b64encode(nonce + sealed)}"


def _split_token(token: str) -> tuple[str, str] | None:
    """(kid, payload) of a well-formed token, else None."""
    if not isinstance(token, str):
        return None
    version, _sep, rest = token.partition(":")
    kid, separator, payload = rest.partition(":")
    if version != VERSION or not separator or not KID_PATTERN.fullmatch(kid):
        return None
    return kid, payload


def key_id_of(token: str | None) -> str | None:
    """The kid of a stored token; None for NULL, "" or anything that is not a token."""
    if not token:
        return None
    parts = _split_token(token)
    return parts[0] if parts else None


def needs_reencryption(token: str | None) -> bool:
    """Whether a stored value is under a key other than the current one (empty values never)."""
    return bool(token) and key_id_of(token) != current_key_id()


def encrypt_value(plaintext: str, *, context: str) -> str:
    """Encrypt `plaintext` under the current key, bound to `context` (e.g. "mfa.totp")."""
    _check_context(context)
    if not isinstance(plaintext, str):
        raise TypeError("encrypt_value encrypts text; encode other values first.")
    return _encrypt(key_ring(), plaintext, context)


def decrypt_value(token: str, *, context: str) -> str:
    """Decrypt a token made by `encrypt_value` (or a field) with the same `context`."""
    _check_context(context)
    parts = _split_token(token)
    if parts is None:
        raise DecryptionError(f"The value for {context} is not an encrypted value.")
    kid, payload = parts
    try:
        blob = base64.b64decode(payload + "=" * (-len(payload) % 4), altchars=b"-_", validate=True)
    except (binascii.Error, ValueError):
        raise DecryptionError(f"The value for {context} is malformed.") from None
    if len(blob) < _NONCE_BYTES + _TAG_BYTES:
        raise DecryptionError(f"The value for {context} is truncated.")
    ring = key_ring()
    cipher = ring.cipher(kid)
    if cipher is None:
        # Another process may have added this key a moment ago (rotate_keys --new-key).
        ring = key_ring(refresh=True)
        cipher = ring.cipher(kid)
    if cipher is None:
        raise DecryptionError(f"The value for {context} is under key {kid}, not configured here.")
    try:
        data = cipher.decrypt(blob[:_NONCE_BYTES], blob[_NONCE_BYTES:], _aad(kid, context))
    except InvalidTag:
        raise DecryptionError(
            f"The value for {context} failed authentication: it was altered, or it belongs to "
            "another row, column or context."
        ) from None
    return data.decode("utf-8", "surrogatepass")


def reencrypt_value(token: str, *, context: str) -> str:
    """The same plaintext under the current key (for rotation of values outside fields)."""
    return encrypt_value(decrypt_value(token, context=context), context=context)


# --- model fields -----------------------------------------------------------------------------


class _Ciphertext(str):
    """A token as read from the database, decrypted on first read of the attribute."""

    __slots__ = ()


class _Sealed(str):
    """A token made by pre_save for its row: the only non-empty text the column accepts."""

    __slots__ = ()


class _EncryptedAttribute(DeferredAttribute):
    """Holds ciphertext until first read, then the plaintext. A data descriptor (it has
    __set__), so every read passes here rather than finding the raw token in __dict__."""

    def __get__(self, instance: models.Model | None, cls: type[models.Model] | None = None) -> Any:
        if instance is None:
            return self
        value = super().__get__(instance, cls)
        if isinstance(value, _Ciphertext):
            field = self.field
            assert isinstance(field, EncryptedTextField)
            value = field.from_plaintext(decrypt_value(value, context=field.context_for(instance)))
            instance.__dict__[field.attname] = value
        return value

    def __set__(self, instance: models.Model, value: Any) -> None:
        instance.__dict__[self.field.attname] = value


class EncryptedTextField(models.TextField):
    """Text encrypted at rest, bound to table, column and the row's `row_key`."""

    description = _("Encrypted text")
    descriptor_class = _EncryptedAttribute

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.max_length is not None:
            # The plaintext is what a person typed; the column holds the longer ciphertext.
            self.validators.append(validators.MaxLengthValidator(self.max_length))

    def check(self, **kwargs: Any) -> list[checks.CheckMessage]:
        return [*super().check(**kwargs), *self._check_encryption()]

    def _check_encryption(self) -> list[checks.CheckMessage]:
        errors: list[checks.CheckMessage] = []
        if self.primary_key or self.unique or getattr(self, "db_index", False):
            errors.append(
                checks.Error(
                    "An encrypted field cannot be a primary key, unique or indexed: the same "
                    "text encrypts differently every time.",
                    obj=self,
                    id="crypto.E002",
                )
            )
        try:
            row_key = self.model._meta.get_field("row_key")
        except FieldDoesNotExist:
            row_key = None
        if not isinstance(row_key, models.UUIDField):
            errors.append(
                checks.Error(
                    f"{self.model._meta.label} has encrypted fields, so it needs a row_key.",
                    hint="row_key = models.UUIDField(default=uuid.uuid4, unique=True, "
                    "editable=False)",
                    obj=self,
                    id="crypto.E001",
                )
            )
        return errors

    def context_for(self, instance: models.Model) -> str:
        """The associated data of this field's value in `instance`'s row."""
        row_key = getattr(instance, "row_key", None)
        if row_key is None or row_key == "":
            raise ImproperlyConfigured(
                f"{self.model._meta.label}.{self.name}: the row has no row_key to bind to."
            )
        if not isinstance(row_key, uuid.UUID):
            row_key = uuid.UUID(str(row_key))
        return f"{self.model._meta.db_table}.{self.column}.{row_key}"

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> str | None:
        if value is None or value == "":
            return value
        return _Ciphertext(value)

    def pre_save(self, model_instance: models.Model, add: bool) -> Any:
        value = getattr(model_instance, self.attname)
        if value is None or value == "":
            return value
        plaintext = self.to_plaintext(value)
        return _Sealed(encrypt_value(plaintext, context=self.context_for(model_instance)))

    def to_plaintext(self, value: Any) -> str:
        """The text that is encrypted for `value` (subclasses store other types as text)."""
        return str(self.to_python(value))

    def from_plaintext(self, text: str) -> Any:
        """The attribute's value for decrypted `text` (the inverse of `to_plaintext`)."""
        return text

    def get_prep_value(self, value: Any) -> Any:
        if value is None or isinstance(value, _Sealed):
            return None if value is None else str(value)
        if value == "":
            return ""
        raise EncryptedFieldError(
            f"{self.model._meta.label}.{self.name} is encrypted: write it through save(), "
            "create() or bulk_create(), never update(), bulk_update() or a lookup by value."
        )

    def value_to_string(self, obj: models.Model) -> str:
        raise EncryptedFieldError(
            f"{self.model._meta.label}.{self.name} is encrypted and is not serialised: a fixture "
            "would hold it in plaintext. Exclude the model (dumpdata -e) and back up the "
            "database and the keys instead."
        )


class EncryptedCharField(EncryptedTextField):
    """A short encrypted text (a name, an address): a one-line form field of `max_length`."""

    description = _("Encrypted short text")

    def _check_encryption(self) -> list[checks.CheckMessage]:
        errors = super()._check_encryption()
        if self.max_length is None:
            errors.append(
                checks.Error(
                    "EncryptedCharField needs max_length (of the plaintext).",
                    obj=self,
                    id="crypto.E003",
                )
            )
        return errors

    def formfield(
        self,
        form_class: type[forms.Field] | None = None,
        choices_form_class: type[forms.ChoiceField] | None = None,
        **kwargs: Any,
    ) -> forms.Field | None:
        defaults: dict[str, Any] = {"max_length": self.max_length}
        if self.null and not connection.features.interprets_empty_strings_as_nulls:
            defaults["empty_value"] = None
        defaults.update(kwargs)
        # Field.formfield, not TextField's: a one-line input rather than a textarea.
        return models.Field.formfield(
            self,
            form_class=form_class or forms.CharField,
            choices_form_class=choices_form_class,
            **defaults,
        )


class EncryptedDateField(EncryptedTextField):
    """A date encrypted at rest (say, when a volunteer arrives in the field), stored as ISO text.

    It cannot be filtered or ordered in the database: code that needs a range decrypts the
    candidate rows and compares in Python."""

    description = _("Encrypted date")

    def to_python(self, value: Any) -> dt.date | None:
        if value is None or value == "":
            return None
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(str(value))
        except ValueError as error:
            raise ValidationError(
                _("Enter a valid date."), code="invalid", params={"value": value}
            ) from error

    def to_plaintext(self, value: Any) -> str:
        parsed = self.to_python(value)
        assert parsed is not None
        return parsed.isoformat()

    def from_plaintext(self, text: str) -> dt.date:
        return dt.date.fromisoformat(text)

    def formfield(
        self,
        form_class: type[forms.Field] | None = None,
        choices_form_class: type[forms.ChoiceField] | None = None,
        **kwargs: Any,
    ) -> forms.Field | None:
        return models.Field.formfield(
            self,
            form_class=form_class or forms.DateField,
            choices_form_class=choices_form_class,
            **{"widget": forms.DateInput(attrs={"type": "date"}), **kwargs},
        )


def encrypted_fields() -> list[tuple[type[models.Model], list[EncryptedTextField]]]:
    """Every concrete model with encrypted columns of its own, and those fields."""
    found: list[tuple[type[models.Model], list[EncryptedTextField]]] = []
    for model in apps.get_models():
        if model._meta.proxy:
            continue
        fields = [f for f in model._meta.local_concrete_fields if isinstance(f, EncryptedTextField)]
        if fields:
            found.append((model, fields))
    return found


# --- values outside fields --------------------------------------------------------------------


@dataclass(frozen=True)
class TokenSource:
    """Encrypted values kept outside encrypted fields (say, TOTP secrets inside JSON), so that
    rotation reaches them and `rotate_keys --retire` knows whether a key is still in use.

    `tokens` yields every stored token. `reencrypt_batch(n)` re-encrypts up to `n` tokens that
    are not under the current key (see `needs_reencryption`, `reencrypt_value`) in one
    transaction and returns how many it did; 0 means none are left.
    """

    label: str
    tokens: Callable[[], Iterable[str]]
    reencrypt_batch: Callable[[int], int]


_token_sources: dict[str, TokenSource] = {}


def register_token_source(source: TokenSource) -> None:
    """Register from an AppConfig.ready(); registering a label again replaces it."""
    _token_sources[source.label] = source


def token_sources() -> list[TokenSource]:
    return list(_token_sources.values())


def count_key_usage() -> dict[str, Counter[str]]:
    """For every encrypted column and token source, how many values each kid encrypts
    (`"?"` counts values that are not well-formed tokens). Reads tokens, decrypts nothing."""
    usage: dict[str, Counter[str]] = {}
    for model, fields in encrypted_fields():
        counters = [Counter[str]() for _field in fields]
        rows = model._base_manager.values_list(*[f.attname for f in fields])
        for row in rows.iterator(chunk_size=2000):
            for counter, token in zip(counters, row, strict=True):
                if token:
                    counter[key_id_of(token) or "?"] += 1
        for field, counter in zip(fields, counters, strict=True):
            usage[f"{model._meta.label}.{field.name}"] = counter
    for source in token_sources():
        counter = Counter[str]()
        for token in source.tokens():
            if token:
                counter[key_id_of(token) or "?"] += 1
        usage[source.label] = counter
    return usage
