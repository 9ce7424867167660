"""The answer engine end to end, on the real knowledge base."""

from __future__ import annotations

import pytest

from curbside.answer.verify import problems
from curbside.errors import InputTooLarge, UsageError
from tests.conftest import MODEL_QUESTION


def test_model_question_gets_the_full_structure(engine):
    a = engine.ask(MODEL_QUESTION)
    assert a.coverage == "covered"
    assert "Back Pain" in a.title
    assert a.bottom_line and a.bottom_line.citations
    facets = [s.facet for s in a.sections]
    assert facets.index("first_line") < facets.index("second_line")  # drug sequence in order
    assert "expectations" in facets and "referral" in facets
    assert len(a.algorithm) >= 4 and all(step.when and step.citations for step in a.algorithm)
    assert len(a.pitfalls) >= 3
    assert 5 <= len(a.related_questions) <= 12
    assert not problems(a)


def test_citations_are_numbered_in_order_and_every_reference_is_cited(engine):
    a = engine.ask(MODEL_QUESTION)
    cited = [n for b in a.all_bullets() for n in b.citations] + [n for s in a.algorithm for n in s.citations]
    first_use = list(dict.fromkeys(cited))
    assert first_use == list(range(1, len(a.references) + 1))
    assert [r.n for r in a.references] == list(range(1, len(a.references) + 1))


def test_focused_question_gets_a_focused_answer(engine):
    full = engine.ask(MODEL_QUESTION)
    focused = engine.ask("What is the first-line drug for chronic back pain?")
    assert focused.facet == "first_line"
    assert focused.algorithm == []
    assert len(focused.sections) < len(full.sections)
    assert focused.sections[0].facet == "first_line"


def test_messy_question_is_normalized(engine):
    a = engine.ask("best tx chronic LBP?")
    assert a.normalized_question == "What is the best treatment for chronic low back pain?"
    assert a.slug == "what-is-the-best-treatment-for-chronic-low-back-pain"
    assert "Back Pain" in a.title


def test_non_medical_question_is_politely_refused(engine):
    a = engine.ask("What is the best recipe for sourdough bread?")
    assert a.coverage == "not_covered"
    assert a.intent == "out_of_scope"
    assert a.sections == [] and a.references == []
    assert "medical questions" in a.coverage_note


def test_questions_about_a_pet_are_referred_to_a_vet(engine):
    a = engine.ask("my dog has had diarrhoea since yesterday, what can I give him?")
    assert a.coverage == "not_covered" and a.intent == "out_of_scope"
    assert a.sections == [] and "vet" in a.coverage_note
    bitten = engine.ask("my dog bit my hand, do I need antibiotics?")  # the person bitten is our patient
    assert bitten.coverage != "not_covered" and bitten.intent != "out_of_scope"


def test_uncovered_medical_question_says_so_and_what_was_searched(engine):
    a = engine.ask("What is the treatment for sarcoidosis of the heart?")
    assert a.coverage == "not_covered"
    assert a.intent != "out_of_scope"
    assert a.bottom_line is None and a.sections == []
    assert a.searched and "sarcoidosis" in a.searched.terms
    assert "curated knowledge base" in a.searched.sources


def test_red_flag_leads_with_urgent_message(engine):
    a = engine.ask("Low back pain for 3 days and now numbness around my bottom and I cannot pee")
    assert a.safety is not None and a.safety.level == "emergency"
    assert "cauda equina" in a.safety.message.lower()
    assert "emergency" in a.safety.message.lower()


def test_suicidal_intent_leads_with_crisis_help(engine):
    a = engine.ask("I feel hopeless and I want to kill myself")
    assert a.safety is not None and a.safety.level == "emergency"
    assert "988" in a.safety.message


@pytest.mark.parametrize("bad", ["", "   ", "\x00\x01\x02", "\u200b\u200b"])
def test_empty_questions_are_usage_errors(engine, bad):
    with pytest.raises(UsageError):
        engine.ask(bad)


def test_oversized_question_is_refused(engine):
    with pytest.raises(InputTooLarge):
        engine.ask("back pain " * 10_000)


