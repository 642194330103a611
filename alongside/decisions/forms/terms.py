"""Kind-specific terms of a proposal draft (helper C implements): the candidate for the core
group, a new decision rule, a mandate's terms, the mandate to withdraw, the decision to ratify.

The draft view (views/proposals.py) calls `terms_form(kind, group, ...)`; when it returns a
form, the draft page shows it under the proposal's words and saves it with `save_terms`."""

from __future__ import annotations

from typing import Any

from django import forms

from alongside.decisions.models import Proposal
from alongside.movement.models import Group


def terms_form(
    kind: str, group: Group, *, data: Any = None, proposal: Proposal | None = None, user: Any = None
) -> forms.Form | None:
    """The form of `kind`'s terms, bound to `data` when given, or None for kinds without."""
    return None


def save_terms(proposal: Proposal, form: forms.Form) -> None:
    """Copy a valid terms form onto the (unsaved or draft) proposal's fields."""
