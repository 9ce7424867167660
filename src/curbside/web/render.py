"""The Jinja environment (autoescaped everywhere) and the small helpers the templates use."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import jinja2
from starlette.templating import Jinja2Templates

from curbside import __version__
from curbside.answer.model import Answer, ReferenceEntry

TEMPLATES_DIR = Path(__file__).parent / "templates"
STATIC_DIR = Path(__file__).parent / "static"

AUDIENCE_LABELS = {"clinician": "Clinician", "student": "Medical student", "patient": "Patient or caregiver"}
DISCLAIMER_HEADINGS = {
    "clinician": "Professional Medical Disclaimer",
    "student": "Disclaimer for Students",
    "patient": "Patient Disclaimer",
}
REVIEW_STEPS = (("submitted", "Submitted"), ("under_review", "Under Review"), ("approved", "Approved"))
_STEP_OF_STATUS = {"submitted": 0, "under_review": 1, "changes_requested": 1, "approved": 2}

EXAMPLE_QUESTIONS = (
    "What is the best management approach for a patient with chronic back pain, considering "
    "non-pharmacological and pharmacological interventions?",
    "What is the first-line treatment for hypertension in a 58-year-old without diabetes?",
    "Which antidepressant is preferred for a patient with depression who is breastfeeding?",
    "How should metformin be dosed when eGFR is 35?",
)


def date_long(iso: str | None) -> str:
    """'2026-01-21' -> 'January 21, 2026' (other text is shown as given)."""
    if not iso:
        return ""
    try:
        d = dt.date.fromisoformat(str(iso)[:10])
    except ValueError:
        return str(iso)
    return f"{d:%B} {d.day}, {d.year}"


def reference_link(ref: ReferenceEntry) -> str | None:
    """Where a reference can be read: its URL, else its DOI resolver address."""
    if ref.url:
        return ref.url
    if ref.doi:
        return f"https://doi.org/{ref.doi}"
    return None


def reference_label(ref: ReferenceEntry) -> str:
    """One line naming a reference: 'Title. Publisher, 2024.'"""
    year = f", {ref.year}" if ref.year else ""
    return f"{ref.title.rstrip('.')}. {ref.publisher}{year}."


def reference_map(answer: Answer) -> dict[int, str]:
    """Reference number -> label; templates show only citations found here (no orphan numbers)."""
    return {r.n: reference_label(r) for r in answer.references}


def review_step(status: str) -> int:
    """Index in :data:`REVIEW_STEPS` of the step an article is at."""
    return _STEP_OF_STATUS.get(status, 0)


def type_label(kind: str) -> str:
    """'systematic_review' -> 'Systematic review'."""
    return kind.replace("_", " ").replace("-", " ").capitalize()


def make_templates() -> Jinja2Templates:
    """Templates with autoescaping on for every file, whatever its extension."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES_DIR),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters.update(date_long=date_long, type_label=type_label)
    env.globals.update(
        version=__version__,
        AUDIENCE_LABELS=AUDIENCE_LABELS,
        DISCLAIMER_HEADINGS=DISCLAIMER_HEADINGS,
        REVIEW_STEPS=REVIEW_STEPS,
        reference_link=reference_link,
        reference_map=reference_map,
        review_step=review_step,
    )
    return Jinja2Templates(env=env)
