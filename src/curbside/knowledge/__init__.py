"""The curated knowledge base: topic and drug-monograph files, their loader and checker."""
