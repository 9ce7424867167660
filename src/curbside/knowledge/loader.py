"""Load topic files into a :class:`KnowledgeBase`.

Parsing ~200 YAML files on every ``curbside ask`` would cost most of the cold-start
budget, so the validated knowledge base is cached as a pickle in the data directory,
keyed by the path, size and modification time of every file (any edit rebuilds it).
"""

from __future__ import annotations

import hashlib
import logging
import pickle
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from pydantic import ValidationError

from curbside.atomic import replace_file
from curbside.errors import KnowledgeBaseError
from curbside.knowledge.schema import Topic

log = logging.getLogger(__name__)
PACKAGE_DIRS = (Path(__file__).parent / "topics", Path(__file__).parent / "drugs")
_CACHE_VERSION = 3

try:  # the C loader is ~10x faster; fall back where libyaml is missing
    _Loader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover
    _Loader = yaml.SafeLoader


@dataclass(frozen=True)
class FileProblem:
    """A problem found in one topic file."""

    path: str
    item: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.item}: {self.message}"


@dataclass
class KnowledgeBase:
    """All loaded topics, by id, with the files they came from."""

    topics: dict[str, Topic]
    files: dict[str, str] = field(default_factory=dict)  # topic id -> path
    fingerprint: str = ""

    def get(self, topic_id: str) -> Topic | None:
        return self.topics.get(topic_id)

    def conditions(self) -> list[Topic]:
        return [t for t in self.topics.values() if t.kind == "condition"]

    def drugs(self) -> list[Topic]:
        return [t for t in self.topics.values() if t.kind == "drug"]


def topic_files(extra_dirs: list[Path] | tuple[Path, ...] = ()) -> list[Path]:
    """Every topic file (``*.yaml``) in the package folders and the extra folders, sorted."""
    files: list[Path] = []
    for folder in (*PACKAGE_DIRS, *extra_dirs):
        folder = Path(folder)
        if folder.is_dir():
            files.extend(sorted(folder.glob("*.yaml")))
    return files


def parse_file(path: Path) -> tuple[Topic | None, list[FileProblem]]:
    """Parse and validate one file; returns the topic or the problems found."""
    try:
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        return None, [FileProblem(str(path), "file", f"not valid YAML: {exc}".splitlines()[0])]
    if not isinstance(raw, dict):
        return None, [FileProblem(str(path), "file", "expected a mapping at the top level")]
    try:
        return Topic.model_validate(raw), []
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            loc = ".".join(str(p) for p in err["loc"]) or "file"
            problems.append(FileProblem(str(path), loc, err["msg"]))
        return None, problems


def _fingerprint(files: list[Path]) -> str:
    h = hashlib.sha256(str(_CACHE_VERSION).encode())
    for f in files:
        st = f.stat()
        h.update(f"{f}|{st.st_size}|{st.st_mtime_ns}\n".encode())
    return h.hexdigest()[:16]


def load_files(files: list[Path]) -> tuple[KnowledgeBase, list[FileProblem]]:
    """Load the given files; problems are returned, not raised."""
    topics: dict[str, Topic] = {}
    paths: dict[str, str] = {}
    problems: list[FileProblem] = []
    for path in files:
        topic, found = parse_file(path)
        problems.extend(found)
        if topic is None:
            continue
        if topic.id in topics:
            problems.append(FileProblem(str(path), f"id {topic.id}", f"duplicate topic id (also in {paths[topic.id]})"))
            continue
        topics[topic.id] = topic
        paths[topic.id] = str(path)
    return KnowledgeBase(topics=topics, files=paths, fingerprint=_fingerprint(files)), problems


def load_knowledge_base(extra_dirs: list[Path] | tuple[Path, ...] = (), cache_dir: Path | None = None,
                        strict: bool = False) -> KnowledgeBase:
    """Load every topic, from the cache when no file changed.

    A malformed file is left out with a warning (one bad file must not take every answer
    down); with ``strict`` it raises instead. `curbside kb check` reports it either way.
    """
    files = topic_files(extra_dirs)
    fingerprint = _fingerprint(files)
    cache = Path(cache_dir) / f"kb-{fingerprint}.pickle" if cache_dir else None
    if cache and cache.is_file():
        try:
            with cache.open("rb") as fh:
                return pickle.load(fh)
        except Exception:  # a corrupt cache is rebuilt, never trusted
            pass
    kb, problems = load_files(files)
    if problems:
        listing = "\n".join(f"  {p}" for p in problems[:20])
        message = f"{len(problems)} problem(s) in the knowledge base; run `curbside kb check`:\n{listing}"
        if strict or not kb.topics:
            raise KnowledgeBaseError(message)
        log.warning("%s\n(the files with problems are left out)", message)
    if cache:  # a read-only data dir only costs speed
        replace_file(cache, pickle.dumps(kb, protocol=pickle.HIGHEST_PROTOCOL), stale="kb-*.pickle")
    return kb
