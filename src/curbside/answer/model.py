"""The value objects that pass between pipeline stages, and the ``Answer`` every renderer shows.

The JSON form of :class:`Answer` is the API's response shape (SPEC.md "Shape of an answer").
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Audience = Literal["clinician", "student", "patient"]
Coverage = Literal["covered", "partial", "not_covered"]
ReviewStatus = Literal["submitted", "under_review", "changes_requested", "approved"]
SafetyLevel = Literal["emergency", "urgent", "caution"]

AUDIENCES: tuple[str, ...] = ("clinician", "student", "patient")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Bullet(_Model):
    """One cited statement; ``citations`` are reference numbers (1-based)."""

    text: str
    citations: list[int] = Field(default_factory=list)
    claim_id: str | None = Field(None, description="Id of the knowledge-base claim or corpus passage it came from")
    note: str | None = Field(None, description="Student view: the reasoning behind the statement")


class AnswerTable(_Model):
    caption: str
    columns: list[str]
    rows: list[list[str]]
    citations: list[int]


class AnswerSection(_Model):
    heading: str
    facet: str | None = None
    intro: Bullet | None = None
    bullets: list[Bullet] = Field(default_factory=list)
    table: AnswerTable | None = None


class AlgorithmStep(_Model):
    when: str
    action: str
    citations: list[int]
    claim_id: str | None = None


class ReferenceEntry(_Model):
    n: int
    title: str
    publisher: str
    year: int | None = None
    type: str
    url: str | None = None
    doi: str | None = None
    source_id: str = Field(description="Topic id and reference key, or corpus document id")


class Review(_Model):
    status: ReviewStatus = "submitted"
    last_updated: str = Field(description="ISO date of the newest version")
    reviewed_by: str | None = None
    article_id: int | None = None
    version: int | None = None


class Safety(_Model):
    level: SafetyLevel
    message: str
    matched: list[str] = Field(default_factory=list, description="The red-flag features found in the question")


class Entities(_Model):
    """What `understand` found in the question."""

    conditions: list[str] = Field(default_factory=list)
    drugs: list[str] = Field(default_factory=list, description="Generic names")
    age: int | None = None
    sex: Literal["female", "male"] | None = None
    pregnant: bool = False
    breastfeeding: bool = False
    renal_impairment: bool = False
    hepatic_impairment: bool = False
    labs: dict[str, str] = Field(default_factory=dict)

    def constraint_facets(self) -> list[str]:
        """The population facets these details call for, in a fixed order: pregnancy, renal, hepatic, age group."""
        found = []
        if self.pregnant or self.breastfeeding:
            found.append("pregnancy")
        if self.renal_impairment:
            found.append("renal")
        if self.hepatic_impairment:
            found.append("hepatic")
        if self.age is not None and self.age < 18:
            found.append("children")
        elif self.age is not None and self.age >= 65:
            found.append("older_adults")
        return found


class SearchedNote(_Model):
    """What was searched, shown when the answer is not covered or partial."""

    topics_considered: list[str] = Field(default_factory=list)
    terms: list[str] = Field(default_factory=list)
    sources: list[str] = Field(default_factory=list)


class Answer(_Model):
    """A complete answer: what every renderer (terminal, Markdown, JSON, HTML) shows."""

    question: str
    normalized_question: str
    slug: str
    audience: Audience = "clinician"
    intent: str = "other"
    facet: str | None = None
    title: str
    bottom_line: Bullet | None = None
    sections: list[AnswerSection] = Field(default_factory=list)
    algorithm: list[AlgorithmStep] = Field(default_factory=list)
    pitfalls: list[Bullet] = Field(default_factory=list)
    seek_care: list[Bullet] = Field(default_factory=list, description="Patient view: when to seek care now")
    references: list[ReferenceEntry] = Field(default_factory=list)
    related_questions: list[str] = Field(default_factory=list)
    review: Review
    disclaimer: str
    safety: Safety | None = None
    coverage: Coverage
    coverage_note: str | None = Field(None, description="Why coverage is partial or not covered")
    searched: SearchedNote | None = None
    topics: list[str] = Field(default_factory=list, description="Knowledge-base topics used, as id@version")
    entities: Entities = Field(default_factory=Entities)
    thread_id: str | None = None

    def cited_items(self) -> list[tuple[str, str, list[int]]]:
        """(where, text, citations) for every cited item, in the order the page shows them."""
        items: list[tuple[str, str, list[int]]] = []
        if self.bottom_line:
            items.append(("bottom line", self.bottom_line.text, self.bottom_line.citations))
        for s in self.sections:
            if s.intro:
                items.append((f"section '{s.heading}' intro", s.intro.text, s.intro.citations))
            if s.table:
                items.append((f"table '{s.table.caption}'", s.table.caption, s.table.citations))
            items.extend((f"section '{s.heading}'", b.text, b.citations) for b in s.bullets)
        items.extend(("when to seek care", b.text, b.citations) for b in self.seek_care)
        items.extend(("pitfalls", b.text, b.citations) for b in self.pitfalls)
        items.extend((f"algorithm step {i}", st.action, st.citations) for i, st in enumerate(self.algorithm, 1))
        return items

    def renumbered(self) -> Answer:
        """A copy whose citations are numbered 1..n in display order, references reordered to match."""
        order: dict[int, int] = {}
        for _, _, cites in self.cited_items():
            for n in cites:
                order.setdefault(n, len(order) + 1)
        data = self.model_dump()

        def remap(item: dict | None) -> None:
            if item and "citations" in item:
                item["citations"] = [order.get(n, n) for n in item["citations"]]

        remap(data["bottom_line"])
        for s in data["sections"]:
            remap(s["intro"])
            remap(s["table"])
            for b in s["bullets"]:
                remap(b)
        for group in ("seek_care", "pitfalls", "algorithm"):
            for b in data[group]:
                remap(b)
        refs = [r for r in data["references"] if r["n"] in order]
        for r in refs:
            r["n"] = order[r["n"]]
        data["references"] = sorted(refs, key=lambda r: r["n"])
        return Answer.model_validate(data)

    def all_bullets(self) -> list[Bullet]:
        """Every cited statement in the answer, bottom line first."""
        out = [self.bottom_line] if self.bottom_line else []
        for s in self.sections:
            if s.intro:
                out.append(s.intro)
            out.extend(s.bullets)
        out.extend(self.pitfalls)
        out.extend(self.seek_care)
        return out
