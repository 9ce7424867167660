"""Compose: build an ``Answer`` from routed topics, shaped by the question's facet and audience.

Every statement comes from a knowledge-base claim and keeps that claim's references;
citation numbers are given in order of first use, and the reference list holds exactly the
cited sources. Nothing here writes clinical text of its own.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from curbside.answer import audience as aud
from curbside.answer.model import (
    AlgorithmStep,
    Answer,
    AnswerSection,
    AnswerTable,
    Bullet,
    ReferenceEntry,
    Review,
)
from curbside.answer.retrieve import Route
from curbside.answer.understand import Query
from curbside.knowledge.schema import Claim, Facet, Section, Topic

# Which facets a focused answer shows, in order. "management" is the full structure.
CONDITION_MANAGEMENT = ["first_line", "expectations", "second_line", "later_lines", "dosing", "referral", "monitoring"]
FOCUS: dict[str, list[str]] = {
    "first_line": ["first_line", "dosing", "expectations"],
    "second_line": ["second_line", "later_lines", "referral"],
    "later_lines": ["later_lines", "referral"],
    "diagnosis": ["diagnosis", "interpretation", "red_flags"],
    "interpretation": ["interpretation", "diagnosis"],
    "definition": ["definition", "causes", "symptoms"],
    "causes": ["causes", "definition"],
    "symptoms": ["symptoms", "red_flags"],
    "dosing": ["dosing", "renal", "hepatic", "older_adults", "children"],
    "renal": ["renal", "dosing"],
    "hepatic": ["hepatic", "dosing"],
    "pregnancy": ["pregnancy"],
    "older_adults": ["older_adults", "first_line"],
    "children": ["children"],
    "expectations": ["expectations"],
    "referral": ["referral", "red_flags"],
    "pitfalls": [],
    "red_flags": ["red_flags", "referral"],
    "prevention": ["prevention"],
    "monitoring": ["monitoring"],
    "indications": ["indications"],
    "contraindications": ["contraindications", "boxed_warning"],
    "boxed_warning": ["boxed_warning"],
    "interactions": ["interactions", "contraindications"],
    "adverse_effects": ["adverse_effects", "boxed_warning"],
    "administration": ["administration"],
    "switching": ["switching", "dosing"],
    "counselling": ["counselling", "administration"],
}
# Shown after a focused answer's own sections: what a colleague adds whatever the question was.
CONTEXT = {"condition": ["first_line", "red_flags"], "drug": ["indications", "adverse_effects"]}
COMPARISON_FACETS = ["indications", "first_line", "adverse_effects", "interactions", "switching", "expectations"]
FACET_LABEL = {
    "first_line": "First-Line Treatment", "second_line": "When First-Line Treatment Fails", "later_lines": "Later-Line Options",
    "diagnosis": "Diagnosis and Work-Up", "interpretation": "Interpreting Results", "definition": "Definition and Classification",
    "causes": "Causes and Risk Factors", "symptoms": "Symptoms", "dosing": "Dosing", "renal": "Kidney Impairment",
    "hepatic": "Liver Impairment", "pregnancy": "Pregnancy and Breastfeeding", "older_adults": "Older Adults",
    "children": "Children", "expectations": "What to Expect", "referral": "When to Refer", "pitfalls": "Pitfalls to Avoid",
    "red_flags": "Red Flags", "prevention": "Prevention and Screening", "monitoring": "Monitoring",
    "indications": "Uses", "contraindications": "Who Should Not Take It", "boxed_warning": "Boxed Warning",
    "interactions": "Interactions", "adverse_effects": "Side Effects", "administration": "How to Take It",
    "switching": "Switching and Equivalents", "counselling": "Counselling Points",
}


@dataclass
class Citer:
    """Numbers references in order of first use; one entry per (topic, reference key)."""

    numbers: dict[tuple[str, str], int] = field(default_factory=dict)
    entries: list[ReferenceEntry] = field(default_factory=list)

    def cite(self, topic: Topic, keys: list[str]) -> list[int]:
        out = []
        for key in keys:
            ident = (topic.id, key)
            if ident not in self.numbers:
                ref = topic.reference(key)
                if ref is None:  # kb check forbids this; verify would refuse the answer anyway
                    continue
                self.numbers[ident] = len(self.entries) + 1
                self.entries.append(ReferenceEntry(
                    n=len(self.entries) + 1, title=ref.title, publisher=ref.publisher, year=ref.year, type=ref.type,
                    url=ref.url, doi=ref.doi, source_id=f"{topic.id}#{key}",
                ))
            out.append(self.numbers[ident])
        return sorted(set(out), key=out.index)


@dataclass
class Composer:
    """Builds one answer; holds the citation numbering while it does."""

    query: Query
    route: Route
    audience: str
    citer: Citer = field(default_factory=Citer)

    # ---- bullets -------------------------------------------------------------
    def bullet(self, topic: Topic, claim: Claim, facet: str) -> Bullet:
        return Bullet(
            text=aud.claim_text(claim, self.audience),
            citations=self.citer.cite(topic, claim.refs),
            claim_id=claim.stable_id(topic.id, facet),
            note=claim.student if self.audience == "student" else None,
        )

    def section(self, topic: Topic, section: Section, heading: str | None = None) -> AnswerSection | None:
        facet = section.facet.value
        claims = [c for c in section.claims if aud.keeps_claim(c, facet, self.audience, self.route.asked_facet)]
        intro = self.bullet(topic, section.intro, facet) if section.intro else None
        bullets = [self.bullet(topic, c, facet) for c in claims]
        table = None
        if section.table and self.audience != "patient":
            t = section.table
            table = AnswerTable(caption=t.caption, columns=t.columns, rows=t.rows, citations=self.citer.cite(topic, t.refs))
        if not bullets and not table and not intro:
            return None
        return AnswerSection(heading=heading or aud.heading(section, self.audience), facet=facet, intro=intro,
                             bullets=bullets, table=table)

    def sections_for(self, topic: Topic, facets: list[str], seen: set[int]) -> list[AnswerSection]:
        out = []
        for facet in facets:
            if not aud.keeps_facet(facet, self.audience, self.route.asked_facet):
                continue
            for section in topic.sections_for(facet):
                if id(section) in seen:
                    continue
                seen.add(id(section))
                built = self.section(topic, section)
                if built:
                    out.append(built)
        return out

    # ---- the answer ------------------------------------------------------------
    def compose(self) -> dict:
        """The answer's content fields (sections, algorithm, pitfalls, references...)."""
        route, query = self.route, self.query
        topic = route.primary
        assert topic is not None
        facet = route.facet
        seen: set[int] = set()
        bottom = topic.bottom_line.get(facet) or topic.bottom_line["default"]
        bottom_line = self.bullet(topic, bottom, "bottom_line")
        sections: list[AnswerSection] = []
        if query.safety and facet != "red_flags":
            sections += self.sections_for(topic, ["red_flags"], seen)
        if facet == "comparison":
            for t in (topic, *route.supporting):
                sections += self.comparison_sections(t, seen)
        else:
            sections += self.sections_for(topic, self.facets_to_show(topic, facet), seen)
            sections += self.sections_for(topic, self.constraint_facets(facet), seen)
            if facet != "management":  # after the part asked for, the essentials a colleague would add
                sections += self.sections_for(topic, CONTEXT[topic.kind], seen)
            for other in route.supporting:
                sections += self.supporting_section(other)
        algorithm = self.algorithm(topic) if facet == "management" and self.audience != "patient" else []
        pitfalls = self.pitfalls(topic) if facet in ("management", "pitfalls", "diagnosis") else []
        if facet == "management" and topic.kind == "condition" and self.audience != "patient":
            sections += self.sections_for(topic, ["red_flags"], seen)
        seek_care = self.seek_care(topic) if self.audience == "patient" else []
        if not sections and facet == "pitfalls" and not pitfalls:
            sections += self.sections_for(topic, ["first_line"], seen)
        return dict(bottom_line=bottom_line, sections=sections, algorithm=algorithm, pitfalls=pitfalls,
                    seek_care=seek_care, references=self.citer.entries)

    def facets_to_show(self, topic: Topic, facet: str) -> list[str]:
        if facet == "management":
            if topic.kind == "drug":
                return [s.facet.value for s in topic.sections if s.facet not in (Facet.algorithm, Facet.pitfalls)]
            return CONDITION_MANAGEMENT
        return FOCUS.get(facet, [facet])

    def constraint_facets(self, facet: str) -> list[str]:
        """Population facets the question's details call for ('what if she is pregnant?')."""
        return [f for f in self.query.entities.constraint_facets() if f != facet]

    def comparison_sections(self, topic: Topic, seen: set[int]) -> list[AnswerSection]:
        out = []
        if topic is not self.route.primary:  # the primary's summary is already the answer's bottom line
            out.append(AnswerSection(heading=topic.title, facet="comparison",
                                     bullets=[self.bullet(topic, topic.bottom_line["default"], "bottom_line")]))
        for facet in COMPARISON_FACETS:
            for section in topic.sections_for(facet)[:1]:
                if id(section) in seen or not aud.keeps_facet(facet, self.audience, "comparison"):
                    continue
                seen.add(id(section))
                built = self.section(topic, section, heading=f"{topic.title}: {section.heading}")
                if built:
                    out.append(built)
        return out

    def supporting_section(self, topic: Topic) -> list[AnswerSection]:
        claim = topic.bottom_line.get(self.route.facet) or topic.bottom_line["default"]
        return [AnswerSection(heading=f"About {topic.title}", facet="supporting", bullets=[self.bullet(topic, claim, "bottom_line")])]

    def algorithm(self, topic: Topic) -> list[AlgorithmStep]:
        steps = []
        for section in topic.sections_for("algorithm"):
            for claim in section.claims:
                steps.append(AlgorithmStep(when=claim.when or "", action=aud.claim_text(claim, self.audience),
                                           citations=self.citer.cite(topic, claim.refs),
                                           claim_id=claim.stable_id(topic.id, "algorithm")))
        return steps

    def pitfalls(self, topic: Topic) -> list[Bullet]:
        out = []
        for section in topic.sections_for("pitfalls"):
            if section.intro:
                out.append(self.bullet(topic, section.intro, "pitfalls"))
            out.extend(self.bullet(topic, c, "pitfalls") for c in section.claims)
        return out

    def seek_care(self, topic: Topic) -> list[Bullet]:
        return [self.bullet(topic, c, "red_flags") for s in topic.sections_for("red_flags") for c in s.claims]


