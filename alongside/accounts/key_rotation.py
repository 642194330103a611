"""Second-factor secrets live inside allauth's JSON `Authenticator.data`, not in encrypted
model fields, so key rotation learns about them here (`rotate_keys` re-encrypts them and
`rotate_keys --retire` refuses a key they still use)."""

from __future__ import annotations

from collections.abc import Iterator

from allauth.mfa.models import Authenticator
from django.db import transaction

from alongside.lib import crypto

MFA_SECRET_CONTEXT = "mfa.totp"
# The TOTP secret and the recovery-code seed; passkeys hold public keys only.
_SECRET_KEYS = ("secret", "seed")
_TYPES = (Authenticator.Type.TOTP, Authenticator.Type.RECOVERY_CODES)


def _tokens() -> Iterator[str]:
    data_rows = Authenticator.objects.filter(type__in=_TYPES).values_list("data", flat=True)
    for data in data_rows.iterator(chunk_size=500):
        for key in _SECRET_KEYS:
            value = (data or {}).get(key)
            if isinstance(value, str) and value:
                yield value


def _reencrypt_batch(size: int) -> int:
    done = 0
    with transaction.atomic():
        authenticators = Authenticator.objects.select_for_update().filter(type__in=_TYPES)
        for authenticator in authenticators.order_by("pk"):
            data = dict(authenticator.data or {})
            stale = [k for k in _SECRET_KEYS if crypto.needs_reencryption(data.get(k))]
            if not stale:
                continue
            for key in stale:
                data[key] = crypto.reencrypt_value(data[key], context=MFA_SECRET_CONTEXT)
            authenticator.data = data
            authenticator.save(update_fields=["data"])
            done += 1
            if done >= size:
                break
    return done


def register() -> None:
    crypto.register_token_source(
        crypto.TokenSource(
            label="mfa.authenticators", tokens=_tokens, reencrypt_batch=_reencrypt_batch
        )
    )
