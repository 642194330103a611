"""Second-factor secrets follow key rotation like every encrypted field."""

from __future__ import annotations

from collections.abc import Iterator
from io import StringIO
from pathlib import Path
from typing import Any

import pyotp
import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP
from django.core.management import CommandError, call_command

from alongside.lib import crypto
from conftest import TOTP_SECRET, World


@pytest.fixture(autouse=True)
def own_keys(settings: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.delenv("ENCRYPTION_KEYS", raising=False)
    settings.ENCRYPTION_KEYS_FILE = tmp_path / "encryption_keys.json"
    crypto.reset_key_cache()
    yield
    crypto.reset_key_cache()


def _kids(user: Any) -> set[str | None]:
    data_rows = Authenticator.objects.filter(user=user).values_list("data", flat=True)
    return {
        crypto.key_id_of(data[key])
        for data in data_rows
        for key in ("secret", "seed")
        if key in data
    }


def test_rotation_reencrypts_totp_secrets_and_recovery_seeds_which_keep_working(
    world: World,
) -> None:
    user = world.applicant
    TOTP.activate(user, TOTP_SECRET)
    codes = RecoveryCodes.activate(user).get_unused_codes()
    old_kid = crypto.current_key_id()
    assert _kids(user) == {old_kid}

    call_command("rotate_keys", "--new-key", stdout=StringIO())

    new_kid = crypto.current_key_id()
    assert new_kid != old_kid
    assert _kids(user) == {new_kid}
    totp = TOTP(Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP))
    assert totp.validate_code(pyotp.TOTP(TOTP_SECRET).now())
    recovery = RecoveryCodes(
        Authenticator.objects.get(user=user, type=Authenticator.Type.RECOVERY_CODES)
    )
    assert recovery.get_unused_codes() == codes
    call_command("rotate_keys", "--retire", old_kid, stdout=StringIO())


def test_a_key_that_still_seals_a_totp_secret_cannot_be_retired(world: World) -> None:
    TOTP.activate(world.applicant, TOTP_SECRET)
    old_kid = crypto.current_key_id()
    # A new current key without re-encrypting anything yet.
    call_command("rotate_keys", "--new-key", "--max-batches", "0", stdout=StringIO())

    with pytest.raises(CommandError):
        call_command("rotate_keys", "--retire", old_kid, stdout=StringIO())