def title_for(topic: Topic, facet: str) -> str:
    """The answer's title: the topic title, with the facet for focused answers."""
    if facet in ("management", "comparison") or facet not in FACET_LABEL:
        return topic.title
    return f"{topic.title}: {FACET_LABEL[facet]}"


def compose_answer(query: Query, route: Route, audience: str, *, slug: str) -> Answer:
    """A covered (or partly covered) answer from the routed topics."""
    topic = route.primary
    assert topic is not None
    composer = Composer(query=query, route=route, audience=audience)
    content = composer.compose()
    coverage = "covered"
    note = None
    if route.facet != route.asked_facet and route.asked_facet not in ("management",):
        coverage = "partial"
        note = (f"The topic '{topic.title}' has no section on {FACET_LABEL.get(route.asked_facet, route.asked_facet).lower()}; "
                f"this answer shows the closest part of the topic instead.")
    elif not route.confident:
        coverage = "partial"
        note = "The question matched this topic only weakly; check that it answers what you asked."
    title = topic.title if route.facet == "comparison" and not route.supporting else title_for(topic, route.facet)
    if route.facet == "comparison":
        title = " vs ".join(t.title for t in (topic, *route.supporting))
    topics_used = [topic, *route.supporting]
    return Answer(
        question=query.text,
        normalized_question=query.normalized,
        slug=slug,
        audience=audience,
        intent=query.intent,
        facet=route.facet,
        title=title,
        review=Review(status="submitted", last_updated=max(t.last_reviewed for t in topics_used).isoformat()),
        disclaimer=aud.disclaimer(audience),
        safety=query.safety,
        coverage=coverage,
        coverage_note=note,
        topics=[f"{t.id}@{t.content_hash()}" for t in topics_used],
        entities=query.entities,
        **content,
    ).renumbered()
