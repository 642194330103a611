"""The decision rule and the outcome of a proposal in plain words, in the reader's language.

The close stores the rule, the numbers and the reason codes of `alongside.decisions.rule` in
`Proposal.outcome_detail`; these functions turn them into sentences for the proposal page, the
register and its exports. Each sentence is one translatable string with named numbers, so that a
translator can order the words as their language needs (and Arabic gets its plural forms)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext, ngettext

from alongside.decisions import rule as decision_rule
from alongside.decisions.models import ClosedHow, DecisionRule, Outcome


def _rule_of(values: Mapping[str, Any]) -> decision_rule.Rule:
    """A `Rule` from its stored dict (older rows may lack a key: the default holds)."""
    defaults = decision_rule.Rule()
    return decision_rule.Rule(
        quorum_percent=int(values.get("quorum_percent", defaults.quorum_percent)),
        weak_at=int(values.get("weak_at", defaults.weak_at)),
        block_needs_second=bool(values.get("block_needs_second", defaults.block_needs_second)),
        fallback=str(values.get("fallback", defaults.fallback)),
        supermajority_percent=int(
            values.get("supermajority_percent", defaults.supermajority_percent)
        ),
    )


def rule_from_terms(terms: Mapping[str, Any]) -> decision_rule.Rule:
    """The rule proposed by a "decision rule" proposal (its `terms` use the model's names)."""
    return _rule_of(
        {
            "quorum_percent": terms.get("quorum_percent", decision_rule.DEFAULT_QUORUM_PERCENT),
            "weak_at": terms.get("weak_at_stand_asides", decision_rule.DEFAULT_WEAK_AT),
            "block_needs_second": terms.get("block_needs_second", False),
            "fallback": terms.get("fallback", decision_rule.FALLBACK_NONE),
            "supermajority_percent": terms.get(
                "supermajority_percent", decision_rule.DEFAULT_SUPERMAJORITY_PERCENT
            ),
        }
    )


def rule_in_words(rule: decision_rule.Rule | DecisionRule) -> list[str]:
    """The rule as a few sentences: quorum, weak consensus, blocks, fallback."""
    if isinstance(rule, DecisionRule):
        rule = rule.as_rule()
    sentences = [
        gettext(
            "At least %(percent)s%% of the active members must respond; members on an excused "
            "absence do not count."
        )
        % {"percent": rule.quorum_percent},
        ngettext(
            "From %(count)s stand-aside the consensus is weak.",
            "From %(count)s stand-asides the consensus is weak.",
            rule.weak_at,
        )
        % {"count": rule.weak_at},
        gettext("A block holds only when a second member also blocks.")
        if rule.block_needs_second
        else gettext("One block stops a proposal."),
    ]
    if rule.fallback == decision_rule.FALLBACK_MINUS_ONE:
        sentences.append(
            gettext(
                "If consensus fails, the proposal still passes with one block, as long as "
                "somebody agrees (consensus minus one)."
            )
        )
    elif rule.fallback == decision_rule.FALLBACK_MINUS_TWO:
        sentences.append(
            gettext(
                "If consensus fails, the proposal still passes with one or two blocks, as long "
                "as somebody agrees (consensus minus two)."
            )
        )
    elif rule.fallback == decision_rule.FALLBACK_SUPERMAJORITY:
        sentences.append(
            gettext(
                "If blocks stop the proposal, a further discussion follows, then a second round "
                "in which it passes when %(percent)s%% of those taking a position agree."
            )
            % {"percent": rule.supermajority_percent}
        )
    else:
        sentences.append(gettext("Without consensus the proposal fails."))
    return sentences


def _reason(code: str, rule: decision_rule.Rule, tally: Mapping[str, int], detail: Any) -> str:
    members = int(tally.get("members", 0))
    excused = int(tally.get("excused", 0))
    support = int(tally.get("agree", 0)) + int(tally.get("reservations", 0))
    stand_aside = int(tally.get("stand_aside", 0))
    blocks = int(tally.get("block", 0))
    responded = support + stand_aside + blocks + int(tally.get("abstain", 0))
    needed = int(detail.get("quorum_needed", 0))
    holding = int(detail.get("holding_blocks", 0))
    lapsed = int(detail.get("lapsed_blocks", 0))
    if code in (decision_rule.QUORUM_MET, decision_rule.QUORUM_MISSED):
        numbers = {
            "responded": responded,
            "count": max(members - excused, 0),
            "needed": needed,
            "percent": rule.quorum_percent,
        }
        if code == decision_rule.QUORUM_MET:
            sentence = ngettext(
                "%(responded)s of the %(count)s member who could respond did: the quorum of "
                "%(percent)s%% needed %(needed)s.",
                "%(responded)s of the %(count)s members who could respond did: the quorum of "
                "%(percent)s%% needed %(needed)s.",
                numbers["count"],
            )
        else:
            sentence = ngettext(
                "Only %(responded)s of the %(count)s member who could respond did: the quorum "
                "of %(percent)s%% needed %(needed)s.",
                "Only %(responded)s of the %(count)s members who could respond did: the quorum "
                "of %(percent)s%% needed %(needed)s.",
                numbers["count"],
            )
        text = sentence % numbers
        if excused:
            text += " " + ngettext(
                "%(count)s member on an excused absence was not counted.",
                "%(count)s members on an excused absence were not counted.",
                excused,
            ) % {"count": excused}
        return text
    if code == decision_rule.BLOCK_LAPSED:
        return ngettext(
            "%(count)s block lapsed: the group's rule asks for a second member to block, and "
            "nobody did.",
            "%(count)s blocks lapsed: the group's rule asks for a second member to block, and "
            "nobody did.",
            lapsed,
        ) % {"count": lapsed}
    if code == decision_rule.BLOCKS_HELD:
        return ngettext("%(count)s block held.", "%(count)s blocks held.", holding) % {
            "count": holding
        }
    if code == decision_rule.QUICK_BLOCKED:
        return gettext("A block stops a quick decision at once.")
    if code in (decision_rule.WITHIN_MINUS_N, decision_rule.BEYOND_MINUS_N):
        allowed = 2 if rule.fallback == decision_rule.FALLBACK_MINUS_TWO else 1
        if code == decision_rule.WITHIN_MINUS_N:
            sentence = ngettext(
                "The group's rule lets a proposal pass with up to %(count)s block when somebody "
                "agrees; %(support)s agreed.",
                "The group's rule lets a proposal pass with up to %(count)s blocks when somebody "
                "agrees; %(support)s agreed.",
                allowed,
            )
        else:
            sentence = ngettext(
                "The group's rule lets a proposal pass with up to %(count)s block; there were "
                "more.",
                "The group's rule lets a proposal pass with up to %(count)s blocks; there were "
                "more.",
                allowed,
            )
        return sentence % {"count": allowed, "support": support}
    if code == decision_rule.SECOND_ROUND_NEEDED:
        return gettext(
            "The group's fallback is a further discussion and a second round decided by a "
            "supermajority."
        )
    if code in (decision_rule.SUPERMAJORITY_REACHED, decision_rule.SUPERMAJORITY_MISSED):
        numbers = {
            "support": support,
            "count": support + stand_aside + holding,
            "percent": rule.supermajority_percent,
        }
        if code == decision_rule.SUPERMAJORITY_REACHED:
            sentence = ngettext(
                "%(support)s of the %(count)s member taking a position agreed: the "
                "supermajority of %(percent)s%% was reached.",
                "%(support)s of the %(count)s members taking a position agreed: the "
                "supermajority of %(percent)s%% was reached.",
                numbers["count"],
            )
        else:
            sentence = ngettext(
                "%(support)s of the %(count)s member taking a position agreed: the "
                "supermajority of %(percent)s%% was not reached.",
                "%(support)s of the %(count)s members taking a position agreed: the "
                "supermajority of %(percent)s%% was not reached.",
                numbers["count"],
            )
        return sentence % numbers
    if code == decision_rule.NOBODY_AGREED:
        return gettext("Nobody agreed.")
    if code == decision_rule.STAND_ASIDES_WEAK:
        return ngettext(
            "%(count)s member stood aside; from %(weak_at)s stand-asides the consensus is weak.",
            "%(count)s members stood aside; from %(weak_at)s stand-asides the consensus is weak.",
            stand_aside,
        ) % {"count": stand_aside, "weak_at": rule.weak_at}
    if code == decision_rule.LAPSED_BLOCK_WEAK:
        return gettext("Somebody objected on principle, so the consensus is weak.")
    if code == decision_rule.ALL_AGREED:
        return ngettext(
            "Nobody blocked, and fewer than %(count)s stood aside.",
            "Nobody blocked, and fewer than %(count)s stood aside.",
            rule.weak_at,
        ) % {"count": rule.weak_at}
    # A code this version does not know (a newer rule module): show it rather than hide it.
    return code


def reasons_in_words(detail: Mapping[str, Any]) -> list[str]:
    """How the rule was applied, from a proposal's stored `outcome_detail`, one sentence per
    reason code, with the numbers it was decided on."""
    rule = _rule_of(detail.get("rule") or {})
    tally = detail.get("tally") or {}
    return [_reason(str(code), rule, tally, detail) for code in detail.get("reasons") or ()]


def stored_rule(detail: Mapping[str, Any]) -> decision_rule.Rule | None:
    """The rule the outcome was computed under, as stored at the close."""
    values = detail.get("rule")
    return _rule_of(values) if values else None


def outcome_label(outcome: str) -> str:
    return str(Outcome(outcome).label) if outcome in Outcome.values else ""


def closed_how_label(how: str) -> str:
    return str(ClosedHow(how).label) if how in ClosedHow.values else ""
