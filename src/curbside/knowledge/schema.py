"""The knowledge-base file format, as pydantic models.

A topic file (YAML) describes one clinical topic (``kind: condition``) or one drug
monograph (``kind: drug``). Every clinical sentence in it is a :class:`Claim` that
cites one or more reference keys defined in the same file.

Example (abridged)::

    id: chronic-low-back-pain
    kind: condition
    title: Management of Chronic Low Back Pain
    aliases: [chronic back pain, chronic LBP]
    scope: Non-specific low back pain lasting 12 weeks or more in adults.
    last_reviewed: 2026-11-26
    references:
      - {key: acp2017, title: "...", publisher: American College of Physicians, year: 2017, type: guideline}
    bottom_line:
      default: {text: "...", refs: [acp2017], patient: "..."}
    sections:
      - facet: first_line
        heading: Core non-drug treatment
        claims:
          - {text: "...", refs: [acp2017], patient: "..."}
"""

from __future__ import annotations

import datetime as dt
import hashlib
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator


class Facet(StrEnum):
    """What part of a topic a section covers (and what part of it a question asks about)."""

    definition = "definition"  # definition, classification, staging
    causes = "causes"  # causes and risk factors
    symptoms = "symptoms"  # presentation
    diagnosis = "diagnosis"  # work-up, which tests
    interpretation = "interpretation"  # what a result means
    first_line = "first_line"
    second_line = "second_line"
    later_lines = "later_lines"
    dosing = "dosing"  # doses, titration, switching schedules
    renal = "renal"  # kidney impairment
    hepatic = "hepatic"  # liver impairment
    pregnancy = "pregnancy"  # pregnancy and breastfeeding
    older_adults = "older_adults"
    children = "children"
    expectations = "expectations"  # what benefit to expect, prognosis
    referral = "referral"  # when to refer, refractory care
    pitfalls = "pitfalls"  # what not to do, and why
    red_flags = "red_flags"  # features needing urgent care
    prevention = "prevention"  # prevention and screening
    monitoring = "monitoring"  # follow-up and monitoring
    algorithm = "algorithm"  # step-by-step with time frames
    # facets used mostly by drug monographs
    indications = "indications"
    contraindications = "contraindications"
    boxed_warning = "boxed_warning"
    interactions = "interactions"
    adverse_effects = "adverse_effects"
    administration = "administration"  # how to take, missed dose
    switching = "switching"  # equivalents, switching within a class
    counselling = "counselling"


# Facets whose detail is meant for prescribers; the patient view leaves them out
# unless the question asks for them.
PRESCRIBER_FACETS = frozenset({Facet.dosing, Facet.switching, Facet.boxed_warning})

# What a question may ask for: every facet, plus the composite "management" (the full
# structured answer) and "comparison" (two drugs or options side by side).
QUESTION_FACETS = tuple([f.value for f in Facet if f is not Facet.algorithm] + ["management", "comparison"])

ReferenceType = Literal[
    "guideline",
    "systematic_review",
    "trial",
    "review",
    "consensus_statement",
    "drug_label",
    "patient_information",
    "textbook",
    "government_report",
]

