"""The reasons of the rule in words: every reason code of `rule.py` has its sentence, with the
numbers the outcome was decided on."""

from __future__ import annotations

import pytest

from alongside.decisions import rule as decision_rule
from alongside.decisions.explain import reasons_in_words, rule_in_words

CODES = [
    value
    for name, value in vars(decision_rule).items()
    if name.isupper()
    and isinstance(value, str)
    and name
    not in {
        "CONSENSUS",
        "WEAK",
        "BLOCKED",
        "NO_QUORUM",
        "NO_SUPPORT",
        "FALLBACK_PASSED",
        "FALLBACK_FAILED",
        "SECOND_ROUND",
        "FALLBACK_NONE",
        "FALLBACK_MINUS_ONE",
        "FALLBACK_MINUS_TWO",
        "FALLBACK_SUPERMAJORITY",
    }
]


def _detail(rule: decision_rule.Rule, tally: decision_rule.Tally, **kw: bool) -> dict[str, object]:
    return {
        "rule": rule.as_dict(),
        "tally": tally.as_dict(),
        **decision_rule.decide(rule, tally, **kw).as_dict(),
    }


def test_the_codes_are_all_found() -> None:
    assert len(CODES) == 14


@pytest.mark.parametrize("code", CODES)
def test_every_reason_code_has_a_sentence(code: str) -> None:
    detail = {
        "rule": decision_rule.Rule().as_dict(),
        "tally": decision_rule.Tally(members=5, agree=3).as_dict(),
        "reasons": [code],
        "quorum_needed": 3,
        "holding_blocks": 1,
        "lapsed_blocks": 1,
    }
    (sentence,) = reasons_in_words(detail)
    assert sentence != code and sentence.endswith(".")


def test_a_second_round_names_the_supermajority_and_its_numbers() -> None:
    rule = decision_rule.Rule(fallback=decision_rule.FALLBACK_SUPERMAJORITY)
    tally = decision_rule.Tally(members=10, agree=6, stand_aside=1, block=1, abstain=1, round=2)
    words = reasons_in_words(_detail(rule, tally))
    assert words == [
        "9 of the 10 members who could respond did: the quorum of 50% needed 5.",
        "6 of the 8 members taking a position agreed: the supermajority of 75% was reached.",
    ]


def test_consensus_minus_one_says_how_many_blocks_it_allows() -> None:
    rule = decision_rule.Rule(fallback=decision_rule.FALLBACK_MINUS_ONE)
    tally = decision_rule.Tally(members=4, agree=3, block=1)
    words = reasons_in_words(_detail(rule, tally))
    assert words[1:] == [
        "1 block held.",
        "The group's rule lets a proposal pass with up to 1 block when somebody agrees; 3 agreed.",
    ]
    assert "consensus minus one" in rule_in_words(rule)[-1]


def test_a_lapsed_block_makes_the_consensus_weak_in_words() -> None:
    rule = decision_rule.Rule(block_needs_second=True)
    tally = decision_rule.Tally(members=3, agree=2, block=1)
    words = reasons_in_words(_detail(rule, tally))
    assert words[1] == (
        "1 block lapsed: the group's rule asks for a second member to block, and nobody did."
    )
    assert words[2] == "Somebody objected on principle, so the consensus is weak."


def test_a_missing_detail_gives_no_sentences() -> None:
    assert reasons_in_words({}) == []
