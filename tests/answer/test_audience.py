"""Audiences: the same evidence worded for patients (plain, cited, no prescriber detail) and students (reasoning)."""

from __future__ import annotations

import statistics

import pytest
import textstat

from curbside.answer.verify import problems
from curbside.evaluation import answer_text
from curbside.knowledge.schema import PRESCRIBER_FACETS


@pytest.fixture(scope="module")
def patient_answers(engine):
    return {t.id: engine.ask(t.title, audience="patient") for t in engine.kb.topics.values()}


def test_patient_answers_read_at_grade_8_or_below(patient_answers):
    grades = {tid: textstat.flesch_kincaid_grade(answer_text(a)) for tid, a in patient_answers.items()
              if a.coverage != "not_covered"}
    assert len(grades) >= 0.95 * len(patient_answers)
    too_hard = {tid: g for tid, g in grades.items() if g > 8.0}
    assert not too_hard, too_hard
    assert statistics.median(grades.values()) <= 6.0


def test_patient_bullets_keep_their_citations_and_prescriber_detail_stays_out(patient_answers):
    for a in patient_answers.values():
        assert not problems(a)
        assert all(b.citations for b in a.all_bullets())
        assert not any(s.facet in PRESCRIBER_FACETS for s in a.sections)
        assert not any(s.table for s in a.sections), "dose and staging tables are for prescribers"


def test_patient_view_says_when_to_seek_care_and_uses_patient_disclaimer(engine):
    a = engine.ask("How is heart failure treated?", audience="patient")
    assert a.seek_care and all(b.citations for b in a.seek_care)
    assert "not medical advice" in a.disclaimer


def test_patient_asking_for_a_dose_gets_the_dose(engine):
    a = engine.ask("What dose of sertraline should I take?", audience="patient")
    assert any(s.facet == "dosing" for s in a.sections)


def test_student_view_adds_the_reasoning(engine):
    student = engine.ask("What is the first-line treatment for chronic low back pain?", audience="student")
    clinician = engine.ask("What is the first-line treatment for chronic low back pain?")
    assert any(b.note for b in student.all_bullets())
    assert not any(b.note for b in clinician.all_bullets())
    assert [b.text for b in student.all_bullets()] == [b.text for b in clinician.all_bullets()]
