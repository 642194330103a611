"""Changing some fields of a row the way every action does: only what changed is written, and
the audit log names the changed fields (never their values)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.db import models
from django.http import HttpRequest

from alongside.lib import audit


def apply_changes(
    obj: Any, values: Mapping[str, Any], allowed: Iterable[str] | None = None
) -> list[str]:
    """Set `values` (only the `allowed` names, when given) on `obj`; return the names of the
    fields whose value changed."""
    changed = []
    for name in values if allowed is None else allowed:
        if name in values and getattr(obj, name) != values[name]:
            setattr(obj, name, values[name])
            changed.append(name)
    return changed


def save_changes(
    obj: models.Model,
    values: Mapping[str, Any],
    *,
    actor: Any,
    request: HttpRequest | None = None,
    allowed: Iterable[str] | None = None,
) -> list[str]:
    """Apply `values` (only the `allowed` names, when given) to a saved row, write the changed
    fields and audit their names. Nothing is written or recorded when nothing changed. Call
    inside the action's transaction."""
    changed = apply_changes(obj, values, allowed)
    if changed:
        obj.save(update_fields=changed)
        audit.record(
            actor=actor, action="update", target=obj, request=request, detail={"fields": changed}
        )
    return changed
