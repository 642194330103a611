"""Parts of the proposal page owned by other modules (filled in by helpers B and C).

`views/proposals.detail` calls both and includes `decisions/_responses.html` and
`decisions/_record.html` with what they return."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from alongside.decisions.models import Proposal
from alongside.decisions.views import record
from alongside.decisions.views.responses import build_panel


def responses_panel(request: HttpRequest, proposal: Proposal) -> dict[str, Any]:
    """The tally, who answered what, who has not, my answer and its form, the blocks and their
    threads: `{"responses_panel": ...}` for `decisions/_responses.html`."""
    return {"responses_panel": build_panel(request, proposal)}


def record_panel(request: HttpRequest, proposal: Proposal) -> dict[str, Any]:
    """The outcome and how the rule was applied, the terms, action items, mandate, ratification
    state: `{"record": ...}` for `decisions/_record.html` (see `views/record.py`)."""
    return record.record_panel(request, proposal)
