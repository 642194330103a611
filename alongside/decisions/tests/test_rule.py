"""The decision rule over hand-worked cases: each row gives the rule, the count of responses, and
the outcome, the reasons, the responses the quorum needs and the blocks that held or lapsed,
worked out by hand."""

from __future__ import annotations

from typing import Any

import pytest

from alongside.decisions.rule import (
    ALL_AGREED,
    BEYOND_MINUS_N,
    BLOCK_LAPSED,
    BLOCKED,
    BLOCKS_HELD,
    CONSENSUS,
    FALLBACK_FAILED,
    FALLBACK_MINUS_ONE,
    FALLBACK_MINUS_TWO,
    FALLBACK_NONE,
    FALLBACK_PASSED,
    FALLBACK_SUPERMAJORITY,
    LAPSED_BLOCK_WEAK,
    NO_QUORUM,
    NO_SUPPORT,
    NOBODY_AGREED,
    QUICK_BLOCKED,
    QUORUM_MET,
    QUORUM_MISSED,
    SECOND_ROUND,
    SECOND_ROUND_NEEDED,
    STAND_ASIDES_WEAK,
    SUPERMAJORITY_MISSED,
    SUPERMAJORITY_REACHED,
    WEAK,
    WITHIN_MINUS_N,
    Result,
    Rule,
    Tally,
    decide,
    quorum_needed,
)

DEFAULT = Rule()
SECONDED = Rule(block_needs_second=True)
MINUS_ONE = Rule(fallback=FALLBACK_MINUS_ONE)
MINUS_TWO = Rule(fallback=FALLBACK_MINUS_TWO)
SUPER = Rule(fallback=FALLBACK_SUPERMAJORITY)
SECONDED_MINUS_ONE = Rule(block_needs_second=True, fallback=FALLBACK_MINUS_ONE)
SECONDED_MINUS_TWO = Rule(block_needs_second=True, fallback=FALLBACK_MINUS_TWO)
SECONDED_SUPER = Rule(block_needs_second=True, fallback=FALLBACK_SUPERMAJORITY)


def super_at(percent: int) -> Rule:
    return Rule(fallback=FALLBACK_SUPERMAJORITY, supermajority_percent=percent)


def t(members: int = 10, **counts: int) -> Tally:
    """A tally; ten members (five responses make the default quorum) unless said otherwise."""
    return Tally(members=members, **counts)


def case(
    name: str,
    rule: Rule,
    tally: Tally,
    outcome: str,
    reasons: tuple[str, ...],
    needed: int,
    holding: int,
    lapsed: int,
) -> Any:
    return pytest.param(rule, tally, Result(outcome, reasons, needed, holding, lapsed), id=name)


def test_the_defaults_are_those_of_the_issue() -> None:
    rule = Rule()
    assert rule.quorum_percent == 50
    assert rule.weak_at == 3
    assert rule.block_needs_second is False
    assert rule.fallback == FALLBACK_NONE
    assert rule.supermajority_percent == 75


# --- quorum --------------------------------------------------------------------------------

QUORUM_CASES: list[Any] = [
    # (quorum percent, members, excused, responses needed)
    pytest.param(50, 10, 0, 5, id="half-of-ten"),
    pytest.param(50, 9, 0, 5, id="half-of-nine-rounds-up"),
    pytest.param(50, 1, 0, 1, id="half-of-one-rounds-up"),
    pytest.param(50, 0, 0, 1, id="nobody-still-needs-one"),
    pytest.param(1, 3, 0, 1, id="one-percent-of-three"),
    pytest.param(100, 10, 0, 10, id="everyone"),
    pytest.param(50, 10, 4, 3, id="excused-lower-the-quorum"),
    pytest.param(50, 7, 2, 3, id="excused-then-rounds-up"),
    pytest.param(50, 10, 10, 1, id="all-excused-still-needs-one"),
    pytest.param(67, 3, 0, 3, id="67-of-3-rounds-up-to-3"),
    pytest.param(66, 3, 0, 2, id="66-of-3-is-2"),
    pytest.param(33, 40, 0, 14, id="33-of-40"),
    pytest.param(100, 40, 39, 1, id="everyone-but-one-excused"),
]


