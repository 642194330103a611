"""What changed between two versions of a proposal, word by word, for people who must decide
whether an amendment changes what they agreed to.

The words are compared as written (Markdown source, not rendered HTML): a rendered diff would
hide a changed link target or a dropped emphasis. Every piece is HTML-escaped before it is
wrapped in `<ins>` or `<del>`, so the result is safe to show whatever the members typed.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Any

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

# Runs of whitespace are tokens of their own: a changed line break shows, and the text comes
# back exactly as written when nothing changed.
_TOKENS = re.compile(r"\s+|[^\s]+")

# The words of a version (ProposalVersion) or of an amendment, in the order they are shown.
WORD_FIELDS = (
    ("title", _("Title")),
    ("text", _("The proposal")),
    ("why", _("Why")),
    ("if_agreed", _("What happens if agreed")),
    ("concerns_whom", _("Who it concerns")),
)


def _tokens(text: str) -> list[str]:
    return _TOKENS.findall(text or "")


def word_diff(old: str, new: str) -> SafeString:
    """`new` with the words taken out of `old` in `<del>` and the words put in in `<ins>`."""
    before, after = _tokens(old), _tokens(new)
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    parts: list[str] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        removed = escape("".join(before[i1:i2]))
        added = escape("".join(after[j1:j2]))
        if op == "equal":
            parts.append(added)
            continue
        if op in ("delete", "replace") and removed:
            parts.append(f"<del>{removed}</del>")
        if op in ("insert", "replace") and added:
            parts.append(f"<ins>{added}</ins>")
    return mark_safe("".join(parts))  # noqa: S308  (every piece is escaped just above)


@dataclass(frozen=True)
class FieldDiff:
    name: str
    label: Any
    changed: bool
    html: SafeString


def words_diff(old: Any, new: Any) -> list[FieldDiff]:
    """Field by field (`WORD_FIELDS`), how the words of `new` differ from those of `old`; both
    are proposal versions or amendments."""
    diffs = []
    for name, label in WORD_FIELDS:
        before, after = getattr(old, name) or "", getattr(new, name) or ""
        diffs.append(
            FieldDiff(
                name=name, label=label, changed=before != after, html=word_diff(before, after)
            )
        )
    return diffs
