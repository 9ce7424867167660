"""`curbside kb check`: validate every topic file and summarise the knowledge base."""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from curbside.answer.text import stem, words
from curbside.knowledge.loader import FileProblem, KnowledgeBase, load_files, topic_files
from curbside.knowledge.schema import Facet, Topic

# Above this Flesch-Kincaid grade a patient sentence is reported as a warning.
PATIENT_GRADE_WARN = 10.0


@dataclass
class CheckReport:
    """What `kb check` found: errors fail the check, warnings do not."""

    errors: list[FileProblem] = field(default_factory=list)
    warnings: list[FileProblem] = field(default_factory=list)
    topics: int = 0
    drugs: int = 0
    claims: int = 0
    references: int = 0
    patient_grades: list[float] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def median_patient_grade(self) -> float | None:
        return statistics.median(self.patient_grades) if self.patient_grades else None


def check_topic(topic: Topic, path: str) -> list[FileProblem]:
    """Problems inside one topic: citations, unused references, empty sections, ids."""
    problems: list[FileProblem] = []

    def add(item: str, message: str) -> None:
        problems.append(FileProblem(path, item, message))

    keys = Counter(r.key for r in topic.references)
    for key, n in keys.items():
        if n > 1:
            add(f"references.{key}", f"reference key defined {n} times")
    defined = set(keys)
    used: set[str] = set()

    def check_claim(item: str, claim, facet: str) -> None:
        if not claim.refs:
            add(item, "claim has no citation")
        for key in claim.refs:
            if key not in defined:
                add(item, f"cites undefined reference '{key}'")
        used.update(claim.refs)
        if not claim.patient:
            add(item, "claim has no patient wording ('patient:')")
        if facet == Facet.algorithm and not claim.when:
            add(item, "algorithm step has no time frame ('when:')")

    for name, claim in topic.bottom_line.items():
        check_claim(f"bottom_line.{name}", claim, "bottom_line")
    for i, section in enumerate(topic.sections):
        label = f"sections[{i}] '{section.heading}'"
        if not section.claims and not section.table:
            add(label, "empty section: no claims and no table")
        if section.intro:
            check_claim(f"{label}.intro", section.intro, section.facet)
        for j, claim in enumerate(section.claims):
            check_claim(f"{label}.claims[{j}]", claim, section.facet)
        if section.table:
            if not section.table.refs:
                add(f"{label}.table", "table has no citation")
            for key in section.table.refs:
                if key not in defined:
                    add(f"{label}.table", f"cites undefined reference '{key}'")
            used.update(section.table.refs)
    for key in sorted(defined - used):
        add(f"references.{key}", "reference is never cited")
    if not topic.sections:
        add("sections", "topic has no sections")
    return problems


def check_knowledge_base(extra_dirs: list[Path] | tuple[Path, ...] = ()) -> CheckReport:
    """Validate every topic file; cross-topic checks included (ids, aliases, related topics)."""
    files = topic_files(extra_dirs)
    kb, problems = load_files(files)
    report = CheckReport(errors=list(problems))
    _cross_checks(kb, report)
    for topic_id, topic in kb.topics.items():
        path = kb.files[topic_id]
        report.errors.extend(check_topic(topic, path))
        report.topics += topic.kind == "condition"
        report.drugs += topic.kind == "drug"
        report.references += len(topic.references)
        claims = topic.all_claims()
        report.claims += len(claims)
        report.warnings.extend(_grade_warnings(topic, path, claims, report))
    return report


def _alias_key(name: str) -> str:
    """A name as the vocabulary matches it (word stems: "boil" is "boils", "skin abscess" is "skin abscesses")."""
    return " ".join(stem(words(name)))


def _cross_checks(kb: KnowledgeBase, report: CheckReport) -> None:
    claim_ids: dict[str, str] = {}
    aliases: dict[str, str] = {}
    for topic_id, topic in kb.topics.items():
        path = kb.files[topic_id]
        for _section, claim in topic.all_claims():
            if claim.id:
                if claim.id in claim_ids:
                    report.errors.append(FileProblem(path, f"claim {claim.id}", f"duplicate claim id (also in {claim_ids[claim.id]})"))
                claim_ids[claim.id] = path
        for name in {_alias_key(n) for n in topic.names()}:
            other = aliases.get(name)
            if other and other != topic_id:
                report.warnings.append(FileProblem(path, f"alias '{name}'", f"also an alias of topic '{other}'"))
            aliases.setdefault(name, topic_id)
        for rel in topic.related_topics:
            if rel not in kb.topics:
                report.errors.append(FileProblem(path, f"related_topics.{rel}", "no such topic"))


def _grade_warnings(topic: Topic, path: str, claims, report: CheckReport) -> list[FileProblem]:
    import textstat  # slow import; only the checker needs it

    warnings = []
    for section, claim in claims:
        if not claim.patient:
            continue
        grade = float(textstat.flesch_kincaid_grade(claim.patient))
        report.patient_grades.append(grade)
        if grade > PATIENT_GRADE_WARN:
            where = section.heading if section else "bottom_line"
            warnings.append(FileProblem(path, where, f"patient wording at grade {grade:.1f}: {claim.patient[:60]}..."))
    return warnings