@pytest.mark.parametrize(("percent", "members", "excused", "needed"), QUORUM_CASES)
def test_quorum_needed(percent: int, members: int, excused: int, needed: int) -> None:
    rule = Rule(quorum_percent=percent)
    tally = Tally(members=members, excused=excused)
    assert quorum_needed(rule, tally) == needed
    assert decide(rule, tally).quorum_needed == needed


# --- decisions taken at the deadline -------------------------------------------------------

MET = QUORUM_MET
CASES: list[Any] = [
    # Consensus and weak consensus.
    case("five-of-ten-agree", DEFAULT, t(agree=5), CONSENSUS, (MET, ALL_AGREED), 5, 0, 0),
    case("all-agree", DEFAULT, t(agree=10), CONSENSUS, (MET, ALL_AGREED), 5, 0, 0),
    case("reservations-agree", DEFAULT, t(agree=3, reservations=2), CONSENSUS,
         (MET, ALL_AGREED), 5, 0, 0),
    case("only-reservations", DEFAULT, t(reservations=5), CONSENSUS, (MET, ALL_AGREED), 5, 0, 0),
    case("two-stand-asides", DEFAULT, t(agree=3, stand_aside=2), CONSENSUS,
         (MET, ALL_AGREED), 5, 0, 0),
    case("three-stand-asides-weak", DEFAULT, t(agree=3, stand_aside=3), WEAK,
         (MET, STAND_ASIDES_WEAK), 5, 0, 0),
    case("many-stand-asides-weak", DEFAULT, t(agree=1, stand_aside=6), WEAK,
         (MET, STAND_ASIDES_WEAK), 5, 0, 0),
    case("weak-at-one", Rule(weak_at=1), t(agree=4, stand_aside=1), WEAK,
         (MET, STAND_ASIDES_WEAK), 5, 0, 0),
    case("weak-at-five-four-stand-aside", Rule(weak_at=5), t(agree=1, stand_aside=4), CONSENSUS,
         (MET, ALL_AGREED), 5, 0, 0),
    case("abstentions-count-for-quorum", DEFAULT, t(agree=3, abstain=2), CONSENSUS,
         (MET, ALL_AGREED), 5, 0, 0),
    # Blocked.
    case("one-block", DEFAULT, t(agree=4, block=1), BLOCKED, (MET, BLOCKS_HELD), 5, 1, 0),
    case("one-block-nine-agree", DEFAULT, t(agree=9, block=1), BLOCKED, (MET, BLOCKS_HELD),
         5, 1, 0),
    case("all-block", DEFAULT, t(block=5), BLOCKED, (MET, BLOCKS_HELD), 5, 5, 0),
    case("block-nobody-agreed", DEFAULT, t(abstain=4, block=1), BLOCKED, (MET, BLOCKS_HELD),
         5, 1, 0),
    # No quorum.
    case("four-of-ten", DEFAULT, t(agree=4), NO_QUORUM, (QUORUM_MISSED,), 5, 0, 0),
    case("four-responses-of-ten", DEFAULT, t(agree=3, abstain=1), NO_QUORUM, (QUORUM_MISSED,),
         5, 0, 0),
    case("four-of-nine-rounds-up", DEFAULT, t(9, agree=4), NO_QUORUM, (QUORUM_MISSED,), 5, 0, 0),
    case("five-of-nine", DEFAULT, t(9, agree=5), CONSENSUS, (MET, ALL_AGREED), 5, 0, 0),
    case("nobody-at-all", DEFAULT, t(0), NO_QUORUM, (QUORUM_MISSED,), 1, 0, 0),
    case("all-excused-nobody-answered", DEFAULT, t(4, excused=4), NO_QUORUM, (QUORUM_MISSED,),
         1, 0, 0),
    case("a-body-of-one", DEFAULT, t(1, agree=1), CONSENSUS, (MET, ALL_AGREED), 1, 0, 0),
    case("excused-lower-the-quorum", DEFAULT, t(excused=4, agree=3), CONSENSUS,
         (MET, ALL_AGREED), 3, 0, 0),
    case("excused-but-still-short", DEFAULT, t(excused=4, agree=2), NO_QUORUM, (QUORUM_MISSED,),
         3, 0, 0),
    case("block-below-quorum", DEFAULT, t(agree=2, block=1), NO_QUORUM, (QUORUM_MISSED,),
         5, 1, 0),
    case("everyone-must-answer", Rule(quorum_percent=100), t(agree=9), NO_QUORUM,
         (QUORUM_MISSED,), 10, 0, 0),
    # Nobody agreed.
    case("all-abstain", DEFAULT, t(abstain=5), NO_SUPPORT, (MET, NOBODY_AGREED), 5, 0, 0),
    case("all-stand-aside", DEFAULT, t(stand_aside=5), NO_SUPPORT, (MET, NOBODY_AGREED), 5, 0, 0),
    case("stand-aside-and-abstain", DEFAULT, t(stand_aside=3, abstain=2), NO_SUPPORT,
         (MET, NOBODY_AGREED), 5, 0, 0),
    # A block that needs a second: alone it lapses (at best a weak consensus); two hold.
    case("lone-block-lapses", SECONDED, t(agree=4, block=1), WEAK,
         (MET, BLOCK_LAPSED, LAPSED_BLOCK_WEAK), 5, 0, 1),
    case("lone-block-never-consensus", SECONDED, t(agree=9, block=1), WEAK,
         (MET, BLOCK_LAPSED, LAPSED_BLOCK_WEAK), 5, 0, 1),
    case("lapsed-block-and-stand-asides", SECONDED, t(agree=2, stand_aside=3, block=1), WEAK,
         (MET, BLOCK_LAPSED, STAND_ASIDES_WEAK), 5, 0, 1),
    case("lapsed-block-nobody-agreed", SECONDED, t(abstain=4, block=1), NO_SUPPORT,
         (MET, BLOCK_LAPSED, NOBODY_AGREED), 5, 0, 1),
    case("lapsed-block-below-quorum", SECONDED, t(agree=3, block=1), NO_QUORUM,
         (QUORUM_MISSED,), 5, 0, 1),
    case("two-blocks-hold", SECONDED, t(agree=3, block=2), BLOCKED, (MET, BLOCKS_HELD), 5, 2, 0),
    case("three-blocks-hold", SECONDED, t(agree=2, block=3), BLOCKED, (MET, BLOCKS_HELD),
         5, 3, 0),
    case("seconded-minus-one-lone-block", SECONDED_MINUS_ONE, t(agree=4, block=1), WEAK,
         (MET, BLOCK_LAPSED, LAPSED_BLOCK_WEAK), 5, 0, 1),
    case("seconded-minus-one-two-blocks", SECONDED_MINUS_ONE, t(agree=3, block=2),
         FALLBACK_FAILED, (MET, BLOCKS_HELD, BEYOND_MINUS_N), 5, 2, 0),
    case("seconded-minus-two-two-blocks", SECONDED_MINUS_TWO, t(agree=3, block=2),
         FALLBACK_PASSED, (MET, BLOCKS_HELD, WITHIN_MINUS_N), 5, 2, 0),
    case("seconded-supermajority-lone-block", SECONDED_SUPER, t(agree=4, block=1), WEAK,
         (MET, BLOCK_LAPSED, LAPSED_BLOCK_WEAK), 5, 0, 1),
    # Consensus minus one.
    case("minus-one-one-block", MINUS_ONE, t(agree=4, block=1), FALLBACK_PASSED,
         (MET, BLOCKS_HELD, WITHIN_MINUS_N), 5, 1, 0),
    case("minus-one-reservations", MINUS_ONE, t(reservations=4, block=1), FALLBACK_PASSED,
         (MET, BLOCKS_HELD, WITHIN_MINUS_N), 5, 1, 0),
    case("minus-one-two-blocks", MINUS_ONE, t(agree=3, block=2), FALLBACK_FAILED,
         (MET, BLOCKS_HELD, BEYOND_MINUS_N), 5, 2, 0),
    case("minus-one-nobody-agreed", MINUS_ONE, t(abstain=4, block=1), FALLBACK_FAILED,
         (MET, BLOCKS_HELD, NOBODY_AGREED), 5, 1, 0),
    case("minus-one-only-stand-asides", MINUS_ONE, t(stand_aside=4, block=1), FALLBACK_FAILED,
         (MET, BLOCKS_HELD, NOBODY_AGREED), 5, 1, 0),
    case("minus-one-no-block", MINUS_ONE, t(agree=5), CONSENSUS, (MET, ALL_AGREED), 5, 0, 0),
    case("minus-one-below-quorum", MINUS_ONE, t(agree=3, block=1), NO_QUORUM, (QUORUM_MISSED,),
         5, 1, 0),
    # Consensus minus two.
    case("minus-two-one-block", MINUS_TWO, t(agree=4, block=1), FALLBACK_PASSED,
         (MET, BLOCKS_HELD, WITHIN_MINUS_N), 5, 1, 0),
    case("minus-two-two-blocks", MINUS_TWO, t(agree=3, block=2), FALLBACK_PASSED,
         (MET, BLOCKS_HELD, WITHIN_MINUS_N), 5, 2, 0),
    case("minus-two-three-blocks", MINUS_TWO, t(agree=7, block=3), FALLBACK_FAILED,
         (MET, BLOCKS_HELD, BEYOND_MINUS_N), 5, 3, 0),
    case("minus-two-nobody-agreed", MINUS_TWO, t(abstain=3, block=2), FALLBACK_FAILED,
         (MET, BLOCKS_HELD, NOBODY_AGREED), 5, 2, 0),
    # Supermajority, first round: a holding block opens a further discussion and a second round.
    case("super-block-second-round", SUPER, t(agree=9, block=1), SECOND_ROUND,
         (MET, BLOCKS_HELD, SECOND_ROUND_NEEDED), 5, 1, 0),
    case("super-many-blocks-second-round", SUPER, t(agree=2, block=3), SECOND_ROUND,
         (MET, BLOCKS_HELD, SECOND_ROUND_NEEDED), 5, 3, 0),
    case("super-block-nobody-agreed", SUPER, t(abstain=4, block=1), FALLBACK_FAILED,
         (MET, BLOCKS_HELD, NOBODY_AGREED), 5, 1, 0),
    case("super-seconded-block-nobody-agreed", SECONDED_SUPER, t(stand_aside=3, block=2),
         FALLBACK_FAILED, (MET, BLOCKS_HELD, NOBODY_AGREED), 5, 2, 0),
    case("super-no-block", SUPER, t(agree=5), CONSENSUS, (MET, ALL_AGREED), 5, 0, 0),
    case("super-below-quorum", SUPER, t(agree=3, block=1), NO_QUORUM, (QUORUM_MISSED,), 5, 1, 0),
    # Supermajority, second round: 75% unless said otherwise, of those who took a position.
    case("round-two-exactly-75", SUPER, t(agree=6, block=2, round=2), FALLBACK_PASSED,
         (MET, SUPERMAJORITY_REACHED), 5, 2, 0),
    case("round-two-below-75", SUPER, t(agree=5, block=2, round=2), FALLBACK_FAILED,
         (MET, SUPERMAJORITY_MISSED), 5, 2, 0),
    case("round-two-all-agree", SUPER, t(agree=10, round=2), FALLBACK_PASSED,
         (MET, SUPERMAJORITY_REACHED), 5, 0, 0),
    case("round-two-reservations-support", SUPER,
         t(agree=3, reservations=3, stand_aside=1, block=1, round=2), FALLBACK_PASSED,
         (MET, SUPERMAJORITY_REACHED), 5, 1, 0),
    case("round-two-stand-asides-take-a-position", SUPER, t(agree=6, stand_aside=3, round=2),
         FALLBACK_FAILED, (MET, SUPERMAJORITY_MISSED), 5, 0, 0),
    case("round-two-abstentions-aside", SUPER, t(agree=3, block=1, abstain=6, round=2),
         FALLBACK_PASSED, (MET, SUPERMAJORITY_REACHED), 5, 1, 0),
    case("round-two-all-abstain", SUPER, t(abstain=5, round=2), FALLBACK_FAILED,
         (MET, SUPERMAJORITY_MISSED), 5, 0, 0),
    case("round-two-below-quorum", SUPER, t(agree=2, round=2), NO_QUORUM, (QUORUM_MISSED,),
         5, 0, 0),
    case("round-two-lapsed-block-no-position", SECONDED_SUPER,
         t(agree=3, block=1, abstain=1, round=2), FALLBACK_PASSED,
         (MET, BLOCK_LAPSED, SUPERMAJORITY_REACHED), 5, 0, 1),
    case("round-two-100-one-block", super_at(100), t(agree=9, block=1, round=2),
         FALLBACK_FAILED, (MET, SUPERMAJORITY_MISSED), 5, 1, 0),
    case("round-two-100-one-abstains", super_at(100), t(agree=9, abstain=1, round=2),
         FALLBACK_PASSED, (MET, SUPERMAJORITY_REACHED), 5, 0, 0),
    case("round-two-51-three-of-five", super_at(51), t(agree=3, block=2, round=2),
         FALLBACK_PASSED, (MET, SUPERMAJORITY_REACHED), 5, 2, 0),
    case("round-two-51-half-fails", super_at(51), t(agree=2, block=2, abstain=1, round=2),
         FALLBACK_FAILED, (MET, SUPERMAJORITY_MISSED), 5, 2, 0),
    case("round-two-67-two-thirds-short", super_at(67), t(agree=4, block=2, round=2),
         FALLBACK_FAILED, (MET, SUPERMAJORITY_MISSED), 5, 2, 0),
    case("round-two-66-two-thirds", super_at(66), t(agree=4, block=2, round=2),
         FALLBACK_PASSED, (MET, SUPERMAJORITY_REACHED), 5, 2, 0),
]  # fmt: skip


