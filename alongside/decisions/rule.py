"""The decision rule as a pure function: from a group's rule and the count of the responses that
count, the outcome and the reasons for it. No database, no clock: the close, the proposal page
("if it closed now") and the property tests all call `decide`.

How the rule is applied, in order:

1. A quick decision in the field stops at any block: it is blocked, whatever else (nobody is
   made to stay somewhere they judge unsafe; there is no time for a second round).
2. A block *holds* unless the group's rule asks for a second and nobody else blocks; a block that
   lapses for want of a second is recorded, still counts as a response for the quorum, and makes
   the consensus at best weak (somebody did object on principle).
3. Quorum: the responses (every position, abstentions too) must reach `quorum_percent` of the
   active members of the body, not counting those on an excused absence who did not respond;
   at least one response is always needed.
4. In a second round (the supermajority fallback), the proposal passes when agreement (with or
   without reservations) reaches `supermajority_percent` of those who took a position
   (abstentions aside).
5. Holding blocks: the fallback decides. Consensus minus one (or two) passes when the blocks are
   no more than one (or two) and somebody agrees; a supermajority fallback opens a further
   discussion and a second round when somebody agrees (otherwise it fails: a block must not
   revive a proposal nobody supported); with no fallback the proposal is blocked.
6. Without a block, nobody agreeing means no decision; from `weak_at` stand-asides the consensus
   is weak; otherwise it is a consensus.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

CONSENSUS = "consensus"
WEAK = "weak"
BLOCKED = "blocked"
NO_QUORUM = "no_quorum"
NO_SUPPORT = "no_support"
FALLBACK_PASSED = "fallback_passed"
FALLBACK_FAILED = "fallback_failed"
# Not a final outcome: the first round failed and the group's fallback is a second round.
SECOND_ROUND = "second_round"

FALLBACK_NONE = "none"
FALLBACK_MINUS_ONE = "minus_one"
FALLBACK_MINUS_TWO = "minus_two"
FALLBACK_SUPERMAJORITY = "supermajority"

DEFAULT_QUORUM_PERCENT = 50
DEFAULT_WEAK_AT = 3
DEFAULT_SUPERMAJORITY_PERCENT = 75

# How far each outcome goes toward a decision the group carries out. Every outcome that does not
# decide anything ranks the same: more agreement never lowers the rank (property-tested).
RANK = {
    NO_QUORUM: 0,
    BLOCKED: 0,
    NO_SUPPORT: 0,
    FALLBACK_FAILED: 0,
    SECOND_ROUND: 1,
    FALLBACK_PASSED: 2,
    WEAK: 3,
    CONSENSUS: 4,
}
AGREED = (CONSENSUS, WEAK, FALLBACK_PASSED)

# Reason codes (the proposal page and the register show them translated, with the numbers).
QUORUM_MET = "quorum_met"
QUORUM_MISSED = "quorum_missed"
BLOCK_LAPSED = "block_lapsed"
BLOCKS_HELD = "blocks_held"
QUICK_BLOCKED = "quick_blocked"
WITHIN_MINUS_N = "within_minus_n"
BEYOND_MINUS_N = "beyond_minus_n"
SECOND_ROUND_NEEDED = "second_round_needed"
SUPERMAJORITY_REACHED = "supermajority_reached"
SUPERMAJORITY_MISSED = "supermajority_missed"
NOBODY_AGREED = "nobody_agreed"
STAND_ASIDES_WEAK = "stand_asides_weak"
LAPSED_BLOCK_WEAK = "lapsed_block_weak"
ALL_AGREED = "consensus_reached"


@dataclass(frozen=True)
class Rule:
    quorum_percent: int = DEFAULT_QUORUM_PERCENT
    weak_at: int = DEFAULT_WEAK_AT
    block_needs_second: bool = False
    fallback: str = FALLBACK_NONE
    supermajority_percent: int = DEFAULT_SUPERMAJORITY_PERCENT

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


@dataclass(frozen=True)
class Tally:
    """The responses that count, and who could have responded. `members`: the active members
    of the body; `excused`: those of them on an excused absence who did not respond."""

    members: int
    excused: int = 0
    agree: int = 0
    reservations: int = 0
    stand_aside: int = 0
    block: int = 0
    abstain: int = 0
    round: int = 1

    @property
    def responded(self) -> int:
        return self.agree + self.reservations + self.stand_aside + self.block + self.abstain

    @property
    def support(self) -> int:
        return self.agree + self.reservations

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


@dataclass(frozen=True)
class Result:
    outcome: str
    reasons: tuple[str, ...]
    quorum_needed: int
    holding_blocks: int
    lapsed_blocks: int

    @property
    def is_agreed(self) -> bool:
        return self.outcome in AGREED

    def as_dict(self) -> dict[str, object]:
        return {
            "outcome": self.outcome,
            "reasons": list(self.reasons),
            "quorum_needed": self.quorum_needed,
            "holding_blocks": self.holding_blocks,
            "lapsed_blocks": self.lapsed_blocks,
        }


def quorum_needed(rule: Rule, tally: Tally) -> int:
    """How many responses make the quorum: a share of the members who are not excused, rounded
    up, and never fewer than one."""
    eligible = max(tally.members - tally.excused, 0)
    return max(1, -(-eligible * rule.quorum_percent // 100))


def decide(rule: Rule, tally: Tally, *, quick: bool = False) -> Result:
    """The outcome of a proposal under `rule` with the responses in `tally`."""
    holds = quick or not rule.block_needs_second or tally.block >= 2
    holding = tally.block if holds else 0
    lapsed = tally.block - holding
    needed = quorum_needed(rule, tally)

    def result(outcome: str, *reasons: str) -> Result:
        return Result(outcome, tuple(reasons), needed, holding, lapsed)

    if quick and holding:
        return result(BLOCKED, QUICK_BLOCKED)
    if tally.responded < needed:
        return result(NO_QUORUM, QUORUM_MISSED)
    lapse = (BLOCK_LAPSED,) if lapsed else ()
    if tally.round >= 2:
        taking_a_position = tally.support + tally.stand_aside + holding
        reached = taking_a_position and (
            tally.support * 100 >= rule.supermajority_percent * taking_a_position
        )
        if reached:
            return result(FALLBACK_PASSED, QUORUM_MET, *lapse, SUPERMAJORITY_REACHED)
        return result(FALLBACK_FAILED, QUORUM_MET, *lapse, SUPERMAJORITY_MISSED)
    if holding:
        allowed = {FALLBACK_MINUS_ONE: 1, FALLBACK_MINUS_TWO: 2}.get(rule.fallback)
        if allowed is not None:
            if holding > allowed:
                return result(FALLBACK_FAILED, QUORUM_MET, BLOCKS_HELD, BEYOND_MINUS_N)
            if not tally.support:
                return result(FALLBACK_FAILED, QUORUM_MET, BLOCKS_HELD, NOBODY_AGREED)
            return result(FALLBACK_PASSED, QUORUM_MET, BLOCKS_HELD, WITHIN_MINUS_N)
        if rule.fallback == FALLBACK_SUPERMAJORITY:
            if not tally.support:
                return result(FALLBACK_FAILED, QUORUM_MET, BLOCKS_HELD, NOBODY_AGREED)
            return result(SECOND_ROUND, QUORUM_MET, BLOCKS_HELD, SECOND_ROUND_NEEDED)
        return result(BLOCKED, QUORUM_MET, BLOCKS_HELD)
    if not tally.support:
        return result(NO_SUPPORT, QUORUM_MET, *lapse, NOBODY_AGREED)
    if tally.stand_aside >= rule.weak_at:
        return result(WEAK, QUORUM_MET, *lapse, STAND_ASIDES_WEAK)
    if lapsed:
        return result(WEAK, QUORUM_MET, BLOCK_LAPSED, LAPSED_BLOCK_WEAK)
    return result(CONSENSUS, QUORUM_MET, ALL_AGREED)
