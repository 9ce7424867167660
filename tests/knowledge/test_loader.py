"""Loading the knowledge base: a bad file is left out, never fatal to answering; the cache is rebuilt on edits."""

from __future__ import annotations

import pytest

from curbside.errors import KnowledgeBaseError
from curbside.knowledge.loader import load_knowledge_base
from tests.knowledge.test_kb_check import GOOD


def test_a_malformed_extra_file_is_left_out_with_a_warning(tmp_path, caplog):
    (tmp_path / "broken.yaml").write_text("id: [unclosed\n")
    kb = load_knowledge_base([tmp_path])
    assert "chronic-low-back-pain" in kb.topics
    assert "broken.yaml" in caplog.text
    with pytest.raises(KnowledgeBaseError, match="broken.yaml"):
        load_knowledge_base([tmp_path], strict=True)


def test_the_cache_follows_edits(tmp_path):
    topics, cache = tmp_path / "topics", tmp_path / "cache"
    topics.mkdir()
    f = topics / "zz-cache-topic.yaml"
    f.write_text(GOOD.format(id="zz-cache-topic"))
    assert load_knowledge_base([topics], cache_dir=cache).topics["zz-cache-topic"].title == "A Test Topic"
    assert list(cache.glob("kb-*.pickle"))
    f.write_text(GOOD.format(id="zz-cache-topic").replace("A Test Topic", "An Edited Topic"))
    assert load_knowledge_base([topics], cache_dir=cache).topics["zz-cache-topic"].title == "An Edited Topic"