@pytest.mark.parametrize(("rule", "tally", "expected"), CASES)
def test_decide(rule: Rule, tally: Tally, expected: Result) -> None:
    result = decide(rule, tally)
    assert result.outcome == expected.outcome
    assert result.reasons == expected.reasons
    assert (result.quorum_needed, result.holding_blocks, result.lapsed_blocks) == (
        expected.quorum_needed,
        expected.holding_blocks,
        expected.lapsed_blocks,
    )
    assert result.is_agreed == (expected.outcome in (CONSENSUS, WEAK, FALLBACK_PASSED))


# --- quick decisions in the field ----------------------------------------------------------

QUICK = (QUICK_BLOCKED,)
QUICK_CASES: list[Any] = [
    # Any block stops a quick decision, even below quorum, needing no second, with no fallback.
    case("lone-block-below-quorum", DEFAULT, t(5, block=1), BLOCKED, QUICK, 3, 1, 0),
    case("block-against-four", DEFAULT, t(5, agree=4, block=1), BLOCKED, QUICK, 3, 1, 0),
    case("block-needs-no-second", SECONDED, t(5, agree=4, block=1), BLOCKED, QUICK, 3, 1, 0),
    case("no-minus-one", MINUS_ONE, t(5, agree=4, block=1), BLOCKED, QUICK, 3, 1, 0),
    case("no-minus-two", MINUS_TWO, t(5, agree=3, block=2), BLOCKED, QUICK, 3, 2, 0),
    case("no-second-round", SUPER, t(5, agree=4, block=1), BLOCKED, QUICK, 3, 1, 0),
    case("all-excused-but-the-blocker", DEFAULT, t(5, excused=4, block=1), BLOCKED, QUICK,
         1, 1, 0),
    # Without a block, the usual rule.
    case("consensus", DEFAULT, t(5, agree=3), CONSENSUS, (MET, ALL_AGREED), 3, 0, 0),
    case("no-quorum", DEFAULT, t(5, agree=2), NO_QUORUM, (QUORUM_MISSED,), 3, 0, 0),
    case("weak", DEFAULT, t(5, agree=1, stand_aside=3), WEAK, (MET, STAND_ASIDES_WEAK), 3, 0, 0),
    case("nobody-agreed", DEFAULT, t(5, abstain=3), NO_SUPPORT, (MET, NOBODY_AGREED), 3, 0, 0),
]  # fmt: skip


@pytest.mark.parametrize(("rule", "tally", "expected"), QUICK_CASES)
def test_decide_quick(rule: Rule, tally: Tally, expected: Result) -> None:
    assert decide(rule, tally, quick=True) == expected


def test_the_result_is_stored_as_plain_data() -> None:
    result = decide(SECONDED, t(agree=4, block=1))
    assert result.as_dict() == {
        "outcome": WEAK,
        "reasons": [QUORUM_MET, BLOCK_LAPSED, LAPSED_BLOCK_WEAK],
        "quorum_needed": 5,
        "holding_blocks": 0,
        "lapsed_blocks": 1,
    }
    assert SECONDED.as_dict()["block_needs_second"] is True
    assert t(agree=4, block=1).as_dict()["block"] == 1