def test_unknown_audience_is_refused(engine):
    with pytest.raises(UsageError):
        engine.ask(MODEL_QUESTION, audience="robot")


def test_odd_unicode_and_control_characters_are_handled(engine):
    a = engine.ask("chr\u00f6nic b\u0430ck pain\x07 tr\u0435atment?\u202e ﷽ 🤕")
    assert not problems(a)


def test_follow_up_keeps_the_topic_and_applies_the_constraint(engine):
    first = engine.ask("How should knee osteoarthritis be managed?")
    follow = engine.ask("What if she is pregnant?", thread_id=first.thread_id)
    assert follow.topics[0].split("@")[0] == first.topics[0].split("@")[0]
    other = engine.ask("What causes gout?", thread_id=first.thread_id)
    assert other.topics[0].startswith("gout@")


def test_patient_view_uses_plain_words_and_keeps_citations(engine):
    clin = engine.ask(MODEL_QUESTION)
    pat = engine.ask(MODEL_QUESTION, audience="patient")
    assert pat.disclaimer != clin.disclaimer
    assert pat.bottom_line.text != clin.bottom_line.text
    assert all(b.citations for b in pat.all_bullets())
    assert pat.seek_care, "the patient view tells when to seek care"
    assert not any(s.facet == "dosing" for s in pat.sections)
    assert not problems(pat)


@pytest.mark.parametrize("question", ["How do I repair a bicycle puncture?", "How do I bake sourdough bread at home?",
                                      "Who won the 1998 world cup?"])
def test_non_medical_questions_never_route_to_a_topic(engine, question):
    a = engine.ask(question)
    assert a.coverage == "not_covered" and a.topics == []


def test_old_threads_are_pruned(tmp_path):
    from curbside.answer.threads import ThreadStore

    store = ThreadStore(tmp_path, max_threads=3)
    for _ in range(5):
        store.save(store.new())
    assert store.prune() == 2
    assert len(list(tmp_path.glob("*.json"))) == 3


@pytest.mark.parametrize(
    ("messy", "clean"),
    [
        ("best tx chronic LBP?", "What is the best treatment for chronic low back pain?"),
        ("side effects of metfromin", "What are the side effects of metformin?"),
        ("Does Buspar cause sleepiness?", "Does Buspar (buspirone) cause sleepiness?"),
        ("72 yo F with HTN, eGFR 28 - what now", "72 year old F with hypertension, eGFR 28 - what now?"),
    ],
)
def test_normalization_expands_shorthand_and_names_drugs_keeping_details(engine, messy, clean):
    assert engine.ask(messy).normalized_question == clean


def _claim_texts(engine) -> set[str]:
    texts = set()
    for topic in engine.kb.topics.values():
        for _section, claim in topic.all_claims():
            texts.update(t for t in (claim.text, claim.patient) if t)
    return texts


@pytest.mark.parametrize("audience", ["clinician", "patient"])
def test_every_statement_is_a_knowledge_base_claim_word_for_word(engine, audience):
    """No invented medicine: doses and numbers only ever come from cited claims."""
    texts = _claim_texts(engine)
    for question in ["What dose of apixaban with a creatinine of 1.6?", "What is the starting dose of sertraline?",
                     "How much ibuprofen can I take for a sprained ankle?", MODEL_QUESTION,
                     "Metformin dose in kidney disease?"]:
        a = engine.ask(question, audience=audience)
        for item in [*a.all_bullets()]:
            assert item.text in texts, item.text
        for step in a.algorithm:
            assert step.action in texts


def test_dosing_answers_show_the_adjustments(engine):
    a = engine.ask("What dose of apixaban should I use?")
    assert a.facet == "dosing"
    facets = [s.facet for s in a.sections]
    assert "dosing" in facets and ("renal" in facets or "hepatic" in facets)


def test_overdose_leads_with_urgent_help(engine):
    a = engine.ask("I took too many Tylenol pills an hour ago, what happens?")
    assert a.safety is not None and a.safety.level == "emergency"
