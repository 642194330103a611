"""Properties of the decision rule over any rule and any count of responses: a block never makes
a consensus, more agreement never lowers the outcome, excused members never count against the
quorum, and a quick decision stops at any block."""

from __future__ import annotations

import dataclasses
import json

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from alongside.decisions.rule import (
    AGREED,
    BLOCKED,
    CONSENSUS,
    FALLBACK_MINUS_ONE,
    FALLBACK_MINUS_TWO,
    FALLBACK_NONE,
    FALLBACK_SUPERMAJORITY,
    NO_QUORUM,
    QUICK_BLOCKED,
    RANK,
    SECOND_ROUND,
    Rule,
    Tally,
    decide,
)

POSITIONS = ("agree", "reservations", "stand_aside", "block", "abstain")
# What a member who agrees might have answered before.
NOT_AGREEING = ("reservations", "stand_aside", "block", "abstain")

rules = st.builds(
    Rule,
    quorum_percent=st.integers(1, 100),
    weak_at=st.integers(1, 10),
    block_needs_second=st.booleans(),
    fallback=st.sampled_from(
        (FALLBACK_NONE, FALLBACK_MINUS_ONE, FALLBACK_MINUS_TWO, FALLBACK_SUPERMAJORITY)
    ),
    supermajority_percent=st.integers(51, 100),
)


# How many took one position: often none, one or two (nobody agreeing, a lone block, a block and
# its second), sometimes more; five positions of at most 8 keep the body within 40 members.
counts = st.one_of(st.just(0), st.integers(1, 2), st.integers(0, 8))


@st.composite
def tallies(draw: st.DrawFn) -> Tally:
    """Up to 40 members, no more responses than members, and no more excused than those who did
    not respond."""
    responses = {position: draw(counts) for position in POSITIONS}
    responded = sum(responses.values())
    members = responded + draw(st.integers(0, 40 - responded))
    excused = draw(st.integers(0, members - responded))
    return Tally(members=members, excused=excused, round=draw(st.sampled_from((1, 2))), **responses)


def _valid(tally: Tally) -> Tally:
    assert 0 <= tally.responded <= tally.members
    assert 0 <= tally.excused <= tally.members - tally.responded
    return tally


def _respond(tally: Tally, position: str, *, excused_answers: bool) -> Tally:
    """A member who had not responded takes `position`: one on an excused absence if asked (and
    there is one), and necessarily so if every member who has not responded is excused."""
    assume(tally.responded < tally.members)
    waiting = tally.members - tally.responded
    from_excused = tally.excused > 0 and (excused_answers or tally.excused == waiting)
    return _valid(
        dataclasses.replace(
            tally,
            excused=tally.excused - from_excused,
            **{position: getattr(tally, position) + 1},
        )
    )


def _change(tally: Tally, before: str, after: str) -> Tally:
    """A member changes their response from `before` to `after`."""
    assume(getattr(tally, before) > 0)
    return _valid(
        dataclasses.replace(
            tally, **{before: getattr(tally, before) - 1, after: getattr(tally, after) + 1}
        )
    )


def _quorum_met(rule: Rule, tally: Tally, quick: bool) -> bool:
    return tally.responded >= decide(rule, tally, quick=quick).quorum_needed


# --- (a) a block never makes a consensus ---------------------------------------------------


@settings(max_examples=400, deadline=None)
@given(rule=rules, tally=tallies(), quick=st.booleans(), excused_answers=st.booleans())
def test_a_member_who_had_not_responded_blocking_never_makes_a_consensus(
    rule: Rule, tally: Tally, quick: bool, excused_answers: bool
) -> None:
    blocked = _respond(tally, "block", excused_answers=excused_answers)
    before = decide(rule, tally, quick=quick)
    after = decide(rule, blocked, quick=quick)
    if before.outcome != CONSENSUS:
        assert after.outcome != CONSENSUS
    if _quorum_met(rule, tally, quick):
        assert RANK[after.outcome] <= RANK[before.outcome], (before, after)


@settings(max_examples=400, deadline=None)
@given(rule=rules, tally=tallies(), quick=st.booleans())
def test_an_agreement_turned_into_a_block_never_makes_a_consensus(
    rule: Rule, tally: Tally, quick: bool
) -> None:
    blocked = _change(tally, "agree", "block")
    before = decide(rule, tally, quick=quick)
    after = decide(rule, blocked, quick=quick)
    if before.outcome != CONSENSUS:
        assert after.outcome != CONSENSUS
    if _quorum_met(rule, tally, quick):
        assert RANK[after.outcome] <= RANK[before.outcome], (before, after)


