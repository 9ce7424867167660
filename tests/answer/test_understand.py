"""Understanding free-text questions: facets, intents, entities, red flags, scope."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from curbside.answer.safety import detect_red_flags
from curbside.answer.understand import expand_abbreviations, understand


@pytest.fixture(scope="module")
def vocab(engine):
    return engine.vocab


@pytest.mark.parametrize(
    ("question", "intent"),
    [
        ("How should chronic low back pain be managed?", "management"),
        ("What is the first-line drug for knee osteoarthritis?", "first_line"),
        ("What tests should I order to diagnose heart failure?", "diagnosis"),
        ("My TSH is 7.2, what does that mean?", "interpretation"),
        ("What are the stages of chronic kidney disease?", "definition"),
        ("What dose of metformin should I start?", "dosing"),
        ("Which antihypertensive is safe in pregnancy?", "constraints"),
        ("Sertraline vs escitalopram for anxiety?", "comparison"),
    ],
)
def test_intent(vocab, question, intent):
    assert understand(question, vocab).intent == intent


def test_entities_from_a_case_style_question(vocab):
    q = understand("72 yo F with CKD, eGFR 28, on Lipitor 40 mg, potassium 5.9 - what now?", vocab)
    e = q.entities
    assert e.age == 72 and e.sex == "female"
    assert e.renal_impairment is True
    assert e.labs.get("egfr") == "28"
    assert e.labs.get("potassium") == "5.9"
    assert "atorvastatin" in e.drugs  # brand name mapped to the generic


def test_pregnancy_and_liver_disease_are_found(vocab):
    e = understand("Can I take Tylenol with fatty liver while 20 weeks pregnant?", vocab).entities
    assert e.pregnant and e.hepatic_impairment
    assert "paracetamol" in e.drugs


def test_misspelled_drug_names_still_match(vocab):
    assert "metformin" in understand("side effects of metfromin?", vocab).entities.drugs


def test_abbreviations_expand():
    assert expand_abbreviations("best tx for CLBP and HTN") == "best treatment for chronic low back pain and hypertension"


def test_non_medical_question_is_not_medical(vocab):
    q = understand("Who won the football world cup in 2018?", vocab)
    assert not q.medical


def test_unknown_disease_word_is_still_medical(vocab):
    assert understand("What is sarcoidosis?", vocab).medical


@pytest.mark.parametrize(
    "text",
    [
        "back pain with saddle anaesthesia",
        "crushing chest pain going down my left arm",
        "sudden facial droop and slurred speech",
        "I took a bottle of pills, want to die",
        "my lips are swelling and I can't breathe after a bee sting",
        "I take carbimazole and now I have a high temperature and mouth ulcers",
        "woke up this morning and can't hear anything in my left ear",
        "my running partner collapsed in the heat and is talking nonsense",
        "my teenage son has sudden severe pain in his scrotum",
        "6 weeks pregnant with shoulder tip pain",
        "my husband is on apixaban and banged his head on a cupboard",
        "sore throat and now I can't open my mouth and my voice is muffled",
    ],
)
def test_red_flags_are_detected(text):
    assert detect_red_flags(text) is not None


@pytest.mark.parametrize("text", [
    "chronic low back pain treatment", "what dose of ibuprofen for a sprained ankle",
    "I take carbimazole, how often do I need blood tests?", "what is the dose of apixaban in atrial fibrillation",
    "how do I prevent heat rash", "I'm 24 weeks pregnant with bad back pain, what can I take?",
    "when can I train again after heat stroke",
])
def test_ordinary_questions_raise_no_red_flag(text):
    assert detect_red_flags(text) is None


@settings(max_examples=60, deadline=None)
@given(st.text(min_size=1, max_size=400))
def test_any_text_is_understood_without_crashing(engine, text):
    q = understand(text, engine.vocab)
    assert q.facet and q.intent


@pytest.mark.parametrize(("question", "wrong_topic"), [
    ("Heel pain every morning with the first few steps", "grief-and-bereavement"),  # "morning" is not "mourning"
    ("My 2 month old has thick yellow crusty scales on his scalp. How do I get rid of cradle cap?",
     "community-acquired-pneumonia"),  # "cap" is shorthand only in capitals
    ("When does someone with an EF of 30% need an ICD or CRT?", "contact-dermatitis"),
    ("Hb 98 g/L, MCV 72, ferritin 8 in a 68 year old man", "molluscum"),
])
def test_everyday_words_do_not_name_unrelated_topics(vocab, question, wrong_topic):
    assert wrong_topic not in {m.topic_id for m in understand(question, vocab).names}


def test_shorthand_in_capitals_still_expands():
    assert "community-acquired pneumonia" in expand_abbreviations("CAP in a 70 year old")
    assert "cap" in expand_abbreviations("cradle cap").split()


def test_an_allergy_is_about_the_patient_not_an_unknown_drug(vocab):
    assert not understand("Which antibiotic for strep throat in a teenager who is allergic to penicillin?", vocab).unknown_drug
    assert not understand("penicillin allergic adult with strep throat", vocab).unknown_drug
    assert understand("What is the dose of nebivolol?", vocab).unknown_drug  # no monograph: not ours to answer


def test_a_disease_word_the_knowledge_base_never_uses_is_marked_unknown(vocab):
    assert understand("How is mucormycosis treated?", vocab).unknown_term
    assert not understand("How is sinusitis treated?", vocab).unknown_term


@pytest.mark.parametrize(("question", "topic"), [
    ("Does my partner need treating for PID?", "pelvic-inflammatory-disease"),
    ("Is MOH likely with triptans on 12 days a month?", "migraine"),
])
def test_standard_clinical_shorthand_names_its_topic(vocab, question, topic):
    assert topic in [m.topic_id for m in understand(question, vocab).names]


def test_ejection_fraction_shorthand_expands():
    assert "ejection fraction" in expand_abbreviations("EF 30% on echo")


def test_shorthand_that_ends_a_brand_name_is_not_expanded(vocab):
    # "DM" is diabetes elsewhere, but part of the brand in "Robitussin DM" (dextromethorphan).
    q = understand("Can I take Robitussin DM while on sertraline?", vocab)
    assert {m.topic_id for m in q.names} == {"dextromethorphan", "sertraline"}
    assert "diabetes" not in q.expanded and "diabetes" not in q.normalized
    assert "diabetes" in understand("DM and high blood pressure in a 60 year old", vocab).expanded