Population = Literal["adults", "older_adults", "children", "pregnancy", "breastfeeding", "renal", "hepatic"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Reference(_Strict):
    """A published source a claim can cite."""

    key: str = Field(pattern=r"^[a-z0-9][a-z0-9_.-]*$", description="Citation key, unique within the file")
    title: str = Field(min_length=3)
    publisher: str = Field(min_length=2, description="Organisation, journal or manufacturer")
    year: int | None = Field(default=None, ge=1950, le=2100,
                             description="Publication year; for a drug label, the revision year only when that revision was seen")
    type: ReferenceType
    url: str | None = Field(default=None, pattern=r"^https://")
    doi: str | None = Field(default=None, pattern=r"^10\.\d{4,9}/\S+$")


class Claim(_Strict):
    """One clinical statement and the references that support it."""

    text: str = Field(min_length=8)
    refs: list[str] = Field(description="Reference keys; at least one (kb check enforces it)")
    id: str | None = Field(default=None, pattern=r"^[a-z0-9][a-z0-9_.:-]*$")
    patient: str | None = Field(default=None, description="Plain-language wording, second person")
    student: str | None = Field(default=None, description="The reasoning: why, and what the evidence says")
    when: str | None = Field(default=None, description="Time frame, for algorithm steps ('Weeks 0-6')")
    populations: list[Population] = Field(default_factory=list)
    prescriber_only: bool = False

    def stable_id(self, topic_id: str, facet: str) -> str:
        """The claim's id: explicit, or derived from topic, facet and text (stable across rebuilds)."""
        if self.id:
            return self.id
        digest = hashlib.sha1(self.text.encode()).hexdigest()[:8]
        return f"{topic_id}:{facet}:{digest}"


class Table(_Strict):
    """A small table (staging systems, dose adjustments); every row is covered by refs."""

    caption: str
    columns: list[str] = Field(min_length=2)
    rows: list[list[str]] = Field(min_length=1)
    refs: list[str]

    @model_validator(mode="after")
    def _row_width(self) -> Table:
        for row in self.rows:
            if len(row) != len(self.columns):
                raise ValueError(f"table '{self.caption}': row {row!r} has {len(row)} cells, expected {len(self.columns)}")
        return self


class Section(_Strict):
    """A headed group of claims covering one facet of a topic."""

    facet: Facet
    heading: str = Field(min_length=3)
    intro: Claim | None = None
    claims: list[Claim] = Field(default_factory=list)
    table: Table | None = None


class Topic(_Strict):
    """A curated topic or drug monograph, loaded from one YAML file."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    kind: Literal["condition", "drug"] = "condition"
    title: str = Field(min_length=3)
    aliases: list[str] = Field(default_factory=list, description="Lay and clinical names, abbreviations, brands")
    scope: str = Field(min_length=8)
    last_reviewed: dt.date
    area: str | None = Field(default=None, description="Clinical area, e.g. 'cardiovascular'")
    # drug monographs
    generic: str | None = None
    brands: list[str] = Field(default_factory=list)
    drug_class: str | None = None
    # content
    references: list[Reference]
    bottom_line: dict[str, Claim] = Field(description="'default' plus optional per-facet bottom lines")
    sections: list[Section]
    related_topics: list[str] = Field(default_factory=list)
    related_questions: list[str] = Field(default_factory=list)

    @field_validator("bottom_line")
    @classmethod
    def _bottom_line_keys(cls, value: dict[str, Claim]) -> dict[str, Claim]:
        if "default" not in value:
            raise ValueError("bottom_line needs a 'default' entry")
        allowed = set(QUESTION_FACETS) | {"default"}
        unknown = sorted(set(value) - allowed)
        if unknown:
            raise ValueError(f"bottom_line has unknown facet(s) {unknown}; allowed: {sorted(allowed)}")
        return value

    @model_validator(mode="after")
    def _drug_fields(self) -> Topic:
        if self.kind == "drug" and not self.generic:
            raise ValueError("a drug monograph needs 'generic'")
        return self

    def names(self) -> list[str]:
        """Every name the topic goes by: title, aliases, brands and generic name."""
        return [self.title, *self.aliases, *self.brands] + ([self.generic] if self.generic else [])

    def reference(self, key: str) -> Reference | None:
        """The reference with this key, or None."""
        for ref in self.references:
            if ref.key == key:
                return ref
        return None

    def sections_for(self, facet: Facet | str) -> list[Section]:
        """Sections covering the given facet, in file order."""
        return [s for s in self.sections if s.facet == facet]

    @property
    def facets(self) -> set[str]:
        return {s.facet.value for s in self.sections}

    def all_claims(self) -> list[tuple[Section | None, Claim]]:
        """Every claim in the topic (bottom lines first), with the section it belongs to."""
        out: list[tuple[Section | None, Claim]] = [(None, c) for c in self.bottom_line.values()]
        for section in self.sections:
            if section.intro:
                out.append((section, section.intro))
            out.extend((section, c) for c in section.claims)
        return out

    def content_hash(self) -> str:
        """A short hash of the topic's content: its version for articles that cite it."""
        return hashlib.sha256(self.model_dump_json().encode()).hexdigest()[:12]
