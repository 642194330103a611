from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from conftest import World, sign_in


@pytest.fixture
def core_client(client: Client, world: World) -> Client:
    """Maya, a core member of Northern California, signed in with her second factor."""
    return sign_in(client, world.core)


@pytest.fixture
def audit_entries() -> Any:
    from alongside.lib.models import AuditEntry

    return AuditEntry.objects


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    """Argon2 is slow by design; these tests sign people in without passwords anyway."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