# --- (b) more agreement never lowers the outcome -------------------------------------------


@settings(max_examples=400, deadline=None)
@given(
    rule=rules,
    tally=tallies(),
    quick=st.booleans(),
    excused_answers=st.booleans(),
    position=st.sampled_from(("agree", "reservations")),
)
def test_a_member_who_had_not_responded_agreeing_never_lowers_the_outcome(
    rule: Rule, tally: Tally, quick: bool, excused_answers: bool, position: str
) -> None:
    agreed = _respond(tally, position, excused_answers=excused_answers)
    before = decide(rule, tally, quick=quick)
    after = decide(rule, agreed, quick=quick)
    assert RANK[after.outcome] >= RANK[before.outcome], (before, after)


@settings(max_examples=400, deadline=None)
@given(rule=rules, tally=tallies(), quick=st.booleans(), previous=st.sampled_from(NOT_AGREEING))
def test_a_member_coming_round_to_agree_never_lowers_the_outcome(
    rule: Rule, tally: Tally, quick: bool, previous: str
) -> None:
    agreed = _change(tally, previous, "agree")
    before = decide(rule, tally, quick=quick)
    after = decide(rule, agreed, quick=quick)
    assert RANK[after.outcome] >= RANK[before.outcome], (before, after)


# --- (c) excused members never count against the quorum ------------------------------------


@settings(max_examples=400, deadline=None)
@given(rule=rules, tally=tallies(), quick=st.booleans())
def test_one_more_excused_absence_never_lowers_the_outcome(
    rule: Rule, tally: Tally, quick: bool
) -> None:
    assume(tally.excused < tally.members - tally.responded)
    excused = _valid(dataclasses.replace(tally, excused=tally.excused + 1))
    before = decide(rule, tally, quick=quick)
    after = decide(rule, excused, quick=quick)
    assert after.quorum_needed <= before.quorum_needed
    assert RANK[after.outcome] >= RANK[before.outcome], (before, after)


@settings(max_examples=400, deadline=None)
@given(rule=rules, tally=tallies(), quick=st.booleans())
def test_no_result_lacks_a_quorum_because_of_excused_members(
    rule: Rule, tally: Tally, quick: bool
) -> None:
    with_excused = decide(rule, tally, quick=quick)
    without = decide(rule, dataclasses.replace(tally, excused=0), quick=quick)
    if with_excused.outcome == NO_QUORUM:
        assert without.outcome == NO_QUORUM
    assert with_excused.quorum_needed <= without.quorum_needed


# --- (d) the result itself -----------------------------------------------------------------


@settings(max_examples=400, deadline=None)
@given(rule=rules, tally=tallies(), quick=st.booleans())
def test_the_result_is_deterministic_and_consistent(rule: Rule, tally: Tally, quick: bool) -> None:
    result = decide(rule, tally, quick=quick)
    # The same inputs give the same result, also once stored as JSON and read back.
    assert decide(rule, tally, quick=quick) == result
    stored_rule, stored_tally = json.loads(json.dumps([rule.as_dict(), tally.as_dict()]))
    assert decide(Rule(**stored_rule), Tally(**stored_tally), quick=quick) == result
    assert result.outcome in RANK
    assert result.quorum_needed >= 1
    assert result.holding_blocks + result.lapsed_blocks == tally.block
    assert result.reasons
    if result.is_agreed:
        assert result.outcome in AGREED
        assert tally.responded >= result.quorum_needed
        assert tally.support > 0
    if tally.block:
        assert result.outcome != CONSENSUS
    if result.outcome == NO_QUORUM:
        assert tally.responded < result.quorum_needed
    if result.outcome == SECOND_ROUND:
        assert rule.fallback == FALLBACK_SUPERMAJORITY
        assert tally.round == 1
        assert not quick
        assert tally.support > 0


# --- (e) quick decisions -------------------------------------------------------------------


@settings(max_examples=400, deadline=None)
@given(rule=rules, tally=tallies())
def test_a_quick_decision_with_any_block_is_blocked(rule: Rule, tally: Tally) -> None:
    assume(tally.block > 0)
    result = decide(rule, tally, quick=True)
    assert result.outcome == BLOCKED
    assert result.reasons == (QUICK_BLOCKED,)
    assert result.holding_blocks == tally.block
    assert result.lapsed_blocks == 0
