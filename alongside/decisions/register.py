"""The decision register: every closed proposal of a group, searchable and filterable, and its
export as CSV and JSON.

An entry is what the close stored and nothing else: the final version's words and the earlier
versions, every response with its reason (the members' names, the principle a block cited),
the stand-asides and the concerns, the outcome with how the rule was applied (in the reader's
language, with the numbers), the action items and the review date. Visible to the group's members
only (the views use `group_member`).

Exports run over the whole register (or the filtered part of it) in chunks: each chunk of
proposals loads its versions, responses and action items in one query each, so an export costs
a few queries per hundred proposals, however long the register grows.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from alongside.decisions.explain import (
    closed_how_label,
    outcome_label,
    reasons_in_words,
    rule_in_words,
    stored_rule,
)
from alongside.decisions.models import (
    ActionItem,
    Body,
    Position,
    Proposal,
    ProposalVersion,
    Response,
)
from alongside.decisions.participants import roles_in
from alongside.lib.i18n import localized
from alongside.movement.models import PRIVILEGED_ROLES, Group

UNDER_ANY_MANDATE = "any"
UNDER_NO_MANDATE = "none"
EXPORT_CHUNK = 100
# Cells a spreadsheet would read as a formula (CSV injection): shown as text instead.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


# --- the list ------------------------------------------------------------------------------


def with_final_title(proposals: QuerySet[Proposal]) -> QuerySet[Proposal]:
    """Each proposal with the title of its current version as `final_title`, in the same query."""
    title = ProposalVersion.objects.filter(
        proposal=OuterRef("pk"), number=OuterRef("version")
    ).values("title")[:1]
    return proposals.annotate(final_title=Subquery(title))


def register_of(group: Group, viewer: Any) -> QuerySet[Proposal]:
    """The group's closed proposals that `viewer` may read, latest first, each with its final
    title (`final_title`). Quick decisions name who was on a shift in the field: only the
    group's core members and documenters read them here (as on their pages,
    `participants.can_see`)."""
    proposals = Proposal.objects.filter(group=group).closed().select_related("mandate")
    if not roles_in(viewer, group) & set(PRIVILEGED_ROLES):
        proposals = proposals.exclude(body=Body.SHIFT_TEAM)
    return with_final_title(proposals).order_by("-closed_at", "-pk")


def search(proposals: QuerySet[Proposal], **filters: Any) -> QuerySet[Proposal]:
    """Narrow `proposals` by the register's filters: `q` (in the final version's title or
    text), `outcome`, `kind`, `body`, `year` (of the close, on the reader's clock) and `mandate`
    (a mandate's id, "any" or "none")."""
    q = (filters.get("q") or "").strip()
    if q:
        final = ProposalVersion.objects.filter(
            proposal=OuterRef("pk"), number=OuterRef("version")
        ).filter(Q(title__icontains=q) | Q(text__icontains=q))
        proposals = proposals.filter(Exists(final))
    for name in ("outcome", "kind", "body"):
        if filters.get(name):
            proposals = proposals.filter(**{name: filters[name]})
    if filters.get("year"):
        proposals = proposals.filter(closed_at__year=int(filters["year"]))
    mandate = filters.get("mandate")
    if mandate == UNDER_ANY_MANDATE:
        proposals = proposals.filter(mandate__isnull=False)
    elif mandate == UNDER_NO_MANDATE:
        proposals = proposals.filter(mandate__isnull=True)
    elif mandate:
        proposals = proposals.filter(mandate_id=int(mandate))
    return proposals


def years_of(group: Group) -> list[int]:
    """The years in which the group closed proposals, latest first (for the year filter)."""
    moments = Proposal.objects.filter(group=group).closed().datetimes("closed_at", "year")
    return sorted({moment.year for moment in moments}, reverse=True)


# --- one entry, for the exports -------------------------------------------------------------


def for_export(proposals: QuerySet[Proposal]) -> QuerySet[Proposal]:
    """`proposals` with everything an export row shows, loaded per chunk in a few queries."""
    return proposals.select_related(
        "proposer", "facilitator", "candidate", "target_mandate", "ratifies"
    ).prefetch_related(
        Prefetch("versions", queryset=ProposalVersion.objects.order_by("number")),
        Prefetch(
            "responses",
            queryset=Response.objects.select_related("member", "principle").order_by(
                "created_at", "pk"
            ),
        ),
        Prefetch(
            "action_items",
            queryset=ActionItem.objects.select_related("owner").order_by("due_on", "pk"),
        ),
    )


def _name(person: Any) -> str:
    if person is None:
        return _("(a former member)")
    return person.name or _("(no name given)")


def _moment(value: Any) -> str:
    return timezone.localtime(value).isoformat(timespec="minutes") if value else ""


def _day(value: Any) -> str:
    return value.isoformat() if value else ""


def _counted(proposal: Proposal, response: Response) -> bool:
    """Did this answer count at the close (in force, to the final version, in the last round)?"""
    return (
        response.superseded_at is None
        and response.version == proposal.version
        and response.round == proposal.round
    )


def entry(proposal: Proposal) -> dict[str, Any]:
    """One register entry as plain data (the JSON export; the CSV flattens it)."""
    versions = list(proposal.versions.all())
    final = next((v for v in versions if v.number == proposal.version), None)
    responses = list(proposal.responses.all())
    detail = proposal.outcome_detail or {}
    rule = stored_rule(detail)
    counted = [r for r in responses if _counted(proposal, r)]

    def answer(response: Response) -> dict[str, Any]:
        return {
            "member": _name(response.member),
            "position": response.position,
            "position_label": str(Position(response.position).label),
            "reason": response.reason,
            "principle": localized(response.principle, "title") if response.principle else "",
            "version": response.version,
            "round": response.round,
            "answered_at": _moment(response.created_at),
            "superseded_at": _moment(response.superseded_at),
            "counted": _counted(proposal, response),
        }

    def by_position(position: str) -> list[dict[str, Any]]:
        return [answer(r) for r in counted if r.position == position]

    return {
        "id": proposal.pk,
        "kind": proposal.kind,
        "kind_label": str(proposal.get_kind_display()),
        "body": proposal.body,
        "body_label": str(proposal.get_body_display()),
        "title": final.title if final else "",
        "text": final.text if final else "",
        "why": final.why if final else "",
        "if_agreed": final.if_agreed if final else "",
        "concerns_whom": final.concerns_whom if final else "",
        "proposer": _name(proposal.proposer),
        "facilitator": _name(proposal.facilitator),
        "opened_at": _moment(proposal.opened_at),
        "closed_at": _moment(proposal.closed_at),
        "closed_how": proposal.closed_how,
        "closed_how_label": closed_how_label(proposal.closed_how),
        "outcome": proposal.outcome,
        "outcome_label": outcome_label(proposal.outcome),
        "how_the_rule_was_applied": reasons_in_words(detail),
        "rule": rule_in_words(rule) if rule is not None else [],
        "tally": detail.get("tally") or {},
        "round": proposal.round,
        "mandate": (
            {"id": proposal.mandate.pk, "title": proposal.mandate.title}
            if proposal.mandate
            else None
        ),
        "ratification": proposal.ratification,
        "ratification_label": str(proposal.get_ratification_display())
        if proposal.ratification
        else "",
        "terms": _terms(proposal),
        "versions": [
            {
                "number": v.number,
                "title": v.title,
                "text": v.text,
                "why": v.why,
                "if_agreed": v.if_agreed,
                "concerns_whom": v.concerns_whom,
                "created_at": _moment(v.created_at),
                "amendment": v.amendment_id,
            }
            for v in versions
        ],
        "responses": [answer(r) for r in responses],
        "stand_asides": by_position(Position.STAND_ASIDE),
        "concerns": by_position(Position.RESERVATIONS),
        "blocks": by_position(Position.BLOCK),
        "action_items": [
            {
                "text": item.text,
                "owner": _name(item.owner) if item.owner_id else "",
                "due_on": _day(item.due_on),
                "done_at": _moment(item.done_at),
            }
            for item in proposal.action_items.all()
        ],
        "review_on": _day(proposal.review_on),
    }


def _terms(proposal: Proposal) -> dict[str, Any]:
    """The kind's terms, as they were decided."""
    if proposal.candidate_id:
        return {"candidate": _name(proposal.candidate)}
    if proposal.target_mandate_id and proposal.target_mandate is not None:
        return {"mandate": proposal.target_mandate.pk, "title": proposal.target_mandate.title}
    if proposal.ratifies_id:
        return {"ratifies": proposal.ratifies_id}
    return dict(proposal.terms or {})


# --- CSV -----------------------------------------------------------------------------------


def safe_cell(value: Any) -> Any:
    """A cell a spreadsheet shows as written: text that would start a formula gets a leading
    apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def csv_header() -> list[str]:
    return [
        _("Number"),
        _("Title"),
        _("Kind"),
        _("Decided by"),
        _("Proposed by"),
        _("Facilitator"),
        _("Opened"),
        _("Closed"),
        _("How it closed"),
        _("Outcome"),
        _("How the rule was applied"),
        _("The rule"),
        _("Versions"),
        _("Final text"),
        _("Why"),
        _("What happens if agreed"),
        _("Who it concerns"),
        _("Responses"),
        _("Stand-asides"),
        _("Concerns"),
        _("Blocks"),
        _("Action items"),
        _("Review on"),
        _("Mandate"),
        _("Ratification"),
    ]


def _answers(answers: Iterable[dict[str, Any]]) -> str:
    lines = []
    for a in answers:
        line = _("%(member)s: %(position)s") % {
            "member": a["member"],
            "position": a["position_label"],
        }
        if a["principle"]:
            line += " · " + _("principle: %(principle)s") % {"principle": a["principle"]}
        if a["reason"]:
            line += " · " + a["reason"]
        lines.append(line)
    return "\n".join(lines)


def csv_row(data: dict[str, Any]) -> list[Any]:
    counted = [a for a in data["responses"] if a["counted"]]
    items = []
    for item in data["action_items"]:
        parts = [item["text"]]
        if item["owner"]:
            parts.append(item["owner"])
        if item["due_on"]:
            parts.append(_("by %(date)s") % {"date": item["due_on"]})
        if item["done_at"]:
            parts.append(_("done %(date)s") % {"date": item["done_at"]})
        items.append(" · ".join(parts))
    versions = "\n".join(
        _("version %(number)s: %(title)s") % {"number": v["number"], "title": v["title"]}
        for v in data["versions"]
    )
    row = [
        data["id"],
        data["title"],
        data["kind_label"],
        data["body_label"],
        data["proposer"],
        data["facilitator"],
        data["opened_at"],
        data["closed_at"],
        data["closed_how_label"],
        data["outcome_label"],
        "\n".join(data["how_the_rule_was_applied"]),
        "\n".join(data["rule"]),
        versions,
        data["text"],
        data["why"],
        data["if_agreed"],
        data["concerns_whom"],
        _answers(counted),
        _answers(data["stand_asides"]),
        _answers(data["concerns"]),
        _answers(data["blocks"]),
        "\n".join(items),
        data["review_on"],
        data["mandate"]["title"] if data["mandate"] else "",
        data["ratification_label"],
    ]
    return [safe_cell(cell) for cell in row]


class _Echo:
    """The file-like object `csv.writer` writes each row to, returned at once for streaming."""

    def write(self, value: str) -> str:
        return value


def _entries(proposals: QuerySet[Proposal]) -> Iterator[dict[str, Any]]:
    for proposal in for_export(proposals).iterator(chunk_size=EXPORT_CHUNK):
        yield entry(proposal)


def csv_lines(proposals: QuerySet[Proposal]) -> Iterator[str]:
    """The register as CSV lines: a byte-order mark (spreadsheets then read Arabic right), the
    header, a row per proposal."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow([safe_cell(cell) for cell in csv_header()])
    for data in _entries(proposals):
        yield writer.writerow(csv_row(data))


def json_chunks(proposals: QuerySet[Proposal], *, group: Group) -> Iterator[str]:
    """The register as one JSON document, written an entry at a time."""
    head = {"group": group.slug, "exported_at": _moment(timezone.now())}
    yield json.dumps(head, ensure_ascii=False)[:-1] + ', "proposals": ['
    first = True
    for data in _entries(proposals):
        yield ("" if first else ",") + json.dumps(data, ensure_ascii=False)
        first = False
    yield "]}"
