"""The learned router: what it picks for questions whose answer the convention settles."""

from __future__ import annotations

import pytest

from curbside.answer import retrieve
from curbside.answer.understand import understand
from curbside.errors import CurbsideError


def _route(engine, question):
    return retrieve.route(understand(question, engine.vocab), engine.index)


@pytest.mark.parametrize(("question", "topic", "facet"), [
    ("What is the best management approach for a patient with chronic back pain?", "chronic-low-back-pain", "management"),
    ("Guaifenesin", "guaifenesin", "management"),  # a bare name asks for the whole page
    ("Can I take ibuprofen with lisinopril?", "ibuprofen", "interactions"),
    ("What dose of apixaban with a creatinine of 1.6?", "apixaban", None),
])
def test_convention_cases(engine, question, topic, facet):
    routed = _route(engine, question)
    assert routed.primary is not None and routed.primary.id == topic
    if facet:
        assert routed.asked_facet == facet


def test_nameless_non_medical_question_is_not_routed(engine):
    assert _route(engine, "How do I repair a bicycle puncture?").primary is None


def test_probabilities_cover_every_candidate(engine):
    from curbside.answer.ranker import candidate_topics, shipped_ranker

    q = understand("metformin side effects in kidney disease", engine.vocab)
    lexical = engine.index.search(q.expanded)
    ranked = shipped_ranker().rank(q, candidate_topics(q, engine.index, lexical), lexical)
    assert abs(sum(p for _, p in ranked) - 1.0) < 1e-6
    assert ranked[0][1] == max(p for _, p in ranked)


def test_a_missing_model_is_a_clear_error(engine, monkeypatch):
    monkeypatch.setattr(retrieve, "shipped_ranker", lambda: None)
    with pytest.raises(CurbsideError, match="routing model"):
        _route(engine, "gout treatment")


def test_a_subject_we_have_no_page_for_is_not_covered_however_alike_it_reads(shipped_engine):
    # Both read like the fungal-infection training questions, but name diseases the knowledge base never mentions.
    for question in ("What are the treatments for Aspergillosis?", "How is mucormycosis treated?"):
        assert shipped_engine.ask(question).coverage == "not_covered", question


def test_a_shared_word_alone_does_not_route_a_question_unlike_any_of_the_topics_questions(shipped_engine):
    # "broken" is a word of a rosacea alias ("broken veins"), "heals" of a mouth-ulcer one; neither page answers these.
    for question in ("How is a broken collarbone treated?", "How do I look after my tattoo while it heals?"):
        assert shipped_engine.ask(question).coverage == "not_covered", question


def test_a_question_naming_nothing_reaches_the_topic_its_training_neighbours_belong_to(shipped_engine):
    # No topic name, and no single topic leads on words alone: the closest training questions are about insomnia.
    answer = shipped_engine.ask("I keep waking at 4am and can't get back to sleep, what can I do?")
    assert answer.coverage == "covered"
    assert answer.topics[0].split("@")[0] == "insomnia"


@pytest.mark.parametrize("question, topic", [
    # Also fires the anaphylaxis rule ("throat is swollen"); the sore-throat page is the one it reads like.
    ("my throat is swollen on one side and I'm drooling, is this an emergency?", "sore-throat"),
    ("my friend collapsed while hiking on a hot day and now he's confused", "heat-illness"),
])
def test_a_red_flag_naming_nothing_goes_to_the_red_flags_of_the_topic_it_belongs_to(shipped_engine, question, topic):
    answer = shipped_engine.ask(question)
    assert answer.safety is not None
    assert answer.topics[0].split("@")[0] == topic
    assert answer.facet == "red_flags"
