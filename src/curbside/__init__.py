"""curbside: guideline-backed, fully cited answers to clinical questions."""

__version__ = "0.1.0"
