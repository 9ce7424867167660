"""The verifier refuses uncited statements and citations that resolve to nothing."""

from __future__ import annotations

import pytest

from curbside.answer.model import Answer, AnswerSection, Bullet, ReferenceEntry, Review
from curbside.answer.verify import verify
from curbside.errors import VerificationError


def _answer(bullets, refs=1):
    return Answer(
        question="q", normalized_question="q?", slug="q", title="T",
        bottom_line=Bullet(text="Bottom line statement.", citations=[1]),
        sections=[AnswerSection(heading="H", bullets=bullets)],
        references=[ReferenceEntry(n=i, title=f"Ref {i}", publisher="Org", year=2020, type="guideline", source_id=f"t#{i}")
                    for i in range(1, refs + 1)],
        review=Review(last_updated="2026-01-01"), disclaimer="d", coverage="covered",
    )


def test_a_fully_cited_answer_passes():
    a = _answer([Bullet(text="A cited claim.", citations=[1])])
    assert verify(a) is a


def test_an_uncited_claim_is_refused():
    with pytest.raises(VerificationError, match="uncited"):
        verify(_answer([Bullet(text="An uncited claim.", citations=[])]))


def test_an_orphan_citation_is_refused():
    with pytest.raises(VerificationError, match=r"\[2\] resolves to no listed reference"):
        verify(_answer([Bullet(text="Cites a missing source.", citations=[2])]))


def test_a_listed_but_uncited_reference_is_refused():
    with pytest.raises(VerificationError, match="never cited"):
        verify(_answer([Bullet(text="Only cites one.", citations=[1])], refs=2))


def test_out_of_order_numbering_is_refused():
    a = _answer([Bullet(text="Cites two first.", citations=[2]), Bullet(text="Then one.", citations=[1])], refs=2)
    a.bottom_line = Bullet(text="Bottom line cites two.", citations=[2])
    with pytest.raises(VerificationError, match="order of first use"):
        verify(a)
