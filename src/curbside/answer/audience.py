"""Audience: the same evidence worded for a clinician, a student or a patient.

The patient view uses each claim's plain-language wording, leaves out prescriber-only
facets and claims (unless the question asked for them), and uses reader-friendly headings.
"""

from __future__ import annotations

from curbside.knowledge.schema import PRESCRIBER_FACETS, Claim, Section

PROFESSIONAL_DISCLAIMER = (
    "This information is intended for healthcare professionals. It summarises published guidelines and "
    "reviews and does not replace clinical judgement. Verify doses and recommendations against current "
    "primary sources and local guidance before applying them to a patient. Content is pending review by "
    "the curbside medical advisory board unless marked approved."
)
PATIENT_DISCLAIMER = (
    "This information is for general education and is not medical advice for you. It cannot replace a visit "
    "with a doctor, nurse or pharmacist who knows your health. Do not start, stop or change a medicine "
    "without talking to them. If you feel very unwell or think it is an emergency, call your local "
    "emergency number now."
)

PATIENT_HEADINGS = {
    "definition": "What it is", "causes": "Why it happens", "symptoms": "Signs to look for",
    "diagnosis": "How it is checked", "interpretation": "What your results mean", "first_line": "What to try first",
    "second_line": "If the first steps do not help", "later_lines": "Other options", "dosing": "How much to take",
    "renal": "If you have kidney problems", "hepatic": "If you have liver problems",
    "pregnancy": "Pregnancy and breastfeeding", "older_adults": "For older adults", "children": "For children",
    "expectations": "What to expect", "referral": "When you may need a specialist", "pitfalls": "Things to avoid",
    "red_flags": "Get help now if", "prevention": "How to lower your risk", "monitoring": "Check-ups",
    "indications": "What it is used for", "contraindications": "Who should not take it",
    "boxed_warning": "Important warning", "interactions": "Other medicines, food and alcohol",
    "adverse_effects": "Side effects", "administration": "How to take it", "switching": "Changing medicines",
    "counselling": "Good to know",
}


def claim_text(claim: Claim, audience: str) -> str:
    """The wording of a claim for this audience."""
    if audience == "patient" and claim.patient:
        return claim.patient
    return claim.text


def keeps_facet(facet: str, audience: str, asked_facet: str) -> bool:
    """False for prescriber-only facets in the patient view, unless the question asked for them."""
    return not (audience == "patient" and facet in PRESCRIBER_FACETS and facet != asked_facet)


def keeps_claim(claim: Claim, facet: str, audience: str, asked_facet: str) -> bool:
    """False for prescriber-only claims in the patient view, unless the question asked for that facet."""
    return not (audience == "patient" and claim.prescriber_only and facet != asked_facet)


def heading(section: Section, audience: str) -> str:
    """The section heading for this audience."""
    if audience == "patient":
        return PATIENT_HEADINGS.get(section.facet.value, section.heading)
    return section.heading


def disclaimer(audience: str) -> str:
    """The professional disclaimer, or the patient one."""
    return PATIENT_DISCLAIMER if audience == "patient" else PROFESSIONAL_DISCLAIMER
